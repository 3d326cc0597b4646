"""SQLAlchemy 2 models of the operational database.

Tables: ``organisation`` (ministries, agencies, think tanks), ``app_user``
(people with a role), ``api_token`` (hashed REST API tokens) and ``audit_log``
(append-only, hash-chained) with its one-row ``audit_chain_head``. The audit log is
guarded three ways: ORM events here refuse UPDATE and DELETE with
:class:`~gbvs.errors.AuditLogImmutableError`; database triggers refuse them for raw SQL
too (and, on SQLite, ``INSERT OR REPLACE`` over an existing row); and every entry is
linked into a hash chain (:mod:`gbvs.db.chain`) as it is inserted, so a change made
around the guards (by the database owner) is found by ``gbvs audit verify``.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Connection,
    Enum,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    event,
    text,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Mapper,
    ORMExecuteState,
    Session,
    mapped_column,
    relationship,
)

from gbvs.db.chain import HASHED_FIELDS, entry_hash, plain_detail
from gbvs.db.types import UTCDateTime, utcnow
from gbvs.errors import AuditLogImmutableError, DatabaseError
from gbvs.languages import N_
from gbvs.safetext import escape_controls
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


ORGANISATION_KIND_NAMES: dict[str, str] = {
    OrganisationKind.ministry: N_("ministry"),
    OrganisationKind.agency: N_("agency"),
    OrganisationKind.police: N_("police"),
    OrganisationKind.intelligence: N_("intelligence service"),
    OrganisationKind.think_tank: N_("think tank"),
    OrganisationKind.other: N_("other organisation"),
}
"""How the command line names an organisation's kind (message ids; the stored value is the key)."""


class Outcome(StrEnum):
    """How an audited action ended."""

    success = "success"
    denied = "denied"
    failed = "failed"


def enum_column(enum_class: type[StrEnum], name: str, length: int = 20) -> Enum:
    """A portable enum column: a checked VARCHAR holding the members' values."""
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=length,
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
    kind: Mapped[OrganisationKind] = mapped_column(enum_column(OrganisationKind, "organisation_kind"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    users: Mapped[list[User]] = relationship(back_populates="organisation")


class User(Base):
    """A person who uses GBVS, with one role. Passwords are stored only as scrypt hashes."""

    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"))
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
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    """The latest moment the token may work: the end of the token it was made with (migration 0016);
    None for a token made without one. It works until the earlier of this and creation + lifetime."""

    user: Mapped[User] = relationship(back_populates="tokens")


class AuditLog(Base):
    """One append-only record of an action or a denied attempt. Never updated, never deleted.

    ``seq``, ``prev_hash`` and ``entry_hash`` are filled in when the row is inserted
    (:func:`_link_into_chain`); see :mod:`gbvs.db.chain` for the format.
    """

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(100))
    object_type: Mapped[str] = mapped_column(String(50))
    object_id: Mapped[str | None] = mapped_column(String(100), default=None)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    outcome: Mapped[Outcome] = mapped_column(enum_column(Outcome, "outcome"))
    message: Mapped[str | None] = mapped_column(Text, default=None)


class AuditChainHead(Base):
    """The newest link of the audit chain (one row, ``id`` 1). Appending locks this row first,
    so concurrent writers take turns and the chain stays linear."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    entry_hash: Mapped[str] = mapped_column(String(64))


AUDIT_TEXT_LIMITS = {"actor": 64, "action": 100, "object_type": 50, "object_id": 100}
_LOCK_HEAD = text("UPDATE audit_chain_head SET seq = seq + :count WHERE id = 1 RETURNING seq, entry_hash")
_MOVE_HEAD = text("UPDATE audit_chain_head SET entry_hash = :entry_hash WHERE id = 1")


@event.listens_for(AuditLog, "before_insert")
def _link_into_chain(mapper: Mapper[AuditLog], connection: Connection, target: AuditLog) -> None:
    """Escape the text fields, then give the new entry the next seq, the head's hash and its own hash."""
    values = {name: getattr(target, name) for name in HASHED_FIELDS if name not in ("seq", "prev_hash")}
    (linked,) = link_into_chain(connection, [values])
    for name, value in linked.items():
        setattr(target, name, value)


def link_into_chain(connection: Connection, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Escape ``entries`` (the hashed fields but seq and prev_hash), number and hash them after the head.

    The first statement reserves the entries' seqs by updating the head row and returns the head: on
    PostgreSQL that row lock, on SQLite the write lock, is held until commit, so appends from
    concurrent transactions are serialised and the chain stays linear. One head update covers the
    whole list (a batch of the web's audit writer costs two statements besides its INSERT), and the
    escaping is done before it, so the lock is held as briefly as possible.
    """
    escaped = [_escaped(values) for values in entries]  # before the lock: it is held until commit
    head = connection.execute(_LOCK_HEAD, {"count": len(entries)}).one_or_none()
    if head is None:
        raise DatabaseError("the audit chain head (table audit_chain_head) is missing; run `gbvs db upgrade`")
    last_seq, previous = head
    linked = []
    for seq, values in enumerate(escaped, start=last_seq - len(entries) + 1):
        entry = {**values, "seq": seq, "prev_hash": previous}
        entry["entry_hash"] = previous = entry_hash(entry)
        linked.append(entry)
    connection.execute(_MOVE_HEAD, {"entry_hash": previous})
    return linked


def _escaped(values: dict[str, Any]) -> dict[str, Any]:
    escaped = dict(values)
    escaped["at"] = values.get("at") or utcnow()
    for name, limit in AUDIT_TEXT_LIMITS.items():
        if values.get(name) is not None:
            escaped[name] = escape_controls(str(values[name]))[:limit]
    message = values.get("message")
    escaped["message"] = None if message is None else escape_controls(message)
    escaped["detail"] = _escape_json(plain_detail(values.get("detail")))
    return escaped


def _escape_json(value: Any) -> Any:
    if isinstance(value, str):
        return escape_controls(value)
    if isinstance(value, list):
        return [_escape_json(item) for item in value]
    if isinstance(value, dict):
        return {escape_controls(str(key)): _escape_json(item) for key, item in value.items()}
    return value


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
    """Refuse bulk ORM statements on the audit log: ``update``/``delete`` change it, and ``insert``
    (which skips mapper events) would bypass the hash chain; ``session.add`` is the way in."""
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    if any(mapper.class_ is AuditLog for mapper in state.all_mappers):
        operation = "bulk UPDATE" if state.is_update else "bulk DELETE" if state.is_delete else "bulk INSERT"
        raise _refuse(operation, "*")


# The signals register's models live in their own module; importing it registers them on Base.
# Early action (goal 1): its models live in their own module too.
from gbvs.db import action_models as _action_models  # noqa: E402, F401

# Public consultations (issue 15) keep their models in their own module too.
from gbvs.db import opinion_models as _opinion_models  # noqa: E402, F401

# Shared rate limits of the web (issue 8): login throttle and audit budget across server processes.
from gbvs.db import ratelimit_models as _ratelimit_models  # noqa: E402, F401

# The progress report's records (issue #14) live in their own module; importing it registers them.
from gbvs.db import report_models as _report_models  # noqa: E402, F401
from gbvs.db import signal_models as _signal_models  # noqa: E402, F401
