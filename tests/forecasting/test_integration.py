"""Integration tests on the real data (../shared/data): reference figures and the Syria grid-month path."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path

import pytest

from gbvs.config import Settings
from gbvs.forecasting.backtest import BacktestPlan, run_backtest
from gbvs.forecasting.data import load_panel, neighbours_for
from gbvs.forecasting.domain import TARGETS, UNIT_SPECS, Unit
from gbvs.forecasting.evaluation import over_seeds, score_table
from gbvs.store import open_store

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _mirror_panel_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("mirror_panel", Path(__file__).with_name("mirror_panel.py"))
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_v_dem_universe_reproduces_the_issue_s_persistence_figure(mirror: Path) -> None:
    from gbvs.forecasting.data import prepare_panel

    spec = UNIT_SPECS[Unit.country_year]
    panel = prepare_panel(_mirror_panel_module().mirror_country_year_panel(mirror), spec)
    plan = BacktestPlan(spec, (TARGETS["incidence"],), 2010, 2023, seeds=(0,), horizons=(1,), fast=True)
    scores = over_seeds(score_table(run_backtest(panel, plan).predictions, "gwcode", {}))
    row = scores[(scores.model == "persistence") & (scores.subset == "all")].iloc[0]
    assert row["ap_mean"] == pytest.approx(0.779, abs=0.001)  # the issue's persistence AP, same universe
    logit = scores[(scores.model == "history_logit") & (scores.subset == "onset")].iloc[0]
    assert logit["roc_auc_mean"] == pytest.approx(0.811, abs=0.02)


@pytest.fixture
def ingested(
    settings: Settings, mirror: Path, monkeypatch: pytest.MonkeyPatch, run_cli: Callable
) -> Settings:  # type: ignore[type-arg]
    monkeypatch.setenv("GBVS_MIRROR", str(mirror))
    result = run_cli("ingest")
    assert result.exit_code == 0, result.stderr
    return settings


def test_syria_grid_month_backtest_runs_through_the_same_code(ingested: Settings) -> None:
    spec = UNIT_SPECS[Unit.grid_month]
    with open_store(ingested.resolved_store_path) as store:
        panel = load_panel(store, spec)
        neighbours = neighbours_for(store, spec, panel)
    assert panel["period"].min() == 433  # January 2016 (ViEWS month_id)
    first, last = 469, 471  # January - March 2019
    plan = BacktestPlan(
        spec, (TARGETS["incidence"], TARGETS["battle_deaths"]), first, last, (0,), (1, 12), fast=True
    )
    result = run_backtest(panel, plan, None, neighbours)
    scores = over_seeds(score_table(result.predictions, "priogrid_gid", {}))
    lgbm = scores[(scores.model == "lgbm") & (scores.target == "incidence") & (scores.subset == "all")]
    assert set(lgbm["horizon"]) == {1, 12}
    assert (lgbm["roc_auc_mean"] > 0.6).all()  # cell-months with fighting are far from random in Syria
