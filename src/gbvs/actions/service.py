"""Early-action cases in the operational database: open from a warning, weigh options, decide, follow up.

Every function takes the acting :class:`~gbvs.security.Principal` and goes through
:func:`gbvs.db.audit.authorize_audited` first. Every change is a new numbered version of the case
(``action_case_version``, with a snapshot) and an audit entry in the same transaction. The caller
owns the transaction (``with session_scope(factory) as session: ...``) and opens the forecasts
file once (``open_forecasts``) when a service needs it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from gbvs.actions import gap, origins, warning
from gbvs.actions.alerts import alerts_of, watched_runs
from gbvs.actions.views import (
    CaseSummary,
    CaseView,
    DecisionView,
    FollowUpView,
    GapReport,
    OptionView,
    VersionView,
)
from gbvs.actions.workflow import (
    AUDIENCE_NAMES,
    OPTION_FIELD,
    REASONING_FIELD,
    Audience,
    Choice,
    FollowUp,
    OriginKind,
    Status,
    check_audience,
    check_decidable,
    check_follow_up_date,
    check_option_named,
    check_reasoning,
    check_transition,
    decision_in_force,
    is_overdue,
    overdue_days,
    status_term,
)
from gbvs.db.action_models import (
    ActionCase,
    ActionCaseCountry,
    ActionCaseGoal,
    ActionCaseVersion,
    ActionDecision,
    ActionFollowUp,
    ActionOption,
)
from gbvs.db.action_queries import action_case_visible_to
from gbvs.db.audit import authorize_audited, note_not_found, record, refuse
from gbvs.db.services.lookup import organisation_by_code
from gbvs.db.sharing import member_group_ids, usable_group_id, usable_names
from gbvs.db.signal_models import SharingGroup, SignalCase
from gbvs.db.types import MAX_ROW_ID, utcnow
from gbvs.errors import (
    FieldChecks,
    FieldError,
    InputError,
    NoForecastRunError,
    NotFoundError,
    Refusal,
    Said,
    Term,
    Words,
    said,
)
from gbvs.forecasting.queries import forecast_runs
from gbvs.forecasting.watchlist import AlertRules
from gbvs.security.authz import can
from gbvs.security.permissions import Permission
from gbvs.security.principal import Principal, Role
from gbvs.signals.markings import Distribution
from gbvs.store.forecasts import ForecastsReader
from gbvs.strategy import load_strategy

TEXT_MAX = 20_000
TITLE_MAX = 300
"""A case title's characters at most (and at least one that is not a space)."""
OBJECT = "action_case"


def today() -> date:
    """Today in UTC (follow-ups are dates)."""
    return datetime.now(UTC).date()


def open_case(
    session: Session,
    principal: Principal,
    *,
    forecasts: ForecastsReader | None,
    rules: AlertRules,
    origin: OriginKind,
    reference: str,
    title: str,
    countries: Sequence[str] = (),
    goals: Sequence[int] = (),
    region: str | None = None,
    description: str = "",
    audience: Audience | None = None,
    sharing_group: str | None = None,
) -> int:
    """Open a case from a warning; the forecast it came from is frozen into the record.

    ``audience`` defaults to every reader, and for a case from a signal case to that case's sharing
    group (or the own organisation); the signal case's need-to-know applies on top in any case.
    """
    authorize_audited(session, principal, Permission.actions_write, "actions.open", OBJECT)
    strategy = load_strategy()
    checks = FieldChecks()  # every field checked, so one refusal names each wrong one
    checks.read(lambda: _check_title(title))
    checks.read(lambda: _check_text("description", description))
    goal_numbers = checks.read(lambda: sorted({_known("goals", strategy.goal, int(n)).number for n in goals}))
    chosen_region = checks.read(lambda: _known("region", strategy.region, region).id if region else None)
    if audience is not None:  # else the default (:func:`_audience`) fits the sharing group
        wanted = audience
        checks.read(lambda: check_audience(wanted, sharing_group))
    found = checks.read(
        lambda: origins.resolve(session, principal, forecasts, rules, origin, reference, countries)
    )
    checks.done()
    assert found is not None and goal_numbers is not None  # else checks.done() refused
    signal_case = session.get(SignalCase, int(found.reference)) if origin is OriginKind.signal_case else None
    audience, sharing_group = _audience(session, principal, audience, sharing_group, signal_case)
    codes = origins.gwcodes(found.iso3)
    region_id = chosen_region or _first_region(strategy, found.iso3)
    case = ActionCase(
        title=title.strip(),
        status=Status.open.value,
        origin_kind=origin.value,
        origin_ref=found.reference,
        region=region_id,
        description=description,
        owner_organisation_id=_organisation_id(session, principal),
        distribution=audience.value,
        sharing_group_id=usable_group_id(session, principal, sharing_group),
        signal_case_id=signal_case.id if signal_case else None,
        opened_by=principal.username[:64],
        warning=_frozen(forecasts, rules, found, _warned_codes(found, codes)),
        outcome="",
        version=1,
    )
    case.countries = [ActionCaseCountry(iso3=iso3, gwcode=code) for iso3, code in codes.items()]
    case.goals = [ActionCaseGoal(goal=number) for number in goal_numbers]
    session.add(case)
    session.flush()
    _snapshot(session, case, "opened", principal)
    detail = {"origin": origin.value, "ref": found.reference, "audience": audience.value}
    record(session, principal, "actions.open", OBJECT, case.id, detail)
    return case.id


def _audience(
    session: Session,
    principal: Principal,
    audience: Audience | None,
    sharing_group: str | None,
    signal_case: SignalCase | None,
) -> tuple[Audience, str | None]:
    """The audience asked for, or the default (see :func:`open_case`), checked.

    From a signal case: its sharing group when that is its distribution and the opener's organisation
    is in the group (one shares only with one's own groups), else the opener's organisation.
    """
    if audience is None and signal_case is not None and sharing_group is None:
        group = (
            session.scalar(
                select(SharingGroup.name).where(
                    SharingGroup.id == signal_case.sharing_group_id,
                    SharingGroup.id.in_(member_group_ids(principal)),
                )
            )
            if signal_case.distribution is Distribution.sharing_group
            else None
        )
        audience = Audience.sharing_group if group else Audience.organisation
        sharing_group = group
    elif audience is None:
        audience = Audience.sharing_group if sharing_group else Audience.all_organisations
    check_audience(audience, sharing_group)
    return audience, sharing_group


def sharing_group_names(session: Session, principal: Principal) -> list[str]:
    """The sharing groups a case can be shared with (for the choice on the form)."""
    authorize_audited(session, principal, Permission.actions_write, "actions.sharing_groups", OBJECT)
    return usable_names(session, principal)


def _frozen(
    forecasts: ForecastsReader | None, rules: AlertRules, found: origins.Origin, codes: list[int]
) -> dict[str, Any]:
    if forecasts is None:
        return warning.no_forecast()
    runs = forecast_runs(forecasts)
    if found.alert is not None:
        runs = [run for run in runs if run.run_id == found.alert.run_id]
    frozen = warning.freeze(forecasts, runs[0], codes, rules, found.alert) if runs else warning.no_forecast()
    if found.displacement is not None:
        made = found.displacement
        frozen["displacement"] = warning.freeze_displacement(made.run, made.gwcode, made.rows)
    return frozen


def _warned_codes(found: origins.Origin, codes: dict[str, int | None]) -> list[int]:
    """The alert's own state first (also one without an ISO3 code), then the other countries."""
    own = [found.alert.gwcode] if found.alert else []
    own += [found.displacement.gwcode] if found.displacement else []
    return list(dict.fromkeys(own + [code for code in codes.values() if code is not None]))


def _known(field: str, look_up: Callable[[Any], Any], value: object) -> Any:
    """The strategy item ``look_up(value)`` named in the request; FieldError naming ``field`` when
    there is none."""
    try:
        return look_up(value)
    except NotFoundError as unknown:
        raise FieldError(field, said("%(label)s: %(refusal)s", label=field, refusal=Said(unknown))) from None


def _first_region(strategy: Any, iso3_codes: Sequence[str]) -> str | None:
    for iso3 in iso3_codes:
        try:
            regions = strategy.regions_for_country(iso3)
        except NotFoundError:
            continue
        plain = [r.id for r in regions if not r.parts] or [r.id for r in regions]
        if plain:
            return str(plain[0])
    return None


def _organisation_id(session: Session, principal: Principal) -> int | None:
    code = principal.organisation_code
    return organisation_by_code(session, code).id if code else None


def add_option(
    session: Session, principal: Principal, case_id: int, *, instrument: str, description: str
) -> int:
    """Add an option with an instrument of the strategy (while the case is open or weighing options)."""
    authorize_audited(session, principal, Permission.actions_write, "actions.option", OBJECT, case_id)
    case = _own_case(session, principal, case_id, "actions.option", Permission.actions_write)
    if case.status not in (Status.open, Status.options):
        raise InputError(
            said(
                "options are added while a case is 'open' or 'options'; case %(case)s is '%(status)s' "
                "(move it back to 'options' to reopen the decision)",
                case=case_id,
                status=status_term(case.status),
            )
        )
    checks = FieldChecks()  # both fields checked, so one refusal names each wrong one
    checks.read(lambda: _check_text("description", description, required=True))
    chosen = checks.read(lambda: _known("instrument", load_strategy().instrument, instrument.strip()).id)
    checks.done()
    assert chosen is not None  # else checks.done() refused
    option = ActionOption(instrument=chosen, description=description, added_by=principal.username[:64])
    case.options.append(option)
    session.flush()
    _change(session, principal, case, "option_added", {"option": option.id, "instrument": chosen})
    return option.id


def move(
    session: Session,
    principal: Principal,
    case_id: int,
    status: Status,
    *,
    outcome: str = "",
    reason: str = "",
) -> None:
    """Move a case to ``status`` (see :data:`gbvs.actions.workflow.ALLOWED`); closing records the
    outcome. Withdrawing the decision (decided → options) and reopening a closed case need a
    ``reason``, kept in the version's snapshot and the audit entry; only :func:`decide` reaches
    'decided' from 'options'."""
    authorize_audited(session, principal, Permission.actions_write, "actions.status", OBJECT, case_id)
    case = _own_case(session, principal, case_id, "actions.status", Permission.actions_write)
    current = Status(case.status)
    _check_text("reason", reason)
    check_transition(current, status, has_options=bool(case.options), reason=reason)
    _check_text("outcome", outcome)
    if outcome.strip() and status is not Status.closed:
        raise InputError(
            said(
                "an outcome is recorded when closing a case, not when moving it to '%(status)s'; leave the "
                "outcome out (the earlier outcome stays in the case's history)",
                status=status_term(status),
            )
        )
    if status is Status.closed and not (outcome.strip() or case.outcome.strip()):
        raise InputError(
            said(
                "closing a case records its outcome: say what came of it (the outcome field; CLI: --outcome)"
            )
        )
    if outcome.strip():
        case.outcome = outcome.strip()
    case.status = status.value
    detail = {"from": current.value, "to": status.value} | (
        {"reason": reason.strip()} if reason.strip() else {}
    )
    _change(session, principal, case, f"status_{status.value}", detail)


def decide(
    session: Session,
    principal: Principal,
    case_id: int,
    *,
    choice: Choice,
    option_id: int | None = None,
    reasoning: str = "",
) -> int:
    """Record the decision (who, when, which option, or a reasoned decision not to act)."""
    authorize_audited(session, principal, Permission.actions_decide, "actions.decide", OBJECT, case_id)
    case = _own_case(session, principal, case_id, "actions.decide", Permission.actions_decide)
    check_decidable(Status(case.status))
    checks = FieldChecks()  # every field checked, so one refusal names each wrong one
    checks.read(lambda: check_option_named(choice, option_id))
    checks.read(lambda: _check_option_of(case, option_id))
    checks.read(lambda: check_reasoning(choice, reasoning))
    checks.read(lambda: _check_text(REASONING_FIELD, reasoning))
    checks.done()
    decision = ActionDecision(
        choice=choice.value,
        option_id=option_id if choice is Choice.act else None,
        reasoning=reasoning.strip(),
        decided_by=principal.username[:64],
    )
    case.decisions.append(decision)
    case.status = Status.decided.value
    session.flush()
    _change(session, principal, case, "decided", {"decision": decision.id, "choice": choice.value})
    return decision.id


def _check_option_of(case: ActionCase, option_id: int | None) -> None:
    """The option taken is one of the case's own; else a FieldError on :data:`OPTION_FIELD` naming it."""
    if option_id is not None and option_id not in {o.id for o in case.options}:
        raise FieldError(
            OPTION_FIELD,
            said(
                "option %(option)s is not an option of case %(case)s; see `gbvs actions show %(case)s`",
                option=option_id,
                case=case.id,
            ),
        )


def add_follow_up(
    session: Session, principal: Principal, case_id: int, *, due_on: date, note: str = ""
) -> int:
    """Plan a follow-up date (after the decision)."""
    authorize_audited(session, principal, Permission.actions_write, "actions.follow_up", OBJECT, case_id)
    case = _own_case(session, principal, case_id, "actions.follow_up", Permission.actions_write)
    decision = decision_in_force(case.status, case.decisions)
    if case.status not in (Status.decided, Status.follow_up) or decision is None:
        raise InputError(
            said(
                "follow-ups are planned after the decision; case %(case)s is '%(status)s'",
                case=case_id,
                status=status_term(case.status),
            )
        )
    checks = FieldChecks()  # both fields checked, so one refusal names each wrong one
    checks.read(lambda: check_follow_up_date(due_on, decision.decided_at.date(), today()))
    checks.read(lambda: _check_text("note", note))
    checks.done()
    item = ActionFollowUp(due_on=due_on, note=note, added_by=principal.username[:64])
    case.follow_ups.append(item)
    session.flush()
    _change(session, principal, case, "follow_up_added", {"follow_up": item.id, "due_on": due_on.isoformat()})
    return item.id


def complete_follow_up(session: Session, principal: Principal, case_id: int, follow_up_id: int) -> None:
    """Mark a follow-up as done today."""
    authorize_audited(session, principal, Permission.actions_write, "actions.follow_up_done", OBJECT, case_id)
    case = _own_case(session, principal, case_id, "actions.follow_up_done", Permission.actions_write)
    item = next((f for f in case.follow_ups if f.id == follow_up_id), None)
    if item is None:
        raise NotFoundError(
            said("follow-up %(item)s is not part of case %(case)s", item=follow_up_id, case=case_id)
        )
    if item.done_on is not None:
        raise InputError(
            said(
                "follow-up %(item)s was already done on %(day)s",
                item=follow_up_id,
                day=item.done_on.isoformat(),
            )
        )
    item.done_on, item.done_by = today(), principal.username[:64]
    _change(session, principal, case, "follow_up_done", {"follow_up": follow_up_id})


def share(
    session: Session, principal: Principal, case_id: int, audience: Audience, sharing_group: str | None = None
) -> bool:
    """Change who may read a case: those who work on it (:func:`works_on`, as ``mayChange`` says; its
    opener only while they do, so not after moving to another organisation); a case from a signal case
    stays under that signal case's need-to-know whatever its audience. Returns whether ``principal``
    may still read the case: an admin without an organisation may give a case without an owning
    organisation an audience she is not in (then the case must not be shown to her again)."""
    authorize_audited(session, principal, Permission.actions_write, "actions.share", OBJECT, case_id)
    case = _own_case(session, principal, case_id, "actions.share", Permission.actions_write)
    check_audience(audience, sharing_group)
    before = (case.distribution, case.sharing_group.name if case.sharing_group else None)
    if before == (audience.value, sharing_group):
        raise InputError(
            said(
                "early-action case %(case)s already has the readers '%(audience)s'",
                case=case_id,
                audience=Term(AUDIENCE_NAMES[audience]),
            )
        )
    group_id = usable_group_id(session, principal, sharing_group)
    case.distribution = audience.value
    case.sharing_group = session.get(SharingGroup, group_id) if group_id else None
    session.flush()
    detail = {"from": before[0], "to": audience.value, "group": sharing_group}
    _change(session, principal, case, "shared", detail)
    return _readable(session, principal, case_id)


def list_cases(
    session: Session, principal: Principal, *, status: Status | None = None, on: date | None = None
) -> list[CaseSummary]:
    """Cases, newest first (optionally one status), with overdue follow-ups flagged."""
    authorize_audited(session, principal, Permission.actions_read, "actions.list", OBJECT)
    query = (
        select(ActionCase)
        .where(action_case_visible_to(principal))
        .options(selectinload(ActionCase.countries), selectinload(ActionCase.follow_ups))
    )
    if status is not None:
        query = query.where(ActionCase.status == status.value)
    rows = session.scalars(query.order_by(ActionCase.opened_at.desc(), ActionCase.id.desc())).all()
    return [_summary(row, on or today(), principal) for row in rows]


def get_case(session: Session, principal: Principal, case_id: int, *, on: date | None = None) -> CaseView:
    """One case in full (the read is audited)."""
    authorize_audited(session, principal, Permission.actions_read, "actions.read", OBJECT, case_id)
    case = _case(session, principal, case_id, audit_as="actions.read")
    record(session, principal, "actions.read", OBJECT, case_id)
    when = on or today()
    in_force = decision_in_force(case.status, case.decisions)
    return CaseView(
        summary=_summary(case, when, principal),
        description=case.description,
        owner=case.owner.code if case.owner else None,
        audience=case.distribution,
        sharing_group=case.sharing_group.name if case.sharing_group else None,
        goals=tuple(sorted(g.goal for g in case.goals)),
        warning=case.warning,
        options=tuple(
            OptionView(o.id, o.instrument, o.description, o.added_by, o.added_at) for o in case.options
        ),
        decisions=tuple(
            DecisionView(d.id, d.choice, d.option_id, d.reasoning, d.decided_by, d.decided_at, d is in_force)
            for d in case.decisions
        ),
        follow_ups=tuple(_follow_up(f, when) for f in case.follow_ups),
        outcome=case.outcome,
        updated_at=case.updated_at,
    )


def case_history(session: Session, principal: Principal, case_id: int) -> list[VersionView]:
    """Every version of a case, oldest first."""
    authorize_audited(session, principal, Permission.actions_read, "actions.history", OBJECT, case_id)
    _case(session, principal, case_id, audit_as="actions.history")
    rows = session.scalars(
        select(ActionCaseVersion)
        .where(ActionCaseVersion.case_id == case_id)
        .order_by(ActionCaseVersion.version)
    ).all()
    return [VersionView(r.version, r.status, r.change, r.changed_by, r.changed_at, r.snapshot) for r in rows]


def gap_report(
    session: Session,
    principal: Principal,
    forecasts: ForecastsReader | None,
    rules: AlertRules,
    *,
    outcomes: dict[tuple[int, int], bool] | None = None,
) -> GapReport:
    """Every alert since the first stored forecast run, whether a case answered it and how fast."""
    authorize_audited(session, principal, Permission.actions_read, "actions.gap", OBJECT)
    if forecasts is None:
        raise NoForecastRunError(said("no forecasts file; run `gbvs forecast` to have alerts to respond to"))
    watched = watched_runs(forecasts, rules)
    runs = [run for run, _ in watched]
    rows = gap.gap_rows(alerts_of(watched, rules), _case_facts(session, principal), outcomes)
    notes = (
        []
        if len(runs) > 1
        else [
            f"Alerts need two forecast runs of the watchlist's target ({rules.target}, {rules.horizon} "
            f"year ahead); there {'is' if len(runs) == 1 else 'are'} {len(runs)}: the first has nothing "
            "to compare with."
        ]
    )
    first = runs[0].created_at if runs else None
    return GapReport(rows, gap.by_region(rows), len(runs), first, notes, tuple(runs), rules)


def _case_facts(session: Session, principal: Principal) -> list[gap.CaseFacts]:
    """The cases the principal may read: an alert answered only by a case outside their need-to-know
    counts as unanswered for them (nothing of that case shows, not even that it exists)."""
    rows = session.scalars(
        select(ActionCase)
        .where(action_case_visible_to(principal))
        .options(selectinload(ActionCase.countries), selectinload(ActionCase.decisions))
    ).all()
    return [case_facts(row) for row in rows]


def case_facts(case: ActionCase) -> gap.CaseFacts:
    """What the gap needs of a case (its countries and decisions loaded): origin, countries, when it
    was opened and when the decision in force was taken. The one place that says which decision counts,
    for the gap page and for the progress report's aggregate (:mod:`gbvs.reports.process_reads`)."""
    return gap.CaseFacts(
        id=case.id,
        origin_kind=OriginKind(case.origin_kind),
        origin_ref=case.origin_ref,
        opened_at=case.opened_at,
        gwcodes=frozenset(c.gwcode for c in case.countries if c.gwcode is not None),
        decided_at=_decided_at(case),
    )


def _decided_at(case: ActionCase) -> datetime | None:
    """When the decision in force was taken (None when the case has none in force: never decided, or
    stepped back out of 'decided', which withdraws the decision)."""
    found = decision_in_force(case.status, case.decisions)
    return found.decided_at if found else None


def _readable(session: Session, principal: Principal, case_id: int) -> bool:
    """Whether ``principal`` may read case ``case_id`` as it is now stored (need-to-know)."""
    visible = select(ActionCase.id).where(ActionCase.id == case_id, action_case_visible_to(principal))
    return session.scalar(visible) is not None


def _case(session: Session, principal: Principal, case_id: int, *, audit_as: str | None = None) -> ActionCase:
    """The case if the principal may read it; else "not found" (the same whether it exists or not),
    kept in the audit log for reads (``audit_as``)."""
    found = (
        None
        if not 0 < case_id <= MAX_ROW_ID
        else session.scalar(
            select(ActionCase)
            .where(ActionCase.id == case_id, action_case_visible_to(principal))
            .options(
                selectinload(ActionCase.countries),
                selectinload(ActionCase.goals),
                selectinload(ActionCase.options),
                selectinload(ActionCase.decisions),
                selectinload(ActionCase.follow_ups),
                selectinload(ActionCase.owner),
                selectinload(ActionCase.sharing_group),
            )
        )
    )
    if found is None:
        if audit_as is not None and 0 < case_id <= MAX_ROW_ID:
            note_not_found(session, principal, audit_as, OBJECT, case_id)
        raise NotFoundError(
            said(
                "early-action case %(case)s does not exist or is not shared with you; `gbvs actions list` "
                "shows the cases you may read",
                case=case_id,
            )
        )
    return found


def works_on(principal: Principal, owner_organisation_id: int | None, opened_by: str) -> bool:
    """Whether ``principal`` may change a case (options, status, follow-ups, and with
    ``actions:decide`` the decision): reading it is not enough. A case is worked on by its owning
    organisation. One without an owning organisation belongs, as other objects without one do
    (:func:`gbvs.security.authz.owner_to_check`), to the accounts without an organisation (its opener
    among them, and the local user of a laptop in single-user mode) and to admins, who act for every
    organisation; the OS owner of the data folder works on every case (they hold the files). Sharing
    a case (its audience) gives others read access only."""
    if principal.is_os_owner or (principal.role is Role.admin and owner_organisation_id is None):
        return True
    if owner_organisation_id is not None:
        return owner_organisation_id == principal.organisation_id
    return principal.is_local or principal.organisation_id is None or opened_by == principal.username[:64]


def may_change(principal: Principal, case: ActionCase) -> bool:
    """Whether ``principal`` may change ``case`` (options, status, follow-ups, its audience): they hold
    ``actions:write`` and work on it (:func:`works_on`). What the case's state allows on top is the
    workflow's (:mod:`gbvs.actions.workflow`). The one rule for the page's forms and the API's
    ``mayChange``; the changing services refuse by the same two checks."""
    return can(principal, Permission.actions_write) and works_on(
        principal, case.owner_organisation_id, case.opened_by
    )


def may_decide(principal: Principal, case: ActionCase) -> bool:
    """Whether ``principal`` may record the decision on ``case``: ``actions:decide`` (coordinators,
    admins) and working on it (:func:`works_on`); the page's decision form and the API's ``mayDecide``."""
    return can(principal, Permission.actions_decide) and works_on(
        principal, case.owner_organisation_id, case.opened_by
    )


def _own_case(
    session: Session, principal: Principal, case_id: int, action: str, permission: Permission
) -> ActionCase:
    """The case if the principal may read it (else "not found") and may change it (else a refusal,
    kept in the audit log as ``denied``)."""
    case = _case(session, principal, case_id)
    if not works_on(principal, case.owner_organisation_id, case.opened_by):
        decides = permission is Permission.actions_decide
        why = _not_yours(case, principal, decides)
        refuse(session, principal, action, OBJECT, case_id, permission, why, Refusal.organisation)
    return case


def _not_yours(case: ActionCase, principal: Principal, decides: bool) -> Words:
    """Why ``principal`` may read ``case`` but not change it (or decide on it)."""
    values = {"case": case.id, "user": principal.named()}
    if case.owner and decides:
        return said(
            "early-action case %(case)s is decided by its organisation (%(owner)s), not by %(user)s; you "
            "may read it because it is shared with you",
            owner=case.owner.code,
            **values,
        )
    if case.owner:
        return said(
            "early-action case %(case)s is changed by its organisation (%(owner)s), not by %(user)s; you "
            "may read it because it is shared with you",
            owner=case.owner.code,
            **values,
        )
    if decides:
        return said(
            "early-action case %(case)s is decided by accounts without an organisation (its opener "
            "%(opener)s) and admins, not by %(user)s; you may read it because it is shared with you",
            opener=case.opened_by,
            **values,
        )
    return said(
        "early-action case %(case)s is changed by accounts without an organisation (its opener "
        "%(opener)s) and admins, not by %(user)s; you may read it because it is shared with you",
        opener=case.opened_by,
        **values,
    )


def _summary(case: ActionCase, on: date, principal: Principal) -> CaseSummary:
    follow_ups = [FollowUp(f.due_on, f.done_on) for f in case.follow_ups]
    pending = sorted(f.due_on for f in follow_ups if f.done_on is None)
    return CaseSummary(
        id=case.id,
        title=case.title,
        status=case.status,
        origin_kind=case.origin_kind,
        origin_ref=case.origin_ref,
        region=case.region,
        countries=tuple(sorted(c.iso3 for c in case.countries)),
        opened_by=case.opened_by,
        opened_at=case.opened_at,
        version=case.version,
        overdue_days=overdue_days(follow_ups, on) if case.status != Status.closed else None,
        next_follow_up=pending[0] if pending else None,
        may_change=may_change(principal, case),
        may_decide=may_decide(principal, case),
    )


def _follow_up(item: ActionFollowUp, on: date) -> FollowUpView:
    overdue = is_overdue(FollowUp(item.due_on, item.done_on), on)
    return FollowUpView(item.id, item.due_on, item.note, item.done_on, item.done_by, overdue)


def _change(
    session: Session, principal: Principal, case: ActionCase, change: str, detail: dict[str, Any]
) -> None:
    case.version += 1
    case.updated_at = utcnow()
    session.flush()
    _snapshot(session, case, change, principal, reason=str(detail.get("reason", "")))
    record(session, principal, f"actions.{change}", OBJECT, case.id, {"version": case.version, **detail})


def _snapshot(
    session: Session, case: ActionCase, change: str, principal: Principal, reason: str = ""
) -> None:
    state: dict[str, Any] = {
        "title": case.title,
        "status": case.status,
        "region": case.region,
        "countries": sorted(c.iso3 for c in case.countries),
        "goals": sorted(g.goal for g in case.goals),
        "options": [
            {"id": o.id, "instrument": o.instrument, "description": o.description} for o in case.options
        ],
        "decisions": [
            {
                "id": d.id,
                "choice": d.choice,
                "option_id": d.option_id,
                "reasoning": d.reasoning,
                "by": d.decided_by,
            }
            for d in case.decisions
        ],
        "follow_ups": [
            {
                "id": f.id,
                "due_on": f.due_on.isoformat(),
                "done_on": f.done_on.isoformat() if f.done_on else None,
            }
            for f in case.follow_ups
        ],
        "outcome": case.outcome,
        "audience": case.distribution,
        "sharing_group": case.sharing_group.name if case.sharing_group else None,
    }
    if reason:
        state["reason"] = reason
    session.add(
        ActionCaseVersion(
            case_id=case.id,
            version=case.version,
            status=case.status,
            change=change,
            changed_by=principal.username[:64],
            snapshot=state,
        )
    )
    session.flush()


def _check_title(title: str) -> None:
    """A case's title: 1 to :data:`TITLE_MAX` characters, not only spaces; else a FieldError on ``title``."""
    if not title.strip() or len(title) > TITLE_MAX:
        raise FieldError(
            "title",
            said(
                "an early-action case needs a title of 1-%(most)s characters, not only spaces (got %(got)s)",
                most=TITLE_MAX,
                got=len(title.strip()),
            ),
        )


def _check_text(name: str, value: str, *, required: bool = False) -> None:
    """A text field (``name``, as the API body names it) that may be required and is at most
    :data:`TEXT_MAX` characters; else a FieldError naming it."""
    if required and not value.strip():
        raise FieldError(name, said("give a %(field)s; it cannot be empty", field=Term(name)))
    if len(value) > TEXT_MAX:
        raise FieldError(
            name,
            said(
                "%(field)s has %(count)s characters; the limit is %(most)s",
                field=Term(name),
                count=format(len(value), ","),
                most=format(TEXT_MAX, ","),
            ),
        )
