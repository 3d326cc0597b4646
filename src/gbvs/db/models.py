"""SQLAlchemy 2 models of the operational database.

Tables: ``organisation`` (ministries, agencies, think tanks), ``app_user``
(people with a role), ``api_token`` (hashed REST API tokens) and ``audit_log``
(append-only). The audit log is guarded twice: ORM events here refuse UPDATE
and DELETE with :class:`~gbvs.errors.AuditLogImmutableError`, and database
triggers created by the first migration refuse them for raw SQL too.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, Enum, ForeignKey, Integer, MetaData, String, Text, event
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Mapper,
    ORMExecuteState,
    Session,
    mapped_column,
    relationship,
)

from gbvs.db.types import UTCDateTime, utcnow
from gbvs.errors import AuditLogImmutableError
from gbvs.security.permissions import Role

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
AUDIT_IMMUTABLE_MARKER = "audit_log is append-only"


class Base(DeclarativeBase):
    """Declarative base with a constraint naming convention (stable names for migrations)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class OrganisationKind(StrEnum):
    """What sort of organisation takes part."""

    ministry = "ministry"
    agency = "agency"
    police = "police"
    intelligence = "intelligence"
    think_tank = "think_tank"
    other = "other"


class Outcome(StrEnum):
    """How an audited action ended."""

    success = "success"
    denied = "denied"
    failed = "failed"


def _enum(enum_class: type[StrEnum], name: str) -> Enum:
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=20,
        validate_strings=True,
        values_callable=lambda members: [member.value for member in members],
    )


class Organisation(Base):
    """A ministry, agency, police unit, service or think tank (``code`` like ``BZ``)."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name_nl: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    kind: Mapped[OrganisationKind] = mapped_column(_enum(OrganisationKind, "organisation_kind"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    users: Mapped[list[User]] = relationship(back_populates="organisation")


class User(Base):
    """A person who uses GBVS, with one role. Passwords are stored only as scrypt hashes."""

    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    role: Mapped[Role] = mapped_column(_enum(Role, "role"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    password_hash: Mapped[str | None] = mapped_column(String(200), default=None)
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Counts the ends of this user's web sessions (logout, password change, (de)activation):
    a session cookie names the epoch it was issued in and is refused once this has moved on."""

    organisation: Mapped[Organisation | None] = relationship(back_populates="users")
    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user")


class ApiToken(Base):
    """A REST API token: only its SHA-256 and a short public part are stored."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    public_part: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)

    user: Mapped[User] = relationship(back_populates="tokens")


class AuditLog(Base):
    """One append-only record of a write or a denied attempt. Never updated, never deleted."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(100))
    object_type: Mapped[str] = mapped_column(String(50))
    object_id: Mapped[str | None] = mapped_column(String(100), default=None)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    outcome: Mapped[Outcome] = mapped_column(_enum(Outcome, "outcome"))
    message: Mapped[str | None] = mapped_column(Text, default=None)


def _refuse(operation: str, row_id: object) -> AuditLogImmutableError:
    return AuditLogImmutableError(
        f"{AUDIT_IMMUTABLE_MARKER}: {operation} of audit_log row {row_id!r} refused; record a new "
        "entry instead (corrections are new rows)"
    )


@event.listens_for(AuditLog, "before_update")
def _refuse_update(mapper: Mapper[AuditLog], connection: object, target: AuditLog) -> None:
    raise _refuse("UPDATE", target.id)


@event.listens_for(AuditLog, "before_delete")
def _refuse_delete(mapper: Mapper[AuditLog], connection: object, target: AuditLog) -> None:
    raise _refuse("DELETE", target.id)


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_change(state: ORMExecuteState) -> None:
    """Refuse ``session.execute(update(AuditLog))`` / ``delete(AuditLog)`` (bulk ORM statements)."""
    if not (state.is_update or state.is_delete):
        return
    if any(mapper.class_ is AuditLog for mapper in state.all_mappers):
        raise _refuse("bulk UPDATE" if state.is_update else "bulk DELETE", "*")
