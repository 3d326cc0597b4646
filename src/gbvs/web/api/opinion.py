"""``/api/v1/polls``, ``published-polls`` and ``consultations``: public opinion and consultations.

Polls are read from the mirror; estimates carry their interval basis (design- or model-based).
Consultation resources never hold response text, except the anonymised quotes of respondents who
consented to publication.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from enum import StrEnum
from typing import Any

from fastapi import Depends, Path, Query, Request, Response
from pydantic import BaseModel, Field

from gbvs.db.opinion_models import CodebookChangeKind
from gbvs.db.services import (
    consultation_codebook,
    consultation_export,
    consultation_reports,
    consultation_round,
    consultations,
)
from gbvs.db.services.consultation_codebook import CODE_MAX, LABEL_MAX, CodebookChangeView, CodebookRevision
from gbvs.db.services.consultation_round import REASON_MAX, RoundChange
from gbvs.db.types import MAX_ROW_ID
from gbvs.errors import InputError, NotFoundError, said
from gbvs.opinion.aggregate import shipped_aggregates
from gbvs.opinion.estimates import MIN_BASE_RELIABLE, MIN_BASE_SHOWN, Estimate
from gbvs.opinion.polls import WAVE, Change, QuestionResult, TrendPoint, wave_trend
from gbvs.opinion.questionnaire import WaveWording
from gbvs.opinion.reader import shipped_definitions
from gbvs.security import Permission
from gbvs.web import csrf
from gbvs.web.api.common import Page, Paging, api_router, paginate
from gbvs.web.api.exportnotes import about_lines, reader_of
from gbvs.web.api.xlsx import XLSX_TYPE, xlsx_bytes
from gbvs.web.auth import require
from gbvs.web.queries.opinion import as_principal, question_result

router = api_router(Permission.opinion_read, "opinion")
ID_PATTERN = r"^[A-Za-z0-9_.-]+$"
IdPath = Path(max_length=100, pattern=ID_PATTERN)
COORDINATE = [Depends(require(Permission.opinion_codebook)), Depends(csrf.bearer_only)]
"""Revising the codebook and withdrawing or reinstating a coder: the consultation's coordinator, with a
Bearer token (the services check the organisation again and audit)."""
CREATED: dict[int | str, dict[str, Any]] = {201: {"description": "Created; Location names it"}}


class PollSummary(BaseModel):
    """A respondent-level poll GBVS reads from the mirror."""

    id: str
    titleNl: str
    titleEn: str
    sampleKind: str
    citation: str
    licence: str
    questions: list[str]
    breakdowns: list[str]


class ShareEstimate(BaseModel):
    """One answer's weighted share (0-1) in one group, with its 95% interval; ``base`` is the group's
    respondents in the base (the n of the share), ``count`` those of them who gave this answer."""

    group: str
    category: str
    labelNl: str
    labelEn: str
    share: float
    lower: float
    upper: float
    stderr: float
    base: int
    count: int
    smallBase: bool = Field(description=f"The base is under {MIN_BASE_RELIABLE} respondents.")
    effectiveN: float = Field(
        description="The sample size the interval rests on: p(1-p)/stderr² (at most `base`), or Kish's "
        "effective size at 0% and 100%; differences use it too."
    )
    n: int = Field(
        deprecated=True,
        description="Deprecated: the respondents giving this answer, not the sample size; use `count` "
        "(or `base` for the group's respondents in the base).",
    )


class SuppressedGroupOut(BaseModel):
    """A group not estimated because its base is under the minimum (``minBaseShown``)."""

    group: str
    base: int


class WeightReportOut(BaseModel):
    """Range of the weights, Kish design effect and effective sample size."""

    n: int
    minimum: float
    maximum: float
    ratio: float
    designEffect: float
    effectiveN: float


class ProvenanceOut(BaseModel):
    """Where the figures come from and how they were computed."""

    citation: str
    licence: str
    fieldwork: str
    file: str
    sha256: str | None
    weight: str = Field(description="The weight variable used (or that there is none).")
    outsideBase: list[str] = Field(description="Answer codes left out of the base.")
    intervalMethod: str
    design: str = Field(description="What of the sampling design the intervals take into account.")


class WaveWordingOut(BaseModel):
    """What one wave asked and whether it is comparable with the other waves of the trend."""

    group: str = Field(description="The wave as its estimates name it (e.g. 1996).")
    wave: str = Field(description="The wave's code in the file (e.g. ZA2828).")
    label: str | None = Field(description="The item's label in the source file; null when not known.")
    text: str | None = Field(description="The question text asked in this wave; null when not known.")
    comparability: str = Field(description="`comparable`, `not comparable` or `unknown`.")
    reasonNl: str
    reasonEn: str


class QuestionEstimates(BaseModel):
    """A question's weighted shares; ``intervalBasis`` is model-based for a non-probability sample."""

    poll: str
    question: str
    textNl: str
    textEn: str
    by: str | None
    base: int
    sampleKind: str
    intervalBasis: str
    note: str
    weights: WeightReportOut
    estimates: list[ShareEstimate]
    suppressedGroups: list[SuppressedGroupOut]
    minBaseShown: int
    minBaseReliable: int
    provenance: ProvenanceOut
    waves: list[WaveWordingOut] = Field(description="Per wave what it asked (only with `by=wave`).")


class TrendPointOut(ShareEstimate):
    """One wave's share with its comparability."""

    wording: WaveWordingOut


class TrendChangeOut(BaseModel):
    """From one wave to the next: the difference with Newcombe's interval on the effective sample sizes,
    or no difference at all (null) when either wave is not comparable."""

    fromWave: str
    toWave: str
    comparability: str
    reasonNl: str
    reasonEn: str
    difference: float | None
    lower: float | None
    upper: float | None
    pValue: float | None = Field(
        description="Unadjusted: the level at which the interval reaches 0; 1e-12 means 1e-12 or smaller "
        "(the search stops there)."
    )
    adjustedPValue: float | None = Field(description="After Holm's adjustment over `comparisons`.")
    significant: bool | None = Field(description="Adjusted p-value under 0.05.")


class QuestionTrend(BaseModel):
    """One answer's share per wave, each wave's comparability and the changes between waves."""

    poll: str
    question: str
    answer: str
    intervalBasis: str
    points: list[TrendPointOut]
    changes: list[TrendChangeOut]
    comparisons: int = Field(description="Changes tested (those between non-comparable waves are not).")
    adjustment: str
    differenceMethod: str
    suppressedGroups: list[SuppressedGroupOut]
    provenance: ProvenanceOut


class PublishedResultOut(BaseModel):
    """A published percentage and its base."""

    id: str
    questionNl: str
    questionEn: str
    n: int
    percent: float


class PublishedPoll(BaseModel):
    """A poll published without microdata, with its method and caveat (no intervals)."""

    id: str
    titleNl: str
    titleEn: str
    producer: str
    fieldwork: str
    methodNl: str
    methodEn: str
    sampleKind: str
    caveatNl: str
    caveatEn: str
    source: str
    results: list[PublishedResultOut]


class ConsultationOut(BaseModel):
    """A consultation (no response text)."""

    slug: str
    title: str
    phase: str
    codebookId: str
    codebookIsDraft: bool
    respondents: int
    responses: int
    codebookVersion: int = Field(
        description="The codebook version in force (1 at import; each revision adds one)."
    )


class CoderUnitsOut(BaseModel):
    """How many of alpha's responses one coder judged."""

    coder: str
    units: int


class ThemeReliabilityOut(BaseModel):
    """Krippendorff's alpha for one theme, its interval and its verdict (judged on the interval's lower
    end: under 0.667 unreliable, under 0.8 tentative)."""

    theme: str
    alpha: float | None
    lower: float | None = Field(
        description="Lower end of alpha's 95% percentile bootstrap interval over the responses (1,000 "
        "seeded resamples); null when alpha is undefined or over 5% of the resamples show no variation."
    )
    upper: float | None = Field(description="Upper end of that interval (null as `lower`).")
    verdict: str = Field(
        description="reliable, tentative, unreliable or undefined, judged on the lower end of the interval "
        "(`lower` >= 0.8 reliable, >= 0.667 tentative); without an interval on `alpha`, at most tentative."
    )
    verdictBasis: str | None = Field(
        description="What the verdict rests on: `lower` (the interval's lower end), `point` (alpha itself, "
        "no interval) or null (no alpha)."
    )
    units: int = Field(description="The responses coded by two or more coders: alpha's basis.")
    coders: int
    codebookVersion: int = Field(
        description="The codebook version from which the codings count for this theme: codings made under "
        "an earlier version (before the theme was added or reworded) are left out."
    )
    coderUnits: list[CoderUnitsOut] = Field(
        default_factory=list,
        description="Per coder the responses of `units` they judged; coders withdrawn from the coding are "
        "not among them (their codes count for no alpha).",
    )


class ThemeCountOut(BaseModel):
    """A theme's count in one question, unresolved disagreements and consenting respondents' quotes."""

    code: str
    parent: str | None
    label: str
    count: int
    unresolved: int
    quotes: list[str]
    trends: list[str]
    threats: list[int]
    goals: list[int]


class QuestionSummaryOut(BaseModel):
    """One consultation question summarised."""

    number: int
    text: str
    responses: int
    coded: int
    themes: list[ThemeCountOut]


class ConsultationSummaryOut(BaseModel):
    """The summary of a consultation (provisional while coding runs)."""

    slug: str
    title: str
    phase: str
    codebookId: str = Field(
        description="The codebook the responses were coded with (its id names its version)."
    )
    codebookIsDraft: bool
    provisional: bool
    respondentsByType: dict[str, int]
    questions: list[QuestionSummaryOut]
    codebookVersion: int = Field(description="The codebook version in force.")


class CodebookChangeOut(BaseModel):
    """One revision of a consultation's codebook: what changed, who, when and why."""

    version: int = Field(description="The codebook version the change made (2 for the first revision).")
    kind: str = Field(description="add, reword, merge or retire.")
    theme: str
    into: str | None = Field(description="For a merge: the theme the merged one now counts as.")
    before: dict[str, Any]
    after: dict[str, Any]
    reason: str
    author: str
    madeAt: datetime
    meaningChanged: bool | None = Field(
        default=None,
        description="For a rewording: true when it changed the theme's meaning (its codings are asked "
        "again), false when it was editorial (spelling, clarity: they stay valid); null for other kinds.",
    )


class CodebookChangeCreate(BaseModel):
    """A revision of the codebook, as the page's forms and `gbvs opinion consultations codebook` make it."""

    kind: CodebookChangeKind = Field(description="add, reword, merge or retire.")
    theme: str = Field(min_length=1, max_length=CODE_MAX, description="The theme's code (a new one to add).")
    reason: str = Field(max_length=REASON_MAX, description="Why (needed; kept in the codebook's history).")
    labelNl: str | None = Field(default=None, max_length=LABEL_MAX, description="add, reword: Dutch label.")
    labelEn: str | None = Field(default=None, max_length=LABEL_MAX, description="add, reword: English label.")
    parent: str | None = Field(default=None, max_length=CODE_MAX, description="add: the parent theme.")
    into: str | None = Field(default=None, max_length=CODE_MAX, description="merge: the theme it joins.")
    editorial: bool = Field(
        default=False,
        description="reword: true for spelling or clarity only (the codings stay valid); the default, "
        "false, is a change of meaning, whose codings are asked again.",
    )


class CoderChangeCreate(BaseModel):
    """Withdraw a coder who has left, or reinstate one withdrawn in error: who and why."""

    coder: str = Field(min_length=1, max_length=100, description="The coder's user name.")
    reason: str = Field(max_length=REASON_MAX, description="Why (needed; kept in the round's history).")


class CoderRoundChangeOut(BaseModel):
    """One step in a coder's place in the coding round: withdrawn, or reinstated (withdrawal undone)."""

    number: int = Field(description="Its place in the round's history, 1 for the first.")
    coder: str
    kind: str = Field(description="withdrawn or reinstated.")
    by: str
    madeAt: datetime
    reason: str


class ExportFieldOut(BaseModel):
    """One line of an export's provenance."""

    field: str
    value: Any


class CodedResponsesOut(BaseModel):
    """The coded responses with their provenance (the CSV's # lines, the workbook's second sheet)."""

    provenance: list[ExportFieldOut]
    columns: list[str]
    rows: list[dict[str, Any]]


@router.get("/polls", response_model=Page[PollSummary], summary="Polls with respondent-level data")
def read_polls(request: Request, response: Response, paging: Paging) -> Page[PollSummary]:
    """The polls read from the offline mirror, with their questions and breakdowns."""
    polls = [
        PollSummary(
            id=d.id,
            titleNl=d.title_nl,
            titleEn=d.title_en,
            sampleKind=d.sample_kind.value,
            citation=d.citation,
            licence=d.licence,
            questions=[q.id for q in d.questions],
            breakdowns=sorted(d.groups) + ([WAVE] if d.wave else []),
        )
        for d in shipped_definitions().values()
    ]
    return paginate(request, response, polls, paging)


@router.get(
    "/polls/{pollId}/questions/{questionId}/estimates",
    response_model=QuestionEstimates,
    summary="Weighted shares of one question",
)
def read_question_estimates(
    request: Request,
    poll_id: str = Path(alias="pollId", max_length=100, pattern=ID_PATTERN, examples=["pew-2013-12"]),
    question_id: str = Path(alias="questionId", max_length=100, pattern=ID_PATTERN, examples=["q1"]),
    by: str | None = Query(
        default=None,
        max_length=50,
        pattern=r"^[A-Za-z0-9_]+$",
        description="A breakdown (e.g. sex) or `wave`.",
    ),
) -> QuestionEstimates:
    """Weighted shares of every answer (0% included) with 95% Korn-Graubard intervals: Clopper-Pearson on
    the effective sample size from samplics' Taylor variance. Groups with a base under `minBaseShown`
    are listed in `suppressedGroups` instead; `smallBase` flags a base under `minBaseReliable`."""
    result = question_result(request, poll_id, question_id, by)
    q, w = result.question, result.weights
    return QuestionEstimates(
        poll=result.poll,
        question=q.id,
        textNl=q.text_nl,
        textEn=q.text_en,
        by=result.by,
        base=result.base,
        sampleKind=result.sample_kind.value,
        intervalBasis=result.basis.value,
        note=result.note,
        weights=WeightReportOut(
            n=w.n,
            minimum=w.minimum,
            maximum=w.maximum,
            ratio=w.ratio,
            designEffect=w.design_effect,
            effectiveN=w.effective_n,
        ),
        estimates=[_share(result, e) for e in result.estimates],
        suppressedGroups=[SuppressedGroupOut(group=s.group, base=s.base) for s in result.suppressed],
        minBaseShown=MIN_BASE_SHOWN,
        minBaseReliable=MIN_BASE_RELIABLE,
        provenance=_provenance(result),
        waves=[_wording(group, wording) for group, wording in result.wordings.items()],
    )


def _share(result: QuestionResult, e: Estimate) -> ShareEstimate:
    q = result.question
    return ShareEstimate(
        group=e.group,
        category=e.category,
        labelNl=q.answer_label(e.category, "nl"),
        labelEn=q.answer_label(e.category, "en"),
        share=e.share,
        lower=e.lower,
        upper=e.upper,
        stderr=e.stderr,
        base=e.base,
        count=e.count,
        smallBase=e.small_base,
        effectiveN=e.effective_n,
        n=e.count,
    )


def _provenance(result: QuestionResult) -> ProvenanceOut:
    source = result.provenance
    return ProvenanceOut(
        citation=source.citation,
        licence=source.licence,
        fieldwork=source.fieldwork,
        file=source.file,
        sha256=source.sha256,
        weight=source.weight,
        outsideBase=list(source.outside_base),
        intervalMethod=source.interval_method,
        design=source.design,
    )


def _wording(group: str, wording: WaveWording) -> WaveWordingOut:
    return WaveWordingOut(
        group=group,
        wave=wording.wave,
        label=wording.label,
        text=wording.text,
        comparability=wording.status.value,
        reasonNl=wording.reason_nl,
        reasonEn=wording.reason_en,
    )


def _point(result: QuestionResult, point: TrendPoint) -> TrendPointOut:
    share = _share(result, point.estimate)
    return TrendPointOut(**share.model_dump(), wording=_wording(point.estimate.group, point.wording))


def _change(change: Change) -> TrendChangeOut:
    d = change.difference
    return TrendChangeOut(
        fromWave=change.earlier.estimate.group,
        toWave=change.later.estimate.group,
        comparability=change.status.value,
        reasonNl=change.reason_nl,
        reasonEn=change.reason_en,
        difference=None if d is None else d.difference,
        lower=None if d is None else d.lower,
        upper=None if d is None else d.upper,
        pValue=None if d is None else d.p_value,
        adjustedPValue=None if d is None else d.adjusted_p_value,
        significant=None if d is None else d.significant,
    )


@router.get(
    "/polls/{pollId}/questions/{questionId}/trend",
    response_model=QuestionTrend,
    summary="One answer's share per wave, with comparability and changes",
)
def read_question_trend(
    request: Request,
    poll_id: str = Path(
        alias="pollId", max_length=100, pattern=ID_PATTERN, examples=["eb-trust-parliament-nl"]
    ),
    question_id: str = Path(
        alias="questionId", max_length=100, pattern=ID_PATTERN, examples=["national_parliament"]
    ),
    answer: str = Query(max_length=100, description="The answer code to follow, e.g. `1`."),
) -> QuestionTrend:
    """The share of `answer` per wave with each wave's comparability (what it asked, from the poll
    definition), and the change between consecutive waves: Newcombe's hybrid score interval on the
    effective sample sizes, significance after Holm's adjustment over the `comparisons` changes tested.
    A change to or from a wave that is not comparable has no difference (null) and says why."""
    result = question_result(request, poll_id, question_id, WAVE)
    found = wave_trend(result, answer)
    if not found.points:
        raise InputError(
            said(
                "answer %(answer)s does not occur in poll %(poll)s, question %(question)s; "
                "use one of %(answers)s",
                answer=repr(answer),
                poll=repr(poll_id),
                question=repr(question_id),
                answers=str(sorted(result.question.answers)),
            )
        )
    return QuestionTrend(
        poll=result.poll,
        question=result.question.id,
        answer=answer,
        intervalBasis=result.basis.value,
        points=[_point(result, p) for p in found.points],
        changes=[_change(c) for c in found.changes],
        comparisons=found.comparisons,
        adjustment=found.adjustment,
        differenceMethod=found.difference_method,
        suppressedGroups=[SuppressedGroupOut(group=s.group, base=s.base) for s in result.suppressed],
        provenance=_provenance(result),
    )


@router.get(
    "/published-polls", response_model=Page[PublishedPoll], summary="Polls published without microdata"
)
def read_published_polls(request: Request, response: Response, paging: Paging) -> Page[PublishedPoll]:
    """Published figures (e.g. the SAMR flash poll of 2017) with their n, method and caveat."""
    polls = [
        PublishedPoll(
            id=a.id,
            titleNl=a.title_nl,
            titleEn=a.title_en,
            producer=a.producer,
            fieldwork=a.fieldwork,
            methodNl=a.method_nl,
            methodEn=a.method_en,
            sampleKind=a.sample_kind.value,
            caveatNl=a.caveat_nl,
            caveatEn=a.caveat_en,
            source=a.source,
            results=[
                PublishedResultOut(
                    id=r.id, questionNl=r.question_nl, questionEn=r.question_en, n=r.n, percent=r.percent
                )
                for r in a.results
            ],
        )
        for a in shipped_aggregates()
    ]
    return paginate(request, response, polls, paging)


@router.get("/consultations", response_model=Page[ConsultationOut], summary="Consultations")
def read_consultations(request: Request, response: Response, paging: Paging) -> Page[ConsultationOut]:
    """The consultations in the operational database (no response text)."""
    none: list[consultations.ConsultationView] = []
    found = as_principal(request, consultations.list_consultations, empty=none)
    items = [
        ConsultationOut(
            slug=c.slug,
            title=c.title,
            phase=c.phase,
            codebookId=c.codebook_id,
            codebookIsDraft=c.codebook_is_draft,
            respondents=c.respondents,
            responses=c.responses,
            codebookVersion=c.codebook_version,
        )
        for c in found
    ]
    return paginate(request, response, items, paging)


@router.get(
    "/consultations/{slug}/reliability",
    response_model=list[ThemeReliabilityOut],
    summary="Intercoder reliability per theme",
)
def read_consultation_reliability(request: Request, slug: str = IdPath) -> list[ThemeReliabilityOut]:
    """Krippendorff's alpha per theme (managers only while coding runs)."""
    found = as_principal(request, lambda s, p: consultation_reports.reliability(s, p, slug))
    return [
        ThemeReliabilityOut(
            theme=r.theme,
            alpha=r.alpha,
            lower=r.lower,
            upper=r.upper,
            verdict=r.verdict.value,
            verdictBasis=r.basis,
            units=r.units,
            coders=r.coders,
            codebookVersion=r.codebook_version,
            coderUnits=[CoderUnitsOut(coder=coder, units=n) for coder, n in r.coder_units],
        )
        for r in found
    ]


@router.get(
    "/consultations/{slug}/summary",
    response_model=ConsultationSummaryOut,
    summary="Summary of a consultation",
)
def read_consultation_summary(
    request: Request,
    slug: str = IdPath,
    lang: str = Query(default="nl", pattern="^(nl|en)$", description="Language of the theme labels."),
) -> ConsultationSummaryOut:
    """Counts per theme per question, with anonymised quotes of consenting respondents only."""
    found = as_principal(request, lambda s, p: consultation_reports.summary(s, p, slug, lang))
    data = asdict(found)
    return ConsultationSummaryOut(
        slug=found.slug,
        title=found.title,
        phase=found.phase,
        codebookId=found.codebook_id,
        codebookIsDraft=found.codebook_is_draft,
        provisional=found.provisional,
        respondentsByType=dict(found.respondents_by_type),
        questions=[
            QuestionSummaryOut(**{**q, "themes": [ThemeCountOut(**t) for t in q["themes"]]})
            for q in data["questions"]
        ],
        codebookVersion=found.codebook_version,
    )


def _change_out(c: CodebookChangeView) -> CodebookChangeOut:
    return CodebookChangeOut(
        version=c.version,
        kind=c.kind,
        theme=c.theme,
        into=c.into,
        before=c.before,
        after=c.after,
        reason=c.reason,
        author=c.author,
        madeAt=c.made_at,
        meaningChanged=c.meaning_changed,
    )


@router.get(
    "/consultations/{slug}/codebook-changes",
    response_model=list[CodebookChangeOut],
    summary="Revisions of a consultation's codebook",
)
def read_codebook_changes(request: Request, slug: str = IdPath) -> list[CodebookChangeOut]:
    """Each revision of the codebook (add, reword, merge, retire) with who, when and why, oldest first."""
    found = as_principal(request, lambda s, p: consultation_codebook.codebook_changes(s, p, slug))
    return [_change_out(c) for c in found]


def _one_change(request: Request, slug: str, version: int) -> CodebookChangeOut:
    found = as_principal(request, lambda s, p: consultation_codebook.codebook_changes(s, p, slug))
    change = next((c for c in found if c.version == version), None)
    if change is None:
        raise NotFoundError(
            said(
                "consultation '%(slug)s' has no codebook revision %(version)s; its revisions are listed "
                "at /api/v1/consultations/%(slug)s/codebook-changes",
                slug=slug,
                version=version,
            )
        )
    return _change_out(change)


@router.get(
    "/consultations/{slug}/codebook-changes/{version}",
    response_model=CodebookChangeOut,
    summary="One revision of a consultation's codebook",
)
def read_codebook_change(
    request: Request, slug: str = IdPath, version: int = Path(ge=2, le=MAX_ROW_ID)
) -> CodebookChangeOut:
    """The revision that made codebook version ``version`` (2 for the first revision)."""
    return _one_change(request, slug, version)


@router.post(
    "/consultations/{slug}/codebook-changes", response_model=CodebookChangeOut, status_code=201,
    summary="Revise a consultation's codebook", responses=CREATED, dependencies=COORDINATE,
)  # fmt: skip
def create_codebook_change(
    request: Request, response: Response, body: CodebookChangeCreate, slug: str = IdPath
) -> CodebookChangeOut:
    """Add, reword (``editorial`` or a change of meaning), merge or retire a theme, as a new codebook
    version: the consultation's coordinator (``opinion:codebook``), while it is coded, with a reason."""
    change = CodebookRevision(
        body.kind, body.theme, body.reason, body.labelNl, body.labelEn, body.parent, body.into,
        meaning_changed=not body.editorial,
    )  # fmt: skip
    version = as_principal(request, lambda s, p: consultation_codebook.revise_codebook(s, p, slug, change))
    response.headers["Location"] = f"{request.url.path}/{version}"
    return _one_change(request, slug, version)


def _round_changes(request: Request, slug: str) -> list[CoderRoundChangeOut]:
    found: list[RoundChange] = as_principal(
        request, lambda s, p: consultation_round.round_history(s, p, slug)
    )
    return [
        CoderRoundChangeOut(number=n, coder=c.coder, kind=c.kind, by=c.by, madeAt=c.at, reason=c.reason)
        for n, c in enumerate(found, start=1)
    ]


@router.get(
    "/consultations/{slug}/coder-changes",
    response_model=list[CoderRoundChangeOut],
    summary="Withdrawals and reinstatements of a consultation's coders",
)
def read_coder_changes(request: Request, slug: str = IdPath) -> list[CoderRoundChangeOut]:
    """Every withdrawal of a coder who left and every reinstatement (a withdrawal undone), oldest first:
    a withdrawal is never deleted, its undoing is recorded beside it."""
    return _round_changes(request, slug)


@router.get(
    "/consultations/{slug}/coder-changes/{number}",
    response_model=CoderRoundChangeOut,
    summary="One withdrawal or reinstatement of a coder",
)
def read_coder_change(
    request: Request, slug: str = IdPath, number: int = Path(ge=1, le=MAX_ROW_ID)
) -> CoderRoundChangeOut:
    """The ``number``-th step of the round's history (1 for the first)."""
    found = _round_changes(request, slug)
    if number > len(found):
        raise NotFoundError(
            said(
                "consultation '%(slug)s' has %(n)s withdrawals and reinstatements; there is no number "
                "%(number)s (see /api/v1/consultations/%(slug)s/coder-changes)",
                slug=slug,
                n=len(found),
                number=number,
            )
        )
    return found[number - 1]


def _created_change(request: Request, response: Response, slug: str) -> CoderRoundChangeOut:
    last = _round_changes(request, slug)[-1]
    response.headers["Location"] = f"/api/v1/consultations/{slug}/coder-changes/{last.number}"
    return last


@router.post(
    "/consultations/{slug}/coder-withdrawals", response_model=CoderRoundChangeOut, status_code=201,
    summary="Withdraw a coder who has left", responses=CREATED, dependencies=COORDINATE,
)  # fmt: skip
def create_coder_withdrawal(
    request: Request, response: Response, body: CoderChangeCreate, slug: str = IdPath
) -> CoderRoundChangeOut:
    """The coder's codes stay, shown as theirs, but count no longer (alpha is over the others); the
    coordinator, while the consultation is coded, with a reason. Location names the history entry."""
    as_principal(request, lambda s, p: consultation_round.withdraw_coder(s, p, slug, body.coder, body.reason))
    return _created_change(request, response, slug)


@router.post(
    "/consultations/{slug}/coder-reinstatements", response_model=CoderRoundChangeOut, status_code=201,
    summary="Reinstate a coder withdrawn in error", responses=CREATED, dependencies=COORDINATE,
)  # fmt: skip
def create_coder_reinstatement(
    request: Request, response: Response, body: CoderChangeCreate, slug: str = IdPath
) -> CoderRoundChangeOut:
    """Undo a withdrawal: the coder's codes count again; the withdrawal stays in the history with the
    reinstatement beside it. Same role and rules as withdrawing. Location names the history entry."""
    as_principal(
        request, lambda s, p: consultation_round.reinstate_coder(s, p, slug, body.coder, body.reason)
    )
    return _created_change(request, response, slug)


class CodedFormat(StrEnum):
    """Output format of the coded responses."""

    json = "json"
    csv = "csv"
    xlsx = "xlsx"


@router.get(
    "/consultations/{slug}/coded-responses",
    response_model=CodedResponsesOut,
    summary="Coded responses with every coder's codes (audited export)",
    responses={
        200: {
            "description": "JSON; CSV with the provenance as `# name: value` lines first (format=csv); Excel "
            "with the provenance on a second sheet (format=xlsx)",
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}},
            },
        }
    },
)
def read_coded_responses(
    request: Request, slug: str = IdPath, format: CodedFormat = CodedFormat.json
) -> CodedResponsesOut | Response:
    """Per response its final themes, every coder's codes and the codebook version they coded under,
    with alpha per theme and the provenance (from the adjudication phase on; each call is audited).
    No respondent name or reference; text only of consenting respondents, anonymised."""
    found = as_principal(request, lambda s, p: consultation_export.export_coded(s, p, slug, format.value))
    if format is CodedFormat.json:
        return CodedResponsesOut(
            provenance=[ExportFieldOut(field=name, value=value) for name, value in found.provenance],
            columns=list(found.columns),
            rows=list(found.rows),
        )
    headers = {"Content-Disposition": f'attachment; filename="{found.filename}"'}
    reader = reader_of(request)
    if format is CodedFormat.xlsx:
        data = xlsx_bytes(found.rows, found.columns, found.provenance, ("responses", "provenance"), reader)
        return Response(data, media_type=XLSX_TYPE, headers=headers)
    about = about_lines(found.provenance, len(found.rows), reader)
    return Response(
        consultation_export.csv_text(found, about), media_type="text/csv; charset=utf-8", headers=headers
    )
