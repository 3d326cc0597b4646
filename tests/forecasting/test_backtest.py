"""Backtest: runs on generated country-year and grid-month panels through one code path; deterministic."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from gbvs.errors import UnknownTargetError
from gbvs.forecasting.backtest import BacktestPlan, _largest_first, run_backtest, run_backtests
from gbvs.forecasting.domain import TARGETS, UNIT_SPECS, Unit, check_horizon, parse_target, parse_unit
from gbvs.forecasting.engine import fit_predict, model_set, origin_frame, training_set
from gbvs.forecasting.evaluation import over_seeds, score_table
from gbvs.forecasting.neighbours import grid_neighbours

YEAR = UNIT_SPECS[Unit.country_year]
GRID = UNIT_SPECS[Unit.grid_month]


def test_country_year_backtest_scores_every_model_and_is_deterministic(
    country_year_panel: pd.DataFrame, cutpoints: dict[str, float]
) -> None:
    targets = (TARGETS["incidence"], TARGETS["battle_deaths"], TARGETS["closing_electoral"])
    plan = BacktestPlan(YEAR, targets, 2018, 2018, seeds=(0, 1), horizons=(1, 2), fast=True)
    first = run_backtest(country_year_panel, plan, cutpoints)
    second = run_backtest(country_year_panel, replace(plan, n_jobs=2), cutpoints)  # in 2 worker processes
    pd.testing.assert_frame_equal(first.predictions, second.predictions)
    pred = first.predictions
    assert set(pred["model"]) == {"zero", "persistence", "history_logit", "lgbm", "conflictology"}
    assert (pred["origin"] + pred["horizon"] == 2018).all()
    lgbm_p = pred[pred["model"] == "lgbm"].set_index(["target", "horizon", "gwcode", "seed"])["p"].unstack()
    assert lgbm_p.loc["closing_electoral", 0].equals(lgbm_p.loc["closing_electoral", 1])  # one model
    assert not lgbm_p.loc["incidence", 0].equals(lgbm_p.loc["incidence", 1])  # sampling: seeds differ
    scores = over_seeds(score_table(pred, "gwcode", {}))
    region = {"some": frozenset(pred["gwcode"].drop_duplicates().iloc[::2])}
    in_workers = score_table(pred, "gwcode", region, jobs=2)  # scored in 2 worker processes
    pd.testing.assert_frame_equal(in_workers, score_table(pred, "gwcode", region))
    assert "region:some" in set(in_workers["subset"])
    lgbm = scores[(scores.model == "lgbm") & (scores.target == "incidence") & (scores.subset == "all")]
    assert set(lgbm["horizon"]) == {1, 2} and (lgbm["seeds"] == 2).all()
    deaths = scores[(scores.target == "battle_deaths")]
    assert deaths["crps_mean"].notna().all()
    for level in (50, 90):  # both coverages: bounds included, and the randomised PIT
        assert (
            deaths[f"cov{level}_mean"].between(0, 1).all() and deaths[f"pit{level}_mean"].between(0, 1).all()
        )
    # "always 0": a quiet year is inside [0, 0] (cov 1) but its PIT is uniform on [0, 1] (pit50 0.5)
    zero_model = deaths[(deaths.model == "zero") & (deaths.subset == "all")]
    assert (zero_model["cov50_mean"] > zero_model["pit50_mean"]).all()
    zero = scores[
        (scores.model == "zero")
        & (scores.target == "incidence")
        & (scores.horizon == 1)
        & (scores.subset == "all")
    ]
    assert lgbm[lgbm.horizon == 1]["brier_mean"].item() < zero["brier_mean"].item()


def test_grid_month_backtest_uses_the_same_code_path(grid_panel: pd.DataFrame) -> None:
    plan = BacktestPlan(
        GRID,
        (TARGETS["incidence"], TARGETS["battle_deaths"]),
        433,
        435,
        seeds=(0,),
        horizons=(1, 12),
        fast=True,
    )
    result = run_backtest(grid_panel, plan, None, grid_neighbours(grid_panel["priogrid_gid"].unique()))
    pred = result.predictions
    assert set(pred["horizon"]) == {1, 12}
    assert pred["forecast_period"].between(433, 435).all()
    assert {"features", "fit incidence", "fit battle_deaths"} <= set(result.timings)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: parse_target("coup"), "forecast target 'coup' does not exist"),
        (lambda: parse_unit("district-week"), "unit of analysis 'district-week' does not exist"),
        (lambda: check_horizon(TARGETS["incidence"], YEAR, 0), "horizon 0 is not valid"),
        (lambda: check_horizon(TARGETS["incidence"], YEAR, 4), "horizon 4 is not valid"),
        (lambda: check_horizon(TARGETS["closing_electoral"], YEAR, 1), "use one of \\[2\\]"),
    ],
)
def test_bad_targets_and_horizons_are_refused_clearly(call, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UnknownTargetError, match=message):
        call()


def test_grid_neighbours_are_adjacent_cells_only() -> None:
    gid = 200 * 720 + 301
    cells = [gid, gid + 1, gid + 720, gid + 721, gid + 5]
    assert grid_neighbours(cells)[gid] == (gid + 1, gid + 720, gid + 721)


def test_plans_run_in_one_pool_give_the_rows_each_gives_alone(
    country_year_panel: pd.DataFrame, cutpoints: dict[str, float]
) -> None:
    conflict = BacktestPlan(YEAR, (TARGETS["incidence"],), 2017, 2018, seeds=(0,), horizons=(1,), fast=True)
    spaces = BacktestPlan(YEAR, (TARGETS["closing_electoral"],), 2017, 2018, seeds=(0,), fast=True)
    alone = [run_backtest(country_year_panel, conflict), run_backtest(country_year_panel, spaces, cutpoints)]
    together = run_backtests(
        country_year_panel, [(replace(conflict, n_jobs=2), None), (replace(spaces, n_jobs=2), cutpoints)]
    )
    expected = pd.concat([result.predictions for result in alone], ignore_index=True)
    pd.testing.assert_frame_equal(together.predictions, expected)
    assert together.timings["fitting (wall)"] > 0 and together.timings["fit closing_electoral"] > 0


def test_the_pool_starts_with_the_latest_origins_of_every_plan() -> None:
    assert _largest_first([[2015, 2016, 2017], [2013, 2016]]) == [
        (0, 2017),
        (0, 2016),
        (1, 2016),
        (0, 2015),
        (1, 2013),
    ]


@pytest.mark.parametrize("target", ["incidence", "battle_deaths", "closing_electoral"])
def test_no_model_changes_the_training_rows_it_shares_with_the_others(
    country_year_panel: pd.DataFrame, cutpoints: dict[str, float], target: str
) -> None:
    """A backtest hands every model of a target and horizon the same training rows (one copy)."""
    t = TARGETS[target]
    frame = origin_frame(country_year_panel, YEAR, 2015, cutpoints)
    X, y, periods = training_set(frame, t, 1, "gwcode")
    kept = (X.copy(deep=True), y.copy(), periods.copy())
    for seed in (0, 1):
        for model in model_set(t, YEAR, seed, fast=True).values():
            fit_predict(model, frame, t, 1, "gwcode", (X, y, periods))
    pd.testing.assert_frame_equal(X, kept[0])
    assert np.array_equal(y, kept[1]) and np.array_equal(periods, kept[2])
