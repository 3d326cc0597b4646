"""Turn a username, a password or an API token into a :class:`~gbvs.security.Principal`.

The CLI acts as the OS owner of the data folder or as the owner of an API token
(:func:`principal_from_token`, see :mod:`gbvs.cli.identity`); the web app in remote
mode logs people in (:func:`authenticate`) or reads an API token; in loopback
single-user mode it uses :meth:`Principal.local_user`. :func:`load_principal`
turns an already authenticated username into a Principal. Refusals are raised, not recorded
here: the web layer records them with the client address and path (:mod:`gbvs.web.audit`),
budgeted per client so that strangers cannot flood the audit log, and never under the username
they typed.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Row, bindparam, select
from sqlalchemy.orm import Session

from gbvs.db.models import ApiToken, Organisation, User
from gbvs.db.schemas import USERNAME_PATTERN
from gbvs.db.services.lookup import user_by_username
from gbvs.db.types import utcnow
from gbvs.errors import PermissionDeniedError, Words, said
from gbvs.security.hashing import hash_api_token, verify_password
from gbvs.security.permissions import Role
from gbvs.security.principal import Principal

_LOGIN_REFUSED = said("unknown user or wrong password")
TOKEN_REFUSED_WORDS = said("API token unknown, revoked or of a deactivated user; make a new one")
TOKEN_REFUSED = TOKEN_REFUSED_WORDS[0]
"""The refusal of a token that is unknown, revoked or of a deactivated user: its words (a page and the API
say them in the reader's language) and its English text, which scripts and tests compare."""
PRINCIPAL_COLUMNS = (User.username, User.role, User.id, Organisation.code, User.organisation_id)
BY_TOKEN_HASH = (
    select(*PRINCIPAL_COLUMNS, ApiToken.created_at, ApiToken.expires_at)
    .select_from(ApiToken)
    .join(User, ApiToken.user_id == User.id)
    .outerjoin(Organisation, User.organisation_id == Organisation.id)
    .where(ApiToken.token_hash == bindparam("token_hash"))
    .where(ApiToken.revoked_at.is_(None), User.active.is_(True))
)
"""The owner of an active token, the token's creation time and its cap in one indexed read (no ORM
objects: every API request runs it); :func:`principal_from_token_row` checks the token's age."""
_DUMMY_HASH = "scrypt$16384$8$1$00000000000000000000000000000000$" + "00" * 32


def principal_of(user: User) -> Principal:
    """The Principal for a stored user."""
    return Principal(
        username=user.username,
        role=user.role,
        user_id=user.id,
        organisation_code=user.organisation.code if user.organisation else None,
        organisation_id=user.organisation_id,
    )


def load_principal(session: Session, username: str) -> Principal:
    """The active user ``username`` as a Principal (NotFoundError / PermissionDeniedError with the fix)."""
    user = user_by_username(session, username)
    if not user.active:
        raise PermissionDeniedError(
            said(
                "user '%(username)s' is deactivated; an admin can reactivate it with "
                "`gbvs users activate %(username)s` (with their token in GBVS_TOKEN)",
                username=user.username,
            )
        )
    return principal_of(user)


def authenticate(session: Session, username: str, password: str) -> Principal:
    """Check a password login; refusals say nothing about which part was wrong (the caller records them).

    A typed name that no account can have (:data:`gbvs.db.schemas.USERNAME_PATTERN`) is not looked up:
    it is refused like an unknown one (PostgreSQL refuses a NUL character in a query with an error)."""
    wanted = username.strip().lower()
    user = session.scalar(select(User).where(User.username == wanted)) if _possible(wanted) else None
    stored = user.password_hash if user is not None and user.active else None
    # Unknown users cost one scrypt too, so timing does not reveal which usernames exist.
    matches = verify_password(password, stored or _DUMMY_HASH) and stored is not None
    if user is None or not matches:
        raise PermissionDeniedError(_LOGIN_REFUSED)
    return principal_of(user)


def _possible(username: str) -> bool:
    """Whether ``username`` has the form of a username (see :class:`gbvs.db.schemas.UserCreate`)."""
    return re.fullmatch(USERNAME_PATTERN, username) is not None


def principal_from_token(reader: Session | Connection, token: str, lifetime: timedelta) -> Principal:
    """The owner of an active API token made less than ``lifetime`` ago (a read only: see
    :func:`gbvs.db.services.tokens.record_use`).

    One statement joining token, user and organisation; ``reader`` is a session or, in the web
    app, a bare connection (cheaper: the lookup runs on every API request).
    """
    row = reader.execute(BY_TOKEN_HASH, {"token_hash": hash_api_token(token.strip())}).first()
    return principal_from_token_row(row, lifetime)


def principal_from_token_row(
    row: Row[Any] | tuple[Any, ...] | None, lifetime: timedelta, now: datetime | None = None
) -> Principal:
    """The principal of a :data:`BY_TOKEN_HASH` row, if there is one and its token has not expired.

    The one place where a token's age is checked, for the CLI (``GBVS_TOKEN``) and the web app alike.
    """
    if row is None:
        raise PermissionDeniedError(TOKEN_REFUSED_WORDS)
    expires = token_expiry(row[5], lifetime, row[6])
    if expires <= (now or utcnow()):
        days = lifetime.days
        raise TokenExpiredError(_expired(expires, days))
    return replace(principal_from_row(row), token_expires_at=expires)


def _expired(expires: datetime, days: int) -> Words:
    """Said only to the holder of a token that was valid: an unknown or revoked one gets TOKEN_REFUSED."""
    return said(
        "API token expired on %(date)s (tokens last %(days)s days, GBVS_TOKEN_LIFETIME_DAYS); get a new one: "
        "`gbvs users tokens rotate ID` (the id is in `gbvs users tokens list`) with another valid token of "
        "yours, or ask an administrator to run `gbvs users tokens create NAME --user YOUR-USERNAME`",
        date=f"{expires:%Y-%m-%d %H:%M} UTC",
        days=days,
    )


def token_expiry(created_at: datetime, lifetime: timedelta, cap: datetime | None = None) -> datetime:
    """When a token made at ``created_at`` stops working: after ``lifetime``, or at its ``cap`` (the end
    of the token it was made with) if that comes first."""
    ends = created_at + lifetime
    return ends if cap is None else min(ends, cap)


class TokenExpiredError(PermissionDeniedError):
    """An API token that was valid has outlived its lifetime (see :func:`_expired`)."""


def principal_from_row(row: Row[Any] | tuple[Any, ...]) -> Principal:
    """The Principal of a row starting with :data:`PRINCIPAL_COLUMNS` (username, role, ids, organisation)."""
    username, role, user_id, organisation_code, organisation_id = row[:5]
    return Principal(
        username=username,
        role=Role(role),
        user_id=user_id,
        organisation_code=organisation_code,
        organisation_id=organisation_id,
    )
