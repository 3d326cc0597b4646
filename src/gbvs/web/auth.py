"""Who is asking, and may they: the one place where web requests meet the authorization layer.

Every route (page and API) depends on :func:`require`, which resolves the principal of the request
and calls :func:`gbvs.security.authorize` with the route's permission.

- Loopback-only mode (the default): the caller is the local single user
  (:meth:`gbvs.security.Principal.local_user`).
- Remote mode (``settings.allow_remote``): the caller must authenticate with an API token
  (``Authorization: Bearer <token>``); without a valid one the request is refused with 401.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request

from gbvs.db.services.principals import principal_from_token
from gbvs.db.session import session_scope
from gbvs.errors import PermissionDeniedError
from gbvs.security import Permission, Principal, authorize


class AuthenticationRequiredError(PermissionDeniedError):
    """No (valid) credentials came with a request that needs them (HTTP 401)."""


def resolve_principal(request: Request) -> Principal:
    """The principal of ``request``: the local user in loopback mode, a token holder in remote mode."""
    web = request.app.state.web
    if not web.settings.allow_remote:
        return Principal.local_user()
    token = bearer_token(request.headers.get("authorization", ""))
    if token is None:
        raise AuthenticationRequiredError(
            "this GBVS server accepts remote connections and needs authentication; send "
            "'Authorization: Bearer <token>' with an API token (ask an administrator)"
        )
    with session_scope(web.session_factory()) as session:
        try:
            return principal_from_token(session, token)
        except PermissionDeniedError as exc:
            raise AuthenticationRequiredError(str(exc)) from exc


def bearer_token(header: str) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, or None."""
    scheme, _, value = header.partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None


def require(permission: Permission) -> Callable[[Request], Principal]:
    """A route dependency: resolve the principal and check it holds ``permission``."""

    def dependency(request: Request) -> Principal:
        principal = resolve_principal(request)
        authorize(principal, permission)
        request.state.principal = principal
        return principal

    dependency.__name__ = f"require_{permission.value.replace(':', '_')}"
    return dependency
