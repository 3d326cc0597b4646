"""The one authorization check every read and write path goes through.

``authorize(principal, permission)`` returns None or raises
:class:`~gbvs.errors.PermissionDeniedError` whose message names the user, the
permission and who can grant it. Pass ``organisation=`` (the code of the
organisation that owns the resource) for need-to-know checks: a grant with
scope ``own`` then only covers that organisation's resources.
"""

from __future__ import annotations

from gbvs.errors import Coded, Commas, PermissionDeniedError, Refusal, Term, Words, said
from gbvs.security.permissions import (
    ROLE_NAMES,
    ROLE_ORDER,
    Permission,
    Role,
    Scope,
    grant_for,
    outranks,
    roles_with,
)
from gbvs.security.principal import Principal


def can(principal: Principal, permission: Permission, organisation: str | None = None) -> bool:
    """Whether ``principal`` may do ``permission`` (on a resource owned by ``organisation``)."""
    return _refusal(principal, permission, organisation) is None


def authorize(principal: Principal, permission: Permission, organisation: str | None = None) -> None:
    """Return when allowed; raise PermissionDeniedError (with who can grant it) when not."""
    reason = _refusal(principal, permission, organisation)
    if reason is not None:
        ground = Refusal.role if grant_for(principal.role, permission) is None else Refusal.organisation
        raise PermissionDeniedError(reason, refusal=ground)


NO_ORGANISATION = "no organisation"
"""How an object without an owning organisation is named where need-to-know is checked and refused."""


def owner_to_check(owner: str | None, principal: Principal) -> str | None:
    """The organisation to check ``principal``'s need-to-know against for an object owned by ``owner``.

    An object without an owning organisation (made by the OS owner, or where there were no
    organisations) belongs to the accounts without one: for them there is nothing to check (None);
    for an account of an organisation it is :data:`NO_ORGANISATION`, which only a grant for all
    organisations passes, so a coordinator of one organisation cannot manage or read it as their own."""
    if owner is not None:
        return owner
    return None if principal.organisation_code is None else NO_ORGANISATION


def authorize_role_change(principal: Principal, new_role: Role) -> None:
    """Nobody hands out a role above their own (a coordinator cannot make admins)."""
    if outranks(new_role, principal.role):
        raise PermissionDeniedError(
            said(
                "user %(user)s may not give role '%(role)s', which is above their own; ask an admin to "
                "run `gbvs users set-role USER %(role)s`",
                user=principal.named(),
                role=new_role.value,
            )
        )


def rank(principal: Principal) -> int:
    """How trusted ``principal`` is: the index of their role; the OS owner of the data folder ranks
    above every role (they hold the files, so any lower rank would be a pretence)."""
    return len(ROLE_ORDER) if principal.is_os_owner else ROLE_ORDER.index(principal.role)


def outranks_account(principal: Principal, username: str, role: Role) -> bool:
    """Whether ``principal`` may act on account ``username`` with ``role`` by rank: their own stored
    account, or one whose role is below theirs (see :func:`authorize_over`)."""
    own = principal.user_id is not None and principal.username == username
    return own or rank(principal) > ROLE_ORDER.index(role)


def authorize_over(principal: Principal, username: str, role: Role) -> None:
    """A principal acts on another account (its tokens, role, password, status) only when they
    outrank it; their own stored account is always theirs. Raise PermissionDeniedError otherwise."""
    if outranks_account(principal, username, role):
        return
    target_rank = ROLE_ORDER.index(role)
    if target_rank > rank(principal):
        raise PermissionDeniedError(
            said(
                "user %(user)s may not act on account %(account)s, whose role '%(role)s' is above theirs; "
                "only someone of higher rank can (for admins: the OS owner of the data folder, running "
                "`gbvs users ...` without GBVS_TOKEN)",
                user=principal.named(),
                account=repr(username),
                role=named_role(role),
            )
        )
    raise PermissionDeniedError(
        said(
            "user %(user)s may not act on account %(account)s, whose role '%(role)s' is equal to theirs; "
            "only someone of higher rank can (for admins: the OS owner of the data folder, running "
            "`gbvs users ...` without GBVS_TOKEN)",
            user=principal.named(),
            account=repr(username),
            role=named_role(role),
        )
    )


def _refusal(principal: Principal, permission: Permission, organisation: str | None) -> Words | None:
    scope = grant_for(principal.role, permission)
    if scope is None:
        return _no_grant_message(principal, permission)
    if scope is Scope.own and organisation is not None and organisation != principal.organisation_code:
        return _need_to_know_message(principal, permission, organisation)
    return None


def _no_grant_message(principal: Principal, permission: Permission) -> Words:
    holders = _named(roles_with(permission))
    values = {"user": principal.named(), "permission": permission.value, "roles": holders}
    if principal.is_local:
        return said(
            "user %(user)s lacks permission '%(permission)s'; roles that have it: %(roles)s. The local "
            "single-user mode has a fixed role; log in with a named account instead.",
            **values,
        )
    return said(
        "user %(user)s lacks permission '%(permission)s'; roles that have it: %(roles)s. An admin (or a "
        "coordinator of your organisation, up to coordinator) can change your role: "
        "`gbvs users set-role %(username)s ROLE`.",
        username=principal.username,
        **values,
    )


def _need_to_know_message(principal: Principal, permission: Permission, organisation: str) -> Words:
    wider = _named(roles_with(permission, Scope.all))
    values = {
        "user": principal.named(), "permission": permission.value, "roles": wider,
        "organisation": Term(organisation) if organisation == NO_ORGANISATION else organisation,
    }  # fmt: skip
    if not wider:
        return said(
            "user %(user)s has permission '%(permission)s' only for their own organisation, not for "
            "'%(organisation)s' (need-to-know), and no role has it for other organisations: only an "
            "account of '%(organisation)s' can do this; ask one of them to.",
            **values,
        )
    if principal.is_local:
        return said(
            "user %(user)s has permission '%(permission)s' only for their own organisation, not for "
            "'%(organisation)s' (need-to-know); roles with it for all organisations: %(roles)s. The local "
            "single-user mode has a fixed role; log in with a named account instead.",
            **values,
        )
    return said(
        "user %(user)s has permission '%(permission)s' only for their own organisation, not for "
        "'%(organisation)s' (need-to-know); roles with it for all organisations: %(roles)s. An admin (or "
        "a coordinator of your organisation, up to coordinator) can change your role: "
        "`gbvs users set-role %(username)s ROLE`.",
        username=principal.username,
        **values,
    )


def _named(roles: tuple[Role, ...]) -> Commas:
    """``roles`` for a refusal: each by its name in the reader's language with the code one types after
    it (``gbvs users set-role USER ROLE``): "lezer (viewer), analist (analyst)"."""
    return Commas(named_role(role) for role in roles)


def named_role(role: Role) -> Coded:
    """``role`` for a message a person reads: its name in the reader's language with the code one types
    after it, "analist (analyst)"; the English text keeps the code."""
    return Coded.of(role.value, ROLE_NAMES[role])
