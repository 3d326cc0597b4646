"""Password and API-token hashing (stdlib only; nothing is ever stored in plain text).

Passwords: scrypt (``hashlib.scrypt``) with a random salt, stored as
``scrypt$n$r$p$salt_hex$hash_hex``. API tokens: 32 random bytes shown once;
the database keeps only their SHA-256 (a token has full entropy, so a slow hash
adds nothing) plus a short public prefix to find the row.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from gbvs.errors import InputError, said

SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
_DKLEN = 32
MIN_PASSWORD_LENGTH = 12
TOKEN_PREFIX = "gbvs_"
_PUBLIC_CHARS = 8


class ShortPasswordError(InputError, ValueError):
    """A password shorter than :data:`MIN_PASSWORD_LENGTH` (wrong input, with its words for the reader)."""


def hash_password(password: str) -> str:
    """Return a salted scrypt hash of ``password``; refuse passwords shorter than 12 characters."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ShortPasswordError(
            said(
                "password has %(length)s characters; use at least %(least)s (a passphrase of several "
                "words is easiest)",
                length=len(password),
                least=MIN_PASSWORD_LENGTH,
            )
        )
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches the ``stored`` hash (constant-time compare; False if malformed)."""
    try:
        scheme, n, r, p, salt_hex, digest_hex = stored.split("$")
        if scheme != "scrypt":
            return False
        digest = _scrypt(password, bytes.fromhex(salt_hex), int(n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(digest, bytes.fromhex(digest_hex))


def new_api_token() -> str:
    """A fresh random API token (shown to the user once, never stored)."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_public_part(token: str) -> str:
    """The first characters after the prefix: stored and shown to identify a token."""
    return token.removeprefix(TOKEN_PREFIX)[:_PUBLIC_CHARS]


def hash_api_token(token: str) -> str:
    """SHA-256 hex digest of an API token, as stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=_DKLEN, maxmem=2**26)
