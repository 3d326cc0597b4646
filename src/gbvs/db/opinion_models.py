"""Models of public consultations: questions, respondents and responses, the codebook's themes,
each coder's independent codes and the adjudication (which keeps the original codes).

A coder's judgement of a response is a ``consultation_coding`` row (so "coded, theme absent" is
known apart from "not coded"), and each theme they applied a ``consultation_code`` under it.
Adjudication writes ``consultation_adjudication`` rows beside them; nothing of the coders' work
is changed or deleted.

The codebook is revised in versions (``consultation_codebook_change``: add, reword, merge, retire, each
with who, when and why); a coding keeps the version it was made under, and a theme the version from
which its current definition holds (:mod:`gbvs.opinion.revisions` says which codings count for it).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gbvs.db.models import Base, Organisation, User, enum_column
from gbvs.db.types import UTCDateTime, utcnow


class ConsultationPhase(StrEnum):
    """Where a consultation is: blind coding, then adjudication (all codes visible), then closed."""

    coding = "coding"
    adjudication = "adjudication"
    closed = "closed"


class RespondentType(StrEnum):
    """Who responded (as annex 1 of the GBVS lists them)."""

    citizen = "citizen"
    business = "business"
    ngo_union = "ngo_union"
    researcher = "researcher"
    government = "government"
    other = "other"


class CodebookChangeKind(StrEnum):
    """How a codebook revision changes a theme."""

    add = "add"
    reword = "reword"
    merge = "merge"
    retire = "retire"


class Consultation(Base):
    """A public consultation with its questions, respondents and codebook."""

    __tablename__ = "consultation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    opened_on: Mapped[date | None] = mapped_column(Date, default=None)
    closed_on: Mapped[date | None] = mapped_column(Date, default=None)
    codebook_id: Mapped[str] = mapped_column(String(100))
    codebook_is_draft: Mapped[bool] = mapped_column(Boolean, default=True)
    codebook_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    """1 at import; each revision of the codebook adds one."""
    responses_sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    """SHA-256 of the imported responses file (None for consultations imported before it was kept)."""
    phase: Mapped[ConsultationPhase] = mapped_column(
        enum_column(ConsultationPhase, "consultation_phase", 20), default=ConsultationPhase.coding
    )
    owner_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    owner: Mapped[Organisation | None] = relationship()
    questions: Mapped[list[ConsultationQuestion]] = relationship(
        order_by="ConsultationQuestion.number", cascade="all, delete-orphan"
    )
    themes: Mapped[list[ConsultationTheme]] = relationship(
        order_by="ConsultationTheme.position", cascade="all, delete-orphan"
    )


class ConsultationQuestion(Base):
    """A numbered question of a consultation."""

    __tablename__ = "consultation_question"
    __table_args__ = (UniqueConstraint("consultation_id", "number", name="uq_consultation_question_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)


class ConsultationRespondent(Base):
    """Someone who responded: their type and whether they consented to publication of their text.

    ``name`` is kept only to remove it from quotes; it is never shown.
    """

    __tablename__ = "consultation_respondent"
    __table_args__ = (
        UniqueConstraint("consultation_id", "reference", name="uq_consultation_respondent_reference"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), index=True)
    reference: Mapped[str] = mapped_column(String(64))
    respondent_type: Mapped[RespondentType] = mapped_column(
        enum_column(RespondentType, "respondent_type", 20)
    )
    consent_to_publish: Mapped[bool] = mapped_column(Boolean, default=False)
    name: Mapped[str] = mapped_column(String(300), default="")


class ConsultationResponse(Base):
    """One respondent's text to one question."""

    __tablename__ = "consultation_response"
    __table_args__ = (UniqueConstraint("respondent_id", "question_id", name="uq_consultation_response_pair"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    respondent_id: Mapped[int] = mapped_column(ForeignKey("consultation_respondent.id"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("consultation_question.id"), index=True)
    text: Mapped[str] = mapped_column(Text)

    respondent: Mapped[ConsultationRespondent] = relationship()
    question: Mapped[ConsultationQuestion] = relationship()


class ConsultationTheme(Base):
    """A theme of the consultation's codebook (hierarchical through ``parent_code``)."""

    __tablename__ = "consultation_theme"
    __table_args__ = (UniqueConstraint("consultation_id", "code", name="uq_consultation_theme_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    parent_code: Mapped[str | None] = mapped_column(String(40), default=None)
    position: Mapped[int] = mapped_column(Integer, default=0)
    label_nl: Mapped[str] = mapped_column(String(300))
    label_en: Mapped[str] = mapped_column(String(300))
    links: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    defined_in: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    """The codebook version from which the theme's current definition holds (added, reworded, merged)."""
    retired_in: Mapped[int | None] = mapped_column(Integer, default=None)
    """The version that retired the theme or merged it into ``merged_into`` (None: in use)."""
    merged_into: Mapped[str | None] = mapped_column(String(40), default=None)


class ConsultationCoding(Base):
    """That one coder judged one response (the themes they applied hang below it)."""

    __tablename__ = "consultation_coding"
    __table_args__ = (UniqueConstraint("response_id", "coder_id", name="uq_consultation_coding_pair"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("consultation_response.id"), index=True)
    coder_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    coded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    codebook_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    """The codebook version the coder coded under (set again each time they save their codes)."""

    coder: Mapped[User] = relationship()
    codes: Mapped[list[ConsultationCode]] = relationship(cascade="all, delete-orphan")


class ConsultationCode(Base):
    """A theme a coder applied to a response."""

    __tablename__ = "consultation_code"

    coding_id: Mapped[int] = mapped_column(ForeignKey("consultation_coding.id"), primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("consultation_theme.id"), primary_key=True, index=True)

    theme: Mapped[ConsultationTheme] = relationship()


class ConsultationAdjudication(Base):
    """The adjudicator's decision whether a theme applies to a response (the coders' codes stay)."""

    __tablename__ = "consultation_adjudication"
    __table_args__ = (UniqueConstraint("response_id", "theme_id", name="uq_consultation_adjudication_pair"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("consultation_response.id"), index=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("consultation_theme.id"), index=True)
    applies: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(Text, default="")
    adjudicator_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ConsultationCodebookChange(Base):
    """One revision of a consultation's codebook: what changed, who changed it, when and why."""

    __tablename__ = "consultation_codebook_change"
    __table_args__ = (
        UniqueConstraint("consultation_id", "version", name="uq_consultation_codebook_change_version"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    """The codebook version this change made (2 for the first revision)."""
    kind: Mapped[CodebookChangeKind] = mapped_column(
        enum_column(CodebookChangeKind, "codebook_change_kind", 20)
    )
    theme_code: Mapped[str] = mapped_column(String(40))
    into_code: Mapped[str | None] = mapped_column(String(40), default=None)
    before: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    after: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reason: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    made_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    meaning_changed: Mapped[bool | None] = mapped_column(Boolean, default=None)
    """For a rewording: True when it changed the theme's meaning (its codings are asked again), False
    when it was editorial (spelling, clarity: they stay valid); None for the other kinds."""

    author: Mapped[User] = relationship()


class ConsultationCoderWithdrawal(Base):
    """That a coder was withdrawn from a consultation's coding round (who did it, when and why).

    Her codings stay as she made them and are shown as hers, but no longer count: not for alpha, not
    for the final themes, not for the re-coding check (docs/opinion.md, "A coder who has left")."""

    __tablename__ = "consultation_coder_withdrawal"
    __table_args__ = (
        UniqueConstraint("consultation_id", "coder_id", name="uq_consultation_coder_withdrawal_pair"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), index=True)
    coder_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    reason: Mapped[str] = mapped_column(Text)
    withdrawn_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    withdrawn_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    coder: Mapped[User] = relationship(foreign_keys=[coder_id])
    withdrawn_by: Mapped[User] = relationship(foreign_keys=[withdrawn_by_id])
    changes: Mapped[list[ConsultationCoderWithdrawalChange]] = relationship(
        order_by="ConsultationCoderWithdrawalChange.id", back_populates="withdrawal"
    )

    @property
    def in_force(self) -> bool:
        """Whether the coder is withdrawn now: no later change, or the last one withdrew her again."""
        return not self.changes or self.changes[-1].kind is CoderRoundChangeKind.withdraw


class CoderRoundChangeKind(StrEnum):
    """A later change of a withdrawal: the coder reinstated (withdrawn in error), or withdrawn again."""

    reinstate = "reinstate"
    withdraw = "withdraw"


WITHDRAWAL_FK = "fk_consultation_coder_withdrawal_change_withdrawal"
"""Named here: the convention's name (with the referred table) is longer than PostgreSQL's 63 characters."""


class ConsultationCoderWithdrawalChange(Base):
    """A reinstatement of a withdrawn coder (or her withdrawal again after one), who, when and why.

    The withdrawal row is never deleted: undoing it is recorded here, so the history of withdrawals and
    reinstatements stays readable; the last change says whether the withdrawal is in force."""

    __tablename__ = "consultation_coder_withdrawal_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    withdrawal_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_coder_withdrawal.id", name=WITHDRAWAL_FK), index=True
    )
    kind: Mapped[CoderRoundChangeKind] = mapped_column(
        enum_column(CoderRoundChangeKind, "round_change_kind", 20)
    )
    reason: Mapped[str] = mapped_column(Text)
    made_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    made_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    withdrawal: Mapped[ConsultationCoderWithdrawal] = relationship(back_populates="changes")
    made_by: Mapped[User] = relationship(foreign_keys=[made_by_id])
