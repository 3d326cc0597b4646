"""Fixtures for panel tests: tiny raw tables in an in-memory DuckDB, and the ingested mirror store."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import ibis
import pandas as pd
import pytest

from gbvs.drivers.mapping import indicators_from

MakeTables = Callable[..., Any]
HERE = Path(__file__).resolve().parent


@pytest.fixture
def con() -> Iterator[Any]:
    """A fresh in-memory DuckDB backend."""
    backend = ibis.duckdb.connect()
    yield backend
    backend.disconnect()


def driver_sources(gwcodes: list[int], years: list[int]) -> dict[str, pd.DataFrame]:
    """Minimal V-Dem, Polity5, Gapminder, country_codes and EPR tables with every mapped column."""
    rows = [(g, y) for g in gwcodes for y in years]
    vdem = pd.DataFrame(rows, columns=["gwcode", "year"])
    for item in indicators_from("vdem"):
        vdem[item.source_column] = 0.5
    polity = pd.DataFrame(rows, columns=["ccode", "year"])
    for item in indicators_from("polity5"):
        polity[item.source_column] = 1.0
    gapminder = pd.DataFrame({"geo": ["syr"], "time": [years[0]]})
    for item in indicators_from("gapminder"):
        gapminder[item.source_column] = 7.0
    codes = pd.DataFrame({"iso3": ["SYR", "USA"], "gwcode": ["652", "2"]})
    epr = pd.DataFrame(
        {
            "gwid": [652, 652],
            "statename": ["Syria", "Syria"],
            "from": [years[0], years[0]],
            "to": [years[-1], years[-1]],
            "group": ["A", "B"],
            "groupid": [1, 2],
            "gwgroupid": [65201, 65202],
            "umbrella": ["", ""],
            "size": [0.7, 0.3],
            "status": ["DOMINANT", "DISCRIMINATED"],
            "reg_aut": [None, "false"],
        }
    )
    return {"vdem": vdem, "polity5": polity, "gapminder": gapminder, "country_codes": codes, "epr": epr}


@pytest.fixture
def driver_tables() -> Callable[[list[int], list[int]], dict[str, pd.DataFrame]]:
    """``driver_sources`` as a fixture (test modules cannot import this conftest)."""
    return driver_sources


@pytest.fixture
def make_tables(con: Any) -> MakeTables:
    """Create the given raw tables (name -> DataFrame) in ``con`` and return ``con``."""

    def _make(**tables: pd.DataFrame) -> Any:
        for name, frame in tables.items():
            con.create_table(name, frame, overwrite=True)
        return con

    return _make


@pytest.fixture(scope="session")
def panel_store_path(ingested_store: Any) -> Path:
    """The store built by ``gbvs ingest`` from the real mirror (raw tables and panels)."""
    path: Path = ingested_store.path
    return path


@pytest.fixture(scope="session")
def panel_store(panel_store_path: Path) -> Iterator[Any]:
    """Read-only Ibis connection to ``panel_store_path``."""
    backend = ibis.duckdb.connect(str(panel_store_path), read_only=True)
    yield backend
    backend.disconnect()
