"""Writers of one SQLite file in one process take turns, first come first served
(:mod:`gbvs.db.writeturns`). SQLite keeps no queue: after a long lock, a writer that had waited almost
its whole busy timeout kept losing the lock to writers that had just arrived, and was answered
"database is busy" (a 503) while the lock was free. The line itself (pure), and real writers on a
database file behind another connection's lock: they are served in the order they came."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from gbvs.db import session as db_session
from gbvs.db.session import DatabaseBusyError, engine_for_url, make_session_factory, session_scope
from gbvs.db.writeturns import WriteTurns, turns_of

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:sqlalchemy.*")
WRITERS = 6


def test_turns_are_served_in_the_order_they_were_taken() -> None:
    turns = WriteTurns()
    served: list[int] = []
    first = turns.take(1.0)
    assert first is not None
    arrived = [threading.Event() for _ in range(3)]

    def writer(number: int) -> None:
        arrived[number].set()
        assert turns.take(60.0) is not None
        served.append(number)
        turns.give_back()

    threads = []
    for number in range(3):  # each in line before the next comes
        threads.append(threading.Thread(target=writer, args=(number,)))
        threads[-1].start()
        arrived[number].wait()
        _until(lambda expected=number + 2: turns.waiting == expected)
    turns.give_back()
    for thread in threads:
        thread.join()
    assert served == [0, 1, 2]


def test_a_writer_whose_turn_does_not_come_leaves_the_line_and_the_next_one_goes() -> None:
    turns = WriteTurns()
    assert turns.take(1.0) is not None
    assert turns.take(0.01) is None, "the writer ahead never finished: no turn"
    assert turns.waiting == 1
    turns.give_back()
    assert turns.take(0.01) is not None, "the one that left is skipped"


def _until(condition: object) -> None:
    """Wait (without a deadline of our own: pytest's timeout ends a hang) until ``condition()``."""
    done = threading.Event()
    while not condition():  # type: ignore[operator]
        done.wait(0.005)


@pytest.fixture
def database(tmp_path: Path) -> Iterator[tuple[Engine, Path]]:
    path = tmp_path / "turns.sqlite3"
    engine = engine_for_url(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE note (id INTEGER PRIMARY KEY, writer INTEGER NOT NULL)"))
    yield engine, path
    engine.dispose()


def test_writers_behind_another_connections_lock_are_served_in_the_order_they_came(
    database: tuple[Engine, Path],
) -> None:
    engine, path = database
    turns = turns_of(str(path.resolve()))
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # another process's long write
    failures: list[BaseException] = []

    def write(number: int) -> None:
        try:
            with session_scope(make_session_factory(engine), for_writing=True) as session:
                session.execute(text("INSERT INTO note (writer) VALUES (:n)"), {"n": number})
        except DatabaseBusyError as busy:
            failures.append(busy)

    threads = []
    for number in range(WRITERS):  # each in line (its turn taken, or waiting for SQLite) before the next
        threads.append(threading.Thread(target=write, args=(number,)))
        threads[-1].start()
        _until(lambda expected=number + 1: turns.waiting == expected)
    other.rollback()
    other.close()
    for thread in threads:
        thread.join()
    assert not failures, failures
    with sqlite3.connect(path) as reader:
        order = [row[0] for row in reader.execute("SELECT writer FROM note ORDER BY id")]
    assert order == list(range(WRITERS)), "first come, first served"
    assert turns.waiting == 0, "every turn was given back"


def test_a_failed_write_gives_its_turn_back(database: tuple[Engine, Path]) -> None:
    engine, path = database
    turns = turns_of(str(path.resolve()))
    with (
        pytest.raises(Exception, match="no such table"),
        session_scope(make_session_factory(engine), for_writing=True) as session,
    ):
        session.execute(text("INSERT INTO missing (x) VALUES (1)"))
    assert turns.waiting == 0
    with session_scope(make_session_factory(engine), for_writing=True) as session:
        session.execute(text("INSERT INTO note (writer) VALUES (1)"))


def test_a_writer_whose_turn_does_not_come_in_time_is_told_the_database_is_busy(
    database: tuple[Engine, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The 503 stays for a lock held past the wait: the writer ahead of it never finishes in time."""
    engine, path = database
    monkeypatch.setattr(db_session, "BUSY_TIMEOUT_MS", 100)
    holding, finish = threading.Event(), threading.Event()

    def ahead() -> None:
        with session_scope(make_session_factory(engine), for_writing=True) as session:
            session.execute(text("INSERT INTO note (writer) VALUES (0)"))
            holding.set()
            finish.wait()

    thread = threading.Thread(target=ahead)
    thread.start()
    holding.wait()
    try:
        with (
            pytest.raises(DatabaseBusyError, match="writers of this process ahead of this one: 1"),
            session_scope(make_session_factory(engine), for_writing=True) as session,
        ):
            session.execute(text("INSERT INTO note (writer) VALUES (1)"))
    finally:
        finish.set()
        thread.join()
    with session_scope(make_session_factory(engine), for_writing=True) as session:  # its place was freed
        session.execute(text("INSERT INTO note (writer) VALUES (2)"))
    with sqlite3.connect(path) as reader:
        assert [row[0] for row in reader.execute("SELECT writer FROM note ORDER BY id")] == [0, 2]
