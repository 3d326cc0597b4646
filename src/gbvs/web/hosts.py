"""Answer only requests that name this installation in their Host header.

In loopback mode anyone who can reach 127.0.0.1 is the single local user, so a web page whose own
name is made to point at 127.0.0.1 (DNS rebinding) would be same-origin with GBVS and could read and
change its data from the user's browser. Such a request still names the attacker's host, so refusing
every Host but the allowed names (:attr:`gbvs.config.Settings.host_names`) stops it.
"""

from __future__ import annotations

import json

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from gbvs.web.middleware import API_PREFIX


def host_name(header: str | None) -> str | None:
    """The host of a Host header, lower case, without port or IPv6 brackets (None when malformed)."""
    value = (header or "").strip().lower()
    if value.startswith("["):
        name, bracket, rest = value[1:].partition("]")
        ok = bool(bracket) and (not rest or (rest.startswith(":") and rest[1:].isdigit()))
        return name if ok and name else None
    name, _, port = value.partition(":")
    if not name or (port and not port.isdigit()) or ":" in port:
        return None
    return name


def refusal_text(named: str | None, allowed: frozenset[str]) -> str:
    """What the refused request gets: the host it named, the names allowed, and the fix (nl and en)."""
    shown = repr(named[:80]) if named else "(none)"
    names = ", ".join(sorted(allowed))
    return (
        f"Deze GBVS-server antwoordt alleen op {names}; dit verzoek noemde host {shown}. Open GBVS via "
        "een van die namen, of zet deze naam in GBVS_ALLOWED_HOSTS.\n"
        f"This GBVS server answers only to {names}; this request named host {shown}. Open GBVS by one of "
        "those names, or add this name to GBVS_ALLOWED_HOSTS."
    )


class HostGuard:
    """Refuses (400) a request whose Host header is not one of ``allowed`` (None: any)."""

    def __init__(self, app: ASGIApp, allowed: frozenset[str] | None) -> None:
        self.app = app
        self.allowed = allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.allowed is None or scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        named = host_name(Headers(scope=scope).get("host"))
        if named in self.allowed:
            await self.app(scope, receive, send)
            return
        detail = refusal_text(named, self.allowed)
        if scope["path"].startswith(API_PREFIX):
            problem = {"type": "about:blank", "title": "Bad Request", "status": 400, "detail": detail}
            body, kind = json.dumps(problem).encode(), b"application/problem+json"
        else:
            body, kind = detail.encode(), b"text/plain; charset=utf-8"
        headers = [
            (b"content-type", kind),
            (b"content-length", str(len(body)).encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"content-language", b"nl, en"),  # said in both, before any language is chosen
        ]
        await send({"type": "http.response.start", "status": 400, "headers": headers})
        await send({"type": "http.response.body", "body": body})
