"""API tokens for the REST API: random, shown once, stored as SHA-256 only.

Anyone stored in the database may create and revoke their own tokens; doing so
for someone else needs ``users:manage`` for their organisation and a higher rank
(:func:`gbvs.db.services.guards.managed_account`): a coordinator cannot mint an admin's token.

Using a token is a read: ``last_used_at`` is kept to within :data:`USE_RESOLUTION` by
:func:`record_use`, which the web app calls in its own short transaction after the request's
read and which writes at most once per token per :data:`USE_RESOLUTION` (issue 8, finding 1).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import CursorResult, or_, select, update
from sqlalchemy.orm import Session

from gbvs.db.audit import record, record_not_found
from gbvs.db.models import ApiToken, User
from gbvs.db.schemas import ApiTokenPublic
from gbvs.db.services.guards import NO_ORGANISATION, managed_account
from gbvs.db.services.lookup import user_by_username
from gbvs.db.types import MAX_ROW_ID, utcnow
from gbvs.errors import InputError
from gbvs.security.authz import can, outranks_account
from gbvs.security.hashing import hash_api_token, new_api_token, token_public_part
from gbvs.security.permissions import Permission
from gbvs.security.principal import Principal


def create_token(
    session: Session, principal: Principal, name: str, username: str | None = None
) -> tuple[str, ApiTokenPublic]:
    """Make a token for ``username`` (default: the principal); return (secret, metadata)."""
    user = _owner(session, principal, username, "tokens.create")
    if not name.strip():
        raise InputError("token name is empty; give a name that says where it is used, e.g. 'dashboard'")
    secret = new_api_token()
    token = ApiToken(user=user, name=name.strip()[:100], public_part=token_public_part(secret))
    token.token_hash = hash_api_token(secret)
    session.add(token)
    session.flush()
    detail = {"user": user.username, "name": token.name}
    record(session, principal, "tokens.create", "api_token", token.id, detail)
    return secret, ApiTokenPublic.model_validate(token)


def list_tokens(session: Session, principal: Principal, username: str | None = None) -> list[ApiTokenPublic]:
    """Tokens of ``username`` (default: the principal), newest first."""
    user = _owner(session, principal, username, "tokens.list")
    rows = session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc()))
    return [ApiTokenPublic.model_validate(row) for row in rows]


def revoke_token(session: Session, principal: Principal, token_id: int) -> ApiTokenPublic:
    """Revoke a token for good (audited).

    One's own token, or one of an account one may manage (``users:manage`` for its organisation and
    a higher rank). Any other token gets the same "does not exist" as a number never given out (kept
    in the audit log), so revoking cannot be used to probe which token numbers exist, or whose they are.
    """
    token = session.get(ApiToken, token_id) if 1 <= token_id <= MAX_ROW_ID else None
    if token is None or not _may_act_on(principal, token.user):
        hint = "; `gbvs users tokens list` shows yours"
        record_not_found(session, principal, "tokens.revoke", "api_token", token_id, hint)
    _owner(session, principal, token.user.username, "tokens.revoke")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        record(session, principal, "tokens.revoke", "api_token", token.id, {"user": token.user.username})
    return ApiTokenPublic.model_validate(token)


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
            f"{principal.describe()} is not a stored GBVS user and has no API tokens; name the "
            "account with --user NAME"
        )
    return managed_account(session, principal, username, action, "api_token")
