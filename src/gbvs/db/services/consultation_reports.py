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
from dataclasses import dataclass, replace

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
)
from gbvs.db.services.consultation_codebook import theme_states, themes_in_use
from gbvs.db.services.consultation_coding import adjudications, coding_rows
from gbvs.db.services.consultation_round import withdrawn_ids
from gbvs.db.services.consultations import consultation_by_slug
from gbvs.errors import InputError, said
from gbvs.opinion.anonymise import quotable
from gbvs.opinion.reliability import ThemeReliability, reliability_matrix, theme_alpha
from gbvs.opinion.revisions import Judgement, ThemeState, ancestors, judgement, needs_recoding
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
    codebook_version: int = 1


def _needed(consultation: Consultation) -> Permission:
    """Managers only while coding runs (no coder may learn of the others' work), then every reader."""
    return (
        Permission.opinion_manage
        if consultation.phase is ConsultationPhase.coding
        else Permission.opinion_read
    )


Judged = Mapping[int, Mapping[str, Judgement]]
"""response id -> coder -> what their coding says under the codebook in force."""


def _judgements(
    codings: list[ConsultationCoding], states: Mapping[str, ThemeState]
) -> dict[int, dict[str, Judgement]]:
    """response id -> coder -> the themes their coding judges and applies (parents included), after
    the codebook's revisions (:func:`gbvs.opinion.revisions.judgement`)."""
    found: dict[int, dict[str, Judgement]] = {}
    for coding in codings:
        codes = [code.theme.code for code in coding.codes]
        found.setdefault(coding.response_id, {})[coding.coder.username] = judgement(
            coding.codebook_version, codes, states
        )
    return found


def reliability(session: Session, principal: Principal, slug: str) -> tuple[ThemeReliability, ...]:
    """Krippendorff's alpha per theme in use over the responses coded by two or more coders, each
    theme over the codings made under its current definition (``codebook_version`` on)."""
    consultation = consultation_by_slug(session, slug)
    authorize_audited(
        session, principal, _needed(consultation), "consultations.reliability", "consultation", slug
    )
    return tuple(theme_reliabilities(session, consultation))


def counted_codings(session: Session, consultation: Consultation) -> list[ConsultationCoding]:
    """The codings that count: every coding but those of coders withdrawn from the round (theirs stay,
    shown as theirs, but count for no alpha, final theme or re-coding check; no authorization)."""
    withdrawn = withdrawn_ids(session, consultation)
    return [c for c in coding_rows(session, consultation) if c.coder_id not in withdrawn]


def theme_reliabilities(session: Session, consultation: Consultation) -> list[ThemeReliability]:
    """Alpha per theme in use over the coders who were not withdrawn (no authorization: callers check)."""
    judged = _judgements(counted_codings(session, consultation), theme_states(consultation))
    coders = sorted({coder for per in judged.values() for coder in per})
    units = [str(response_id) for response_id in sorted(judged)]
    results = []
    for theme in themes_in_use(consultation):
        coded = {
            coder: [str(r) for r, per in judged.items() if coder in per and theme.code in per[coder].judged]
            for coder in coders
        }
        applied = [
            (coder, str(r))
            for r, per in judged.items()
            for coder, j in per.items()
            if theme.code in j.applied
        ]
        found = theme_alpha(theme.code, reliability_matrix(coded, applied, coders, units), coders)
        results.append(replace(found, codebook_version=theme.defined_in))
    return results


def decide(
    response_id: int, theme: str, judged: Judged, decided: Mapping[tuple[int, str], bool]
) -> bool | None:
    """The adjudicator's decision, else the coders' when all who judged the theme agree, else None."""
    if (response_id, theme) in decided:
        return decided[(response_id, theme)]
    votes = {theme in j.applied for j in judged.get(response_id, {}).values() if theme in j.judged}
    return votes.pop() if len(votes) == 1 else None


def _decided(
    decided: Mapping[tuple[int, str], bool], states: Mapping[str, ThemeState]
) -> dict[tuple[int, str], bool]:
    """Adjudications with parent themes filled in (a parent applies when a decided child does)."""
    found = dict(decided)
    for (response_id, code), applies in decided.items():
        if applies:
            for parent in ancestors(code, states)[1:]:
                found[(response_id, parent)] = True
    return found


def outcomes(
    session: Session, consultation: Consultation
) -> tuple[dict[int, dict[str, Judgement]], dict[tuple[int, str], bool]]:
    """The codings' judgements and the adjudications (parents filled in)."""
    states = theme_states(consultation)
    judged = _judgements(counted_codings(session, consultation), states)
    return judged, _decided(adjudications(session, consultation), states)


def check_recoded(session: Session, consultation: Consultation) -> None:
    """Refuse to end coding while a coding misses a judgement the revised codebook asks (it applied a
    retired theme, or a theme was added or reworded after it); names the coders (no authorization: the
    caller checks). Such codings would silently count for fewer themes than the others."""
    states = theme_states(consultation)
    behind = Counter(
        c.coder.username
        for c in counted_codings(session, consultation)
        if needs_recoding(c.codebook_version, [code.theme.code for code in c.codes], states)
    )
    if behind:
        total = sum(behind.values())
        values = {
            "slug": consultation.slug,
            "count": total,
            "version": consultation.codebook_version,
            "who": ", ".join(f"{coder} ({n})" for coder, n in sorted(behind.items())),
        }
        if total == 1:
            raise InputError(
                said(
                    "consultation '%(slug)s' cannot leave its coding phase: 1 coding needs re-coding under "
                    "codebook version %(version)s (%(who)s); each coder saves their codes for the responses "
                    "`gbvs opinion consultations coding %(slug)s` marks again (a coder who has left: "
                    "`gbvs opinion consultations withdraw-coder %(slug)s USER --reason`)",
                    **values,
                )
            )
        raise InputError(
            said(
                "consultation '%(slug)s' cannot leave its coding phase: %(count)s codings need re-coding "
                "under codebook version %(version)s (%(who)s); each coder saves their codes for the "
                "responses `gbvs opinion consultations coding %(slug)s` marks again (a coder who has left: "
                "`gbvs opinion consultations withdraw-coder %(slug)s USER --reason`)",
                **values,
            )
        )


SHOWN_UNRESOLVED = 5
"""How many unresolved disagreements a refusal to close names."""


def check_resolved(session: Session, consultation: Consultation) -> None:
    """Refuse to close while a response has a theme its coders disagree on and nobody decided (no
    authorization: the caller checks). The counts become final at closing; an unresolved theme would
    be left out of them silently."""
    judged, decided = outcomes(session, consultation)
    open_ = [
        (response_id, theme.code)
        for response_id in sorted(judged)
        for theme in themes_in_use(consultation)
        if decide(response_id, theme.code, judged, decided) is None
    ]
    if open_:
        shown = "; ".join(f"{r}: {code}" for r, code in open_[:SHOWN_UNRESOLVED])
        values = {
            "slug": consultation.slug,
            "count": len(open_),
            "shown": shown + ("; ..." if len(open_) > SHOWN_UNRESOLVED else ""),
        }
        if len(open_) == 1:
            raise InputError(
                said(
                    "consultation '%(slug)s' cannot be closed: 1 disagreement is unresolved (response "
                    "%(shown)s); decide it with `gbvs opinion consultations adjudicate RESPONSE THEME "
                    "--applies` (or --does-not-apply) first",
                    **values,
                )
            )
        raise InputError(
            said(
                "consultation '%(slug)s' cannot be closed: %(count)s disagreements are unresolved (responses "
                "%(shown)s); decide each with `gbvs opinion consultations adjudicate RESPONSE THEME "
                "--applies` (or --does-not-apply) first",
                **values,
            )
        )


def summary(
    session: Session, principal: Principal, slug: str, language: str = "nl", quotes: int = 2
) -> ConsultationSummary:
    """Counts per theme per question, unresolved disagreements, and anonymised quotes (consent only)."""
    consultation = consultation_by_slug(session, slug)
    authorize_audited(
        session, principal, _needed(consultation), "consultations.summary", "consultation", slug
    )
    judged, decided = outcomes(session, consultation)
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
        consultation.codebook_version,
    )


def _question(
    question: ConsultationQuestion,
    responses: list[ConsultationResponse],
    consultation: Consultation,
    judged: Judged,
    decided: Mapping[tuple[int, str], bool],
    language: str,
    quotes: int,
) -> QuestionSummary:
    counts = []
    for theme in themes_in_use(consultation):
        outcome = {
            r.id: decide(r.id, theme.code, judged, decided)
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
