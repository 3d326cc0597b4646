"""Issue 12 (forecast history): past forecasts scored against what happened, live and backtest apart."""

from __future__ import annotations

import pandas as pd
import pytest

from gbvs.forecasting.backtest import main_model_forecasts
from gbvs.forecasting.history import BACKTEST, LIVE, PastForecast, score_history
from gbvs.forecasting.queries import RunInfo

OUTCOMES = {  # year -> the country-year panel's values
    2021: {"conflict": 1, "war": 0, "brd_best": 900.0},
    2022: {"conflict": 1, "war": 1, "brd_best": 1200.0},
    2023: {"conflict": 0, "war": 0, "brd_best": 0.0},
}


def _run(run_id: str, created: str) -> RunInfo:
    return RunInfo(run_id, created, "country-year", "m-1", 2022, "UCDP 25.1", 0)


def _forecast(
    source: str, run: RunInfo, target: str, origin: int, p: float | None, **extra: object
) -> PastForecast:
    return PastForecast(source, run, target, 1, origin, origin + 1, p, extra.get("quantiles"))  # type: ignore[arg-type]


def test_probabilities_get_brier_scores_beside_persistence() -> None:
    old, new = _run("forecast-a", "2023-01-05 10:00:00"), _run("forecast-b", "2023-02-01 10:00:00")
    past = [
        _forecast(LIVE, old, "incidence", 2022, 0.9),  # 2023: no conflict -> (0.9 - 0)² = 0.81, replaced by b
        _forecast(LIVE, new, "incidence", 2022, 0.6),  # counted: 0.36; persistence (1 in 2022): 1.0
        _forecast(LIVE, new, "incidence", 2021, 0.7),  # 2022: conflict -> 0.09; persistence 0
        _forecast(LIVE, new, "incidence", 2023, 0.5),  # 2024 not in the store: not scored
    ]
    history = score_history(past, OUTCOMES, 652)
    (group,) = history.groups
    assert (group.source, group.target, group.horizon, group.scored, group.events) == (
        LIVE,
        "incidence",
        1,
        2,
        1,
    )
    assert group.brier == pytest.approx((0.36 + 0.09) / 2)
    assert group.persistence_brier == pytest.approx((1.0 + 0.0) / 2)
    assert [f.forecast_period for f in group.forecasts] == [2024, 2023, 2023, 2022]  # newest year first
    assert [f.counted for f in group.forecasts] == [False, True, False, True]
    assert group.forecasts[0].observed is None and group.forecasts[2].brier == pytest.approx(0.81)
    assert history.outcomes_until == 2023


def test_counts_are_scored_by_their_range_and_sources_stay_apart() -> None:
    backtest = _run("backtest-1", "2026-05-01 00:00:00")
    inside = {"q05": 100.0, "q50": 800.0, "q95": 2000.0}
    past = [
        _forecast(BACKTEST, backtest, "battle_deaths", 2020, None, quantiles=inside),  # 900: inside
        _forecast(
            BACKTEST, backtest, "battle_deaths", 2021, None, quantiles={**inside, "q95": 1000.0}
        ),  # 1200
        _forecast(BACKTEST, backtest, "war", 2021, 0.2),  # 2022 war: (0.2 - 1)² = 0.64
        _forecast(LIVE, _run("f", "2025-01-01"), "war", 2021, 0.5),
        _forecast(BACKTEST, backtest, "closing_associational", 2021, 0.3),  # a two-year window: not scored
    ]
    groups = {(g.source, g.target): g for g in score_history(past, OUTCOMES, 652).groups}
    assert list(groups) == [
        (LIVE, "war"),
        (BACKTEST, "war"),
        (BACKTEST, "battle_deaths"),
        (BACKTEST, "closing_associational"),
    ]
    deaths = groups[(BACKTEST, "battle_deaths")]
    assert deaths.inside_share == 0.5 and deaths.brier is None and deaths.events == 2
    assert groups[(BACKTEST, "war")].brier == pytest.approx(0.64)
    assert groups[(BACKTEST, "closing_associational")].scored == 0


def test_the_backtest_keeps_its_main_models_forecasts_averaged_over_seeds() -> None:
    pred = pd.DataFrame(
        {
            "gwcode": [652, 652, 652, 652],
            "period": [2020] * 4,
            "model": ["lgbm", "lgbm", "persistence", "lgbm"],
            "seed": [0, 1, 0, 0],
            "target": ["incidence", "incidence", "incidence", "battle_deaths"],
            "horizon": [1, 1, 1, 1],
            "origin": [2020] * 4,
            "forecast_period": [2021] * 4,
            "p": [0.8, 0.6, 1.0, None],
            "q0.05": [None, None, None, 10.0],
            "q0.95": [None, None, None, 900.0],
            "y": [1, 1, 1, 900.0],
        }
    )
    kept = main_model_forecasts(pred, "gwcode").sort_values("target").reset_index(drop=True)
    assert list(kept.columns) == [
        "unit_key",
        "target",
        "horizon",
        "origin",
        "forecast_period",
        "p",
        "q05",
        "q95",
    ]
    assert kept.loc[1, "p"] == pytest.approx(0.7)  # incidence: the mean over seeds; persistence left out
    assert kept.loc[0, "q95"] == 900.0 and pd.isna(kept.loc[0, "p"])
