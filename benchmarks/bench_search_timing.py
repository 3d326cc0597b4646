"""Does a search's time tell how many hidden signals hold a word? (docs/security.md, residual channels)

Builds ``--signals`` signals (default 100,000): ``--hidden`` of them (default 30,000) carry the word
"verborgenwoord" and are TLP:AMBER of another organisation, so the reader (an analyst of KMAR, in
no sharing group) may see none of them; the rest are filler the reader partly sees. Reports p50/p95
of a search (first page of 50 plus the total) for that word, and for "nergenswoord", found in no
signal: both answer "0 found" to the reader, so any difference is what the channel tells. Each backend
is measured twice, the signals indexed by their triggers and by the bulk path of a large import
(``signal_setup.store_signals``), with the import's time.

    .venv/bin/python benchmarks/bench_search_timing.py                          # SQLite only
    bash scripts/with-postgres .venv/bin/python benchmarks/bench_search_timing.py   # and PostgreSQL
    bash scripts/with-postgres .venv/bin/python benchmarks/bench_search_timing.py --backends postgresql

To compare with the search before migration 0022 (SQLite) or 0023 (PostgreSQL), run this script with
``PYTHONPATH=<checkout of that revision>/src`` (it prints which ``gbvs`` it measured).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import signal_setup
from sqlalchemy.orm import Session

import gbvs
from gbvs.db import migrate
from gbvs.db.models import User
from gbvs.db.services import signals as service
from gbvs.db.services.principals import principal_of
from gbvs.db.session import engine_for_url, make_session_factory
from gbvs.db.signal_queries import SignalFilter
from gbvs.db.testing import isolated_database_url
from gbvs.signals.markings import Distribution, Tlp
from gbvs.signals.model import SignalDraft, SignalKind

HIDDEN_WORD, ABSENT_WORD = "verborgenwoord", "nergenswoord"
FILLER = ("phishing", "ransomware", "desinformatie", "smokkel", "drones", "havens", "spionage")


def _draft(owner: str, n: int, rng: random.Random, *, hidden: bool) -> SignalDraft:
    words = " ".join(rng.sample(FILLER, 3)) + (f" {HIDDEN_WORD}" if hidden else "")
    tlp, distribution = (
        (Tlp.amber, Distribution.organisation)
        if hidden
        else rng.choice(
            [(Tlp.clear, Distribution.public), (Tlp.green, Distribution.all_organisations)]
            + [(Tlp.amber, Distribution.organisation)] * 3
        )
    )
    return SignalDraft(
        title=f"{owner} signaal {n}: {words}",
        kind=rng.choice(list(SignalKind)),
        observed_on=None,
        reported_on=date(2015, 1, 1) + timedelta(days=rng.randrange(3650)),
        owner_organisation=owner,
        tlp=tlp,
        distribution=distribution,
        description=f"Waarneming over {words} in de regio.",
        target_countries=("NLD",),
    )


def _populate(session: Session, total: int, hidden: int, indexing: str) -> tuple[float, User]:
    owners = signal_setup.organisations(session, ("AIVD", "KMAR"))
    reader = signal_setup.reader(session, owners["KMAR"])
    rng = random.Random(1)
    drafts = [_draft("AIVD", n, rng, hidden=n < hidden) for n in range(total)]
    rng.shuffle(drafts)  # hidden and filler signals interleave in the index, as they would over time
    return signal_setup.store_signals(session, drafts, owners, indexing), reader


def _search_ms(factory: object, principal: object, word: str) -> float:
    started = time.perf_counter()
    with factory() as session:  # type: ignore[operator]
        page = service.list_signals(session, principal, SignalFilter(text=word), page_size=50)  # type: ignore[arg-type]
    assert page.total == 0, f"the reader must see none of the signals holding {word!r}"
    return (time.perf_counter() - started) * 1000


def _alternating(factory: object, principal: object, repeats: int) -> tuple[list[float], list[float]]:
    """Search times of the hidden and the absent word, taken in turn (a busy machine slows both alike)."""
    hidden, absent = [], []
    for _ in range(repeats):
        hidden.append(_search_ms(factory, principal, HIDDEN_WORD))
        absent.append(_search_ms(factory, principal, ABSENT_WORD))
    return hidden, absent


def run(backend: str, total: int, hidden: int, repeats: int, indexing: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder, isolated_database_url(backend, Path(folder)) as url:
        engine = engine_for_url(url)
        migrate.upgrade(engine)
        factory = make_session_factory(engine)
        with factory() as session:
            seconds, reader = _populate(session, total, hidden, indexing)
            principal = principal_of(session.get(User, reader.id))  # type: ignore[arg-type]
        _alternating(factory, principal, 5)  # warm the caches
        hidden_ms, absent_ms = _alternating(factory, principal, repeats)
        engine.dispose()
    return {
        "signals": total,
        "hidden holding word": hidden,
        "import s": seconds,
        "hidden word p50 ms": statistics.median(hidden_ms),
        "hidden word p95 ms": _p95(hidden_ms),
        "absent word p50 ms": statistics.median(absent_ms),
        "absent word p95 ms": _p95(absent_ms),
    }


def _newest_migration() -> str:
    versions = Path(gbvs.__file__).parent / "db" / "migrations" / "versions"
    return max(path.name[:4] for path in versions.glob("[0-9][0-9][0-9][0-9]_*.py"))


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signals", type=int, default=100_000)
    parser.add_argument("--hidden", type=int, default=30_000)
    parser.add_argument("--repeats", type=int, default=40)
    parser.add_argument(
        "--backends",
        nargs="+",
        choices=("sqlite", "postgresql"),
        default=["sqlite"] + (["postgresql"] if os.environ.get("GBVS_TEST_POSTGRES_URL") else []),
        help="the databases to measure (PostgreSQL needs GBVS_TEST_POSTGRES_URL: scripts/with-postgres)",
    )
    args = parser.parse_args()
    backends = args.backends
    if "postgresql" in backends and not os.environ.get("GBVS_TEST_POSTGRES_URL"):
        parser.error(
            "--backends postgresql needs GBVS_TEST_POSTGRES_URL; run under bash scripts/with-postgres"
        )
    print(f"gbvs measured: {Path(gbvs.__file__).parent} (newest migration {_newest_migration()})")
    results = {
        f"{backend} {indexing}": run(backend, args.signals, args.hidden, args.repeats, indexing)
        for backend in backends
        for indexing in signal_setup.INDEXING
    }
    print(f"{'':<22}" + "".join(f"{column:>20}" for column in results))
    for key in next(iter(results.values())):
        print(f"{key:<22}" + "".join(f"{results[c][key]:>20,.1f}" for c in results))


if __name__ == "__main__":
    main()
