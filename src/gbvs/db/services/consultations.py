"""Public consultations: import (responses, questions, the codebook's themes), listing and phases.

Every function authorizes first (refusals are audited) and writes an audit entry for changes.
Coding, adjudication and the reports are in :mod:`.consultation_coding` and :mod:`.consultation_reports`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gbvs.db.audit import authorize_audited, record
from gbvs.db.models import Organisation
from gbvs.db.opinion_models import (
    Consultation,
    ConsultationPhase,
    ConsultationQuestion,
    ConsultationRespondent,
    ConsultationResponse,
    ConsultationTheme,
    RespondentType,
)
from gbvs.db.services.lookup import organisation_by_code
from gbvs.errors import InputError, NotFoundError, Term, said
from gbvs.opinion.codebook import Codebook
from gbvs.opinion.consultation import ConsultationInfo, ResponseRow, check_rows
from gbvs.security.permissions import Permission
from gbvs.security.principal import Principal


@dataclass(frozen=True)
class ThemeView:
    """A codebook theme as shown to readers."""

    code: str
    parent: str | None
    label_nl: str
    label_en: str
    trends: tuple[str, ...]
    threats: tuple[int, ...]
    goals: tuple[int, ...]


@dataclass(frozen=True)
class ConsultationView:
    """A consultation with its questions, themes and counts (no response text)."""

    slug: str
    title: str
    description: str
    opened_on: date | None
    closed_on: date | None
    phase: str
    codebook_id: str
    codebook_is_draft: bool
    questions: tuple[tuple[int, str], ...]
    themes: tuple[ThemeView, ...]
    respondents: int
    responses: int
    codebook_version: int = 1


def consultation_by_slug(session: Session, slug: str) -> Consultation:
    """The consultation ``slug``, or NotFoundError naming the known ones."""
    found = session.scalar(select(Consultation).where(Consultation.slug == slug))
    if found is None:
        known = ", ".join(session.scalars(select(Consultation.slug).order_by(Consultation.slug)))
        raise NotFoundError(
            said(
                "consultation %(slug)s does not exist (known: %(known)s); import it with "
                "`gbvs opinion consultations import`",
                slug=repr(slug),
                known=known or Term("none yet"),
            )
        )
    return found


def _respondents(rows: tuple[ResponseRow, ...]) -> dict[str, ResponseRow]:
    """Each respondent's first row (:func:`check_rows` has checked that their rows agree)."""
    first: dict[str, ResponseRow] = {}
    for row in rows:
        first.setdefault(row.respondent, row)
    return first


def _themes(codebook: Codebook) -> list[ConsultationTheme]:
    return [
        ConsultationTheme(
            code=theme.code,
            parent_code=theme.parent,
            position=position,
            label_nl=theme.label_nl,
            label_en=theme.label_en,
            links={"trends": list(theme.trends), "threats": list(theme.threats), "goals": list(theme.goals)},
        )
        for position, theme in enumerate(codebook.themes)
    ]


def import_consultation(
    session: Session,
    principal: Principal,
    info: ConsultationInfo,
    codebook: Codebook,
    organisation: str | None = None,
) -> int:
    """Store a consultation with its questions, respondents, responses and codebook; nothing on error.

    Its raw texts are its owning organisation's: the importer's, or ``organisation`` when the importer
    has none (the OS owner on the command line). In an installation with organisations a consultation
    without an owner is refused: its texts would belong to no one's need-to-know."""
    authorize_audited(
        session, principal, Permission.opinion_manage, "consultations.import", "consultation", info.slug
    )
    if session.scalar(select(Consultation.id).where(Consultation.slug == info.slug)) is not None:
        raise InputError(
            said("consultation %(slug)s exists already; choose another slug", slug=repr(info.slug))
        )
    check_rows(info.rows)
    respondents = _respondents(info.rows)
    owner = _owner_id(session, principal, organisation)
    consultation = Consultation(
        slug=info.slug,
        title=info.title,
        description=info.description,
        opened_on=info.opened_on,
        closed_on=info.closed_on,
        codebook_id=codebook.id,
        codebook_is_draft=codebook.is_draft,
        owner_organisation_id=owner,
        phase=ConsultationPhase.coding,
        responses_sha256=info.responses_sha256,
    )
    consultation.questions = [
        ConsultationQuestion(number=n, text=t) for n, t in sorted(info.questions.items())
    ]
    consultation.themes = _themes(codebook)
    session.add(consultation)
    session.flush()
    question_ids = {q.number: q.id for q in consultation.questions}
    stored = {
        ref: ConsultationRespondent(
            consultation_id=consultation.id,
            reference=ref,
            respondent_type=RespondentType(row.respondent_type),
            consent_to_publish=row.consent,
            name=row.name,
        )
        for ref, row in respondents.items()
    }
    session.add_all(stored.values())
    session.flush()
    session.add_all(
        ConsultationResponse(
            respondent_id=stored[row.respondent].id, question_id=question_ids[row.question], text=row.text
        )
        for row in info.rows
    )
    session.flush()
    detail = {
        "respondents": len(stored),
        "responses": len(info.rows),
        "codebook": codebook.id,
        "responses_sha256": info.responses_sha256,
    }
    record(session, principal, "consultations.import", "consultation", consultation.id, detail)
    return consultation.id


def _view(session: Session, consultation: Consultation) -> ConsultationView:
    respondents = session.scalar(
        select(func.count())
        .select_from(ConsultationRespondent)
        .where(ConsultationRespondent.consultation_id == consultation.id)
    )
    responses = session.scalar(
        select(func.count())
        .select_from(ConsultationResponse)
        .join(ConsultationQuestion)
        .where(ConsultationQuestion.consultation_id == consultation.id)
    )
    themes = tuple(
        ThemeView(
            t.code,
            t.parent_code,
            t.label_nl,
            t.label_en,
            tuple(t.links.get("trends", ())),
            tuple(t.links.get("threats", ())),
            tuple(t.links.get("goals", ())),
        )
        for t in consultation.themes
        if t.retired_in is None
    )
    return ConsultationView(
        consultation.slug,
        consultation.title,
        consultation.description,
        consultation.opened_on,
        consultation.closed_on,
        consultation.phase.value,
        consultation.codebook_id,
        consultation.codebook_is_draft,
        tuple((q.number, q.text) for q in consultation.questions),
        themes,
        int(respondents or 0),
        int(responses or 0),
        consultation.codebook_version,
    )


def list_consultations(session: Session, principal: Principal) -> list[ConsultationView]:
    """Every consultation (no response text)."""
    authorize_audited(session, principal, Permission.opinion_read, "consultations.list", "consultation")
    found = session.scalars(select(Consultation).order_by(Consultation.created_at, Consultation.id))
    return [_view(session, consultation) for consultation in found]


def get_consultation(session: Session, principal: Principal, slug: str) -> ConsultationView:
    """One consultation (no response text)."""
    authorize_audited(session, principal, Permission.opinion_read, "consultations.read", "consultation", slug)
    return _view(session, consultation_by_slug(session, slug))


_NEXT = {
    ConsultationPhase.coding: ConsultationPhase.adjudication,
    ConsultationPhase.adjudication: ConsultationPhase.closed,
}


def advance_phase(session: Session, principal: Principal, slug: str) -> str:
    """Move to the next phase: coding -> adjudication (codes become visible; only once every coding a
    codebook revision asks again is re-coded) -> closed (only once every disagreement is decided)."""
    authorize_audited(
        session, principal, Permission.opinion_manage, "consultations.phase", "consultation", slug
    )
    consultation = consultation_by_slug(session, slug)
    following = _NEXT.get(consultation.phase)
    if following is None:
        raise InputError(said("consultation %(slug)s is closed; there is no next phase", slug=repr(slug)))
    from gbvs.db.services.consultation_reports import check_recoded, check_resolved  # they read this module

    if following is ConsultationPhase.adjudication:
        check_recoded(session, consultation)
    if following is ConsultationPhase.closed:
        check_resolved(session, consultation)
    previous, consultation.phase = consultation.phase, following
    record(
        session,
        principal,
        "consultations.phase",
        "consultation",
        consultation.id,
        {"from": previous.value, "to": following.value},
    )
    return following.value


def _owner_id(session: Session, principal: Principal, organisation: str | None) -> int | None:
    """The id of the consultation's owning organisation (None only where there are no organisations)."""
    if principal.organisation_code:
        if organisation and organisation.strip().upper() != principal.organisation_code:
            raise InputError(
                said(
                    "%(user)s imports for their own organisation %(own)s, not for %(organisation)s; "
                    "leave out "
                    "--organisation, or let someone of that organisation import",
                    user=principal.named(),
                    own=principal.organisation_code,
                    organisation=repr(organisation),
                )
            )
        return organisation_by_code(session, principal.organisation_code).id
    if organisation:
        return organisation_by_code(session, organisation).id
    if session.scalar(select(Organisation.id).limit(1)) is not None:
        raise InputError(
            said(
                "%(user)s belongs to no organisation, so say whose the consultation's raw texts are: "
                "--organisation CODE (its coders alone read them; `gbvs orgs list` shows the codes)",
                user=principal.named(),
            )
        )
    return None
