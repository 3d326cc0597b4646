"""Aanmelden / afmelden: the browser login of remote mode (a signed session cookie).

These routes are public: they are how a principal comes to exist. In loopback-only mode nobody
needs to log in and the form says so. Both POSTs carry a CSRF token (:mod:`gbvs.web.csrf`);
failed logins are throttled per username and client address, and per username from networks it has not
logged in from lately (:mod:`gbvs.web.throttle`). Logins,
failed and throttled logins and logouts are audited (:mod:`gbvs.web.audit`); a failed or throttled
login is recorded as ``anonymous`` with the typed name in the detail, escaped and cut short.
"""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from gbvs.db.services.login_sessions import current_epoch, log_out
from gbvs.db.services.principals import authenticate
from gbvs.db.session import session_scope
from gbvs.errors import PermissionDeniedError
from gbvs.security import Principal
from gbvs.security.permissions import Role
from gbvs.web import audit, csrf, sessions
from gbvs.web.auth import session_claim
from gbvs.web.render import render_page
from gbvs.web.signalaccess import writes
from gbvs.web.throttle import Held, Key, throttle_key

router = APIRouter(include_in_schema=False, redirect_slashes=False)
CheckedForm = Annotated[csrf.Form, Depends(csrf.checked_form)]


@router.get("/aanmelden", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> HTMLResponse:
    """The login form."""
    return _form(request, safe_next(next), error=None)


@router.post("/aanmelden", response_model=None)
def login(request: Request, form: CheckedForm) -> Response:
    """Check the username and password; on success set the session cookie and go back."""
    target = safe_next(form.get("next", ["/"])[0])
    web = request.app.state.web
    if not web.settings.allow_remote:
        return RedirectResponse(target, status_code=303)
    username, password = form.get("username", [""])[0], form.get("password", [""])[0]
    key = throttle_key(username, request.client.host if request.client else None)
    now = time.time()
    held = web.login_throttle.check(key, now)  # counted until the password proves right
    if held.seconds:
        return _throttled(request, target, key, held)
    try:
        with session_scope(web.session_factory(), for_writing=writes(request)) as session:
            principal = authenticate(session, username, password)
            epoch = current_epoch(session, principal.username)
    except PermissionDeniedError as refusal:
        audit.record_denial(request, "auth.login", str(refusal), attempted_username=username)
        return _form(request, target, error="unknown user or wrong password", status_code=401)
    web.login_throttle.succeeded(key, now)
    audit.record_login(request, principal, "auth.login")
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        sessions.COOKIE_NAME,
        sessions.sign(sessions.session_key(web.settings.data_dir), principal.username, epoch),
        max_age=sessions.LIFETIME_SECONDS,
        httponly=True,
        secure=True,
        samesite="strict",
    )
    response.delete_cookie(csrf.nonce_cookie(request), httponly=True, secure=True, samesite="strict")
    return response


@router.post("/afmelden", response_model=None)
def logout(request: Request, form: CheckedForm) -> Response:
    """End the session on the server (every cookie of this login stops working), forget the cookie;
    the logout is recorded for the user it belonged to."""
    claim = session_claim(request)
    if claim is not None:
        with session_scope(request.app.state.web.session_factory(), for_writing=writes(request)) as session:
            log_out(session, claim.username, claim.epoch)
        audit.record_login(request, Principal(username=claim.username, role=Role.viewer), "auth.logout")
    response = RedirectResponse("/aanmelden", status_code=303)
    response.delete_cookie(sessions.COOKIE_NAME, httponly=True, secure=True, samesite="strict")
    return response


def safe_next(value: str) -> str:
    """Only local paths are followed after login (no open redirect)."""
    return value if value.startswith("/") and not value.startswith("//") and "\\" not in value else "/"


def _throttled(request: Request, target: str, key: Key, held: Held) -> HTMLResponse:
    """Refuse without checking the password; keep an audit entry naming the client address and the
    budget that held the attempt back (per network, per account, or a busy database)."""
    wait = held.seconds
    message = f"login throttled ({held.budget} budget spent); retry in {wait} s"
    detail = {"budget": str(held.budget)}
    audit.record_denial(request, "auth.login_throttled", message, attempted_username=key[0], detail=detail)
    response = _form(request, target, error="throttled", status_code=429, minutes=-(-wait // 60))
    response.headers["Retry-After"] = str(wait)
    return response


def _form(
    request: Request, target: str, error: str | None, status_code: int = 200, minutes: int = 0
) -> HTMLResponse:
    remote = request.app.state.web.settings.allow_remote
    context = {"next": target, "error": error, "remote": remote, "minutes": minutes}
    if remote:  # loopback mode shows no form, so it needs no token (nor its cookie)
        context["csrf_token"] = csrf.request_token(request)
    response = render_page(request, "login.html", context, status_code=status_code)
    csrf.set_nonce_cookie(request, response)
    return response
