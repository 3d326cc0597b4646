"""``/api/v1/actions`` and ``/api/v1/warning-responses``: early-action cases and the response gap (read)."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import Path, Query, Request, Response

from gbvs.actions import service
from gbvs.actions.workflow import Status
from gbvs.security import Permission
from gbvs.web.api.common import Page, Paging, paginate
from gbvs.web.api.common import api_router as _router
from gbvs.web.queries.actions import (
    ActionCaseDetail,
    ActionCaseItem,
    RegionResponse,
    WarningResponse,
    action_session,
    forecasts_reader,
    outcomes_of,
    principal_of,
    rules_of,
)

router = _router(Permission.actions_read, "actions")
CaseId = Path(alias="caseId", ge=1, le=2**31 - 1, description="The case number.")


class WarningResponsePage(Page[WarningResponse]):
    """Every alert since the first forecast run with its response, and the figures per region."""

    regions: list[RegionResponse]
    runs: int


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
    return ActionCaseDetail(
        **ActionCaseItem.of(view.summary).model_dump(),
        description=view.description,
        owner=view.owner,
        goals=list(view.goals),
        warning=view.warning,
        options=[asdict(o) for o in view.options],
        decisions=[asdict(d) for d in view.decisions],
        followUps=[asdict(f) for f in view.follow_ups],
        outcome=view.outcome,
        updatedAt=view.updated_at,
    )


@router.get("/warning-responses", response_model=WarningResponsePage, summary="The warning-response gap")
def read_warning_responses(request: Request, response: Response, paging: Paging) -> WarningResponsePage:
    """Each watchlist alert since the first forecast run: was a case opened, and how long until a decision."""
    with forecasts_reader(request) as forecasts, action_session(request) as session:
        rules = rules_of(request)
        report = service.gap_report(
            session, principal_of(request), forecasts, rules, outcomes=outcomes_of(request, rules)
        )
    rows = [WarningResponse.of(row) for row in report.rows]
    paged = paginate(request, response, rows, paging)
    regions = [RegionResponse.of(r) for r in report.regions]
    return WarningResponsePage(**paged.model_dump(), regions=regions, runs=report.runs)
