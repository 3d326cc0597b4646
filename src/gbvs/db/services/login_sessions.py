"""Server-side revocation of web sessions (issue 8, finding 8).

A session cookie carries the user's ``session_epoch`` from when it was issued
(:mod:`gbvs.web.sessions`). :func:`end_sessions` moves the epoch on, which makes every
earlier cookie of that user worthless at once: on logout, on a password change or reset, and
on deactivation and reactivation (so a reactivated user's old cookies stay dead).
"""

from __future__ import annotations

from sqlalchemy import Connection, CursorResult, bindparam, select, update
from sqlalchemy.orm import Session

from gbvs.db.models import Organisation, User
from gbvs.db.services.lookup import unknown_user, user_by_username
from gbvs.db.services.principals import PRINCIPAL_COLUMNS, principal_from_row
from gbvs.errors import PermissionDeniedError, said
from gbvs.security.principal import Principal

SESSION_ENDED = said(
    "this login session has ended (logged out, password changed or account deactivated); log in again"
)


def current_epoch(session: Session, username: str) -> int:
    """The session epoch a new cookie of ``username`` is issued in."""
    return user_by_username(session, username).session_epoch


BY_USERNAME = (
    select(*PRINCIPAL_COLUMNS, User.session_epoch, User.active)
    .outerjoin(Organisation, User.organisation_id == Organisation.id)
    .where(User.username == bindparam("username"))
)


def principal_for_session(reader: Session | Connection, username: str, epoch: int) -> Principal:
    """The active user of a session cookie, if its epoch is still the user's (else PermissionDeniedError).

    One read (no ORM objects: every request of a logged-in browser runs it); ``reader`` is a
    session or a bare connection.
    """
    row = reader.execute(BY_USERNAME, {"username": username.strip().lower()}).first()
    if row is None:
        raise unknown_user(username)
    if row.session_epoch != epoch or not row.active:
        raise PermissionDeniedError(SESSION_ENDED)
    return principal_from_row(row)


def end_sessions(user: User) -> None:
    """Make every session cookie issued to ``user`` so far invalid (part of the caller's transaction)."""
    user.session_epoch = (user.session_epoch or 0) + 1


def log_out(session: Session, username: str, epoch: int) -> bool:
    """End the sessions of ``username`` if ``epoch`` is still current; whether it did.

    One UPDATE that starts the transaction: no read before it, so on SQLite it waits for the write
    lock like any writer instead of failing on a snapshot another writer made stale.
    """
    statement = (
        update(User)
        .where(User.username == username.strip().lower(), User.session_epoch == epoch)
        .values(session_epoch=User.session_epoch + 1)
        .execution_options(synchronize_session="evaluate")
    )
    result = session.execute(statement)
    return isinstance(result, CursorResult) and result.rowcount > 0
