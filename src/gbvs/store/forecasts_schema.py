"""The forecasts file's schema as ordered, versioned migrations.

The file records each applied migration in ``_gbvs_schema_version``. Files written before versioning
(GBVS 0.1 up to the spread columns) have no such table and count as version 0; every migration is
written so that it also runs on them (``IF NOT EXISTS``), so an old file is upgraded in place and
keeps its rows. A file with a version above :data:`CURRENT_VERSION` was written by a newer GBVS
and is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gbvs import __version__
from gbvs.errors import SchemaTooNewError
from gbvs.store.tables import ForecastTable


@dataclass(frozen=True)
class Migration:
    """One step of the schema: its version, what it does, and its statements."""

    version: int
    description: str
    statements: tuple[str, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "runs, forecasts and backtest reports",
        (
            f"""CREATE TABLE IF NOT EXISTS {ForecastTable.runs} (
            run_id VARCHAR PRIMARY KEY, kind VARCHAR, created_at TIMESTAMP, unit VARCHAR, model VARCHAR,
            model_version VARCHAR, training_cutoff INTEGER, data_vintage VARCHAR, seed INTEGER,
            config VARCHAR)""",
            f"""CREATE TABLE IF NOT EXISTS {ForecastTable.forecasts} (
            run_id VARCHAR, unit_key BIGINT, origin INTEGER, target VARCHAR, horizon INTEGER,
            forecast_period INTEGER, p DOUBLE, q05 DOUBLE, q25 DOUBLE, q50 DOUBLE, q75 DOUBLE, q95 DOUBLE,
            families VARCHAR, summary VARCHAR)""",
            f"CREATE TABLE IF NOT EXISTS {ForecastTable.backtest_reports} (run_id VARCHAR, report VARCHAR)",
        ),
    ),
    Migration(
        2,
        "spread of the probability over the seeds of a run (NULL for older, single-seed runs)",
        tuple(
            f"ALTER TABLE {ForecastTable.forecasts} ADD COLUMN IF NOT EXISTS {column} DOUBLE"
            for column in ("p_min", "p_max", "p_sd")
        ),
    ),
)
CURRENT_VERSION = MIGRATIONS[-1].version
VERSION_DDL = (
    f"CREATE TABLE IF NOT EXISTS {ForecastTable.schema_version} "
    "(version INTEGER PRIMARY KEY, description VARCHAR, applied_at TIMESTAMP DEFAULT current_timestamp)"
)


def schema_version(con: Any) -> int:
    """The schema version of the open file (0 for an empty file or one written before versioning)."""
    found = con.execute(
        "SELECT 1 FROM duckdb_tables() WHERE table_name = ?", [str(ForecastTable.schema_version)]
    ).fetchall()
    if not found:
        return 0
    row = con.execute(f"SELECT max(version) FROM {ForecastTable.schema_version}").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def check_supported(version: int, path: Path) -> None:
    """Refuse a file written by a newer GBVS (SchemaTooNewError with what to do)."""
    if version > CURRENT_VERSION:
        raise SchemaTooNewError(
            f"the forecasts file {str(path)!r} has schema version {version}, but this GBVS ({__version__}) "
            f"supports up to version {CURRENT_VERSION}; upgrade GBVS to read it, or move the file aside "
            "(then `gbvs forecast` starts a new one)"
        )


def migrate(con: Any, path: Path) -> int:
    """Apply the pending migrations to the open (writable) file, in order; returns the new version."""
    version = schema_version(con)
    check_supported(version, path)
    con.execute(VERSION_DDL)
    for migration in MIGRATIONS:
        if migration.version > version:
            for statement in migration.statements:
                con.execute(statement)
            con.execute(
                f"INSERT INTO {ForecastTable.schema_version} (version, description) VALUES (?, ?)",
                [migration.version, migration.description],
            )
    return CURRENT_VERSION
