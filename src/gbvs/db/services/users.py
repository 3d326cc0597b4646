"""Users and their roles: list, create, change role, (de)activate, set password, bootstrap the first admin.

Coordinators manage users of their own organisation only, nobody gives a
role above their own, and nobody acts on an account that is not below their own rank
(:func:`gbvs.db.services.guards.managed_account`). The last active admin cannot be demoted or deactivated.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NoReturn

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from gbvs.db.audit import authorize_audited, record, record_denial, refuse
from gbvs.db.models import AuditLog, Organisation, Outcome, User
from gbvs.db.schemas import UserCreate, UserPublic
from gbvs.db.services.guards import NO_ORGANISATION, managed_account
from gbvs.db.services.login_sessions import end_sessions
from gbvs.db.services.lookup import organisation_by_code, user_by_username
from gbvs.db.services.tokens import revoke_all
from gbvs.errors import InputError, PermissionDeniedError, said
from gbvs.security.authz import authorize_role_change
from gbvs.security.hashing import hash_password, verify_password
from gbvs.security.permissions import Permission, Role, Scope, grant_for
from gbvs.security.principal import Principal


def to_public(user: User) -> UserPublic:
    """The public view of a user (no password hash)."""
    return UserPublic(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        organisation_code=user.organisation.code if user.organisation else None,
        role=user.role,
        active=user.active,
        created_at=user.created_at,
        has_password=user.password_hash is not None,
    )


def list_users(
    session: Session, principal: Principal, organisation_code: str | None = None
) -> list[UserPublic]:
    """Users by username, optionally of one organisation."""
    org = organisation_code
    authorize_audited(session, principal, Permission.users_read, "users.list", "user", organisation=org)
    query = select(User).options(selectinload(User.organisation)).order_by(User.username)
    if organisation_code is not None:
        query = query.where(User.organisation_id == organisation_by_code(session, organisation_code).id)
    return [to_public(user) for user in session.scalars(query)]


def create_user(
    session: Session, principal: Principal, data: UserCreate, password: str | None = None
) -> UserPublic:
    """Add a user (audited). Coordinators add users to their own organisation, up to coordinator."""
    if data.organisation_code is None and grant_for(principal.role, Permission.users_manage) is Scope.own:
        data = data.model_copy(update={"organisation_code": principal.organisation_code})
    org = data.organisation_code or NO_ORGANISATION
    authorize_audited(session, principal, Permission.users_manage, "users.create", "user", data.username, org)
    _authorize_role(session, principal, data.role, "users.create", data.username)
    if session.scalar(select(User.id).where(User.username == data.username)) is not None:
        raise InputError(
            said("username '%(username)s' is already taken; choose another username", username=data.username)
        )
    user = _new_user(session, data, password)
    record(session, principal, "users.create", "user", data.username, data.model_dump(mode="json"))
    return to_public(user)


def set_role(session: Session, principal: Principal, username: str, role: Role) -> UserPublic:
    """Change a user's role (audited with the old and new role)."""
    user = _managed_user(session, principal, username, "users.set_role")
    _authorize_role(session, principal, role, "users.set_role", user.username)
    old = user.role
    if old is Role.admin and role is not Role.admin:
        _keep_an_admin(session, user)
    user.role = role
    record(session, principal, "users.set_role", "user", user.username, {"from": old.value, "to": role.value})
    return to_public(user)


def set_organisation(
    session: Session, principal: Principal, username: str, organisation_code: str | None
) -> UserPublic:
    """Move a user to another organisation, or to none (audited with the old and new one).

    Who may manage the account in its present organisation and in the new one may move it (admins; a
    coordinator only within their own). What the user may read follows their organisation, so their web
    sessions end; what they wrote stays where it is (a signal's author still reads it)."""
    user = _managed_user(session, principal, username, "users.set_organisation")
    target = organisation_by_code(session, organisation_code) if organisation_code is not None else None
    new = target.code if target is not None else NO_ORGANISATION
    authorize_audited(
        session, principal, Permission.users_manage, "users.set_organisation", "user", user.username, new
    )
    old = user.organisation.code if user.organisation else None
    if old == (target.code if target is not None else None):
        raise InputError(
            said(
                "user '%(username)s' is already in %(organisation)s; nothing changed",
                username=user.username,
                organisation=new,
            )
        )
    user.organisation = target
    end_sessions(user)
    details = {"from": old, "to": target.code if target is not None else None}
    record(session, principal, "users.set_organisation", "user", user.username, details)
    return to_public(user)


def set_active(session: Session, principal: Principal, username: str, active: bool) -> UserPublic:
    """Deactivate (or reactivate) a user; deactivated users cannot act or log in. Ends their web sessions
    and, on deactivation, revokes their API tokens (the count is in the audit entry): a reactivated
    account starts without the cookies and tokens it had."""
    user = _managed_user(session, principal, username, "users.set_active")
    if not active and user.role is Role.admin:
        _keep_an_admin(session, user)
    user.active = active
    end_sessions(user)
    detail: dict[str, object] = {"active": active}
    if not active:
        detail["tokens_revoked"] = revoke_all(session, user)
    record(session, principal, "users.set_active", "user", user.username, detail)
    return to_public(user)


def set_password(
    session: Session,
    principal: Principal,
    username: str,
    password: str | Callable[[], str],
    current: str | Callable[[], str] | None = None,
) -> None:
    """Set a password (scrypt hash); ends the user's web sessions. Own password, or ``users:manage``.

    Changing one's own password needs the ``current`` one (or a function that asks for it, called
    only then), so a stolen API token cannot take over the web login too; an account's first
    password, or a reset by a manager, does not. ``password`` may be a function too (the command
    line asks for the new password after the current one).
    """
    if principal.username == username.strip().lower() and principal.user_id is not None:
        user = user_by_username(session, username)
        given = current() if callable(current) and user.password_hash is not None else current
        if user.password_hash is not None and not verify_password(str(given or ""), user.password_hash):
            refuse(
                session,
                principal,
                "users.set_password",
                "user",
                user.username,
                None,
                f"the current password of {user.username!r} is missing or wrong; give it to set a new one, "
                "or ask an admin or a coordinator of your organisation to reset yours",
            )
    else:
        user = _managed_user(session, principal, username, "users.set_password")
    user.password_hash = hash_password(password() if callable(password) else password)
    end_sessions(user)
    record(session, principal, "users.set_password", "user", user.username)


def bootstrap_admin(
    session: Session,
    username: str,
    display_name: str,
    organisation_code: str | None = None,
    password: str | None = None,
    actor: str | None = None,
) -> UserPublic:
    """Create the very first admin; refused (and recorded) once any admin exists.

    ``actor`` is who does it (the CLI passes the OS owner of the data folder, ``os:<name>``);
    by default the entry names the new admin.
    """
    data = UserCreate(
        username=username, display_name=display_name, organisation_code=organisation_code, role=Role.admin
    )
    existing = session.scalar(select(User.username).where(User.role == Role.admin).limit(1))
    if existing is not None:
        _refuse_bootstrap(session, data.username, existing, actor or data.username)
    user = _new_user(session, data, password)
    session.add(_bootstrap_entry(actor or data.username, data.username, Outcome.success, None))
    return to_public(user)


def _managed_user(session: Session, principal: Principal, username: str, action: str) -> User:
    """The target user, after checking ``users:manage`` for their organisation and rank."""
    return managed_account(session, principal, username, action, "user")


def _authorize_role(session: Session, principal: Principal, role: Role, action: str, username: str) -> None:
    try:
        authorize_role_change(principal, role)
    except PermissionDeniedError as refusal:
        record_denial(session, principal, action, "user", username, Permission.users_manage, refusal)
        raise


def _keep_an_admin(session: Session, user: User) -> None:
    others = session.scalar(
        select(func.count()).select_from(User).where(User.role == Role.admin, User.active, User.id != user.id)
    )
    if not others:
        raise InputError(
            said(
                "'%(username)s' is the last active admin; make another user admin first "
                "(`gbvs users set-role OTHER admin`)",
                username=user.username,
            )
        )


def _new_user(session: Session, data: UserCreate, password: str | None) -> User:
    organisation: Organisation | None = None
    if data.organisation_code is not None:
        organisation = organisation_by_code(session, data.organisation_code)
    user = User(
        username=data.username,
        display_name=data.display_name,
        organisation=organisation,
        role=data.role,
        active=True,
        password_hash=None if password is None else hash_password(password),
    )
    session.add(user)
    session.flush()
    return user


def _refuse_bootstrap(session: Session, username: str, existing_admin: str, actor: str) -> NoReturn:
    refusal = PermissionDeniedError(
        said(
            "an admin already exists ('%(admin)s'), so `create-admin` is closed; the OS owner of the data "
            "folder can run `gbvs users create %(username)s --name NAME --role admin`",
            admin=existing_admin,
            username=username,
        )
    )
    session.rollback()
    session.add(_bootstrap_entry(actor, username, Outcome.denied, str(refusal)))
    session.commit()
    raise refusal


def _bootstrap_entry(actor: str, username: str, outcome: Outcome, message: str | None) -> AuditLog:
    return AuditLog(
        actor=actor[:64],
        action="users.bootstrap_admin",
        object_type="user",
        object_id=username,
        detail={"bootstrap": True},
        outcome=outcome,
        message=message,
    )
