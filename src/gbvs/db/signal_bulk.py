"""Index many new signals for search in one statement instead of one trigger run each (migration 0024).

Inside :func:`search_index_deferred` the trigger on a new signal leaves its index rows unwritten (the
table ``signal_search_deferral`` holds a row, seen by this transaction only); on leaving it, the
signals whose ids were collected are indexed at once, exactly as the triggers would have indexed them
(on SQLite through 0022's view ``signal_search_audience``, on PostgreSQL by 0023's words in
``signal_search_fill``), and the row is removed, in the same transaction: an import that fails leaves
neither signals nor index rows once it is rolled back. Changes to signals and recipients meanwhile are
indexed by their triggers as ever.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from gbvs.db.signal_search import ROW_SPAN

DEFER = text("INSERT INTO signal_search_deferral (since) VALUES (:since)")
RESUME = text("DELETE FROM signal_search_deferral")
_SQLITE_IDS = "(SELECT value FROM json_each(:ids))"
SQLITE_FILL = (
    text(f"DELETE FROM signal_search_row WHERE signal_id IN {_SQLITE_IDS}"),
    text(
        "INSERT INTO signal_search_row(id, signal_id, title, description) "
        f"SELECT audience.key * {ROW_SPAN} + signal.id, signal.id, signal.title, signal.description "
        "FROM signal_search_audience AS audience JOIN signal ON signal.id = audience.signal_id "
        f"WHERE audience.signal_id IN {_SQLITE_IDS} ORDER BY 1"
    ),
)
POSTGRESQL_FILL = (text("SELECT signal_search_fill(CAST(:ids AS INTEGER[]))"),)


def index_signals(session: Session, ids: Sequence[int]) -> None:
    """Write the search index rows of the signals ``ids`` anew, in one statement per table."""
    if not ids:
        return
    sqlite = session.get_bind().dialect.name == "sqlite"
    wanted: object = json.dumps(list(ids)) if sqlite else list(ids)
    for statement in SQLITE_FILL if sqlite else POSTGRESQL_FILL:
        session.execute(statement, {"ids": wanted})


@contextmanager
def search_index_deferred(session: Session) -> Iterator[list[int]]:
    """New signals are left out of the search index until the block ends; append their ids to the list
    given, and they are indexed then in one go. On an error nothing is indexed: roll the transaction back."""
    session.execute(DEFER, {"since": datetime.now(UTC)})
    ids: list[int] = []
    try:
        yield ids
    except BaseException:
        with suppress(SQLAlchemyError):  # a failed statement already ended the transaction on PostgreSQL
            session.execute(RESUME)
        raise
    index_signals(session, ids)
    session.execute(RESUME)
