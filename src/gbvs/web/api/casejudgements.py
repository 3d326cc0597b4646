"""``/api/v1/cases/{caseId}/assessments`` and ``/joint-positions``: judging a case together.

Each organisation records its own assessment of a case (a new version; earlier ones stay), and the
organisation that owns the case records the joint position, naming the organisations that agreed
(only those that recorded their own). The same service as ``gbvs cases assess`` and ``gbvs cases
agree`` (:func:`gbvs.db.services.cases.assess`: the same authorization and audit); a case outside the
caller's need-to-know answers 404 and nothing is written.
"""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import Request, Response
from pydantic import Field

from gbvs.db.services import cases as case_service
from gbvs.security import Permission
from gbvs.web.api.common import api_router
from gbvs.web.api.signals import CREATED, WRITE, AssessmentCreate, CaseDetail, CaseId, case_detail
from gbvs.web.signalaccess import Db, Reader
from gbvs.web.signalviews import AssessmentItem, assessment_item

router = api_router(Permission.signals_read, "signals")


class JointPositionCreate(AssessmentCreate):
    """The joint position of a case (by the organisation that owns it), as ``gbvs cases agree``: the
    judgement agreed, and the organisations that agreed to it."""

    agreedBy: list[str] = Field(
        min_length=1,
        max_length=50,
        examples=[["BZ", "AIVD"]],
        description="Codes of the organisations that agreed: the owner, and organisations that recorded "
        "their own assessment of the case (another is refused, naming it)",
    )


@router.get(
    "/cases/{caseId}/assessments",
    response_model=list[AssessmentItem],
    summary="Every version of every assessment of a case, and of its joint position, oldest first",
)
def read_case_assessments(db: Db, principal: Reader, case_id: int = CaseId) -> list[AssessmentItem]:
    """The history: superseded versions stay (dissent and changes of mind visible); 404 when the case
    is not shared with the caller."""
    views = case_service.assessment_history(db, principal, case_id=case_id)
    return [assessment_item(view) for view in views]


@router.post(
    "/cases/{caseId}/assessments",
    response_model=CaseDetail,
    status_code=201,
    summary="Record the caller's organisation's assessment of a case",
    responses=CREATED,
    dependencies=WRITE,
)
def create_case_assessment(
    request: Request,
    response: Response,
    body: AssessmentCreate,
    db: Db,
    principal: Reader,
    case_id: int = CaseId,
) -> CaseDetail:
    """A new version of the organisation's assessment (earlier ones stay); 404 when the case is not
    shared with the caller. Answers the case with each organisation's current assessment."""
    _assess(db, principal, case_id, body, ())
    response.headers["Location"] = request.url.path.rsplit("/", 1)[0]
    return case_detail(case_service.get_case(db, principal, case_id))


@router.post(
    "/cases/{caseId}/joint-positions",
    response_model=CaseDetail,
    status_code=201,
    summary="Record the joint position of a case of the caller's organisation",
    responses=CREATED,
    dependencies=WRITE,
)
def create_joint_position(
    request: Request,
    response: Response,
    body: JointPositionCreate,
    db: Db,
    principal: Reader,
    case_id: int = CaseId,
) -> CaseDetail:
    """A new version of the joint position (the earlier stays in the history), by the organisation
    that owns the case; ``agreedBy`` names only organisations that recorded their own assessment (400
    naming the others). 404 when the case is not shared with the caller."""
    _assess(db, principal, case_id, body, body.agreedBy)
    response.headers["Location"] = request.url.path.rsplit("/", 1)[0]
    return case_detail(case_service.get_case(db, principal, case_id))


def _assess(db: Db, principal: Reader, case_id: int, body: AssessmentCreate, agreed: Sequence[str]) -> None:
    case_service.record_assessment(
        db, principal, body.given(), case_id=case_id, joint_position_of=tuple(agreed)
    )
    db.commit()
