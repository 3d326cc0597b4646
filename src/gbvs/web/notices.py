"""Notices a page shows after a redirect ("case 12 is saved with its new readers"), carried in the
redirect's query string and signed, so that a crafted link cannot make a page state them.

A signed value is ``<value>.<mac>``: an HMAC-SHA256 over the notice's purpose, the user and the value,
with a key derived from the session-cookie key (:func:`gbvs.web.sessions.session_key`; derived, so no
other signature of the app is ever a valid notice and no notice a valid cookie or CSRF token). It is
valid for that notice and that user only: a value typed by hand, changed, or made for someone else is
ignored (the page shows no notice and no error).
"""

from __future__ import annotations

import hashlib
import hmac
import json

from fastapi import Request

from gbvs.web import sessions

KEY_LABEL = b"gbvs page notices"
MAC_CHARS = 32
"""Hex characters of the mac kept in the link (128 bits)."""


def signed(request: Request, purpose: str, value: str) -> str:
    """``value`` with its mac for this request's user, to put in a redirect's query string."""
    return f"{value}.{_mac(request, purpose, value)}"


def verified(request: Request, purpose: str, carried: str) -> str | None:
    """The value a signed notice carries when its mac is this user's for ``purpose``; None otherwise."""
    value, dot, mac = carried.rpartition(".")
    if not dot or not hmac.compare_digest(mac.encode(), _mac(request, purpose, value).encode()):
        return None
    return value


def _mac(request: Request, purpose: str, value: str) -> str:
    key = sessions.derived_key(sessions.session_key(request.app.state.web.settings.data_dir), KEY_LABEL)
    payload = json.dumps([purpose, request.state.principal.username, value]).encode()
    return hmac.new(key, payload, hashlib.sha256).hexdigest()[:MAC_CHARS]
