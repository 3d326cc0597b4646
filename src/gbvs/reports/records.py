"""The progress report's records: results chain, reported values, periods, snapshots, releases.

Every function takes the caller's session and principal, authorizes first (refusals are kept in
the audit log) and records what it changed. Versioned rows are never changed: an edit adds a row
with the next version, so a frozen snapshot keeps naming the version it used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gbvs.db.audit import authorize_audited, record, refuse
from gbvs.db.models import AuditLog, Outcome
from gbvs.db.report_models import (
    ActionStatus,
    Direction,
    IndicatorLevel,
    IndicatorMethod,
    PeriodStatus,
    PublicationRelease,
    ReportedValue,
    ReportingPeriod,
    ReportSnapshot,
    ResultAction,
    ResultIndicator,
)
from gbvs.errors import InputError, NotFoundError, Refusal, Said, StateConflictError, Term, Words, said
from gbvs.languages import N_
from gbvs.reports.chain import shipped_entries
from gbvs.reports.core.indicators import REGISTRY
from gbvs.reports.core.reported import period_problem, value_problem
from gbvs.reports.release_owners import RELEASE_KIND_NAMES, may_release, owner_of
from gbvs.security.authz import can
from gbvs.security.permissions import Permission
from gbvs.security.principal import Principal

PERIOD_STATUS_NAMES: dict[str, str] = {
    PeriodStatus.open: N_("open period"),
    PeriodStatus.closed: N_("frozen snapshot"),
}
"""A period's status as the pages and the command line name it (message ids; JSON keeps the codes)."""
ACTION_STATUS_NAMES: dict[str, str] = {
    ActionStatus.planned: N_("planned"),
    ActionStatus.ongoing: N_("ongoing"),
    ActionStatus.completed: N_("completed"),
    ActionStatus.stopped: N_("stopped"),
}
"""Where an action stands as the pages name it (message ids; JSON keeps the codes)."""
PERIOD_PATTERN = re.compile(r"^(\d{4})-(\d{4})$")
FIRST_YEAR, LAST_YEAR = 1946, 2100
"""The years a period may span (the panels start in 1946)."""
INDICATOR_FIELDS = (
    "key",
    "version",
    "goal",
    "level",
    "method",
    "definition",
    "name",
    "name_en",
    "unit",
    "direction",
    "baseline_value",
    "baseline_year",
    "target_value",
    "target_year",
    "source",
    "owner_organisation",
    "author",
    "note",
)
ACTION_FIELDS = (
    "key",
    "version",
    "goal",
    "title",
    "title_en",
    "owner_organisation",
    "framework",
    "starts_on",
    "ends_on",
    "status",
    "author",
)


def _plain(row: Any, names: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in names:
        value = getattr(row, name)
        out[name] = value.isoformat() if isinstance(value, date) else getattr(value, "value", value)
    return out


def indicator_dict(row: ResultIndicator) -> dict[str, Any]:
    """One indicator version as plain data (as a snapshot records it)."""
    return _plain(row, INDICATOR_FIELDS)


def action_dict(row: ResultAction) -> dict[str, Any]:
    """One action version as plain data."""
    return _plain(row, ACTION_FIELDS)


# --- results chain --------------------------------------------------------------------------------


def _latest(session: Session, model: Any) -> list[Any]:
    newest = select(model.key, func.max(model.version).label("v")).group_by(model.key).subquery()
    query = select(model).join(newest, (model.key == newest.c.key) & (model.version == newest.c.v))
    return list(session.scalars(query.order_by(model.goal, model.key)))


def _authorize_owner(
    session: Session, principal: Principal, owner: str, action: str, object_type: str, object_id: object
) -> None:
    """A ministry changes its own indicators, actions and values; a coordinator (``reports:approve``) any.

    Refused attempts are kept in the audit log, as :func:`~gbvs.db.audit.authorize_audited` keeps them.
    """
    authorize_audited(session, principal, Permission.reports_write, action, object_type, object_id)
    if may_change_owned(principal, owner):
        return
    refuse(
        session,
        principal,
        action,
        object_type,
        object_id,
        Permission.reports_write,
        said(
            "user %(user)s cannot change %(what)s %(item)s: it belongs to %(owner)s. Ask someone of "
            "%(owner)s or a coordinator (reports:approve) to do it.",
            user=principal.describe(),
            what=Term(object_type.replace("_", " ")),
            item=f"{object_id!s:.80}",
            owner=repr(owner),
        ),
        Refusal.organisation,
    )


def may_change_owned(principal: Principal, owner: str) -> bool:
    """Whether ``principal`` may change an indicator, action or value owned by ministry ``owner``: with
    ``reports:write``, their own ministry's; a coordinator (``reports:approve``) any. The one rule of
    :func:`_authorize_owner` and of the forms the pages offer."""
    if not can(principal, Permission.reports_write):
        return False
    return owner == principal.organisation_code or can(principal, Permission.reports_approve)


def current_indicators(session: Session, principal: Principal) -> list[ResultIndicator]:
    """The latest version of every indicator, by goal."""
    authorize_audited(session, principal, Permission.reports_read, "reports.indicators", "result_indicator")
    return _latest(session, ResultIndicator)


def indicator_history(session: Session, principal: Principal, key: str) -> list[ResultIndicator]:
    """Every version of indicator ``key``, oldest first (NotFoundError when there is none)."""
    authorize_audited(
        session, principal, Permission.reports_read, "reports.indicator", "result_indicator", key
    )
    rows = list(
        session.scalars(select(ResultIndicator).where(ResultIndicator.key == key).order_by("version"))
    )
    if not rows:
        known = ", ".join(sorted(set(session.scalars(select(ResultIndicator.key)))))
        if not known:
            raise NotFoundError(
                said("no indicator %(key)s; known: (none: run `gbvs report seed`)", key=repr(key))
            )
        raise NotFoundError(said("no indicator %(key)s; known: %(known)s", key=repr(key), known=known))
    return rows


def current_actions(session: Session, principal: Principal) -> list[ResultAction]:
    """The latest version of every action, by goal."""
    authorize_audited(session, principal, Permission.reports_read, "reports.actions", "result_action")
    return _latest(session, ResultAction)


def _indicator_from_entry(entry: dict[str, Any], author: str) -> ResultIndicator:
    if entry["method"] == "computed":
        spec = REGISTRY[entry["definition"]]
        names, unit = spec.name, spec.unit
        level, direction, source = spec.level, spec.direction, ", ".join(spec.needs)
    else:
        names, unit = entry["name"], entry["unit"]
        level, direction, source = entry["level"], entry["direction"], f"aangeleverd door {entry['owner']}"
    return ResultIndicator(
        key=entry["key"],
        version=1,
        goal=entry["goal"],
        level=IndicatorLevel(level),
        method=IndicatorMethod(entry["method"]),
        definition=entry.get("definition"),
        name=names["nl"],
        name_en=names["en"],
        unit=unit["nl"],
        direction=Direction(direction),
        baseline_year=entry.get("baseline_year"),
        source=source,
        owner_organisation=entry["owner"],
        author=author,
    )


@dataclass(frozen=True)
class SeedOutcome:
    """What :func:`seed_results_chain` did: indicators added, and shipped names brought up to date."""

    added: list[str]
    renamed: list[str]


def seed_results_chain(session: Session, principal: Principal) -> SeedOutcome:
    """Add the shipped indicators (``data/results_chain.yaml``) that are not there yet.

    An indicator already there whose name nobody changed gets the name this version ships, as a
    new version (a later release may word it better); a name a coordinator set is kept.
    """
    authorize_audited(session, principal, Permission.reports_write, "reports.seed", "result_indicator")
    existing = set(session.scalars(select(ResultIndicator.key)))
    added, renamed = [], []
    for entry in shipped_entries():
        shipped = _indicator_from_entry(entry, principal.username)
        if entry["key"] not in existing:
            session.add(shipped)
            added.append(entry["key"])
        elif _rename_to_shipped(session, principal, shipped):
            renamed.append(entry["key"])
    session.flush()
    record(session, principal, "reports.seed", "result_indicator", None, {"added": added, "renamed": renamed})
    return SeedOutcome(added, renamed)


def _rename_to_shipped(session: Session, principal: Principal, shipped: ResultIndicator) -> bool:
    """Give the indicator the shipped names when every version still has the names it was seeded with."""
    versions = indicator_history(session, principal, shipped.key)
    seeded = {(versions[0].name, versions[0].name_en)}
    if {(v.name, v.name_en) for v in versions} != seeded or seeded == {(shipped.name, shipped.name_en)}:
        return False
    _new_version(session, principal, versions[-1], {"name": shipped.name, "name_en": shipped.name_en})
    return True


CHANGEABLE = ("baseline_value", "baseline_year", "target_value", "target_year", "note", "name", "name_en")


def change_indicator(session: Session, principal: Principal, key: str, **changes: Any) -> ResultIndicator:
    """Add a new version of indicator ``key`` with ``changes`` (only the fields in :data:`CHANGEABLE`).

    Only the indicator's owner organisation and the coordinators may change it.
    """
    authorize_audited(
        session, principal, Permission.reports_write, "reports.indicator.change", "result_indicator", key
    )
    unknown = sorted(set(changes) - set(CHANGEABLE))
    if unknown:
        raise InputError(
            said(
                "indicator field(s) %(fields)s cannot be changed; change: %(changeable)s",
                fields=", ".join(unknown),
                changeable=", ".join(CHANGEABLE),
            )
        )
    previous = indicator_history(session, principal, key)[-1]
    _authorize_owner(
        session, principal, previous.owner_organisation, "reports.indicator.change", "result_indicator", key
    )
    for field, option in (("baseline_value", "--baseline"), ("target_value", "--target")):
        problem = None if changes.get(field) is None else value_problem(changes[field], previous.unit)
        if problem is not None:  # progress measured against an impossible target or baseline
            raise InputError(
                said(
                    "%(option)s of indicator %(key)s: %(problem)s; give one within the unit",
                    option=option,
                    key=key,
                    problem=_in_words(problem),
                )
            )
    return _new_version(session, principal, previous, changes)


def _new_version(
    session: Session, principal: Principal, previous: ResultIndicator, changes: dict[str, Any]
) -> ResultIndicator:
    action = "reports.indicator.change"
    authorize_audited(session, principal, Permission.reports_write, action, "result_indicator", previous.key)
    data = {
        **indicator_dict(previous),
        **changes,
        "version": previous.version + 1,
        "author": principal.username,
    }
    row = ResultIndicator(
        **{
            **data,
            "level": IndicatorLevel(data["level"]),
            "method": IndicatorMethod(data["method"]),
            "direction": Direction(data["direction"]),
        }
    )
    session.add(row)
    session.flush()
    record(
        session,
        principal,
        "reports.indicator.change",
        "result_indicator",
        previous.key,
        {"version": row.version, "changes": {k: str(v) for k, v in changes.items()}},
    )
    return row


@dataclass(frozen=True)
class ActionEntry:
    """An action as the coordinator or a ministry enters it (``key`` names it across versions)."""

    key: str
    goal: int
    title: str
    owner_organisation: str
    starts_on: date
    status: str = "planned"
    framework: str | None = None
    ends_on: date | None = None
    title_en: str = ""


def save_action(session: Session, principal: Principal, entry: ActionEntry) -> ResultAction:
    """Add action ``entry.key`` (version 1) or a new version of it; the framework must be in the strategy."""
    from gbvs.strategy import load_strategy

    authorize_audited(
        session, principal, Permission.reports_write, "reports.action.save", "result_action", entry.key
    )
    strategy = load_strategy()
    strategy.goal(entry.goal)
    if entry.framework is not None:
        strategy.framework(entry.framework)
    if entry.status not in {s.value for s in ActionStatus}:
        raise InputError(
            said(
                "action status %(status)s is unknown; use one of: %(choices)s",
                status=repr(entry.status),
                choices=", ".join(ActionStatus),
            )
        )
    if not entry.title.strip():
        raise InputError(said("an action needs a --title"))
    earlier = session.scalars(
        select(ResultAction).where(ResultAction.key == entry.key).order_by(ResultAction.version.desc())
    ).first()
    for owner in {entry.owner_organisation, *([earlier.owner_organisation] if earlier else [])}:
        _authorize_owner(session, principal, owner, "reports.action.save", "result_action", entry.key)
    previous = earlier.version if earlier is not None else 0
    row = ResultAction(
        key=entry.key,
        version=previous + 1,
        goal=entry.goal,
        title=entry.title.strip(),
        title_en=entry.title_en.strip(),
        owner_organisation=entry.owner_organisation,
        framework=entry.framework,
        starts_on=entry.starts_on,
        ends_on=entry.ends_on,
        status=ActionStatus(entry.status),
        author=principal.username,
    )
    session.add(row)
    session.flush()
    record(session, principal, "reports.action.save", "result_action", entry.key, {"version": row.version})
    return row


@dataclass(frozen=True)
class ValueEntry:
    """A reported value as a ministry enters it."""

    indicator_key: str
    period: str
    value: float
    measured_on: date
    evidence: str
    tlp: str = "clear"
    corrects: int | None = None
    """The id of the value this one corrects (the latest of the same indicator and year)."""
    reason: str = ""
    """Why the earlier value was wrong (needed with ``corrects``; kept in the audit log)."""


CORRECT_ACTION = "reports.value.correct"


def _check_value(entry: ValueEntry, indicator: ResultIndicator, today: date) -> None:
    """InputError naming the value, what is wrong and the fix, when ``entry`` breaks a rule."""
    key = entry.indicator_key
    problem = period_problem(entry.period, today.year)
    if problem:
        raise InputError(said("%(key)s: --period %(problem)s", key=key, problem=_in_words(problem)))
    problem = value_problem(entry.value, indicator.unit)
    if problem:
        raise InputError(
            said(
                "%(key)s: --%(problem)s; enter the value as measured, in %(unit)s",
                key=key,
                problem=_in_words(problem),
                unit=repr(indicator.unit),
            )
        )
    first = date(int(entry.period), 1, 1)
    if not first <= entry.measured_on <= today:
        raise InputError(
            said(
                "%(key)s: --measured-on %(measured)s is not between the start of period %(period)s "
                "(%(first)s) and today (%(today)s); give the day the value was measured",
                key=key,
                measured=entry.measured_on.isoformat(),
                period=entry.period,
                first=first.isoformat(),
                today=today.isoformat(),
            )
        )


def _in_words(problem: Words) -> Said:
    """A problem's words as a value of another message's words (each read in the reader's language)."""
    return Said(InputError(problem))


def _check_correction(session: Session, entry: ValueEntry) -> ReportedValue | None:
    """The value ``entry`` corrects; InputError when it adds a second value without saying it corrects
    the latest one (with a reason), or names another value."""
    latest = session.scalars(
        select(ReportedValue)
        .where(ReportedValue.indicator_key == entry.indicator_key, ReportedValue.period == entry.period)
        .order_by(ReportedValue.id.desc())
    ).first()
    where = f"{entry.indicator_key} {entry.period}"
    if latest is None:
        if entry.corrects is not None:
            raise InputError(
                said(
                    "--corrects %(corrects)s: %(where)s has no value yet; leave out --corrects",
                    corrects=entry.corrects,
                    where=where,
                )
            )
        return None
    if entry.corrects is None:
        raise InputError(
            said(
                "%(where)s already has value %(value)s (value id %(id)s, measured on %(measured)s); "
                "to replace "
                'it, add --corrects %(id)s --reason "why it was wrong" (both values stay stored; the report '
                "uses the correction and says so)",
                where=where,
                value=f"{latest.value:g}",
                id=latest.id,
                measured=latest.measured_on.isoformat(),
            )
        )
    if entry.corrects != latest.id:
        raise InputError(
            said(
                "--corrects %(corrects)s is not the latest value of %(where)s: that is value id %(id)s "
                "(%(value)s); correct the latest value",
                corrects=entry.corrects,
                where=where,
                id=latest.id,
                value=f"{latest.value:g}",
            )
        )
    if not entry.reason.strip():
        raise InputError(
            said(
                "--corrects %(id)s needs --reason: why value %(value)s was wrong",
                id=latest.id,
                value=f"{latest.value:g}",
            )
        )
    return latest


def value_corrections(session: Session, principal: Principal) -> dict[int, dict[str, Any]]:
    """Each correcting value's id with the value it corrects and why (from the audit log, where
    :func:`add_reported_value` keeps the reason)."""
    authorize_audited(session, principal, Permission.reports_read, "reports.values", "reported_value")
    rows = session.scalars(
        select(AuditLog).where(AuditLog.action == CORRECT_ACTION, AuditLog.outcome == Outcome.success)
    )
    return {
        int(row.object_id): {"corrects": row.detail["corrects"], "reason": row.detail["reason"]}
        for row in rows
        if row.object_id is not None
    }


def add_reported_value(session: Session, principal: Principal, entry: ValueEntry) -> ReportedValue:
    """Record a value of a reported indicator (with evidence; the person is the principal).

    The value must meet :mod:`gbvs.reports.core.reported` and be measured between the start of its
    year and today. A second value for the same indicator and year must say which value it corrects
    and why (``corrects``, ``reason``): both stay stored, the report uses the correction and says so.
    """
    authorize_audited(
        session,
        principal,
        Permission.reports_write,
        "reports.value.add",
        "reported_value",
        entry.indicator_key,
    )
    indicator = indicator_history(session, principal, entry.indicator_key)[-1]
    if indicator.method is not IndicatorMethod.reported:
        raise InputError(
            said(
                "indicator %(key)s is computed from data; values are entered only for reported indicators",
                key=repr(entry.indicator_key),
            )
        )
    if not entry.evidence.strip():
        raise InputError(
            said("a reported value needs --evidence: a reference to the document or system it comes from")
        )
    _authorize_owner(
        session,
        principal,
        indicator.owner_organisation,
        "reports.value.add",
        "result_indicator",
        indicator.key,
    )
    _check_value(entry, indicator, date.today())
    corrected = _check_correction(session, entry)
    row = ReportedValue(
        indicator_key=entry.indicator_key,
        period=entry.period,
        value=entry.value,
        measured_on=entry.measured_on,
        evidence=entry.evidence.strip(),
        organisation=principal.organisation_code or indicator.owner_organisation,
        entered_by=principal.username,
        tlp=entry.tlp,
    )
    session.add(row)
    session.flush()
    record(
        session,
        principal,
        "reports.value.add",
        "reported_value",
        row.id,
        {"indicator": entry.indicator_key, "period": entry.period},
    )
    if corrected is not None:
        detail = {"corrects": corrected.id, "reason": entry.reason.strip(), "indicator": entry.indicator_key}
        record(
            session, principal, CORRECT_ACTION, "reported_value", row.id, {**detail, "period": entry.period}
        )
    return row


def reported_values(session: Session, principal: Principal) -> list[ReportedValue]:
    """Every reported value, oldest first."""
    authorize_audited(session, principal, Permission.reports_read, "reports.values", "reported_value")
    return list(session.scalars(select(ReportedValue).order_by(ReportedValue.id)))


def correctable_values(session: Session, principal: Principal, key: str) -> list[ReportedValue]:
    """The value in force of each year of indicator ``key`` (the latest, which a correction names in
    ``corrects``), by year."""
    latest: dict[str, ReportedValue] = {}
    for row in reported_values(session, principal):
        if row.indicator_key == key:
            latest[row.period] = row
    return [latest[year] for year in sorted(latest)]


# --- periods, snapshots, releases --------------------------------------------------------------------


def parse_period(label: str) -> tuple[date, date]:
    """``"2018-2019"`` as its first and last day; InputError with the form otherwise."""
    match = PERIOD_PATTERN.match(label.strip())
    if not match or not FIRST_YEAR <= int(match[1]) <= int(match[2]) <= LAST_YEAR:
        raise InputError(
            said(
                "period %(period)s is not a range of years from %(first)s to %(last)s; "
                "write it as YYYY-YYYY, e.g. 2018-2019",
                period=repr(label),
                first=FIRST_YEAR,
                last=LAST_YEAR,
            )
        )
    return date(int(match[1]), 1, 1), date(int(match[2]), 12, 31)


def period(session: Session, principal: Principal, label: str, *, create: bool = False) -> ReportingPeriod:
    """The period ``label`` (created when ``create`` and absent; else NotFoundError, also for a bad label)."""
    authorize_audited(
        session, principal, Permission.reports_read, "reports.period", "reporting_period", label
    )
    row = session.scalar(select(ReportingPeriod).where(ReportingPeriod.label == label))
    if row is not None:
        return row
    if not create:
        if PERIOD_PATTERN.match(label):
            raise NotFoundError(
                said(
                    "no reporting period %(period)s; `gbvs report build --period ...` creates one",
                    period=repr(label),
                )
            )
        raise NotFoundError(
            said(
                "no reporting period %(period)s; `gbvs report build --period ...` creates one; "
                "periods are written YYYY-YYYY, e.g. 2018-2019",
                period=repr(label),
            )
        )
    start, end = parse_period(label)
    authorize_audited(
        session, principal, Permission.reports_write, "reports.period.create", "reporting_period", label
    )
    row = ReportingPeriod(label=label, starts_on=start, ends_on=end, status=PeriodStatus.open)
    session.add(row)
    session.flush()
    record(session, principal, "reports.period.create", "reporting_period", label)
    return row


def periods(session: Session, principal: Principal) -> list[ReportingPeriod]:
    """All periods, oldest first."""
    authorize_audited(session, principal, Permission.reports_read, "reports.periods", "reporting_period")
    return list(session.scalars(select(ReportingPeriod).order_by(ReportingPeriod.starts_on)))


def not_ended(row: ReportingPeriod) -> bool:
    """Whether period ``row`` has not ended (today is its last day or before): freezing it now is early,
    which needs a reason (:func:`freeze_refusal`)."""
    return date.today() <= row.ends_on


def freeze_refusal(
    session: Session, principal: Principal, row: ReportingPeriod, *, supersede: bool, early: bool
) -> Words | None:
    """Why period ``row`` may not be frozen now (None: it may).

    A frozen period is not frozen again unless the new snapshot supersedes the newest one (an explicit,
    audited correction); a period is not frozen before its last day unless ``early`` (with a reason), and
    not ``early`` after it."""
    latest = latest_snapshot(session, principal, row)
    if latest is not None and not supersede:
        return said(
            "period %(period)s is already frozen: snapshot %(hash)s of %(day)s by %(user)s is the published "
            "report, and it is not replaced silently. To correct it: `gbvs report freeze --period "
            '%(period)s --supersede --reason "what was wrong"` (the new snapshot names the one it replaces '
            "and why; both stay stored)",
            period=row.label,
            hash=latest.content_hash,
            day=f"{latest.created_at:%Y-%m-%d}",
            user=latest.created_by,
        )
    if latest is None and supersede:
        return said(
            "period %(period)s has no frozen snapshot to supersede; freeze it without --supersede",
            period=row.label,
        )
    if not_ended(row) and not early:
        return said(
            "period %(period)s ends on %(end)s: its report is frozen after that day. To freeze it before: "
            '`gbvs report freeze --period %(period)s --early --reason "why now"` (the report says so and '
            "why)",
            period=row.label,
            end=row.ends_on.isoformat(),
        )
    if early and not not_ended(row):  # the report would say "published early" after the period's end
        return said(
            "period %(period)s ended on %(end)s, so freezing it now is not early: leave out --early and its "
            "reason (on the draft page: the plain publish button)",
            period=row.label,
            end=row.ends_on.isoformat(),
        )
    return None


def freeze(
    session: Session, principal: Principal, row: ReportingPeriod, snapshot: dict[str, Any], content_hash: str
) -> ReportSnapshot:
    """Keep ``snapshot`` (inputs and outputs) with its hash and close the period (the coordinator).

    A second snapshot of a period must say in its (hashed) inputs which snapshot it supersedes and why
    (``inputs["freeze"]["supersedes"]``: the newest snapshot's hash and a reason); a snapshot of a period
    that has not ended must say why it is frozen early (``inputs["freeze"]["early"]["reason"]``).
    Otherwise :class:`~gbvs.errors.StateConflictError` names the existing snapshot and the way to correct.
    """
    authorize_audited(
        session, principal, Permission.reports_approve, "reports.freeze", "reporting_period", row.label
    )
    info = snapshot["inputs"].get("freeze") or {}
    supersedes, early = info.get("supersedes") or {}, info.get("early") or {}
    refusal = freeze_refusal(
        session,
        principal,
        row,
        supersede=bool(str(supersedes.get("reason") or "").strip()),
        early=bool(str(early.get("reason") or "").strip()),
    )
    latest = latest_snapshot(session, principal, row)
    if refusal is None and latest is not None and supersedes.get("content_hash") != latest.content_hash:
        refusal = said(
            "the snapshot supersedes %(old)s, but the newest snapshot of %(period)s is %(newest)s; build it "
            "again to supersede the newest",
            old=supersedes.get("content_hash"),
            period=row.label,
            newest=latest.content_hash,
        )
    if refusal is not None:
        raise StateConflictError(refusal)
    frozen = ReportSnapshot(
        period_id=row.id,
        content_hash=content_hash,
        inputs=snapshot["inputs"],
        outputs=snapshot["outputs"],
        created_by=principal.username,
    )
    session.add(frozen)
    if row.status is not PeriodStatus.closed:
        row.status = PeriodStatus.closed
    session.flush()
    record(
        session,
        principal,
        "reports.freeze",
        "reporting_period",
        row.label,
        {"snapshot": frozen.id, "hash": content_hash, **info},
    )
    return frozen


def latest_snapshot(session: Session, principal: Principal, row: ReportingPeriod) -> ReportSnapshot | None:
    """The newest frozen snapshot of a period (None when it was never frozen): the report as published."""
    authorize_audited(
        session, principal, Permission.reports_read, "reports.snapshot", "reporting_period", row.label
    )
    query = (
        select(ReportSnapshot).where(ReportSnapshot.period_id == row.id).order_by(ReportSnapshot.id.desc())
    )
    return session.scalars(query.limit(1)).first()


def snapshots(session: Session, principal: Principal, row: ReportingPeriod) -> list[ReportSnapshot]:
    """Every frozen snapshot of a period, oldest first (a correction supersedes the one before it)."""
    authorize_audited(
        session, principal, Permission.reports_read, "reports.snapshots", "reporting_period", row.label
    )
    query = select(ReportSnapshot).where(ReportSnapshot.period_id == row.id).order_by(ReportSnapshot.id)
    return list(session.scalars(query))


def previous_snapshot(
    session: Session, principal: Principal, row: ReportingPeriod
) -> tuple[str, ReportSnapshot] | None:
    """The newest frozen snapshot of the latest period that ended before ``row`` started (with its label)."""
    earlier = session.scalars(
        select(ReportingPeriod)
        .where(ReportingPeriod.ends_on < row.starts_on)
        .order_by(ReportingPeriod.ends_on.desc())
    )
    for period_row in earlier:
        frozen = latest_snapshot(session, principal, period_row)
        if frozen is not None:
            return period_row.label, frozen
    return None


def release(
    session: Session, principal: Principal, kind: str, item_id: str, reason: str
) -> PublicationRelease:
    """Release an item of the principal's organisation for publication (its coordinator records it).

    Only the owner's coordinator releases a signal, reported value, contribution or threat scenario
    (:func:`~gbvs.reports.release_owners.owner_of`). The OS owner of
    the data folder (a single-user installation, where nobody else could) releases what they can see.
    """
    authorize_audited(session, principal, Permission.reports_approve, "reports.release", kind, item_id)
    if not reason.strip():
        raise InputError(said("a release needs --reason: why the owner agreed to publish this item"))
    owner = owner_of(session, principal, kind, item_id)
    if not may_release(principal, owner):
        refuse(
            session,
            principal,
            "reports.release",
            kind,
            item_id,
            Permission.reports_approve,
            said(
                "user %(user)s cannot release %(kind)s %(item)s: it belongs to '%(owner)s', and only its "
                "owner releases it. Ask a coordinator of '%(owner)s'.",
                user=principal.describe(),
                kind=Term(RELEASE_KIND_NAMES.get(kind, kind)),
                item=item_id,
                owner=owner,
            )
            if owner is not None
            else said(
                "user %(user)s cannot release %(kind)s %(item)s: it belongs to the accounts without an "
                "organisation, and only they release it.",
                user=principal.describe(),
                kind=Term(RELEASE_KIND_NAMES.get(kind, kind)),
                item=item_id,
            ),
            Refusal.organisation,
        )
    existing = session.scalar(
        select(PublicationRelease).where(
            PublicationRelease.kind == kind, PublicationRelease.item_id == item_id
        )
    )
    if existing is not None:
        raise InputError(
            said(
                "%(kind)s %(item)s was already released by %(user)s ('%(reason)s'); a release is recorded "
                "once",
                kind=Term(RELEASE_KIND_NAMES.get(kind, kind)),
                item=item_id,
                user=existing.released_by,
                reason=existing.reason,
            )
        )
    row = PublicationRelease(
        kind=kind,
        item_id=item_id,
        organisation=owner or principal.organisation_code or "-",
        released_by=principal.username,
        reason=reason.strip(),
    )
    session.add(row)
    session.flush()
    record(session, principal, "reports.release", kind, item_id, {"reason": reason.strip()})
    return row


def released(session: Session, principal: Principal) -> frozenset[tuple[str, str]]:
    """``(kind, item_id)`` of every released item."""
    authorize_audited(session, principal, Permission.reports_read, "reports.releases", "publication_release")
    return frozenset((r.kind, r.item_id) for r in session.scalars(select(PublicationRelease)))
