"""What the web app writes to the audit log (remote mode), from the one place requests are authorized.

:func:`gbvs.web.auth.require` calls :func:`record_access` for every protected request it lets
through and :func:`record_denial` for every one it refuses; the login form calls them for logins
and logouts. Each entry names the actor, the client address, the method and path, and the
outcome; exports (``format=csv`` / ``xlsx`` / ``geojson``, STIX, the PDF country brief) and searches
(any other query parameter) are told apart from plain reads. Denials of unauthenticated clients go through a
:class:`~gbvs.web.auditbudget.DenialBudget`, so a stranger cannot flood the log; what is held back
is written as ``audit.suppressed`` entries with the count. A token is recorded by its first
characters only, and the username typed into a failed login is never taken as the actor.

Loopback-only mode (one local user, no database needed) records nothing here.
"""

from __future__ import annotations

import time
from typing import Any

from fastapi import Request

from gbvs.db.audit import record
from gbvs.db.models import Outcome
from gbvs.db.session import session_scope
from gbvs.safetext import escape_controls, truncate
from gbvs.security import Principal, Role
from gbvs.security.hashing import TOKEN_PREFIX
from gbvs.security.principal import ANONYMOUS_USERNAME
from gbvs.web.auditbudget import Suppressed
from gbvs.web.auditwriter import PendingEntry

ANONYMOUS = Principal(username=ANONYMOUS_USERNAME, role=Role.viewer)
EXPORT_FORMATS = frozenset({"csv", "xlsx", "geojson"})
"""``format=`` values that make a read an export (docs/exports.md lists every download)."""
BRIEF_PATHS = ("/brief.pdf", "/brief")
"""Path endings of the country brief, a PDF download on the page (``.pdf``) and in the API."""
NOT_A_SEARCH = frozenset({"format", "page", "page_size", "lang"})
TOKEN_SHOWN = len(TOKEN_PREFIX) + 8
TEXT_LIMIT = 200


async def record_access(request: Request, principal: Principal) -> None:
    """Keep a ``web.read`` / ``web.export`` / ``web.search`` entry for an authorized request.

    Awaits the entry's commit on the event loop (fail closed: the request fails if it cannot be written).
    """
    if not _remote(request):
        return
    action, detail = classify(request)
    await request.app.state.web.audit_writer.write_async(
        _pending(request, principal, action, Outcome.success, detail)
    )


def record_denial(
    request: Request,
    action: str,
    reason: str,
    principal: Principal | None = None,
    token: str | None = None,
    attempted_username: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Keep a ``denied`` entry (``detail`` added to its details); without an authenticated ``principal``
    it is budgeted per client address."""
    if not _remote(request):
        return
    detail = dict(detail or {})
    if token is not None:
        detail["token_prefix"] = token_prefix(token)
    if attempted_username is not None:
        detail["attempted_username"] = truncate(escape_controls(attempted_username.strip()), 64)
    if principal is None and not _admitted(request):
        return
    _write(request, principal or ANONYMOUS, action, Outcome.denied, detail, reason)


def record_login(request: Request, principal: Principal, action: str) -> None:
    """Keep an ``auth.login`` / ``auth.logout`` success entry for ``principal``."""
    if _remote(request):
        _write(request, principal, action, Outcome.success, {})


def write_suppressed(request: Request, everything: bool = False) -> None:
    """Write the ``audit.suppressed`` counts of the budget windows that have ended."""
    web = request.app.state.web
    write_summaries(web, web.denial_budget.summaries(time.time(), everything))


def write_summaries(web: Any, summaries: list[Suppressed]) -> None:
    """One ``audit.suppressed`` entry per client and window (used at shutdown too)."""
    if not summaries:
        return
    with session_scope(web.session_factory(), for_writing=True) as session:
        for item in summaries:
            detail = {"client": item.client, "suppressed": item.count, "window_seconds": item.window_seconds}
            detail["role"] = "anonymous"
            message = f"{item.count} denials of client {item.client} not written (over the audit budget)"
            action = "audit.suppressed"
            record(session, ANONYMOUS, action, "client", item.client, detail, Outcome.denied, message)


def classify(request: Request) -> tuple[str, dict[str, Any]]:
    """The action of an authorized request (read, export or search) and its detail."""
    params = request.query_params
    detail = _where(request)
    if params:
        detail["query"] = truncate(str(request.url.query), TEXT_LIMIT)
    if params.get("format") in EXPORT_FORMATS:
        return "web.export", detail | {"format": params["format"]}
    if "application/stix+json" in request.headers.get("accept", "").lower():  # signals: STIX by Accept
        return "web.export", detail | {"format": "stix"}
    if request.url.path.endswith(BRIEF_PATHS):
        return "web.export", detail | {"format": "pdf"}
    if set(params) - NOT_A_SEARCH:
        return "web.search", detail
    return "web.read", detail


def token_prefix(token: str) -> str:
    """The first characters of a token (``gbvs_`` plus the public part), never the whole secret."""
    shown = token.strip()[: min(TOKEN_SHOWN, len(token.strip()) // 2)]
    return escape_controls(shown) + "…"


def client_address(request: Request) -> str:
    """The client address of ``request`` as the server sees it."""
    return request.client.host if request.client else "unknown"


def _remote(request: Request) -> bool:
    return bool(request.app.state.web.settings.allow_remote)


def _admitted(request: Request) -> bool:
    web = request.app.state.web
    now = time.time()
    admitted: bool = web.denial_budget.admit(client_address(request), now)
    write_summaries(web, web.denial_budget.summaries(now))
    return admitted


def _where(request: Request) -> dict[str, Any]:
    return {
        "client": client_address(request),
        "method": request.method,
        "path": truncate(request.url.path, TEXT_LIMIT),
    }


def _write(
    request: Request,
    principal: Principal,
    action: str,
    outcome: Outcome,
    detail: dict[str, Any],
    message: str | None = None,
    *,
    wait: bool = True,
) -> None:
    """Hand the entry to the app's writer (group commit); wait until it is stored unless ``wait`` is off."""
    entry = _pending(request, principal, action, outcome, detail, message)
    request.app.state.web.audit_writer.write(entry, wait=wait)


def _pending(
    request: Request,
    principal: Principal,
    action: str,
    outcome: Outcome,
    detail: dict[str, Any],
    message: str | None = None,
) -> PendingEntry:
    detail = _where(request) | detail | ({"role": "anonymous"} if principal is ANONYMOUS else {})
    return PendingEntry(principal, action, "request", detail["path"], detail, outcome, message)
