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
    CoderRoundChangeKind,
    Consultation,
    ConsultationCoderWithdrawal,
    ConsultationCoderWithdrawalChange,
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
    """A coder withdrawn from the coding round: who, how many responses she coded, by whom, when, why
    (of the withdrawal in force: the last one, when she was reinstated and withdrawn again)."""

    coder: str
    coded: int
    by: str
    at: datetime
    reason: str


@dataclass(frozen=True)
class RoundChange:
    """One step in the history of a coder's place in the round: ``withdrawn`` or ``reinstated``."""

    coder: str
    kind: str
    by: str
    at: datetime
    reason: str


def _withdrawal_rows(session: Session, consultation: Consultation) -> list[ConsultationCoderWithdrawal]:
    """Every withdrawal of ``consultation`` with its later changes, in the order they were made."""
    return list(
        session.scalars(
            select(ConsultationCoderWithdrawal)
            .where(ConsultationCoderWithdrawal.consultation_id == consultation.id)
            .options(
                selectinload(ConsultationCoderWithdrawal.coder),
                selectinload(ConsultationCoderWithdrawal.withdrawn_by),
                selectinload(ConsultationCoderWithdrawal.changes).selectinload(
                    ConsultationCoderWithdrawalChange.made_by
                ),
            )
            .order_by(ConsultationCoderWithdrawal.id)
        )
    )


def withdrawn_ids(session: Session, consultation: Consultation) -> frozenset[int]:
    """The user ids of the coders withdrawn from ``consultation`` now (a reinstated coder is not among
    them; no authorization: callers check)."""
    return frozenset(r.coder_id for r in _withdrawal_rows(session, consultation) if r.in_force)


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


def _coordinated(session: Session, principal: Principal, action: str, slug: str) -> Consultation:
    """The consultation, once ``principal`` is shown to coordinate it (``opinion:codebook`` of the
    organisation that imported it); both checks audited as ``action``."""
    authorize_audited(session, principal, Permission.opinion_codebook, action, "consultation", slug)
    consultation = consultation_by_slug(session, slug)
    owner = owner_to_check(None if consultation.owner is None else consultation.owner.code, principal)
    authorize_audited(session, principal, Permission.opinion_codebook, action, "consultation", slug, owner)
    return consultation


def withdraw_coder(session: Session, principal: Principal, slug: str, username: str, reason: str) -> None:
    """Withdraw ``username`` from the coding round of ``slug``; her codings stay, shown as hers, and no
    longer count. Refused outside the coding phase, without a reason, for someone who did not code it,
    and while she is withdrawn (a reinstated coder can be withdrawn again)."""
    action = "consultations.withdraw_coder"
    consultation = _coordinated(session, principal, action, slug)
    if principal.user_id is None:
        raise InputError(
            said(
                "%(user)s is not a named account; withdrawing a coder needs one, so that the record names "
                "who did it (see `gbvs users create`)",
                user=principal.named(),
            )
        )
    coder = user_by_username(session, username)
    _check_withdrawable(session, consultation, coder.id, coder.username, reason)
    earlier = _withdrawal_of(session, consultation, coder.id)
    if earlier is None:
        session.add(
            ConsultationCoderWithdrawal(
                consultation_id=consultation.id,
                coder_id=coder.id,
                reason=reason.strip(),
                withdrawn_by_id=principal.user_id,
            )
        )
    else:  # reinstated before: the withdrawal row stays, the new withdrawal is a change of it
        _add_change(session, earlier, CoderRoundChangeKind.withdraw, reason, principal.user_id)
    session.flush()
    detail = {"coder": coder.username, "coded": _coded(session, consultation, coder.id)}
    record(session, principal, action, "consultation", consultation.id, detail | {"reason": reason.strip()})


def reinstate_coder(session: Session, principal: Principal, slug: str, username: str, reason: str) -> None:
    """Undo the withdrawal of ``username`` (made in error): her codings count again, for alpha, the final
    themes and the re-coding check. The withdrawal stays on record with the reinstatement beside it.
    Same role as withdrawing; refused outside the coding phase, without a reason, and for a coder who is
    not withdrawn."""
    action = "consultations.reinstate_coder"
    consultation = _coordinated(session, principal, action, slug)
    if principal.user_id is None:
        raise InputError(
            said(
                "%(user)s is not a named account; reinstating a coder needs one, so that the record names "
                "who did it (see `gbvs users create`)",
                user=principal.named(),
            )
        )
    coder = user_by_username(session, username)
    withdrawal = _check_reinstatable(session, consultation, coder.id, coder.username, reason)
    _add_change(session, withdrawal, CoderRoundChangeKind.reinstate, reason, principal.user_id)
    session.flush()
    detail = {"coder": coder.username, "coded": _coded(session, consultation, coder.id)}
    record(session, principal, action, "consultation", consultation.id, detail | {"reason": reason.strip()})


def _withdrawal_of(
    session: Session, consultation: Consultation, coder_id: int
) -> ConsultationCoderWithdrawal | None:
    return next((r for r in _withdrawal_rows(session, consultation) if r.coder_id == coder_id), None)


def _add_change(
    session: Session,
    withdrawal: ConsultationCoderWithdrawal,
    kind: CoderRoundChangeKind,
    reason: str,
    user_id: int,
) -> None:
    change = ConsultationCoderWithdrawalChange(kind=kind, reason=reason.strip(), made_by_id=user_id)
    withdrawal.changes.append(change)
    session.add(change)


def _check_coding(consultation: Consultation, message: str) -> None:
    if consultation.phase is not ConsultationPhase.coding:
        raise InputError(said(message, slug=consultation.slug, phase=Term(consultation.phase.value)))


def _check_withdrawable(
    session: Session, consultation: Consultation, coder_id: int, coder: str, reason: str
) -> None:
    _check_coding(
        consultation,
        "consultation '%(slug)s' is in its %(phase)s phase; a coder is withdrawn only while it is coded",
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


def _check_reinstatable(
    session: Session, consultation: Consultation, coder_id: int, coder: str, reason: str
) -> ConsultationCoderWithdrawal:
    _check_coding(
        consultation,
        "consultation '%(slug)s' is in its %(phase)s phase; a coder is reinstated only while it is coded",
    )
    if not reason.strip() or len(reason.strip()) > REASON_MAX:
        raise InputError(
            said(
                "reinstating a coder needs a reason of 1-%(most)s characters; it is kept beside the "
                "withdrawal",
                most=REASON_MAX,
            )
        )
    withdrawal = _withdrawal_of(session, consultation, coder_id)
    if withdrawal is None or not withdrawal.in_force:
        raise InputError(
            said(
                "%(coder)s is not withdrawn from the coding of '%(slug)s'; only a withdrawn coder can be "
                "reinstated",
                coder=coder,
                slug=consultation.slug,
            )
        )
    return withdrawal


def withdrawn_coders(session: Session, principal: Principal, slug: str) -> list[WithdrawnCoder]:
    """The coders withdrawn from the coding round now, in the order they were first withdrawn."""
    authorize_audited(
        session, principal, Permission.opinion_read, "consultations.withdrawn_coders", "consultation", slug
    )
    return withdrawals(session, consultation_by_slug(session, slug))


def withdrawals(session: Session, consultation: Consultation) -> list[WithdrawnCoder]:
    """The coders withdrawn from ``consultation`` now (no authorization: callers check)."""
    found = []
    for row in _withdrawal_rows(session, consultation):
        if row.in_force:
            last = _history_of(row)[-1]
            coded = _coded(session, consultation, row.coder_id)
            found.append(WithdrawnCoder(row.coder.username, coded, last.by, last.at, last.reason))
    return found


def _history_of(row: ConsultationCoderWithdrawal) -> list[RoundChange]:
    coder = row.coder.username
    first = RoundChange(coder, "withdrawn", row.withdrawn_by.username, row.withdrawn_at, row.reason)
    later = [
        RoundChange(
            coder,
            "reinstated" if c.kind is CoderRoundChangeKind.reinstate else "withdrawn",
            c.made_by.username,
            c.made_at,
            c.reason,
        )
        for c in row.changes
    ]
    return [first, *later]


def round_history(session: Session, principal: Principal, slug: str) -> list[RoundChange]:
    """Every withdrawal and reinstatement of the round's coders, oldest first."""
    authorize_audited(
        session, principal, Permission.opinion_read, "consultations.round_history", "consultation", slug
    )
    return round_changes(session, consultation_by_slug(session, slug))


def round_changes(session: Session, consultation: Consultation) -> list[RoundChange]:
    """Every withdrawal and reinstatement in ``consultation``, oldest first (no authorization: callers
    check)."""
    changes = [c for row in _withdrawal_rows(session, consultation) for c in _history_of(row)]
    return sorted(changes, key=lambda c: c.at)


@dataclass(frozen=True)
class RoundCoder:
    """A coder of the round: how many responses she coded, and whether she was withdrawn."""

    coder: str
    coded: int
    withdrawn: bool


def round_coders(session: Session, principal: Principal, slug: str) -> list[RoundCoder]:
    """Who coded the consultation and how much (no codes): for the coordinator who may withdraw them
    (``opinion:codebook`` of the owning organisation)."""
    consultation = _coordinated(session, principal, "consultations.round_coders", slug)
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
