"""``/api/v1/scenarios``, ``/api/v1/methods``: the threat assessment (ch. 3).

Everything goes through :mod:`gbvs.db.services.assessments`, so the blind rule is the service's:
a round that is still open shows the caller only their own scores and who has submitted. Nothing
here is cached (what a caller may see depends on who they are and on the round's state). Values of
a method marked ``needs_review`` carry that flag in every answer (``unconfirmed`` lists them).

Writes: a coordinator (``assessments:manage``) creates and edits draft scenarios, opens and
closes rounds and invites organisations to a scenario's panel (``/panel-members``); an analyst
(``assessments:score``) whose organisation is on the panel submits scores in the open round and gets
back only their own sheet (the blind rule). Each write is checked by the route and by the service and,
in remote mode, authenticates with ``Authorization: Bearer`` (:func:`gbvs.web.csrf.bearer_only`).
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any

from fastapi import Body, Depends, Path, Query, Request, Response
from pydantic import BaseModel, Field

from gbvs.assessments import available_methods, load_method, unconfirmed
from gbvs.db.assessment_models import LinkKind, RoundStatus, ScenarioType
from gbvs.db.services import assessments as service
from gbvs.db.session import session_scope
from gbvs.db.types import MAX_ROW_ID
from gbvs.errors import InputError, NotFoundError, said
from gbvs.security import Permission, Principal
from gbvs.web import csrf
from gbvs.web.api.common import PROBLEM_CONTENT, Page, Paging, api_router, paginate
from gbvs.web.auth import require
from gbvs.web.signalaccess import check_schema, writes

router = api_router(Permission.assessments_read, "assessments")
ScenarioId = Annotated[int, Path(alias="scenarioId", ge=1, le=MAX_ROW_ID, description="Scenario id")]
RoundNumber = Annotated[int, Path(ge=1, le=1000, description="Round number, from 1")]
OrganisationCode = Annotated[
    str,
    Path(
        alias="organisationCode", pattern=r"^[A-Za-z0-9_-]{1,20}$", description="Organisation code, e.g. DEF"
    ),
]
MethodId = Annotated[
    str, Path(alias="methodId", max_length=64, pattern=r"^[a-z][a-z0-9_]*$", description="Method id")
]


MANAGE = [Depends(require(Permission.assessments_manage)), Depends(csrf.bearer_only)]
SCORE = [Depends(require(Permission.assessments_score)), Depends(csrf.bearer_only)]
CREATED: dict[int | str, dict[str, Any]] = {201: {"description": "Created; Location names it"}}
CLOSED: dict[int | str, dict[str, Any]] = {
    409: {
        "description": "The round is not open (closed, or the scenario has no round yet): the detail says "
        "when it closed and what to do",
        "content": PROBLEM_CONTENT,
    }
}
Text = Field(default=None, max_length=service.TEXT_MAX)


class ScenarioCreate(BaseModel):
    """A new scenario (unscored)."""

    title: str = Field(max_length=service.TITLE_MAX)
    kind: ScenarioType
    titleEn: str = Field(default="", max_length=service.TITLE_MAX)
    description: str = Field(default="", max_length=service.TEXT_MAX)
    descriptionEn: str = Field(default="", max_length=service.TEXT_MAX)
    methodId: str = Field(default="nrb_2009", max_length=64)
    timeHorizon: str = Field(default="", max_length=200)
    assumptions: str = Field(default="", max_length=service.TEXT_MAX)
    threats: list[int] = Field(default_factory=list, max_length=6)
    goals: list[int] = Field(default_factory=list, max_length=13)


class EvidenceIn(BaseModel):
    """A piece of evidence (signal, case, forecast, indicator, document) by kind and value."""

    kind: LinkKind
    value: str = Field(max_length=300)
    note: str = Field(default="", max_length=service.TEXT_MAX)


class ScenarioChange(BaseModel):
    """An edit of a draft scenario: fields left out stay as they are; ``threats`` and ``goals``
    replace the scenario's."""

    title: str | None = Field(default=None, max_length=service.TITLE_MAX)
    titleEn: str | None = Field(default=None, max_length=service.TITLE_MAX)
    description: str | None = Text
    descriptionEn: str | None = Text
    timeHorizon: str | None = Field(default=None, max_length=200)
    assumptions: str | None = Text
    threats: list[int] | None = Field(default=None, max_length=6)
    goals: list[int] | None = Field(default=None, max_length=13)
    addEvidence: list[EvidenceIn] = Field(default_factory=list, max_length=100)
    removeEvidence: list[EvidenceIn] = Field(default_factory=list, max_length=100)


DEADLINE = (
    "When scoring stops (ISO 8601 with its offset, e.g. 2026-12-14T17:00:00+01:00); a score sent later is "
    "refused (409), the round stays open until a coordinator closes it"
)


class RoundOpen(BaseModel):
    """How the next round is scored (the body may be left out: analysts only, no deadline)."""

    coordinatorsScore: bool = Field(
        default=False,
        description="Coordinators and admins score too, beside the analysts (default false: the NRB "
        "method gives the coordinator who runs a round and the experts who score it separate roles)",
    )
    deadline: datetime | None = Field(default=None, description=DEADLINE)


class RoundChange(BaseModel):
    """Close the open round (``status`` 'closed'), reopen a closed one (``status`` 'open' with a
    ``reason``), or set the open round's deadline (``deadline``; null removes it)."""

    status: RoundStatus | None = Field(
        default=None, description="'closed' closes the open round; 'open' reopens the last, closed one"
    )
    reason: str | None = Field(
        default=None,
        max_length=service.REASON_MAX,
        description="Why a closed round is reopened (required with status 'open'); shown on the round",
    )
    deadline: datetime | None = Field(default=None, description=DEADLINE + "; null removes it")


class ReopeningOut(BaseModel):
    """A closed round opened again: who, when, why, and the close it undid."""

    reopenedBy: str = Field(validation_alias="reopened_by")
    reopenedAt: datetime = Field(validation_alias="reopened_at")
    reason: str
    closedBy: str | None = Field(validation_alias="closed_by")
    closedAt: datetime | None = Field(validation_alias="closed_at")


class ScoreIn(BaseModel):
    """A class code and its justification."""

    classCode: str = Field(max_length=3, examples=["C"])
    justification: str = Field(max_length=service.JUSTIFICATION_MAX)


class SheetIn(BaseModel):
    """The caller's scores in the open round: the likelihood and every criterion of the method."""

    likelihood: ScoreIn
    scores: dict[str, ScoreIn] = Field(max_length=100)


class PanelMemberIn(BaseModel):
    """An organisation to invite to a scenario's panel: its analysts may then score the scenario and
    read the panel's justifications and dissent."""

    organisation: str = Field(max_length=20, pattern=r"^[A-Za-z0-9_-]+$", examples=["DEF"])


class PanelMemberOut(BaseModel):
    """An organisation on a scenario's panel: the owner's (always) or one the coordinator invited."""

    organisation: str | None = Field(
        description="Organisation code (null: accounts without an organisation; the scenario was made by one)"
    )
    owner: bool = Field(description="The organisation that owns (manages) the scenario")
    added_by: str
    added_at: datetime


class LinkOut(BaseModel):
    """A threat, goal or evidence reference of a scenario."""

    kind: str
    value: str
    note: str


class RoundSummaryOut(BaseModel):
    """A round's state and who has submitted (never scores)."""

    number: int
    status: str
    method_version: str
    opened_by: str
    opened_at: datetime
    closed_by: str | None
    closed_at: datetime | None
    submitted: list[str]
    coordinatorsScore: bool = Field(
        validation_alias="coordinators_score",
        description="Coordinators and admins score in this round beside the analysts; false unless the "
        "coordinator who opened it chose so (the NRB method keeps the coordinator apart from the experts)",
    )
    deadline: datetime | None = Field(
        default=None, description="When scoring stops (null: no deadline); the round stays open after it"
    )
    reopenings: list[ReopeningOut] = Field(
        default_factory=list, description="Each time the round was closed and opened again, oldest first"
    )


class DissentOut(BaseModel):
    """Recorded dissent: always shown with its scenario."""

    analyst: str
    round_number: int | None
    criterion: str | None
    text: str
    created_at: datetime
    withheld: bool = Field(
        default=False,
        description="The text is shared with the scenario's panel only (text empty)",
    )


class ScenarioOut(BaseModel):
    """A scenario of the threat assessment."""

    id: int
    key: str | None
    title: str
    title_en: str
    description: str
    description_en: str
    kind: str
    method_id: str
    status: str
    threats: list[int]
    time_horizon: str
    assumptions: str
    source: str
    created_by: str
    created_at: datetime
    links: list[LinkOut]
    rounds: list[RoundSummaryOut]
    dissent: list[DissentOut]
    version: int
    organisation: str | None = Field(
        description="The organisation whose coordinators manage the scenario (null: every coordinator)"
    )
    panel: list[PanelMemberOut] = Field(
        description="The organisations whose analysts score the scenario and read its justifications"
    )


class SpreadOut(BaseModel):
    """Median and range of the analysts' class values."""

    median: float
    low: float
    high: float
    count: int


class SheetOut(BaseModel):
    """One analyst's current scores in a round: class code and justification per criterion."""

    analyst: str
    version: int
    likelihood: str
    likelihood_justification: str
    scores: dict[str, list[str]]
    created_at: datetime


class RoundOut(BaseModel):
    """A round as the caller may see it: while open only ``own``; once closed every sheet and the spread."""

    scenario_id: int
    round: RoundSummaryOut
    revealed: bool
    own: SheetOut | None
    sheets: list[SheetOut]
    impact_spread: dict[str, SpreadOut] | None
    likelihood_spread: SpreadOut | None
    needs_review: bool
    dissent: list[DissentOut]
    reasons_withheld: bool = Field(
        description="The others' justifications are left out (empty): the caller's organisation is not on "
        "the scenario's panel"
    )
    method_changed: bool = Field(
        description="The round was scored under another version of the method than today's: no spread is "
        "computed (round.method_version is the version it was scored under)"
    )
    secondsLeft: int | None = Field(
        default=None,
        description="Seconds until the round's deadline (negative: it passed that long ago); null without "
        "one",
    )
    pastDeadline: bool = Field(
        default=False, description="The round is open and its deadline has passed: scores are refused (409)"
    )
    notScored: list[str] | None = Field(
        default=None,
        description="The accounts on the scenario's panel who score in this open round and have not yet "
        "(by name), to chase before the deadline. Only for who manages the scenario while the round is "
        "open; for everyone else, and for a closed round, the field is absent (never an empty list, which "
        "would say every panel member has scored)",
        exclude_if=lambda value: value is None,
    )


class UnconfirmedOut(BaseModel):
    """A method value not confirmed by the sources at hand, and where to check it."""

    entry: str
    check_against: str


class MethodOut(BaseModel):
    """A risk-assessment method as data (interests, criteria, scales, weight sets)."""

    id: str
    version: str
    definition: dict[str, Any]
    unconfirmed: list[UnconfirmedOut]


class ScenarioResultOut(BaseModel):
    """A scenario's outcome under every weight set, with rank stability."""

    scenario_id: int
    title: str
    threat: int | None = Field(
        description="The first of its threats: the one whose colour marks it in the risk diagram"
    )
    threats: list[int] = Field(description="Every threat of chapter 3 the scenario works out (numbers 1-6)")
    analysts: int
    likelihood: SpreadOut
    impact_per_criterion: dict[str, SpreadOut]
    impact_per_interest: dict[str, dict[str, float]]
    impact_total: dict[str, float]
    impact_total_spread: dict[str, SpreadOut] = Field(
        description="Per weight set: median is the total of the per-criterion medians (impact_total), low "
        "and high the lowest and highest of the analysts' own totals; the median can lie outside them"
    )
    impact_outside_own_totals: dict[str, bool] = Field(
        description="Per weight set: whether the total of the medians lies outside every analyst's own total"
    )
    ranks: dict[str, int]
    kept_rank_resampled: dict[str, float]
    kept_rank_one_class: dict[str, float]
    dissent: list[DissentOut]
    round: RoundSummaryOut = Field(description="The closed round these figures come from")


class ResultsOut(BaseModel):
    """The analysis of every scenario of a method with a closed round."""

    method: str
    iterations: int
    seed: int
    scenarios: list[ScenarioResultOut]
    not_scored: list[int]
    other_method_version: list[int] = Field(
        description="Scenarios left out: their last closed round was scored under another version of the "
        "method, whose classes may mean other values (see each scenario's rounds)"
    )
    unconfirmed: list[UnconfirmedOut]


def _principal(request: Request) -> Principal:
    principal: Principal = request.state.principal
    return principal


def _now(request: Request) -> datetime:
    """What time it is by the app's clock (tests fix it: :func:`gbvs.web.app.create_app`)."""
    now: datetime = request.app.state.web.clock()
    return now


def _factory(request: Request) -> Any:
    check_schema(request.app.state.web)
    return request.app.state.web.session_factory()


@router.get("/scenarios", response_model=Page[ScenarioOut], summary="Threat scenarios")
def read_scenarios(request: Request, response: Response, paging: Paging) -> Page[ScenarioOut]:
    """Every scenario (the six threats of ch. 3 start as unscored drafts) with its rounds and dissent."""
    with session_scope(_factory(request), for_writing=writes(request)) as session:
        views = service.list_scenarios(session, _principal(request))
    return paginate(request, response, [scenario_out(view) for view in views], paging)


@router.get("/scenarios/{scenarioId}", response_model=ScenarioOut, summary="One threat scenario")
def read_scenario(request: Request, scenario_id: ScenarioId) -> ScenarioOut:
    """A scenario by id."""
    with session_scope(_factory(request), for_writing=writes(request)) as session:
        return scenario_out(service.get_scenario(session, _principal(request), scenario_id))


@router.get("/scenarios/{scenarioId}/rounds/{number}", response_model=RoundOut, summary="One scoring round")
def read_round(request: Request, scenario_id: ScenarioId, number: RoundNumber) -> RoundOut:
    """A round: blind while open (only the caller's own scores); revealed with the spread once closed. To
    who manages the scenario an open round also says who on the panel has not scored it yet."""
    return _round(request, scenario_id, number)


@router.post(
    "/scenarios", response_model=ScenarioOut, status_code=201, summary="Create a threat scenario",
    responses=CREATED, dependencies=MANAGE,
)  # fmt: skip
def create_scenario(request: Request, response: Response, body: ScenarioCreate) -> ScenarioOut:
    """A new, unscored scenario (coordinator)."""
    data = service.ScenarioInput(
        title=body.title, kind=body.kind, description=body.description, title_en=body.titleEn,
        description_en=body.descriptionEn, method_id=body.methodId, time_horizon=body.timeHorizon,
        assumptions=body.assumptions, threats=tuple(body.threats), goals=tuple(body.goals),
    )  # fmt: skip
    with session_scope(_factory(request), for_writing=writes(request)) as session:
        scenario_id = service.create_scenario(session, _principal(request), data)
    response.headers["Location"] = f"{request.url.path}/{scenario_id}"
    return _scenario(request, scenario_id)


@router.patch(
    "/scenarios/{scenarioId}", response_model=ScenarioOut, summary="Edit a draft threat scenario",
    dependencies=MANAGE,
)  # fmt: skip
def change_scenario(request: Request, body: ScenarioChange, scenario_id: ScenarioId) -> ScenarioOut:
    """A new version of a draft scenario (coordinator); refused (400) once a scoring round was opened."""
    change = service.ScenarioEdit(
        title=body.title, title_en=body.titleEn, description=body.description,
        description_en=body.descriptionEn, time_horizon=body.timeHorizon, assumptions=body.assumptions,
        threats=body.threats, goals=body.goals,
        add_evidence=[(e.kind, e.value, e.note) for e in body.addEvidence],
        remove_evidence=[(e.kind, e.value) for e in body.removeEvidence],
    )  # fmt: skip
    with session_scope(_factory(request), for_writing=writes(request)) as session:
        service.edit_scenario(session, _principal(request), scenario_id, change)
    return _scenario(request, scenario_id)


def _scenario(request: Request, scenario_id: int) -> ScenarioOut:
    with session_scope(_factory(request), for_writing=writes(request)) as session:
        return scenario_out(service.get_scenario(session, _principal(request), scenario_id))


@router.get(
    "/scenarios/{scenarioId}/panel-members", response_model=Page[PanelMemberOut], summary="A scenario's panel"
)
def read_panel(
    request: Request, response: Response, scenario_id: ScenarioId, paging: Paging
) -> Page[PanelMemberOut]:
    """The organisations on the scenario's panel: the owner's first, then the invited ones."""
    with session_scope(_factory(request), for_writing=writes(request)) as session:
        view = service.get_scenario(session, _principal(request), scenario_id)
    return paginate(request, response, [PanelMemberOut(**asdict(m)) for m in view.panel], paging)


@router.get(
    "/scenarios/{scenarioId}/panel-members/{organisationCode}", response_model=PanelMemberOut,
    summary="One organisation on a scenario's panel",
)  # fmt: skip
def read_panel_member(request: Request, scenario_id: ScenarioId, code: OrganisationCode) -> PanelMemberOut:
    """An organisation on the panel; 404 when it is not on it."""
    return _panel_member(request, scenario_id, code)


def _panel_member(request: Request, scenario_id: int, code: str) -> PanelMemberOut:
    with session_scope(_factory(request), for_writing=writes(request)) as session:
        panel = service.get_scenario(session, _principal(request), scenario_id).panel
    for member in panel:
        if (member.organisation or "").upper() == code.upper():
            return PanelMemberOut(**asdict(member))
    raise NotFoundError(
        said(
            "organisation %(code)s is not on the panel of scenario %(scenario)s",
            code=repr(code),
            scenario=scenario_id,
        )
    )


@router.post(
    "/scenarios/{scenarioId}/panel-members", response_model=PanelMemberOut, status_code=201,
    summary="Invite an organisation to a scenario's panel", responses=CREATED, dependencies=MANAGE,
)  # fmt: skip
def create_panel_member(
    request: Request, response: Response, body: PanelMemberIn, scenario_id: ScenarioId
) -> PanelMemberOut:
    """Invite an organisation (the scenario's coordinator, or an admin); audited."""
    with session_scope(_factory(request), for_writing=writes(request)) as session:
        code = service.add_panel_member(session, _principal(request), scenario_id, body.organisation)
    response.headers["Location"] = f"{request.url.path}/{code}"
    return _panel_member(request, scenario_id, code)


@router.delete(
    "/scenarios/{scenarioId}/panel-members/{organisationCode}", status_code=204,
    summary="Take an organisation off a scenario's panel", dependencies=MANAGE,
    responses={204: {"description": "Removed"}},
)  # fmt: skip
def delete_panel_member(request: Request, scenario_id: ScenarioId, code: OrganisationCode) -> Response:
    """Refused (400) while one of its analysts has a sheet in the open round: close the round first.
    Its sheets in closed rounds stay; its analysts no longer score nor read the panel's texts."""
    with session_scope(_factory(request), for_writing=writes(request)) as session:
        service.remove_panel_member(session, _principal(request), scenario_id, code)
    return Response(status_code=204)


@router.post(
    "/scenarios/{scenarioId}/rounds", response_model=RoundOut, status_code=201,
    summary="Open the next scoring round", responses=CREATED, dependencies=MANAGE,
)  # fmt: skip
def create_round(
    request: Request,
    response: Response,
    scenario_id: ScenarioId,
    body: Annotated[RoundOpen | None, Body()] = None,
) -> RoundOut:
    """Open the next round (coordinator); round 1 is blind until it closes. Coordinators score in it only
    with ``{"coordinatorsScore": true}``."""
    coordinators_score = body is not None and body.coordinatorsScore
    deadline = None if body is None else body.deadline
    with session_scope(_factory(request), for_writing=writes(request)) as session:
        number = service.open_round(
            session, _principal(request), scenario_id, coordinators_score, deadline, _now(request)
        )
    response.headers["Location"] = f"{request.url.path}/{number}"
    return _round(request, scenario_id, number)


@router.patch(
    "/scenarios/{scenarioId}/rounds/{number}", response_model=RoundOut,
    summary="Close, reopen a scoring round or set its deadline", responses=CLOSED, dependencies=MANAGE,
)  # fmt: skip
def change_round(
    request: Request, body: RoundChange, scenario_id: ScenarioId, number: RoundNumber
) -> RoundOut:
    """``{"status": "closed"}`` closes the open round (coordinator): the scores are revealed.
    ``{"status": "open", "reason": "..."}`` reopens the last round once closed (its scores stay; 409 when a
    frozen report cites it), optionally with a ``deadline``. ``{"deadline": ...}`` alone sets, moves or
    (null) removes the open round's deadline; audited."""
    principal, now = _principal(request), _now(request)
    with session_scope(_factory(request), for_writing=writes(request)) as session:
        if body.status is RoundStatus.closed:
            service.close_round(session, principal, scenario_id, number)
        elif body.status is RoundStatus.open:
            reason = body.reason or ""
            service.reopen_round(session, principal, scenario_id, reason, number, body.deadline, now)
        elif "deadline" in body.model_fields_set:
            service.set_deadline(session, principal, scenario_id, body.deadline, number, now)
        else:
            raise InputError(
                said(
                    "round %(number)s: the change says nothing to do; send status 'closed', status 'open' "
                    "with a reason, or a deadline",
                    number=number,
                )
            )
    return _round(request, scenario_id, number)


@router.post(
    "/scenarios/{scenarioId}/rounds/{number}/sheets", response_model=RoundOut, status_code=201,
    summary="Submit your scores in an open round", responses=CREATED | CLOSED, dependencies=SCORE,
)  # fmt: skip
def create_sheet(
    request: Request, response: Response, body: SheetIn, scenario_id: ScenarioId, number: RoundNumber
) -> RoundOut:
    """The caller's scores (a new version when scored before); the answer shows only their own sheet
    while the round is open."""
    scores = {c: (s.classCode, s.justification) for c, s in body.scores.items()}
    likelihood = (body.likelihood.classCode, body.likelihood.justification)
    with session_scope(_factory(request), for_writing=writes(request)) as session:
        service.submit_scores(
            session, _principal(request), scenario_id, likelihood, scores, number, _now(request)
        )
    response.headers["Location"] = request.url.path.rsplit("/", 1)[0]
    return _round(request, scenario_id, number)


def _round(request: Request, scenario_id: int, number: int) -> RoundOut:
    """The round as the caller may see it, with who has not scored it yet for who manages the scenario."""
    principal = _principal(request)
    with session_scope(_factory(request), for_writing=writes(request)) as session:
        view = service.round_view(session, principal, scenario_id, number)
        scenario = service.get_scenario(session, principal, scenario_id)
        missing = service.not_scored_to_chase(session, principal, scenario, number)
    return round_out(view, load_method(scenario.method_id).impact_scale.needs_review, _now(request), missing)


@router.get("/methods", response_model=Page[MethodOut], summary="Risk-assessment methods")
def read_methods(request: Request, response: Response, paging: Paging) -> Page[MethodOut]:
    """The shipped methods (NRB 2009 and a plain 5 x 5 matrix), with their unconfirmed values."""
    return paginate(request, response, [method_out(method_id) for method_id in available_methods()], paging)


@router.get("/methods/{methodId}", response_model=MethodOut, summary="One method")
def read_method(method_id: MethodId) -> MethodOut:
    """A method by id."""
    return method_out(method_id)


@router.get("/methods/{methodId}/results", response_model=ResultsOut, summary="Results of a method")
def read_results(
    request: Request,
    method_id: MethodId,
    iterations: int = Query(default=1000, ge=1, le=10_000, description="Resampling iterations"),
    seed: int = Query(default=0, ge=0, le=2**31 - 1, description="Random seed of the resampling"),
) -> ResultsOut:
    """Impact per interest and in total, ranks per weight set and rank stability (closed rounds only)."""
    with session_scope(_factory(request), for_writing=writes(request)) as session:
        view = service.results(session, _principal(request), method_id, iterations, seed)
    return results_out(method_id, view, iterations, seed)


def scenario_out(view: service.ScenarioView) -> ScenarioOut:
    """The API form of a scenario."""
    data = asdict(view)
    return ScenarioOut(**data, status=view.status, threats=list(view.threats))


def _sheet_out(sheet: service.SheetView) -> SheetOut:
    data = asdict(sheet)
    data["scores"] = {criterion: list(pair) for criterion, pair in sheet.scores.items()}
    return SheetOut(**data)


def round_out(
    view: service.RoundView, needs_review: bool, now: datetime, not_scored: tuple[str, ...] | None = None
) -> RoundOut:
    """The API form of a round view (``needs_review``: the class values behind the spread are unconfirmed;
    ``now``: the app's clock, for the time left until the deadline; ``not_scored``: who on the panel has
    not scored yet, None when the caller is not told)."""
    spread = view.spread
    deadline = view.round.deadline
    return RoundOut(
        scenario_id=view.scenario_id,
        round=RoundSummaryOut(**asdict(view.round)),
        revealed=view.revealed,
        own=None if view.own is None else _sheet_out(view.own),
        sheets=[_sheet_out(sheet) for sheet in view.sheets],
        impact_spread=None
        if spread is None
        else {c: SpreadOut(**asdict(s)) for c, s in spread.impact.items()},
        likelihood_spread=None if spread is None else SpreadOut(**asdict(spread.likelihood)),
        needs_review=needs_review,
        dissent=[DissentOut(**asdict(item)) for item in view.dissent],
        method_changed=view.method_changed,
        reasons_withheld=view.reasons_withheld,
        secondsLeft=None if deadline is None else int((deadline - now).total_seconds()),
        pastDeadline=view.round.status == RoundStatus.open and view.round.past_deadline(now),
        notScored=None if not_scored is None else list(not_scored),
    )


def method_out(method_id: str) -> MethodOut:
    """The API form of a method."""
    method = load_method(method_id)
    items = [
        UnconfirmedOut(entry=item.entry, check_against=item.check_against) for item in unconfirmed(method)
    ]
    return MethodOut(
        id=method.id, version=method.version, definition=method.model_dump(mode="json"), unconfirmed=items
    )


def results_out(method_id: str, view: service.ResultsView, iterations: int, seed: int) -> ResultsOut:
    """The API form of the results."""
    method = load_method(method_id)
    dissent = {str(s.id): [DissentOut(**asdict(d)) for d in s.dissent] for s in view.scenarios}
    threats = {str(s.id): list(s.threats) for s in view.scenarios}
    rows = []
    outcome = view.results
    points = {ws: {p.key: p for p in ps} for ws, ps in outcome.points.items()} if outcome else {}
    for row in outcome.scenarios if outcome else ():
        assert outcome is not None
        rows.append(
            ScenarioResultOut(
                scenario_id=int(row.key),
                title=row.label,
                threat=row.threat,
                threats=threats[row.key],
                analysts=row.analysts,
                likelihood=SpreadOut(**asdict(row.consensus.likelihood)),
                impact_per_criterion={c: SpreadOut(**asdict(s)) for c, s in row.consensus.impact.items()},
                impact_per_interest={ws: dict(i.per_interest) for ws, i in row.impacts.items()},
                impact_total={ws: i.total for ws, i in row.impacts.items()},
                ranks=dict(row.ranks),
                kept_rank_resampled={ws: outcome.resampled[ws][row.key].kept for ws in row.ranks},
                kept_rank_one_class={ws: outcome.one_class[ws][row.key].kept for ws in row.ranks},
                dissent=dissent[row.key],
                round=RoundSummaryOut(**asdict(view.rounds[row.key])),
                impact_total_spread={ws: SpreadOut(**asdict(points[ws][row.key].impact)) for ws in row.ranks},
                impact_outside_own_totals={ws: points[ws][row.key].outside_own_totals for ws in row.ranks},
            )
        )
    return ResultsOut(
        method=method.label(),
        iterations=iterations,
        seed=seed,
        scenarios=rows,
        not_scored=[s.id for s in view.not_scored],
        other_method_version=[s.id for s, _ in view.other_version],
        unconfirmed=[
            UnconfirmedOut(entry=item.entry, check_against=item.check_against) for item in unconfirmed(method)
        ],
    )
