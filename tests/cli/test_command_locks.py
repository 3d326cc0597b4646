"""Which commands hold SQLite's write lock, declared for every command in one place
(:data:`gbvs.cli.locks.COMMAND_LOCKS`). A command that only reads (a listing, a search, an export) no
longer takes the write lock for its whole run: before, every command did, so while a long one ran every
web request that wrote waited, and after the busy timeout was answered 503. Its audit entries are
written apart, at once (``tests/db/test_audited_reads.py``). Real commands, a real database file and a
second real connection."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import typer.main
from sqlalchemy import func, select, text
from typer._click.core import Command, Context

from gbvs.cli.commands import register
from gbvs.cli.helptexts import leaf_commands, typer_command
from gbvs.cli.identity import acting
from gbvs.cli.locks import COMMAND_LOCKS, Lock
from gbvs.cli.main import app
from gbvs.config import Settings
from gbvs.db.models import AuditLog
from gbvs.db.services import signals
from gbvs.db.session import ReadOnlySessionError
from gbvs.db.signal_queries import SignalFilter

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:sqlalchemy.*")


def _commands() -> dict[str, Command]:
    """Every command of ``gbvs`` by its words (``signals list``)."""
    register(app)
    return leaf_commands(typer_command(app))


def test_every_command_declares_whether_it_takes_the_write_lock() -> None:
    commands = set(_commands())
    missing = sorted(commands - set(COMMAND_LOCKS))
    assert not missing, f"declare these in gbvs.cli.locks.COMMAND_LOCKS: {missing}"
    assert not sorted(set(COMMAND_LOCKS) - commands), "declared, but no such command"


@contextmanager
def _running(words: str) -> Iterator[None]:
    """The click contexts of ``gbvs <words>`` while it runs (what :func:`acting` looks up)."""
    register(app)
    command: Command = typer.main.get_command(app)
    context = Context(command, info_name="gbvs")
    contexts = [context]
    for word in words.split():
        command = command.commands[word]  # type: ignore[attr-defined]
        context = Context(command, info_name=word, parent=context)
        contexts.append(context)
    with contexts[0], context:
        yield


@pytest.fixture
def database(settings: Settings, run_cli: Callable[..., Any]) -> str:
    """The path of the default (SQLite) database, migrated by ``gbvs db upgrade``."""
    assert run_cli("db", "upgrade").exit_code == 0
    url = settings.resolved_database_url
    assert url.startswith("sqlite:///"), url
    return url.removeprefix("sqlite:///")


def _another_writer_can_write(path: str) -> bool:
    """Whether another connection gets the write lock within 100 ms."""
    other = sqlite3.connect(path, isolation_level=None, timeout=0.1)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError as error:
        assert "locked" in str(error)
        return False
    finally:
        other.close()


def test_a_command_that_only_reads_leaves_the_write_lock_free_while_it_runs(database: str) -> None:
    assert COMMAND_LOCKS["signals list"] is Lock.READS
    with _running("signals list"), acting(None) as (session, principal):
        signals.list_signals(session, principal, SignalFilter(), page=1, page_size=50)
        assert _another_writer_can_write(database), "a web writer would wait for this command"
        with sqlite3.connect(database) as reader:  # kept before the command shows anything
            kept = reader.execute("SELECT count(*) FROM audit_log WHERE action = 'signals.list'").fetchone()
    assert kept == (1,), "the read is still audited"


def test_a_command_that_writes_holds_the_write_lock_from_its_start(database: str) -> None:
    assert COMMAND_LOCKS["signals create"] is Lock.WRITES
    with _running("signals create"), acting(None) as (session, _principal):
        session.execute(select(func.count()).select_from(AuditLog))
        assert not _another_writer_can_write(database), "it waits its turn once, never fails half-way"


def test_a_command_declared_without_the_database_may_not_use_it(database: str) -> None:
    assert COMMAND_LOCKS["strategy list"] is Lock.OWN
    with pytest.raises(RuntimeError, match="COMMAND_LOCKS"), _running("strategy list"), acting(None):
        pass


def test_a_command_declared_to_read_cannot_write_even_with_a_raw_statement(database: str) -> None:
    """Before, only the ORM's writes were noticed in a reading command's session; a raw ``UPDATE`` on
    its connection went through (or failed at once under another writer). The database refuses it now,
    naming the command and the fix; the command's audited read still works."""
    assert COMMAND_LOCKS["signals list"] is Lock.READS
    refused = (
        r"`gbvs signals list` .*declared to only read.*nothing was changed; this is a programming error in "
        r"GBVS.*declare it in cli/locks.py as WRITES"
    )
    with _running("signals list"), acting(None) as (session, principal):
        signals.list_signals(session, principal, SignalFilter(), page=1, page_size=50)
        with pytest.raises(ReadOnlySessionError, match=refused):
            session.connection().exec_driver_sql("UPDATE organisation SET name_en = 'Changed'")
        session.rollback()
        with pytest.raises(ReadOnlySessionError, match=refused):
            session.execute(text("DELETE FROM organisation"))
        session.rollback()
    with sqlite3.connect(database) as reader:
        kept = reader.execute("SELECT count(*) FROM audit_log WHERE action = 'signals.list'").fetchone()
        changed = reader.execute("SELECT count(*) FROM organisation WHERE name_en = 'Changed'").fetchone()
    assert kept == (1,) and changed == (0,)


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        (
            "nl",
            "fout: De opdracht `gbvs signals list` (Lock.READS in gbvs.cli.locks.COMMAND_LOCKS) mag volgens "
            "zijn declaratie alleen lezen, maar probeerde de database te wijzigen (UPDATE: ",
        ),
        (
            "en",
            "error: the command `gbvs signals list` (Lock.READS in gbvs.cli.locks.COMMAND_LOCKS) is declared "
            "to only read, but tried to change the database (UPDATE: ",
        ),
    ],
)
def test_the_refusal_of_a_reading_commands_write_is_in_the_readers_language(
    database: str, lang: str, said: str
) -> None:
    """The refusal reaches whoever runs the command (its `error:` line): it was English on a Dutch one."""
    from gbvs.cli.main import failure

    with _running("signals list"), acting(None) as (session, _principal):
        with pytest.raises(ReadOnlySessionError) as refused:
            session.connection().exec_driver_sql("UPDATE organisation SET name_en = 'Changed'")
        session.rollback()
    line = failure(refused.value, lang)
    assert line.startswith(said)
    fix = {"nl": "declareer hem dan in cli/locks.py als WRITES", "en": "declare it in cli/locks.py as WRITES"}
    assert line.endswith(f'{fix[lang]}: "signals list": WRITES)')


def test_a_command_declared_to_write_may_write_with_a_raw_statement(database: str) -> None:
    with _running("orgs seed"), acting(None) as (session, _principal):
        session.connection().exec_driver_sql("UPDATE organisation SET name_en = name_en")
