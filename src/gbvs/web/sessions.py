"""Signed session cookies for the browser login of remote mode.

A cookie value is ``<username>|<expires>|<hmac-sha256>``; the key is 32 random bytes kept in the
data folder (``web-session.key``, mode 0600), so every server worker accepts the same cookies and
a restart does not log people out. Nothing secret is in the cookie; changing the key logs everyone out.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import time
from pathlib import Path

COOKIE_NAME = "gbvs_session"
LIFETIME_SECONDS = 8 * 3600
KEY_FILE = "web-session.key"


def session_key(data_dir: Path) -> bytes:
    """The signing key, created on first use (readable by the owner only)."""
    path = data_dir / KEY_FILE
    if not path.is_file():
        data_dir.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(secrets.token_bytes(32))
    return path.read_bytes()


def sign(key: bytes, username: str, now: float | None = None) -> str:
    """A cookie value for ``username``, valid for LIFETIME_SECONDS."""
    expires = int((time.time() if now is None else now) + LIFETIME_SECONDS)
    payload = f"{username}|{expires}"
    return f"{payload}|{_mac(key, payload)}"


def verify(key: bytes, value: str, now: float | None = None) -> str | None:
    """The username of a valid, unexpired cookie value; None otherwise."""
    parts = value.rsplit("|", 2)
    if len(parts) != 3 or not parts[1].isdigit():
        return None
    username, expires, mac = parts
    if not hmac.compare_digest(mac, _mac(key, f"{username}|{expires}")):
        return None
    return username if int(expires) > (time.time() if now is None else now) else None


def _mac(key: bytes, payload: str) -> str:
    return hmac.new(key, payload.encode("utf-8"), hashlib.sha256).hexdigest()
