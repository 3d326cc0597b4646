"""The rules of an early-action case, without I/O: statuses and their order, overdue follow-ups.

A case moves forward one step at a time: open → options → decided → follow_up → closed. It may
step back one status (e.g. from options to open when the warning needs rework, or from decided to
options when a decision is reopened) but never skips ahead, so every decision has its options and
every closure its decision on record. A case can also be closed straight from ``decided`` (nothing
to follow up).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TypeVar

from gbvs.errors import (
    FieldChecks,
    FieldError,
    InputError,
    Said,
    StateConflictError,
    Term,
    Terms,
    Words,
    said,
)
from gbvs.languages import N_


class Status(StrEnum):
    """Where a case is in the workflow (in order)."""

    open = "open"
    options = "options"
    decided = "decided"
    follow_up = "follow_up"
    closed = "closed"


STATUS_NAMES: dict[str, str] = {
    Status.open: N_("open"),
    Status.options: N_("options"),
    Status.decided: N_("decided"),
    Status.follow_up: N_("follow-up"),
    Status.closed: N_("closed"),
}
"""A status as pages and refusals name it (message ids of the web catalogues; JSON keeps the codes)."""


def status_term(status: Status | str) -> Term:
    """A status as a value of an error's words, which a page names in its language."""
    return Term(STATUS_NAMES[Status(status)])


def status_terms(statuses: Iterable[Status]) -> Terms:
    """Statuses in workflow order, as a value of an error's words."""
    return Terms(STATUS_NAMES[status] for status in sorted(statuses, key=list(Status).index))


class OriginKind(StrEnum):
    """What a case was opened from; its reference says which one (see :func:`reference_format`)."""

    alert = "alert"
    country = "country"
    signal_case = "signal_case"
    scenario = "scenario"
    displacement = "displacement"


class Choice(StrEnum):
    """What was decided: act (with one of the options) or a reasoned decision not to act."""

    act = "act"
    no_action = "no_action"


class Audience(StrEnum):
    """Who reads a case besides its opener and owning organisation (need-to-know, as for signals)."""

    organisation = "organisation"
    sharing_group = "sharing_group"
    all_organisations = "all_organisations"


AUDIENCE_NAMES: dict[str, str] = {  # the signals register's names (its catalogue holds them)
    Audience.organisation: N_("Own organisation"),
    Audience.sharing_group: N_("Sharing group"),
    Audience.all_organisations: N_("All GBVS organisations"),
}
"""Who reads a case besides its organisation, as pages and refusals name it (message ids)."""


def check_audience(audience: Audience, sharing_group: str | None) -> None:
    """A sharing group is named exactly when the audience is one; else a FieldError on ``sharingGroup``."""
    if (audience is Audience.sharing_group) != bool(sharing_group):
        raise FieldError(
            "sharingGroup",
            said(
                "audience '%(audience)s' and sharing group '%(group)s' do not fit: name a sharing group "
                "exactly when the audience is 'sharing_group' (see `gbvs sharing-groups list`)",
                audience=Term(AUDIENCE_NAMES[audience]),
                group=sharing_group or "",
            ),
        )


D = TypeVar("D")

ORDER: tuple[Status, ...] = tuple(Status)
ALLOWED: dict[Status, frozenset[Status]] = {
    Status.open: frozenset({Status.options}),
    Status.options: frozenset({Status.open, Status.decided}),
    Status.decided: frozenset({Status.options, Status.follow_up, Status.closed}),
    Status.follow_up: frozenset({Status.decided, Status.closed}),
    Status.closed: frozenset({Status.follow_up}),
}
"""From each status, the statuses a case may move to."""


def parse_status(value: str) -> Status:
    """Read a status name; InputError naming the allowed values."""
    try:
        return Status(value.strip().lower().replace("-", "_"))
    except ValueError:
        raise InputError(
            said("unknown status '%(value)s'; use one of: %(known)s", value=value, known=", ".join(Status))
        ) from None


def parse_origin(value: str) -> OriginKind:
    """Read an origin kind; FieldError (``originKind``) naming the allowed values."""
    try:
        return OriginKind(value.strip().lower().replace("-", "_"))
    except ValueError:
        raise FieldError(
            "originKind",
            said(
                "unknown origin '%(value)s'; use one of: %(known)s", value=value, known=", ".join(OriginKind)
            ),
        ) from None


def parse_audience(value: str) -> Audience:
    """Read an audience name; FieldError (``audience``) naming the allowed values."""
    try:
        return Audience(value.strip().lower().replace("-", "_"))
    except ValueError:
        raise FieldError(
            "audience",
            said(
                "unknown audience '%(value)s'; use one of: %(known)s", value=value, known=", ".join(Audience)
            ),
        ) from None


IN_FORCE: frozenset[Status] = frozenset({Status.decided, Status.follow_up, Status.closed})
"""The statuses in which a case's latest decision is in force (stepping back to 'options' withdraws it)."""
REASONED: frozenset[tuple[Status, Status]] = frozenset(
    {(Status.decided, Status.options), (Status.closed, Status.follow_up)}
)
"""Moves that need a reason, kept in the case's history: withdrawing a decision, reopening a closed case."""
REASON_MIN = 10


def check_transition(current: Status, new: Status, *, has_options: bool, reason: str = "") -> None:
    """Return when ``current`` → ``new`` is allowed in this state; StateConflictError (409) saying why
    not, InputError when the move needs a reason (:data:`REASONED`) and has none."""
    if new not in ALLOWED[current]:
        raise StateConflictError(
            said(
                "a case in status '%(current)s' cannot move to '%(new)s'; allowed: %(allowed)s",
                current=status_term(current),
                new=status_term(new),
                allowed=status_terms(ALLOWED[current]),
            )
        )
    if new is Status.decided and current is Status.options:
        raise StateConflictError(
            said(
                "only recording a decision (`decide`, with actions:decide) moves a case from 'options' to "
                "'decided'; a withdrawn decision is not restored by a status change"
            )
        )
    if new is Status.options and current is Status.open and not has_options:
        raise StateConflictError(
            said("add at least one option (an instrument of the strategy) before moving to 'options'")
        )
    if (current, new) in REASONED and len(reason.strip()) < REASON_MIN:
        raise InputError(_reason_missing(current, new))


def _reason_missing(current: Status, new: Status) -> Words:
    values = {"current": status_term(current), "new": status_term(new), "least": REASON_MIN}
    if current is Status.decided:
        return said(
            "moving from '%(current)s' to '%(new)s' withdraws the decision: give the reason (at least "
            "%(least)s characters; the reason field, CLI --reason); it is kept in the case's history",
            **values,
        )
    return said(
        "moving from '%(current)s' to '%(new)s' reopens a closed case: give the reason (at least "
        "%(least)s characters; the reason field, CLI --reason); it is kept in the case's history",
        **values,
    )


def decision_in_force(status: Status | str, decisions: Sequence[D]) -> D | None:
    """The decision in force: the latest one (``decisions`` oldest first), and only while the case is
    decided, in follow-up or closed. A case stepped back to 'options' (or 'open') has none: its
    decisions were withdrawn and stay on record."""
    return decisions[-1] if decisions and Status(status) in IN_FORCE else None


def check_decidable(current: Status) -> None:
    """A decision is taken while options are on the table (status ``options``)."""
    if current is not Status.options:
        raise StateConflictError(
            said(
                "a decision is recorded in status 'options', this case is '%(current)s'; add options and "
                "move it to 'options' first",
                current=status_term(current),
            )
        )


OPTION_FIELD = "optionId"
"""The decision's field naming the option taken (the API body's name; the page's form calls it ``option``)."""
REASONING_FIELD = "reasoning"
"""The decision's field with its reasons (the API body's and the page's name)."""


def check_decision(choice: Choice, option_id: int | None, reasoning: str) -> None:
    """To act names an option; either way the decision is reasoned (a short text is not enough). Both
    fields are checked, so one refusal names each wrong one (:class:`~gbvs.errors.FieldErrors`)."""
    checks = FieldChecks()
    checks.read(lambda: check_option_named(choice, option_id))
    checks.read(lambda: check_reasoning(choice, reasoning))
    checks.done()


def check_option_named(choice: Choice, option_id: int | None) -> None:
    """A decision to act names the option taken; else a FieldError on :data:`OPTION_FIELD`."""
    if choice is Choice.act and option_id is None:
        raise FieldError(
            OPTION_FIELD,
            said(
                "a decision to act names the option taken: choose it from the options (--option ID in the "
                "CLI)"
            ),
        )


def check_reasoning(choice: Choice, reasoning: str) -> None:
    """A decision gives its reasons (at least :data:`REASON_MIN` characters); else a FieldError on
    :data:`REASONING_FIELD` saying how many it has."""
    if len(reasoning.strip()) >= REASON_MIN:
        return
    values = {"least": REASON_MIN, "got": len(reasoning.strip())}
    if choice is Choice.act:
        words = said(
            "a decision to act needs its reasoning (at least %(least)s characters; got %(got)s): "
            "say why (the reasoning field, CLI --reasoning)",
            **values,
        )
    else:
        words = said(
            "a decision not to act needs its reasoning (at least %(least)s characters; got %(got)s): "
            "say why (the reasoning field, CLI --reasoning)",
            **values,
        )
    raise FieldError(REASONING_FIELD, words)


@dataclass(frozen=True)
class FollowUp:
    """A follow-up date of a case, with when it was done (None while pending)."""

    due_on: date
    done_on: date | None = None


FOLLOW_UP_YEARS = 10
"""How far ahead a follow-up may be planned (years after today)."""


DUE_FIELD = "dueOn"
"""A follow-up's date field (the API body's name; the page's form calls it ``due_on``)."""


def check_follow_up_date(due_on: date, decided_on: date, today: date) -> None:
    """A follow-up falls on or after the decision in force and at most :data:`FOLLOW_UP_YEARS`
    years after today; a FieldError (:data:`DUE_FIELD`) naming the date and the range otherwise."""
    latest = today.replace(year=today.year + FOLLOW_UP_YEARS, day=28 if today.day == 29 else today.day)
    if not decided_on <= due_on <= latest:
        raise FieldError(
            DUE_FIELD,
            said(
                "follow-up date %(due)s is outside %(decided)s (the decision) to %(latest)s (%(years)s "
                "years ahead); choose a date in that range",
                due=due_on.isoformat(),
                decided=decided_on.isoformat(),
                latest=latest.isoformat(),
                years=FOLLOW_UP_YEARS,
            ),
        )


def is_overdue(follow_up: FollowUp, today: date) -> bool:
    """Pending and past its due date."""
    return follow_up.done_on is None and follow_up.due_on < today


def overdue_days(follow_ups: list[FollowUp], today: date) -> int | None:
    """Days the oldest overdue follow-up is late (None when nothing is overdue)."""
    late = [(today - f.due_on).days for f in follow_ups if is_overdue(f, today)]
    return max(late) if late else None


def alert_reference(run_id: str, gwcode: int) -> str:
    """The reference of a watchlist alert: the forecast run that raised it and the country."""
    return f"{run_id}:{gwcode}"


MAX_NUMBER = 2**31 - 1
"""The largest number a reference carries (a row id or a Gleditsch-Ward code): the largest id an
``Integer`` primary key holds on every backend. The same value as ``gbvs.db.types.MAX_ROW_ID``,
which the core may not import; ``tests/actions/test_workflow.py`` keeps them equal."""


def parse_number(text: str, what: str | Words, field: str = "originRef") -> int:
    """A reference's number: ASCII digits, 1 to :data:`MAX_NUMBER`; FieldError naming ``field``,
    the value and the form expected (``"²"`` is a Unicode digit, not a number here)."""
    if not (text.isascii() and text.isdigit() and len(text) <= len(str(MAX_NUMBER))) or not (
        0 < int(text) <= MAX_NUMBER
    ):
        named = Said(InputError(what)) if isinstance(what, tuple) else what
        raise FieldError(
            field,
            said(
                "%(what)s '%(text)s' is not a number from 1 to %(most)s; give the %(what)s, e.g. 12",
                what=named,
                text=text[:40],
                most=MAX_NUMBER,
            ),
        )
    return int(text)


def parse_alert_reference(reference: str, what: str = "alert", field: str = "originRef") -> tuple[str, int]:
    """``run_id:gwcode`` → (run id, gwcode); FieldError showing the expected form. ``what`` names the
    kind of reference (an alert, or a displacement forecast: its run and origin country)."""
    run_id, _, code = reference.rpartition(":")
    if not run_id:
        raise FieldError(
            field,
            said(
                "%(what)s reference '%(reference)s' is not RUN_ID:GWCODE (e.g. forecast-new:652)",
                what=Term(what),
                reference=reference[:80],
            ),
        )
    code_of = said(
        "Gleditsch-Ward code of %(what)s reference '%(reference)s'", what=Term(what), reference=reference[:80]
    )
    return run_id, parse_number(code, code_of, field)
