"""Who is asking, and may they: the one place where web requests meet the authorization layer.

Every route (page and API) depends on :func:`require`, which resolves the principal of the request
and calls :func:`gbvs.security.authorize` with the route's permission. In remote mode it also keeps
the audit trail of requests (:mod:`gbvs.web.audit`): one entry per authorized request (read, export
or search) and one per refusal (client address, path, token prefix; budgeted for strangers).

- Loopback-only mode (the default): the caller is the local single user
  (:meth:`gbvs.security.Principal.local_user`).
- Remote mode (``settings.allow_remote``): the caller must authenticate (but for the login page and
  the help page, :func:`principal_if_any`, which show nothing from the stores), with an API token
  (``Authorization: Bearer <token>``) or, in a browser, by logging in at ``/aanmelden`` (a signed
  session cookie, :mod:`gbvs.web.sessions`, refused once its session has ended); otherwise the
  request is refused with 401.

Authenticating is a read: one indexed query (token, user and organisation in one statement) on the
app's credential connection (:class:`gbvs.db.credentials.CredentialReader`), run on the event loop,
where it never waits for the database's write lock (SQLite in WAL mode; a PostgreSQL SELECT takes no
row locks). Every successful request thus costs no thread
switch before its handler: the audit entry is awaited on the loop too
(:meth:`gbvs.web.auditwriter.AuditWriter.write_async`). Refusals, which write to the database, go
to a worker thread. A token's use is written after the response, at most every few minutes
(:mod:`gbvs.web.tokenuse`); audit entries go through the app's single audit writer
(:mod:`gbvs.web.auditwriter`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import BackgroundTasks, Request
from starlette.concurrency import run_in_threadpool

from gbvs.db.session import DatabaseBusyError
from gbvs.errors import NotFoundError, PermissionDeniedError, said
from gbvs.security import Permission, Principal, authorize
from gbvs.web import audit, sessions
from gbvs.web.tokenuse import QuietLog

NEEDS_LOGIN = said(
    "this GBVS server accepts remote connections and needs authentication; log in at "
    "/aanmelden, or send 'Authorization: Bearer <token>' with an API token (ask an administrator)"
)
REFUSED_WHILE_BUSY = said("credentials refused; log in again or use a valid API token")
_unrecorded = QuietLog("refused credentials not written to the audit log, the database is busy")


class AuthenticationRequiredError(PermissionDeniedError):
    """No (valid) credentials came with a request that needs them (HTTP 401)."""


async def resolve_principal(request: Request, background: BackgroundTasks | None = None) -> Principal:
    """The principal of ``request``: the local user in loopback mode, a token holder in remote mode."""
    web = request.app.state.web
    if not web.settings.allow_remote:
        return Principal.local_user()
    token = bearer_token(request.headers.get("authorization", ""))
    claim = session_claim(request) if token is None else None
    if token is None and claim is None:
        if request.cookies.get(sessions.COOKIE_NAME):
            reason = "session cookie invalid or expired"
            await run_in_threadpool(audit.record_denial, request, "auth.session", reason)
        raise AuthenticationRequiredError(NEEDS_LOGIN)
    try:
        if token is not None:
            principal = web.credentials().by_token(token)
        else:
            assert claim is not None
            principal = web.credentials().by_session(claim.username, claim.epoch)
    except (PermissionDeniedError, NotFoundError) as refused:
        action = "auth.token" if token else "auth.session"
        await run_in_threadpool(audit.record_denial, request, action, str(refused), token=token)
        raise AuthenticationRequiredError(str(refused), refused.words) from refused
    except DatabaseBusyError as busy:
        _unrecorded.warn(busy)
        raise AuthenticationRequiredError(REFUSED_WHILE_BUSY) from busy
    if token is not None and web.token_uses.due(token):
        if background is None:
            await run_in_threadpool(web.token_uses.write, web.session_factory(), token)
        else:
            background.add_task(web.token_uses.write, web.session_factory(), token)
    return principal


def session_claim(request: Request) -> sessions.SessionClaim | None:
    """What the request's session cookie says, if it carries a validly signed, unexpired one."""
    value = request.cookies.get(sessions.COOKIE_NAME)
    if not value:
        return None
    return sessions.verify(sessions.session_key(request.app.state.web.settings.data_dir), value)


def bearer_token(header: str) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, or None."""
    scheme, _, value = header.partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None


async def principal_if_any(request: Request, background: BackgroundTasks) -> Principal | None:
    """A dependency of the public pages (the help page): the principal when the request proves one,
    else None, never a refusal. Such a page shows nothing from the stores or the database."""
    try:
        principal = await resolve_principal(request, background)
    except AuthenticationRequiredError:
        return None
    request.state.principal = principal
    return principal


def require(permission: Permission) -> Callable[[Request, BackgroundTasks], Awaitable[Principal]]:
    """A route dependency: resolve the principal, check it holds ``permission``, audit the request."""

    async def dependency(request: Request, background: BackgroundTasks) -> Principal:
        principal = await resolve_principal(request, background)
        try:
            authorize(principal, permission)
        except PermissionDeniedError as refusal:
            reason = str(refusal)
            await run_in_threadpool(audit.record_denial, request, "web.access", reason, principal=principal)
            raise
        request.state.principal = principal
        await audit.record_access(request, principal)
        return principal

    dependency.__name__ = f"require_{permission.value.replace(':', '_')}"
    return dependency
