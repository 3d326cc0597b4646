"""Joint interpretation: cases that group signals, and each organisation's assessments side by side.

- A case has its own TLP marking and distribution; readers see a case by the same need-to-know rule
  as a signal, and within it only the member signals they may see themselves.
- An assessment belongs to one organisation and judges a signal or a case (estimative likelihood,
  confidence, and for cyber operations an attribution). Nothing is overwritten: a new judgement is a
  new version that supersedes the organisation's previous one, so dissent and history stay visible.
- A joint position is an assessment marked as agreed, naming the organisations that agreed.
- A case names the strategy goals it concerns (``case_goal``; the goals live in :mod:`gbvs.strategy`);
  cases made before migration 0017 have none until their owner gives them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session, selectinload

from gbvs.countries import iso3_typed
from gbvs.db.audit import authorize_audited, record, record_not_found
from gbvs.db.paging import page_problem
from gbvs.db.services.lookup import organisation_by_code
from gbvs.db.services.signals import SignalSummary, current_assessments, summary_of
from gbvs.db.sharing import addressable_user_ids, usable_group_id
from gbvs.db.signal_models import Assessment, CaseGoal, CaseRecipient, CaseSignal, Signal, SignalCase
from gbvs.db.signal_queries import case_visible_to, visible_to
from gbvs.errors import FieldChecks, FieldError, InputError, NotFoundError, each_field_error, said
from gbvs.security.permissions import Permission
from gbvs.security.principal import Principal
from gbvs.signals import vocabularies
from gbvs.signals.assessment import (
    CONFIDENCE,
    EVIDENCE,
    JUDGEMENT,
    LIKELIHOOD,
    SPONSOR_STATE,
    SUSPECTED_ACTOR,
    AssessmentInput,
)
from gbvs.signals.markings import Distribution, Tlp, check_consistent, check_group
from gbvs.strategy import load_strategy

TEXT_MAX = 20_000
ACTOR_MAX = 200
AGREED_FIELD = "agreedBy"
"""The field naming the organisations that agreed to a joint position (API, form)."""
T = TypeVar("T")


@dataclass(frozen=True)
class AssessmentView:
    """One version of an organisation's assessment."""

    id: int
    organisation: str
    author: str
    version: int
    judgement: str
    likelihood: str
    likelihood_range: str
    confidence: str
    suspected_actor: str | None
    sponsor_state: str | None
    evidence: str
    is_joint_position: bool
    agreed_by: tuple[str, ...]
    created_at: datetime


@dataclass(frozen=True)
class CaseView:
    """A case as one reader sees it: the members they may see (others are not counted), and the
    current assessment of each organisation side by side."""

    id: int
    title: str
    description: str
    owner: str
    tlp: str
    signals: tuple[SignalSummary, ...]
    assessments: tuple[AssessmentView, ...]
    joint_position: AssessmentView | None
    goals: tuple[int, ...] = ()


def _own(principal: Principal) -> str:
    if principal.organisation_code is None:
        raise InputError(
            said("user %(user)s belongs to no organisation; ask an admin to set one", user=principal.named())
        )
    return principal.organisation_code


def _visible_signal(
    session: Session, principal: Principal, signal_id: int, audit_as: str | None = None
) -> Signal:
    found = session.scalar(select(Signal).where(Signal.id == signal_id, visible_to(principal)))
    if found is None:
        if audit_as is not None:
            record_not_found(session, principal, audit_as, "signal", signal_id)
        raise NotFoundError(
            said(
                "signal %(signal)s does not exist or is not shared with you; "
                "`gbvs signals list` shows the signals you may read",
                signal=signal_id,
            )
        )
    return found


def _visible_case(
    session: Session, principal: Principal, case_id: int, audit_as: str | None = None
) -> SignalCase:
    found = session.scalar(
        select(SignalCase)
        .where(SignalCase.id == case_id, case_visible_to(principal))
        .options(
            selectinload(SignalCase.owner), selectinload(SignalCase.members), selectinload(SignalCase.goals)
        )
    )
    if found is None:
        if audit_as is not None:
            record_not_found(session, principal, audit_as, "case", case_id)
        raise NotFoundError(
            said(
                "case %(case)s does not exist or is not shared with you; "
                "`gbvs cases list` shows the cases you may read",
                case=case_id,
            )
        )
    return found


def create_case(
    session: Session,
    principal: Principal,
    *,
    title: str,
    signal_ids: Sequence[int],
    tlp: Tlp,
    distribution: Distribution,
    description: str = "",
    sharing_group: str | None = None,
    recipients: Sequence[str] = (),
    goals: Sequence[int | str] = (),
) -> int:
    """A new case of the principal's organisation grouping signals they may see, with the strategy
    goals it concerns."""
    own = _own(principal)
    authorize_audited(session, principal, Permission.signals_write, "cases.create", "case", organisation=own)
    check_case_title(title)
    check_consistent(tlp, distribution, len(recipients))
    goal_numbers = strategy_goals(goals)
    members = [_visible_signal(session, principal, signal_id).id for signal_id in dict.fromkeys(signal_ids)]
    check_group(distribution, sharing_group is not None)
    group_id = usable_group_id(session, principal, sharing_group)
    case = SignalCase(
        title=title.strip(),
        description=description,
        owner_organisation_id=organisation_by_code(session, own).id,
        author_id=principal.user_id,
        tlp=tlp,
        distribution=distribution,
        sharing_group_id=group_id,
    )
    case.members = [CaseSignal(signal_id=signal_id) for signal_id in members]
    case.goals = [CaseGoal(goal=number) for number in goal_numbers]
    case.recipients = [
        CaseRecipient(user_id=user_id) for user_id in addressable_user_ids(session, principal, recipients)
    ]
    session.add(case)
    session.flush()
    detail = {"signals": members, "tlp": tlp.value, "goals": goal_numbers}
    record(session, principal, "cases.create", "case", case.id, detail)
    return case.id


def check_case_title(title: str) -> None:
    """A case's title: 1-300 characters; else a FieldError naming ``title``."""
    if not title.strip() or len(title) > 300:
        raise FieldError("title", said("a case needs a title of 1-300 characters"))


def strategy_goals(goals: Sequence[int | str], field: str = "goals") -> list[int]:
    """The numbers of the strategy goals named, sorted and once each; a number that is no goal of the
    strategy is a FieldError (``field``) naming it and the goals there are."""
    strategy = load_strategy()
    numbers = []
    for goal in goals:
        try:
            numbers.append(strategy.goal(int(str(goal).strip())).number)
        except (NotFoundError, ValueError):
            valid = ", ".join(str(known.number) for known in strategy.goals)
            wrong = str(goal)[:20]
            raise FieldError(
                field,
                said(
                    "goal '%(goal)s' is no goal of the strategy; the goals are %(valid)s",
                    goal=wrong,
                    valid=valid,
                ),
            ) from None
    return sorted(set(numbers))


def set_goals(session: Session, principal: Principal, case_id: int, goals: Sequence[int | str]) -> list[int]:
    """Replace the strategy goals of a case of the principal's organisation (audited, old and new)."""
    case = _visible_case(session, principal, case_id, audit_as="cases.set_goals")
    authorize_audited(
        session, principal, Permission.signals_write, "cases.set_goals", "case", case_id, case.owner.code
    )
    numbers = strategy_goals(goals)
    before = [row.goal for row in case.goals]
    case.goals = [CaseGoal(goal=number) for number in numbers]
    session.flush()
    record(session, principal, "cases.set_goals", "case", case_id, {"from": before, "to": numbers})
    return numbers


def add_signals(session: Session, principal: Principal, case_id: int, signal_ids: Sequence[int]) -> None:
    """Add signals (that the principal may see) to a case of their own organisation."""
    case = _visible_case(session, principal, case_id, audit_as="cases.add_signals")
    authorize_audited(
        session, principal, Permission.signals_write, "cases.add_signals", "case", case_id, case.owner.code
    )
    present = {member.signal_id for member in case.members}
    # each one checked before skipping the present: a hidden member is "not found" like any hidden signal
    wanted = [_visible_signal(session, principal, sid).id for sid in dict.fromkeys(signal_ids)]
    new = [sid for sid in wanted if sid not in present]
    if new:
        session.execute(insert(CaseSignal), [{"case_id": case_id, "signal_id": sid} for sid in new])
    record(session, principal, "cases.add_signals", "case", case_id, {"signals": new})


def assess(
    session: Session,
    principal: Principal,
    *,
    judgement: str,
    likelihood: str,
    confidence: str,
    signal_id: int | None = None,
    case_id: int | None = None,
    suspected_actor: str | None = None,
    sponsor_state: str | None = None,
    evidence: str = "",
    joint_position_of: Sequence[str] = (),
) -> int:
    """:func:`record_assessment` with the fields as keywords (normalised the same way)."""
    given = AssessmentInput(judgement, likelihood, confidence, suspected_actor, sponsor_state, evidence)
    return record_assessment(
        session, principal, given, signal_id=signal_id, case_id=case_id, joint_position_of=joint_position_of
    )


def record_assessment(
    session: Session,
    principal: Principal,
    given: AssessmentInput,
    *,
    signal_id: int | None = None,
    case_id: int | None = None,
    joint_position_of: Sequence[str] = (),
) -> int:
    """Add the principal's organisation's assessment ``given`` of a signal or a case (a new version;
    the old one stays); with ``joint_position_of``, the joint position of a case naming them."""
    own = _own(principal)
    target = "signal" if signal_id is not None else "case"
    authorize_audited(
        session, principal, Permission.signals_write, f"assessments.{target}", target, signal_id or case_id
    )
    if (signal_id is None) == (case_id is None):
        raise InputError(said("an assessment is of one signal or one case: give exactly one of them"))
    if signal_id is not None:
        _visible_signal(session, principal, signal_id, audit_as=f"assessments.{target}")
        if joint_position_of:
            raise InputError(
                said(
                    "a joint position is recorded on a case, not on a single signal: group the signal in a "
                    "case (`gbvs cases create`) and record it there"
                )
            )
    else:
        case = _visible_case(session, principal, case_id or 0, audit_as=f"assessments.{target}")
        if joint_position_of and case.owner.code != own:
            raise InputError(
                said(
                    "the joint position of case %(case)s is recorded by the organisation that owns the "
                    "case (%(owner)s); record your organisation's own assessment instead",
                    case=case_id,
                    owner=case.owner.code,
                )
            )
    agreed = list(dict.fromkeys(code.strip().upper() for code in joint_position_of if code.strip()))
    problems = list(assessment_problems(given))
    if joint_position_of and not agreed:
        problems.append(nobody_agreed())
    if agreed and case_id is not None:
        problems += _agreement_problems(session, own, case_id, agreed)
    if problems:
        raise each_field_error(problems)
    chance = vocabularies.likelihood(given.likelihood)
    certainty = vocabularies.confidence(given.confidence)
    sponsor = _sponsor(given.sponsor_state)
    previous = _current(session, own, signal_id, case_id, joint=bool(agreed))
    assessment = Assessment(
        signal_id=signal_id,
        case_id=case_id,
        organisation_id=organisation_by_code(session, own).id,
        author_id=principal.user_id,
        version=(previous.version + 1) if previous else 1,
        supersedes_id=previous.id if previous else None,
        judgement=given.judgement,
        likelihood=chance.value,
        confidence=certainty.value,
        suspected_actor=given.suspected_actor,
        sponsor_state=sponsor,
        evidence=given.evidence,
        is_joint_position=bool(agreed),
        agreed_by=agreed,
    )
    session.add(assessment)
    session.flush()
    detail = {"version": assessment.version, "likelihood": chance.value, "joint": bool(agreed)}
    record(session, principal, f"assessments.{target}", target, signal_id or case_id, detail)
    return assessment.id


def assessment_problems(given: AssessmentInput) -> tuple[FieldError, ...]:
    """What is wrong with each field of ``given`` (empty when nothing is), every field checked, so one
    refusal names them all: the judgement, the texts' lengths, the vocabulary's terms, the sponsor state."""
    checks = FieldChecks()
    checks.read(lambda: _check_text(JUDGEMENT, given.judgement, required=True))
    checks.read(lambda: _term(LIKELIHOOD, vocabularies.likelihood, given.likelihood))
    checks.read(lambda: _term(CONFIDENCE, vocabularies.confidence, given.confidence))
    checks.read(lambda: _check_text(SUSPECTED_ACTOR, given.suspected_actor or "", limit=ACTOR_MAX))
    checks.read(lambda: _sponsor(given.sponsor_state))
    checks.read(lambda: _check_text(EVIDENCE, given.evidence))
    return tuple(checks.problems)


def nobody_agreed() -> FieldError:
    """The refusal of a joint position that names no organisation that agreed."""
    return FieldError(
        AGREED_FIELD,
        said("a joint position names the organisations that agreed to it: choose at least one"),
    )


def _sponsor(typed: str | None) -> str | None:
    """The ISO3 code of a sponsor state typed as a code or a name in Dutch or English ("Rusland")."""
    if typed is None or not typed.strip():
        return None
    try:
        return iso3_typed(typed.strip())
    except NotFoundError:
        raise FieldError(
            SPONSOR_STATE,
            said(
                "sponsor state '%(typed)s' is no country known to GBVS; give an ISO3 code such as RUS or "
                "CHN, or the country's name in Dutch or English",
                typed=typed[:40],
            ),
        ) from None


def _agreement_problems(
    session: Session, owner: str, case_id: int, agreed: Sequence[str]
) -> list[FieldError]:
    """A joint position names only the owner and organisations that recorded their own assessment
    (checked before a code is looked up, so an unknown code is refused the same way, naming no one)."""
    assessed = {
        row.organisation.code for row in _assessments(session, None, case_id) if not row.is_joint_position
    }
    missing = [code[:20] for code in agreed if code != owner and code not in assessed]
    if not missing:
        return []
    return [
        FieldError(
            AGREED_FIELD,
            said(
                "%(organisations)s recorded no assessment of case %(case)s, so cannot be named as agreeing "
                "to its joint position; each organisation first records its own (`gbvs cases assess "
                "%(case)s ...` or the case's page), or leave it out",
                organisations=", ".join(missing),
                case=case_id,
            ),
        )
    ]


def _check_text(name: str, value: str, *, required: bool = False, limit: int = TEXT_MAX) -> None:
    """A text field of an assessment; a FieldError names it (the API's field name)."""
    if required and not value.strip():
        raise FieldError(name, said("an assessment needs a judgement: write it in words"))
    if len(value) > limit:
        raise FieldError(
            name,
            said(
                "%(field)s has %(length)s characters; the limit is %(limit)s",
                field=name,
                length=f"{len(value):,}",
                limit=f"{limit:,}",
            ),
        )


def _term(name: str, look_up: Callable[[str], T], text: str) -> T:
    """A term of the estimative vocabulary; an unknown one is a FieldError naming the field."""
    try:
        return look_up(text)
    except InputError as unknown:
        raise FieldError(name, unknown.words or str(unknown)) from None


def _current(
    session: Session, organisation: str, signal_id: int | None, case_id: int | None, *, joint: bool
) -> Assessment | None:
    rows = _assessments(session, signal_id, case_id)
    mine = [row for row in rows if row.organisation.code == organisation and row.is_joint_position == joint]
    return _latest(mine)[0] if mine else None


def _assessments(session: Session, signal_id: int | None, case_id: int | None) -> list[Assessment]:
    column = Assessment.signal_id if signal_id is not None else Assessment.case_id
    query = select(Assessment).where(column == (signal_id if signal_id is not None else case_id))
    options = (selectinload(Assessment.organisation), selectinload(Assessment.author))
    return list(session.scalars(query.options(*options).order_by(Assessment.id)))


def _latest(rows: list[Assessment]) -> list[Assessment]:
    return current_assessments(rows)


def _view(row: Assessment) -> AssessmentView:
    chance = vocabularies.likelihood(row.likelihood)
    return AssessmentView(
        row.id,
        row.organisation.code,
        row.author.username,
        row.version,
        row.judgement,
        row.likelihood,
        f"{chance.low}-{chance.high}%",
        row.confidence,
        row.suspected_actor,
        row.sponsor_state,
        row.evidence,
        row.is_joint_position,
        tuple(row.agreed_by),
        row.created_at,
    )


def signal_assessments(session: Session, principal: Principal, signal_id: int) -> tuple[AssessmentView, ...]:
    """The current assessment of each organisation of a signal the principal may see."""
    authorize_audited(session, principal, Permission.signals_read, "assessments.read", "signal", signal_id)
    _visible_signal(session, principal, signal_id, audit_as="assessments.read")
    record(session, principal, "assessments.read", "signal", signal_id)
    return tuple(_view(row) for row in _latest(_assessments(session, signal_id, None)))


def assessment_history(
    session: Session, principal: Principal, *, signal_id: int | None = None, case_id: int | None = None
) -> tuple[AssessmentView, ...]:
    """Every version of every assessment of a signal or case the principal may see, oldest first."""
    authorize_audited(session, principal, Permission.signals_read, "assessments.history", "assessment")
    if signal_id is not None:
        _visible_signal(session, principal, signal_id)
    else:
        _visible_case(session, principal, case_id or 0)
    record(session, principal, "assessments.history", "assessment", signal_id or case_id)
    return tuple(_view(row) for row in _assessments(session, signal_id, case_id))


def get_case(session: Session, principal: Principal, case_id: int) -> CaseView:
    """A case as the principal sees it; "not found" when it is not shared with them."""
    authorize_audited(session, principal, Permission.signals_read, "cases.read", "case", case_id)
    case = _visible_case(session, principal, case_id, audit_as="cases.read")
    member_ids = [member.signal_id for member in case.members]
    visible = session.scalars(
        select(Signal)
        .where(Signal.id.in_(member_ids), visible_to(principal))
        .options(selectinload(Signal.owner), selectinload(Signal.countries))
        .order_by(Signal.reported_on.desc())
    ).all()
    current = _latest(_assessments(session, None, case_id))
    separate = tuple(_view(row) for row in current if not row.is_joint_position)
    joint = [_view(row) for row in current if row.is_joint_position]
    record(session, principal, "cases.read", "case", case_id, {"signals_shown": len(visible)})
    return CaseView(
        case.id,
        case.title,
        case.description,
        case.owner.code,
        case.tlp.label,
        tuple(summary_of(row) for row in visible),
        separate,
        joint[-1] if joint else None,
        tuple(row.goal for row in case.goals),
    )


@dataclass(frozen=True)
class CaseSummary:
    """A case as lists show it; ``signals`` counts only the members the reader may see."""

    id: int
    title: str
    owner: str
    tlp: str
    signals: int
    created_at: datetime
    goals: tuple[int, ...] = ()


def list_cases(
    session: Session,
    principal: Principal,
    *,
    page: int = 1,
    page_size: int = 50,
    goal: int | None = None,
) -> tuple[tuple[CaseSummary, ...], int]:
    """A page of the cases the principal may see (of strategy goal ``goal`` only, when given), newest
    first, and how many they may see in all."""
    if (problem := page_problem(page, page_size)) is not None:
        raise InputError(problem)
    authorize_audited(session, principal, Permission.signals_read, "cases.list", "case")
    wanted = [case_visible_to(principal)]
    if goal is not None:
        (number,) = strategy_goals([goal], field="goal")
        wanted.append(SignalCase.goals.any(CaseGoal.goal == number))
    total = session.scalar(select(func.count()).select_from(SignalCase).where(*wanted))
    cases = session.scalars(
        select(SignalCase)
        .where(*wanted)
        .options(selectinload(SignalCase.owner), selectinload(SignalCase.goals))
        .order_by(SignalCase.created_at.desc(), SignalCase.id.desc())
        .limit(page_size)
        .offset((page - 1) * page_size)
    ).all()
    counted = session.execute(
        select(CaseSignal.case_id, func.count())
        .join(Signal, Signal.id == CaseSignal.signal_id)
        .where(CaseSignal.case_id.in_([case.id for case in cases]), visible_to(principal))
        .group_by(CaseSignal.case_id)
    )
    shown = {case_id: int(count) for case_id, count in counted}
    items = tuple(
        CaseSummary(
            case.id,
            case.title,
            case.owner.code,
            case.tlp.label,
            shown.get(case.id, 0),
            case.created_at,
            tuple(row.goal for row in case.goals),
        )
        for case in cases
    )
    detail = {"page": page, "total": total or 0, "goal": goal}
    record(session, principal, "cases.list", "case", None, detail)
    return items, total or 0


def visible_case_signal_ids(session: Session, principal: Principal, case_id: int) -> list[int]:
    """The ids of a visible case's member signals that the principal may see (for exports)."""
    authorize_audited(session, principal, Permission.signals_read, "cases.export", "case", case_id)
    case = _visible_case(session, principal, case_id, audit_as="cases.export")
    member_ids = [member.signal_id for member in case.members]
    return list(session.scalars(select(Signal.id).where(Signal.id.in_(member_ids), visible_to(principal))))
