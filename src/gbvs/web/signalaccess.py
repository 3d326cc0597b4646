"""What the signals API and pages share: a database session per request, the reader, the vocabulary
a new signal is checked against (strategy, countries, DISARM and ATT&CK techniques), and STIX
content negotiation.

The reader is the principal :func:`gbvs.web.auth.require` resolved for the route (it runs first, as
the router's dependency); what they may see is decided in the services' SQL, never here.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from gbvs.db.migrate import ensure_current
from gbvs.db.session import session_scope
from gbvs.errors import SchemaOutdatedError
from gbvs.security import Principal
from gbvs.signals import known
from gbvs.signals.form import Vocabulary

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
"""The methods that only read (RFC 9110): their sessions stay deferred, beside a writer; the audit entries
they record are written apart, each in a short write transaction that waits its turn
(:data:`gbvs.db.session.AUDIT_APART`)."""
STIX_MEDIA_TYPE = "application/stix+json;version=2.1"


def database(request: Request) -> Iterator[Session]:
    """A session of the operational database for one request (committed when the handler returns);
    a request that changes something (POST, PUT, PATCH, DELETE) takes the write lock when it begins."""
    web = request.app.state.web
    check_schema(web)
    with session_scope(web.session_factory(), for_writing=writes(request)) as session:
        yield session


def writes(request: Request) -> bool:
    """Whether ``request`` may change something (not GET, HEAD or OPTIONS): its sessions take the write
    lock when they begin (:func:`gbvs.db.session.session_scope` ``for_writing``)."""
    return request.method not in SAFE_METHODS


def check_schema(web: Any) -> None:
    """Once per app: the operational database exists and is migrated, else a 503 that names the command
    (a missing SQLite file is not created by checking). Every page and API route that opens a session
    itself calls this first."""
    if getattr(web, "signals_schema_checked", False):
        return
    url = make_url(web.settings.resolved_database_url)
    if url.get_backend_name() == "sqlite" and url.database and not Path(url.database).exists():
        raise SchemaOutdatedError(
            "the operational database (signals register) does not exist yet; run `gbvs db upgrade`"
        )
    ensure_current(web.session_factory().kw["bind"])
    web.signals_schema_checked = True


def reader(request: Request) -> Principal:
    """The principal the route's authorization resolved."""
    principal: Principal = request.state.principal
    return principal


Db = Annotated[Session, Depends(database)]
Reader = Annotated[Principal, Depends(reader)]


def wants_stix(request: Request) -> bool:
    """Whether the client asked for STIX 2.1 (``Accept: application/stix+json;version=2.1``)."""
    return "application/stix+json" in request.headers.get("accept", "").lower()


def vocabulary(request: Request) -> Vocabulary:
    """What a new signal is checked against, with the technique bundles of the app's mirror (if any)."""
    return known.vocabulary(request.app.state.web.settings.mirror)


def technique_names(request: Request) -> dict[str, str]:
    """The name of each DISARM and ATT&CK technique by id (:func:`gbvs.signals.known.technique_names`)."""
    return known.technique_names(request.app.state.web.settings.mirror)
