"""The check before acting on another account: ``users:manage`` for its organisation, then rank.

Used by the user and token services, so that "who may touch whose account" is decided in one
place: a principal acts on another account only when they outrank it (or it is their own).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from gbvs.db.audit import authorize_audited, record_denial
from gbvs.db.models import User
from gbvs.db.services.lookup import user_by_username
from gbvs.errors import PermissionDeniedError
from gbvs.security.authz import NO_ORGANISATION, authorize_over
from gbvs.security.permissions import Permission
from gbvs.security.principal import Principal


def managed_account(
    session: Session, principal: Principal, username: str, action: str, object_type: str
) -> User:
    """The account ``username``, once ``principal`` may manage it (refusals are recorded).

    Whoever may manage no account at all is refused before the lookup, so the answer does not tell
    them whether the account exists.
    """
    authorize_audited(session, principal, Permission.users_manage, action, object_type, username[:64])
    user = user_by_username(session, username)
    org = user.organisation.code if user.organisation else NO_ORGANISATION
    authorize_audited(session, principal, Permission.users_manage, action, object_type, user.username, org)
    try:
        authorize_over(principal, user.username, user.role)
    except PermissionDeniedError as refusal:
        permission = Permission.users_manage
        record_denial(session, principal, action, object_type, user.username, permission, refusal)
        raise
    return user
