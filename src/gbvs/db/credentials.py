"""The web app's per-request credential check: the principal of an API token or a session cookie.

Every request of remote mode needs it, so it is kept as cheap as a database read can be: the same
statements as :func:`gbvs.db.services.principals.principal_from_token` and
:func:`gbvs.db.services.login_sessions.principal_for_session` (compiled once for the engine's
dialect), run on one dedicated connection in autocommit mode (each read is its own snapshot: no
BEGIN, no ROLLBACK, no pool checkout), without the ORM. Profiled under 50 token clients, the
pooled ORM read cost about a third of a request's CPU.

A read never waits for a write lock (SQLite in WAL mode; a PostgreSQL SELECT takes no row locks);
should SQLite still report a lock, the wait is cut short at :data:`gbvs.db.session.BRIEF_WAIT_MS` and
:class:`~gbvs.db.session.DatabaseBusyError` is raised. A broken connection (a restarted
PostgreSQL server) is replaced once per read. Thread-safe (one read at a time).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import Select

from gbvs.db.services.login_sessions import BY_USERNAME, SESSION_ENDED
from gbvs.db.services.lookup import unknown_user
from gbvs.db.services.principals import BY_TOKEN_HASH, principal_from_row, principal_from_token_row
from gbvs.db.session import BRIEF_WAIT_MS, DatabaseBusyError
from gbvs.errors import DatabaseError, PermissionDeniedError, first_line
from gbvs.security.hashing import hash_api_token
from gbvs.security.principal import Principal

_LOCK_WORDS = ("locked", "busy")


class _Statement:
    """A SELECT compiled for one dialect, with its parameters in the driver's style and its columns'
    result processing (a SQLite timestamp comes back as text: its column type makes it a UTC datetime)."""

    def __init__(self, statement: Select[*tuple[Any, ...]], engine: Engine) -> None:
        dialect = engine.dialect
        compiled = statement.compile(dialect=dialect)
        assert isinstance(compiled, SQLCompiler)
        self.sql = compiled.string
        self.positions = compiled.positiontup if compiled.positional else None
        self._processors: list[Callable[[Any], Any] | None] = [
            column.type.dialect_impl(dialect).result_processor(dialect, None)
            for column in statement.selected_columns
        ]

    def parameters(self, values: dict[str, Any]) -> Any:
        return tuple(values[name] for name in self.positions) if self.positions is not None else values

    def values(self, row: tuple[Any, ...]) -> tuple[Any, ...]:
        """The row as the ORM would read it (each column through its type)."""
        return tuple(
            value if process is None else process(value)
            for process, value in zip(self._processors, row, strict=True)
        )


class CredentialReader:
    """Reads principals for the web app on its own autocommit connection (see the module docstring)."""

    def __init__(self, engine: Engine, token_lifetime: timedelta) -> None:
        self._engine = engine
        self._token_lifetime = token_lifetime
        self._by_token = _Statement(BY_TOKEN_HASH, engine)
        self._by_username = _Statement(BY_USERNAME, engine)
        self._connection: DBAPIConnection | None = None
        self._lock = threading.Lock()

    def by_token(self, token: str) -> Principal:
        """The owner of an active, unexpired API token (PermissionDeniedError otherwise)."""
        row = self._first(self._by_token, {"token_hash": hash_api_token(token.strip())})
        return principal_from_token_row(row, self._token_lifetime)

    def by_session(self, username: str, epoch: int) -> Principal:
        """The active user of a session cookie in ``epoch`` (NotFoundError / PermissionDeniedError)."""
        row = self._first(self._by_username, {"username": username.strip().lower()})
        if row is None:
            raise unknown_user(username)
        session_epoch, active = row[5], row[6]
        if session_epoch != epoch or not active:
            raise PermissionDeniedError(SESSION_ENDED)
        return principal_from_row(row)

    def close(self) -> None:
        """Close the connection (at app shutdown; a later read opens a new one)."""
        with self._lock:
            self._drop()

    def _first(self, statement: _Statement, values: dict[str, Any]) -> tuple[Any, ...] | None:
        parameters = statement.parameters(values)
        with self._lock:
            fresh = self._connection is None
            try:
                return self._read(statement, parameters)
            except self._engine.dialect.loaded_dbapi.Error as error:
                self._refuse_if_busy(error)
                self._drop()
                if fresh:
                    raise DatabaseError(f"credentials cannot be read: {first_line(error)}") from error
            try:  # the kept connection was broken (e.g. the database server restarted): once more
                return self._read(statement, parameters)
            except self._engine.dialect.loaded_dbapi.Error as error:
                self._refuse_if_busy(error)
                self._drop()
                raise DatabaseError(f"credentials cannot be read: {first_line(error)}") from error

    def _read(self, statement: _Statement, parameters: Any) -> tuple[Any, ...] | None:
        cursor = self._open().cursor()
        try:
            cursor.execute(statement.sql, parameters)
            row = cursor.fetchone()
        finally:
            cursor.close()
        return None if row is None else statement.values(tuple(row))

    @staticmethod
    def _refuse_if_busy(error: Exception) -> None:
        if any(word in first_line(error).lower() for word in _LOCK_WORDS):
            reason = first_line(error)
            raise DatabaseBusyError(f"the database was locked for the credential read ({reason})") from error

    def _open(self) -> DBAPIConnection:
        if self._connection is None:
            fairy = self._engine.raw_connection()  # the engine's connect rules (SQLite pragmas) apply
            fairy.detach()  # ours from now on, never handed back to the pool in autocommit mode
            connection = fairy.dbapi_connection
            assert connection is not None
            if self._engine.dialect.name == "sqlite":
                connection.execute(f"PRAGMA busy_timeout = {BRIEF_WAIT_MS}")
            else:
                connection.autocommit = True
            self._connection = connection
        return self._connection

    def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(Exception):  # already broken: nothing to close
                connection.close()
