"""Who is asking, and may they: the one place where web requests meet the authorization layer.

Every route (page and API) depends on :func:`require`, which resolves the principal of the request
and calls :func:`gbvs.security.authorize` with the route's permission. In remote mode it also keeps
the audit trail of requests (:mod:`gbvs.web.audit`): one entry per authorized request (read, export
or search) and one per refusal (client address, path, token prefix; budgeted for strangers).

- Loopback-only mode (the default): the caller is the local single user
  (:meth:`gbvs.security.Principal.local_user`).
- Remote mode (``settings.allow_remote``): the caller must authenticate, with an API token
  (``Authorization: Bearer <token>``) or, in a browser, by logging in at ``/aanmelden`` (a signed
  session cookie, :mod:`gbvs.web.sessions`); otherwise the request is refused with 401.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request

from gbvs.db.services.principals import load_principal, principal_from_token
from gbvs.db.session import session_scope
from gbvs.errors import NotFoundError, PermissionDeniedError
from gbvs.security import Permission, Principal, authorize
from gbvs.web import audit, sessions


class AuthenticationRequiredError(PermissionDeniedError):
    """No (valid) credentials came with a request that needs them (HTTP 401)."""


def resolve_principal(request: Request) -> Principal:
    """The principal of ``request``: the local user in loopback mode, a token holder in remote mode."""
    web = request.app.state.web
    if not web.settings.allow_remote:
        return Principal.local_user()
    token = bearer_token(request.headers.get("authorization", ""))
    username = session_user(request) if token is None else None
    if token is None and username is None:
        if request.cookies.get(sessions.COOKIE_NAME):
            audit.record_denial(request, "auth.session", "session cookie invalid or expired")
        raise AuthenticationRequiredError(
            "this GBVS server accepts remote connections and needs authentication; log in at "
            "/aanmelden, or send 'Authorization: Bearer <token>' with an API token (ask an administrator)"
        )
    try:
        with session_scope(web.session_factory()) as session:
            return principal_from_token(session, token) if token else load_principal(session, str(username))
    except (PermissionDeniedError, NotFoundError) as exc:
        audit.record_denial(request, "auth.token" if token else "auth.session", str(exc), token=token)
        raise AuthenticationRequiredError(str(exc)) from exc


def session_user(request: Request) -> str | None:
    """The username of the request's valid session cookie, or None."""
    value = request.cookies.get(sessions.COOKIE_NAME)
    if not value:
        return None
    return sessions.verify(sessions.session_key(request.app.state.web.settings.data_dir), value)


def bearer_token(header: str) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, or None."""
    scheme, _, value = header.partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None


def require(permission: Permission) -> Callable[[Request], Principal]:
    """A route dependency: resolve the principal and check it holds ``permission``."""

    def dependency(request: Request) -> Principal:
        principal = resolve_principal(request)
        try:
            authorize(principal, permission)
        except PermissionDeniedError as exc:
            audit.record_denial(request, "web.access", str(exc), principal=principal)
            raise
        request.state.principal = principal
        audit.record_access(request, principal)
        return principal

    dependency.__name__ = f"require_{permission.value.replace(':', '_')}"
    return dependency
