"""SQLite write locks: how many read-then-write units of work fail ("database is locked") when WRITERS
threads write at once, begun deferred (as before) and ``for_writing`` (``BEGIN IMMEDIATE``), and how
many units a second get through. Each unit reads a count, works a moment (``--work-ms``), then writes a
row, each thread on its own connection to one temporary database file (WAL, busy_timeout as GBVS sets
it). Also times a read beside a held write lock. Prints the figures; no goal is asserted.

Then, on a migrated GBVS database with the real services, what a web writer (a new signal, its session
``for_writing`` as a POST's) meets:

(a) while a long read-only command runs (``--cli-seconds``, listing the signals again and again in one
    session, as ``gbvs signals list``/``export`` and a report read): its session ``for_writing`` as every
    command had (before) and deferred as a command declared ``Lock.READS`` has now
    (:mod:`gbvs.cli.locks`); the writers' wait and how many got "database is busy" (a 503 on the web);
(b) GET-with-audit requests (``signals.get_signal``, which audits the read) beside writers: the entry
    written in the read's own deferred transaction (before: a session not opened by ``session_scope``
    still does that) and apart in its own short write transaction (now, every session opened for
    reading); the reads and writes that failed, and their waits.

(c) web writers and GET-with-audit requests that arrive while another process holds the write lock
    almost the whole busy timeout (``--hold-seconds``, 4.6 of 5 s), and go on after it is released:
    SQLite's own waiting (before: no queue, a writer that has waited long tries every 100 ms and loses
    to newcomers) and the process's writers taking turns first come first served (now,
    :mod:`gbvs.db.writeturns`); how many that arrived while the lock was held got "database is busy".

(d) web form saves (the default wait, :data:`gbvs.db.session.BUSY_TIMEOUT_MS`) while another process
    imports (``--import-seconds``, write transactions of ``--import-ms`` one after the other, as
    ``gbvs signals import-stix``): SQLite's own waiting between processes (before: the import takes the
    lock straight back) and the processes taking turns with the lock file (now, :mod:`gbvs.db.writelock`);
    how many saves got "database is busy", their waits, and the import's transactions.

    .venv/bin/python benchmarks/bench_write_lock.py [--writers 8] [--units 25] [--work-ms 2]
        [--cli-seconds 6] [--web-seconds 4] [--hold-seconds 4.6] [--import-seconds 12] [--import-ms 100]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from gbvs.db import migrate, writelock
from gbvs.db import session as db_session
from gbvs.db.schemas import OrganisationCreate, UserCreate
from gbvs.db.services import organisations, signals, users
from gbvs.db.services.principals import load_principal
from gbvs.db.session import DatabaseBusyError, engine_for_url, make_session_factory, session_scope
from gbvs.db.signal_queries import SignalFilter
from gbvs.security import Principal, Role
from gbvs.signals.markings import Distribution, Tlp
from gbvs.signals.model import SignalDraft, SignalKind


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


class Tally:
    """Waits (ms) of the units that got through and the count that met "database is busy"."""

    def __init__(self) -> None:
        self.waits: list[float] = []
        self.busy = 0
        self.lock = threading.Lock()

    def run(self, unit: Callable[[], None]) -> None:
        started = time.perf_counter()
        try:
            unit()
        except DatabaseBusyError:
            with self.lock:
                self.busy += 1
            return
        with self.lock:
            self.waits.append((time.perf_counter() - started) * 1000)

    def line(self, label: str) -> str:
        done = len(self.waits) + self.busy
        if not done:
            return f"{label}: none ran"
        waits = sorted(self.waits) or [0.0]
        return (
            f"{label}: {done} units, {self.busy} busy/503 ({100 * self.busy / done:.1f} %), "
            f"the others' wait median {statistics.median(waits):.0f} ms, max {waits[-1]:.0f} ms"
        )


def _gbvs_database(folder: Path, name: str) -> tuple[Engine, Principal, int]:
    """A migrated GBVS database with analyst ``bz`` of BZ and one signal of theirs."""
    engine = engine_for_url(f"sqlite:///{folder / name}.sqlite3")
    migrate.upgrade(engine)
    with session_scope(make_session_factory(engine), for_writing=True) as session:
        users.bootstrap_admin(session, "root", "Root")
        root = load_principal(session, "root")
        organisations.create_organisation(
            session, root, OrganisationCreate(code="BZ", name_nl="BZ", name_en="Foreign Affairs")
        )
        users.create_user(
            session,
            root,
            UserCreate(username="bz", display_name="bz", organisation_code="BZ", role=Role.analyst),
        )
        analyst = load_principal(session, "bz")
        signal_id = signals.create_signal(session, analyst, _draft())
    return engine, analyst, signal_id


def _draft() -> SignalDraft:
    return SignalDraft(
        title="Nepnieuws",
        kind=SignalKind.disinformation,
        observed_on=None,
        reported_on=date(2024, 5, 2),
        owner_organisation="BZ",
        tlp=Tlp.green,
        distribution=Distribution.all_organisations,
        threats=(3,),
        target_countries=("NLD",),
    )


def _web_writes(factory: sessionmaker[Session], analyst: Principal, until: float, tally: Tally) -> None:
    """A POST /api/v1/signals again and again: its session for writing, a new signal (and its entry)."""

    def write() -> None:
        with session_scope(factory, for_writing=True) as session:
            signals.create_signal(session, analyst, _draft())

    while time.perf_counter() < until:
        tally.run(write)
        time.sleep(0.02)


def during_long_command(folder: Path, seconds: float, writers: int, for_writing: bool) -> Tally:
    """(a) Web writers while one command lists the signals in one session for ``seconds``."""
    engine, analyst, _ = _gbvs_database(folder, f"cli-{for_writing}")
    factory = make_session_factory(engine)
    tally = Tally()
    started = threading.Event()

    def command() -> None:
        with session_scope(factory, for_writing=for_writing) as session:
            end = time.perf_counter() + seconds
            while time.perf_counter() < end:
                signals.list_signals(session, analyst, SignalFilter(), page=1, page_size=50)
                started.set()
                time.sleep(0.05)

    cli = threading.Thread(target=command)
    cli.start()
    started.wait()
    until = time.perf_counter() + seconds - 0.5
    threads = [
        threading.Thread(target=_web_writes, args=(factory, analyst, until, tally)) for _ in range(writers)
    ]
    for thread in (*threads,):
        thread.start()
    for thread in (cli, *threads):
        thread.join()
    engine.dispose()
    return tally


def audited_gets(
    folder: Path, seconds: float, readers: int, writers: int, apart: bool
) -> tuple[Tally, Tally]:
    """(b) GET-with-audit requests beside web writers for ``seconds``; (reads, writes)."""
    engine, analyst, signal_id = _gbvs_database(folder, f"get-{apart}")
    factory = make_session_factory(engine)
    reads, writes = Tally(), Tally()
    until = time.perf_counter() + seconds

    def read() -> None:
        if apart:  # now: a session opened for reading writes the entry apart
            with session_scope(factory) as session:
                signals.get_signal(session, analyst, signal_id)
            return
        with factory() as session:  # before: the entry in the read's deferred transaction
            signals.get_signal(session, analyst, signal_id)
            session.commit()

    def get_requests() -> None:
        while time.perf_counter() < until:
            reads.run(read)
            time.sleep(0.01)

    threads = [threading.Thread(target=get_requests) for _ in range(readers)]
    threads += [
        threading.Thread(target=_web_writes, args=(factory, analyst, until, writes)) for _ in range(writers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    engine.dispose()
    return reads, writes


@contextmanager
def _without_turns(fair: bool) -> Iterator[None]:
    """Engines made in the block have no write turns when not ``fair`` (SQLite's own waiting, before)."""
    kept = db_session.turns_of
    if not fair:
        db_session.turns_of = lambda _database: None  # type: ignore[assignment,return-value]
    try:
        yield
    finally:
        db_session.turns_of = kept


def after_long_lock(
    folder: Path, hold: float, writers: int, readers: int, fair: bool
) -> tuple[Tally, Tally, Tally]:
    """(c) Web writes and audited GETs, again and again, while another process holds the write lock
    ``hold`` seconds and for 2 s after: (arrived while held, arrived after: writes, arrived after: reads)."""
    with _without_turns(fair):
        engine, analyst, signal_id = _gbvs_database(folder, f"held-{fair}")
    factory = make_session_factory(engine)
    held, after_writes, after_reads = Tally(), Tally(), Tally()
    released = threading.Event()
    stop = threading.Event()

    def write() -> None:
        with session_scope(factory, for_writing=True) as session:
            signals.create_signal(session, analyst, _draft())

    def read() -> None:
        with session_scope(factory) as session:
            signals.get_signal(session, analyst, signal_id)

    def client(unit: Callable[[], None], after: Tally) -> None:
        while not stop.is_set():
            (after if released.is_set() else held).run(unit)
            time.sleep(0.02)

    blocker = sqlite3.connect(str(engine.url.database), isolation_level=None, check_same_thread=False)
    blocker.execute("BEGIN IMMEDIATE")
    blocker.execute("UPDATE organisation SET name_en = name_en")
    threads = [threading.Thread(target=client, args=(write, after_writes)) for _ in range(writers)]
    threads += [threading.Thread(target=client, args=(read, after_reads)) for _ in range(readers)]
    for thread in threads:
        thread.start()
    time.sleep(hold)
    released.set()
    blocker.commit()
    blocker.close()
    time.sleep(2.0)
    stop.set()
    for thread in threads:
        thread.join()
    engine.dispose()
    return held, after_writes, after_reads


IMPORT = """
import sys, time
from sqlalchemy import text
from gbvs.db import writelock
from gbvs.db.session import engine_for_url, make_session_factory, session_scope

url, seconds, hold, fair = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4] == "fair"
if not fair:
    writelock.take = lambda _database, _wait: writelock.ProcessTurn(None)
factory = make_session_factory(engine_for_url(url))
end, done = time.monotonic() + seconds, 0
while time.monotonic() < end:
    with session_scope(factory, for_writing=True) as session:
        session.execute(text("UPDATE organisation SET name_en = name_en"))
        if not done:
            print("importing", flush=True)
        time.sleep(hold)
    done += 1
print(done, flush=True)
"""
"""(d)'s other process: write transactions of ``hold`` s, one after the other, for ``seconds``."""


@contextmanager
def _without_process_turns(fair: bool) -> Iterator[None]:
    """Writes in the block take no turn among processes when not ``fair`` (SQLite's waiting, before)."""
    kept = writelock.take
    if not fair:
        writelock.take = lambda _database, _wait: writelock.ProcessTurn(None)  # type: ignore[assignment]
    try:
        yield
    finally:
        writelock.take = kept


def during_import(folder: Path, seconds: float, hold: float, writers: int, fair: bool) -> tuple[Tally, int]:
    """(d) Web form saves while another process imports for ``seconds``: (the saves, the import's
    transactions)."""
    engine, analyst, _ = _gbvs_database(folder, f"import-{fair}")
    factory = make_session_factory(engine)
    tally = Tally()
    mode = "fair" if fair else "before"
    program = subprocess.Popen(
        [sys.executable, "-c", IMPORT, str(engine.url), str(seconds), str(hold), mode],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert program.stdout is not None
    program.stdout.readline()
    until = time.perf_counter() + seconds - db_session.BUSY_TIMEOUT_MS / 1000
    with _without_process_turns(fair):
        threads = [
            threading.Thread(target=_web_writes, args=(factory, analyst, until, tally))
            for _ in range(writers)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    imported = int(program.stdout.readline() or 0)
    program.wait()
    engine.dispose()
    return tally, imported


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--units", type=int, default=25)
    parser.add_argument("--work-ms", type=float, default=2.0)
    parser.add_argument("--cli-seconds", type=float, default=6.0)
    parser.add_argument("--web-seconds", type=float, default=4.0)
    parser.add_argument("--web-writers", type=int, default=2)
    parser.add_argument("--web-readers", type=int, default=4)
    parser.add_argument("--hold-seconds", type=float, default=4.6)
    parser.add_argument("--held-writers", type=int, default=6)
    parser.add_argument("--import-seconds", type=float, default=12.0)
    parser.add_argument("--import-ms", type=float, default=100.0)
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
        print(
            f"\n(a) web writers ({args.web_writers}) while a read-only command runs {args.cli_seconds:.0f} s:"
        )
        for label, for_writing in (
            ("command for_writing (before)", True),
            ("command Lock.READS (now)", False),
        ):
            tally = during_long_command(Path(folder), args.cli_seconds, args.web_writers, for_writing)
            print("   ", tally.line(f"{label:32} writes"))
        print(
            f"\n(b) {args.web_readers} GET-with-audit clients beside {args.web_writers} writers, "
            f"{args.web_seconds:.0f} s:"
        )
        for label, apart in (
            ("entry in the read's txn (before)", False),
            ("entry written apart (now)", True),
        ):
            reads, writes = audited_gets(
                Path(folder), args.web_seconds, args.web_readers, args.web_writers, apart
            )
            print("   ", reads.line(f"{label:32} reads "))
            print("   ", writes.line(f"{label:32} writes"))
        print(
            f"\n(c) {args.held_writers} web writers and {args.web_readers} GET-with-audit clients while "
            f"another process holds the lock {args.hold_seconds:.1f} s (busy timeout "
            f"{db_session.BUSY_TIMEOUT_MS} ms), then 2 s more:"
        )
        for label, fair in (("SQLite's own waiting (before)", False), ("turns, first come (now)", True)):
            with _without_process_turns(fair):  # before: neither turns in the process nor between
                held, writes, reads = after_long_lock(
                    Path(folder), args.hold_seconds, args.held_writers, args.web_readers, fair
                )
            print("   ", held.line(f"{label:32} arrived while held"))
            print("   ", writes.line(f"{label:32} later writes      "))
            print("   ", reads.line(f"{label:32} later reads       "))
        print(
            f"\n(d) {args.web_writers} web writers saving forms while another process imports "
            f"{args.import_seconds:.0f} s (transactions of {args.import_ms:.0f} ms, one after the other):"
        )
        for label, fair in (("SQLite's own waiting (before)", False), ("processes take turns (now)", True)):
            tally, imported = during_import(
                Path(folder), args.import_seconds, args.import_ms / 1000, args.web_writers, fair
            )
            print("   ", tally.line(f"{label:32} form saves"), f"; the import's transactions: {imported}")


if __name__ == "__main__":
    main()
