"""CSRF tokens for the forms of the web app (login, logout): signed and tied to the browser session.

A token is ``hmac-sha256(key, "csrf|" + binding)`` with a key derived from the session-cookie key
(:func:`gbvs.web.sessions.session_key`, :func:`gbvs.web.sessions.derived_key`), never the session key
itself: the binding comes from the browser, and a token signed with the session key was a valid
session cookie for a chosen binding. The binding is the session cookie when the browser has one,
otherwise a random pre-login nonce in its own cookie (``__Host-gbvs_csrf`` in remote mode,
``gbvs_csrf`` in loopback mode; HttpOnly, SameSite=Strict), set by the login page. Another site can
read neither cookie, so it cannot compute the token; a token taken from one session is worthless in
another. Every state-changing POST depends on :func:`checked_form` (a form with a file: on
:class:`CheckedUpload`), which refuses a missing or wrong
token with 403 (``CsrfTokenError``).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from urllib.parse import parse_qs

from fastapi import Request, Response

from gbvs.errors import PermissionDeniedError
from gbvs.web import multipart, sessions
from gbvs.web.auth import bearer_token

NONCE_COOKIE = "gbvs_csrf"
"""The pre-login cookie in loopback mode (plain HTTP on 127.0.0.1); remote mode prefixes it with
:data:`gbvs.web.sessions.HOST_ONLY` (:func:`nonce_cookie`)."""
KEY_LABEL = b"gbvs csrf tokens"
FIELD = "csrf_token"
MAX_FORM_BYTES = 65_536  # the threat assessment's scoring form: 11 classes with justifications
Form = multipart.Form


class CsrfTokenError(PermissionDeniedError):
    """A form came without a valid CSRF token for this browser session (HTTP 403)."""


def token_for(key: bytes, binding: str) -> str:
    """The token for a session binding (a session cookie value or a pre-login nonce), signed with the
    CSRF key derived from the session key ``key`` (:func:`gbvs.web.sessions.derived_key`)."""
    csrf_key = sessions.derived_key(key, KEY_LABEL)
    return hmac.new(csrf_key, f"csrf|{binding}".encode(), hashlib.sha256).hexdigest()


def is_valid(key: bytes, binding: str, token: str) -> bool:
    """Whether ``token`` belongs to ``binding`` (constant-time comparison; empty never matches)."""
    return bool(binding and token) and hmac.compare_digest(token, token_for(key, binding))


def binding_of(request: Request) -> str:
    """What the request's token is tied to: the session cookie, else the pre-login nonce ('' if none)."""
    return request.cookies.get(sessions.COOKIE_NAME) or request.cookies.get(nonce_cookie(request)) or ""


def nonce_cookie(request: Request) -> str:
    """The name of the pre-login cookie: a ``__Host-`` cookie in remote mode, where a site on a sibling
    subdomain could otherwise plant a nonce whose token it knows (and so log a browser into its account)."""
    remote = request.app.state.web.settings.allow_remote
    return f"{sessions.HOST_ONLY}{NONCE_COOKIE}" if remote else NONCE_COOKIE


def request_token(request: Request) -> str:
    """The token to put in this request's forms, creating a pre-login nonce when there is no binding.

    A new nonce is kept on ``request.state.csrf_nonce``; :func:`set_nonce_cookie` sends it.
    """
    binding = binding_of(request) or getattr(request.state, "csrf_nonce", "")
    if not binding:
        binding = request.state.csrf_nonce = secrets.token_urlsafe(24)
    return token_for(_key(request), binding)


def set_nonce_cookie(request: Request, response: Response) -> None:
    """Send the pre-login nonce created while rendering the response, if any."""
    nonce = getattr(request.state, "csrf_nonce", "")
    if nonce:
        name = nonce_cookie(request)
        response.set_cookie(name, nonce, path="/", httponly=True, secure=True, samesite="strict")


async def checked_form(request: Request) -> Form:
    """Route dependency of every state-changing POST: the parsed form, after checking its CSRF token."""
    body = (await request.body())[:MAX_FORM_BYTES].decode("utf-8", "replace")
    form = parse_qs(body)
    _check_token(request, form)
    return form


class CheckedUpload:
    """Route dependency of a POST of a form with a file (``multipart/form-data``, up to ``limit()``
    bytes): the parsed form after checking its CSRF token (the hidden field, as :func:`checked_form`).
    A body over the limit is not read further and comes back ``too_large``, unchecked: the route only
    shows the form again with the refusal, and changes nothing. A class, so that a test can tell every
    route that checks a token by its dependencies."""

    def __init__(self, limit: Callable[[], int]) -> None:
        self.limit = limit

    async def __call__(self, request: Request) -> multipart.Upload:
        upload = await multipart.read_upload(request, self.limit())
        if upload.too_large is None:
            _check_token(request, upload.fields)
        return upload


def _check_token(request: Request, form: Form) -> None:
    token = form.get(FIELD, [""])[0]
    if not is_valid(_key(request), binding_of(request), token):
        raise CsrfTokenError(
            f"the form's security token ({FIELD}) is missing or does not belong to this browser session; "
            "reload the page and submit the form again (cookies must be allowed for this site)"
        )


def _key(request: Request) -> bytes:
    return sessions.session_key(request.app.state.web.settings.data_dir)


def bearer_only(request: Request) -> None:
    """Route dependency of every state-changing API call (``POST /api/v1/signals``): in remote mode it
    must authenticate with ``Authorization: Bearer <token>``. A browser's session cookie is not enough,
    since another site's page could make the browser send it; API calls carry no form to hold a token.
    Loopback mode has no login, so there a call that the browser says comes from another site is
    refused (:func:`refuse_other_sites`)."""
    if not request.app.state.web.settings.allow_remote:
        refuse_other_sites(request)
        return
    if bearer_token(request.headers.get("authorization", "")) is None:  # "Bearer" alone is no token
        raise CsrfTokenError(
            "a change through the API needs 'Authorization: Bearer <token>' (an API token); "
            "a logged-in browser session is not accepted here: use the form at /signalen/nieuw"
        )


OTHER_SITES = frozenset({"cross-site", "same-site"})
"""``Sec-Fetch-Site`` values of a request a page of another origin made (same-site: another port or
subdomain, e.g. a page on localhost:3000)."""


def refuse_other_sites(request: Request) -> None:
    """Refuse a request that a browser made for a page of another origin (``Origin`` or
    ``Sec-Fetch-Site`` says so). Loopback mode's API writes need it: a page on any site can make the
    browser POST to 127.0.0.1 without a CORS preflight (a body without Content-Type), and with no
    login the write would be the local user's. Programs on this computer (curl, scripts) send neither
    header and GBVS's own pages send their own origin, so they pass."""
    origin = request.headers.get("origin")
    fetch_site = request.headers.get("sec-fetch-site", "").lower()
    own = f"{request.url.scheme}://{request.headers.get('host', '')}"
    if fetch_site in OTHER_SITES or (origin is not None and origin != own):
        raise CsrfTokenError(
            f"a change through the API from a page of another web site (Origin {origin or 'not sent'!r}, "
            f"Sec-Fetch-Site {fetch_site or 'not sent'!r}) is refused: in loopback mode GBVS has no login, "
            f"so only its own pages ({own}) and programs on this computer may change data"
        )
