"""Benchmark of the signals register: 100,000 signals over 8 organisations, on SQLite and PostgreSQL.

Reports, side by side per backend and way of indexing (each signal by its trigger, or the bulk path
of a large import: ``signal_setup.store_signals``): import time, and p50/p95 of the list (first page
of 50 plus the total) and of full-text search, for a reader with narrow need-to-know (one organisation in no
sharing group); "narrow search" adds filters (TLP:CLEAR and a kind) that leave few of the words'
many matches. Goal (issue 10): search and list p95 under 100 ms on SQLite at this size.

    .venv/bin/python benchmarks/bench_signals.py                          # SQLite only
    bash scripts/with-postgres .venv/bin/python benchmarks/bench_signals.py   # SQLite and PostgreSQL
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import signal_setup
from sqlalchemy.orm import Session

from gbvs.db import migrate
from gbvs.db.models import User
from gbvs.db.services import signals as service
from gbvs.db.services.principals import principal_of
from gbvs.db.session import engine_for_url, make_session_factory
from gbvs.db.signal_models import SharingGroup, SharingGroupMember
from gbvs.db.signal_queries import SignalFilter
from gbvs.db.testing import isolated_database_url
from gbvs.signals.markings import Distribution, Tlp
from gbvs.signals.model import SignalDraft, SignalKind

ORGS = ("BZ", "DEF", "JENV", "NCTV", "POLITIE", "AIVD", "MIVD", "KMAR")
WORDS = (
    "phishing",
    "ransomware",
    "desinformatie",
    "beïnvloeding",
    "smokkel",
    "drones",
    "verkiezingen",
    "havens",
    "diaspora",
    "hack",
    "botnet",
    "propaganda",
    "witwassen",
    "spionage",
    "sabotage",
)
MARKINGS = (  # (weight, tlp, distribution)
    (5, Tlp.clear, Distribution.public),
    (5, Tlp.green, Distribution.all_organisations),
    (30, Tlp.amber, Distribution.sharing_group),
    (55, Tlp.amber, Distribution.organisation),
    (5, Tlp.amber_strict, Distribution.organisation),
)


def _drafts(owner: str, count: int, rng: random.Random) -> list[SignalDraft]:
    weights = [weight for weight, *_ in MARKINGS]
    drafts = []
    for n in range(count):
        _, tlp, distribution = rng.choices(MARKINGS, weights)[0]
        words = " ".join(rng.sample(WORDS, 3))
        drafts.append(
            SignalDraft(
                title=f"{owner} signaal {n}: {words}",
                kind=rng.choice(list(SignalKind)),
                observed_on=None,
                reported_on=date(2015, 1, 1) + timedelta(days=rng.randrange(3650)),
                owner_organisation=owner,
                tlp=tlp,
                distribution=distribution,
                sharing_group="groep" if distribution is Distribution.sharing_group else None,
                description=f"Waarneming over {words} in de regio.",
                threats=(rng.randrange(1, 7),),
                goals=(rng.randrange(1, 14),),
                target_countries=(rng.choice(("NLD", "BEL", "DEU", "FRA")),),
            )
        )
    return drafts


def _populate(session: Session, total: int, indexing: str) -> tuple[float, User]:
    organisations = signal_setup.organisations(session, ORGS)
    group = SharingGroup(
        name="groep", members=[SharingGroupMember(organisation_id=organisations[c].id) for c in ORGS[:3]]
    )
    session.add(group)
    session.flush()
    reader = signal_setup.reader(session, organisations["KMAR"])
    rng = random.Random(1)
    drafts = [made for code in ORGS for made in _drafts(code, total // len(ORGS), rng)]
    seconds = signal_setup.store_signals(session, drafts, organisations, indexing, group_id=group.id)
    return seconds, reader


def _timed(action: Callable[[], object], repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return times


def run(backend: str, total: int, repeats: int, indexing: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder, isolated_database_url(backend, Path(folder)) as url:
        engine = engine_for_url(url)
        migrate.upgrade(engine)
        factory = make_session_factory(engine)
        with factory() as session:
            seconds, reader = _populate(session, total, indexing)
            principal = principal_of(session.get(User, reader.id))  # type: ignore[arg-type]
        rng = random.Random(2)

        def listing() -> object:
            with factory() as session:
                return service.list_signals(session, principal, SignalFilter(), page_size=50)

        def search() -> object:
            with factory() as session:
                return service.list_signals(
                    session, principal, SignalFilter(text=rng.choice(WORDS)), page_size=50
                )

        def narrow_search() -> object:  # many matches of the words, few the reader sees
            wanted = SignalFilter(text=rng.choice(WORDS), tlp=Tlp.clear, kind=rng.choice(list(SignalKind)))
            with factory() as session:
                return service.list_signals(session, principal, wanted, page_size=50)

        with factory() as session:
            visible = service.list_signals(session, principal, SignalFilter()).total
        list_ms, search_ms = _timed(listing, repeats), _timed(search, repeats)
        narrow_ms = _timed(narrow_search, repeats)
        engine.dispose()
    return {
        "signals": total,
        "visible to reader": visible,
        "import s": seconds,
        "list p50 ms": statistics.median(list_ms),
        "list p95 ms": _p95(list_ms),
        "search p50 ms": statistics.median(search_ms),
        "search p95 ms": _p95(search_ms),
        "narrow search p50 ms": statistics.median(narrow_ms),
        "narrow search p95 ms": _p95(narrow_ms),
    }


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signals", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=40)
    args = parser.parse_args()
    backends = ["sqlite"] + (["postgresql"] if os.environ.get("GBVS_TEST_POSTGRES_URL") else [])
    results = {
        f"{backend} {indexing}": run(backend, args.signals, args.repeats, indexing)
        for backend in backends
        for indexing in signal_setup.INDEXING
    }
    print(f"{'':<22}" + "".join(f"{column:>20}" for column in results))
    for key in next(iter(results.values())):
        print(f"{key:<22}" + "".join(f"{results[c][key]:>20,.1f}" for c in results))


if __name__ == "__main__":
    main()
