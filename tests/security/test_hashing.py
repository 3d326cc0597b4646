"""Passwords are salted scrypt hashes; API tokens are random and stored as SHA-256 only."""

from __future__ import annotations

import pytest

from gbvs.security.hashing import (
    hash_api_token,
    hash_password,
    new_api_token,
    token_public_part,
    verify_password,
)

PASSWORD = "correct horse battery staple"


def test_password_round_trip_and_salt() -> None:
    first, second = hash_password(PASSWORD), hash_password(PASSWORD)
    assert first != second and PASSWORD not in first
    assert first.startswith("scrypt$16384$8$1$")
    assert verify_password(PASSWORD, first) and verify_password(PASSWORD, second)
    assert not verify_password(PASSWORD + "!", first)


@pytest.mark.parametrize(
    "stored", ["", "plain-text", "md5$abc", "scrypt$16384$8$1$zz$zz", "scrypt$x$8$1$00$00"]
)
def test_malformed_stored_hashes_never_verify(stored: str) -> None:
    assert not verify_password(PASSWORD, stored)


def test_short_password_is_refused_with_the_rule() -> None:
    with pytest.raises(ValueError, match="password has 5 characters; use at least 12"):
        hash_password("short")


def test_a_short_password_is_refused_in_the_readers_language() -> None:
    """`gbvs users set-password` and the account forms say the rule in Dutch by default."""
    from gbvs.cli.main import failure
    from gbvs.errors import InputError

    with pytest.raises(InputError) as refused:
        hash_password("short")
    assert failure(refused.value, "nl") == (
        "fout: Het wachtwoord heeft 5 tekens. Gebruik er minstens 12 (een wachtwoordzin van een paar "
        "woorden is het makkelijkst)."
    )


def test_api_tokens_are_random_and_hashed() -> None:
    tokens = {new_api_token() for _ in range(20)}
    assert len(tokens) == 20 and all(token.startswith("gbvs_") and len(token) > 40 for token in tokens)
    token = tokens.pop()
    digest = hash_api_token(token)
    assert len(digest) == 64 and token not in digest and digest == hash_api_token(token)
    assert token_public_part(token) == token[5:13]
