"""Independent coding of consultation responses, and adjudication that keeps the coders' codes.

Raw response texts and their coding belong to the organisation that imported the consultation:
reading them (the coding screen, audited), coding and adjudicating need ``opinion:code`` for that
organisation (scope own). Everyone with ``opinion:read`` reads the summaries, with anonymised quotes of
consenting respondents only (:mod:`.consultation_reports`).

Blind coding: while a consultation is in its coding phase, a coder reads and changes only their own
codes, and nobody (managers included) reads another coder's codes. From the adjudication phase on,
every reader with ``opinion:read`` sees all codes, and an adjudicator (``opinion:manage``) records
decisions beside them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from gbvs.db.audit import authorize_audited, record
from gbvs.db.opinion_models import (
    Consultation,
    ConsultationAdjudication,
    ConsultationCode,
    ConsultationCoding,
    ConsultationPhase,
    ConsultationQuestion,
    ConsultationResponse,
    ConsultationTheme,
)
from gbvs.db.services.consultation_codebook import theme_states
from gbvs.db.services.consultation_round import withdrawn_ids
from gbvs.db.services.consultations import consultation_by_slug
from gbvs.db.types import MAX_ROW_ID, utcnow
from gbvs.errors import InputError, NotFoundError, Term, said
from gbvs.opinion.anonymise import anonymise
from gbvs.opinion.revisions import ThemeState, needs_recoding
from gbvs.security.authz import owner_to_check
from gbvs.security.permissions import Permission
from gbvs.security.principal import Principal

NOTE_MAX = 5_000


@dataclass(frozen=True)
class ResponseToCode:
    """A response as a coder sees it: anonymised text and their own codes only."""

    id: int
    question: int
    respondent_type: str
    text: str
    my_codes: tuple[str, ...]
    coded: bool
    codebook_version: int | None = None
    """The codebook version the principal coded it under (None: not coded)."""
    needs_recoding: bool = False
    """True when the codebook was revised since in a way that asks for this coding again
    (:func:`gbvs.opinion.revisions.needs_recoding`)."""


@dataclass(frozen=True)
class CoderCodes:
    """One coder's codes for one response (visible from the adjudication phase on)."""

    response_id: int
    coder: str
    themes: tuple[str, ...]
    codebook_version: int = 1
    """The codebook version the coder coded under."""
    withdrawn: bool = False
    """True when the coder was withdrawn from the coding round: her codes stay but count for nothing."""


def _coder_id(principal: Principal) -> int:
    if principal.user_id is None:
        raise InputError(
            said(
                "%(user)s is not a named account; coding needs one (see `gbvs users create`)",
                user=principal.named(),
            )
        )
    return principal.user_id


def _authorize_texts(
    session: Session,
    principal: Principal,
    consultation: Consultation,
    action: str,
    object_type: str,
    object_id: object,
) -> None:
    """The consultation's raw texts and coding are its owning organisation's (``opinion:code``, scope own).

    A consultation without an owner (imported where there were no organisations) is read by accounts
    without an organisation only: its texts are in no organisation's need-to-know."""
    owner = owner_to_check(None if consultation.owner is None else consultation.owner.code, principal)
    authorize_audited(session, principal, Permission.opinion_code, action, object_type, object_id, owner)


def _response(session: Session, response_id: int) -> tuple[ConsultationResponse, Consultation]:
    found = session.get(ConsultationResponse, response_id) if 1 <= response_id <= MAX_ROW_ID else None
    if found is None:
        raise NotFoundError(said("consultation response %(response)s does not exist", response=response_id))
    consultation = session.get(Consultation, found.question.consultation_id)
    assert consultation is not None
    return found, consultation


def _responses(
    session: Session, consultation: Consultation, question: int | None
) -> list[ConsultationResponse]:
    query = (
        select(ConsultationResponse)
        .join(ConsultationQuestion)
        .where(ConsultationQuestion.consultation_id == consultation.id)
        .options(selectinload(ConsultationResponse.respondent), selectinload(ConsultationResponse.question))
        .order_by(ConsultationQuestion.number, ConsultationResponse.id)
    )
    if question is not None:
        query = query.where(ConsultationQuestion.number == question)
    return list(session.scalars(query))


def _own_codings(
    session: Session, coder_id: int, response_ids: Sequence[int]
) -> dict[int, ConsultationCoding]:
    codings = session.scalars(
        select(ConsultationCoding)
        .where(ConsultationCoding.coder_id == coder_id, ConsultationCoding.response_id.in_(response_ids))
        .options(selectinload(ConsultationCoding.codes).selectinload(ConsultationCode.theme))
    )
    return {coding.response_id: coding for coding in codings}


def responses_for_coder(
    session: Session, principal: Principal, slug: str, question: int | None = None
) -> list[ResponseToCode]:
    """The responses to code, each with the principal's own codes (never another coder's)."""
    authorize_audited(
        session, principal, Permission.opinion_code, "consultations.coding_screen", "consultation", slug
    )
    consultation = consultation_by_slug(session, slug)
    _authorize_texts(session, principal, consultation, "consultations.coding_screen", "consultation", slug)
    responses = _responses(session, consultation, question)
    own = _own_codings(session, _coder_id(principal), [r.id for r in responses])
    detail = {"question": question, "responses": [r.id for r in responses]}
    record(session, principal, "consultations.read_responses", "consultation", slug, detail)
    states = theme_states(consultation)
    return [_to_code(r, own.get(r.id), states) for r in responses]


def _to_code(
    response: ConsultationResponse, coding: ConsultationCoding | None, states: Mapping[str, ThemeState]
) -> ResponseToCode:
    codes = tuple(sorted(code.theme.code for code in coding.codes)) if coding is not None else ()
    return ResponseToCode(
        id=response.id,
        question=response.question.number,
        respondent_type=response.respondent.respondent_type.value,
        text=anonymise(response.text, [response.respondent.name]),
        my_codes=codes,
        coded=coding is not None,
        codebook_version=None if coding is None else coding.codebook_version,
        needs_recoding=coding is not None and needs_recoding(coding.codebook_version, codes, states),
    )


def code_response(
    session: Session, principal: Principal, response_id: int, theme_codes: Sequence[str]
) -> None:
    """Record the principal's codes for a response (replacing only their own earlier codes)."""
    authorize_audited(
        session,
        principal,
        Permission.opinion_code,
        "consultations.code",
        "consultation_response",
        response_id,
    )
    _, consultation = _response(session, response_id)
    _authorize_texts(
        session, principal, consultation, "consultations.code", "consultation_response", response_id
    )
    if consultation.phase is not ConsultationPhase.coding:
        raise InputError(
            said(
                "consultation '%(slug)s' is in its %(phase)s phase; coding is over",
                slug=consultation.slug,
                phase=Term(consultation.phase.value),
            )
        )
    themes = _themes_to_apply(consultation, theme_codes)
    coder_id = _coder_id(principal)
    coding = _own_codings(session, coder_id, [response_id]).get(response_id)
    if coding is None:
        coding = ConsultationCoding(response_id=response_id, coder_id=coder_id)
        session.add(coding)
    coding.codes = [ConsultationCode(theme_id=themes[code].id) for code in sorted(set(theme_codes))]
    coding.codebook_version, coding.coded_at = consultation.codebook_version, utcnow()
    session.flush()
    record(
        session,
        principal,
        "consultations.code",
        "consultation_response",
        response_id,
        {"themes": sorted(set(theme_codes))},
    )


def _themes_to_apply(consultation: Consultation, theme_codes: Sequence[str]) -> dict[str, ConsultationTheme]:
    """The consultation's themes in use by code; refuse a code that is unknown or retired."""
    themes = {t.code: t for t in consultation.themes}
    unknown = sorted(set(theme_codes) - set(themes))
    if unknown:
        raise InputError(
            said(
                "themes %(themes)s are not in the codebook of '%(slug)s'; see "
                "`gbvs opinion consultations codebook history %(slug)s`",
                themes=", ".join(unknown),
                slug=consultation.slug,
            )
        )
    retired = sorted(code for code in set(theme_codes) if themes[code].retired_in is not None)
    if retired:
        instead = {code: themes[code].merged_into for code in retired if themes[code].merged_into}
        values = {
            "themes": retired,
            "slug": repr(consultation.slug),
            "version": consultation.codebook_version,
        }
        if instead:
            raise InputError(
                said(
                    "themes %(themes)s of %(slug)s were retired from its codebook (now version %(version)s); "
                    "use %(instead)s instead",
                    **values,
                    instead=instead,
                )
            )
        raise InputError(
            said(
                "themes %(themes)s of %(slug)s were retired from its codebook (now version %(version)s); "
                "choose themes in use",
                **values,
            )
        )
    return themes


def _codes_visible(session: Session, principal: Principal, consultation: Consultation) -> None:
    if consultation.phase is ConsultationPhase.coding:
        raise InputError(
            said(
                "consultation '%(slug)s' is still being coded: coders see only their own codes until a "
                "manager starts adjudication (`gbvs opinion consultations advance`)",
                slug=consultation.slug,
            )
        )


def all_codes(session: Session, principal: Principal, slug: str) -> list[CoderCodes]:
    """Every coder's codes (from the adjudication phase on)."""
    authorize_audited(
        session, principal, Permission.opinion_read, "consultations.codes", "consultation", slug
    )
    consultation = consultation_by_slug(session, slug)
    _codes_visible(session, principal, consultation)
    withdrawn = withdrawn_ids(session, consultation)
    return [
        CoderCodes(
            c.response_id,
            c.coder.username,
            tuple(sorted(code.theme.code for code in c.codes)),
            c.codebook_version,
            c.coder_id in withdrawn,
        )
        for c in coding_rows(session, consultation)
    ]


def coding_rows(session: Session, consultation: Consultation) -> list[ConsultationCoding]:
    """All codings of a consultation with their coder and codes (no authorization: callers check)."""
    return list(
        session.scalars(
            select(ConsultationCoding)
            .join(ConsultationResponse)
            .join(ConsultationQuestion)
            .where(ConsultationQuestion.consultation_id == consultation.id)
            .options(
                selectinload(ConsultationCoding.codes).selectinload(ConsultationCode.theme),
                selectinload(ConsultationCoding.coder),
            )
            .order_by(ConsultationCoding.response_id, ConsultationCoding.id)
        )
    )


def adjudicate(
    session: Session, principal: Principal, response_id: int, theme_code: str, applies: bool, note: str = ""
) -> None:
    """Decide whether a theme applies to a response; the coders' own codes are kept as they are."""
    authorize_audited(
        session,
        principal,
        Permission.opinion_manage,
        "consultations.adjudicate",
        "consultation_response",
        response_id,
    )
    _, consultation = _response(session, response_id)
    _authorize_texts(
        session, principal, consultation, "consultations.adjudicate", "consultation_response", response_id
    )
    if consultation.phase is not ConsultationPhase.adjudication:
        raise InputError(
            said(
                "consultation '%(slug)s' is in its %(phase)s phase; adjudicate in the adjudication phase",
                slug=consultation.slug,
                phase=Term(consultation.phase.value),
            )
        )
    if len(note) > NOTE_MAX:
        raise InputError(said("an adjudication note has at most %(most)s characters", most=NOTE_MAX))
    theme = _themes_to_apply(consultation, [theme_code])[theme_code]
    decision = session.scalar(
        select(ConsultationAdjudication).where(
            ConsultationAdjudication.response_id == response_id, ConsultationAdjudication.theme_id == theme.id
        )
    )
    if decision is None:
        decision = ConsultationAdjudication(response_id=response_id, theme_id=theme.id, applies=applies)
        session.add(decision)
    decision.applies, decision.note, decision.adjudicator_id = applies, note, _coder_id(principal)
    session.flush()
    record(
        session,
        principal,
        "consultations.adjudicate",
        "consultation_response",
        response_id,
        {"theme": theme_code, "applies": applies},
    )


def adjudications(session: Session, consultation: Consultation) -> dict[tuple[int, str], bool]:
    """(response id, theme code) -> decision (no authorization: callers check)."""
    rows = session.execute(
        select(ConsultationAdjudication.response_id, ConsultationTheme.code, ConsultationAdjudication.applies)
        .join(ConsultationTheme, ConsultationTheme.id == ConsultationAdjudication.theme_id)
        .where(ConsultationTheme.consultation_id == consultation.id)
    )
    return {(response_id, code): applies for response_id, code, applies in rows}
