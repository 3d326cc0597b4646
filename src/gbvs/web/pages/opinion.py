"""Publieksopinie / Public opinion: polls with weighted charts and intervals, question detail with
breakdowns, published tables with their caveat, and consultations (coding screen per coder,
reliability table, summary). Response text is shown only on the coding screen, to coders."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from gbvs import numbers
from gbvs.db.opinion_models import CodebookChangeKind
from gbvs.db.services import (
    consultation_codebook,
    consultation_coding,
    consultation_reports,
    consultation_round,
    consultations,
)
from gbvs.db.services.consultation_codebook import CodebookRevision
from gbvs.db.types import MAX_ROW_ID
from gbvs.errors import DatabaseError, GBVSError, InputError, NotFoundError, SourceError, said
from gbvs.opinion.aggregate import shipped_aggregates
from gbvs.opinion.estimates import MIN_BASE_RELIABLE, MIN_BASE_SHOWN
from gbvs.opinion.polls import WAVE, QuestionResult, Trend, wave_trend
from gbvs.opinion.questionnaire import Comparability
from gbvs.opinion.reader import shipped_definitions
from gbvs.opinion.reliability import RESAMPLES
from gbvs.security import Permission
from gbvs.web import csrf
from gbvs.web.charts import Axis, Interval, interval_chart
from gbvs.web.labels import (
    CODEBOOK_CHANGES,
    CONSULTATION_PHASES,
    RESPONDENT_TYPES,
    REWORDINGS,
    ROUND_CHANGES,
    rewording,
)
from gbvs.web.opinion_charts import Bar, share_chart
from gbvs.web.pages.common import page_router
from gbvs.web.queries.opinion import as_principal, poll, question_result
from gbvs.web.render import N_, render_page

router = page_router(Permission.opinion_read)
coding_router = page_router(Permission.opinion_code)
codebook_router = page_router(Permission.opinion_codebook)
BASE = "/publieksopinie"
OVERVIEW_QUESTIONS = 4
Slug = Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9-]+$")]
Ident = Annotated[str, Path(max_length=100, pattern=r"^[A-Za-z0-9_.-]+$")]
CheckedForm = Annotated[csrf.Form, Depends(csrf.checked_form)]
Gettext = Callable[[str], str]
WORDS = {"phase_words": CONSULTATION_PHASES, "type_words": RESPONDENT_TYPES}
"""The consultation ids the templates show in words (``_(type_words[kind])``)."""


def _bars(result: QuestionResult, lang: str, group: str = "all") -> list[Bar]:
    return [
        Bar(result.question.answer_label(e.category, lang), e.share, e.lower, e.upper)
        for e in result.estimates
        if e.group == group
    ]


def _chart(result: QuestionResult, lang: str, group: str = "all") -> Any:
    text = result.question.text(lang)
    share = numbers.percent_formatter(lang, 1)
    description = "; ".join(
        f"{b.label} {share(b.share)} ({share(b.lower)}–{share(b.upper)})" for b in _bars(result, lang, group)
    )
    return share_chart(_bars(result, lang, group), text, description, share)


MARKS = {
    Comparability.not_comparable: N_("not comparable"),
    Comparability.unknown: N_("comparability unknown"),
}


def _trend_chart(result: QuestionResult, lang: str, t: Gettext) -> tuple[Any, Trend]:
    """The first answer's share per wave; a wave that is not (known to be) comparable is drawn open."""
    answer = next(iter(result.question.answers))
    found = wave_trend(result, answer)
    points = [p for p in found.points if p.estimate.group.isdigit()]
    marks = {p.estimate.group: t(MARKS[p.comparable]) if p.comparable in MARKS else "" for p in points}
    intervals = [
        Interval(float(e.group), e.share, e.lower, e.upper, marks[e.group])
        for e in (p.estimate for p in points)
    ]
    label = result.question.answer_label(answer, lang)
    share = numbers.percent_formatter(lang, 1)
    description = "; ".join(
        f"{e.group}: {share(e.share)} ({share(e.lower)}–{share(e.upper)})"
        + (f" [{marks[e.group]}]" if marks[e.group] else "")
        for e in (p.estimate for p in points)
    )
    axis = Axis(format=numbers.percent_formatter(lang), range=(0.0, 1.0))
    title = f"{result.question.text(lang)}: {label}"
    return interval_chart(intervals, title, description, y_axis=axis), found


def _poll_card(request: Request, poll_id: str, lang: str) -> dict[str, Any]:
    try:
        data = poll(request, poll_id)
    except (SourceError, NotFoundError) as exc:  # e.g. no mirror on this laptop: say so, show the rest
        return {
            "definition": shipped_definitions()[poll_id],
            "charts": [],
            "trend": None,
            "missing": exc,  # its words: the page says it in the reader's language
        }
    definition = data.definition
    card: dict[str, Any] = {"definition": definition, "charts": [], "trend": None, "missing": None}
    if definition.wave:
        t = request.app.state.web.catalogs[lang].gettext
        chart, found = _trend_chart(
            question_result(request, definition.id, definition.questions[0].id, WAVE), lang, t
        )
        into = {c.later.estimate.group: c for c in found.changes}
        rows = [(point, into.get(point.estimate.group)) for point in found.points]
        card["trend"] = {"chart": chart, "trend": found, "rows": rows, "question": definition.questions[0]}
        return card
    for question in definition.questions[:OVERVIEW_QUESTIONS]:
        result = question_result(request, definition.id, question.id, None)
        card["charts"].append({"question": question, "chart": _chart(result, lang), "result": result})
    return card


def _consultation_list(request: Request) -> tuple[list[Any], str | None]:
    try:
        none: list[Any] = []
        return as_principal(request, consultations.list_consultations, empty=none), None
    except DatabaseError as exc:
        return [], str(exc)


@router.get(BASE, response_class=HTMLResponse)
def opinion_page(request: Request) -> HTMLResponse:
    """Polls with weighted charts, published tables, consultations."""
    lang = request.state.lang
    cards = [_poll_card(request, poll_id, lang) for poll_id in shipped_definitions()]
    listed, problem = _consultation_list(request)
    context = {
        "cards": cards,
        "published": shipped_aggregates(),
        "consultations": listed,
        "db_problem": problem,
        **WORDS,
    }
    return render_page(request, "opinion.html", context)


@router.get(BASE + "/peilingen/{poll_id}/{question_id}", response_class=HTMLResponse)
def question_page(
    request: Request,
    poll_id: Ident,
    question_id: Ident,
    uitsplitsing: Annotated[str | None, Query(max_length=50, pattern=r"^[A-Za-z0-9_]+$")] = None,
) -> HTMLResponse:
    """One question: shares with intervals, the weights' report, and a breakdown by group or wave."""
    lang = request.state.lang
    data = poll(request, poll_id)
    overall = question_result(request, poll_id, question_id, None)
    by = question_result(request, poll_id, question_id, uitsplitsing) if uitsplitsing else None
    groups = sorted({e.group for e in by.estimates}) if by else []
    context = {
        "definition": data.definition,
        "result": overall,
        "chart": _chart(overall, lang),
        "by": by,
        "by_charts": [(g, _chart(by, lang, g)) for g in groups] if by and uitsplitsing != WAVE else [],
        "breakdowns": sorted(data.definition.groups) + ([WAVE] if data.definition.wave else []),
        "selected": uitsplitsing,
        "pooled_waves": data.definition.wave is not None and uitsplitsing != WAVE,
        "wave": WAVE,
        "min_base_shown": MIN_BASE_SHOWN,
        "min_base_reliable": MIN_BASE_RELIABLE,
    }
    return render_page(request, "opinion_question.html", context)


@router.get(BASE + "/consultaties/{slug}/betrouwbaarheid", response_class=HTMLResponse)
def reliability_page(request: Request, slug: Slug) -> HTMLResponse:
    """Krippendorff's alpha per theme with the 0.667 and 0.8 flags."""
    found = as_principal(request, lambda s, p: consultations.get_consultation(s, p, slug))
    rows = as_principal(request, lambda s, p: consultation_reports.reliability(s, p, slug))
    context = {
        "consultation": found,
        "rows": rows,
        "themes": {t.code: t for t in found.themes},
        "resamples": RESAMPLES,
        **_history(request, slug),
    }
    return render_page(request, "consultation_reliability.html", context)


def _history(request: Request, slug: str) -> dict[str, Any]:
    """The codebook's revisions and the coders withdrawn from the round, as both pages show them."""
    return {
        "changes": as_principal(request, lambda s, p: consultation_codebook.codebook_changes(s, p, slug)),
        "withdrawn": as_principal(request, lambda s, p: consultation_round.withdrawn_coders(s, p, slug)),
        "round_history": as_principal(request, lambda s, p: consultation_round.round_history(s, p, slug)),
        "round_words": ROUND_CHANGES,
        "change_words": CODEBOOK_CHANGES,
        "reword_words": REWORDINGS,
        "rewording": rewording,
    }


CODEBOOK_PAGE = BASE + "/consultaties/{slug}/codeboek"


def _codebook_page(
    request: Request,
    slug: str,
    refused: dict[str, GBVSError] | None = None,
    typed: dict[str, Any] | None = None,
) -> HTMLResponse:
    """The coordinator's page: the codebook in force, a form per revision, withdrawing a coder, the
    history. A refusal shows the page again with the message above its form and what was typed in it."""
    found = as_principal(request, lambda s, p: consultations.get_consultation(s, p, slug))
    coders = as_principal(request, lambda s, p: consultation_round.round_coders(s, p, slug))
    context = {
        "consultation": found,
        "coders": coders,
        "refused": refused or {},
        "typed": typed or {},
        "kinds": [kind.value for kind in CodebookChangeKind],
        **_history(request, slug),
        **WORDS,
    }
    status = 400 if refused else 200
    return render_page(request, "consultation_codebook.html", context, status_code=status)


def _field(form: csrf.Form, name: str) -> str:
    return form.get(name, [""])[0].strip()


def _revision(form: csrf.Form) -> CodebookRevision:
    """The revision the form asks for; a kind the form does not offer is refused."""
    kind = _field(form, "kind")
    if kind not in {k.value for k in CodebookChangeKind}:
        raise InputError(said("'%(kind)s' is not a codebook revision; choose one of the forms", kind=kind))
    return CodebookRevision(
        CodebookChangeKind(kind),
        _field(form, "code"),
        _field(form, "reason"),
        label_nl=_field(form, "label_nl") or None,
        label_en=_field(form, "label_en") or None,
        parent=_field(form, "parent") or None,
        into=_field(form, "into") or None,
        meaning_changed=_field(form, "meaning") != "editorial",
    )


@codebook_router.get(CODEBOOK_PAGE, response_class=HTMLResponse)
def codebook_page(request: Request, slug: Slug) -> HTMLResponse:
    """Revise the codebook (add, reword, merge, retire a theme) and withdraw a coder who has left."""
    return _codebook_page(request, slug)


@codebook_router.post(CODEBOOK_PAGE + "/herzien", response_model=None)
def revise_form(request: Request, slug: Slug, form: CheckedForm) -> Response:
    """Apply one revision through the same service as ``gbvs opinion consultations codebook``."""
    try:
        change = _revision(form)
        as_principal(request, lambda s, p: consultation_codebook.revise_codebook(s, p, slug, change))
    except InputError as refusal:
        kind = _field(form, "kind")
        typed = {kind: {name: values[0] for name, values in form.items() if values}}
        return _codebook_page(request, slug, {kind: refusal}, typed)
    return RedirectResponse(f"{BASE}/consultaties/{slug}/codeboek#herzieningen", status_code=303)


@codebook_router.post(CODEBOOK_PAGE + "/codeur-terugtrekken", response_model=None)
def withdraw_form(request: Request, slug: Slug, form: CheckedForm) -> Response:
    """Withdraw a coder who has left from the coding round (with a reason)."""
    coder, reason = _field(form, "coder"), _field(form, "reason")
    try:
        as_principal(request, lambda s, p: consultation_round.withdraw_coder(s, p, slug, coder, reason))
    except (InputError, NotFoundError) as refusal:
        typed = {"withdraw": {"coder": coder, "reason": reason}}
        return _codebook_page(request, slug, {"withdraw": refusal}, typed)
    return RedirectResponse(f"{BASE}/consultaties/{slug}/codeboek#teruggetrokken", status_code=303)


@codebook_router.post(CODEBOOK_PAGE + "/codeur-terugzetten", response_model=None)
def reinstate_form(request: Request, slug: Slug, form: CheckedForm) -> Response:
    """Undo a withdrawal made in error (with a reason): the coder's codes count again."""
    coder, reason = _field(form, "coder"), _field(form, "reason")
    try:
        as_principal(request, lambda s, p: consultation_round.reinstate_coder(s, p, slug, coder, reason))
    except (InputError, NotFoundError) as refusal:
        typed = {"reinstate": {"coder": coder, "reason": reason}}
        return _codebook_page(request, slug, {"reinstate": refusal}, typed)
    return RedirectResponse(f"{BASE}/consultaties/{slug}/codeboek#coderonde", status_code=303)


@router.get(BASE + "/consultaties/{slug}/samenvatting", response_class=HTMLResponse)
def summary_page(request: Request, slug: Slug) -> HTMLResponse:
    """Counts per theme per question with anonymised quotes of consenting respondents only."""
    lang = request.state.lang
    found = as_principal(request, lambda s, p: consultation_reports.summary(s, p, slug, lang))
    return render_page(request, "consultation_summary.html", {"summary": found, **WORDS})


@coding_router.get(BASE + "/consultaties/{slug}/codering", response_class=HTMLResponse)
def coding_page(request: Request, slug: Slug) -> HTMLResponse:
    """The coder's own screen: anonymised responses, the codebook, and only their own codes."""
    found = as_principal(request, lambda s, p: consultations.get_consultation(s, p, slug))
    try:
        responses = as_principal(request, lambda s, p: consultation_coding.responses_for_coder(s, p, slug))
        problem = None
    except InputError as exc:  # e.g. not a named account: said in the page's language
        responses, problem = [], exc
    context = {"consultation": found, "responses": responses, "problem": problem, **WORDS}
    return render_page(request, "consultation_coding.html", context)


@coding_router.post(BASE + "/consultaties/{slug}/codering/{response_id}")
def code_form(
    request: Request, slug: Slug, response_id: Annotated[int, Path(ge=1, le=MAX_ROW_ID)], form: CheckedForm
) -> RedirectResponse:
    """Store the coder's themes for one response, then return to the coding screen."""
    themes = form.get("theme", [])
    as_principal(request, lambda s, p: consultation_coding.code_response(s, p, response_id, themes))
    return RedirectResponse(f"{BASE}/consultaties/{slug}/codering#r{response_id}", status_code=303)
