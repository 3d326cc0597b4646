"""Every derived table builds on PySpark and gives the same frame as on DuckDB (same Ibis code).

Raw tables go to both backends as the same pyarrow tables (pandas NaN would become Spark NaN, not
NULL). Frames are compared after sorting by key: ints and strings exactly, floats to ``rtol=1e-9``,
nulls equal.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import ibis
import pandas as pd
import pyarrow as pa
import pytest

from gbvs.panels.registry import DERIVED_TABLES

pytestmark = pytest.mark.spark

HERE = Path(__file__).resolve().parent
SPARK_CHILD = HERE / "spark_child.py"
SPARK_TIMEOUT_S = 300  # a run takes under a minute (most of it JVM start-up)
KEYS: dict[str, list[str]] = {
    "epr_country_year": ["gwcode", "year"],
    "panel_country_year": ["gwcode", "year"],
    "panel_country_month": ["gwcode", "month_id"],
    "panel_priogrid_month": ["priogrid_gid", "month_id"],
    "panel_country_year_wide": ["gwcode", "year"],  # issue 11 (optional inputs: V-Dem v14, covariates)
    "panel_displacement": ["gwcode", "year"],  # issue 17 (optional input: UNHCR)
}
YEARS = list(range(2000, 2009))


def _load_by_path(name: str, path: Path) -> Any:
    """A helper module of the tests, loaded by path as pytest loads conftest files."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        sys.modules[name] = module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return sys.modules[name]


def _panel_conftest() -> Any:
    """``tests/panels/conftest.py`` (for ``driver_sources``)."""
    return _load_by_path("gbvs_panel_test_conftest", HERE.parent / "panels" / "conftest.py")


def build_all(con: Any, tables: dict[str, pa.Table], materialise: Any) -> dict[str, pd.DataFrame]:
    """The Spark side's own builder (``spark_child.build_all``), so both sides build the same way."""
    child = _load_by_path("gbvs_spark_child", SPARK_CHILD)
    result: dict[str, pd.DataFrame] = child.build_all(con, tables, materialise)
    return result


def ged_events() -> pd.DataFrame:
    """GED-shaped events: single-day, multi-month, across a year end, every type of violence."""
    rows = [
        (652, 100, 1, date(2016, 1, 31), date(2016, 3, 2), 30),
        (652, 100, 2, date(2016, 2, 5), date(2016, 2, 5), 4),
        (652, 101, 3, date(2015, 12, 20), date(2016, 1, 10), 7),
        (645, 200, 1, date(2016, 6, 1), date(2016, 6, 1), 0),
        (645, 201, 1, date(2014, 11, 1), date(2015, 2, 28), 10),
        (2, 300, 2, date(2016, 6, 30), date(2016, 6, 30), 1),
    ]
    frame = pd.DataFrame(
        rows, columns=["country_id", "priogrid_gid", "type_of_violence", "date_start", "date_end", "best"]
    )
    frame["date_start"] = pd.to_datetime(frame["date_start"])
    frame["date_end"] = pd.to_datetime(frame["date_end"])
    return frame


def small_tables() -> dict[str, pa.Table]:
    """Tiny raw tables for every derived table (no ``ucdp_acd_locations``: codes are split)."""
    acd = pd.DataFrame(
        [(1, 2001, "645, 652", 1), (2, 2002, "652", 2), (3, 2006, "652", 1), (3, 2008, "652", 1)],
        columns=["conflict_id", "year", "gwno_loc", "intensity_level"],
    )
    frames = {
        "gw_states": pd.DataFrame(
            [(g, y) for g in (2, 645, 652) for y in YEARS] + [(345, 2000), (345, 2001)],
            columns=["gwcode", "year"],
        ),
        "ucdp_acd": acd,
        "ucdp_brd": pd.DataFrame(
            {
                "year": ["2001", "2008"],
                "gwno_loc": ["645, 652", "652"],
                "bd_best": ["100", "30"],
                "bd_low": ["80", "25"],
                "bd_high": ["120", ""],
            }
        ),
        "ucdp_nonstate": pd.DataFrame(
            {"conflict_id": [9, 9], "year": [2003, 2004], "gwno_location": ["645", "645, 652"]}
        ),
        "ucdp_ged": ged_events(),
        **_panel_conftest().driver_sources([2, 652], YEARS),
    }
    return {name: pa.Table.from_pandas(frame, preserve_index=False) for name, frame in frames.items()}


def store_tables(store: Path) -> dict[str, pa.Table]:
    """The raw tables the derived tables read, from an ingested store."""
    con = ibis.duckdb.connect(str(store), read_only=True)
    derived = {d.name for d in DERIVED_TABLES}
    needed = {name for d in DERIVED_TABLES for name in d.depends_on} - derived | {"ucdp_acd_locations"}
    try:
        return {name: con.table(name).to_pyarrow() for name in sorted(needed) if name in con.list_tables()}
    finally:
        con.disconnect()


def on_duckdb(tables: dict[str, pa.Table]) -> dict[str, pd.DataFrame]:
    con = ibis.duckdb.connect()
    try:
        for name, arrow in tables.items():
            con.create_table(name, arrow)
        return build_all(con, tables, lambda c, name, expr: c.create_table(name, expr))
    finally:
        con.disconnect()


def on_spark(tables: dict[str, pa.Table], scratch: Path) -> dict[str, pd.DataFrame]:
    """Every derived table built on PySpark by ``spark_child.py`` in its own process group.

    A run that has not finished after ``SPARK_TIMEOUT_S`` is killed with its JVM and tried once more
    (a py4j socket hang, see ``spark_child.py``); a second hang fails with both runs' stacks. A run that
    ends with an error fails at once: only a hang is tried again."""
    in_dir = scratch / "in"
    in_dir.mkdir(parents=True)
    for name, arrow in tables.items():
        with pa.OSFile(str(in_dir / f"{name}.arrow"), "wb") as sink, pa.ipc.new_file(sink, arrow.schema) as w:
            w.write_table(arrow)
    hangs: list[str] = []
    for attempt in (1, 2):
        out_dir = scratch / f"out-{attempt}"
        finished, output = _run_child(in_dir, out_dir)
        if finished:
            return {path.stem: pd.read_pickle(path) for path in sorted(out_dir.glob("*.pkl"))}
        hangs.append(f"--- run {attempt}, killed after {SPARK_TIMEOUT_S} s ---\n{output}")
    pytest.fail("the Spark side hung twice; its stacks:\n" + "\n".join(hangs))


def _run_child(in_dir: Path, out_dir: Path) -> tuple[bool, str]:
    """(True, output) when the child finished; (False, its stacks) when it hung and was killed.

    A child that fails fails the test here, with its output."""
    command = [
        sys.executable,
        str(SPARK_CHILD),
        str(in_dir),
        str(out_dir),
        str(max(SPARK_TIMEOUT_S - 10, SPARK_TIMEOUT_S / 2)),
    ]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
    ) as child:
        try:
            output, _ = child.communicate(timeout=SPARK_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)  # the child leads its group: the JVM goes too
            output, _ = child.communicate()
            return False, output
    if child.returncode != 0:
        pytest.fail(f"the Spark side failed (exit {child.returncode}):\n{output}")
    return True, output


def assert_same(name: str, duck: pd.DataFrame, spark: pd.DataFrame) -> None:
    """Same columns, dtypes and rows (sorted by key); floats to rtol 1e-9, nulls equal."""
    assert list(spark.columns) == list(duck.columns), name
    keys = KEYS[name]
    duck = duck.sort_values(keys).reset_index(drop=True)
    spark = spark.sort_values(keys).reset_index(drop=True)
    assert len(duck) > 0, f"{name}: empty on DuckDB, the comparison would prove nothing"
    for column in duck.columns:
        is_float = pd.api.types.is_float_dtype(duck[column])
        pd.testing.assert_series_equal(
            spark[column],
            duck[column],
            check_exact=not is_float,
            rtol=1e-9,
            obj=f"{name}.{column} (Spark vs DuckDB)",
        )


def test_every_derived_table_has_a_key() -> None:
    assert set(KEYS) == {d.name for d in DERIVED_TABLES}


def test_small_tables_same_on_spark_and_duckdb(spark_available: None, tmp_path: Path) -> None:
    tables = small_tables()
    duck, spark = on_duckdb(tables), on_spark(tables, tmp_path)
    assert set(duck) == set(spark) >= {"panel_country_year", "panel_country_month", "panel_priogrid_month"}
    for name in duck:
        assert_same(name, duck[name], spark[name])
    # the split-codes path (no ucdp_acd_locations) really ran: Iraq and Syria both in conflict in 2001
    cy = duck["panel_country_year"].set_index(["gwcode", "year"])
    assert cy.loc[(645, 2001), "conflict"] == 1 and cy.loc[(652, 2001), "conflict"] == 1


@pytest.mark.integration
def test_mirror_store_same_on_spark_and_duckdb(
    spark_available: None, ingested_store: Any, tmp_path: Path
) -> None:
    tables = store_tables(ingested_store.path)
    duck, spark = on_duckdb(tables), on_spark(tables, tmp_path)
    assert set(duck) == set(spark) == set(KEYS)  # the mirror has every optional input
    for name in KEYS:
        assert_same(name, duck[name], spark[name])
    assert duck["panel_country_month"]["ged_best"].sum() == pytest.approx(
        tables["ucdp_ged"].column("best").to_pandas().astype(float).sum()
    )
