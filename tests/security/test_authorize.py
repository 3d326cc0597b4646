"""The authorization matrix, need-to-know scoping and the messages people see when refused.

``EXPECTED`` is written out here on purpose, independently of ``GRANTS``: changing who may
do what must be a deliberate edit in two places.
"""

from __future__ import annotations

import pytest

from gbvs.errors import PermissionDeniedError
from gbvs.security import GRANTS, Permission, Principal, Role, Scope, authorize, authorize_role_change, can
from gbvs.security.permissions import outranks, parse_permission, parse_role, roles_with

P = Permission
V, A, C, AD = Role.viewer, Role.analyst, Role.coordinator, Role.admin
EXPECTED: dict[Permission, dict[Role, str]] = {
    P.strategy_read: {V: "all", A: "all", C: "all", AD: "all"},
    P.data_read: {V: "all", A: "all", C: "all", AD: "all"},
    P.data_ingest: {V: "-", A: "-", C: "-", AD: "all"},
    P.forecast_read: {V: "all", A: "all", C: "all", AD: "all"},
    P.forecast_run: {V: "-", A: "all", C: "all", AD: "all"},
    P.signals_read: {V: "own", A: "own", C: "own", AD: "own"},
    P.signals_write: {V: "-", A: "own", C: "own", AD: "own"},
    P.signals_import: {V: "-", A: "-", C: "all", AD: "all"},
    P.reports_write: {V: "-", A: "all", C: "all", AD: "all"},
    # progress report (issue #14): everyone reads it; the coordinator approves and publishes
    P.reports_read: {V: "all", A: "all", C: "all", AD: "all"},
    P.reports_approve: {V: "-", A: "-", C: "all", AD: "all"},
    P.orgs_read: {V: "all", A: "all", C: "all", AD: "all"},
    P.orgs_manage: {V: "-", A: "-", C: "-", AD: "all"},
    P.users_read: {V: "-", A: "-", C: "all", AD: "all"},
    P.users_manage: {V: "-", A: "-", C: "own", AD: "all"},
    P.audit_read: {V: "-", A: "-", C: "-", AD: "all"},
    P.db_migrate: {V: "-", A: "-", C: "-", AD: "all"},
    # threat assessment (issue 13)
    P.assessments_read: {V: "all", A: "all", C: "all", AD: "all"},
    P.assessments_score: {V: "-", A: "all", C: "all", AD: "all"},
    P.assessments_manage: {V: "-", A: "-", C: "own", AD: "all"},
    # early action
    P.actions_read: {V: "all", A: "all", C: "all", AD: "all"},
    P.actions_write: {V: "-", A: "all", C: "all", AD: "all"},
    P.actions_decide: {V: "-", A: "-", C: "all", AD: "all"},
    # public opinion (issue 15)
    P.opinion_read: {V: "all", A: "all", C: "all", AD: "all"},
    P.opinion_code: {V: "-", A: "own", C: "own", AD: "own"},
    P.opinion_manage: {V: "-", A: "-", C: "all", AD: "all"},
    P.opinion_codebook: {V: "-", A: "-", C: "own", AD: "own"},
}
MATRIX = [
    pytest.param(role, permission, EXPECTED[permission][role], id=f"{role.value}-{permission.value}")
    for permission in Permission
    for role in Role
]


def _principal(role: Role, organisation: str | None = "BZ") -> Principal:
    return Principal(username=f"{role.value}-user", role=role, user_id=1, organisation_code=organisation)


def test_expected_table_covers_every_permission() -> None:
    assert set(EXPECTED) == set(Permission)


@pytest.mark.parametrize(("role", "permission", "expected"), MATRIX)
def test_matrix(role: Role, permission: Permission, expected: str) -> None:
    principal = _principal(role)
    held = GRANTS[role].get(permission)
    assert (held.value if held else "-") == expected
    assert can(principal, permission) is (expected != "-")
    assert can(principal, permission, organisation="BZ") is (expected != "-")
    assert can(principal, permission, organisation="DEF") is (expected == "all")
    if expected == "-":
        with pytest.raises(PermissionDeniedError, match=permission.value):
            authorize(principal, permission)
    else:
        authorize(principal, permission, organisation="BZ")


def test_refusal_names_user_permission_and_who_grants_it() -> None:
    with pytest.raises(PermissionDeniedError) as refused:
        authorize(_principal(Role.viewer), Permission.forecast_run)
    message = str(refused.value)
    assert "'viewer-user' (viewer, BZ)" in message
    assert "'forecast:run'" in message
    assert "roles that have it: analyst, coordinator, admin" in message
    assert "gbvs users set-role viewer-user ROLE`" in message


def test_need_to_know_refusal_names_the_other_organisation() -> None:
    expected = r"only for their own organisation, not for 'DEF' \(need-to-know\)"
    with pytest.raises(PermissionDeniedError, match=expected):
        authorize(_principal(Role.analyst), Permission.signals_read, organisation="DEF")


def test_need_to_know_refusal_without_a_wider_role_names_who_can_and_no_role_change() -> None:
    """No role writes another organisation's signals: the refusal says only that organisation's accounts
    can, instead of an empty list of roles and a role change that would not help."""
    with pytest.raises(PermissionDeniedError) as refused:
        authorize(_principal(Role.analyst), Permission.signals_write, organisation="DEF")
    message = str(refused.value)
    assert "only an account of 'DEF' can do this" in message
    assert "set-role" not in message
    assert ": ." not in message


def test_principal_without_organisation_sees_no_organisation_scoped_resources() -> None:
    assert not can(_principal(Role.analyst, organisation=None), Permission.signals_read, organisation="BZ")


def test_local_user_is_an_analyst_told_to_log_in_for_more() -> None:
    local = Principal.local_user()
    assert (local.role, local.user_id, local.is_local) == (Role.analyst, None, True)
    assert can(local, Permission.forecast_run)
    with pytest.raises(PermissionDeniedError, match="log in with a named account"):
        authorize(local, Permission.users_manage)


@pytest.mark.parametrize(
    ("actor", "new_role", "allowed"),
    [
        pytest.param(Role.coordinator, Role.coordinator, True, id="coordinator-gives-coordinator"),
        pytest.param(Role.coordinator, Role.admin, False, id="coordinator-gives-admin"),
        pytest.param(Role.admin, Role.admin, True, id="admin-gives-admin"),
        pytest.param(Role.analyst, Role.coordinator, False, id="analyst-gives-coordinator"),
    ],
)
def test_nobody_hands_out_a_role_above_their_own(actor: Role, new_role: Role, allowed: bool) -> None:
    if allowed:
        authorize_role_change(_principal(actor), new_role)
    else:
        with pytest.raises(PermissionDeniedError, match=f"may not give role '{new_role.value}'"):
            authorize_role_change(_principal(actor), new_role)


def test_roles_are_ordered() -> None:
    assert outranks(Role.admin, Role.coordinator) and outranks(Role.analyst, Role.viewer)
    assert not outranks(Role.viewer, Role.viewer)
    assert roles_with(Permission.users_manage, Scope.own) == (Role.coordinator,)


def test_parsing_names_the_allowed_values() -> None:
    assert parse_role(" Analyst ") is Role.analyst
    assert parse_permission("forecast:run") is Permission.forecast_run
    with pytest.raises(ValueError, match="unknown role 'boss'; use one of: viewer, analyst, coordinator"):
        parse_role("boss")
    with pytest.raises(ValueError, match="unknown permission 'x:y'"):
        parse_permission("x:y")
