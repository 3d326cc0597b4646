"""Fixtures for the forecasting tests: small generated panels with the store's column contract."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from gbvs.config import Settings
from gbvs.forecasting.domain import DEMSPACES_INDICES, UNIT_SPECS, Unit
from gbvs.forecasting.report import ReportInput
from gbvs.forecasting.uncertainty import Interval, LeftOut

CUTPOINTS = {index: 0.05 for index in DEMSPACES_INDICES}


def generated_country_year(
    n_units: int = 24, first: int = 1985, last: int = 2020, seed: int = 7
) -> pd.DataFrame:
    """Country-years: conflict is a Markov chain whose onset risk rises with a driver indicator."""
    rng = np.random.default_rng(seed)
    rows = []
    for unit in range(n_units):
        gwcode = 100 + unit
        risk = rng.normal()
        conflict = 0
        spaces = rng.uniform(0.2, 0.8, len(DEMSPACES_INDICES))
        for year in range(first, last + 1):
            driver = risk + rng.normal(scale=0.3)
            p = 0.85 if conflict else 1 / (1 + np.exp(-(driver * 1.5 - 3)))
            conflict = int(rng.random() < p)
            deaths = float(rng.gamma(1.5, 400)) if conflict else 0.0
            spaces = np.clip(spaces + rng.normal(scale=0.03, size=len(spaces)) - 0.02 * conflict, 0, 1)
            row = {"gwcode": gwcode, "year": year, "conflict": conflict, "war": int(deaths >= 1000)}
            row |= {
                "n_conflicts": conflict,
                "brd_best": deaths if year >= 1989 else np.nan,
                "gm_driver_x": driver,
            }
            row |= {f"vdem_{index}": float(v) for index, v in zip(DEMSPACES_INDICES, spaces, strict=True)}
            rows.append(row)
    panel = pd.DataFrame(rows)
    panel.loc[rng.random(len(panel)) < 0.1, "gm_driver_x"] = np.nan
    return panel


def generated_grid_month(n_side: int = 5, months: int = 48, seed: int = 3) -> pd.DataFrame:
    """PRIO-GRID cell-months with spatially clustered state-based deaths (GED-style columns)."""
    rng = np.random.default_rng(seed)
    rows = []
    for r in range(n_side):
        for c in range(n_side):
            gid = (200 + r) * 720 + 300 + c + 1
            hot = rng.random() < 0.4
            level = 0.0
            for month_id in range(400, 400 + months):
                level = 0.7 * level + (rng.gamma(1.0, 3.0) if hot and rng.random() < 0.5 else 0.0)
                rows.append(
                    {"priogrid_gid": gid, "month_id": month_id, "ged_sb_best": float(np.floor(level))}
                )
    return pd.DataFrame(rows)


@pytest.fixture
def country_year_panel() -> pd.DataFrame:
    """A prepared generated country-year panel (canonical V-Dem names, ``period``)."""
    from gbvs.forecasting.data import prepare_panel

    return prepare_panel(generated_country_year(), UNIT_SPECS[Unit.country_year])


@pytest.fixture
def ring_neighbours() -> dict[int, tuple[int, ...]]:
    """Each generated country borders the next and the previous one."""
    codes = list(range(100, 124))
    return {c: (codes[i - 1], codes[(i + 1) % len(codes)]) for i, c in enumerate(codes)}


def write_store(path: Path, panel: pd.DataFrame) -> None:
    """A small analytical-store file with the tables the forecaster reads (as `gbvs ingest` names them)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    cut = pd.DataFrame(
        {"indicator": list(CUTPOINTS), "all": 0.05, "up": list(CUTPOINTS.values()), "down": 0.05}
    )
    tables = {
        "panel_country_year": panel,
        "demspaces_cutpoints": cut,
        "demspaces_forecasts": pd.DataFrame(
            {"outcome": ["v2x_veracc_osp"], "from_year": [2010], "for_years": ["2011 - 2012"],
             "gwcode": [100],
             "p_up": [0.1], "p_same": [0.8], "p_down": [0.1]}
        ),
        "_gbvs_tables": pd.DataFrame(
            {"table_name": ["panel_country_year"], "source_id": ["generated"], "title": ["generated panel"],
             "version": ["test"], "vintage": ["2026-01"], "ingested_at": [pd.Timestamp("2026-01-01")],
             "sha256": ["0"], "licence": ["CC0"], "citation": ["test"], "url": [None]}
        ),
    }  # fmt: skip
    with duckdb.connect(str(path)) as con:
        for name, frame in tables.items():
            con.register("_frame", frame)
            con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _frame')
            con.unregister("_frame")


@pytest.fixture
def store_settings(settings: Settings) -> Settings:
    """Settings whose store holds a generated country-year panel."""
    write_store(settings.resolved_store_path, generated_country_year())
    return settings


@pytest.fixture
def year_spec():  # type: ignore[no-untyped-def]
    """The country-year unit spec."""
    return UNIT_SPECS[Unit.country_year]


@pytest.fixture
def grid_panel() -> pd.DataFrame:
    """A prepared generated grid-month panel."""
    from gbvs.forecasting.data import prepare_panel

    return prepare_panel(generated_grid_month(), UNIT_SPECS[Unit.grid_month])


@pytest.fixture
def cutpoints() -> dict[str, float]:
    """DemSpaces-like cutpoints for the generated V-Dem indices."""
    return dict(CUTPOINTS)


def report_input(
    scores: pd.DataFrame, intervals: dict[str, Interval], left_out: dict[str, list[LeftOut]] | None = None
) -> ReportInput:
    """A country-year report of ``scores`` with the goals' intervals (and leave-one-out figures)."""
    return ReportInput(
        title="test",
        scores=scores,
        demspaces=pd.DataFrame(),
        curves={},
        timings={},
        provenance={"unit": "country-year"},
        notes=[],
        extra_sections=[],
        intervals=intervals,
        left_out=left_out or {},
    )


@pytest.fixture
def goal_backtest(country_year_panel: pd.DataFrame, cutpoints: dict[str, float]) -> pd.DataFrame:
    """The predictions of a small backtest with rows for the conflict goals at one year: incidence and
    battle deaths, forecast years 2014-2018, two seeds, the fast models."""
    from gbvs.forecasting.backtest import BacktestPlan, run_backtest
    from gbvs.forecasting.domain import TARGETS

    targets = (TARGETS["incidence"], TARGETS["battle_deaths"])
    plan = BacktestPlan(
        UNIT_SPECS[Unit.country_year], targets, 2014, 2018, seeds=(0, 1), horizons=(1,), fast=True
    )
    return run_backtest(country_year_panel, plan, cutpoints).predictions
