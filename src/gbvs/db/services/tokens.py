"""API tokens for the REST API: random, shown once, stored as SHA-256 only.

Anyone stored in the database may create, rotate and revoke their own tokens; doing so
for someone else needs ``users:manage`` for their organisation and a higher rank
(:func:`gbvs.db.services.guards.managed_account`): a coordinator cannot mint an admin's token.

A token works for ``GBVS_TOKEN_LIFETIME_DAYS`` after it is made
(:func:`gbvs.db.services.principals.principal_from_token_row` refuses it after that); the functions
here that describe a token take that lifetime to say when it expires.

Using a token is a read: ``last_used_at`` is kept to within :data:`USE_RESOLUTION` by
:func:`record_use`, which the web app calls in its own short transaction after the request's
read and which writes at most once per token per :data:`USE_RESOLUTION` (issue 8, finding 1).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import CursorResult, or_, select, update
from sqlalchemy.orm import Session

from gbvs.config import DEFAULT_TOKEN_LIFETIME_DAYS
from gbvs.db.audit import record, record_not_found
from gbvs.db.models import ApiToken, User
from gbvs.db.schemas import ApiTokenPublic
from gbvs.db.services.guards import NO_ORGANISATION, managed_account
from gbvs.db.services.lookup import user_by_username
from gbvs.db.services.principals import token_expiry
from gbvs.db.types import MAX_ROW_ID, utcnow
from gbvs.errors import InputError, StateConflictError, said
from gbvs.security.authz import can, outranks_account
from gbvs.security.hashing import hash_api_token, new_api_token, token_public_part
from gbvs.security.permissions import Permission
from gbvs.security.principal import Principal

DEFAULT_LIFETIME = timedelta(days=DEFAULT_TOKEN_LIFETIME_DAYS)
"""The lifetime a token is described with when the caller does not pass the configured one."""


def create_token(
    session: Session,
    principal: Principal,
    name: str,
    username: str | None = None,
    lifetime: timedelta = DEFAULT_LIFETIME,
) -> tuple[str, ApiTokenPublic]:
    """Make a token for ``username`` (default: the principal); return (secret, metadata)."""
    user = _owner(session, principal, username, "tokens.create")
    if not name.strip():
        raise InputError(
            said("token name is empty; give a name that says where it is used, e.g. 'dashboard'")
        )
    secret, token = _new_token(session, principal, user, name.strip()[:100])
    detail = {"user": user.username, "name": token.name}
    record(session, principal, "tokens.create", "api_token", token.id, detail)
    return secret, _public(token, lifetime)


def list_tokens(
    session: Session,
    principal: Principal,
    username: str | None = None,
    lifetime: timedelta = DEFAULT_LIFETIME,
) -> list[ApiTokenPublic]:
    """Tokens of ``username`` (default: the principal), newest first."""
    user = _owner(session, principal, username, "tokens.list")
    rows = session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc()))
    return [_public(row, lifetime) for row in rows]


def revoke_token(
    session: Session, principal: Principal, token_id: int, lifetime: timedelta = DEFAULT_LIFETIME
) -> ApiTokenPublic:
    """Revoke a token for good (audited).

    One's own token, or one of an account one may manage (``users:manage`` for its organisation and
    a higher rank). Any other token gets the same "does not exist" as a number never given out (kept
    in the audit log), so revoking cannot be used to probe which token numbers exist, or whose they are.
    """
    token = _token_to_act_on(session, principal, token_id, "tokens.revoke")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        record(session, principal, "tokens.revoke", "api_token", token.id, {"user": token.user.username})
    return _public(token, lifetime)


def rotate_token(
    session: Session, principal: Principal, token_id: int, lifetime: timedelta = DEFAULT_LIFETIME
) -> tuple[str, ApiTokenPublic]:
    """Replace a token (also an expired one) by a new one of the same owner and name; the old one is
    revoked at once (audited). Who may rotate it, and the answer to anyone else, as :func:`revoke_token`."""
    token = _token_to_act_on(session, principal, token_id, "tokens.rotate")
    if token.revoked_at is not None:
        raise StateConflictError(
            said(
                "token %(token)s was revoked on %(day)s, so it cannot be rotated; make a new one with "
                "`gbvs users tokens create NAME`",
                token=token.id,
                day=f"{token.revoked_at:%Y-%m-%d}",
            )
        )
    secret, new = _new_token(session, principal, token.user, token.name)
    token.revoked_at = utcnow()
    detail = {"user": token.user.username, "name": token.name, "new_token": new.id}
    record(session, principal, "tokens.rotate", "api_token", token.id, detail)
    return secret, _public(new, lifetime)


def _new_token(session: Session, principal: Principal, user: User, name: str) -> tuple[str, ApiToken]:
    """A new token of ``user`` (flushed, so it has its id): the secret and the row. Made by a principal
    acting with a token, it expires no later than that token, so a stolen token cannot be renewed."""
    secret = new_api_token()
    token = ApiToken(user=user, name=name, public_part=token_public_part(secret))
    token.expires_at = principal.token_expires_at
    token.token_hash = hash_api_token(secret)
    session.add(token)
    session.flush()
    return secret, token


def _token_to_act_on(session: Session, principal: Principal, token_id: int, action: str) -> ApiToken:
    """Token ``token_id`` if ``principal`` may act on it (authorized and audited); else "not found"."""
    token = session.get(ApiToken, token_id) if 1 <= token_id <= MAX_ROW_ID else None
    if token is None or not _may_act_on(principal, token.user):
        hint = "; `gbvs users tokens list` shows yours"
        record_not_found(session, principal, action, "api_token", token_id, hint)
    _owner(session, principal, token.user.username, action)
    return token


def _public(token: ApiToken, lifetime: timedelta) -> ApiTokenPublic:
    """What may be shown of ``token``, with when it expires (or expired)."""
    stored = {name: getattr(token, name) for name in ApiTokenPublic.model_fields if name != "expires_at"}
    return ApiTokenPublic(**stored, expires_at=token_expiry(token.created_at, lifetime, token.expires_at))


def revoke_all(session: Session, user: User) -> int:
    """Revoke every token ``user`` still has; how many (for a caller that has authorized and audits it).

    Deactivating an account does this, so that reactivating it does not bring back a token that
    may have been stolen: like its web sessions, the account's tokens end for good.
    """
    statement = (
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    result = session.execute(statement)
    return result.rowcount if isinstance(result, CursorResult) else 0


USE_RESOLUTION = timedelta(minutes=5)
"""``last_used_at`` is at most this much older than a token's last use."""


def record_use(session: Session, secret: str, now: datetime | None = None) -> bool:
    """Set the token's ``last_used_at`` unless it was set within USE_RESOLUTION; whether it wrote."""
    now = now or utcnow()
    statement = (
        update(ApiToken)
        .where(ApiToken.token_hash == hash_api_token(secret.strip()))
        .where(or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at < now - USE_RESOLUTION))
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )
    result = session.execute(statement)
    return isinstance(result, CursorResult) and result.rowcount > 0


def _may_act_on(principal: Principal, user: User) -> bool:
    """Whether ``principal`` may act on ``user``'s tokens (as :func:`_owner` would allow, without raising)."""
    if principal.user_id is not None and user.id == principal.user_id:
        return True
    organisation = user.organisation.code if user.organisation else NO_ORGANISATION
    manages = can(principal, Permission.users_manage, organisation)
    return manages and outranks_account(principal, user.username, user.role)


def _owner(session: Session, principal: Principal, username: str | None, action: str) -> User:
    own = username is None or username.strip().lower() == principal.username
    if own and principal.user_id is not None:
        return user_by_username(session, principal.username)
    if username is None:
        raise InputError(
            said(
                "%(user)s is not a stored GBVS user and has no API tokens; name the account with --user NAME",
                user=principal.named(),
            )
        )
    return managed_account(session, principal, username, action, "api_token")
