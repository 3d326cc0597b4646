"""Aanmelden / afmelden: the browser login of remote mode (a signed session cookie).

These routes are public: they are how a principal comes to exist. In loopback-only mode nobody
needs to log in and the form says so.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from gbvs.db.services.principals import authenticate
from gbvs.db.session import session_scope
from gbvs.errors import PermissionDeniedError
from gbvs.web import sessions
from gbvs.web.render import render_page

router = APIRouter(include_in_schema=False, redirect_slashes=False)
MAX_FORM_BYTES = 4096


@router.get("/aanmelden", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> HTMLResponse:
    """The login form."""
    return _form(request, safe_next(next), error=None)


@router.post("/aanmelden", response_model=None)
async def login(request: Request) -> Response:
    """Check the username and password; on success set the session cookie and go back."""
    form = parse_qs((await request.body())[:MAX_FORM_BYTES].decode("utf-8", "replace"))
    target = safe_next(form.get("next", ["/"])[0])
    web = request.app.state.web
    if not web.settings.allow_remote:
        return RedirectResponse(target, status_code=303)
    username, password = form.get("username", [""])[0], form.get("password", [""])[0]
    try:
        with session_scope(web.session_factory()) as session:
            principal = authenticate(session, username, password)
    except PermissionDeniedError:
        return _form(request, target, error="unknown user or wrong password", status_code=401)
    response = RedirectResponse(target, status_code=303)
    key = sessions.session_key(web.settings.data_dir)
    response.set_cookie(
        sessions.COOKIE_NAME,
        sessions.sign(key, principal.username),
        max_age=sessions.LIFETIME_SECONDS,
        httponly=True,
        secure=True,
        samesite="strict",
    )
    return response


@router.post("/afmelden", response_model=None)
def logout(request: Request) -> Response:
    """Forget the session cookie."""
    response = RedirectResponse("/aanmelden", status_code=303)
    response.delete_cookie(sessions.COOKIE_NAME, httponly=True, secure=True, samesite="strict")
    return response


def safe_next(value: str) -> str:
    """Only local paths are followed after login (no open redirect)."""
    return value if value.startswith("/") and not value.startswith("//") and "\\" not in value else "/"


def _form(request: Request, target: str, error: str | None, status_code: int = 200) -> HTMLResponse:
    remote = request.app.state.web.settings.allow_remote
    context = {"next": target, "error": error, "remote": remote}
    return render_page(request, "login.html", context, status_code=status_code)
