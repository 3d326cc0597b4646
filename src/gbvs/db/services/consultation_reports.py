"""Reports over a coded consultation: intercoder reliability per theme and the summary per question.

While coding runs, only managers (``opinion:manage``) read them (they show no individual codes);
afterwards every reader. A theme counts for a response when the adjudicator decided so, or, without
a decision, when every coder of that response agreed; otherwise it is *unresolved*. A parent theme
applies when it or one of its children does. Quotes come only from respondents who consented to
publication, anonymised; nothing else of the response text leaves this module.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from gbvs.db.audit import authorize_audited
from gbvs.db.opinion_models import (
    Consultation,
    ConsultationCoding,
    ConsultationPhase,
    ConsultationQuestion,
    ConsultationRespondent,
    ConsultationResponse,
    ConsultationTheme,
)
from gbvs.db.services.consultation_coding import adjudications, coding_rows
from gbvs.db.services.consultations import consultation_by_slug
from gbvs.errors import InputError
from gbvs.opinion.anonymise import quotable
from gbvs.opinion.reliability import ThemeReliability, reliability_matrix, theme_alpha
from gbvs.security.permissions import Permission
from gbvs.security.principal import Principal


@dataclass(frozen=True)
class ThemeCount:
    """How many responses to a question a theme applies to, with consenting respondents' quotes."""

    code: str
    parent: str | None
    label: str
    count: int
    unresolved: int
    quotes: tuple[str, ...]
    trends: tuple[str, ...]
    threats: tuple[int, ...]
    goals: tuple[int, ...]


@dataclass(frozen=True)
class QuestionSummary:
    """One question: its responses, how many are coded, and the theme counts."""

    number: int
    text: str
    responses: int
    coded: int
    themes: tuple[ThemeCount, ...]


@dataclass(frozen=True)
class ConsultationSummary:
    """The summary of a consultation; ``provisional`` while coding runs."""

    slug: str
    title: str
    phase: str
    codebook_id: str
    codebook_is_draft: bool
    provisional: bool
    respondents_by_type: Mapping[str, int]
    questions: tuple[QuestionSummary, ...]


def _needed(consultation: Consultation) -> Permission:
    """Managers only while coding runs (no coder may learn of the others' work), then every reader."""
    return (
        Permission.opinion_manage
        if consultation.phase is ConsultationPhase.coding
        else Permission.opinion_read
    )


def _ancestors(themes: list[ConsultationTheme]) -> dict[str, tuple[str, ...]]:
    parent = {t.code: t.parent_code for t in themes}

    def chain(code: str) -> tuple[str, ...]:
        found: list[str] = []
        while code is not None:
            found.append(code)
            code = parent.get(code)  # type: ignore[assignment]
        return tuple(found)

    return {t.code: chain(t.code) for t in themes}


def _expanded(codes: list[str], ancestors: Mapping[str, tuple[str, ...]]) -> set[str]:
    """A coder's codes with every parent theme of them."""
    return {theme for code in codes for theme in ancestors[code]}


def _judgements(
    codings: list[ConsultationCoding], ancestors: Mapping[str, tuple[str, ...]]
) -> dict[int, dict[str, set[str]]]:
    """response id -> coder -> themes applied (parents included)."""
    found: dict[int, dict[str, set[str]]] = {}
    for coding in codings:
        found.setdefault(coding.response_id, {})[coding.coder.username] = _expanded(
            [code.theme.code for code in coding.codes], ancestors
        )
    return found


def reliability(session: Session, principal: Principal, slug: str) -> tuple[ThemeReliability, ...]:
    """Krippendorff's alpha per theme over the responses coded by two or more coders."""
    consultation = consultation_by_slug(session, slug)
    authorize_audited(
        session, principal, _needed(consultation), "consultations.reliability", "consultation", slug
    )
    ancestors = _ancestors(consultation.themes)
    judged = _judgements(coding_rows(session, consultation), ancestors)
    coders = sorted({coder for per in judged.values() for coder in per})
    units = [str(response_id) for response_id in sorted(judged)]
    coded = {coder: [str(r) for r, per in judged.items() if coder in per] for coder in coders}
    results = []
    for theme in consultation.themes:
        applied = [
            (coder, str(r))
            for r, per in judged.items()
            for coder, themes in per.items()
            if theme.code in themes
        ]
        results.append(theme_alpha(theme.code, reliability_matrix(coded, applied, coders, units)))
    return tuple(results)


def _decision(
    response_id: int,
    theme: str,
    judged: Mapping[int, Mapping[str, set[str]]],
    decided: Mapping[tuple[int, str], bool],
) -> bool | None:
    if (response_id, theme) in decided:
        return decided[(response_id, theme)]
    votes = {theme in themes for themes in judged.get(response_id, {}).values()}
    return votes.pop() if len(votes) == 1 else None


def _decided(
    consultation: Consultation,
    decided: Mapping[tuple[int, str], bool],
    ancestors: Mapping[str, tuple[str, ...]],
) -> dict[tuple[int, str], bool]:
    """Adjudications with parent themes filled in (a parent applies when a decided child does)."""
    found = dict(decided)
    for (response_id, code), applies in decided.items():
        if applies:
            for parent in ancestors[code][1:]:
                found[(response_id, parent)] = True
    return found


SHOWN_UNRESOLVED = 5
"""How many unresolved disagreements a refusal to close names."""


def check_resolved(session: Session, consultation: Consultation) -> None:
    """Refuse to close while a response has a theme its coders disagree on and nobody decided (no
    authorization: the caller checks). The counts become final at closing; an unresolved theme would
    be left out of them silently."""
    ancestors = _ancestors(consultation.themes)
    judged = _judgements(coding_rows(session, consultation), ancestors)
    decided = _decided(consultation, adjudications(session, consultation), ancestors)
    open_ = [
        (response_id, theme.code)
        for response_id in sorted(judged)
        for theme in consultation.themes
        if _decision(response_id, theme.code, judged, decided) is None
    ]
    if open_:
        shown = "; ".join(f"response {r}: {code}" for r, code in open_[:SHOWN_UNRESOLVED])
        count = "1 disagreement is" if len(open_) == 1 else f"{len(open_)} disagreements are"
        raise InputError(
            f"consultation {consultation.slug!r} cannot be closed: {count} unresolved ({shown}"
            + ("; ..." if len(open_) > SHOWN_UNRESOLVED else "")
            + "); decide each with `gbvs opinion consultations adjudicate RESPONSE THEME --applies` "
            "(or --does-not-apply) first"
        )


def summary(
    session: Session, principal: Principal, slug: str, language: str = "nl", quotes: int = 2
) -> ConsultationSummary:
    """Counts per theme per question, unresolved disagreements, and anonymised quotes (consent only)."""
    consultation = consultation_by_slug(session, slug)
    authorize_audited(
        session, principal, _needed(consultation), "consultations.summary", "consultation", slug
    )
    ancestors = _ancestors(consultation.themes)
    judged = _judgements(coding_rows(session, consultation), ancestors)
    decided = _decided(consultation, adjudications(session, consultation), ancestors)
    responses = list(
        session.scalars(
            select(ConsultationResponse)
            .join(ConsultationQuestion)
            .where(ConsultationQuestion.consultation_id == consultation.id)
            .options(
                selectinload(ConsultationResponse.respondent), selectinload(ConsultationResponse.question)
            )
            .order_by(ConsultationResponse.id)
        )
    )
    questions = tuple(
        _question(
            question,
            [r for r in responses if r.question_id == question.id],
            consultation,
            judged,
            decided,
            language,
            quotes,
        )
        for question in consultation.questions
    )
    types = Counter(
        session.scalars(
            select(ConsultationRespondent.respondent_type).where(
                ConsultationRespondent.consultation_id == consultation.id
            )
        )
    )
    return ConsultationSummary(
        consultation.slug,
        consultation.title,
        consultation.phase.value,
        consultation.codebook_id,
        consultation.codebook_is_draft,
        consultation.phase is ConsultationPhase.coding,
        {kind.value: n for kind, n in sorted(types.items())},
        questions,
    )


def _question(
    question: ConsultationQuestion,
    responses: list[ConsultationResponse],
    consultation: Consultation,
    judged: Mapping[int, Mapping[str, set[str]]],
    decided: Mapping[tuple[int, str], bool],
    language: str,
    quotes: int,
) -> QuestionSummary:
    counts = []
    for theme in consultation.themes:
        outcome = {
            r.id: _decision(r.id, theme.code, judged, decided)
            for r in responses
            if r.id in judged or any(k[0] == r.id for k in decided)
        }
        applies = [r for r in responses if outcome.get(r.id) is True]
        texts = [
            text
            for r in applies
            if (text := quotable(r.respondent.consent_to_publish, r.text, [r.respondent.name])) is not None
        ][:quotes]
        counts.append(
            ThemeCount(
                theme.code,
                theme.parent_code,
                theme.label_en if language == "en" else theme.label_nl,
                len(applies),
                sum(1 for v in outcome.values() if v is None),
                tuple(texts),
                tuple(theme.links.get("trends", ())),
                tuple(theme.links.get("threats", ())),
                tuple(theme.links.get("goals", ())),
            )
        )
    coded = sum(1 for r in responses if r.id in judged)
    return QuestionSummary(question.number, question.text, len(responses), coded, tuple(counts))
