"""The forecasts file (``forecasts.duckdb`` in the data folder): runs, forecasts and backtest metrics.

The analytical store is written only by ingest, so forecasts live here. Every write copies the
current file to a new one, appends, and replaces the old file with ``os.replace`` (atomic), so a
failed run never damages earlier runs, and earlier runs are kept for "change since the previous
forecast".
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from gbvs.config import Settings
from gbvs.errors import NotFoundError

FILE_NAME = "forecasts.duckdb"
SCHEMA = [
    """CREATE TABLE IF NOT EXISTS runs (
        run_id VARCHAR PRIMARY KEY, kind VARCHAR, created_at TIMESTAMP, unit VARCHAR, model VARCHAR,
        model_version VARCHAR, training_cutoff INTEGER, data_vintage VARCHAR, seed INTEGER,
        config VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS forecasts (
        run_id VARCHAR, unit_key BIGINT, origin INTEGER, target VARCHAR, horizon INTEGER,
        forecast_period INTEGER, p DOUBLE, q05 DOUBLE, q25 DOUBLE, q50 DOUBLE, q75 DOUBLE, q95 DOUBLE,
        families VARCHAR, summary VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS backtest_reports (run_id VARCHAR, report VARCHAR)""",
    # spread of the probability over the seeds of a run (added later: older files get the columns,
    # NULL for their runs, which were single-seed)
    "ALTER TABLE forecasts ADD COLUMN IF NOT EXISTS p_min DOUBLE",
    "ALTER TABLE forecasts ADD COLUMN IF NOT EXISTS p_max DOUBLE",
    "ALTER TABLE forecasts ADD COLUMN IF NOT EXISTS p_sd DOUBLE",
]


def forecasts_path(settings: Settings) -> Path:
    """Where the forecasts file lives."""
    return settings.data_dir / FILE_NAME


@contextmanager
def writing(settings: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to a fresh copy of the forecasts file that replaces the original on success."""
    target = forecasts_path(settings)
    settings.ensure_data_dir()
    temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temp.unlink(missing_ok=True)
    if target.exists():
        shutil.copyfile(target, temp)
    con = duckdb.connect(str(temp))
    try:
        for statement in SCHEMA:
            con.execute(statement)
        yield con
        con.close()
        os.replace(temp, target)
    except BaseException:
        con.close()
        temp.unlink(missing_ok=True)
        raise


def append(con: duckdb.DuckDBPyConnection, table: str, rows: pd.DataFrame) -> None:
    """Insert ``rows`` (columns named as in the table) into ``table``."""
    con.register("_rows", rows)
    columns = ", ".join(f'"{c}"' for c in rows.columns)
    con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM _rows")
    con.unregister("_rows")


def query(settings: Settings, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
    """Run a read-only query on the forecasts file; NotFoundError when no forecast was made yet."""
    path = forecasts_path(settings)
    if not path.is_file():
        raise NotFoundError(
            f"no forecasts file at {str(path)!r}; run `gbvs forecast` (or `gbvs backtest`) first"
        )
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, params or []).df()
