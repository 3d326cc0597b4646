"""Backtest rows -> score tables per model, target, horizon, subset and region (mean and sd over seeds)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import pandas as pd

from gbvs.forecasting import goals, uncertainty
from gbvs.forecasting.anchor import DIRECTIONS, PUBLISHED_MODEL, trained_on
from gbvs.forecasting.backtest import MAIN_MODEL, seed_means
from gbvs.forecasting.domain import DEMSPACES_NAMES, TARGETS
from gbvs.forecasting.metrics import binary_scores, pit_histogram, reliability, score_group

BINARY_METRICS = ("ap", "roc_auc", "brier", "log_loss", "ece")
SEED_MEAN = "lgbm_seed_mean"
"""The main model as it is published: its probability averaged over the seeds, as the live forecast
(``planning.LIVE_SEEDS``) and the stored track record average it. Scored as one more model on the same
rows, beside the mean ± sd of the seeds' own scores."""
COUNT_METRICS = ("crps", "msle", "cov50", "cov90", "pit50", "pit90")


ORIGIN_SUBSET = "origin:"
"""Prefix of the subsets of one forecast year (``origin:2015``: the forecasts made with data up to 2015):
how the skill moved over the test years, which no interval says (the intervals draw the years)."""


BY_YEAR_MODELS = (MAIN_MODEL, goals.HISTORY_BASELINE)
"""The models the report and ``/modelprestaties`` compare per forecast year: ours and conflict history."""


BY_YEAR_TARGET = ("incidence", 1)
"""The target and horizon the report and ``/modelprestaties`` give per forecast year."""


def origin_subset(origin: int) -> str:
    """The score subset of the forecasts made in ``origin``."""
    return f"{ORIGIN_SUBSET}{int(origin)}"


def origin_of(subset: str) -> int | None:
    """The forecast year of an :func:`origin_subset` (``origin:2015`` -> 2015), else None."""
    year = subset.removeprefix(ORIGIN_SUBSET)
    return int(year) if year != subset and year.isdigit() else None


def _subsets(group: pd.DataFrame, regions: Mapping[str, frozenset[int]], key: str) -> dict[str, pd.DataFrame]:
    out = {"all": group}
    if group["target"].iloc[0] in ("incidence", "war", "battle_deaths"):
        out["onset"] = group[group["onset_subset"]]
    for region, members in regions.items():
        out[f"region:{region}"] = group[group[key].isin(members)]
    if "origin" in group:  # rows of a backtest; hand-made rows may have none
        for origin, rows in group.groupby("origin", sort=True):
            out[origin_subset(int(cast(int, origin)))] = rows
    return out


def with_seed_mean(pred: pd.DataFrame, key: str) -> pd.DataFrame:
    """``pred`` plus the rows of :data:`SEED_MEAN` (binary targets, when the main model ran with more than
    one seed): per unit, target, horizon and origin the main model's probability averaged over its seeds.
    Counts are left out: their samples are scored and dropped before this point."""
    main = pred[(pred["model"] == MAIN_MODEL) & (pred["kind"] == "binary")]
    if main.empty or main["seed"].nunique() < 2:
        return pred
    keys = [key, "period", "target", "horizon", "origin"]
    first = main[main["seed"] == main["seed"].min()].drop(columns="p")
    means = seed_means(main, keys)[[*keys, "p"]]
    published = first.merge(means, on=keys, validate="one_to_one").assign(model=SEED_MEAN)
    return pd.concat([pred, published[pred.columns]], ignore_index=True)


SCORE_CHUNKS_PER_JOB = 4
"""Chunks of groups per worker when :func:`score_table` scores in parallel (groups differ in size)."""


def score_table(
    pred: pd.DataFrame, key: str, regions: Mapping[str, frozenset[int]], jobs: int = 1
) -> pd.DataFrame:
    """One row per (model, target, horizon, subset, seed) with the metrics; with ``jobs`` > 1 the groups
    are scored in that many worker processes (same table)."""
    groups = list(pred.groupby(["model", "target", "horizon", "seed"], sort=True))
    if jobs < 2 or len(groups) < 2:
        return pd.DataFrame(_score_groups(groups, regions, key))
    from joblib import Parallel, delayed  # type: ignore[import-untyped]

    size = -(-len(groups) // (jobs * SCORE_CHUNKS_PER_JOB))
    chunks = [groups[start : start + size] for start in range(0, len(groups), size)]
    parts = Parallel(n_jobs=jobs)(delayed(_score_groups)(chunk, regions, key) for chunk in chunks)
    return pd.DataFrame([row for part in parts for row in part])


def _score_groups(
    groups: list[tuple[Any, pd.DataFrame]], regions: Mapping[str, frozenset[int]], key: str
) -> list[dict[str, Any]]:
    rows = []
    for keys, group in groups:
        model, target, h, seed = cast(tuple[Any, ...], keys)
        kind = group["kind"].iloc[0]
        for subset, rows_of in _subsets(group, regions, key).items():
            if rows_of.empty:
                continue
            scores = score_group(rows_of, kind)
            rows.append(
                {"model": model, "target": target, "horizon": h, "seed": seed, "subset": subset, **scores}
            )
    return rows


def over_seeds(table: pd.DataFrame) -> pd.DataFrame:
    """Mean and standard deviation over seeds of each metric."""
    metrics = [m for m in (*BINARY_METRICS, *COUNT_METRICS) if m in table.columns]
    keys = ["model", "target", "horizon", "subset"]
    agg = table.groupby(keys)[metrics].agg(["mean", "std"])
    agg.columns = [f"{c[0]}_{c[1]}" for c in agg.columns]
    counts = table.groupby(keys)[["n", "positives", "seed"]].agg(
        {"n": "first", "positives": "first", "seed": "nunique"}
    )
    return agg.join(counts.rename(columns={"seed": "seeds"})).reset_index()


def reliability_curves(pred: pd.DataFrame, target: str, horizon: int) -> dict[str, dict[str, list[float]]]:
    """Reliability curve per model (seed 0 or the first seed) for one target and horizon."""
    rows = pred[(pred["target"] == target) & (pred["horizon"] == horizon) & (pred["kind"] == "binary")]
    return _curves_by_model(rows)


def space_reliability(pred: pd.DataFrame) -> dict[str, dict[str, dict[str, list[float]]]]:
    """Reliability curve per model (first seed) of the democratic-space forecasts, the six spaces pooled
    per direction as the goals pool them: ``{"closing": {model: curve}, "opening": ...}``; a direction
    the run did not forecast is left out."""
    binary = pred[pred["kind"] == "binary"]
    found = {}
    for prefix in DIRECTIONS.values():
        rows = binary[binary["target"].str.startswith(f"{prefix}_")]
        if not rows.empty:
            found[prefix] = _curves_by_model(rows)
    return found


def _curves_by_model(rows: pd.DataFrame) -> dict[str, dict[str, list[float]]]:
    curves = {}
    for model, group in rows.groupby("model"):
        first = group[group["seed"] == group["seed"].min()]
        curves[str(model)] = reliability(first["y"].to_numpy(), first["p"].to_numpy())
    return curves


def pit_histograms(pred: pd.DataFrame, target: str, horizon: int) -> dict[str, dict[str, list[float]]]:
    """PIT histogram per count model (first seed) for one target and horizon; empty without PIT values."""
    if "pit" not in pred.columns:
        return {}
    rows = pred[(pred["target"] == target) & (pred["horizon"] == horizon) & pred["pit"].notna()]
    if rows.empty:
        return {}
    histograms = {}
    for model, group in rows.groupby("model"):
        first = group[group["seed"] == group["seed"].min()]
        histograms[str(model)] = pit_histogram(first["pit"].to_numpy())
    return {f"{target} h{horizon}": histograms}


def published_by_direction(published: pd.DataFrame) -> pd.DataFrame:
    """DemSpaces' published forecasts one row per space, origin, country and direction (``down``/``up``),
    the probability in ``p_ds``."""
    theirs = published.melt(
        id_vars=["outcome", "from_year", "gwcode"],
        value_vars=["p_up", "p_down"],
        var_name="direction",
        value_name="p_ds",
    )
    theirs["direction"] = theirs["direction"].str.removeprefix("p_")
    return theirs


def demspaces_rows(pred: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """Our democratic-space backtest rows on the country-years DemSpaces v14 also forecast, with their
    probability in ``p_ds`` and the direction (``down``/``up``) and V-Dem index (``outcome``)."""
    ours = pred[pred["target"].str.startswith(("closing_", "opening_"))].copy()
    if ours.empty or published.empty:
        return pd.DataFrame()
    space_of = {name: index for index, name in DEMSPACES_NAMES.items()}
    ours["direction"] = np.where(ours["target"].str.startswith("closing_"), "down", "up")
    ours["outcome"] = ours["target"].str.split("_", n=1).str[1].map(space_of)
    return ours.merge(
        published_by_direction(published),
        left_on=["outcome", "origin", "gwcode", "direction"],
        right_on=["outcome", "from_year", "gwcode", "direction"],
    )


def demspaces_comparison(merged: pd.DataFrame) -> pd.DataFrame:
    """Pooled scores per direction on the country-years both we and DemSpaces v14 forecast
    (:func:`demspaces_rows`), with what each model's past forecasts were trained on (``trained_on``,
    :class:`~gbvs.forecasting.anchor.TrainedOn`)."""
    if merged.empty:
        return pd.DataFrame()
    rows: list[dict[str, Any]] = []
    for keys, group in merged.groupby(["direction", "model", "seed"]):
        direction, model, seed = cast(tuple[Any, ...], keys)
        scores = binary_scores(group["y"].to_numpy(), group["p"].to_numpy())
        rows.append({"direction": direction, "model": model, "seed": seed, **scores})
    for direction, group in _first_seed_of_main(merged).groupby("direction"):
        rows.append(
            {
                "direction": direction,
                "model": PUBLISHED_MODEL,
                "seed": group["seed"].iloc[0],
                **binary_scores(group["y"].to_numpy(), group["p_ds"].to_numpy()),
            }
        )
    table = pd.DataFrame(rows)
    metrics = [*BINARY_METRICS]
    agg = table.groupby(["direction", "model"])[metrics].agg(["mean", "std"])
    agg.columns = [f"{c[0]}_{c[1]}" for c in agg.columns]
    counts = table.groupby(["direction", "model"])[["n", "positives"]].first()
    out = agg.join(counts).reset_index()
    return out.assign(trained_on=[trained_on(str(model)).value for model in out["model"]])


def _first_seed_of_main(merged: pd.DataFrame) -> pd.DataFrame:
    """The main model's rows of its first seed: DemSpaces' own forecasts are scored once, on these."""
    main = merged[merged["model"] == MAIN_MODEL]
    return main[main["seed"] == merged["seed"].min()]


COUNT_COLUMNS = ("y", "q0.5", "crps", "in50", "in90", "pin50", "pin90")
"""The per-row columns a battle-death figure is scored from (:func:`~gbvs.forecasting.metrics.score_of`)."""
DIFFERENCE_METRICS = ("ap", "roc_auc")
"""The democratic-space metrics whose difference to DemSpaces v14 the report gives with an interval."""


@dataclass(frozen=True)
class BacktestIntervals:
    """How sure the backtest's figures are (:mod:`gbvs.forecasting.uncertainty`)."""

    goals: dict[str, uncertainty.Interval]
    """The 95% interval of each goal's figure by goal label; for a goal against a baseline (and each of
    :data:`~gbvs.forecasting.goals.COMPARISONS`), of the difference main model − baseline."""
    left_out: dict[str, list[uncertainty.LeftOut]]
    """Each goal's figure (or difference) without each country and without each forecast year, by goal
    label (:func:`gbvs.forecasting.uncertainty.leave_one_out`)."""
    demspaces_differences: pd.DataFrame
    """Per direction and metric of :data:`DIFFERENCE_METRICS`: ``difference`` (main model, mean over
    seeds, − DemSpaces v14 on the same country-years), ``low``, ``high`` and ``n`` (rows)."""


def backtest_intervals(
    pred: pd.DataFrame,
    spaces: pd.DataFrame,
    key: str,
    resamples: int = uncertainty.RESAMPLES,
    jobs: int = 1,
) -> BacktestIntervals:
    """The intervals of the goals' figures and of our difference to DemSpaces, resampling countries and
    forecast years (:mod:`gbvs.forecasting.uncertainty`): the figures that share rows (one target,
    horizon and subset; one direction of the spaces) share one bootstrap, and with ``jobs`` > 1 the
    bootstraps run in that many worker processes (same intervals). ``spaces``: :func:`demspaces_rows`
    (empty without DemSpaces)."""
    tasks: list[Any] = [
        (_conflict_intervals, _rows_of_goals(pred, specs), key, specs, resamples)
        for specs in _goals_by_rows()
    ]
    if not spaces.empty:
        main = spaces[spaces["model"] == MAIN_MODEL]
        tasks += [(_space_intervals, str(d), ours, key, resamples) for d, ours in main.groupby("direction")]
    if jobs > 1 and len(tasks) > 1:
        from joblib import Parallel, delayed

        done = Parallel(n_jobs=jobs)(delayed(task[0])(*task[1:]) for task in tasks)
    else:
        done = [task[0](*task[1:]) for task in tasks]
    found: dict[str, uncertainty.Interval] = {}
    left_out: dict[str, list[uncertainty.LeftOut]] = {}
    differences: list[dict[str, Any]] = []
    for part in done:
        found |= part.intervals
        left_out |= part.left_out
        differences += part.differences
    return BacktestIntervals(found, left_out, pd.DataFrame(differences))


def _goals_by_rows() -> list[list[goals.GoalSpec]]:
    """The conflict goals and the comparisons with the conflict-history baseline, grouped by the rows
    they are scored on (target, horizon, subset)."""
    groups: dict[tuple[str, int, str], list[goals.GoalSpec]] = {}
    for spec in (*goals.GOALS, *goals.COMPARISONS):
        groups.setdefault((spec.target, spec.horizon, spec.subset), []).append(spec)
    return list(groups.values())


def _rows_of_goals(pred: pd.DataFrame, specs: list[goals.GoalSpec]) -> dict[str, pd.DataFrame]:
    """The rows of the main model and of each baseline the goals name, for the goals' target, horizon
    and subset (models without such rows are left out)."""
    models = {MAIN_MODEL, *(spec.bound for spec in specs if isinstance(spec.bound, str))}
    found = {model: _goal_rows(pred, model, specs[0]) for model in sorted(models)}
    return {model: rows for model, rows in found.items() if not rows.empty}


@dataclass(frozen=True)
class IntervalsFound:
    """What one bootstrap found: goal intervals and leave-one-out figures by goal label, and rows of the
    difference to DemSpaces (empty for the conflict goals)."""

    intervals: dict[str, uncertainty.Interval]
    left_out: dict[str, list[uncertainty.LeftOut]]
    differences: list[dict[str, Any]]


def _found(
    labels: list[str], stack: uncertainty.SeedStack, statistics: list[uncertainty.Statistic], resamples: int
) -> tuple[dict[str, uncertainty.Interval], dict[str, list[uncertainty.LeftOut]], list[uncertainty.Interval]]:
    """The intervals and leave-one-out figures of ``statistics`` on ``stack``'s rows, the first
    ``len(labels)`` by goal label; also every interval in order. The forecast years are drawn in blocks
    of the targets' outcome window (:func:`origin_blocks`)."""
    blocks = origin_blocks(stack.rows[:, 1 + uncertainty.ROW_KEYS.index("target")])
    intervals = uncertainty.cluster_intervals(stack.factors, statistics, resamples, blocks=blocks)
    without = uncertainty.leave_one_out(stack.named_factors, statistics[: len(labels)])
    labelled = intervals[: len(labels)]
    return dict(zip(labels, labelled, strict=True)), dict(zip(labels, without, strict=True)), intervals


def origin_blocks(targets: Any) -> tuple[int, int]:
    """Per factor of :data:`~gbvs.forecasting.uncertainty.RESAMPLED` how many consecutive clusters a
    draw takes: countries one by one, forecast years in runs of the longest outcome window among
    ``targets`` (target names), so origins whose windows share an outcome year are drawn together."""
    return 1, max(TARGETS[str(target)].window for target in set(targets))


def _conflict_intervals(
    rows_of: dict[str, pd.DataFrame], key: str, specs: list[goals.GoalSpec], resamples: int
) -> IntervalsFound:
    ours = rows_of.get(MAIN_MODEL)
    if ours is None:
        return IntervalsFound({}, {}, [])
    columns = ("y", "p") if ours["kind"].iloc[0] == "binary" else COUNT_COLUMNS
    theirs = {model: rows for model, rows in rows_of.items() if model != MAIN_MODEL}
    for rows in theirs.values():  # the rows every model forecast
        ours, _ = uncertainty.common_rows(ours, rows, key)
    mine = uncertainty.seed_stack(ours, key, columns)
    stacks = {
        name: uncertainty.seed_stack(uncertainty.common_rows(rows, ours, key)[0], key, columns)
        for name, rows in theirs.items()
    }
    statistics = {}
    for spec in specs:
        if not isinstance(spec.bound, str):
            statistics[spec.label] = uncertainty.figure(mine, spec.metric)
        elif spec.bound in stacks:
            statistics[spec.label] = uncertainty.difference(mine, stacks[spec.bound], spec.metric)
    intervals, left_out, _ = _found(list(statistics), mine, list(statistics.values()), resamples)
    return IntervalsFound(intervals, left_out, [])


def _goal_rows(pred: pd.DataFrame, model: str, spec: goals.GoalSpec) -> pd.DataFrame:
    rows = pred[
        (pred["model"] == model) & (pred["target"] == spec.target) & (pred["horizon"] == spec.horizon)
    ]
    return rows[rows["onset_subset"].astype(bool)] if spec.subset == "onset" else rows


def _space_intervals(direction: str, ours: pd.DataFrame, key: str, resamples: int) -> IntervalsFound:
    """One direction's goal intervals and its differences to DemSpaces v14, from one bootstrap."""
    mine = uncertainty.seed_stack(ours, key, ("y", "p"))
    first = ours[ours["seed"] == ours["seed"].min()]
    theirs = uncertainty.seed_stack(first.assign(p=first["p_ds"]), key, ("y", "p"))
    space_goals = [goal for goal in goals.SPACE_GOALS if goal.direction == direction]
    statistics = [uncertainty.figure(mine, goal.metric) for goal in space_goals]
    statistics += [uncertainty.difference(mine, theirs, metric) for metric in DIFFERENCE_METRICS]
    labels = [goal.label for goal in space_goals]
    intervals, left_out, found = _found(labels, mine, statistics, resamples)
    rows = [
        {
            "direction": direction,
            "metric": metric,
            "difference": mine.score(metric) - theirs.score(metric),
            "low": interval.low,
            "high": interval.high,
            "n": len(first),
        }
        for metric, interval in zip(DIFFERENCE_METRICS, found[len(space_goals) :], strict=True)
    ]
    return IntervalsFound(intervals, left_out, rows)
