"""``/api/v1/signals`` and ``/api/v1/cases``: the signals register under need-to-know.

Every answer holds only what the caller may see: the services put the need-to-know rule in the SQL
(:mod:`gbvs.db.signal_queries`), so a signal or case outside it is 404 (never 403) and absent from
lists, totals and statistics. Reads, searches and exports are audited by the services (``signals.*``,
``cases.*``) and, in remote mode, by the request trail (:mod:`gbvs.web.audit`). STIX 2.1 by content
negotiation: ``Accept: application/stix+json;version=2.1`` on a signal, a case or a list answers a
STIX bundle with the marking definitions of what it holds.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from fastapi import Depends, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from gbvs import countries
from gbvs.db.services import cases as case_service
from gbvs.db.services import signals as service
from gbvs.db.signal_queries import SignalFilter
from gbvs.db.signal_search import printable
from gbvs.db.types import MAX_ROW_ID
from gbvs.errors import PermissionDeniedError, Said, said
from gbvs.security import Permission
from gbvs.signals.assessment import AssessmentInput
from gbvs.signals.form import parse_signal
from gbvs.signals.markings import Distribution, Tlp, parse_classification, parse_tlp
from gbvs.signals.model import SignalKind
from gbvs.web import csrf
from gbvs.web.api.common import Page, Paging, api_router, one_page
from gbvs.web.api.exportnotes import about_lines, reader_of
from gbvs.web.auth import require
from gbvs.web.problems import problem_response
from gbvs.web.queries.countries import country_filter
from gbvs.web.queries.strategy import current_strategy
from gbvs.web.signalaccess import STIX_MEDIA_TYPE, Db, Reader, vocabulary, wants_stix
from gbvs.web.signalviews import AssessmentItem, SignalDetail, SignalItem, assessment_item, signal_detail

router = api_router(Permission.signals_read, "signals")
SignalId = Path(alias="signalId", ge=1, le=MAX_ROW_ID, description="The signal's number.")
CaseId = Path(alias="caseId", ge=1, le=MAX_ROW_ID, description="The case's number.")
STIX_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": f"JSON; a STIX 2.1 bundle with Accept: {STIX_MEDIA_TYPE}",
        "content": {STIX_MEDIA_TYPE: {"schema": {"type": "object"}}},
    }
}
WRITE = [Depends(require(Permission.signals_write)), Depends(csrf.bearer_only)]
CREATED: dict[int | str, dict[str, Any]] = {201: {"description": "Created; Location names the record"}}
HIDDEN: dict[int | str, dict[str, Any]] = {
    204: {
        "description": "Saved, but the new marking no longer shares the signal with you, so it is not "
        "returned (reading it now answers 404)"
    }
}


def _goal_numbers(schema: dict[str, Any]) -> None:
    """The goals as an ``enum``, read when the document is built (not at import)."""
    schema["enum"] = [goal.number for goal in current_strategy().goals]


class SignalPage(Page[SignalItem]):
    """A page of signals; ``total`` is exact when ``totalIsExact``, else a lower bound."""

    totalIsExact: bool


StatisticKey = StrEnum("StatisticKey", {name: name for name in service.STATISTICS})  # type: ignore[misc]
"""What statistics count signals by (the service's list)."""


class Statistic(BaseModel):
    """How many visible signals have one value of the grouping."""

    key: str
    count: int


class CaseItem(BaseModel):
    """A case as lists show it; ``signals`` counts only the members the caller may see."""

    id: int
    title: str
    owner: str
    tlp: str
    signals: int
    createdAt: datetime
    goals: list[int] = Field(description="The strategy goals the case concerns; empty: none given")


class CaseDetail(BaseModel):
    """A case: its visible signals, each organisation's current assessment side by side, and the
    joint position when one was agreed (who agreed and when)."""

    id: int
    title: str
    description: str
    owner: str
    tlp: str
    signals: list[SignalItem]
    assessments: list[AssessmentItem]
    jointPosition: AssessmentItem | None
    goals: list[int] = Field(
        description="The strategy goals the case concerns; empty: none given (cases made before goals were "
        "kept have none until their owner gives them)"
    )


class AssessmentCreate(BaseModel):
    """The caller's organisation's assessment of a signal or case (a new version; earlier ones stay),
    as ``gbvs signals assess`` and ``gbvs cases assess``."""

    judgement: str = Field(max_length=case_service.TEXT_MAX, description="The judgement, in words")
    likelihood: str = Field(max_length=40, examples=["likely"], description="Estimative language")
    confidence: str = Field(max_length=40, examples=["moderate"], description="low, moderate or high")
    suspectedActor: str | None = Field(default=None, max_length=case_service.ACTOR_MAX)
    sponsorState: str | None = Field(default=None, max_length=60, description="ISO3 code or country name")
    evidence: str = Field(default="", max_length=case_service.TEXT_MAX)

    def given(self) -> AssessmentInput:
        """The assessment as the service takes it (the same mapping as the forms and commands)."""
        return AssessmentInput.from_fields(self.model_dump())


class MarkingUpdate(BaseModel):
    """A new marking of a signal (its owner's organisation only), as ``gbvs signals mark``: lowering
    the TLP needs a ``reason``, kept in the audit log."""

    tlp: str = Field(max_length=20, examples=["amber"])
    distribution: Distribution | None = Field(default=None, description="Default: unchanged")
    sharingGroup: str | None = Field(default=None, max_length=64)
    recipients: list[str] = Field(default_factory=list, max_length=200, description="TLP:RED only")
    classification: str | None = Field(default=None, max_length=40, description="Default: unchanged")
    reason: str = Field(default="", max_length=case_service.TEXT_MAX)

    def change(self) -> service.MarkingChange:
        """The service's marking change."""
        return service.MarkingChange(
            tlp=parse_tlp(self.tlp),
            distribution=self.distribution,
            sharing_group=self.sharingGroup or None,
            recipients=tuple(self.recipients),
            classification=parse_classification(self.classification) if self.classification else None,
            reason=self.reason,
        )


class CaseCreate(BaseModel):
    """A new case of the caller's organisation grouping signals the caller may see, as
    ``gbvs cases create``."""

    title: str = Field(min_length=1, max_length=300, pattern=r"\S", description="Not only spaces")
    signals: list[int] = Field(min_length=1, max_length=200, description="Numbers of signals you may see")
    tlp: str = Field(default="amber", max_length=20, examples=["amber"])
    distribution: Distribution = Distribution.organisation
    sharingGroup: str | None = Field(default=None, max_length=64)
    recipients: list[str] = Field(default_factory=list, max_length=200, description="TLP:RED only")
    description: str = Field(default="", max_length=case_service.TEXT_MAX)
    goals: list[int] = Field(default_factory=list, max_length=13, description="Goals of the strategy (1-13)")


class CaseSignalsAdd(BaseModel):
    """Signals the caller may see, added to a case of their organisation."""

    signals: list[int] = Field(min_length=1, max_length=200)


class CaseUpdate(BaseModel):
    """The strategy goals a case of the caller's organisation concerns (replacing those it had)."""

    goals: list[int] = Field(max_length=13, description="Goals of the strategy (1-13); empty: none")


class SignalCreate(BaseModel):
    """A new signal of the caller's organisation (lists may also be given comma-separated)."""

    title: str = Field(max_length=300)
    kind: str = Field(max_length=40, examples=["disinformation"])
    description: str = Field(default="", max_length=20_000)
    reportedOn: str = Field(default="", max_length=10, description="YYYY-MM-DD; today when empty.")
    observedOn: str = Field(default="", max_length=10, description="YYYY-MM-DD")
    tlp: str = Field(default="amber", max_length=20, examples=["amber"])
    distribution: str = Field(default="organisation", max_length=30)
    sharingGroup: str = Field(default="", max_length=64)
    recipients: list[str] = Field(default_factory=list, max_length=200)
    classification: str = Field(default="", max_length=40)
    reliability: str = Field(default="f", max_length=1)
    credibility: str = Field(default="6", max_length=1)
    actorCountries: list[str] = Field(default_factory=list, max_length=200)
    targetCountries: list[str] = Field(default_factory=list, max_length=200)
    threats: list[str] = Field(default_factory=list, max_length=200)
    goals: list[str] = Field(default_factory=list, max_length=200)
    techniques: list[str] = Field(default_factory=list, max_length=200)
    sectors: list[str] = Field(default_factory=list, max_length=200)
    tags: list[str] = Field(default_factory=list, max_length=200)

    def fields(self) -> dict[str, list[str]]:
        """The request as form fields (every value a list of strings)."""
        return {
            key: value if isinstance(value, list) else [value] for key, value in self.model_dump().items()
        }


def signal_filter(
    q: str = Query(default="", max_length=200, description="Words to find in title and description."),
    kind: SignalKind | None = Query(default=None),
    threat: int | None = Query(default=None, ge=1, le=100, description="Strategy threat number."),
    goal: int | None = Query(default=None, ge=1, le=100, description="Strategy goal number."),
    country: str | None = Query(default=None, pattern=r"^[A-Za-z]{3}$", description="ISO3 code."),
    technique: str | None = Query(default=None, max_length=64, description="DISARM or ATT&CK id."),
    tag: str | None = Query(default=None, max_length=64),
    organisation: str | None = Query(default=None, max_length=20, description="Owner organisation code."),
    tlp: Tlp | None = Query(
        default=None, description="TLP 2.0 marking (send amber+strict as amber%2Bstrict)."
    ),
    reportedFrom: date | None = Query(default=None, description="Reported on or after."),
    reportedTo: date | None = Query(default=None, description="Reported on or before."),
    suspectedActor: str | None = Query(
        default=None,
        max_length=200,
        description="A suspected actor an organisation's current assessment names (any case), e.g. APT28.",
    ),
    sponsorState: str | None = Query(
        default=None,
        pattern=r"^[A-Za-z]{3}$",
        description="ISO3 code of the sponsor state an assessment names, or an actor country of the signal.",
    ),
) -> SignalFilter:
    """The filters of a list, search, statistic or export."""
    return SignalFilter(
        text=printable(q),
        kind=kind,
        threat=threat,
        goal=goal,
        country=country_filter(country, countries.country).iso3 if country else None,
        technique=technique.upper() if technique else None,
        tag=tag,
        organisation=organisation.upper() if organisation else None,
        tlp=tlp,
        reported_from=reportedFrom,
        reported_to=reportedTo,
        suspected_actor=printable(suspectedActor).strip() or None if suspectedActor else None,
        sponsor_state=sponsorState.upper() if sponsorState else None,
    )


Filters = Annotated[SignalFilter, Depends(signal_filter)]


def stix_response(document: dict[str, Any]) -> JSONResponse:
    """A STIX bundle with its media type."""
    return JSONResponse(document, media_type=STIX_MEDIA_TYPE)


def labelled(request: Request) -> service.About:
    """The lines a STIX bundle of ``request`` says about itself (its provenance note), as the API's CSV
    and Excel downloads say them: in the reader's language, with the request's filters and the day."""
    reader = reader_of(request)
    return lambda provenance, count: about_lines(provenance, count, reader)


@router.get(
    "/signals",
    response_model=SignalPage,
    summary="Signals shared with the caller (search and filters)",
    responses=STIX_RESPONSE,
)
def read_signals(
    request: Request,
    response: Response,
    paging: Paging,
    db: Db,
    principal: Reader,
    wanted: Filters,
) -> SignalPage | Response:
    """Newest first. With the STIX Accept header: a bundle of every matching signal (up to 10,000)."""
    if wants_stix(request):
        return stix_response(service.export_stix(db, principal, wanted, about=labelled(request)))
    found = service.list_signals(db, principal, wanted, page=paging.page, page_size=paging.size)
    items = [SignalItem.of(item) for item in found.items]
    page = one_page(request, response, items, paging, found.total)
    return SignalPage(**page.model_dump(), totalIsExact=found.total_is_exact)


@router.get(
    "/signals/statistics",
    response_model=list[Statistic],
    summary="Counts of the caller's visible signals by threat, goal, kind, country, quarter or organisation",
)
def read_signal_statistics(
    db: Db,
    principal: Reader,
    wanted: Filters,
    by: StatisticKey = Query(default=StatisticKey("threat"), description="What to count signals by."),
) -> list[Statistic]:
    """Only signals the caller may see are counted; the filters are those of ``GET /signals`` (and of the
    statistics page), so a period (``reportedFrom``, ``reportedTo``) counts the signals reported in it."""
    counts = service.signal_statistics(db, principal, wanted, by.value)
    return [Statistic(key=key, count=count) for key, count in counts]


@router.get(
    "/signals/{signalId}",
    response_model=SignalDetail,
    summary="One signal with each organisation's current assessment",
    responses=STIX_RESPONSE,
)
def read_signal(
    request: Request, db: Db, principal: Reader, signal_id: int = SignalId
) -> SignalDetail | Response:
    """404 when the signal does not exist or is not shared with the caller (the same answer)."""
    row = service.get_signal(db, principal, signal_id)
    if wants_stix(request):
        scope = f"signal {row.id}"
        return stix_response(
            service.export_stix_of(db, principal, [row.id], scope=scope, about=labelled(request))
        )
    assessments = case_service.signal_assessments(db, principal, signal_id)
    return signal_detail(row, assessments)


@router.post(
    "/signals",
    response_model=SignalDetail,
    status_code=201,
    summary="Add a signal of the caller's organisation",
    responses={201: {"description": "Created; Location names the new signal"}},
    dependencies=[Depends(require(Permission.signals_write)), Depends(csrf.bearer_only)],
)
def create_signal(
    request: Request, response: Response, body: SignalCreate, db: Db, principal: Reader
) -> SignalDetail | Response:
    """Checked field by field; a wrong field answers 400 with ``invalidParams`` naming it."""
    owner = principal.organisation_code
    if owner is None:
        raise PermissionDeniedError(
            said(
                "user %(user)s belongs to no organisation; signals are owned by an organisation: %(next)s",
                user=principal.named(),
                next=Said.of(principal.organisation_next_step()),
            )
        )
    parsed = parse_signal(body.fields(), owner=owner, today=date.today(), known=vocabulary(request))
    if parsed.draft is None:
        invalid = [{"name": error.field, "reason": error.message} for error in parsed.errors]
        detail = "invalid signal: " + "; ".join(f"{e.field}: {e.message}" for e in parsed.errors)
        return problem_response(request, 400, detail, extra={"invalidParams": invalid})
    signal_id = service.create_signal(db, principal, parsed.draft)
    db.commit()
    response.headers["Location"] = f"{request.url.path}/{signal_id}"
    return signal_detail(service.get_signal(db, principal, signal_id), ())


@router.get(
    "/cases",
    response_model=Page[CaseItem],
    summary="Cases shared with the caller",
    responses=STIX_RESPONSE,
)
def read_cases(
    request: Request,
    response: Response,
    paging: Paging,
    db: Db,
    principal: Reader,
    goal: int | None = Query(
        default=None,
        description="Only the cases of this goal of the strategy (1-13 in GBVS 2018-2022)",
        json_schema_extra=_goal_numbers,
    ),
) -> Page[CaseItem] | Response:
    """Newest first. With the STIX Accept header: a bundle of the visible signals of this page's cases."""
    items, total = case_service.list_cases(db, principal, page=paging.page, page_size=paging.size, goal=goal)
    if wants_stix(request):
        ids = [sid for item in items for sid in case_service.visible_case_signal_ids(db, principal, item.id)]
        return stix_response(
            service.export_stix_of(db, principal, ids, scope="cases", about=labelled(request))
        )
    cases = [
        CaseItem(
            id=i.id,
            title=i.title,
            owner=i.owner,
            tlp=i.tlp,
            signals=i.signals,
            createdAt=i.created_at,
            goals=list(i.goals),
        )
        for i in items
    ]
    return one_page(request, response, cases, paging, total)


@router.get(
    "/cases/{caseId}",
    response_model=CaseDetail,
    summary="One case: the organisations' assessments side by side and the joint position",
    responses=STIX_RESPONSE,
)
def read_case(request: Request, db: Db, principal: Reader, case_id: int = CaseId) -> CaseDetail | Response:
    """404 when the case does not exist or is not shared with the caller."""
    case = case_service.get_case(db, principal, case_id)
    if wants_stix(request):
        ids = case_service.visible_case_signal_ids(db, principal, case_id)
        bundle = service.export_stix_of(db, principal, ids, scope=f"case {case_id}", about=labelled(request))
        return stix_response(bundle)
    return case_detail(case)


def case_detail(case: case_service.CaseView) -> CaseDetail:
    """A case as the API answers it."""
    return CaseDetail(
        id=case.id,
        title=case.title,
        description=case.description,
        owner=case.owner,
        tlp=case.tlp,
        signals=[SignalItem.of(item) for item in case.signals],
        assessments=[assessment_item(view) for view in case.assessments],
        jointPosition=assessment_item(case.joint_position) if case.joint_position else None,
        goals=list(case.goals),
    )


@router.post(
    "/signals/{signalId}/assessments",
    response_model=SignalDetail,
    status_code=201,
    summary="Record the caller's organisation's assessment of a signal",
    responses=CREATED,
    dependencies=WRITE,
)
def create_assessment(
    request: Request,
    response: Response,
    body: AssessmentCreate,
    db: Db,
    principal: Reader,
    signal_id: int = SignalId,
) -> SignalDetail:
    """A new version of the organisation's assessment (earlier ones stay); 404 when the signal is not
    shared with the caller. Answers the signal with each organisation's current assessment."""
    case_service.record_assessment(db, principal, body.given(), signal_id=signal_id)
    db.commit()
    response.headers["Location"] = request.url.path.rsplit("/", 1)[0]
    return signal_detail(
        service.get_signal(db, principal, signal_id),
        case_service.signal_assessments(db, principal, signal_id),
    )


@router.patch(
    "/signals/{signalId}",
    response_model=SignalDetail,
    summary="Change a signal's marking (its owner's organisation; lowering needs a reason)",
    responses=HIDDEN,
    dependencies=WRITE,
)
def change_marking(
    body: MarkingUpdate, db: Db, principal: Reader, signal_id: int = SignalId
) -> SignalDetail | Response:
    """TLP, distribution, sharing group, recipients and classification, checked as on the command line
    (refusals are audited); 404 when the signal is not shared with the caller."""
    service.change_marking(db, principal, signal_id, body.change())
    db.commit()
    if not service.is_visible(db, principal, signal_id):
        return Response(status_code=204)
    return signal_detail(
        service.get_signal(db, principal, signal_id),
        case_service.signal_assessments(db, principal, signal_id),
    )


@router.post(
    "/cases",
    response_model=CaseDetail,
    status_code=201,
    summary="Create a case of the caller's organisation",
    responses=CREATED,
    dependencies=WRITE,
)
def create_case(
    request: Request, response: Response, body: CaseCreate, db: Db, principal: Reader
) -> CaseDetail:
    """Only signals the caller may see can be grouped (another answers 404, as reading it would); the
    case's marking and audience are checked as a signal's."""
    case_id = case_service.create_case(
        db,
        principal,
        title=body.title,
        signal_ids=body.signals,
        tlp=parse_tlp(body.tlp),
        distribution=body.distribution,
        description=body.description,
        sharing_group=body.sharingGroup or None,
        recipients=tuple(body.recipients),
        goals=body.goals,
    )
    db.commit()
    response.headers["Location"] = f"{request.url.path}/{case_id}"
    return case_detail(case_service.get_case(db, principal, case_id))


@router.patch(
    "/cases/{caseId}",
    response_model=CaseDetail,
    summary="Set the strategy goals of a case of the caller's organisation",
    dependencies=WRITE,
)
def change_case(body: CaseUpdate, db: Db, principal: Reader, case_id: int = CaseId) -> CaseDetail:
    """The goals replace those the case had (an empty list: none)."""
    case_service.set_goals(db, principal, case_id, body.goals)
    db.commit()
    return case_detail(case_service.get_case(db, principal, case_id))


@router.post(
    "/cases/{caseId}/signals",
    response_model=CaseDetail,
    status_code=201,
    summary="Add signals to a case of the caller's organisation",
    responses=CREATED,
    dependencies=WRITE,
)
def add_case_signals(
    request: Request,
    response: Response,
    body: CaseSignalsAdd,
    db: Db,
    principal: Reader,
    case_id: int = CaseId,
) -> CaseDetail:
    """Only signals the caller may see (another answers 404 and nothing is added)."""
    case_service.add_signals(db, principal, case_id, body.signals)
    db.commit()
    response.headers["Location"] = request.url.path.rsplit("/", 1)[0]
    return case_detail(case_service.get_case(db, principal, case_id))
