"""The forecasts file (``forecasts.duckdb`` in the data folder): runs, forecasts and backtest reports.

The analytical store is written only by ingest, so forecasts live here. Every write copies the
current file to a new one, migrates it to the current schema (:mod:`gbvs.store.forecasts_schema`),
appends, and replaces the old file with ``os.replace`` (atomic), so a failed run never damages
earlier runs, and earlier runs are kept for "change since the previous forecast" and for a
country's forecast history. A backtest run keeps its main model's out-of-sample forecasts in the
same table (``origin`` is the last year of data each was made with), so the history has a track
record before any live forecast can be scored. Opening an older file for reading upgrades it the
same way first; a newer one is refused.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import astuple, dataclass, fields
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb
import pandas as pd

from gbvs.config import Settings
from gbvs.errors import Foreign, NoForecastRunError, StoreError, first_line, said
from gbvs.store.forecasts_schema import CURRENT_VERSION, check_supported, migrate, schema_version
from gbvs.store.tables import ForecastTable

FILE_NAME = "forecasts.duckdb"
FORECAST_COLUMNS = (
    "run_id", "unit_key", "origin", "target", "horizon", "forecast_period", "p",
    "q05", "q25", "q50", "q75", "q95", "families", "summary", "p_min", "p_max", "p_sd",
)  # fmt: skip
"""Columns of :meth:`ForecastsReader.forecast_rows` (the typed frame of one run's forecasts)."""


@dataclass(frozen=True)
class StoredRun:
    """One stored run (a live forecast or a backtest) with its provenance."""

    run_id: str
    kind: str
    created_at: datetime
    unit: str
    model: str
    model_version: str
    training_cutoff: int | None
    data_vintage: str
    seed: int | None
    config: str


def forecasts_path(settings: Settings) -> Path:
    """Where the forecasts file lives."""
    return settings.data_dir / FILE_NAME


class ForecastsWriter:
    """Appends to a fresh copy of the forecasts file (see :func:`writing_forecasts`)."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._con = con

    def add_run(self, run: StoredRun) -> None:
        """Record a run."""
        names = ", ".join(f.name for f in fields(StoredRun))
        marks = ", ".join("?" for _ in fields(StoredRun))
        self._con.execute(f"INSERT INTO {ForecastTable.runs} ({names}) VALUES ({marks})", list(astuple(run)))

    def add_forecasts(self, run_id: str, rows: pd.DataFrame) -> None:
        """Insert a run's forecasts (columns named as in :data:`FORECAST_COLUMNS`, ``run_id`` added)."""
        self._append(ForecastTable.forecasts, rows.assign(run_id=run_id))

    def add_backtest_report(self, run_id: str, report: str) -> None:
        """Store a backtest report (its JSON text)."""
        self._con.execute(f"INSERT INTO {ForecastTable.backtest_reports} VALUES (?, ?)", [run_id, report])

    def _append(self, table: ForecastTable, rows: pd.DataFrame) -> None:
        self._con.register("_rows", rows)
        columns = ", ".join(f'"{c}"' for c in rows.columns)
        self._con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM _rows")
        self._con.unregister("_rows")


@contextmanager
def writing_forecasts(path: Path) -> Iterator[ForecastsWriter]:
    """A writer on a migrated copy of the forecasts file that replaces the original on success."""
    with _replacing(path) as con:
        yield ForecastsWriter(con)


@contextmanager
def _replacing(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temp.unlink(missing_ok=True)
    if path.exists():
        shutil.copyfile(path, temp)
    con = duckdb.connect(str(temp))
    try:
        migrate(con, path)
        yield con
        con.close()
        os.replace(temp, path)
    except BaseException:
        con.close()
        temp.unlink(missing_ok=True)
        raise


class ForecastsReader:
    """The forecasts file opened read-only (upgraded first when older); a context manager."""

    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise NoForecastRunError(
                said(
                    "no forecasts file at %(path)s; run `gbvs forecast` (or `gbvs backtest`) first",
                    path=repr(str(path)),
                )
            )
        self.path = path
        self._con = _connect_read_only(path)
        version = schema_version(self._con)
        check_supported(version, path)
        if version < CURRENT_VERSION:
            self._con.close()
            with _replacing(path):
                pass
            self._con = _connect_read_only(path)

    def __enter__(self) -> ForecastsReader:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection."""
        self._con.close()

    def runs(self, kind: str, unit: str) -> list[StoredRun]:
        """Runs of ``kind`` (forecast or backtest) for ``unit``, newest first."""
        names = ", ".join(f.name for f in fields(StoredRun))
        rows = self._con.execute(
            f"SELECT {names} FROM {ForecastTable.runs} WHERE kind = ? AND unit = ? "
            "ORDER BY created_at DESC, run_id DESC",
            [kind, unit],
        ).fetchall()
        return [StoredRun(*row) for row in rows]

    def forecast_rows(self, run_id: str) -> pd.DataFrame:
        """The forecasts of run ``run_id`` (columns :data:`FORECAST_COLUMNS`), by target, horizon, unit."""
        return self._frame(
            f"SELECT * FROM {ForecastTable.forecasts} WHERE run_id = ? ORDER BY target, horizon, unit_key",
            [run_id],
        )

    def run_targets(self, run_ids: list[str]) -> dict[str, frozenset[str]]:
        """The targets each of runs ``run_ids`` forecasts (a run of one target: ``gbvs forecast -t war``)."""
        if not run_ids:
            return {}
        marks = ", ".join("?" for _ in run_ids)
        rows = self._con.execute(
            f"SELECT DISTINCT run_id, target FROM {ForecastTable.forecasts} WHERE run_id IN ({marks})",
            run_ids,
        ).fetchall()
        found: dict[str, set[str]] = {}
        for run_id, target in rows:
            found.setdefault(str(run_id), set()).add(str(target))
        return {run_id: frozenset(targets) for run_id, targets in found.items()}

    def unit_rows(self, unit_key: int, run_ids: list[str]) -> pd.DataFrame:
        """Every forecast of runs ``run_ids`` for one unit (columns :data:`FORECAST_COLUMNS`), by run,
        target, horizon and origin; the history of one country's forecasts."""
        if not run_ids:
            return self._frame(f"SELECT * FROM {ForecastTable.forecasts} WHERE false", [])
        marks = ", ".join("?" for _ in run_ids)
        return self._frame(
            f"SELECT * FROM {ForecastTable.forecasts} WHERE unit_key = ? AND run_id IN ({marks}) "
            "ORDER BY run_id, target, horizon, origin",
            [unit_key, *run_ids],
        )

    def backtest_report(self, run_id: str) -> str:
        """The JSON text of the backtest report of run ``run_id``."""
        row = self._con.execute(
            f"SELECT report FROM {ForecastTable.backtest_reports} WHERE run_id = ?", [run_id]
        ).fetchone()
        if row is None:
            raise NoForecastRunError(
                said("backtest run %(run)s has no stored report; run `gbvs backtest`", run=repr(run_id))
            )
        return str(row[0])

    def _frame(self, sql: str, params: list[Any]) -> pd.DataFrame:
        return self._con.execute(sql, params).df()


def _connect_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:  # not a DuckDB file, or damaged
        raise StoreError(
            said(
                'the forecasts file %(path)s cannot be opened (DuckDB: "%(reason)s"); restore it from a '
                "backup (docs/operations.md), or move it aside and run `gbvs forecast` to start a new one "
                "(without the earlier runs: no change since the previous forecast, no forecast history)",
                path=repr(str(path)),
                reason=Foreign(first_line(exc)),
            )
        ) from exc


def open_forecasts(path: Path) -> ForecastsReader:
    """Open the forecasts file at ``path`` for reading (NoForecastRunError when there is none)."""
    return ForecastsReader(path)
