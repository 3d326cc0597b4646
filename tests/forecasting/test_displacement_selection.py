"""Model or baseline (goal 13): the forecast published for a target and horizon is the one with the lowest
CRPS on the inner window (rolling origins inside the training window), never chosen on the test years."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gbvs.forecasting.displacement.selection import (
    SELECTED,
    Selection,
    inner_forecast_years,
    select,
    selected_rows,
)
from gbvs.forecasting.displacement.service import inner_validation
from gbvs.forecasting.displacement.targets import TARGETS


def _world(panel: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Asylum applications as a pure random walk on the log scale (nothing predicts the next step, so
    last year's value with past changes is as good as it gets), or fully set by a driver indicator the
    model sees (lagged one year for publication, so two years before the outcome)."""
    rng = np.random.default_rng(5)
    out = panel.sort_values(["gwcode", "year"]).reset_index(drop=True)
    if kind == "walk":
        level = 8 + pd.Series(rng.normal(0, 0.4, len(out))).groupby(out["gwcode"]).cumsum()
    else:
        driver = out["gm_driver_x"].fillna(0.0)
        level = 6 + 2 * driver.groupby(out["gwcode"]).shift(2).fillna(0.0)
    return out.assign(asylum_nl=np.floor(np.expm1(level)))


@pytest.mark.parametrize(("kind", "model_wins"), [("walk", False), ("signal", True)])
def test_a_random_walk_publishes_a_baseline_and_a_clear_signal_the_model(
    country_year_panel: pd.DataFrame, kind: str, model_wins: bool
) -> None:
    from tests.forecasting.test_displacement import with_displacement

    panel = _world(with_displacement(country_year_panel), kind)
    (chosen,) = inner_validation(panel, None, [TARGETS["asylum_nl"]], [0], horizons=(1,))
    assert chosen.inner_years == (2018, 2019, 2020)  # the last years published by the origin, 2020
    scores = chosen.inner_crps
    best = min(scores, key=lambda name: scores[name])
    assert chosen.chosen == best and chosen.baseline_chosen is not model_wins
    assert (scores["lgbm"] < min(scores["last_value_spread"], scores["history"])) is model_wins


def _rows(crps: dict[str, list[float]], years: range, horizon: int = 1) -> pd.DataFrame:
    """Scored backtest rows: one per model, forecast year and seed 0 (the CRPS given per year)."""
    return pd.DataFrame(
        [
            {"target": "asylum_nl", "horizon": horizon, "model": model, "seed": 0, "unit": 1,
             "forecast_period": year, "origin": year - horizon, "crps": value}
            for model, values in crps.items()
            for year, value in zip(years, values, strict=True)
        ]
    )  # fmt: skip


def test_the_selection_never_reads_rows_after_its_origin() -> None:
    """Up to 2015 the baseline forecasts better; after it, much worse. At origin 2015 the baseline is
    published whatever the later rows say, and the later rows are not even averaged in."""
    years = range(2010, 2020)
    before = [5.0] * 6
    honest = _rows({"lgbm": before + [5.0] * 4, "last_value_spread": [3.0] * 6 + [3.0] * 4}, years)
    tampered = _rows({"lgbm": before + [0.0] * 4, "last_value_spread": [3.0] * 6 + [1e9] * 4}, years)
    chosen = [select(rows, "asylum_nl", 1, 2015) for rows in (honest, tampered)]
    assert chosen[0] == chosen[1]
    assert chosen[0].chosen == "last_value_spread" and chosen[0].inner_years == (2013, 2014, 2015)
    assert chosen[0].inner_crps == {"lgbm": 5.0, "last_value_spread": 3.0}


def test_a_tie_keeps_the_model_and_without_inner_years_nothing_is_chosen_away() -> None:
    rows = _rows({"lgbm": [4.0] * 3, "last_value_spread": [4.0] * 3}, range(2013, 2016))
    assert select(rows, "asylum_nl", 1, 2015).chosen == "lgbm"
    assert select(rows, "asylum_nl", 1, 2012).chosen == "lgbm"  # no inner rows by 2012
    assert inner_forecast_years(2015) == (2013, 2014, 2015)


def test_the_backtest_publishes_per_origin_what_its_own_inner_years_chose() -> None:
    """The model wins 2010-2012 and loses 2013-2016: from the origin after the first inner years that
    favour the baseline, the published rows are the baseline's, each origin deciding on its own past."""
    years = range(2010, 2017)
    rows = _rows({"lgbm": [1.0] * 3 + [9.0] * 4, "last_value_spread": [2.0] * 7}, years)
    rows = pd.concat([rows, rows[rows["model"] == "lgbm"].assign(seed=1)], ignore_index=True)
    published = selected_rows(rows, 2013, seeds=(0, 1))
    chosen = published.drop_duplicates(["origin"]).set_index("forecast_period")["selected_model"]
    # origin 2012 sees 2010-2012 (model better); 2013 sees 2011-2013 (1+1+9 = 11/3 > 2): baseline
    assert chosen.to_dict() == {
        2013: "lgbm",
        2014: "last_value_spread",
        2015: "last_value_spread",
        2016: "last_value_spread",
    }
    assert set(published["model"]) == {SELECTED} and set(published["seed"]) == {0, 1}
    assert published.groupby("seed").size().tolist() == [4, 4]  # the unseeded baseline once per seed


def test_a_selection_reads_back_from_a_run_s_config() -> None:
    kept = Selection("asylum_nl", 1, 2023, "last_value_spread", (2021, 2022, 2023), {"lgbm": 60.0})
    assert Selection.from_dict(kept.as_dict()) == kept
