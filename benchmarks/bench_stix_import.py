"""Benchmark of a STIX import's duplicate detection on a register of imported signals (SQLite, and
PostgreSQL inside ``scripts/with-postgres``).

A register of ``--signals`` imported signals of two organisations, each keeping ``--objects`` STIX
objects; then imports of a bundle of 50 objects, 10 of them held already by a signal the importer
may see. Reports the median time of an import (rolled back each time, so the register stays as it
was). Before migration 0014 the import read every imported signal the importer may see; now it
reads the index ``signal_stix_object`` by id.

    .venv/bin/python benchmarks/bench_stix_import.py --signals 2000
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from gbvs.db import migrate
from gbvs.db.models import Organisation, OrganisationKind, User
from gbvs.db.services import signals as service
from gbvs.db.services.principals import principal_of
from gbvs.db.session import engine_for_url, make_session_factory
from gbvs.db.testing import isolated_database_url
from gbvs.security.permissions import Role
from gbvs.signals.markings import Distribution, Tlp
from gbvs.signals.model import SignalDraft, SignalKind

MODIFIED = "2024-03-01T00:00:00.000Z"


def _object(n: int) -> dict[str, Any]:
    return {
        "type": "indicator", "spec_version": "2.1", "id": f"indicator--{uuid.uuid4()}", "created": MODIFIED,
        "modified": MODIFIED, "name": f"indicator {n}", "pattern": "[ipv4-addr:value = '192.0.2.1']",
        "pattern_type": "stix", "valid_from": MODIFIED,
    }  # fmt: skip


def _draft(owner: str, n: int, distribution: Distribution) -> SignalDraft:
    return SignalDraft(
        title=f"import {n}", kind=SignalKind.cyber_operation, observed_on=None, reported_on=date(2024, 1, 1),
        owner_organisation=owner, tlp=Tlp.amber, distribution=distribution, source="stix",
    )  # fmt: skip


def run(backend: str, signals: int, objects: int, repeats: int) -> float:
    """The median seconds of one import on a register of ``signals`` imported signals."""
    with tempfile.TemporaryDirectory() as folder, isolated_database_url(backend, Path(folder)) as url:
        engine = engine_for_url(url)
        migrate.upgrade(engine)
        with make_session_factory(engine)() as session:
            principal, held = _register(session, signals, objects)
            times = []
            for _ in range(repeats):
                bundle = held + [_object(n) for n in range(40)]
                started = time.perf_counter()
                service.import_stix(session, principal, _draft("BZ", 0, Distribution.organisation), bundle)
                times.append(time.perf_counter() - started)
                session.rollback()
        engine.dispose()
    return statistics.median(times)


def _register(session: Session, signals: int, objects: int) -> tuple[Any, list[dict[str, Any]]]:
    """The register; the importer (an analyst of BZ) and 10 objects one of BZ's signals holds."""
    orgs = {
        code: Organisation(code=code, name_nl=code, name_en=code, kind=OrganisationKind.ministry)
        for code in ("BZ", "DEF")
    }
    reader = User(username="bz.analyst", display_name="BZ", organisation=orgs["BZ"], role=Role.analyst)
    session.add_all([*orgs.values(), reader])
    session.flush()
    held: list[dict[str, Any]] = []
    for n in range(signals):
        kept = [_object(n) for _ in range(objects)]
        owner = orgs["BZ" if n % 2 else "DEF"]
        distribution = Distribution.organisation if n % 4 else Distribution.all_organisations
        draft = _draft(owner.code, n, distribution)
        service.store_drafts(session, [draft], owner_id=owner.id, author_id=None, objects=tuple(kept))
        held = kept[:10] if n % 2 else held
    session.commit()
    return principal_of(reader), held


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signals", type=int, default=2_000)
    parser.add_argument("--objects", type=int, default=20, help="objects each signal keeps")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    backends = ["sqlite"] + (["postgresql"] if os.environ.get("GBVS_TEST_POSTGRES_URL") else [])
    for backend in backends:
        seconds = run(backend, args.signals, args.objects, args.repeats)
        print(f"{backend}: {args.signals:,} imported signals x {args.objects} objects: import of 50 objects "
              f"(10 held) {seconds * 1000:,.0f} ms (median of {args.repeats})")  # fmt: skip


if __name__ == "__main__":
    main()
