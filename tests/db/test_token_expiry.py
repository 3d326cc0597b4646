"""API tokens have a lifetime (GBVS_TOKEN_LIFETIME_DAYS, counted from their creation), and can be rotated.

Before: a token worked until it was revoked, so a token copied years ago into a forgotten script went on
working. An expired token is refused with a message that says so and names the fix; an unknown one
still gets the message that says nothing about whether it ever existed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from gbvs.db.models import ApiToken
from gbvs.db.services import tokens
from gbvs.db.services.principals import TOKEN_REFUSED, principal_from_token
from gbvs.db.types import utcnow
from gbvs.errors import NotFoundError, PermissionDeniedError, StateConflictError
from gbvs.security import Principal, Role

LIFETIME = timedelta(days=90)


def _age(session: Session, token_id: int, days: float) -> None:
    """Make token ``token_id`` look ``days`` old."""
    made = utcnow() - timedelta(days=days)
    session.execute(update(ApiToken).where(ApiToken.id == token_id).values(created_at=made))
    session.commit()


def test_a_token_older_than_its_lifetime_is_refused_as_expired(
    session: Session, make_user: Callable[..., Principal]
) -> None:
    ann = make_user("ann", Role.analyst)
    secret, token = tokens.create_token(session, ann, "dashboard")
    session.commit()
    _age(session, token.id, 89)
    assert principal_from_token(session, secret, LIFETIME) == ann
    _age(session, token.id, 91)
    with pytest.raises(PermissionDeniedError, match=r"expired on .*tokens last 90 days") as refused:
        principal_from_token(session, secret, LIFETIME)
    assert "gbvs users tokens rotate" in str(refused.value) and secret not in str(refused.value)
    assert principal_from_token(session, secret, timedelta(days=120)) == ann  # a longer lifetime set


def test_an_unknown_or_revoked_token_is_not_said_to_have_expired(
    session: Session, make_user: Callable[..., Principal]
) -> None:
    ann = make_user("ann", Role.analyst)
    secret, token = tokens.create_token(session, ann, "dashboard")
    tokens.revoke_token(session, ann, token.id)
    session.commit()
    _age(session, token.id, 400)
    for guess in (secret, "gbvs_" + "x" * 43):
        with pytest.raises(PermissionDeniedError) as refused:
            principal_from_token(session, guess, LIFETIME)
        assert str(refused.value) == TOKEN_REFUSED


def test_tokens_list_their_expiry(session: Session, make_user: Callable[..., Principal]) -> None:
    ann = make_user("ann", Role.analyst)
    _, token = tokens.create_token(session, ann, "dashboard", lifetime=LIFETIME)
    assert token.expires_at == token.created_at + LIFETIME
    (listed,) = tokens.list_tokens(session, ann, lifetime=timedelta(days=30))
    assert listed.expires_at == listed.created_at + timedelta(days=30)


def test_rotating_a_token_revokes_it_and_makes_a_new_one_of_the_same_name(
    session: Session, make_user: Callable[..., Principal]
) -> None:
    ann = make_user("ann", Role.analyst)
    old_secret, old = tokens.create_token(session, ann, "dashboard")
    session.commit()
    _age(session, old.id, 100)  # expired: rotating is how its owner gets a working one again
    new_secret, new = tokens.rotate_token(session, ann, old.id, LIFETIME)
    session.commit()
    assert new.name == "dashboard" and new.id != old.id and new_secret != old_secret
    assert principal_from_token(session, new_secret, LIFETIME) == ann
    with pytest.raises(PermissionDeniedError, match="unknown, revoked"):
        principal_from_token(session, old_secret, LIFETIME)
    with pytest.raises(StateConflictError, match=f"token {old.id} was revoked"):
        tokens.rotate_token(session, ann, old.id, LIFETIME)


def test_rotating_someone_elses_token_looks_like_rotating_one_that_does_not_exist(
    session: Session, make_user: Callable[..., Principal]
) -> None:
    ann = make_user("ann", Role.analyst)
    bob = make_user("bob", Role.analyst)
    _, token = tokens.create_token(session, ann, "dashboard")
    session.commit()
    with pytest.raises(NotFoundError) as theirs:
        tokens.rotate_token(session, bob, token.id, LIFETIME)
    with pytest.raises(NotFoundError) as missing:
        tokens.rotate_token(session, bob, token.id + 1000, LIFETIME)
    assert str(theirs.value).replace(str(token.id), "N") == str(missing.value).replace(
        str(token.id + 1000), "N"
    )


def test_a_token_made_with_a_token_expires_no_later_than_the_one_it_was_made_with(
    session: Session, make_user: Callable[..., Principal], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whoever held a token (a stolen one too) could make a fresh one with it before it expired, and so
    keep it working for ever; now what a token makes ends when the token ends, also when rotated."""
    ann = make_user("ann", Role.analyst)
    first_secret, first = tokens.create_token(session, ann, "dashboard", lifetime=LIFETIME)
    session.commit()
    _age(session, first.id, 80)
    acting = principal_from_token(session, first_secret, LIFETIME)
    assert acting.token_expires_at is not None
    second_secret, second = tokens.create_token(session, acting, "copy", lifetime=LIFETIME)
    session.commit()
    assert second.expires_at == acting.token_expires_at, "the new token ends with the one that made it"
    by_second = principal_from_token(session, second_secret, LIFETIME)
    third_secret, third = tokens.rotate_token(session, by_second, second.id, lifetime=LIFETIME)
    session.commit()
    assert third.expires_at == acting.token_expires_at, "rotating with a token does not renew it either"
    in_11_days = utcnow() + timedelta(days=11)  # the first token (80 days old) has ended, the third has not
    monkeypatch.setattr("gbvs.db.services.principals.utcnow", lambda: in_11_days)
    with pytest.raises(PermissionDeniedError, match="expired on"):
        principal_from_token(session, third_secret, LIFETIME)
    listed = {t.id: t.expires_at for t in tokens.list_tokens(session, ann, lifetime=LIFETIME)}
    assert listed[third.id] == acting.token_expires_at < in_11_days


def test_a_token_made_without_a_token_gets_the_whole_lifetime(
    session: Session, make_user: Callable[..., Principal]
) -> None:
    ann = make_user("ann", Role.analyst)
    _, token = tokens.create_token(session, ann, "dashboard", lifetime=LIFETIME)
    assert token.expires_at - token.created_at == LIFETIME
