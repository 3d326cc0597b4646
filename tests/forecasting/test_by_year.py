"""Skill per forecast year: each year's forecasts scored on their own rows (``origin:<year>`` subsets),
in the score table, report.md and /modelprestaties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import average_precision_score, brier_score_loss
from tests.forecasting.conftest import report_input

from gbvs.forecasting.evaluation import BY_YEAR_MODELS, origin_subset, over_seeds, score_table
from gbvs.forecasting.report import markdown


def test_each_forecast_year_is_scored_on_its_own_rows(goal_backtest: pd.DataFrame) -> None:
    scores = over_seeds(score_table(goal_backtest, "gwcode", {}))
    main = goal_backtest[(goal_backtest["model"] == "lgbm") & (goal_backtest["target"] == "incidence")]
    assert sorted(main["origin"].unique()) == [2013, 2014, 2015, 2016, 2017]
    for origin, rows in main.groupby("origin"):
        found = scores[
            (scores["model"] == "lgbm")
            & (scores["target"] == "incidence")
            & (scores["subset"] == origin_subset(int(origin)))
        ]
        seeds = [seed for _, seed in rows.groupby("seed")]
        assert found["ap_mean"].item() == pytest.approx(
            np.mean([average_precision_score(s["y"], s["p"]) for s in seeds])
        )
        assert found["brier_mean"].item() == pytest.approx(
            np.mean([brier_score_loss(s["y"], s["p"]) for s in seeds])
        )
        assert found["n"].item() == len(seeds[0]) and found["seeds"].item() == 2
    deaths = scores[(scores["target"] == "battle_deaths") & scores["subset"].str.startswith("origin:")]
    assert deaths["crps_mean"].notna().all()  # the counts per year too


def test_the_report_gives_incidence_per_forecast_year(goal_backtest: pd.DataFrame) -> None:
    scores = over_seeds(score_table(goal_backtest, "gwcode", {}))
    text = markdown(report_input(scores, {}), [], [])
    section = text[text.index("## Incidence h1 by forecast year") :]
    section = section[: section.index("\n## ")]
    for origin in range(2013, 2018):
        for model in BY_YEAR_MODELS:
            assert f"| {origin_subset(origin)} | {model} |" in section
    assert "| persistence |" not in section  # the page and the report compare ours with conflict history
