"""Writers of one SQLite file take turns across processes too (:mod:`gbvs.db.writelock`).

Between the web server and a command (``gbvs signals import-stix``) only SQLite's own waiting decided:
an import committing and beginning again at once took the lock straight back, and a form save of
another process waited its whole wait in vain ("database is locked"). Here a real second process writes
one temporary database again and again (an import), or holds one long write transaction, or is killed
while it holds one; this process is the form save."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from gbvs.cli.texts import said_in
from gbvs.db import writelock
from gbvs.db.session import (
    WAIT_MS,
    WRITING,
    DatabaseBusyError,
    ReadOnly,
    engine_for_url,
    make_session_factory,
    session_scope,
)

pytestmark = [
    pytest.mark.filterwarnings("ignore::DeprecationWarning:sqlalchemy.*"),
    pytest.mark.skipif(writelock.fcntl is None, reason="file locks need fcntl"),
]

OTHER_PROGRAM = """
import sys, time
from pathlib import Path
from sqlalchemy import text
from gbvs.db.session import engine_for_url, make_session_factory, session_scope

database, hold, stop = Path(sys.argv[1]), float(sys.argv[2]), Path(sys.argv[3])
factory = make_session_factory(engine_for_url(f"sqlite:///{database}"))
told = False
while not stop.exists():
    with session_scope(factory, for_writing=True) as session:
        session.execute(text("INSERT INTO note (writer) VALUES ('other')"))
        if not told:
            print("writing", flush=True)
            told = True
        time.sleep(hold)
"""
"""The other program: writes ``note`` in transactions of ``hold`` seconds, one after the other without
a pause, until the file ``stop`` exists (an import; with a long ``hold``, one long transaction)."""


@pytest.fixture
def database(tmp_path: Path) -> Iterator[tuple[Engine, Path]]:
    path = tmp_path / "gbvs.sqlite3"
    engine = engine_for_url(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE note (id INTEGER PRIMARY KEY, writer TEXT NOT NULL)"))
    yield engine, path
    engine.dispose()


def _other_program(path: Path, hold: float) -> tuple[subprocess.Popen[str], Path]:
    """The other program, started and inside its first write transaction; and its stop file."""
    stop = path.with_name("stop")
    program = subprocess.Popen(
        [sys.executable, "-c", OTHER_PROGRAM, str(path), str(hold), str(stop)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert program.stdout is not None
    assert program.stdout.readline().strip() == "writing"
    return program, stop


def _stop(program: subprocess.Popen[str], stop: Path) -> None:
    stop.touch()
    program.communicate(timeout=60)


def _save_form(engine: Engine, wait_ms: int) -> float:
    """A form save of this process waiting at most ``wait_ms``: the seconds it took."""
    started = time.monotonic()
    with Session(bind=engine.execution_options(**{WRITING: True, WAIT_MS: wait_ms})) as session:
        session.execute(text("INSERT INTO note (writer) VALUES ('form')"))
        session.commit()
    return time.monotonic() - started


def _writers(path: Path) -> list[str]:
    engine = engine_for_url(f"sqlite:///{path}")
    with engine.connect() as connection:
        found = [row[0] for row in connection.execute(text("SELECT writer FROM note ORDER BY id"))]
    engine.dispose()
    return found


def test_a_form_save_gets_its_turn_between_the_transactions_of_an_import_in_another_process(
    database: tuple[Engine, Path],
) -> None:
    engine, path = database
    program, stop = _other_program(path, hold=0.2)
    try:
        took = _save_form(engine, wait_ms=2000)  # before: "database is locked" after 2 s
        time.sleep(0.5)
    finally:
        _stop(program, stop)
    assert took < 1.5, f"the form waited {took:.2f} s behind transactions of 0.2 s"
    writers = _writers(path)
    assert "form" in writers
    assert writers.index("form") < len(writers) - 1, "the import went on after the form's turn"


def test_a_writer_that_waits_longer_than_its_limit_gets_an_error_naming_the_database_and_the_fix(
    database: tuple[Engine, Path],
) -> None:
    engine, path = database
    program, stop = _other_program(path, hold=3.0)
    try:
        with pytest.raises(DatabaseBusyError) as raised:
            _save_form(engine, wait_ms=200)
    finally:
        _stop(program, stop)
    english, dutch = str(raised.value), said_in(raised.value.words or ("", {}), "nl")
    assert str(path.resolve()) in english and "another program" in english and "try again when" in english
    assert str(path.resolve()) in dutch and "probeer het opnieuw als dat programma klaar is" in dutch
    assert "0.2 s" in english and "0,2 s" in dutch
    assert "form" not in _writers(path), "nothing was changed"


def test_a_killed_writer_does_not_block_the_next_one_and_the_lock_files_are_private(
    database: tuple[Engine, Path],
) -> None:
    engine, path = database
    program, stop = _other_program(path, hold=600.0)
    os.kill(program.pid, signal.SIGKILL)
    program.communicate(timeout=60)
    _save_form(engine, wait_ms=2000)  # raises if the killed program's turn were still taken
    for made in (writelock.lock_file(path), path.with_name(path.name + writelock.GATE_SUFFIX)):
        assert made.exists() and stat.S_IMODE(made.stat().st_mode) == 0o600
    assert _writers(path) == ["form"], "the killed program's transaction was rolled back"
    stop.touch()


def test_sessions_that_only_read_never_wait_for_the_write_lock(database: tuple[Engine, Path]) -> None:
    engine, path = database
    factory = make_session_factory(engine)
    held = os.open(writelock.lock_file(path), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        assert writelock.fcntl is not None
        writelock.fcntl.flock(held, writelock.fcntl.LOCK_EX)  # another program's write turn
        # a session that took the write lock would wait its 5 s and raise DatabaseBusyError
        with session_scope(factory, read_only=ReadOnly("the test", "none")) as session:
            assert session.execute(text("SELECT count(*) FROM note")).scalar_one() == 0
        with session_scope(factory) as session:
            assert session.execute(text("SELECT count(*) FROM note")).scalar_one() == 0
        with pytest.raises(DatabaseBusyError):  # while a write waits for it, and gives up
            _save_form(engine, wait_ms=100)
    finally:
        os.close(held)
    _save_form(engine, wait_ms=2000)  # the lock let go: the write goes through
