"""DuckDB 2 / Ibis 12 compatibility.

Ibis 12's DuckDB backend calls ``DuckDBPyConnection.fetch_arrow_table()`` and
``fetch_record_batch()``, which DuckDB 2.0 renamed to ``to_arrow_table()`` and
``to_arrow_reader()`` (and which warn that Arrow output on a DB-API result copies the rows).
Until Ibis catches up, alias the old names (once, only if missing), without that warning.
Every path into the store goes through :mod:`gbvs.store`, which applies this on import.
"""

from __future__ import annotations

import warnings
from typing import Any

import duckdb

COPY_WARNING = "Arrow output on a DB-API result"


def _fetch_arrow_table(self: Any) -> Any:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=COPY_WARNING, category=UserWarning)
        return self.to_arrow_table()


def _fetch_record_batch(self: Any, rows_per_batch: int = 1_000_000) -> Any:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=COPY_WARNING, category=UserWarning)
        return self.to_arrow_reader(rows_per_batch)


def apply() -> None:
    """Alias the pre-2.0 result methods on ``DuckDBPyConnection`` if this DuckDB lacks them."""
    connection = duckdb.DuckDBPyConnection
    if not hasattr(connection, "fetch_arrow_table") and hasattr(connection, "to_arrow_table"):
        setattr(connection, "fetch_arrow_table", _fetch_arrow_table)  # noqa: B010
    if not hasattr(connection, "fetch_record_batch") and hasattr(connection, "to_arrow_reader"):
        setattr(connection, "fetch_record_batch", _fetch_record_batch)  # noqa: B010
