"""The backtest report judges issue 11's goals: thresholds, baselines on the same rows, ranges."""

from __future__ import annotations

import pandas as pd

from gbvs.forecasting.goals import goal_rows


def _scores(**main: float) -> pd.DataFrame:
    rows = [
        {
            "model": "lgbm",
            "target": "incidence",
            "horizon": 1,
            "subset": "all",
            "ap_mean": 0.93,
            "brier_mean": 0.0395,
        },
        {
            "model": "lgbm",
            "target": "incidence",
            "horizon": 1,
            "subset": "onset",
            "ap_mean": 0.30,
            "roc_auc_mean": 0.899,
        },
        {
            "model": "lgbm",
            "target": "battle_deaths",
            "horizon": 1,
            "subset": "all",
            "crps_mean": 320.0,
            "msle_mean": 1.282,
            "pit50_mean": 0.55,
            "pit90_mean": 0.849,
        },
        {
            "model": "persistence",
            "target": "battle_deaths",
            "horizon": 1,
            "subset": "all",
            "crps_mean": 385.9,
            "msle_mean": 1.281,
        },
        {
            "model": "conflictology",
            "target": "battle_deaths",
            "horizon": 1,
            "subset": "all",
            "crps_mean": 320.0,
            "msle_mean": 1.8,
        },
    ]
    rows[2].update({f"{k}_mean": v for k, v in main.items()})
    return pd.DataFrame(rows)


def _verdicts(scores: pd.DataFrame, demspaces: pd.DataFrame | None = None) -> dict[str, tuple[bool, str]]:
    rows = goal_rows(scores, pd.DataFrame() if demspaces is None else demspaces)
    return {row["goal"]: (row["met"], row["target"]) for row in rows}


def test_thresholds_are_inclusive_where_the_issue_says_at_least_or_at_most() -> None:
    verdicts = _verdicts(_scores())
    assert verdicts["incidence h1, all rows: ap"] == (True, ">= 0.92")
    assert verdicts["incidence h1, all rows: brier"] == (False, "<= 0.039")
    assert verdicts["incidence h1, onset subset: ap"] == (True, ">= 0.3")  # exactly on the line
    assert verdicts["incidence h1, onset subset: roc_auc"] == (False, ">= 0.9")


def test_battle_deaths_are_judged_against_the_baselines_on_the_same_rows_and_coverage_ranges() -> None:
    verdicts = _verdicts(_scores())
    assert verdicts["battle_deaths h1, all rows: crps vs persistence"] == (True, "< persistence (385.9)")
    # a tie with conflictology is not "below" it
    assert verdicts["battle_deaths h1, all rows: crps vs conflictology"] == (False, "< conflictology (320)")
    assert verdicts["battle_deaths h1, all rows: msle vs persistence"] == (False, "< persistence (1.281)")
    assert _verdicts(_scores(msle=1.280))["battle_deaths h1, all rows: msle vs persistence"][0] is True
    assert verdicts["battle_deaths h1, all rows: pit50"] == (True, "in 0.45-0.55")  # the upper edge counts
    assert verdicts["battle_deaths h1, all rows: pit90"] == (False, "in 0.85-0.95")


def test_goals_of_targets_not_in_the_backtest_are_left_out_and_demspaces_has_both_directions() -> None:
    verdicts = _verdicts(_scores())
    assert not any(goal.startswith("incidence h2") for goal in verdicts)  # no h2 rows scored
    demspaces = pd.DataFrame(
        [
            {"model": "lgbm", "direction": "down", "ap_mean": 0.63, "roc_auc_mean": 0.89},
            {"model": "lgbm", "direction": "up", "ap_mean": 0.40, "roc_auc_mean": 0.95},
        ]
    )
    verdicts = _verdicts(_scores(), demspaces)
    assert verdicts["closing (pooled 6 spaces): ap"][0] is True
    assert verdicts["closing (pooled 6 spaces): roc_auc"][0] is False
    assert verdicts["opening (pooled 6 spaces): ap"] == (False, ">= 0.57")
    assert verdicts["opening (pooled 6 spaces): roc_auc"] == (True, ">= 0.89")
