"""``/api/v1/actions`` and ``/api/v1/warning-responses``: early-action cases and the response gap.

Reads need ``actions:read``; the writes (open a case, change its status, add an option or a
follow-up, record a decision) need ``actions:write`` or ``actions:decide``, checked by the route and
again by the service. A case outside the caller's need-to-know answers 404, also to a write. Every
write authenticates with ``Authorization: Bearer`` in remote mode (:func:`gbvs.web.csrf.bearer_only`)
and answers with the case as it now is, except a change of audience that leaves the caller out: that
answers 204 without the case, which the caller may no longer read.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any, Literal

from fastapi import Depends, Path, Query, Request, Response
from pydantic import BaseModel, Field

from gbvs.actions import service, warning
from gbvs.actions.views import CaseView
from gbvs.actions.workflow import Audience, Choice, OriginKind, Status
from gbvs.db.types import MAX_ROW_ID
from gbvs.errors import InputError, said
from gbvs.security import Permission
from gbvs.web import csrf
from gbvs.web.api.common import PROBLEM_CONTENT, Page, Paging, paginate
from gbvs.web.api.common import api_router as _router
from gbvs.web.auth import require
from gbvs.web.deps import Language
from gbvs.web.queries.actions import (
    ActionCaseDetail,
    ActionCaseItem,
    AlertRulesUsed,
    ForecastRunUsed,
    RegionResponse,
    WarningResponse,
    action_session,
    forecasts_reader,
    outcomes_of,
    principal_of,
    rules_of,
    rules_provenance,
)
from gbvs.web.queries.forecasts import alert_worder

router = _router(Permission.actions_read, "actions")
CaseId = Path(alias="caseId", ge=1, le=MAX_ROW_ID, description="The case number.")
FollowUpId = Path(alias="followUpId", ge=1, le=MAX_ROW_ID, description="The follow-up number.")
WRITE = [Depends(require(Permission.actions_write)), Depends(csrf.bearer_only)]
DECIDE = [Depends(require(Permission.actions_decide)), Depends(csrf.bearer_only)]
CREATED: dict[int | str, dict[str, Any]] = {201: {"description": "Created; Location names the case"}}
HIDDEN: dict[int | str, dict[str, Any]] = {
    204: {
        "description": "Saved, but the new audience no longer includes you, so the case is not returned "
        "(reading it now answers 404)"
    }
}
CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {
        "description": "The case's state forbids this step (e.g. closing an open case)",
        "content": PROBLEM_CONTENT,
    }
}


class ActionCaseCreate(BaseModel):
    """A new case: what it answers (``originKind`` and ``originRef``) and who may read it."""

    originKind: OriginKind
    originRef: str = Field(
        max_length=120, description="RUN_ID:GWCODE, ISO3, or the signal case's or scenario's id"
    )
    title: str = Field(
        min_length=1, max_length=service.TITLE_MAX, pattern=r"\S", description="Not only spaces"
    )
    countries: list[str] = Field(default_factory=list, max_length=50, description="Other countries (ISO3)")
    goals: list[int] = Field(default_factory=list, max_length=13)
    region: str | None = Field(default=None, max_length=40)
    description: str = Field(default="", max_length=service.TEXT_MAX)
    audience: Audience | None = Field(
        default=None,
        description="Default: all organisations; for a signal case its sharing group if yours, else your own",
    )
    sharingGroup: str | None = Field(default=None, max_length=64)


class ActionCaseChange(BaseModel):
    """A move in the workflow (closing records the outcome), or a new audience (the case's own
    organisation only; ``sharingGroup`` with ``sharing_group``)."""

    status: Status | None = None
    outcome: str = Field(default="", max_length=service.TEXT_MAX, description="When closing: what came of it")
    reason: str = Field(
        default="",
        max_length=service.TEXT_MAX,
        description="Why: needed to withdraw a decision (decided → options) or reopen a closed case",
    )
    audience: Audience | None = None
    sharingGroup: str | None = Field(default=None, max_length=64)


class ActionOptionCreate(BaseModel):
    """An option considered, with an instrument of the strategy."""

    instrument: str = Field(max_length=40, examples=["diplomacy"])
    description: str = Field(max_length=service.TEXT_MAX)


class ActionDecisionCreate(BaseModel):
    """The decision: act with an option, or not act with reasons."""

    choice: Choice
    optionId: int | None = Field(default=None, ge=1, le=MAX_ROW_ID)
    reasoning: str = Field(default="", max_length=service.TEXT_MAX)


class FollowUpCreate(BaseModel):
    """A follow-up date."""

    dueOn: date
    note: str = Field(default="", max_length=service.TEXT_MAX)


class FollowUpChange(BaseModel):
    """Mark a follow-up as done (today)."""

    done: Literal[True]


class WarningResponsePage(Page[WarningResponse]):
    """Every alert since the first forecast run with its response, and the figures per region."""

    regions: list[RegionResponse]
    runs: int
    forecastRuns: list[ForecastRunUsed] = Field(
        description="The runs compared (of the watchlist's target and horizon), oldest first; no alert "
        "can date from before the first: those years have no data"
    )
    alertRules: AlertRulesUsed


@router.get("/actions", response_model=Page[ActionCaseItem], summary="Early-action cases")
def read_actions(
    request: Request,
    response: Response,
    paging: Paging,
    status: Status | None = Query(default=None, description="Only cases in this status"),
) -> Page[ActionCaseItem]:
    """Early-action cases, newest first; ``overdueDays`` flags a late follow-up."""
    with action_session(request) as session:
        cases = service.list_cases(session, principal_of(request), status=status)
    return paginate(request, response, [ActionCaseItem.of(c) for c in cases], paging)


@router.get("/actions/{caseId}", response_model=ActionCaseDetail, summary="One early-action case")
def read_action(request: Request, case_id: int = CaseId) -> ActionCaseDetail:
    """A case with its frozen warning (model version, training cutoff, data vintage), options,
    decisions, follow-ups and outcome."""
    with action_session(request) as session:
        view = service.get_case(session, principal_of(request), case_id)
    return _detail(request, view)


def _detail(request: Request, view: CaseView) -> ActionCaseDetail:
    with forecasts_reader(request) as forecasts:
        newer = warning.newer_run(forecasts, view.warning, rules_of(request))
    return ActionCaseDetail(
        **ActionCaseItem.of(view.summary).model_dump(),
        description=view.description,
        owner=view.owner,
        audience=view.audience,
        sharingGroup=view.sharing_group,
        goals=list(view.goals),
        warning=view.warning,
        options=[asdict(o) for o in view.options],
        decisions=[asdict(d) for d in view.decisions],
        followUps=[asdict(f) for f in view.follow_ups],
        outcome=view.outcome,
        updatedAt=view.updated_at,
        newerRun=ForecastRunUsed.of(newer) if newer else None,
    )


@router.get("/warning-responses", response_model=WarningResponsePage, summary="The warning-response gap")
def read_warning_responses(
    request: Request, response: Response, paging: Paging, lang: Language
) -> WarningResponsePage:
    """Each watchlist alert since the first forecast run: was a case opened, and how long until a decision."""
    with forecasts_reader(request) as forecasts, action_session(request) as session:
        rules = rules_of(request)
        report = service.gap_report(
            session, principal_of(request), forecasts, rules, outcomes=outcomes_of(request, rules)
        )
    worded = alert_worder(request.app.state.web.catalogs[lang], lang)
    rows = [WarningResponse.of(row, worded) for row in report.rows]
    paged = paginate(request, response, rows, paging)
    regions = [RegionResponse.of(r) for r in report.regions]
    return WarningResponsePage(
        **paged.model_dump(), regions=regions, runs=report.runs,
        forecastRuns=[ForecastRunUsed.of(run) for run in report.run_infos],
        alertRules=AlertRulesUsed.of(rules_provenance(request)),
    )  # fmt: skip


def _after(request: Request, case_id: int) -> ActionCaseDetail:
    with action_session(request) as session:
        view = service.get_case(session, principal_of(request), case_id)
    return _detail(request, view)


@router.post(
    "/actions", response_model=ActionCaseDetail, status_code=201, summary="Open an early-action case",
    responses=CREATED, dependencies=WRITE,
)  # fmt: skip
def create_action(request: Request, response: Response, body: ActionCaseCreate) -> ActionCaseDetail:
    """Open a case from an alert, a country, a signal case or a scenario; the warning is frozen into it."""
    with forecasts_reader(request) as forecasts, action_session(request) as session:
        case_id = service.open_case(
            session, principal_of(request), forecasts=forecasts, rules=rules_of(request),
            origin=body.originKind, reference=body.originRef, title=body.title, countries=body.countries,
            goals=body.goals, region=body.region, description=body.description, audience=body.audience,
            sharing_group=body.sharingGroup,
        )  # fmt: skip
    response.headers["Location"] = f"{request.url.path}/{case_id}"
    return _after(request, case_id)


@router.patch(
    "/actions/{caseId}", response_model=ActionCaseDetail, summary="Move a case in the workflow",
    responses=HIDDEN | CONFLICT, dependencies=WRITE,
)  # fmt: skip
def change_action(
    request: Request, body: ActionCaseChange, case_id: int = CaseId
) -> ActionCaseDetail | Response:
    """open → options → decided → follow_up → closed (``decided`` only through a decision), and who
    may read the case (the step first, then the audience). An admin without an organisation may give a
    case without an owning organisation an audience she is not in: that is saved and answers 204
    without the case."""
    if body.status is None and body.audience is None:
        raise InputError(
            said("give a status (a step in the workflow) or an audience (who may read the case)")
        )
    readable = True
    with action_session(request) as session:
        if body.status is not None:
            service.move(
                session, principal_of(request), case_id, body.status, outcome=body.outcome, reason=body.reason
            )
        if body.audience is not None:
            readable = service.share(
                session, principal_of(request), case_id, body.audience, body.sharingGroup
            )
    return _after(request, case_id) if readable else Response(status_code=204)


@router.post(
    "/actions/{caseId}/options", response_model=ActionCaseDetail, status_code=201,
    summary="Add an option to a case", responses=CREATED, dependencies=WRITE,
)  # fmt: skip
def create_option(
    request: Request, response: Response, body: ActionOptionCreate, case_id: int = CaseId
) -> ActionCaseDetail:
    """An option with an instrument of the strategy (while the case is open or weighing options)."""
    with action_session(request) as session:
        service.add_option(
            session, principal_of(request), case_id, instrument=body.instrument, description=body.description
        )
    response.headers["Location"] = request.url.path.rsplit("/", 1)[0]
    return _after(request, case_id)


@router.post(
    "/actions/{caseId}/decisions", response_model=ActionCaseDetail, status_code=201,
    summary="Record the decision on a case", responses=CREATED | CONFLICT, dependencies=DECIDE,
)  # fmt: skip
def create_decision(
    request: Request, response: Response, body: ActionDecisionCreate, case_id: int = CaseId
) -> ActionCaseDetail:
    """Who decided what and when (``actions:decide``): an option taken, or not to act with reasons."""
    with action_session(request) as session:
        service.decide(
            session, principal_of(request), case_id, choice=body.choice, option_id=body.optionId,
            reasoning=body.reasoning,
        )  # fmt: skip
    response.headers["Location"] = request.url.path.rsplit("/", 1)[0]
    return _after(request, case_id)


@router.post(
    "/actions/{caseId}/follow-ups", response_model=ActionCaseDetail, status_code=201,
    summary="Plan a follow-up of a case", responses=CREATED, dependencies=WRITE,
)  # fmt: skip
def create_follow_up(
    request: Request, response: Response, body: FollowUpCreate, case_id: int = CaseId
) -> ActionCaseDetail:
    """A follow-up date after the decision."""
    with action_session(request) as session:
        service.add_follow_up(session, principal_of(request), case_id, due_on=body.dueOn, note=body.note)
    response.headers["Location"] = request.url.path.rsplit("/", 1)[0]
    return _after(request, case_id)


@router.patch(
    "/actions/{caseId}/follow-ups/{followUpId}", response_model=ActionCaseDetail,
    summary="Mark a follow-up as done", dependencies=WRITE,
)  # fmt: skip
def change_follow_up(
    request: Request, body: FollowUpChange, case_id: int = CaseId, follow_up_id: int = FollowUpId
) -> ActionCaseDetail:
    """``{"done": true}`` marks the follow-up as done today."""
    with action_session(request) as session:
        service.complete_follow_up(session, principal_of(request), case_id, follow_up_id)
    return _after(request, case_id)
