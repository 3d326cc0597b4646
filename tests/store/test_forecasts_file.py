"""The forecasts file: versioned migrations upgrade files written by earlier GBVS, refuse newer ones."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from gbvs.errors import NoForecastRunError, SchemaTooNewError, StoreError
from gbvs.store.forecasts import StoredRun, open_forecasts, writing_forecasts
from gbvs.store.forecasts_schema import CURRENT_VERSION, MIGRATIONS

# The forecasts file's DDL as GBVS 0.1 wrote it (``forecasting/storage.py`` before the store owned
# the file), copied verbatim: no version table, the spread columns added by ALTER statements.
GBVS_0_1_SCHEMA = [
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
FIRST_RELEASE = GBVS_0_1_SCHEMA[:3]  # before the spread columns
RUN = (
    "forecast-old",
    "forecast",
    datetime(2026, 1, 1, 9, 30, 0, 123456),
    "country-year",
    "lgbm",
    "gbvs-0.1.0/lgbm-calibrated-v2",
    2023,
    "ucdp_acd=25.1@2023",
    0,
    '{"targets": ["incidence"], "seeds": [0, 1, 2]}',
)
FAMILIES = '{"conflict_history": 1.8}'
FORECASTS = [
    (
        "forecast-old",
        652,
        2023,
        "incidence",
        1,
        2024,
        0.92,
        None,
        None,
        None,
        None,
        None,
        FAMILIES,
        "risk up",
    ),
    ("forecast-old", 432, 2023, "incidence", 2, 2025, 0.35, None, None, None, None, None, FAMILIES, "risk"),
    ("forecast-old", 652, 2023, "battle_deaths", 1, 2024, None, 10.0, 100.0, 500.0, 900.0, 4000.0, "{}", ""),
]
SPREAD = [(0.90, 0.95, 0.02), (0.30, 0.41, 0.04), (None, None, None)]
REPORT = ("backtest-old", '{"title": "GBVS backtest (country-year)", "goals": []}')


def _old_file(path: Path, schema: list[str], with_spread: bool) -> None:
    with duckdb.connect(str(path)) as con:
        for statement in schema:
            con.execute(statement)
        con.execute("INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", list(RUN))
        for row, spread in zip(FORECASTS, SPREAD, strict=True):
            values = [*row, *spread] if with_spread else list(row)
            marks = ", ".join("?" for _ in values)
            con.execute(f"INSERT INTO forecasts VALUES ({marks})", values)
        con.execute("INSERT INTO backtest_reports VALUES (?, ?)", list(REPORT))


def _dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with duckdb.connect(str(path), read_only=True) as con:
        return {
            "runs": con.execute("SELECT * FROM runs ORDER BY run_id").fetchall(),
            "forecasts": con.execute(
                "SELECT * EXCLUDE (p_min, p_max, p_sd) FROM forecasts ORDER BY target, horizon, unit_key"
            ).fetchall(),
            "spread": con.execute(
                "SELECT p_min, p_max, p_sd FROM forecasts ORDER BY target, horizon, unit_key"
            ).fetchall(),
            "reports": con.execute("SELECT * FROM backtest_reports").fetchall(),
        }


def _version(path: Path) -> int:
    with duckdb.connect(str(path), read_only=True) as con:
        row = con.execute("SELECT max(version) FROM _gbvs_schema_version").fetchone()
    assert row is not None
    return int(row[0])


def test_migrations_are_numbered_in_order() -> None:
    assert [m.version for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))
    assert MIGRATIONS[-1].version == CURRENT_VERSION


def test_a_file_written_by_gbvs_0_1_is_upgraded_and_its_rows_read_back_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "forecasts.duckdb"
    _old_file(path, GBVS_0_1_SCHEMA, with_spread=True)
    before = _dump(path)
    with open_forecasts(path) as forecasts:
        runs = forecasts.runs("forecast", "country-year")
        rows = forecasts.forecast_rows("forecast-old")
        report = forecasts.backtest_report("backtest-old")
    assert _version(path) == CURRENT_VERSION
    assert _dump(path) == before
    assert runs == [StoredRun(*RUN)]
    assert report == REPORT[1]
    by_key = {(r.target, r.horizon, r.unit_key): r for r in rows.itertuples()}
    assert by_key[("incidence", 1, 652)].p == 0.92 and by_key[("incidence", 1, 652)].p_max == 0.95
    assert pd.isna(by_key[("battle_deaths", 1, 652)].p) and by_key[("battle_deaths", 1, 652)].q95 == 4000.0


def test_a_first_release_file_gets_the_spread_columns_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "forecasts.duckdb"
    _old_file(path, FIRST_RELEASE, with_spread=False)
    with duckdb.connect(str(path), read_only=True) as con:
        old_rows = con.execute("SELECT * FROM forecasts ORDER BY target, horizon, unit_key").fetchall()
    with writing_forecasts(path) as forecasts:  # a new run is appended to the upgraded file
        forecasts.add_run(StoredRun(*("forecast-new", *RUN[1:])))
    after = _dump(path)
    assert after["forecasts"] == old_rows
    assert after["spread"] == [(None, None, None)] * len(FORECASTS)
    assert [r[0] for r in after["runs"]] == ["forecast-new", "forecast-old"]
    assert _version(path) == CURRENT_VERSION


def test_migrations_run_once(tmp_path: Path) -> None:
    path = tmp_path / "forecasts.duckdb"
    for _ in range(3):
        with writing_forecasts(path):
            pass
    with duckdb.connect(str(path), read_only=True) as con:
        versions = con.execute("SELECT version FROM _gbvs_schema_version ORDER BY version").fetchall()
    assert versions == [(m.version,) for m in MIGRATIONS]


def test_a_file_from_a_newer_gbvs_is_refused_and_left_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "forecasts.duckdb"
    with writing_forecasts(path) as forecasts:
        forecasts.add_run(StoredRun(*RUN))
    newer = CURRENT_VERSION + 1
    with duckdb.connect(str(path)) as con:
        con.execute("INSERT INTO _gbvs_schema_version (version, description) VALUES (?, 'future')", [newer])
    content = path.read_bytes()
    expected = (
        rf"schema version {newer}, but this GBVS .* supports up to version {CURRENT_VERSION}; upgrade GBVS"
    )
    with pytest.raises(SchemaTooNewError, match=expected):
        open_forecasts(path)
    with pytest.raises(SchemaTooNewError, match=expected), writing_forecasts(path) as forecasts:
        forecasts.add_run(StoredRun(*("forecast-new", *RUN[1:])))
    assert path.read_bytes() == content
    assert not list(tmp_path.glob(".forecasts.duckdb.*"))


def test_no_file_is_the_typed_no_run_error(tmp_path: Path) -> None:
    with pytest.raises(NoForecastRunError, match="run `gbvs forecast`"):
        open_forecasts(tmp_path / "forecasts.duckdb")


def test_a_file_that_is_not_a_forecasts_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "forecasts.duckdb"
    path.write_text("not a database")
    with pytest.raises(
        StoreError,
        match=r"cannot be opened .* restore it from a backup \(docs/operations\.md\).* move it aside",
    ):
        open_forecasts(path)
