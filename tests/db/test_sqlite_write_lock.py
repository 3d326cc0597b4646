"""SQLite write locks are prevented, not only answered: a unit of work opened ``for_writing`` begins
``IMMEDIATE`` and waits (busy_timeout) for another writer's lock, so reading first and writing next no
longer fails at once with "database is locked"; reads stay deferred and run beside a writer. Two real
connections on a temporary database file."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from gbvs.db import session as db_session
from gbvs.db.session import DatabaseBusyError, engine_for_url, make_session_factory, session_scope

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:sqlalchemy.*")
SHORT_HOLD_SECONDS = 0.4


@pytest.fixture
def database(tmp_path: Path) -> Iterator[tuple[Engine, Path]]:
    path = tmp_path / "locks.sqlite3"
    engine = engine_for_url(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE note (id INTEGER PRIMARY KEY, seen INTEGER NOT NULL)"))
    yield engine, path
    engine.dispose()


def _read_then_write(session: Session) -> None:
    seen = session.execute(text("SELECT count(*) FROM note")).scalar_one()
    session.execute(text("INSERT INTO note (seen) VALUES (:seen)"), {"seen": seen})


def _other_writer(path: Path) -> sqlite3.Connection:
    """Another connection that has written a row and holds the write lock until it commits."""
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO note (seen) VALUES (-1)")
    return other


def _count(path: Path) -> int:
    with sqlite3.connect(path) as reader:
        return int(reader.execute("SELECT count(*) FROM note").fetchone()[0])


def test_a_unit_for_writing_waits_for_a_short_lock_and_succeeds(database: tuple[Engine, Path]) -> None:
    engine, path = database
    other = _other_writer(path)
    release = threading.Timer(SHORT_HOLD_SECONDS, other.commit)
    release.start()
    try:
        with session_scope(make_session_factory(engine), for_writing=True) as session:
            _read_then_write(session)
    finally:
        release.join()
        other.close()
    assert _count(path) == 2, "the other writer's row and this unit's row"


def test_a_deferred_unit_that_reads_then_writes_fails_at_once(database: tuple[Engine, Path]) -> None:
    """Why: the busy handler is not asked when a transaction that has read wants to write (WAL)."""
    engine, path = database
    other = _other_writer(path)
    release = threading.Timer(SHORT_HOLD_SECONDS, other.commit)
    release.start()
    started = time.monotonic()
    try:
        with pytest.raises(DatabaseBusyError), session_scope(make_session_factory(engine)) as session:
            _read_then_write(session)
    finally:
        release.join()
        other.close()
    assert time.monotonic() - started < SHORT_HOLD_SECONDS + 0.3
    assert _count(path) == 1, "only the other writer's row"


def test_a_lock_held_longer_than_the_wait_is_still_database_busy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db_session, "BUSY_TIMEOUT_MS", 300)
    path = tmp_path / "held.sqlite3"
    engine = engine_for_url(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE note (id INTEGER PRIMARY KEY, seen INTEGER NOT NULL)"))
    other = _other_writer(path)
    try:
        with (
            pytest.raises(DatabaseBusyError, match="nothing was changed"),
            session_scope(make_session_factory(engine), for_writing=True) as session,
        ):
            _read_then_write(session)
    finally:
        other.rollback()
        other.close()
        engine.dispose()
    assert _count(path) == 0


def test_reads_stay_deferred_and_run_beside_a_writer(database: tuple[Engine, Path]) -> None:
    engine, path = database
    other = _other_writer(path)
    started = time.monotonic()
    try:
        with session_scope(make_session_factory(engine)) as session:
            assert session.execute(text("SELECT count(*) FROM note")).scalar_one() == 0
    finally:
        other.rollback()
        other.close()
    assert time.monotonic() - started < 0.2, "a read does not wait for the writer"
