"""One ASGI middleware for every response: request language, security headers, API-Version.

The request language of a page is ``?lang=``, the cookie, then ``GBVS_LANGUAGE``; an API request's
also counts ``Accept-Language`` after ``?lang=`` (:func:`gbvs.web.i18n.api_language`), and its answer
says ``Vary: Accept-Language``.

Written as plain ASGI (not BaseHTTPMiddleware) so it adds no per-request task overhead.

Everything but ``/static`` is sent with ``Cache-Control: no-store``: pages name the logged-in user,
API answers and exports (CSV, GeoJSON) may hold protected data, and neither the browser nor a proxy
should keep them. In remote mode (served behind TLS) responses also carry ``Strict-Transport-Security``
(issue 8, finding 10).
"""

from __future__ import annotations

from http.cookies import SimpleCookie
from urllib.parse import parse_qs

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gbvs.web.i18n import COOKIE_NAME, LANGUAGE_PARAMETER, LANGUAGES, api_language, pick_language

API_PREFIX = "/api/v1"
API_VERSION = "1.1.0"  # a change of the API also goes in src/gbvs/web/CHANGELOG.md
STATIC_PREFIX = "/static/"
NO_STORE = "no-store"
HSTS = "max-age=31536000"
SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "geolocation=(), camera=(), microphone=()",
}


class WebMiddleware:
    """Sets ``scope['state']['lang']`` and adds the common response headers."""

    def __init__(self, app: ASGIApp, default_language: str, remote: bool = False) -> None:
        self.app = app
        self.default_language = default_language
        self.remote = remote

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query_lang = _query_language(scope)
        is_api = scope["path"].startswith(API_PREFIX)
        if is_api:  # content negotiation: Accept-Language counts, after ?lang=
            accepted = _header(scope, b"accept-language")
            lang = api_language(query_lang, accepted, _cookie_language(scope), self.default_language)
        else:
            lang = pick_language(query_lang, _cookie_language(scope), self.default_language)
        scope.setdefault("state", {})["lang"] = lang
        is_static = scope["path"].startswith(STATIC_PREFIX)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if not is_static:
                    headers["Cache-Control"] = NO_STORE
                if self.remote:
                    headers.setdefault("Strict-Transport-Security", HSTS)
                if is_api:
                    headers["API-Version"] = API_VERSION
                    if "accept-language" not in headers.get("vary", "").lower():
                        headers.add_vary_header("Accept-Language")
                    headers.setdefault("Access-Control-Expose-Headers", "API-Version, Link")
                if query_lang in LANGUAGES and not is_api:
                    secure = "; Secure" if self.remote else ""  # remote mode is served over HTTPS only
                    headers.append(
                        "Set-Cookie", f"{COOKIE_NAME}={lang}; Path=/; SameSite=Lax; HttpOnly{secure}"
                    )
                headers.setdefault("Content-Language", lang)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _query_language(scope: Scope) -> str | None:
    values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get(LANGUAGE_PARAMETER)
    return values[0] if values else None


def _header(scope: Scope, name: bytes) -> str | None:
    """The first value of request header ``name`` (lower case), or None."""
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def _cookie_language(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            cookie: SimpleCookie = SimpleCookie()
            try:
                cookie.load(value.decode("latin-1"))
            except Exception:  # a malformed cookie header is ignored, not fatal
                return None
            morsel = cookie.get(COOKIE_NAME)
            return morsel.value if morsel else None
    return None
