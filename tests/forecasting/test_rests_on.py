"""What a goal's verdict rests on: each figure without one country and without one forecast year."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.forecasting.conftest import report_input

from gbvs.forecasting import goals, uncertainty
from gbvs.forecasting.domain import UNIT_SPECS, Unit
from gbvs.forecasting.evaluation import backtest_intervals, over_seeds, score_table
from gbvs.forecasting.report import write_report
from gbvs.forecasting.uncertainty import LeftOut

YEAR = UNIT_SPECS[Unit.country_year]


def test_leave_one_out_scores_each_figure_without_each_country_and_each_year() -> None:
    country = np.array([1, 1, 2, 2, 3, 3])
    year = np.array([2020, 2021, 2020, 2021, 2020, 2021])
    values = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 600.0])
    mean = lambda rows: float(values[rows].mean())  # noqa: E731
    total = lambda rows: float(values[rows].sum())  # noqa: E731
    found = uncertainty.leave_one_out({"country": country, "origin": year}, [mean, total])
    assert found[0] == [
        LeftOut("country", 1, np.mean([3, 4, 5, 600])),
        LeftOut("country", 2, np.mean([1, 2, 5, 600])),
        LeftOut("country", 3, 2.5),
        LeftOut("origin", 2020, np.mean([2, 4, 600])),
        LeftOut("origin", 2021, 3.0),
    ]
    assert [one.value for one in found[1]] == [612, 608, 10, 606, 9]
    one_year = uncertainty.leave_one_out({"country": country, "origin": np.zeros(6, dtype=int)}, [mean])
    assert {one.factor for one in one_year[0]} == {"country"}  # nothing would remain without the year


def _left_out(country: dict[int, float], origin: dict[int, float]) -> list[LeftOut]:
    return [LeftOut("country", c, v) for c, v in country.items()] + [
        LeftOut("origin", o, v) for o, v in origin.items()
    ]


def test_a_met_goal_names_the_country_and_year_that_bring_it_nearest_to_missing() -> None:
    # a CRPS difference to a baseline (goal: < 0) that is all one country's doing
    left_out = _left_out({530: 13.0, 651: -160.0, 2: -140.0}, {2022: -40.0, 2014: -170.0})
    rests = goals.rests_on(left_out, "<", 0.0, met=True, of="difference")
    assert rests == [
        {"left_out": "country", "unit": 530, "value": 13.0, "value_of": "difference", "met": False},
        {"left_out": "origin", "unit": 2022, "value": -40.0, "value_of": "difference", "met": True},
    ]
    verdicts = [goals.LEAVE_OUT_VERDICTS[(True, rest["met"])] for rest in rests]
    assert verdicts == ["no longer met", "still met"]


def test_a_missed_goal_names_what_brings_it_nearest_to_meeting() -> None:
    left_out = _left_out({1: 0.28, 2: 0.31, 3: 0.25}, {2010: 0.27, 2011: 0.29})
    rests = goals.rests_on(left_out, ">=", 0.30, met=False)
    assert [(rest["unit"], rest["met"]) for rest in rests] == [(2, True), (2011, False)]
    assert goals.LEAVE_OUT_VERDICTS[(False, True)] == "met without it"


@pytest.mark.parametrize(
    ("values", "chosen"),
    [
        ({1: 0.47, 2: 0.53, 3: 0.455}, 3),  # nearest the lower edge of 45-55%
        ({1: 0.47, 2: 0.549, 3: 0.46}, 2),  # nearest the upper edge
    ],
)
def test_a_band_goal_rests_on_the_figure_nearest_either_edge(values: dict[int, float], chosen: int) -> None:
    rests = goals.rests_on(_left_out(values, {}), "within", (0.45, 0.55), met=True)
    assert [rest["unit"] for rest in rests] == [chosen]
    assert goals.margin(0.46, "within", (0.45, 0.55)) == pytest.approx(0.01)


def test_undefined_figures_are_not_chosen() -> None:
    left_out = _left_out({1: float("nan"), 2: 0.9}, {2010: float("nan")})
    assert goals.rests_on(left_out, ">=", 0.92, met=False) == [
        {"left_out": "country", "unit": 2, "value": 0.9, "value_of": "value", "met": False}
    ]


def test_a_backtests_goals_say_what_they_rest_on_and_the_figure_without_it_is_real(
    goal_backtest: pd.DataFrame, tmp_path: Path
) -> None:
    pred = goal_backtest
    scores = over_seeds(score_table(pred, "gwcode", {}))
    found = backtest_intervals(pred, pd.DataFrame(), "gwcode", resamples=50)
    assert found.left_out.keys() == found.goals.keys()
    rows = {row["goal"]: row for row in goals.goal_rows(scores, pd.DataFrame(), found.goals, found.left_out)}
    incidence = rows["incidence h1, all rows: ap"]
    country, origin = incidence["rests_on"]
    assert (country["left_out"], origin["left_out"]) == ("country", "origin")
    for rest, column in ((country, "gwcode"), (origin, "origin")):
        without = over_seeds(score_table(pred[pred[column] != rest["unit"]], "gwcode", {}))
        spec = next(spec for spec in goals.GOALS if spec.label == incidence["goal"])
        assert rest["value"] == pytest.approx(goals.figure(without, goals.MAIN_MODEL, spec))
    crps = rows["battle_deaths h1, all rows: crps vs persistence"]
    assert all(rest["value_of"] == "difference" for rest in crps["rests_on"])
    payload = write_report(report_input(scores, found.goals, found.left_out), tmp_path)
    assert all(len(goal["rests_on"]) == 2 for goal in payload["goals"])
    text = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "## What each goal's verdict rests on most" in text
    assert f"| incidence h1, all rows: ap | {goals.left_out_words(country)} |" in text


def test_what_was_left_out_is_named_in_words() -> None:
    assert goals.left_out_words({"left_out": "country", "unit": 530}) == "without Ethiopia"
    assert (
        goals.left_out_words({"left_out": "country", "unit": 530}, "nl", "zonder %(name)s")
        == "zonder Ethiopië"
    )
    assert goals.left_out_words({"left_out": "origin", "unit": 2022}) == "without the forecasts made in 2022"


def test_the_backtest_command_prints_what_each_verdict_rests_on() -> None:
    from gbvs.cli.forecast import _rests
    from gbvs.forecasting.service import Goal

    crps = Goal("battle_deaths h1, all rows: crps vs persistence", 322.2, "< persistence (385.9)", True,
                rests_on=[{"left_out": "country", "unit": 530, "value": 13.04, "value_of": "difference",
                           "met": False},
                          {"left_out": "origin", "unit": 2022, "value": -40.0, "value_of": "difference",
                           "met": True}])  # fmt: skip
    assert _rests(crps) == (
        "without Ethiopia: +13.04 of the difference (no longer met); "
        "without the forecasts made in 2022: -40 of the difference (still met)"
    )
    usa = {"left_out": "country", "unit": 2, "value": 0.3012, "value_of": "value", "met": True}
    onset = Goal("incidence h1, onset subset: ap", 0.289, ">= 0.3", False, rests_on=[usa])
    assert _rests(onset) == "without United States: 0.3012 (met without it)"


def test_the_backtest_command_prints_the_gain_over_the_history_baseline(tmp_path: Path) -> None:
    from gbvs.cli.forecast import _goal_lines
    from gbvs.forecasting.service import BacktestSummary, Goal

    onset = Goal("incidence h1, onset subset: ap vs history_logit", 0.2891, ">= history_logit (0.2391)",
                 True, "difference", 0.0112, 0.0954, "met", baseline="history_logit",
                 baseline_value=0.2391, difference=0.05)  # fmt: skip
    summary = BacktestSummary(tmp_path, [], {}, {}, {}, comparisons=[onset])
    lines = _goal_lines(summary)
    assert lines[-2:] == [
        "against the conflict-history baseline (main model − baseline on the same rows):",
        "  incidence h1, onset subset: ap vs history_logit: +0.05 ahead, "
        "95% interval of the difference [0.0112, 0.0954]: met",
    ]
