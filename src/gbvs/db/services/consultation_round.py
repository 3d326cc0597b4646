"""Withdrawing a coder who has left from a consultation's coding round.

A coder who left cannot re-code what a codebook revision asks again, and so held up the end of coding.
The consultation's coordinator (``opinion:codebook``, scope own: the coding lead, who also revises the
codebook) withdraws her, with a reason; the withdrawal is kept (who, when, why) and audited
(``consultations.withdraw_coder``). Her codings stay as she made them and are shown as hers, but count
no longer: alpha is computed over the remaining coders, the final themes come from them (or the
adjudicator), and her codings are not asked again (docs/opinion.md, "A coder who has left").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from gbvs.db.audit import authorize_audited, record
from gbvs.db.models import User
from gbvs.db.opinion_models import (
    Consultation,
    ConsultationCoderWithdrawal,
    ConsultationCoding,
    ConsultationPhase,
    ConsultationQuestion,
    ConsultationResponse,
)
from gbvs.db.services.consultations import consultation_by_slug
from gbvs.db.services.lookup import user_by_username
from gbvs.errors import InputError, Term, said
from gbvs.security.authz import owner_to_check
from gbvs.security.permissions import Permission
from gbvs.security.principal import Principal

REASON_MAX = 5_000


@dataclass(frozen=True)
class WithdrawnCoder:
    """A coder withdrawn from the coding round: who, how many responses she coded, by whom, when, why."""

    coder: str
    coded: int
    by: str
    at: datetime
    reason: str


def withdrawn_ids(session: Session, consultation: Consultation) -> frozenset[int]:
    """The user ids of the coders withdrawn from ``consultation`` (no authorization: callers check)."""
    return frozenset(
        session.scalars(
            select(ConsultationCoderWithdrawal.coder_id).where(
                ConsultationCoderWithdrawal.consultation_id == consultation.id
            )
        )
    )


def _coded(session: Session, consultation: Consultation, coder_id: int) -> int:
    """How many responses of ``consultation`` the coder coded."""
    query = (
        select(func.count())
        .select_from(ConsultationCoding)
        .join(ConsultationResponse)
        .join(ConsultationQuestion)
        .where(
            ConsultationQuestion.consultation_id == consultation.id, ConsultationCoding.coder_id == coder_id
        )
    )
    return int(session.scalar(query) or 0)


def withdraw_coder(session: Session, principal: Principal, slug: str, username: str, reason: str) -> None:
    """Withdraw ``username`` from the coding round of ``slug``; her codings stay, shown as hers, and no
    longer count. Refused outside the coding phase, without a reason, for someone who did not code it,
    and twice."""
    action = "consultations.withdraw_coder"
    authorize_audited(session, principal, Permission.opinion_codebook, action, "consultation", slug)
    consultation = consultation_by_slug(session, slug)
    owner = owner_to_check(None if consultation.owner is None else consultation.owner.code, principal)
    authorize_audited(session, principal, Permission.opinion_codebook, action, "consultation", slug, owner)
    if principal.user_id is None:
        raise InputError(
            said(
                "%(user)s is not a named account; withdrawing a coder needs one, so that the record names "
                "who did it (see `gbvs users create`)",
                user=principal.describe(),
            )
        )
    coder = user_by_username(session, username)
    _check_withdrawable(session, consultation, coder.id, coder.username, reason)
    session.add(
        ConsultationCoderWithdrawal(
            consultation_id=consultation.id,
            coder_id=coder.id,
            reason=reason.strip(),
            withdrawn_by_id=principal.user_id,
        )
    )
    session.flush()
    detail = {"coder": coder.username, "coded": _coded(session, consultation, coder.id)}
    record(session, principal, action, "consultation", consultation.id, detail | {"reason": reason.strip()})


def _check_withdrawable(
    session: Session, consultation: Consultation, coder_id: int, coder: str, reason: str
) -> None:
    if consultation.phase is not ConsultationPhase.coding:
        raise InputError(
            said(
                "consultation '%(slug)s' is in its %(phase)s phase; a coder is withdrawn only while it is "
                "coded",
                slug=consultation.slug,
                phase=Term(consultation.phase.value),
            )
        )
    if not reason.strip() or len(reason.strip()) > REASON_MAX:
        raise InputError(
            said(
                "withdrawing a coder needs a reason of 1-%(most)s characters; it is kept with the "
                "coder's codings",
                most=REASON_MAX,
            )
        )
    if coder_id in withdrawn_ids(session, consultation):
        raise InputError(
            said(
                "%(coder)s has already been withdrawn from the coding of '%(slug)s'",
                coder=coder,
                slug=consultation.slug,
            )
        )
    if _coded(session, consultation, coder_id) == 0:
        raise InputError(
            said(
                "%(coder)s has coded no response of '%(slug)s'; only a coder can be withdrawn",
                coder=coder,
                slug=consultation.slug,
            )
        )


def withdrawn_coders(session: Session, principal: Principal, slug: str) -> list[WithdrawnCoder]:
    """The coders withdrawn from the coding round, in the order they were withdrawn."""
    authorize_audited(
        session, principal, Permission.opinion_read, "consultations.withdrawn_coders", "consultation", slug
    )
    return withdrawals(session, consultation_by_slug(session, slug))


def withdrawals(session: Session, consultation: Consultation) -> list[WithdrawnCoder]:
    """The coders withdrawn from ``consultation`` (no authorization: callers check)."""
    rows = session.scalars(
        select(ConsultationCoderWithdrawal)
        .where(ConsultationCoderWithdrawal.consultation_id == consultation.id)
        .options(
            selectinload(ConsultationCoderWithdrawal.coder),
            selectinload(ConsultationCoderWithdrawal.withdrawn_by),
        )
        .order_by(ConsultationCoderWithdrawal.id)
    )
    return [
        WithdrawnCoder(
            r.coder.username,
            _coded(session, consultation, r.coder_id),
            r.withdrawn_by.username,
            r.withdrawn_at,
            r.reason,
        )
        for r in rows
    ]


@dataclass(frozen=True)
class RoundCoder:
    """A coder of the round: how many responses she coded, and whether she was withdrawn."""

    coder: str
    coded: int
    withdrawn: bool


def round_coders(session: Session, principal: Principal, slug: str) -> list[RoundCoder]:
    """Who coded the consultation and how much (no codes): for the coordinator who may withdraw them
    (``opinion:codebook`` of the owning organisation)."""
    action = "consultations.round_coders"
    authorize_audited(session, principal, Permission.opinion_codebook, action, "consultation", slug)
    consultation = consultation_by_slug(session, slug)
    owner = owner_to_check(None if consultation.owner is None else consultation.owner.code, principal)
    authorize_audited(session, principal, Permission.opinion_codebook, action, "consultation", slug, owner)
    withdrawn = withdrawn_ids(session, consultation)
    rows = session.execute(
        select(User.id, User.username, func.count(ConsultationCoding.id))
        .join(ConsultationCoding, ConsultationCoding.coder_id == User.id)
        .join(ConsultationResponse)
        .join(ConsultationQuestion)
        .where(ConsultationQuestion.consultation_id == consultation.id)
        .group_by(User.id, User.username)
        .order_by(User.username)
    )
    return [RoundCoder(name, int(n), user_id in withdrawn) for user_id, name, n in rows]
