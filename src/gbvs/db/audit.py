"""Writing the audit log, and the authorization check that records refusals.

- :func:`record` adds one AuditLog row to the caller's transaction (for writes); inserting it
  links it into the hash chain (:mod:`gbvs.db.chain`) and escapes control characters in its text. A
  session opened for reading has it written apart, in a short write transaction of its own, at once
  (:data:`gbvs.db.session.AUDIT_APART` says why); a failure raises, so the read is not answered.
- :func:`record_many` appends many entries in one statement (the web's audit writer, which commits
  the entries of concurrent requests together), linked into the chain in the same way.
- :func:`authorize_audited` is :func:`gbvs.security.authorize` plus a kept
  record of every denied attempt: on refusal it rolls back the session's pending
  work, commits a ``denied`` row and re-raises. Services call it first, before
  they change anything.
- :func:`audited_write` wraps a write: authorize (refusals kept), run the block,
  then record success with the detail the block filled in::

      with audited_write(session, principal, Permission.signals_write, "signals.create",
                         "signal", organisation="BZ") as detail:
          signal = Signal(...); session.add(signal); session.flush()
          detail["id"] = signal.id
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, NoReturn

from sqlalchemy import Engine, Table, insert
from sqlalchemy.orm import Session

from gbvs.db.models import AuditLog, Outcome, link_into_chain
from gbvs.db.session import audit_apart_engine, make_session_factory, session_scope
from gbvs.errors import NotFoundError, PermissionDeniedError, Refusal, Term, Words, said
from gbvs.languages import N_
from gbvs.security.authz import authorize
from gbvs.security.permissions import Permission
from gbvs.security.principal import Principal


def record(
    session: Session,
    principal: Principal,
    action: str,
    object_type: str,
    object_id: object = None,
    detail: dict[str, Any] | None = None,
    outcome: Outcome = Outcome.success,
    message: str | None = None,
) -> None:
    """Add an audit entry for ``principal`` doing ``action`` on ``object_type``/``object_id`` (written
    apart, committed before this returns, for a session opened for reading)."""
    apart = audit_apart_engine(session)
    if apart is not None:
        entry = AuditEntry(principal, action, object_type, object_id, detail, outcome, message)
        session.commit()  # ends the read (nothing to write): no outdated snapshot for a later write
        write_apart(apart, [entry])
        return
    row = AuditLog(
        actor=principal.username[:64],
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id)[:100],
        detail={"role": principal.role.value, **(detail or {})},
        outcome=outcome,
        message=message,
    )
    session.add(row)
    session.flush()


@dataclass(frozen=True)
class AuditEntry:
    """The parts of an entry :func:`record_many` appends (what :func:`record` takes as arguments)."""

    principal: Principal
    action: str
    object_type: str
    object_id: object = None
    detail: dict[str, Any] | None = None
    outcome: Outcome = Outcome.success
    message: str | None = None


def write_apart(engine: Engine, entries: list[AuditEntry]) -> None:
    """Append ``entries`` in a short write transaction of their own on ``engine`` (waits its turn for the
    write lock; raises if they cannot be stored)."""
    with session_scope(make_session_factory(engine), for_writing=True) as apart:
        record_many(apart, entries)


def record_many(session: Session, entries: list[AuditEntry]) -> None:
    """Append ``entries`` in order to the caller's transaction with one INSERT (linked into the chain)."""
    if not entries:
        return
    values = [
        {
            "at": None,
            "actor": entry.principal.username[:64],
            "action": entry.action,
            "object_type": entry.object_type,
            "object_id": None if entry.object_id is None else str(entry.object_id)[:100],
            "detail": {"role": entry.principal.role.value, **(entry.detail or {})},
            "outcome": entry.outcome,
            "message": entry.message,
        }
        for entry in entries
    ]
    connection = session.connection()
    table = AuditLog.__table__
    assert isinstance(table, Table)
    connection.execute(insert(table), link_into_chain(connection, values))


def authorize_audited(
    session: Session,
    principal: Principal,
    permission: Permission,
    action: str,
    object_type: str,
    object_id: object = None,
    organisation: str | None = None,
) -> None:
    """Authorize; when refused, keep a ``denied`` audit entry (committed) and raise."""
    try:
        authorize(principal, permission, organisation)
    except PermissionDeniedError as refusal:
        record_denial(session, principal, action, object_type, object_id, permission, refusal)
        raise


def record_denial(
    session: Session,
    principal: Principal,
    action: str,
    object_type: str,
    object_id: object,
    permission: Permission | None,
    refusal: PermissionDeniedError,
) -> None:
    """Discard the session's pending work, then commit a ``denied`` entry explaining ``refusal``."""
    session.rollback()
    detail = {"permission": permission.value} if permission is not None else {}
    record(session, principal, action, object_type, object_id, detail, Outcome.denied, str(refusal))
    session.commit()


def refuse(
    session: Session,
    principal: Principal,
    action: str,
    object_type: str,
    object_id: object,
    permission: Permission | None,
    message: str | Words,
    ground: Refusal = Refusal.other,
) -> NoReturn:
    """Refuse with ``message`` (a rule beyond the permissions; :func:`gbvs.errors.said` words for one a
    page shows) on ``ground`` (the refusal page's heading), kept as :func:`record_denial` keeps it."""
    refusal = PermissionDeniedError(message, refusal=ground)
    record_denial(session, principal, action, object_type, object_id, permission, refusal)
    raise refusal


def record_not_found(
    session: Session,
    principal: Principal,
    action: str,
    object_type: str,
    object_id: int,
    hint: str = "",
) -> NoReturn:
    """Keep (committed, like a refusal) that ``object_id`` was asked for and not shown, then say
    "not found": the same answer whether it does not exist or is outside the reader's need-to-know.
    ``hint`` (e.g. "; `gbvs ... list` shows yours") ends the message; the thing is named in words where
    its object type is a code (:data:`NOT_FOUND_NAMES`: "early-action case" for ``action_case``)."""
    note_not_found(session, principal, action, object_type, object_id)
    kind = Term(NOT_FOUND_NAMES[object_type]) if object_type in NOT_FOUND_NAMES else object_type
    if hint:
        raise NotFoundError(f"{kind} {object_id} does not exist or is not shared with you{hint}")
    raise NotFoundError(
        said("%(kind)s %(id)s does not exist or is not shared with you", kind=kind, id=object_id)
    )


def note_not_found(
    session: Session, principal: Principal, action: str, object_type: str, object_id: int
) -> None:
    """Keep (committed, like a refusal) that ``object_id`` was asked for and not shown; the caller then
    says "not found" in its own words (:func:`record_not_found` when the common words do)."""
    session.rollback()
    record(session, principal, action, object_type, object_id, {"found": False}, Outcome.denied, "not found")
    session.commit()


NOT_FOUND_NAMES: dict[str, str] = {
    "signal": N_("signal"),
    "case": N_("signal case"),
    "action_case": N_("early-action case"),
}
"""The records :func:`record_not_found` names as a page names them (message ids; it translates them)."""


@contextmanager
def audited_write(
    session: Session,
    principal: Principal,
    permission: Permission,
    action: str,
    object_type: str,
    object_id: object = None,
    organisation: str | None = None,
) -> Iterator[dict[str, Any]]:
    """Authorize (keeping refusals), run the block, then record success with the block's detail.

    The block may set ``detail["object_id"]`` when the id is only known after the write.
    """
    authorize_audited(session, principal, permission, action, object_type, object_id, organisation)
    detail: dict[str, Any] = {}
    yield detail
    object_id = detail.pop("object_id", object_id)
    if organisation is not None:
        detail.setdefault("organisation", organisation)
    record(session, principal, action, object_type, object_id, detail)
