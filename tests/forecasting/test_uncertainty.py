"""How sure a backtest figure is: the bootstrap of countries and years, verdicts, the report's intervals."""

from __future__ import annotations

from dataclasses import astuple
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.forecasting.conftest import report_input

from gbvs.forecasting import goals, uncertainty
from gbvs.forecasting.domain import UNIT_SPECS, Unit
from gbvs.forecasting.evaluation import backtest_intervals, over_seeds, score_table
from gbvs.forecasting.metrics import BINARY_SCORES, score_group, score_of
from gbvs.forecasting.report import markdown, write_report
from gbvs.forecasting.uncertainty import Interval

YEAR = UNIT_SPECS[Unit.country_year]


def _clustered(n_clusters: int, rows_each: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Rows whose value is their cluster's: all the variation is between clusters."""
    rng = np.random.default_rng(seed)
    level = rng.normal(size=n_clusters)
    clusters = np.repeat(np.arange(n_clusters), rows_each)
    return clusters, level[clusters]


def test_the_interval_resamples_countries_not_rows() -> None:
    clusters, values = _clustered(n_clusters=40, rows_each=50)
    interval = uncertainty.cluster_interval([clusters], lambda rows: float(values[rows].mean()))
    per_cluster = values.reshape(40, 50)[:, 0]
    expected = 2 * 1.96 * per_cluster.std() / np.sqrt(40)  # 40 independent values, not 2,000
    assert interval.low < values.mean() < interval.high
    assert interval.high - interval.low == pytest.approx(expected, rel=0.2)
    rows_alone = uncertainty.cluster_interval([np.arange(2000)], lambda rows: float(values[rows].mean()))
    assert rows_alone.high - rows_alone.low < 0.3 * expected  # what resampling rows would claim


def test_the_interval_is_reproducible_and_a_constant_has_no_width() -> None:
    clusters, values = _clustered(n_clusters=15, rows_each=4)
    statistic = lambda rows: float(values[rows].mean())  # noqa: E731
    assert uncertainty.cluster_interval([clusters], statistic) == uncertainty.cluster_interval(
        [clusters], statistic
    )
    assert uncertainty.cluster_interval([clusters], lambda rows: 0.25) == Interval(0.25, 0.25)


def _grid(countries: int, years: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One row per country and year whose value is its year's: all the variation is between years."""
    level = np.random.default_rng(seed).normal(size=years)
    country, year = (axis.ravel() for axis in np.meshgrid(np.arange(countries), np.arange(years)))
    return country, year, level[year]


def test_drawing_the_years_too_shows_what_the_countries_alone_cannot() -> None:
    country, year, values = _grid(countries=60, years=15)
    mean = lambda rows: float(values[rows].mean())  # noqa: E731
    countries_only = uncertainty.cluster_interval([country], mean)
    both = uncertainty.cluster_interval([country, year], mean)
    assert countries_only.high - countries_only.low < 1e-9  # every country has every year's value
    expected = 2 * 1.96 * values.reshape(15, 60)[:, 0].std() / np.sqrt(15)  # 15 independent years
    assert both.low < values.mean() < both.high
    assert both.high - both.low == pytest.approx(expected, rel=0.25)


def test_a_row_counts_as_often_as_its_country_and_its_year_were_drawn() -> None:
    country, year, _ = _grid(countries=8, years=5)
    # on a full grid the draws' products add up to countries x years rows in every resample
    assert uncertainty.cluster_interval([country, year], lambda rows: float(len(rows))) == Interval(40, 40)
    first_year = year == 0  # country 0 has one year only: some resamples lose it, some repeat it
    kept = ~first_year | (country == 0)
    holes = uncertainty.cluster_interval([country[kept], year[kept]], lambda rows: float(len(rows)))
    assert holes.low < kept.sum() - 0.5 and holes.high > kept.sum() + 0.5


def test_circular_blocks_run_over_consecutive_years_and_wrap_around() -> None:
    starts = np.array([3, 0, 4, 1, 2])
    assert uncertainty.circular_blocks(starts, 5, 1).tolist() == [3, 0, 4, 1, 2]  # one by one: the draws
    assert uncertainty.circular_blocks(starts, 5, 2).tolist() == [3, 4, 0, 1, 4]  # 3 runs, cut to 5
    assert uncertainty.circular_blocks(starts[:2], 2, 5).tolist() == [3 % 2, 0]  # a run no longer than all


def test_years_that_share_an_outcome_are_drawn_together() -> None:
    """Each year's value shares a shock with the next year's, as neighbouring origins share an outcome
    year in overlapping windows. Drawing the years one by one misses that covariance; runs of two catch
    the part a run of two can: the interval widens by about sqrt(1 + 2 x 0.5 x 1/2) = 1.22."""
    rng = np.random.default_rng(0)
    years, countries = 120, 5
    shock = rng.normal(size=years + 1)
    level = shock[:-1] + shock[1:]  # lag-1 correlation 0.5
    country, year = (axis.ravel() for axis in np.meshgrid(np.arange(countries), np.arange(years)))
    values = level[year]
    mean = lambda rows: float(values[rows].mean())  # noqa: E731
    one_by_one = uncertainty.cluster_interval([country, year], mean)
    in_runs = uncertainty.cluster_intervals([country, year], [mean], blocks=(1, 2))[0]
    ratio = (in_runs.high - in_runs.low) / (one_by_one.high - one_by_one.low)
    assert 1.1 < ratio < 1.35
    # runs keep every resample as large as the test: countries x years rows
    size = uncertainty.cluster_intervals([country, year], [lambda rows: float(len(rows))], blocks=(1, 2))
    assert size == [Interval(years * countries, years * countries)]
    assert uncertainty.cluster_intervals([country, year], [mean], blocks=(1, 1)) == [one_by_one]


def test_the_spaces_forecast_years_are_drawn_in_runs_of_their_window() -> None:
    from gbvs.forecasting.evaluation import origin_blocks

    assert origin_blocks(["closing_electoral", "closing_economic"]) == (1, 2)
    assert origin_blocks(["incidence"]) == (1, 1)  # a conflict target at h2/h3 is one outcome year


def test_one_year_cannot_be_resampled_either() -> None:
    country, year, values = _grid(countries=10, years=1)
    alone = uncertainty.cluster_interval([country, year], lambda rows: float(values[rows].mean()))
    assert np.isnan(alone.low) and np.isnan(alone.high)


def test_one_country_or_an_undefined_figure_gives_no_interval_and_no_verdict() -> None:
    values = np.arange(10.0)
    alone = uncertainty.cluster_interval([np.zeros(10, dtype=int)], lambda rows: float(values[rows].mean()))
    assert np.isnan(alone.low) and np.isnan(alone.high)
    assert goals.sampling_verdict(alone, ">=", 0.3) == "undecided"
    y = np.array([0, 0, 1, 0])  # resamples without the one event have no AP
    ap = uncertainty.cluster_interval([np.arange(4)], lambda rows: BINARY_SCORES["ap"](y[rows], rows / 4.0))
    assert goals.sampling_verdict(ap, ">=", 0.3) == "undecided"


def _rows(seed: int, p: np.ndarray, y: np.ndarray, target: str = "incidence") -> pd.DataFrame:
    n = len(y)
    return pd.DataFrame(
        {
            "gwcode": np.arange(n) % 7,
            "period": np.arange(n) // 7,
            "origin": np.arange(n) // 7 - 1,
            "target": target,
            "seed": seed,
            "y": y,
            "p": p,
        }
    )


def test_seeds_are_averaged_and_must_forecast_the_same_rows() -> None:
    rng = np.random.default_rng(1)
    y = (rng.random(70) < 0.3).astype(int)
    p0, p1 = rng.random(70), rng.random(70)
    rows = pd.concat([_rows(1, p1, y).iloc[::-1], _rows(0, p0, y)])  # another order per seed
    stack = uncertainty.seed_stack(rows, "gwcode", ("y", "p"))
    expected = np.mean([BINARY_SCORES["ap"](y, p0), BINARY_SCORES["ap"](y, p1)])
    assert stack.score("ap") == pytest.approx(expected)
    with pytest.raises(ValueError, match="seeds of one model forecast different rows"):
        uncertainty.seed_stack(pd.concat([_rows(0, p0, y), _rows(1, p1, y).iloc[1:]]), "gwcode", ("y", "p"))


def test_a_difference_is_paired_and_needs_the_same_rows() -> None:
    rng = np.random.default_rng(2)
    y = (rng.random(140) < 0.3).astype(int)
    ours = uncertainty.seed_stack(_rows(0, rng.random(140), y), "gwcode", ("y", "p"))
    assert uncertainty.cluster_interval(
        ours.factors, uncertainty.difference(ours, ours, "brier")
    ) == Interval(0.0, 0.0)
    better = uncertainty.seed_stack(_rows(0, 0.8 * y + 0.1, y), "gwcode", ("y", "p"))
    interval = uncertainty.cluster_interval(better.factors, uncertainty.difference(better, ours, "brier"))
    assert interval.high < 0  # a clearly better forecast on every resample
    shorter = uncertainty.seed_stack(_rows(0, rng.random(70), y[:70]), "gwcode", ("y", "p"))
    with pytest.raises(ValueError, match="not scored on the same rows"):
        uncertainty.difference(ours, shorter, "brier")


def test_score_of_gives_the_score_tables_figure_for_every_metric() -> None:
    rng = np.random.default_rng(3)
    y = (rng.random(60) < 0.4).astype(int)
    frame = pd.DataFrame({"y": y, "p": np.clip(rng.random(60), 0, 1)})
    for metric, value in score_group(frame, "binary").items():
        if metric not in ("n", "positives"):
            assert score_of(metric, {c: frame[c].to_numpy() for c in frame}) == pytest.approx(value)
    counts = pd.DataFrame(
        {
            "y": rng.poisson(5, 60).astype(float),
            "q0.5": rng.poisson(5, 60).astype(float) - 1,
            "crps": rng.random(60),
            "in50": rng.random(60) < 0.5,
            "in90": rng.random(60) < 0.9,
            "pin50": rng.random(60),
            "pin90": rng.random(60),
        }
    )
    scored = score_group(counts, "count")
    for metric in ("crps", "msle", "cov50", "cov90", "pit50", "pit90"):
        assert score_of(metric, {c: counts[c].to_numpy() for c in counts}) == pytest.approx(scored[metric])
    with pytest.raises(ValueError, match="unknown metric 'recall'"):
        score_of("recall", {})


@pytest.mark.parametrize(
    ("interval", "op", "bound", "verdict"),
    [
        (Interval(0.31, 0.40), ">=", 0.30, "met"),
        (Interval(0.30, 0.40), ">=", 0.30, "met"),  # on the line counts, as for the figure
        (Interval(0.20, 0.29), ">=", 0.30, "missed"),
        (Interval(0.25, 0.35), ">=", 0.30, "undecided"),
        (Interval(0.035, 0.038), "<=", 0.039, "met"),
        (Interval(0.0385, 0.0395), "<=", 0.039, "undecided"),
        (Interval(-90.0, -30.0), "<", 0.0, "met"),  # a difference to a baseline
        (Interval(-10.0, 0.0), "<", 0.0, "undecided"),  # a tie is not below
        (Interval(0.47, 0.53), "within", (0.45, 0.55), "met"),
        (Interval(0.40, 0.47), "within", (0.45, 0.55), "undecided"),
        (Interval(0.56, 0.60), "within", (0.45, 0.55), "missed"),
        (Interval(float("nan"), float("nan")), ">=", 0.30, "undecided"),
    ],
)
def test_sampling_verdicts(
    interval: Interval, op: str, bound: float | tuple[float, float], verdict: str
) -> None:
    assert goals.sampling_verdict(interval, op, bound) == verdict


def test_every_goal_of_a_backtest_gets_an_interval_around_its_figure(
    goal_backtest: pd.DataFrame, tmp_path: Path
) -> None:
    pred = goal_backtest
    scores = over_seeds(score_table(pred, "gwcode", {}))
    intervals = backtest_intervals(pred, pd.DataFrame(), "gwcode", resamples=200).goals
    in_workers = backtest_intervals(pred, pd.DataFrame(), "gwcode", resamples=200, jobs=2).goals
    assert in_workers.keys() == intervals.keys()  # the same resamples in 2 worker processes
    for label, interval in intervals.items():
        np.testing.assert_array_equal(astuple(in_workers[label]), astuple(interval), err_msg=label)
    rows = {row["goal"]: row for row in goals.goal_rows(scores, pd.DataFrame(), intervals)}
    scored_h1 = [spec for spec in goals.GOALS if spec.horizon == 1]
    assert set(rows) == {spec.label for spec in scored_h1}  # h2/h3 were not run
    for spec in scored_h1:
        row = rows[spec.label]
        assert row["sampling"] in goals.SAMPLING_VERDICTS
        if spec.subset == "onset" and np.isnan(row["low"]):  # some draws of 5 years have no onset
            assert row["sampling"] == "undecided"
            continue
        if isinstance(spec.bound, str):  # the difference to the baseline on the same rows
            baseline = goals.figure(scores, spec.bound, spec)
            assert row["interval_of"] == "difference" and baseline is not None
            assert row["low"] <= row["value"] - baseline <= row["high"]
        else:
            assert row["interval_of"] == "value" and row["low"] <= row["value"] <= row["high"]
    text = markdown(report_input(scores, intervals), list(rows.values()), [])
    assert "| goal | value | target | met | 95% interval | sampling |" in text
    assert "draw the countries and, independently, the forecast years" in text
    payload = write_report(report_input(scores, intervals), tmp_path)
    drawn = {"level": 0.95, "resamples": 1000, "resampled": ["country", "origin"], "space_origin_block": 2}
    assert payload["interval_method"] == drawn
    assert all(goal["sampling"] in goals.SAMPLING_VERDICTS for goal in payload["goals"])


def test_the_difference_to_demspaces_is_paired_on_the_same_country_years() -> None:
    rng = np.random.default_rng(4)
    y = (rng.random(210) < 0.3).astype(int)
    parts = []
    for seed in (0, 1):
        part = _rows(seed, np.clip(0.6 * y + 0.4 * rng.random(210), 0, 1), y, "closing_electoral")
        parts.append(part.assign(model="lgbm", direction="down", p_ds=0.5 * y + 0.5 * rng.random(210)))
    spaces = pd.concat(parts)
    found = backtest_intervals(
        spaces.assign(kind="binary", horizon=1, onset_subset=False), spaces, "gwcode", resamples=200
    )
    table = found.demspaces_differences.set_index("metric")
    first = spaces[spaces["seed"] == 0]
    ours = np.mean([BINARY_SCORES["ap"](y, part["p"].to_numpy()) for part in parts])
    assert table.loc["ap", "difference"] == pytest.approx(
        ours - BINARY_SCORES["ap"](y, first["p_ds"].to_numpy())
    )
    for metric in ("ap", "roc_auc"):
        assert table.loc[metric, "low"] <= table.loc[metric, "difference"] <= table.loc[metric, "high"]
    assert (table["n"] == 210).all()
    ours_ap = found.goals["closing (pooled 6 spaces): ap"]  # from the same resamples as the difference
    assert ours_ap.low <= ours <= ours_ap.high


def test_the_backtest_command_prints_each_goals_interval_and_verdict() -> None:
    from gbvs.cli.forecast import _sampling
    from gbvs.forecasting.service import Goal

    onset = Goal(
        "incidence h1, onset subset: ap", 0.289, ">= 0.3", False, "value", 0.2104, 0.3917, "undecided"
    )
    crps = Goal("battle_deaths h1, all rows: crps vs persistence", 322.2, "< persistence (385.9)", True,
                "difference", -155.56, -11.33, "met")  # fmt: skip
    assert _sampling(onset) == ", 95% interval [0.2104, 0.3917]: undecided"
    assert _sampling(crps) == ", 95% interval of the difference [-155.6, -11.33]: met"
    assert _sampling(Goal("incidence h1, all rows: ap", 0.93, ">= 0.92", True)) == ""  # a quick run


def test_the_conflict_goals_are_compared_with_the_history_baseline_on_the_same_rows(
    goal_backtest: pd.DataFrame, tmp_path: Path
) -> None:
    scores = over_seeds(score_table(goal_backtest, "gwcode", {}))
    found = backtest_intervals(goal_backtest, pd.DataFrame(), "gwcode", resamples=100)
    rows = goals.comparison_rows(scores, found.goals, found.left_out)
    assert [row["goal"] for row in rows] == [  # the h1 threshold goals of incidence (h2/h3 were not run)
        "incidence h1, all rows: ap vs history_logit",
        "incidence h1, all rows: brier vs history_logit",
        "incidence h1, onset subset: ap vs history_logit",
        "incidence h1, onset subset: roc_auc vs history_logit",
    ]
    for row, spec in zip(rows, goals.COMPARISONS, strict=False):
        ours, theirs = goals.figure(scores, "lgbm", spec), goals.figure(scores, "history_logit", spec)
        assert ours is not None and theirs is not None
        assert (row["value"], row["baseline_value"]) == (ours, theirs)
        assert row["difference"] == pytest.approx(ours - theirs)
        assert row["met"] == (ours <= theirs if spec.metric == "brier" else ours >= theirs)
        assert row["interval_of"] == "difference" and row["sampling"] in goals.SAMPLING_VERDICTS
        if not np.isnan(row["low"]):
            assert row["low"] <= row["difference"] <= row["high"]
        assert {rest["left_out"] for rest in row["rests_on"]} == {"country", "origin"}
    payload = write_report(report_input(scores, found.goals, found.left_out), tmp_path)
    assert [row["goal"] for row in payload["comparisons"]] == [row["goal"] for row in rows]
    text = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "## Gain over the conflict-history baseline" in text
    assert f"| {rows[0]['goal']} | {rows[0]['value']:.4f} | {rows[0]['baseline_value']:.4f} |" in text
    quick = write_report(report_input(scores, {}), tmp_path / "quick")  # no intervals: a quick run
    assert quick["comparisons"] == []
