"""Engines and sessions for the operational database (SQLite by default, PostgreSQL in production).

- :func:`make_engine` builds the application's engine from settings, :func:`make_migration_engine`
  the table owner's (``GBVS_MIGRATION_DATABASE_URL``) (SQLite: foreign keys ON, WAL,
  real transactions incl. DDL; errors from the audit-log triggers become
  :class:`~gbvs.errors.AuditLogImmutableError`, those from the decision log's
  (:mod:`gbvs.db.append_only`) an :class:`~gbvs.errors.InputError` saying how corrections are made;
  a refused connection becomes a :class:`~gbvs.errors.DatabaseError` naming the URL and the fix).
- :func:`session_scope` gives a session that commits on success and rolls back on error; one opened
  ``for_writing`` begins its transactions on SQLite with ``BEGIN IMMEDIATE`` (:data:`WRITING`), so
  a unit of work that reads and then writes waits its turn (busy_timeout) instead of failing at once
  with "database is locked" when another connection writes; reads stay deferred and run beside a writer.
  The writers of one process take turns for the lock, first come first served (:mod:`gbvs.db.writeturns`),
  and the processes writing one SQLite file take turns too (a lock file, :mod:`gbvs.db.writelock`).
  A session opened for reading writes the audit entries it records apart (:data:`AUDIT_APART`): each in
  a short write transaction of its own, at once, that waits its turn; a deferred read cannot wait for
  the lock when it first writes.
- A session opened ``read_only`` (the commands declared ``Lock.READS``) may not write at all: the
  database refuses it (SQLite ``PRAGMA query_only``, PostgreSQL ``SET TRANSACTION READ ONLY``), whatever
  the statement (ORM, ``session.connection().exec_driver_sql("UPDATE ...")``, ``text(...)``), and the
  refusal is a :class:`ReadOnlySessionError` naming who declared it read-only and the fix. Its audit
  entries are written apart on a connection of their own, which may write.
- :func:`brief_write` gives a short write transaction that waits at most a moment for a lock and
  raises :class:`DatabaseBusyError` instead of blocking (for writes a request can do without:
  token use, the record of a refused credential).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, exc, text
from sqlalchemy.engine import URL, ExceptionContext, make_url
from sqlalchemy.orm import Session, sessionmaker

from gbvs.config import Settings
from gbvs.db import writelock
from gbvs.db.append_only import DECISION_LOG_CORRECTION, DECISION_LOG_MARKER
from gbvs.db.models import AUDIT_IMMUTABLE_MARKER
from gbvs.db.writeturns import WriteTurns, turns_of
from gbvs.errors import (
    AuditLogImmutableError,
    DatabaseError,
    Figure,
    Foreign,
    InputError,
    Term,
    Words,
    first_line,
    said,
)
from gbvs.filemodes import create_private_file

BUSY_TIMEOUT_MS = 5000
"""How long an ordinary SQLite write waits for another writer before "database is locked"."""
BRIEF_WAIT_MS = 200
"""How long a :func:`brief_write` waits for a lock (SQLite busy_timeout, PostgreSQL lock_timeout)."""
_PG_LOCK_NOT_AVAILABLE = "55P03"
_PG_READ_ONLY_TRANSACTION = "25006"
HANDOVER_MS = 50
"""The least a writer whose turn has come waits for SQLite's lock, however little of its own wait is left
(the writer before it may still be rolling back when it gives the turn back)."""
WAIT_MS = "gbvs_wait_ms"
"""Execution option: how long a :data:`WRITING` transaction waits for its turn and the lock, together
(default :data:`BUSY_TIMEOUT_MS`; :func:`brief_write` sets its own)."""
_TURN = "gbvs_write_turn"
"""``PoolProxiedConnection.info`` key: the :class:`~gbvs.db.writeturns.WriteTurns` whose turn the
connection's transaction holds (given back when it commits or rolls back)."""
_PROCESS_TURN = "gbvs_process_turn"
"""``PoolProxiedConnection.info`` key: the :class:`~gbvs.db.writelock.ProcessTurn` (the lock file
``<db>.writelock``) the connection's transaction holds among all processes, given back with its turn."""
WRITING = "gbvs_writing"
"""Execution option of a connection whose transactions write: on SQLite they begin ``IMMEDIATE``
(the write lock taken at the start, waiting up to busy_timeout for it). A deferred transaction that
has read cannot wait for the lock when it first writes: SQLite answers SQLITE_BUSY at once (WAL)."""


AUDIT_APART = "gbvs_audit_apart"
"""``Session.info`` key of a session :func:`session_scope` opened for reading (not ``for_writing``), its
value the engine (without :data:`READ_ONLY`) to write them on: the audit entries it records
(:func:`gbvs.db.audit.record`) are written apart, each in a short write transaction of its own
(``BEGIN IMMEDIATE`` on SQLite, waiting its turn up to busy_timeout), committed
before the service returns what was read. Why apart and not in the read's transaction: on SQLite a
deferred transaction that has read cannot wait for the write lock when it first writes (SQLITE_BUSY at
once, "database is locked"), so every audited read (a signal, a consultation's raw answers) failed
while anyone else wrote; and a read taking the write lock from its start (``for_writing``) makes every
writer wait for the whole read (a long CLI listing, a report). Never lost: if the entry cannot be
written the error propagates and the read is not answered. Once the session's own transaction has
written, or has changes waiting to be flushed (a write service in a reading session), its entries go
into that transaction, as before: a second connection would wait for this one's lock. Before an entry
is written apart the read's transaction is ended (it has nothing to write), so the session's next
statement reads after the entry, and a later write in it does not meet an outdated snapshot (SQLite
refuses that at once). The same on PostgreSQL (plain transactions there)."""
READ_ONLY = "gbvs_read_only"
"""Execution option of a connection whose transactions may not write, its value the :class:`ReadOnly`
saying who declared it so and how to fix that: each transaction begins with the database enforcing it
(SQLite ``PRAGMA query_only``, PostgreSQL ``SET TRANSACTION READ ONLY``), so a raw statement is refused
too, not only the ORM's writes (which were the only ones noticed)."""
_QUERY_ONLY = "gbvs_query_only"
"""``PoolProxiedConnection.info`` key: whether SQLite's ``query_only`` is on for that DBAPI connection."""
_WROTE = "gbvs_wrote"
"""``Session.info`` key: the session's current transaction has written (flushed or executed DML)."""


@dataclass(frozen=True)
class ReadOnly:
    """Who declared a session read-only (``the command `gbvs signals list```) and the fix for one that
    has to write (``declare it in cli/locks.py as WRITES``); each a text, or a :class:`gbvs.errors.Said`
    that the refusal says in the reader's words."""

    who: str
    fix: str


class ReadOnlySessionError(DatabaseError):
    """A session opened ``read_only`` tried to write; the database refused it and nothing was changed."""


class DatabaseBusyError(DatabaseError):
    """Another connection held a lock longer than this one waits (:data:`BUSY_TIMEOUT_MS`, or a
    :func:`brief_write`'s moment): the web answers 503 with ``Retry-After``, not 500."""


def make_engine(settings: Settings) -> Engine:
    """The engine for ``settings.resolved_database_url`` (creates the data folder for the default)."""
    if settings.database_url is None:
        settings.ensure_data_dir()
    return engine_for_url(settings.resolved_database_url)


def make_migration_engine(settings: Settings) -> Engine:
    """The engine migrations run with: ``settings.resolved_migration_database_url`` (the table owner)."""
    if settings.migration_database_url is None and settings.database_url is None:
        settings.ensure_data_dir()
    return engine_for_url(settings.resolved_migration_database_url)


def engine_for_url(url: str) -> Engine:
    """An engine for a SQLite or PostgreSQL URL with GBVS's connection rules applied."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = _sqlite_engine(url, parsed.database)
    else:
        engine = create_engine(url, pool_pre_ping=True, connect_args=_postgres_connect_args(parsed))
        event.listen(engine, "begin", _begin_postgres)
    event.listen(engine, "handle_error", _translate_error)
    return engine


CONNECT_TIMEOUT_SECONDS = 10
"""How long a connection to PostgreSQL may take before it fails (libpq waits as long as the operating system
does, minutes, for a host that does not answer: `gbvs serve` and every command hung without a word).
A ``connect_timeout`` in the database URL wins."""


def _postgres_connect_args(parsed: URL) -> dict[str, Any]:
    """The driver's connection arguments: :data:`CONNECT_TIMEOUT_SECONDS` unless the URL sets its own."""
    return {} if "connect_timeout" in parsed.query else {"connect_timeout": CONNECT_TIMEOUT_SECONDS}


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions bound to ``engine``; objects stay readable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def session_scope(
    factory: sessionmaker[Session], *, for_writing: bool = False, read_only: ReadOnly | None = None
) -> Iterator[Session]:
    """A session that commits when the block ends and rolls back if it raises.

    Services may commit inside the block (a denied attempt's audit entry is
    committed before the refusal is raised); work after that starts a new transaction.
    ``for_writing``: the block changes the database; on SQLite each of its transactions takes the
    write lock when it begins (:data:`WRITING`), so none fails half-way for another writer.
    ``read_only`` (not with ``for_writing``): the database refuses every write of the session
    (:data:`READ_ONLY`) with a :class:`ReadOnlySessionError` naming ``read_only.who`` and its fix.
    """
    if for_writing and read_only is not None:
        raise ValueError(f"a session for writing cannot be read-only ({read_only.who})")
    with _session(factory, for_writing, read_only) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def brief_write(factory: sessionmaker[Session], wait_ms: int = BRIEF_WAIT_MS) -> Iterator[Session]:
    """A session whose writes wait at most ``wait_ms`` for a lock, committed when the block ends.

    On SQLite each of its transactions waits at most ``wait_ms`` for its turn and the lock together
    (:data:`WAIT_MS`); on PostgreSQL
    ``lock_timeout`` is set in each of the block's transactions. A lock still held after the wait raises
    :class:`DatabaseBusyError` (the work is rolled back). Reads never wait: SQLite runs in WAL mode.
    """
    engine = factory.kw["bind"]
    assert isinstance(engine, Engine)
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        connection.execution_options(**{WRITING: True, WAIT_MS: int(wait_ms)})
        try:
            with factory(bind=connection) as session:
                if not sqlite:  # in every transaction of the block (a recorded refusal rolls back first)
                    statement = text(f"SET LOCAL lock_timeout = {int(wait_ms)}")
                    event.listen(session, "after_begin", lambda _s, _t, conn: conn.execute(statement))
                yield session
                session.commit()
        except (exc.OperationalError, DatabaseBusyError) as error:
            if isinstance(error, exc.OperationalError) and not _is_lock_error(error):
                raise
            cause = error.__cause__ if isinstance(error, DatabaseBusyError) else error
            reason = first_line(getattr(cause, "orig", None) or cause or error)
            raise DatabaseBusyError(
                f"the database stayed locked by another connection for {wait_ms} ms ({reason})"
            ) from error


def _session(factory: sessionmaker[Session], for_writing: bool, read_only: ReadOnly | None) -> Session:
    """A session of ``factory``, its transactions flagged :data:`WRITING` when ``for_writing``, else
    writing its audit entries apart (:data:`AUDIT_APART`), on the plain engine when ``read_only``."""
    bind = factory.kw.get("bind")
    if for_writing and isinstance(bind, Engine):
        return factory(bind=bind.execution_options(**{WRITING: True}))
    if read_only is not None and isinstance(bind, Engine):
        session = factory(bind=bind.execution_options(**{READ_ONLY: read_only}))
    else:
        session = factory()
    if isinstance(bind, Engine):
        session.info[AUDIT_APART] = bind
        event.listen(session, "after_flush", lambda flushed, _context: flushed.info.update({_WROTE: True}))
        event.listen(session, "do_orm_execute", _note_changes)
        event.listen(session, "after_transaction_end", _forget_changes)
    return session


def audit_apart_engine(session: Session) -> Engine | None:
    """The engine to write ``session``'s next audit entry apart on (:data:`AUDIT_APART`), or None: write
    it in the session's transaction (a session for writing, one whose transaction has written, or one
    not opened by :func:`session_scope`)."""
    apart = session.info.get(AUDIT_APART)
    if not isinstance(apart, Engine):
        return None
    if session.info.get(_WROTE) or session.new or session.dirty or session.deleted:
        return None
    return None if session.in_nested_transaction() else apart


def _note_changes(state: Any) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[_WROTE] = True


def _forget_changes(session: Session, transaction: Any) -> None:
    if transaction.parent is None:  # the session's own transaction ended (not a savepoint)
        session.info.pop(_WROTE, None)


def redact_url(url: str) -> str:
    """The URL with any password hidden, for messages."""
    return make_url(url).render_as_string(hide_password=True)


def _sqlite_engine(url: str, database: str | None) -> Engine:
    if database and database != ":memory:" and not database.startswith("file:"):
        folder = Path(database).expanduser().resolve().parent
        if not folder.is_dir():
            raise DatabaseError(
                f"SQLite database folder {str(folder)!r} does not exist; create it or set "
                "GBVS_DATABASE_URL to sqlite:///path/in/an/existing/folder/gbvs.sqlite3"
            )
        create_private_file(Path(database).expanduser())  # 0600; SQLite gives -wal/-shm the same mode
    engine = create_engine(url)
    in_memory = not database or database == ":memory:"
    event.listen(engine, "connect", lambda conn, _record: _configure_sqlite(conn, wal=not in_memory))
    path = None if not database or in_memory or database.startswith("file:") else Path(database)
    file = None if path is None else path.expanduser().resolve()
    turns = None if file is None else turns_of(str(file))
    event.listen(engine, "begin", lambda connection: _begin(connection, turns, file))
    event.listen(engine, "commit", _commit_then_give_back_turn)
    event.listen(engine, "rollback", _give_back_turn_of_connection)
    for ending in ("checkin", "invalidate"):  # a connection returned or dropped in its transaction
        event.listen(engine.pool, ending, _give_back_turn_of_record)
    return engine


def _begin(connection: Connection, turns: WriteTurns | None, file: Path | None) -> None:
    """Our own BEGIN (pysqlite's would not cover DDL): ``IMMEDIATE`` for a connection :data:`WRITING`,
    after its turn among the process's writers (:mod:`gbvs.db.writeturns`) and among the processes
    writing the database ``file`` (:mod:`gbvs.db.writelock`); ``query_only`` on for one
    :data:`READ_ONLY` (and off again for the next user of the connection)."""
    options = connection.get_execution_options()
    read_only = options.get(READ_ONLY) is not None
    info = connection.connection.info
    if info.get(_QUERY_ONLY, False) != read_only:  # a pragma outside the transaction, only on a change
        connection.exec_driver_sql(f"PRAGMA query_only = {int(read_only)}")
        info[_QUERY_ONLY] = read_only
    if not options.get(WRITING, False):
        connection.exec_driver_sql("BEGIN")
        return
    _begin_in_turn(connection, turns, file, int(options.get(WAIT_MS, BUSY_TIMEOUT_MS)))


def _begin_in_turn(connection: Connection, turns: WriteTurns | None, file: Path | None, wait_ms: int) -> None:
    """``BEGIN IMMEDIATE`` once the writers of this process ahead of it are done (``turns``; none for
    an in-memory database) and then those of other processes (the lock file of ``file``), waiting for
    SQLite's lock what remains of ``wait_ms``; :class:`DatabaseBusyError` if they are not done in time."""
    waited = 0.0
    info = connection.connection.info
    if turns is not None:
        ahead = turns.waiting
        taken = turns.take(wait_ms / 1000)
        if taken is None:
            raise DatabaseBusyError(
                f"the database is busy with another connection's changes (writers of this process ahead of "
                f"this one: {ahead}, not done within {wait_ms} ms); nothing was changed: "
                "try again in a moment"
            )
        waited, info[_TURN] = taken, turns
    try:
        if file is not None:
            waited += _take_process_turn(info, file, wait_ms / 1000 - waited, wait_ms)
        left = max(wait_ms - int(waited * 1000), HANDOVER_MS)
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {left}")
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        finally:
            connection.exec_driver_sql(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    except BaseException:
        _give_back_turn(info)
        raise


def _take_process_turn(info: dict[Any, Any], file: Path, wait_seconds: float, wait_ms: int) -> float:
    """Take the turn among the processes writing ``file`` (:mod:`gbvs.db.writelock`) within
    ``wait_seconds`` (what is left of the writer's ``wait_ms``), kept in the connection's ``info``: the
    seconds it waited, or :class:`DatabaseBusyError` naming the database and what to do."""
    started = time.monotonic()
    turn = writelock.take(file, wait_seconds)
    if turn is None:
        raise DatabaseBusyError(
            said(
                "the database %(database)s stayed busy with the changes of another program (such as a "
                "running import) for longer than this change waits (%(seconds)s s); nothing was changed: "
                "try again when that program has finished (its writing turn is the lock file %(lock)s)",
                database=str(file),
                seconds=Figure.of(wait_ms / 1000, 1),
                lock=str(writelock.lock_file(file)),
            )
        )
    info[_PROCESS_TURN] = turn
    return time.monotonic() - started


def _commit_then_give_back_turn(connection: Connection) -> None:
    """Commit a transaction that holds a turn ourselves, then give the turn back: the next writer finds
    the lock free (the driver's commit that follows has nothing left to do). A failed COMMIT raises here,
    translated like every statement's error, and the turn is given back all the same."""
    if connection.invalidated:  # the pool's "invalidate" gave its turn back
        return
    info = connection.connection.info
    if _TURN not in info and _PROCESS_TURN not in info:
        return
    try:
        connection.exec_driver_sql("COMMIT")
    finally:
        _give_back_turn(info)


def _give_back_turn_of_connection(connection: Connection) -> None:
    """``rollback``: the turn ends (an invalidated connection's was given back by the pool's event)."""
    if not connection.invalidated:
        _give_back_turn(connection.connection.info)


def _give_back_turn_of_record(_dbapi_connection: Any, record: Any, *_: Any) -> None:
    """Pool ``checkin``/``invalidate``: a connection returned or dropped while its turn was held."""
    if record is not None:
        _give_back_turn(record.info)


def _give_back_turn(info: dict[Any, Any]) -> None:
    """End the turn the connection of ``info`` holds, if it holds one (among the processes first)."""
    process_turn = info.pop(_PROCESS_TURN, None)
    if process_turn is not None:
        process_turn.give_back()
    turns = info.pop(_TURN, None)
    if turns is not None:
        turns.give_back()


def _begin_postgres(connection: Connection) -> None:
    """A transaction of a connection :data:`READ_ONLY` is ``READ ONLY`` (the driver has begun it when
    this first statement runs; the next transaction is read-write again)."""
    if connection.get_execution_options().get(READ_ONLY) is not None:
        connection.exec_driver_sql("SET TRANSACTION READ ONLY")


def _configure_sqlite(dbapi_connection: Any, wal: bool) -> None:
    """Foreign keys on, our own BEGIN (so DDL is transactional), WAL so readers don't block writers."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if wal:
        cursor.execute("PRAGMA journal_mode = WAL")
    cursor.close()


def _translate_error(context: ExceptionContext) -> None:
    original = context.original_exception
    if AUDIT_IMMUTABLE_MARKER in str(original):
        raise AuditLogImmutableError(
            f"{AUDIT_IMMUTABLE_MARKER}: the database refused the change ({first_line(original)}); "
            "record a new entry instead"
        ) from context.sqlalchemy_exception
    if DECISION_LOG_MARKER in str(original):
        raise InputError(
            f"the database refused the change: {first_line(original)}; {DECISION_LOG_CORRECTION}"
        ) from context.sqlalchemy_exception
    read_only = _read_only_of(context)
    if read_only is not None and _is_read_only_refusal(original):
        raise ReadOnlySessionError(
            said(
                "%(who)s is declared to only read, but tried to change the database (%(kind)s: %(reason)s); "
                "nothing was changed; %(fix)s",
                who=read_only.who,
                kind=_statement_kind(context.statement),
                reason=Foreign(first_line(original)),
                fix=read_only.fix,
            )
        ) from context.sqlalchemy_exception
    if isinstance(context.sqlalchemy_exception, exc.OperationalError) and _is_lock_error(
        context.sqlalchemy_exception
    ):
        raise DatabaseBusyError(
            f"the database is busy with another connection's changes ({first_line(original)}); nothing was "
            "changed: try again in a moment"
        ) from context.sqlalchemy_exception
    if context.connection is None and isinstance(context.sqlalchemy_exception, exc.DatabaseError):
        raise DatabaseError(_unopened(context.engine, original)) from context.sqlalchemy_exception


def _unopened(engine: Engine | None, original: BaseException) -> Words:
    """Why the database at ``engine`` cannot be opened: the driver's own words (English) quoted, after
    what to do; a SQLite file that is damaged ("file is not a database") or not readable names the file."""
    url = engine.url if engine is not None else None
    reason = Foreign(first_line(original))
    if url is not None and url.get_backend_name() == "sqlite":
        return said(
            'the database file %(path)s cannot be opened (SQLite: "%(reason)s"); check that GBVS may read '
            "and write it, and run `gbvs db check`; if the file is damaged, restore the latest backup "
            "(`gbvs db backup`, docs/operations.md)",
            path=repr(url.database or ":memory:"),
            reason=reason,
        )
    return said(
        "cannot connect to the database %(url)s: %(reason)s; check GBVS_DATABASE_URL and that the database "
        "server is running",
        url=url.render_as_string(hide_password=True) if url is not None else "?",
        reason=reason,
    )


def _read_only_of(context: ExceptionContext) -> ReadOnly | None:
    """The :class:`ReadOnly` of the connection the error happened on, if it is :data:`READ_ONLY`."""
    if context.connection is None:
        return None
    read_only = context.connection.get_execution_options().get(READ_ONLY)
    return read_only if isinstance(read_only, ReadOnly) else None


def _is_read_only_refusal(error: BaseException | None) -> bool:
    """SQLite's "attempt to write a readonly database" (query_only) or PostgreSQL's 25006."""
    if getattr(error, "sqlstate", None) == _PG_READ_ONLY_TRANSACTION:
        return True
    return "readonly database" in str(error).lower()


def _statement_kind(statement: str | None) -> str:
    """The statement's first word, for the message: ``UPDATE``."""
    words = (statement or "").split()
    return words[0].upper() if words else Term("a statement")


def _is_lock_error(error: exc.OperationalError) -> bool:
    """Whether ``error`` says a lock was not free ("database is locked" or PostgreSQL's 55P03)."""
    if getattr(error.orig, "sqlstate", None) == _PG_LOCK_NOT_AVAILABLE:
        return True
    return "locked" in str(error.orig).lower() or "busy" in str(error.orig).lower()
