"""The threat assessment's records: scenarios, Delphi scoring rounds, score sheets, dissent, results.

Who may do what (through :func:`gbvs.db.audit.authorize_audited`): ``assessments:read`` to read
scenarios, round status and results; ``assessments:score`` to score and to record dissent;
``assessments:manage`` to create scenarios, link evidence, open or close rounds and invite
organisations to a scenario's panel.

A scenario's panel is its owner's organisation (that of the account that created it; the OS owner's
scenarios: the accounts without an organisation) and the organisations its coordinator invited
(:func:`add_panel_member`). Only the panel's analysts score and record dissent, and only the panel
reads the analysts' justifications and dissent texts; everyone who reads the scenario sees the figures
and who is on the panel. An organisation is taken off the panel only while none of its analysts has
a sheet in an open round (:func:`remove_panel_member`); its sheets in closed rounds stay, as history.

The blind rule lives here, so the CLI, the API and the pages cannot differ: while a round is open,
:func:`round_view` gives a reader only their own sheet and the names of who has submitted; the
others' scores appear, side by side with the spread, once the round is closed. Results use closed
rounds only. Every write is audited; score values are not copied into the audit log (it would
reveal them to its readers before the round closes), the sheet id and version are.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ColumnElement, literal, or_, select, union_all
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.interfaces import LoaderOption

from gbvs.assessments import LIKELIHOOD, Method, ScenarioKind, load_method
from gbvs.assessments.analysis import Results, ScoredScenario, analyse
from gbvs.assessments.drafts import draft_scenarios
from gbvs.assessments.scoring import Consensus, Sheet, check_sheet, consensus
from gbvs.db.assessment_models import (
    LINK_KIND_NAMES,
    Dissent,
    LinkKind,
    PanelMember,
    RoundReopening,
    RoundStatus,
    Scenario,
    ScenarioLink,
    ScenarioType,
    ScenarioVersion,
    ScoreEntry,
    ScoreSheet,
    ScoringRound,
)
from gbvs.db.audit import authorize_audited, record, refuse
from gbvs.db.models import Organisation, User
from gbvs.db.report_models import ReportingPeriod, ReportSnapshot
from gbvs.db.services.lookup import organisation_by_code
from gbvs.db.signal_models import Signal, SignalCase
from gbvs.db.signal_queries import case_visible_to, visible_to
from gbvs.db.types import MAX_ROW_ID, utcnow
from gbvs.errors import (
    NONE,
    GBVSError,
    InputError,
    Moment,
    NotFoundError,
    Refusal,
    Said,
    StateConflictError,
    Term,
    Words,
    said,
)
from gbvs.languages import N_
from gbvs.security.authz import can, named_role, owner_to_check
from gbvs.security.permissions import Permission, Role, roles_with
from gbvs.security.principal import Principal
from gbvs.strategy import load_strategy

TITLE_MAX = 300
TEXT_MAX = 20_000
JUSTIFICATION_MAX = 2_000
REASON_MAX = 2_000
"""The longest reason for reopening a round."""


@dataclass(frozen=True)
class ScenarioInput:
    """What a coordinator gives to create a scenario."""

    title: str
    kind: ScenarioType
    description: str = ""
    title_en: str = ""
    description_en: str = ""
    method_id: str = "nrb_2009"
    time_horizon: str = ""
    assumptions: str = ""
    threats: Sequence[int] = ()
    goals: Sequence[int] = ()


@dataclass(frozen=True)
class ScenarioEdit:
    """What a coordinator changes in a draft scenario; ``None`` leaves a field as it is. ``threats``
    and ``goals`` replace the scenario's; evidence is added as (kind, value, note) or removed."""

    title: str | None = None
    title_en: str | None = None
    description: str | None = None
    description_en: str | None = None
    time_horizon: str | None = None
    assumptions: str | None = None
    threats: Sequence[int] | None = None
    goals: Sequence[int] | None = None
    add_evidence: Sequence[tuple[LinkKind, str, str]] = ()
    remove_evidence: Sequence[tuple[LinkKind, str]] = ()


TEXT_FIELDS = {  # field of ScenarioEdit -> its length limit
    "title": TITLE_MAX,
    "title_en": TITLE_MAX,
    "description": TEXT_MAX,
    "description_en": TEXT_MAX,
    "time_horizon": 200,
    "assumptions": TEXT_MAX,
}
LINK_SETS = {"threats": LinkKind.threat, "goals": LinkKind.goal}


@dataclass(frozen=True)
class ScenarioVersionView:
    """One version of a scenario: the change, who made it, and the text and links as they then were."""

    version: int
    change: str
    changed_by: str
    changed_at: datetime
    snapshot: dict[str, Any]


@dataclass(frozen=True)
class LinkView:
    """A threat, goal or piece of evidence of a scenario."""

    kind: str
    value: str
    note: str


@dataclass(frozen=True)
class ReopeningView:
    """A closed round opened again: who, when, why, and the close it undid."""

    reopened_by: str
    reopened_at: datetime
    reason: str
    closed_by: str | None
    closed_at: datetime | None


@dataclass(frozen=True)
class RoundSummary:
    """A round's status and who has submitted (never the scores)."""

    number: int
    status: str
    method_version: str
    opened_by: str
    opened_at: datetime
    closed_by: str | None
    closed_at: datetime | None
    submitted: tuple[str, ...]
    coordinators_score: bool = False
    """Coordinators and admins score in this round beside the analysts (:func:`scores_in_round`)."""
    deadline: datetime | None = None
    """When scoring stops (None: no deadline); the round stays open until a coordinator closes it."""
    reopenings: tuple[ReopeningView, ...] = ()
    """Each time the round was closed and opened again, oldest first."""

    @property
    def reopened(self) -> bool:
        """Whether the round was ever closed and opened again (its results say so)."""
        return bool(self.reopenings)

    def past_deadline(self, now: datetime) -> bool:
        """Whether scoring has stopped at ``now``: the round has a deadline and it has passed."""
        return self.deadline is not None and now >= self.deadline


@dataclass(frozen=True)
class DissentView:
    """Recorded dissent; shown with every output of its scenario."""

    analyst: str
    round_number: int | None
    criterion: str | None
    text: str
    created_at: datetime
    withheld: bool = False
    """The text is shared with the scenario's panel only (``text`` is empty)."""


@dataclass(frozen=True)
class PanelMemberView:
    """An organisation on a scenario's panel: its owner (always on it) or one its coordinator invited."""

    organisation: str | None
    """Its code; None: the accounts without an organisation (the scenario was made by such an account)."""
    owner: bool
    added_by: str
    added_at: datetime


def on_panel(panel: Sequence[PanelMemberView], organisation: str | None) -> bool:
    """Whether the analysts of ``organisation`` (None: accounts without one) are on ``panel``: the one
    rule for who scores a scenario and reads its panel's texts."""
    return any(member.organisation == organisation for member in panel)


@dataclass(frozen=True)
class ScenarioView:
    """A scenario with its links, rounds and dissent."""

    id: int
    key: str | None
    title: str
    title_en: str
    description: str
    description_en: str
    kind: str
    method_id: str
    time_horizon: str
    assumptions: str
    source: str
    created_by: str
    created_at: datetime
    links: tuple[LinkView, ...]
    rounds: tuple[RoundSummary, ...]
    dissent: tuple[DissentView, ...]
    version: int = 1
    organisation: str | None = None
    """The organisation that manages the scenario and releases it for publication (its creator's; None:
    made by an account without an organisation)."""
    panel: tuple[PanelMemberView, ...] = ()
    """The owner's organisation first, then the invited ones by code."""

    def on_panel(self, organisation: str | None) -> bool:
        """Whether the analysts of ``organisation`` (None: accounts without one) are on the panel."""
        return on_panel(self.panel, organisation)

    def managed_by(self, principal: Principal) -> bool:
        """Whether ``principal`` manages this scenario (edits it, runs its rounds, invites its panel):
        the rule :func:`_managed` enforces, for the edges to decide what to offer."""
        owner = owner_to_check(self.organisation, principal)
        return can(principal, Permission.assessments_manage, owner)

    @property
    def threats(self) -> tuple[int, ...]:
        """The chapter 3 threats this scenario works out, in number order (the links come in the order
        the database gives them, which differs between SQLite and PostgreSQL)."""
        return tuple(sorted(int(link.value) for link in self.links if link.kind == LinkKind.threat))

    @property
    def status(self) -> str:
        """'draft' (no round yet), or the last round as 'round N open' style key: open/closed."""
        return self.rounds[-1].status if self.rounds else "draft"


@dataclass(frozen=True)
class SheetView:
    """One version of one analyst's scores in a round."""

    analyst: str
    version: int
    likelihood: str
    likelihood_justification: str
    scores: Mapping[str, tuple[str, str]]
    created_at: datetime

    def as_sheet(self) -> Sheet:
        """The plain sheet the scoring maths takes."""
        return Sheet(self.analyst, self.likelihood, {c: code for c, (code, _) in self.scores.items()})


@dataclass(frozen=True)
class RoundView:
    """A round as one reader may see it: while open only their own sheet; once closed all, with spread."""

    scenario_id: int
    round: RoundSummary
    own: SheetView | None
    sheets: tuple[SheetView, ...]
    spread: Consensus | None
    dissent: tuple[DissentView, ...]
    method_version: str
    """The version of the method file now; the round keeps the version it was scored under."""
    reasons_withheld: bool = False
    """The others' justifications are left out: the reader's organisation is not on the scenario's panel."""

    @property
    def revealed(self) -> bool:
        """Whether the others' scores are shown (the round is closed)."""
        return self.round.status == RoundStatus.closed

    @property
    def method_changed(self) -> bool:
        """Whether the round was scored under another version of the method (no spread is computed)."""
        return self.round.method_version != self.method_version


# --- scenarios ---------------------------------------------------------------------------------


def create_scenario(session: Session, principal: Principal, data: ScenarioInput) -> int:
    """A new scenario (``assessments:manage``); its threats and goals are checked against the strategy."""
    authorize_audited(session, principal, Permission.assessments_manage, "assessments.create", "scenario")
    scenario = _new_scenario(principal, data, key=None, source="")
    session.add(scenario)
    session.flush()
    _first_version(session, scenario)
    record(session, principal, "assessments.create", "scenario", scenario.id, {"method": data.method_id})
    return scenario.id


def seed_drafts(session: Session, principal: Principal) -> list[int]:
    """The six threats of chapter 3 as unscored draft scenarios (those not there yet); their ids."""
    authorize_audited(session, principal, Permission.assessments_manage, "assessments.seed", "scenario")
    strategy = load_strategy()
    existing = set(session.scalars(select(Scenario.key).where(Scenario.key.is_not(None))))
    created = []
    for draft in draft_scenarios(strategy):
        if draft.key in existing:
            continue
        data = ScenarioInput(
            title=draft.title_nl,
            title_en=draft.title_en,
            description=draft.description_nl,
            description_en=draft.description_en,
            kind=ScenarioType(draft.kind),
            threats=(draft.threat,),
            goals=draft.goals,
        )
        scenario = _new_scenario(principal, data, key=draft.key, source=draft.source)
        session.add(scenario)
        session.flush()
        _first_version(session, scenario)
        created.append(scenario.id)
    record(session, principal, "assessments.seed", "scenario", None, {"created": created})
    return created


def _new_scenario(principal: Principal, data: ScenarioInput, key: str | None, source: str) -> Scenario:
    _check_text("title", data.title, TITLE_MAX, required=True)
    _check_text("title_en", data.title_en, TITLE_MAX)
    for name, value in (("description", data.description), ("assumptions", data.assumptions)):
        _check_text(name, value, TEXT_MAX)
    _check_text("time_horizon", data.time_horizon, 200)
    load_method(data.method_id)  # NotFoundError naming the shipped methods
    strategy = load_strategy()
    for number in data.threats:
        strategy.threat(number)  # NotFoundError naming the valid numbers
    for number in data.goals:
        strategy.goal(number)
    links = [(LinkKind.threat, str(n)) for n in dict.fromkeys(data.threats)]
    links += [(LinkKind.goal, str(n)) for n in dict.fromkeys(data.goals)]
    return Scenario(
        key=key,
        title=data.title.strip(),
        title_en=data.title_en.strip(),
        description=data.description.strip(),
        description_en=data.description_en.strip(),
        kind=data.kind,
        method_id=data.method_id,
        time_horizon=data.time_horizon.strip(),
        assumptions=data.assumptions.strip(),
        source=source,
        created_by=principal.username,
        links=[ScenarioLink(kind=kind, value=value, added_by=principal.username) for kind, value in links],
    )


def _kind(scenario: Scenario) -> ScenarioKind:
    return scenario.kind.value


TEXT_NAMES: dict[str, str] = {
    "title": N_("title"),
    "title_en": N_("English title"),
    "description": N_("description"),
    "description_en": N_("English description"),
    "assumptions": N_("assumptions"),
    "time_horizon": N_("time horizon"),
    "note": N_("note"),
    "dissent": N_("dissent"),
    "reason": N_("reason"),
}
"""A scenario's texts as refusals name them (message ids: a page names them in its language)."""


def _check_text(name: str, value: str, limit: int, required: bool = False) -> None:
    field = Term(TEXT_NAMES[name])
    if required and not value.strip():
        raise InputError(
            said("%(field)s is empty; write a %(field)s of 1-%(most)s characters", field=field, most=limit)
        )
    if len(value) > limit:
        raise InputError(
            said(
                "%(field)s has %(count)s characters, more than %(most)s; shorten it",
                field=field,
                count=len(value),
                most=limit,
            )
        )


def list_scenarios(session: Session, principal: Principal) -> list[ScenarioView]:
    """Every scenario, oldest first (``assessments:read``)."""
    authorize_audited(session, principal, Permission.assessments_read, "assessments.list", "scenario")
    scenarios = session.scalars(select(Scenario).order_by(Scenario.id).options(*_scenario_loads()))
    return _scenario_views(session, principal, list(scenarios))


def get_scenario(session: Session, principal: Principal, scenario_id: int) -> ScenarioView:
    """One scenario with its links, rounds and dissent (``assessments:read``)."""
    authorize_audited(
        session, principal, Permission.assessments_read, "assessments.read", "scenario", scenario_id
    )
    [view] = _scenario_views(session, principal, [_scenario(session, scenario_id)])
    return view


def _scenario_loads() -> tuple[LoaderOption, ...]:
    return (
        selectinload(Scenario.links),
        selectinload(Scenario.rounds).selectinload(ScoringRound.sheets).selectinload(ScoreSheet.analyst),
        selectinload(Scenario.rounds).selectinload(ScoringRound.reopenings),
    )


def _scenario(session: Session, scenario_id: int) -> Scenario:
    found = session.scalar(select(Scenario).where(Scenario.id == scenario_id).options(*_scenario_loads()))
    if found is None:
        raise NotFoundError(
            said(
                "scenario %(scenario)s does not exist; list them with `gbvs assessments list`",
                scenario=scenario_id,
            )
        )
    return found


def _panels(session: Session, scenarios: Sequence[Scenario]) -> dict[int, tuple[PanelMemberView, ...]]:
    """The panel of each of ``scenarios`` by id, in one query: the owner's organisation (that of the
    account that created the scenario; None for the OS owner of the data folder, whose scenarios every
    coordinator manages) first, then the invited organisations by code."""
    ids = [scenario.id for scenario in scenarios]
    owners = (
        select(
            Scenario.id, Organisation.code, literal(True, Boolean), Scenario.created_by, Scenario.created_at
        )
        .outerjoin(User, User.username == Scenario.created_by)
        .outerjoin(Organisation, Organisation.id == User.organisation_id)
        .where(Scenario.id.in_(ids))
    )
    invited = (
        select(
            PanelMember.scenario_id,
            Organisation.code,
            literal(False, Boolean),
            PanelMember.added_by,
            PanelMember.added_at,
        )
        .join(Organisation, Organisation.id == PanelMember.organisation_id)
        .where(PanelMember.scenario_id.in_(ids))
    )
    members: dict[int, list[PanelMemberView]] = {scenario_id: [] for scenario_id in ids}
    for scenario_id, code, owner, added_by, added_at in session.execute(union_all(owners, invited)):
        members[scenario_id].append(PanelMemberView(code, bool(owner), added_by, added_at))
    return {
        scenario_id: tuple(sorted(found, key=lambda m: (not m.owner, m.organisation or "")))
        for scenario_id, found in members.items()
    }


def _owner_of(panel: Sequence[PanelMemberView]) -> str | None:
    """The organisation that owns a scenario, from its panel."""
    return next(member.organisation for member in panel if member.owner)


def owning_organisation(session: Session, scenario_id: int) -> str | None:
    """The code of the organisation that owns scenario ``scenario_id`` (its creator's; None: made by an
    account without one, e.g. the OS owner's seeded threats): it manages the scenario and alone
    releases it for publication (:mod:`gbvs.reports.release_owners`). No authorization here: the
    caller has checked its own permission; NotFoundError when there is no such scenario."""
    return _owner_of(_panels(session, [_scenario(session, scenario_id)])[scenario_id])


def _managed(session: Session, principal: Principal, action: str, scenario_id: int) -> Scenario:
    """The scenario, once ``principal`` may manage it (``assessments:manage``): a coordinator those of
    their own organisation (edit, link evidence, open and close rounds, invite the panel), an admin
    every one. A scenario without an owning organisation (made by the OS owner, e.g. the six seeded
    threats) is managed by coordinators without an organisation and admins, not by a coordinator of
    any organisation (:func:`gbvs.security.authz.owner_to_check`)."""
    authorize_audited(session, principal, Permission.assessments_manage, action, "scenario", scenario_id)
    scenario = _scenario(session, scenario_id)
    owner = owner_to_check(_owner_of(_panels(session, [scenario])[scenario.id]), principal)
    authorize_audited(
        session, principal, Permission.assessments_manage, action, "scenario", scenario_id, owner
    )
    return scenario


def _panel_member(
    session: Session, principal: Principal, action: str, scenario_id: int
) -> tuple[Scenario, int]:
    """The scenario and the principal's account id, once ``principal`` may score it or record dissent
    (``assessments:score``, as a stored account whose organisation is on the scenario's panel)."""
    authorize_audited(session, principal, Permission.assessments_score, action, "scenario", scenario_id)
    analyst_id = _analyst_id(principal)
    scenario = _scenario(session, scenario_id)
    panel = _panels(session, [scenario])[scenario.id]
    if not on_panel(panel, principal.organisation_code):
        message = _not_on_panel(principal, scenario, panel)
        refuse(
            session, principal, action, "scenario", scenario_id, Permission.assessments_score, message,
            Refusal.panel,
        )  # fmt: skip
    return scenario, analyst_id


def _not_on_panel(principal: Principal, scenario: Scenario, panel: Sequence[PanelMemberView]) -> Words:
    owner = _owner_of(panel)
    names = ", ".join(member.organisation or WITHOUT_ORGANISATION for member in panel)
    values = {"user": principal.named(), "scenario": scenario.id, "title": scenario.title, "panel": names}
    if principal.organisation_code is None:
        return said(
            "user %(user)s is not on the panel of scenario %(scenario)s ('%(title)s'): your account has no "
            "organisation, and a scenario's panel is made of organisations (an account without one scores "
            "only scenarios made by such an account); ask an admin to give your account an organisation on "
            "the panel: %(panel)s (`gbvs users set-org %(username)s <ORG>`)",
            username=principal.username,
            **values,
        )
    code = principal.organisation_code
    if owner is None:
        return said(
            "user %(user)s is not on the panel of scenario %(scenario)s ('%(title)s'): %(panel)s; its panel "
            "is invited: a coordinator or an admin can add %(code)s with `gbvs assessments panel add "
            "%(scenario)s %(code)s`",
            code=code,
            **values,
        )
    return said(
        "user %(user)s is not on the panel of scenario %(scenario)s ('%(title)s'): %(panel)s; its panel is "
        "invited: a coordinator of %(owner)s or an admin can add %(code)s with `gbvs assessments panel add "
        "%(scenario)s %(code)s`",
        code=code,
        owner=owner,
        **values,
    )


WITHOUT_ORGANISATION = "accounts without an organisation"
"""A panel member that is no organisation, in a refusal's list of the panel."""


def _scenario_views(session: Session, principal: Principal, scenarios: list[Scenario]) -> list[ScenarioView]:
    """``scenarios`` as ``principal`` may see them; a fixed number of queries however many there are."""
    panels = _panels(session, scenarios)
    dissent = _dissent(session, principal, scenarios, panels)
    every_link = [(link.kind.value, link.value) for scenario in scenarios for link in scenario.links]
    hidden = _unseen(session, principal, every_link)
    return [
        _scenario_view(scenario, panels[scenario.id], dissent[scenario.id], hidden) for scenario in scenarios
    ]


def _link_order(link: ScenarioLink) -> tuple[int, int, str]:
    """Threats, then goals, then each kind of evidence (the order of :class:`LinkKind`), numbers in number
    order: goal 2 before goal 10 (the database gives them in text order, or in none)."""
    number = int(link.value) if link.value.isascii() and link.value.isdigit() else -1
    return (list(LinkKind).index(link.kind), number, link.value)


def _scenario_view(
    scenario: Scenario,
    panel: tuple[PanelMemberView, ...],
    dissent: tuple[DissentView, ...],
    hidden: set[tuple[str, str]],
) -> ScenarioView:
    links = [(link.kind.value, link.value, link.note) for link in sorted(scenario.links, key=_link_order)]
    return ScenarioView(
        id=scenario.id,
        key=scenario.key,
        title=scenario.title,
        title_en=scenario.title_en,
        description=scenario.description,
        description_en=scenario.description_en,
        kind=scenario.kind.value,
        method_id=scenario.method_id,
        time_horizon=scenario.time_horizon,
        assumptions=scenario.assumptions,
        source=scenario.source,
        created_by=scenario.created_by,
        created_at=scenario.created_at,
        links=tuple(LinkView(*link) for link in links if link[:2] not in hidden),
        rounds=tuple(_round_summary(round_) for round_ in scenario.rounds),
        dissent=dissent,
        version=scenario.version,
        organisation=_owner_of(panel),
        panel=panel,
    )


def _reads_reasons(principal: Principal, panel: Sequence[PanelMemberView]) -> bool:
    """Whether ``principal`` reads the analysts' justifications and dissent: their organisation is on
    the scenario's panel (the texts may quote what only the panel should read)."""
    return on_panel(panel, principal.organisation_code)


def edit_scenario(session: Session, principal: Principal, scenario_id: int, edit: ScenarioEdit) -> int:
    """Change a draft scenario (``assessments:manage``); the change is a new version; its number.

    A scenario is edited only while it is a draft: once a scoring round was opened, every analyst
    must score the same text, so the change is refused (a changed scenario is a new scenario).
    """
    scenario = _managed(session, principal, "assessments.edit", scenario_id)
    if scenario.rounds:
        first = scenario.rounds[0]
        raise InputError(
            said(
                "scenario %(scenario)s can no longer be edited: scoring started with round 1 on %(day)s, "
                "and every analyst must score the same text; create a new scenario for a changed one "
                "(`gbvs assessments create`); evidence can still be linked",
                scenario=scenario_id,
                day=f"{first.opened_at:%Y-%m-%d}",
            )
        )
    _first_version(session, scenario)
    changed = _apply_texts(scenario, edit) + _apply_links(session, principal, scenario, edit)
    if not changed:
        raise InputError(
            said(
                "the edit of scenario %(scenario)s changes nothing; give a field with a new value (title, "
                "description, threats, goals, horizon, assumptions or evidence)",
                scenario=scenario_id,
            )
        )
    session.flush()
    _new_version(session, scenario, "edited", principal)
    detail = {"version": scenario.version, "fields": changed}
    record(session, principal, "assessments.edit", "scenario", scenario_id, detail)
    return scenario.version


def _apply_texts(scenario: Scenario, edit: ScenarioEdit) -> list[str]:
    changed = []
    for name, limit in TEXT_FIELDS.items():
        value = getattr(edit, name)
        if value is None or value.strip() == getattr(scenario, name):
            continue
        _check_text(name, value, limit, required=name == "title")
        setattr(scenario, name, value.strip())
        changed.append(name)
    return changed


def _apply_links(session: Session, principal: Principal, scenario: Scenario, edit: ScenarioEdit) -> list[str]:
    changed = []
    strategy = load_strategy()
    for name, kind in LINK_SETS.items():
        numbers = getattr(edit, name)
        if numbers is None:
            continue
        for number in numbers:
            (strategy.threat if kind is LinkKind.threat else strategy.goal)(int(number))
        wanted = {str(int(n)) for n in numbers}
        present = {link.value for link in scenario.links if link.kind == kind}
        if wanted == present:
            continue
        scenario.links = [link for link in scenario.links if link.kind != kind or link.value in wanted]
        scenario.links += [
            ScenarioLink(kind=kind, value=value, added_by=principal.username)
            for value in sorted(wanted - present)
        ]
        changed.append(name)
    for kind, value in edit.remove_evidence:
        found = [link for link in scenario.links if link.kind == kind and link.value == value.strip()]
        if not found or _unseen(session, principal, [(kind.value, value.strip())]):
            raise NotFoundError(
                said(
                    "scenario %(scenario)s has no %(kind)s link '%(value)s'; "
                    "`gbvs assessments show %(scenario)s` lists its links",
                    scenario=scenario.id,
                    kind=_kind_term(kind),
                    value=value,
                )
            )
        scenario.links = [link for link in scenario.links if link not in found]
        changed.append(f"-{kind.value}:{value.strip()}")
    for kind, value, note in edit.add_evidence:
        checked = _checked_link(session, principal, kind, value.strip())
        _check_text("note", note, TEXT_MAX)
        if any(link.kind == kind and link.value == checked for link in scenario.links):
            raise InputError(
                said(
                    "scenario %(scenario)s already links %(kind)s '%(value)s'",
                    scenario=scenario.id,
                    kind=_kind_term(kind),
                    value=checked,
                )
            )
        scenario.links.append(
            ScenarioLink(kind=kind, value=checked, note=note.strip(), added_by=principal.username)
        )
        changed.append(f"+{kind.value}:{checked}")
    return changed


def scenario_history(session: Session, principal: Principal, scenario_id: int) -> list[ScenarioVersionView]:
    """Every version of a scenario's text and links, oldest first (``assessments:read``)."""
    authorize_audited(
        session, principal, Permission.assessments_read, "assessments.history", "scenario", scenario_id
    )
    scenario = _scenario(session, scenario_id)
    rows = list(
        session.scalars(
            select(ScenarioVersion)
            .where(ScenarioVersion.scenario_id == scenario_id)
            .order_by(ScenarioVersion.version)
        )
    )
    if not rows:  # a scenario of before migration 0009 that was never changed since
        snapshot = _readable(session, principal, _snapshot(scenario))
        return [ScenarioVersionView(1, "created", scenario.created_by, scenario.created_at, snapshot)]
    return [
        ScenarioVersionView(
            r.version, r.change, r.changed_by, r.changed_at, _readable(session, principal, r.snapshot)
        )
        for r in rows
    ]


def _readable(session: Session, principal: Principal, snapshot: dict[str, Any]) -> dict[str, Any]:
    """A version's snapshot without the signal and case links ``principal`` may not see."""
    hidden = _unseen(session, principal, [(link["kind"], link["value"]) for link in snapshot["links"]])
    return snapshot | {
        "links": [link for link in snapshot["links"] if (link["kind"], link["value"]) not in hidden]
    }


def _unseen(session: Session, principal: Principal, links: list[tuple[str, str]]) -> set[tuple[str, str]]:
    """The signal and case links among ``links`` (kind, id) that ``principal`` may not see."""
    guarded: dict[str, tuple[Any, Callable[[Principal], ColumnElement[bool]]]] = {
        LinkKind.signal.value: (Signal, visible_to),
        LinkKind.case.value: (SignalCase, case_visible_to),
    }
    seen: set[tuple[str, str]] = set()
    for kind, (model, visible) in guarded.items():
        ids = {int(value) for k, value in links if k == kind and value.isdigit()}
        if ids:
            query = select(model.id).where(model.id.in_(ids), visible(principal))
            seen |= {(kind, str(found)) for found in session.scalars(query)}
    return {(kind, value) for kind, value in links if kind in guarded and (kind, value) not in seen}


def _snapshot(scenario: Scenario) -> dict[str, Any]:
    texts: dict[str, Any] = {name: getattr(scenario, name) for name in TEXT_FIELDS}
    links = sorted((link.kind.value, link.value, link.note) for link in scenario.links)
    return texts | {"links": [{"kind": k, "value": v, "note": n} for k, v, n in links]}


def _first_version(session: Session, scenario: Scenario) -> None:
    """Keep the scenario as created as version 1 (once; also for scenarios of before 0009)."""
    present = session.scalar(select(ScenarioVersion.id).where(ScenarioVersion.scenario_id == scenario.id))
    if present is None:
        session.add(
            ScenarioVersion(
                scenario_id=scenario.id,
                version=scenario.version,
                change="created",
                changed_by=scenario.created_by,
                changed_at=scenario.created_at,
                snapshot=_snapshot(scenario),
            )
        )
        session.flush()


def _new_version(session: Session, scenario: Scenario, change: str, principal: Principal) -> None:
    scenario.version += 1
    session.add(
        ScenarioVersion(
            scenario_id=scenario.id,
            version=scenario.version,
            change=change,
            changed_by=principal.username[:64],
            snapshot=_snapshot(scenario),
        )
    )
    session.flush()


def add_evidence(
    session: Session, principal: Principal, scenario_id: int, kind: LinkKind, value: str, note: str = ""
) -> None:
    """Link evidence to a scenario (``assessments:manage``); a signal or case must exist and be
    visible to the principal (need-to-know), and is stored as its id."""
    scenario = _managed(session, principal, "assessments.link", scenario_id)
    value = _checked_link(session, principal, kind, value.strip())
    _check_text("note", note, TEXT_MAX)
    if any(link.kind == kind and link.value == value for link in scenario.links):
        raise InputError(
            said(
                "scenario %(scenario)s already links %(kind)s '%(value)s'",
                scenario=scenario_id,
                kind=_kind_term(kind),
                value=value,
            )
        )
    _first_version(session, scenario)
    scenario.links.append(
        ScenarioLink(kind=kind, value=value, note=note.strip(), added_by=principal.username)
    )
    session.flush()
    _new_version(session, scenario, "linked", principal)
    detail = {"kind": kind.value, "value": value, "version": scenario.version}
    record(session, principal, "assessments.link", "scenario", scenario_id, detail)


def _kind_term(kind: LinkKind) -> Term:
    """A link's kind as a value of an error's words, named as pages name it ("signal case")."""
    return Term(LINK_KIND_NAMES[kind])


def _checked_link(session: Session, principal: Principal, kind: LinkKind, value: str) -> str:
    if not value or len(value) > 300:
        raise InputError(
            said(
                "%(kind)s reference '%(value)s' must have 1-300 characters",
                kind=_kind_term(kind),
                value=value[:40],
            )
        )
    numeric = kind in (LinkKind.signal, LinkKind.case, LinkKind.threat, LinkKind.goal)
    if numeric and not (value.isascii() and value.isdigit() and 1 <= int(value) <= MAX_ROW_ID):
        raise InputError(
            said(
                "%(kind)s reference '%(value)s' is not a number from 1 to %(most)s; give the %(kind)s's id",
                kind=_kind_term(kind),
                value=value[:40],
                most=MAX_ROW_ID,
            )
        )
    if kind is LinkKind.signal:
        query = select(Signal.id).where(Signal.id == int(value), visible_to(principal))
        if session.scalar(query) is None:
            raise NotFoundError(
                said(
                    "signal %(signal)s does not exist or is not shared with you; "
                    "`gbvs signals list` shows the signals you may read",
                    signal=value,
                )
            )
    elif kind is LinkKind.case:
        query = select(SignalCase.id).where(SignalCase.id == int(value), case_visible_to(principal))
        if session.scalar(query) is None:
            raise NotFoundError(
                said(
                    "case %(case)s does not exist or is not shared with you; "
                    "`gbvs cases list` shows the cases you may read",
                    case=value,
                )
            )
    elif kind is LinkKind.threat:
        load_strategy().threat(int(value))
    elif kind is LinkKind.goal:
        load_strategy().goal(int(value))
    return str(int(value)) if numeric else value


# --- panel -------------------------------------------------------------------------------------


def add_panel_member(session: Session, principal: Principal, scenario_id: int, organisation: str) -> str:
    """Invite ``organisation`` (a code) to the scenario's panel (``assessments:manage``, as for the
    scenario's rounds); its analysts may then score and read the panel's texts. Its code."""
    scenario = _managed(session, principal, "assessments.panel_add", scenario_id)
    found = organisation_by_code(session, organisation)
    panel = _panels(session, [scenario])[scenario.id]
    if found.code == _owner_of(panel):
        raise InputError(
            said(
                "%(code)s owns scenario %(scenario)s and is always on its panel",
                code=found.code,
                scenario=scenario_id,
            )
        )
    if any(member.organisation == found.code for member in panel):
        raise InputError(
            said(
                "%(code)s is already on the panel of scenario %(scenario)s; `gbvs assessments panel list "
                "%(scenario)s` shows the panel",
                code=found.code,
                scenario=scenario_id,
            )
        )
    session.add(
        PanelMember(scenario_id=scenario.id, organisation_id=found.id, added_by=principal.username[:64])
    )
    session.flush()
    record(session, principal, "assessments.panel_add", "scenario", scenario_id, {"organisation": found.code})
    return found.code


def remove_panel_member(session: Session, principal: Principal, scenario_id: int, organisation: str) -> str:
    """Take ``organisation`` off the scenario's panel (``assessments:manage``); its code.

    Refused while one of its analysts has a sheet in the open round: close the round first (the sheet
    then counts, as the panel scored it), or leave the organisation on the panel. Its sheets in closed
    rounds stay, as history; its analysts no longer score, nor read the panel's texts (their own yes).
    """
    scenario = _managed(session, principal, "assessments.panel_remove", scenario_id)
    code = organisation.strip().upper()
    panel = _panels(session, [scenario])[scenario.id]
    if code == _owner_of(panel):
        raise InputError(
            said(
                "%(code)s owns scenario %(scenario)s and cannot leave its panel",
                code=code,
                scenario=scenario_id,
            )
        )
    member = session.scalar(
        select(PanelMember)
        .join(Organisation, Organisation.id == PanelMember.organisation_id)
        .where(PanelMember.scenario_id == scenario_id, Organisation.code == code)
    )
    if member is None:
        invited = ", ".join(m.organisation or "-" for m in panel if not m.owner) or Term(NONE)
        raise NotFoundError(
            said(
                "organisation '%(code)s' is not on the panel of scenario %(scenario)s (invited: %(invited)s)",
                code=organisation[:20],
                scenario=scenario_id,
                invited=invited,
            )
        )
    scoring = _open_sheets_of(scenario, member.organisation_id)
    if scoring:
        raise InputError(
            said(
                "%(code)s cannot leave the panel of scenario %(scenario)s while round %(round)s is open with "
                "its analysts' sheets (%(sheets)s): close the round first (`gbvs assessments close-round "
                "%(scenario)s`), then remove %(code)s",
                code=code,
                scenario=scenario_id,
                round=scenario.rounds[-1].number,
                sheets=", ".join(scoring),
            )
        )
    session.delete(member)
    session.flush()
    record(session, principal, "assessments.panel_remove", "scenario", scenario_id, {"organisation": code})
    return code


@dataclass(frozen=True)
class OffPanelScorer:
    """An analyst with a sheet in one of a scenario's rounds whose organisation is not on its panel, so
    who cannot score it again: an account without an organisation that scored an organisation's
    scenario before panels existed (migration 0013 put only organisations on panels), or an analyst
    whose organisation left the panel."""

    analyst: str
    organisation: str | None
    """The account's organisation now (None: it has none)."""
    last_round: int


def scorers_off_panel(session: Session, principal: Principal, scenario_id: int) -> list[OffPanelScorer]:
    """The scenario's earlier scorers not on its panel, by name (``assessments:manage``, as for the
    panel: whoever invites organisations sees whom the panel leaves out). Their names are no secret
    to the scenario's readers (each round lists who submitted); their organisations are told to those
    who manage the scenario only."""
    scenario = _managed(session, principal, "assessments.panel_read", scenario_id)
    panel = _panels(session, [scenario])[scenario.id]
    rows = session.execute(
        select(User.username, Organisation.code, ScoringRound.number)
        .join(ScoreSheet, ScoreSheet.analyst_id == User.id)
        .join(ScoringRound, ScoringRound.id == ScoreSheet.round_id)
        .outerjoin(Organisation, Organisation.id == User.organisation_id)
        .where(ScoringRound.scenario_id == scenario.id)
    )
    last: dict[tuple[str, str | None], int] = {}
    for username, code, number in rows:
        if not on_panel(panel, code):
            last[(username, code)] = max(number, last.get((username, code), 0))
    return [
        OffPanelScorer(name, code, number)
        for (name, code), number in sorted(last.items(), key=lambda item: item[0][0])
    ]


def _open_sheets_of(scenario: Scenario, organisation_id: int) -> list[str]:
    """The analysts of ``organisation_id`` with a sheet in the scenario's open round."""
    if not scenario.rounds or scenario.rounds[-1].status is not RoundStatus.open:
        return []
    sheets = _current_sheets(scenario.rounds[-1])
    return sorted({s.analyst.username for s in sheets if s.analyst.organisation_id == organisation_id})


# --- rounds ------------------------------------------------------------------------------------


def open_round(
    session: Session,
    principal: Principal,
    scenario_id: int,
    coordinators_score: bool = False,
    deadline: datetime | None = None,
    now: datetime | None = None,
) -> int:
    """Open the next scoring round of a scenario (``assessments:manage``); its number.

    ``deadline``: when scoring stops (after ``now``, the caller's clock; default the wall clock).

    ``coordinators_score``: coordinators and admins score in it beside the analysts. No by default: the
    NRB method guide (2009) gives the expert who scores and the working-group coordinator who runs the
    session separate roles, and a coordinator who sees who has submitted and closes the round should not
    also weigh in on its median; a coordinator who is also the panel's expert says so when opening it.
    """
    scenario = _managed(session, principal, "assessments.open_round", scenario_id)
    if scenario.rounds and scenario.rounds[-1].status is RoundStatus.open:
        raise InputError(
            said(
                "round %(round)s of scenario %(scenario)s is still open; close it first with `gbvs "
                "assessments close-round %(scenario)s`",
                round=scenario.rounds[-1].number,
                scenario=scenario_id,
            )
        )
    number = len(scenario.rounds) + 1
    _check_deadline(deadline, now or utcnow())
    method = load_method(scenario.method_id)
    session.add(
        ScoringRound(
            scenario_id=scenario_id,
            number=number,
            status=RoundStatus.open,
            method_version=method.version,
            opened_by=principal.username,
            coordinators_score=coordinators_score,
            deadline=deadline,
        )
    )
    session.flush()
    detail = {"round": number, "coordinators_score": coordinators_score, "deadline": _stamp(deadline)}
    record(session, principal, "assessments.open_round", "scenario", scenario_id, detail)
    return number


def close_round(session: Session, principal: Principal, scenario_id: int, number: int | None = None) -> int:
    """Close the open round (``assessments:manage``; ``number``: the round meant, a state conflict when
    it has closed already): its scores are revealed; its number."""
    round_ = _open_round(_managed(session, principal, "assessments.close_round", scenario_id), number)
    if not _current_sheets(round_):
        raise InputError(
            said(
                "round %(round)s of scenario %(scenario)s has no scores yet; an analyst must score before it "
                "can close",
                round=round_.number,
                scenario=scenario_id,
            )
        )
    round_.status = RoundStatus.closed
    round_.closed_by = principal.username
    round_.closed_at = utcnow()
    session.flush()
    detail = {"round": round_.number, "sheets": len(_current_sheets(round_))}
    record(session, principal, "assessments.close_round", "scenario", scenario_id, detail)
    return round_.number


# At the deadline a round stops taking scores, and nothing else happens: it does not close itself. Closing
# reveals the scores and makes them the scenario's results, which is the coordinator's judgement (enough
# analysts? dissent to hear first?), not the clock's; a round that closed itself at night with two of
# five sheets would publish a median nobody decided on. So a late score is a state conflict naming the
# deadline and who can extend it, and the round page keeps telling the coordinator to close or extend.


def set_deadline(
    session: Session,
    principal: Principal,
    scenario_id: int,
    deadline: datetime | None,
    number: int | None = None,
    now: datetime | None = None,
) -> int:
    """Set, move or (``None``) remove the deadline of the open round (``assessments:manage``; ``number``:
    the round meant, a state conflict when it has closed); audited with the old and new deadline. A new
    deadline lies after ``now`` (default the wall clock). Returns the round's number."""
    scenario = _managed(session, principal, "assessments.deadline", scenario_id)
    round_ = _open_round(scenario, number)
    _check_deadline(deadline, now or utcnow())
    before, round_.deadline = round_.deadline, deadline
    session.flush()
    detail = {"round": round_.number, "from": _stamp(before), "to": _stamp(deadline)}
    record(session, principal, "assessments.deadline", "scenario", scenario_id, detail)
    return round_.number


def _check_deadline(deadline: datetime | None, now: datetime) -> None:
    """A deadline is a moment with a time zone that has not passed yet."""
    if deadline is None:
        return
    if deadline.tzinfo is None:
        raise InputError(
            said(
                "the deadline %(deadline)s has no time zone; give it with one, e.g. 2026-12-14T17:00+01:00",
                deadline=deadline.isoformat(timespec="minutes"),
            )
        )
    if deadline <= now:
        raise InputError(
            said(
                "the deadline %(deadline)s has passed (it is now %(now)s); give a moment in the future",
                deadline=Moment.of(deadline),
                now=Moment.of(now),
            )
        )


def _stamp(moment: datetime | None) -> str | None:
    """A moment as the audit log keeps it (ISO 8601 in UTC)."""
    return None if moment is None else str(Moment.of(moment))


def _check_not_late(session: Session, scenario: Scenario, round_: ScoringRound, now: datetime) -> None:
    """A state conflict when ``round_``'s deadline has passed: it names the deadline and who extends it."""
    if round_.deadline is None or now < round_.deadline:
        return
    owner = _owner_of(_panels(session, [scenario])[scenario.id])
    raise StateConflictError(
        said(
            "round %(round)s of scenario %(scenario)s took scores until its deadline %(deadline)s and "
            "takes no more; a coordinator of %(owner)s or an admin can extend the deadline (`gbvs "
            "assessments deadline %(scenario)s --deadline <when>`), or close the round",
            round=round_.number,
            scenario=scenario.id,
            deadline=Moment.of(round_.deadline),
            owner=owner or Term(WITHOUT_ORGANISATION),
        )
    )


def reopen_round(
    session: Session,
    principal: Principal,
    scenario_id: int,
    reason: str,
    number: int | None = None,
    deadline: datetime | None = None,
    now: datetime | None = None,
) -> int:
    """Open the scenario's last round again once it has closed (``assessments:manage``), with a
    ``reason`` (required) and optionally a new ``deadline``; audited. Its number.

    The sheets already given stay; the analysts may add to them or revise them, blind again until the
    round closes. Only the last round reopens (a later round has its own scores; score there), and not
    one whose results a frozen report cites (:func:`_reports_citing`): open the next round instead.
    """
    scenario = _managed(session, principal, "assessments.reopen_round", scenario_id)
    _check_text("reason", reason, REASON_MAX, required=True)
    if not scenario.rounds:
        raise StateConflictError(
            said(
                "scenario %(scenario)s has no round to reopen; a coordinator opens one with `gbvs "
                "assessments open-round %(scenario)s`",
                scenario=scenario_id,
            )
        )
    round_ = _round_number(scenario, number)
    _check_reopenable(session, scenario, round_)
    moment = now or utcnow()
    _check_deadline(deadline, moment)
    session.add(
        RoundReopening(
            round_id=round_.id,
            reopened_by=principal.username[:64],
            reopened_at=moment,
            reason=reason.strip(),
            closed_by=round_.closed_by,
            closed_at=round_.closed_at,
        )
    )
    detail = {
        "round": round_.number,
        "reason": reason.strip(),
        "closed_at": _stamp(round_.closed_at),
        "deadline": _stamp(deadline),
    }
    round_.status, round_.closed_by, round_.closed_at = RoundStatus.open, None, None
    round_.deadline = deadline
    session.flush()
    record(session, principal, "assessments.reopen_round", "scenario", scenario_id, detail)
    return round_.number


def _check_reopenable(session: Session, scenario: Scenario, round_: ScoringRound) -> None:
    last = scenario.rounds[-1]
    if round_.status is RoundStatus.open:
        raise StateConflictError(
            said(
                "round %(round)s of scenario %(scenario)s is open; only a closed round can be reopened",
                round=round_.number,
                scenario=scenario.id,
            )
        )
    if round_ is not last:
        raise StateConflictError(
            said(
                "round %(round)s of scenario %(scenario)s is followed by round %(last)s; only the last round "
                "can be reopened: score in round %(last)s, or open the next one (`gbvs assessments "
                "open-round %(scenario)s`)",
                round=round_.number,
                scenario=scenario.id,
                last=last.number,
            )
        )
    cited = _reports_citing(session, scenario, round_)
    if cited:
        raise StateConflictError(
            said(
                "round %(round)s of scenario %(scenario)s cannot be reopened: its results are in the frozen "
                "report of %(periods)s, which keeps them and cites this round; reopening would change the "
                "round behind a published figure. Open round %(next)s instead (`gbvs assessments "
                "open-round %(scenario)s`)",
                round=round_.number,
                scenario=scenario.id,
                periods=", ".join(cited),
                next=round_.number + 1,
            )
        )


def _reports_citing(session: Session, scenario: Scenario, round_: ScoringRound) -> list[str]:
    """The periods of the frozen report snapshots whose risk diagram has the scenario and that were
    frozen after ``round_`` closed: its last closed round then, so their figures are this round's."""
    rows = session.execute(
        select(ReportingPeriod.label, ReportSnapshot.inputs, ReportSnapshot.created_at)
        .join(ReportingPeriod, ReportingPeriod.id == ReportSnapshot.period_id)
        .order_by(ReportSnapshot.id)
    )
    key, closed = str(scenario.id), round_.closed_at
    cited = []
    for label, inputs, frozen_at in rows:
        points = ((inputs or {}).get("risk_diagram") or {}).get("points") or []
        if closed is not None and frozen_at >= closed and any(p.get("key") == key for p in points):
            cited.append(label)
    return list(dict.fromkeys(cited))


def not_scored(
    session: Session, principal: Principal, scenario_id: int, number: int | None = None
) -> tuple[str, ...]:
    """The accounts on the scenario's panel who score in round ``number`` (default the last) and have no
    sheet in it, by name (``assessments:manage``: the coordinator chases them before the deadline).
    Active accounts of the panel's organisations whose role scores in the round (:func:`scores_in_round`)."""
    return _not_scored(
        session, _managed(session, principal, "assessments.round_missing", scenario_id), number
    )


def _not_scored(session: Session, scenario: Scenario, number: int | None) -> tuple[str, ...]:
    """:func:`not_scored` of a scenario the caller manages."""
    if not scenario.rounds:
        return ()
    round_ = _round_number(scenario, number)
    panel = _panels(session, [scenario])[scenario.id]
    codes = [m.organisation for m in panel if m.organisation is not None]
    on_it: ColumnElement[bool] = Organisation.code.in_(codes)
    if any(m.organisation is None for m in panel):
        on_it = or_(on_it, User.organisation_id.is_(None))
    scorers = session.execute(
        select(User.username, User.role)
        .outerjoin(Organisation, Organisation.id == User.organisation_id)
        .where(User.active.is_(True), User.role.in_(roles_with(Permission.assessments_score)), on_it)
        .order_by(User.username)
    )
    submitted = {sheet.analyst.username for sheet in _current_sheets(round_)}
    return tuple(
        name
        for name, role in scorers
        if name not in submitted and scores_in_round(role, round_.coordinators_score)
    )


def not_scored_to_chase(
    session: Session, principal: Principal, scenario: ScenarioView, number: int | None = None
) -> tuple[str, ...] | None:
    """Who on the panel has not scored round ``number`` (default the last) yet (:func:`not_scored`), told
    to who manages the scenario while that round is open, as the round page, ``gbvs assessments show`` /
    ``round`` and the API's round give it. None for everyone else and for a closed round: they are not
    told at all (an empty tuple would say that every panel member has scored)."""
    if not scenario.managed_by(principal):
        return None
    summary = next((r for r in reversed(scenario.rounds) if number in (None, r.number)), None)
    if summary is None or summary.status != RoundStatus.open.value:
        return None
    managed = _managed(session, principal, "assessments.round_missing", scenario.id)
    return _not_scored(session, managed, summary.number)


def _open_round(scenario: Scenario, number: int | None = None) -> ScoringRound:
    """The scenario's open round (``number``: that round, which must be the open one). A scenario without
    rounds, or a round that has closed, is a state conflict (HTTP 409, CLI exit 4) saying what to do."""
    if not scenario.rounds:
        raise StateConflictError(
            said(
                "scenario %(scenario)s has no open round; a coordinator opens one with `gbvs assessments "
                "open-round %(scenario)s`",
                scenario=scenario.id,
            )
        )
    round_ = _round_number(scenario, number)
    if round_.status is RoundStatus.open:
        return round_
    last = scenario.rounds[-1]
    if last.status is RoundStatus.open:
        raise StateConflictError(
            said(
                "round %(round)s of scenario %(scenario)s closed on %(closed)s; round %(open)s is open now: "
                "send your scores to round %(open)s",
                round=round_.number,
                scenario=scenario.id,
                closed=Moment.of(round_.closed_at),
                open=last.number,
            )
        )
    raise StateConflictError(
        said(
            "round %(round)s of scenario %(scenario)s closed on %(closed)s (by %(who)s) and takes no "
            "more scores; ask a coordinator of the scenario to open round %(next)s (`gbvs assessments "
            "open-round %(scenario)s`) and score that round",
            round=round_.number,
            scenario=scenario.id,
            closed=Moment.of(round_.closed_at),
            who=round_.closed_by or "-",
            next=last.number + 1,
        )
    )


def _current_sheets(round_: ScoringRound) -> list[ScoreSheet]:
    superseded = {sheet.supersedes_id for sheet in round_.sheets if sheet.supersedes_id is not None}
    return [sheet for sheet in round_.sheets if sheet.id not in superseded]


def _round_summary(round_: ScoringRound) -> RoundSummary:
    return RoundSummary(
        number=round_.number,
        status=round_.status.value,
        method_version=round_.method_version,
        opened_by=round_.opened_by,
        opened_at=round_.opened_at,
        closed_by=round_.closed_by,
        closed_at=round_.closed_at,
        submitted=tuple(sorted(sheet.analyst.username for sheet in _current_sheets(round_))),
        coordinators_score=round_.coordinators_score,
        deadline=round_.deadline,
        reopenings=tuple(
            ReopeningView(r.reopened_by, r.reopened_at, r.reason, r.closed_by, r.closed_at)
            for r in round_.reopenings
        ),
    )


# --- scores ------------------------------------------------------------------------------------


def submit_scores(
    session: Session,
    principal: Principal,
    scenario_id: int,
    likelihood: tuple[str, str],
    scores: Mapping[str, tuple[str, str]],
    number: int | None = None,
    now: datetime | None = None,
) -> int:
    """Score the open round (``assessments:score``; ``number``: the round the analyst means, refused
    with a state conflict when it has closed or its deadline has passed at ``now``, default the wall
    clock): ``likelihood`` and each criterion as ``(class code, justification)``. A second submission
    is a new version; the old one is kept. Returns the version."""
    scenario, analyst_id = _panel_member(session, principal, "assessments.score", scenario_id)
    round_ = _open_round(scenario, number)
    _check_not_late(session, scenario, round_, now or utcnow())
    if not scores_in_round(principal.role, round_.coordinators_score):
        why = _coordinators_do_not_score(principal, scenario, round_)
        refuse(
            session, principal, "assessments.score", "scenario", scenario_id, Permission.assessments_score,
            why, Refusal.role,
        )  # fmt: skip
    method = load_method(scenario.method_id)
    _check_scores(method, scenario, principal, likelihood, scores)
    previous = next((s for s in _current_sheets(round_) if s.analyst_id == analyst_id), None)
    sheet = ScoreSheet(
        round_id=round_.id,
        analyst_id=analyst_id,
        version=1 if previous is None else previous.version + 1,
        supersedes_id=None if previous is None else previous.id,
        likelihood=likelihood[0].strip().upper(),
        likelihood_justification=likelihood[1].strip(),
        entries=[
            ScoreEntry(criterion=c, class_code=code.strip().upper(), justification=why.strip())
            for c, (code, why) in scores.items()
        ],
    )
    session.add(sheet)
    session.flush()
    detail = {"round": round_.number, "sheet": sheet.id, "version": sheet.version}
    record(session, principal, "assessments.score", "scenario", scenario_id, detail)
    return sheet.version


def scores_in_round(role: Role, coordinators_score: bool) -> bool:
    """Whether ``role`` scores in a round (panel membership aside): analysts always, the roles that run
    rounds (coordinator, admin) only where the round says coordinators score. The one rule the service
    enforces and the pages follow."""
    return coordinators_score or role not in roles_with(Permission.assessments_manage)


def _coordinators_do_not_score(principal: Principal, scenario: Scenario, round_: ScoringRound) -> Words:
    return said(
        "user %(user)s has role '%(role)s', and round %(round)s of scenario %(scenario)s is scored by "
        "analysts only: the NRB method keeps the coordinator who runs a round apart from the experts who "
        "score it. Score with an analyst's account, or, once this round is closed, ask the scenario's "
        "coordinator to open the next one with coordinators scoring (`gbvs assessments open-round "
        "%(scenario)s --coordinators-score`)",
        user=principal.named(),
        role=named_role(principal.role),
        round=round_.number,
        scenario=scenario.id,
    )


def _analyst_id(principal: Principal) -> int:
    if principal.user_id is None:
        raise InputError(
            said(
                "%(user)s is not a stored account; scoring rounds compare named analysts, so score as a user "
                "created with `gbvs users create` (GBVS_TOKEN on the command line, or logged in)",
                user=principal.named(),
            )
        )
    return principal.user_id


def _check_scores(
    method: Method,
    scenario: Scenario,
    principal: Principal,
    likelihood: tuple[str, str],
    scores: Mapping[str, tuple[str, str]],
) -> None:
    sheet = Sheet(
        principal.username,
        likelihood[0].strip().upper(),
        {c: code.strip().upper() for c, (code, _) in scores.items()},
    )
    check_sheet(method, _kind(scenario), sheet)
    for criterion, (_, why) in [(LIKELIHOOD, likelihood), *scores.items()]:
        if not why.strip():
            raise InputError(
                said(
                    "%(criterion)s: the justification is empty; write a short justification",
                    criterion=criterion,
                )
            )
        if len(why) > JUSTIFICATION_MAX:
            raise InputError(
                said(
                    "%(criterion)s: the justification has more than %(most)s characters",
                    criterion=criterion,
                    most=JUSTIFICATION_MAX,
                )
            )


def round_view(
    session: Session, principal: Principal, scenario_id: int, number: int | None = None
) -> RoundView:
    """Round ``number`` (default: the last) as ``principal`` may see it (``assessments:read``).

    While the round is open nobody sees another analyst's scores here: not a coordinator, not an admin.
    """
    authorize_audited(
        session, principal, Permission.assessments_read, "assessments.round", "scenario", scenario_id
    )
    scenario = _scenario(session, scenario_id)
    if not scenario.rounds:
        raise NotFoundError(said("scenario %(scenario)s has no scoring round yet", scenario=scenario_id))
    round_ = _round_number(scenario, number)
    panels = _panels(session, [scenario])
    reasons = _reads_reasons(principal, panels[scenario.id])
    current = sorted(
        (_sheet_view(sheet, principal, reasons) for sheet in _current_sheets(round_)),
        key=lambda view: view.analyst,
    )
    own = next((view for view in current if view.analyst == principal.username), None)
    method = load_method(scenario.method_id)
    summary, dissent = _round_summary(round_), _dissent(session, principal, [scenario], panels)[scenario.id]
    if round_.status is RoundStatus.open:
        return RoundView(scenario_id, summary, own, (), None, dissent, method.version)
    spread = None
    if round_.method_version == method.version:
        spread = _consensus(method, scenario, round_, [view.as_sheet() for view in current])
    withheld = not reasons and any(view.analyst != principal.username for view in current)
    return RoundView(scenario_id, summary, own, tuple(current), spread, dissent, method.version, withheld)


def _consensus(method: Method, scenario: Scenario, round_: ScoringRound, sheets: list[Sheet]) -> Consensus:
    """The round's spread; InputError when its sheets no longer fit the method file of the same version."""
    try:
        return consensus(method, _kind(scenario), sheets)
    except ValueError as exc:
        raise _method_file_changed(method, scenario, round_, exc) from None


def _method_file_changed(
    method: Method, scenario: Scenario, round_: ScoringRound, exc: ValueError
) -> InputError:
    problem = Said(exc) if isinstance(exc, GBVSError) else str(exc)
    return InputError(
        said(
            "round %(round)s of scenario %(scenario)s was scored under method '%(method)s' version "
            "%(version)s, and the method file of that version has changed since (%(problem)s); restore "
            "the file, or give the changed file a new version: rounds scored under the old version are then "
            "shown apart, not computed with the new values",
            round=round_.number,
            scenario=scenario.id,
            method=method.id,
            version=round_.method_version,
            problem=problem,
        )
    )


def _round_number(scenario: Scenario, number: int | None) -> ScoringRound:
    if number is None:
        return scenario.rounds[-1]
    for round_ in scenario.rounds:
        if round_.number == number:
            return round_
    raise NotFoundError(
        said(
            "scenario %(scenario)s has no round %(round)s; it has rounds 1-%(last)s",
            scenario=scenario.id,
            round=number,
            last=len(scenario.rounds),
        )
    )


def _sheet_view(sheet: ScoreSheet, principal: Principal | None = None, reasons: bool = True) -> SheetView:
    """A sheet as a reader sees it: the justifications empty unless ``reasons`` or it is the reader's own."""
    shown = reasons or (principal is not None and sheet.analyst.username == principal.username)
    return SheetView(
        analyst=sheet.analyst.username,
        version=sheet.version,
        likelihood=sheet.likelihood,
        likelihood_justification=sheet.likelihood_justification if shown else "",
        scores={
            entry.criterion: (entry.class_code, entry.justification if shown else "")
            for entry in sheet.entries
        },
        created_at=sheet.created_at,
    )


def sheet_history(session: Session, principal: Principal, scenario_id: int) -> list[tuple[int, SheetView]]:
    """Every version of every sheet of the scenario's closed rounds, and of the principal's own
    sheets in an open round: (round number, sheet), oldest first (``assessments:read``)."""
    authorize_audited(
        session, principal, Permission.assessments_read, "assessments.history", "scenario", scenario_id
    )
    scenario = _scenario(session, scenario_id)
    reasons = _reads_reasons(principal, _panels(session, [scenario])[scenario.id])
    history = []
    for round_ in scenario.rounds:
        for sheet in round_.sheets:
            if round_.status is RoundStatus.closed or sheet.analyst.username == principal.username:
                history.append((round_.number, _sheet_view(sheet, principal, reasons)))
    return history


# --- dissent -----------------------------------------------------------------------------------


def record_dissent(
    session: Session, principal: Principal, scenario_id: int, text: str, criterion: str | None = None
) -> int:
    """Record an analyst's dissent (``assessments:score``); it is never removed."""
    scenario, analyst_id = _panel_member(session, principal, "assessments.dissent", scenario_id)
    _check_text("dissent", text, TEXT_MAX, required=True)
    method = load_method(scenario.method_id)
    if criterion is not None and criterion not in (*method.criterion_ids(), LIKELIHOOD):
        raise InputError(
            said(
                "criterion '%(criterion)s' is not in method '%(method)s'; use one of %(known)s or leave it "
                "out",
                criterion=criterion,
                method=method.id,
                known=", ".join((*method.criterion_ids(), LIKELIHOOD)),
            )
        )
    number = scenario.rounds[-1].number if scenario.rounds else None
    dissent = Dissent(
        scenario_id=scenario_id,
        round_number=number,
        analyst_id=analyst_id,
        criterion=criterion,
        text=text.strip(),
    )
    session.add(dissent)
    session.flush()
    record(session, principal, "assessments.dissent", "scenario", scenario_id, {"dissent": dissent.id})
    return dissent.id


def _dissent(
    session: Session,
    principal: Principal,
    scenarios: Sequence[Scenario],
    panels: Mapping[int, Sequence[PanelMemberView]],
) -> dict[int, tuple[DissentView, ...]]:
    """The dissent of each of ``scenarios`` by id, in one query; in a round still open only the
    principal's own (its text could tell another analyst's scores before the round reveals them). To a
    reader whose organisation is not on a scenario's panel the others' texts are withheld (the dissent
    itself is shown)."""
    open_rounds = {
        (scenario.id, round_.number)
        for scenario in scenarios
        for round_ in scenario.rounds
        if round_.status is RoundStatus.open
    }
    reasons = {scenario.id: _reads_reasons(principal, panels[scenario.id]) for scenario in scenarios}
    rows = session.execute(
        select(Dissent, User.username)
        .join(User, User.id == Dissent.analyst_id)
        .where(Dissent.scenario_id.in_(list(reasons)))
        .order_by(Dissent.id)
    )
    found: dict[int, list[DissentView]] = {scenario_id: [] for scenario_id in reasons}
    for row, username in rows:
        own = username == principal.username
        if (row.scenario_id, row.round_number) in open_rounds and not own:
            continue
        shown = reasons[row.scenario_id] or own
        found[row.scenario_id].append(
            DissentView(
                username,
                row.round_number,
                row.criterion,
                row.text if shown else "",
                row.created_at,
                withheld=not shown,
            )
        )
    return {scenario_id: tuple(views) for scenario_id, views in found.items()}


# --- results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultsView:
    """The analysis of every scenario of a method with a closed round, and those left out.

    ``rounds`` names, per analysed scenario (by id), the round its figures come from. A scenario whose
    last closed round was scored under another version of the method is left out (``other_version``,
    with that round): its class codes meant other values, so it is not computed with today's.
    """

    results: Results | None
    scenarios: tuple[ScenarioView, ...]
    not_scored: tuple[ScenarioView, ...]
    rounds: Mapping[str, RoundSummary]
    other_version: tuple[tuple[ScenarioView, RoundSummary], ...]


def results(
    session: Session, principal: Principal, method_id: str = "nrb_2009", iterations: int = 1000, seed: int = 0
) -> ResultsView:
    """Analyse the last closed round of every scenario scored with ``method_id`` (``assessments:read``)."""
    authorize_audited(session, principal, Permission.assessments_read, "assessments.results", "scenario")
    method = load_method(method_id)
    rows = session.scalars(
        select(Scenario)
        .where(Scenario.method_id == method_id)
        .order_by(Scenario.id)
        .options(*_scenario_loads())
    )
    scenarios = list(rows)
    scored, views, not_scored, other_version = [], [], [], []
    rounds: dict[str, RoundSummary] = {}
    for scenario, view in zip(scenarios, _scenario_views(session, principal, scenarios), strict=True):
        closed = [round_ for round_ in scenario.rounds if round_.status is RoundStatus.closed]
        if not closed:
            not_scored.append(view)
            continue
        round_ = closed[-1]
        if round_.method_version != method.version:
            other_version.append((view, _round_summary(round_)))
            continue
        sheets = [_sheet_view(sheet).as_sheet() for sheet in _current_sheets(round_)]
        agreed = _consensus(method, scenario, round_, sheets)  # InputError: no longer fit the method file
        threat = view.threats[0] if view.threats else None
        scored.append(
            ScoredScenario(
                scenario.id, str(scenario.id), scenario.title, threat, _kind(scenario), sheets, agreed
            )
        )
        views.append(view)
        rounds[str(scenario.id)] = _round_summary(round_)
    analysis = analyse(method, scored, iterations, seed) if scored else None
    return ResultsView(analysis, tuple(views), tuple(not_scored), rounds, tuple(other_version))
