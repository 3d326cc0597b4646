"""Signed session cookies for the browser login of remote mode.

A cookie value is ``<username>|<epoch>|<expires>|<hmac-sha256>``; the key is 32 random bytes kept in
the data folder (``web-session.key``, mode 0600), so every server worker accepts the same cookies and
a restart does not log people out. Nothing secret is in the cookie; changing the key logs everyone out.

``epoch`` is the user's ``session_epoch`` when the cookie was issued. Logout, a password change or
reset and (de)activation move the stored epoch on, so the server refuses every older cookie of that
user (:func:`gbvs.db.services.principals.principal_for_session`), even one a browser kept.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from gbvs.errors import ConfigError

HOST_ONLY = "__Host-"
"""Name prefix of the cookies remote mode sets: browsers take such a cookie only from this host, over
HTTPS, for path ``/`` and without ``Domain``, so a site on a sibling subdomain cannot plant one."""
COOKIE_NAME = f"{HOST_ONLY}gbvs_session"  # only remote mode (behind TLS) has sessions
LIFETIME_SECONDS = 8 * 3600
KEY_FILE = "web-session.key"
KEY_BYTES = 32


@dataclass(frozen=True)
class SessionClaim:
    """What a valid cookie says: who logged in, in which of their session epochs."""

    username: str
    epoch: int


def session_key(data_dir: Path) -> bytes:
    """The signing key, created on first use (readable by the owner only); a damaged one is refused."""
    path = data_dir / KEY_FILE
    if not path.is_file():
        _create_key(path)
    key = path.read_bytes()
    if len(key) < KEY_BYTES:
        raise ConfigError(
            f"session key file {path} holds {len(key)} bytes, not {KEY_BYTES}: it is damaged, and a short "
            "key would let others sign session cookies; delete it, and the server makes a new one at the "
            "next request (everyone is logged out once)"
        )
    return key


def _create_key(path: Path) -> None:
    """Write a new key whole, then link it into place: a process never reads a half-written key, and of
    several server workers starting at once the first one's key is kept by all."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(secrets.token_bytes(KEY_BYTES))
            handle.flush()
            os.fsync(handle.fileno())
        os.link(temp, path)
    except FileExistsError:
        pass  # another worker was first: its key is the one
    finally:
        temp.unlink(missing_ok=True)


def derived_key(key: bytes, label: bytes) -> bytes:
    """A key for another kind of signature (CSRF tokens, page notices), derived from the session key.

    Each kind has its own key, so no signature of one kind is ever valid as another: the login page
    signs the pre-login cookie a browser sends, whatever it holds, and with a shared key a chosen one
    was signed into a valid session cookie."""
    return hmac.new(key, label, hashlib.sha256).digest()


def sign(key: bytes, username: str, epoch: int, now: float | None = None) -> str:
    """A cookie value for ``username`` in session epoch ``epoch``, valid for LIFETIME_SECONDS."""
    expires = int((time.time() if now is None else now) + LIFETIME_SECONDS)
    payload = f"{username}|{epoch}|{expires}"
    return f"{payload}|{_mac(key, payload)}"


def verify(key: bytes, value: str, now: float | None = None) -> SessionClaim | None:
    """The claim of a valid, unexpired cookie value; None otherwise (the epoch is checked elsewhere)."""
    parts = value.rsplit("|", 3)
    if len(parts) != 4 or not parts[1].isdigit() or not parts[2].isdigit():
        return None
    username, epoch, expires, mac = parts
    if not hmac.compare_digest(mac, _mac(key, f"{username}|{epoch}|{expires}")):
        return None
    if int(expires) <= (time.time() if now is None else now):
        return None
    return SessionClaim(username, int(epoch))


def _mac(key: bytes, payload: str) -> str:
    return hmac.new(key, payload.encode("utf-8"), hashlib.sha256).hexdigest()
