"""Roles, permissions and the one table that says which role may do what.

This module is pure data: no I/O. :func:`gbvs.security.authz.authorize` reads
``GRANTS``; the docs and ``gbvs users roles`` print it.

A grant has a *scope*: ``all`` (any organisation's resources) or ``own``
(only resources owned by the principal's own organisation: need-to-know, used
for signals, for consultation responses and for coordinators managing their own colleagues).
"""

from __future__ import annotations

from enum import StrEnum

from gbvs.languages import N_


class Role(StrEnum):
    """What a user is, from least to most trusted (the order matters: see :func:`outranks`)."""

    viewer = "viewer"
    analyst = "analyst"
    coordinator = "coordinator"
    admin = "admin"


ROLE_NAMES: dict[str, str] = {
    Role.viewer: N_("viewer"),
    Role.analyst: N_("analyst"),
    Role.coordinator: N_("coordinator"),
    Role.admin: N_("administrator"),
}
"""How the command line names a role (message ids; the stored value, which one types, is the key)."""


class Permission(StrEnum):
    """An action on a resource type, written ``resource:action``."""

    strategy_read = "strategy:read"
    data_read = "data:read"
    data_ingest = "data:ingest"
    forecast_read = "forecast:read"
    forecast_run = "forecast:run"
    signals_read = "signals:read"
    signals_write = "signals:write"
    signals_import = "signals:import"
    reports_write = "reports:write"
    # progress report (issue #14): read drafts/indicators, approve and publish (the coordinator, BZ)
    reports_read = "reports:read"
    reports_approve = "reports:approve"
    orgs_read = "orgs:read"
    orgs_manage = "orgs:manage"
    users_read = "users:read"
    users_manage = "users:manage"
    audit_read = "audit:read"
    db_migrate = "db:migrate"
    # threat assessment (issue 13): read scenarios and closed rounds; score; create scenarios and run rounds
    assessments_read = "assessments:read"
    assessments_score = "assessments:score"
    assessments_manage = "assessments:manage"
    # early action (goal 1): read cases and the gap, open and work on cases, take the decision
    actions_read = "actions:read"
    actions_write = "actions:write"
    actions_decide = "actions:decide"
    # public opinion and consultations (issue 15)
    opinion_read = "opinion:read"
    opinion_code = "opinion:code"
    opinion_manage = "opinion:manage"
    opinion_codebook = "opinion:codebook"  # revise a consultation's codebook (its organisation's coordinator)


class Scope(StrEnum):
    """Which resources a grant covers."""

    all = "all"
    own = "own"  # only resources of the principal's own organisation


SCOPE_NAMES: dict[str, str] = {Scope.all: N_("all"), Scope.own: N_("own")}
"""How ``gbvs users roles`` and ``gbvs whoami`` name a grant's scope (message ids; JSON keeps the value)."""

ROLE_ORDER: tuple[Role, ...] = (Role.viewer, Role.analyst, Role.coordinator, Role.admin)

_VIEWER: dict[Permission, Scope] = {
    Permission.strategy_read: Scope.all,
    Permission.data_read: Scope.all,
    Permission.forecast_read: Scope.all,
    Permission.orgs_read: Scope.all,
    Permission.signals_read: Scope.own,
    Permission.assessments_read: Scope.all,  # threat assessment (issue 13)
    Permission.actions_read: Scope.all,  # early action
    Permission.reports_read: Scope.all,  # progress report (issue #14)
    Permission.opinion_read: Scope.all,  # public opinion (issue 15)
}
_ANALYST: dict[Permission, Scope] = {
    **_VIEWER,
    Permission.forecast_run: Scope.all,
    Permission.signals_write: Scope.own,
    Permission.reports_write: Scope.all,
    Permission.assessments_score: Scope.all,  # threat assessment (issue 13)
    Permission.actions_write: Scope.all,  # early action: open cases, add options and follow-ups
    # public opinion (issue 15): read raw consultation responses and code them, only of consultations
    # imported by one's own organisation (summaries with consented, anonymised quotes: opinion:read)
    Permission.opinion_code: Scope.own,
}
_COORDINATOR: dict[Permission, Scope] = {
    **_ANALYST,
    Permission.signals_import: Scope.all,
    Permission.users_read: Scope.all,
    Permission.users_manage: Scope.own,
    Permission.assessments_manage: Scope.own,  # threat assessment: the scenarios of one's organisation
    Permission.actions_decide: Scope.all,  # early action: the decision is the coordinator's
    Permission.reports_approve: Scope.all,  # progress report (issue #14): the coordinator approves
    Permission.opinion_manage: Scope.all,  # public opinion (issue 15): import, adjudicate
    # revise the codebook of a consultation their own organisation imported (its coders read its texts)
    Permission.opinion_codebook: Scope.own,
}
_ADMIN: dict[Permission, Scope] = {
    **{permission: Scope.all for permission in Permission},
    # separation of duties: the admin manages accounts and sharing groups, and reads and writes
    # signals only within their own need-to-know (the SQL filter of gbvs.db.signal_queries)
    Permission.signals_read: Scope.own,
    Permission.signals_write: Scope.own,
    # and reads raw consultation responses only of their own organisation's consultations
    Permission.opinion_code: Scope.own,
    Permission.opinion_codebook: Scope.own,
}

GRANTS: dict[Role, dict[Permission, Scope]] = {
    Role.viewer: _VIEWER,
    Role.analyst: _ANALYST,
    Role.coordinator: _COORDINATOR,
    Role.admin: _ADMIN,
}
"""The permission table: role -> permission -> scope. A missing entry means "no"."""


def grant_for(role: Role, permission: Permission) -> Scope | None:
    """The scope ``role`` holds ``permission`` with, or None when it does not hold it."""
    return GRANTS[role].get(permission)


def roles_with(permission: Permission, scope: Scope | None = None) -> tuple[Role, ...]:
    """Roles that hold ``permission`` (with exactly ``scope`` when given), least trusted first."""
    return tuple(
        role
        for role in ROLE_ORDER
        if (held := grant_for(role, permission)) is not None and (scope is None or held is scope)
    )


def outranks(role: Role, other: Role) -> bool:
    """True when ``role`` is strictly more trusted than ``other``."""
    return ROLE_ORDER.index(role) > ROLE_ORDER.index(other)


def parse_role(value: str) -> Role:
    """Read a role name; raise ValueError naming the allowed values."""
    try:
        return Role(value.strip().lower())
    except ValueError:
        allowed = ", ".join(ROLE_ORDER)
        raise ValueError(f"unknown role {value!r}; use one of: {allowed}") from None


def parse_permission(value: str) -> Permission:
    """Read a permission name like ``forecast:run``; raise ValueError naming the allowed values."""
    try:
        return Permission(value.strip().lower())
    except ValueError:
        allowed = ", ".join(Permission)
        raise ValueError(f"unknown permission {value!r}; use one of: {allowed}") from None
