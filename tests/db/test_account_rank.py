"""Finding 2 of issue 8: nobody acts on an account that is not below their own rank.

Before the fix a coordinator could create, list and revoke the API tokens of an admin of their
own organisation (and so become that admin). Each case here runs every account action of one
acting role on one target role and checks it is allowed exactly when the actor has
``users:manage`` and outranks the target; the OS owner of the data folder outranks everyone.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from gbvs.db.models import AuditLog, Outcome
from gbvs.db.services import tokens, users
from gbvs.db.services.principals import principal_from_token
from gbvs.errors import InputError, NotFoundError, PermissionDeniedError
from gbvs.security import ROLE_ORDER, Principal, Role

OS_OWNER = "os-owner"
ACTORS = [*Role, OS_OWNER]
PASSWORD = "a long enough passphrase"


def _actions(session: Session, actor: Principal, target: Principal) -> dict[str, Callable[[], object]]:
    _, own_token = tokens.create_token(session, target, "own")
    session.commit()
    return {
        "tokens.create": lambda: tokens.create_token(session, actor, "minted", username=target.username),
        "tokens.list": lambda: tokens.list_tokens(session, actor, target.username),
        "tokens.revoke": lambda: tokens.revoke_token(session, actor, own_token.id),
        "users.set_password": lambda: users.set_password(session, actor, target.username, PASSWORD),
        "users.set_role": lambda: users.set_role(session, actor, target.username, Role.viewer),
        "users.set_active": lambda: users.set_active(session, actor, target.username, False),
        "users.set_organisation": lambda: _move_to_own_organisation(session, actor, target),
    }


def _move_to_own_organisation(session: Session, actor: Principal, target: Principal) -> None:
    """Past the rank and organisation checks, a move to the account's own organisation is refused as a
    no-op; whoever gets that far was allowed."""
    try:
        users.set_organisation(session, actor, target.username, target.organisation_code)
    except InputError as refusal:
        assert "nothing changed" in str(refusal)


def _may(actor_role: Role | str, target_role: Role) -> bool:
    if actor_role == OS_OWNER:
        return True
    assert isinstance(actor_role, Role)
    manages = actor_role in (Role.coordinator, Role.admin)
    return manages and ROLE_ORDER.index(actor_role) > ROLE_ORDER.index(target_role)


@pytest.mark.parametrize("target_role", list(Role), ids=[r.value for r in Role])
@pytest.mark.parametrize("actor_role", ACTORS, ids=[str(a) for a in ACTORS])
def test_account_actions_need_a_higher_rank(
    session: Session, make_user: Callable[..., Principal], actor_role: Role | str, target_role: Role
) -> None:
    actor = Principal.os_owner("alice") if actor_role == OS_OWNER else make_user("actor", actor_role)
    target = make_user("target", target_role)
    allowed = _may(actor_role, target_role)
    for name, action in _actions(session, actor, target).items():
        if allowed:
            action()
            session.commit()
            continue
        hidden = name == "tokens.revoke"  # a token one may not revoke is "not found" (no probing)
        with pytest.raises(NotFoundError if hidden else PermissionDeniedError):
            action()
        last = session.scalars(select(AuditLog).order_by(AuditLog.id.desc()).limit(1)).one()
        assert (last.actor, last.action, last.outcome) == (actor.username, name, Outcome.denied), name


def test_coordinator_cannot_become_an_admin_through_a_token(
    session: Session, make_user: Callable[..., Principal]
) -> None:
    coordinator = make_user("coby", Role.coordinator, "BZ")
    make_user("boss", Role.admin, "BZ")
    with pytest.raises(PermissionDeniedError, match="whose role 'admin' is above theirs"):
        tokens.create_token(session, coordinator, "escalate", username="boss")
    with pytest.raises(PermissionDeniedError, match="may not act on account 'boss'"):
        tokens.list_tokens(session, coordinator, "boss")


def test_admins_cannot_act_on_each_other_but_on_themselves(
    session: Session, admin: Principal, make_user: Callable[..., Principal]
) -> None:
    other = make_user("other-admin", Role.admin, None)
    with pytest.raises(PermissionDeniedError, match="whose role 'admin' is equal to theirs"):
        tokens.create_token(session, admin, "takeover", username=other.username)
    secret, _ = tokens.create_token(session, other, "mine")
    users.set_password(session, other, other.username, PASSWORD)
    session.commit()
    assert principal_from_token(session, secret, tokens.DEFAULT_LIFETIME).username == "other-admin"


def test_the_os_owner_has_no_tokens_of_its_own(session: Session, admin: Principal) -> None:
    with pytest.raises(InputError, match=r"not a stored GBVS user.*--user NAME"):
        tokens.create_token(session, Principal.os_owner("alice"), "cli")
