"""What the signals API and pages share: a database session per request, the reader, the vocabulary
a new signal is checked against (strategy, countries, DISARM and ATT&CK techniques), and STIX
content negotiation.

The reader is the principal :func:`gbvs.web.auth.require` resolved for the route (it runs first, as
the router's dependency); what they may see is decided in the services' SQL, never here.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from gbvs.countries.matching import iso3_to_iso2
from gbvs.db.migrate import ensure_current
from gbvs.db.session import session_scope
from gbvs.errors import SchemaOutdatedError
from gbvs.security import Principal
from gbvs.signals.form import Vocabulary
from gbvs.signals.techniques import (
    MIRROR_BUNDLES,
    bundle_technique_names,
    galaxy_technique_names,
    galaxy_techniques,
)
from gbvs.web.queries.strategy import current_strategy

STIX_MEDIA_TYPE = "application/stix+json;version=2.1"


def database(request: Request) -> Iterator[Session]:
    """A session of the operational database for one request (committed when the handler returns)."""
    web = request.app.state.web
    check_schema(web)
    with session_scope(web.session_factory()) as session:
        yield session


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
    return _vocabulary(request.app.state.web.settings.mirror)


@cache
def _vocabulary(mirror: Path | None) -> Vocabulary:
    strategy = current_strategy()
    return Vocabulary(
        threats=frozenset(threat.number for threat in strategy.threats),
        goals=frozenset(goal.number for goal in strategy.goals),
        countries=frozenset(iso3_to_iso2()),
        techniques=galaxy_techniques() | _mirror_techniques(mirror),
    )


def _mirror_techniques(mirror: Path | None) -> frozenset[str]:
    return frozenset(_mirror_technique_names(mirror))


def technique_names(request: Request) -> dict[str, str]:
    """The name of each DISARM and ATT&CK technique by id: the galaxies', the mirror's newer where it
    has one (English: DISARM and MITRE publish no Dutch names)."""
    return _technique_names(request.app.state.web.settings.mirror)


@cache
def _technique_names(mirror: Path | None) -> dict[str, str]:
    return galaxy_technique_names() | _mirror_technique_names(mirror)


@cache
def _mirror_technique_names(mirror: Path | None) -> dict[str, str]:
    if mirror is None:
        return {}
    found: dict[str, str] = {}
    for name in MIRROR_BUNDLES:
        path = mirror / name
        if path.is_file():
            found |= bundle_technique_names(json.loads(path.read_bytes()))
    return found
