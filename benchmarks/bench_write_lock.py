"""SQLite write locks: how many read-then-write units of work fail ("database is locked") when WRITERS
threads write at once, begun deferred (as before) and ``for_writing`` (``BEGIN IMMEDIATE``), and how
many units a second get through. Each unit reads a count, works a moment (``--work-ms``), then writes a
row, each thread on its own connection to one temporary database file (WAL, busy_timeout as GBVS sets
it). Also times a read beside a held write lock. Prints the figures; no goal is asserted.

    .venv/bin/python benchmarks/bench_write_lock.py [--writers 8] [--units 25] [--work-ms 2]
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import threading
import time
from pathlib import Path

from sqlalchemy import Engine, text

from gbvs.db.session import DatabaseBusyError, engine_for_url, make_session_factory, session_scope


def _database(folder: Path, name: str) -> tuple[Engine, Path]:
    path = folder / f"{name}.sqlite3"
    engine = engine_for_url(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE note (id INTEGER PRIMARY KEY, seen INTEGER NOT NULL)"))
    return engine, path


def _writer(engine: Engine, units: int, work_s: float, for_writing: bool, failures: list[int]) -> None:
    factory = make_session_factory(engine)
    for _ in range(units):
        try:
            with session_scope(factory, for_writing=for_writing) as session:
                seen = session.execute(text("SELECT count(*) FROM note")).scalar_one()
                time.sleep(work_s)
                session.execute(text("INSERT INTO note (seen) VALUES (:seen)"), {"seen": seen})
        except DatabaseBusyError:
            failures.append(1)


def run(folder: Path, writers: int, units: int, work_ms: float, for_writing: bool) -> dict[str, float]:
    engine, path = _database(folder, "writing" if for_writing else "deferred")
    engine.pool.dispose()
    failures: list[int] = []
    threads = [
        threading.Thread(target=_writer, args=(engine, units, work_ms / 1000, for_writing, failures))
        for _ in range(writers)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    with sqlite3.connect(path) as reader:
        stored = int(reader.execute("SELECT count(*) FROM note").fetchone()[0])
    engine.dispose()
    return {"units": writers * units, "failed": len(failures), "stored": stored, "seconds": seconds}


def read_beside_writer(folder: Path) -> float:
    """Milliseconds a deferred read takes while another connection holds the write lock."""
    engine, path = _database(folder, "reader")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO note (seen) VALUES (0)")
    started = time.perf_counter()
    with session_scope(make_session_factory(engine)) as session:
        session.execute(text("SELECT count(*) FROM note")).scalar_one()
    elapsed = (time.perf_counter() - started) * 1000
    other.rollback()
    other.close()
    engine.dispose()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--units", type=int, default=25)
    parser.add_argument("--work-ms", type=float, default=2.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for label, for_writing in (("deferred (before)", False), ("for_writing, BEGIN IMMEDIATE", True)):
            figures = run(Path(folder), args.writers, args.units, args.work_ms, for_writing)
            print(
                f"{label:30} {figures['units']:5.0f} units, {figures['failed']:4.0f} failed "
                f"({100 * figures['failed'] / figures['units']:5.1f} %), {figures['stored']:5.0f} stored, "
                f"{figures['seconds']:6.2f} s, {figures['stored'] / figures['seconds']:7.1f} stored units/s"
            )
        print(f"a deferred read beside a held write lock: {read_beside_writer(Path(folder)):.1f} ms")


if __name__ == "__main__":
    main()
