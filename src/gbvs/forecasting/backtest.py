"""Honest rolling-origin backtest with an expanding window.

For every forecast period ``P`` in ``[first, last]`` and horizon ``h`` the origin is ``P - h``; the
model sees the panel cut at that origin (:func:`gbvs.forecasting.engine.origin_frame`) and trains on
rows whose outcome was published by then (:func:`gbvs.forecasting.domain.label_known_by`). Truth
comes from the full panel. Seeded models run once per seed; deterministic baselines run once.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
import pandas as pd

from gbvs.forecasting.domain import Target, TargetKind, UnitSpec, check_horizon
from gbvs.forecasting.engine import SEEDED_MODELS, fit_predict, model_set, origin_frame, training_set
from gbvs.forecasting.labels import add_demspaces_events, label
from gbvs.forecasting.metrics import (
    COVERAGE_LEVELS,
    INSIDE,
    PIT_INSIDE,
    coverage_column,
    crps,
    inside_interval,
    mid_pit,
    pit_coverage,
)
from gbvs.forecasting.models.base import seed_free

MAIN_MODEL = "lgbm"
QUANTILE_NAMES = {"q0.05": "q05", "q0.25": "q25", "q0.5": "q50", "q0.75": "q75", "q0.95": "q95"}
"""Backtest quantile columns -> the forecasts file's names."""

Progress = Callable[[str], None]
Steps = Callable[[str, int, int], None]
"""Structured progress: ``(label, done, total)`` after each step (a fold, a target); the CLI draws bars."""


@dataclass(frozen=True)
class BacktestPlan:
    """What to backtest: unit, targets, horizons per target, forecast periods and seeds."""

    spec: UnitSpec
    targets: tuple[Target, ...]
    first: int
    last: int
    seeds: tuple[int, ...] = (0, 1, 2)
    horizons: tuple[int, ...] | None = None
    fast: bool = False
    n_jobs: int = 1
    screen: int | None = None
    """Features the main models keep (None: the engine's choice per target, ``engine.feature_screen``)."""

    def horizons_for(self, target: Target) -> tuple[int, ...]:
        """The target's horizons, restricted to ``horizons`` if given (each checked)."""
        allowed = target.horizons(self.spec)
        chosen = allowed if self.horizons is None else tuple(h for h in self.horizons if h in allowed)
        return tuple(check_horizon(target, self.spec, h) for h in chosen)

    def origins(self) -> list[int]:
        """Every origin any target/horizon needs, in time order."""
        found = {
            p - h
            for t in self.targets
            for h in self.horizons_for(t)
            for p in range(self.first, self.last + 1)
        }
        return sorted(found)


@dataclass
class BacktestResult:
    """Forecast rows with their truth, and the time spent per stage (seconds)."""

    predictions: pd.DataFrame
    timings: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Truth:
    """Keys of the full panel with the conflict state at ``t`` and each (target, horizon) outcome."""

    keys: pd.DataFrame
    outcomes: dict[tuple[str, int], pd.Series]


def _truth(panel: pd.DataFrame, plan: BacktestPlan, cutpoints: Mapping[str, float] | None) -> Truth:
    full = add_demspaces_events(panel, dict(cutpoints), plan.spec.key) if cutpoints else panel
    outcomes = {
        (target.name, h): label(full, target, h, plan.spec.key)
        for target in plan.targets
        for h in plan.horizons_for(target)
    }
    keys = full[[plan.spec.key, "period"]].assign(conflict_t=full["conflict"].astype(float))
    return Truth(keys, outcomes)


def _runs(target: Target, plan: BacktestPlan) -> list[tuple[str, int]]:
    names = list(model_set(target, plan.spec, 0, plan.fast))
    return [(m, s) for m in names for s in (plan.seeds if m in SEEDED_MODELS else plan.seeds[:1])]


def _origin_rows(
    frame_args: tuple[Any, Any, Any], plan: BacktestPlan, origin: int, timings: dict[str, float]
) -> list[pd.DataFrame]:
    panel, cutpoints, neighbours = frame_args
    started = time.perf_counter()
    frame = origin_frame(panel, plan.spec, origin, cutpoints, neighbours)
    timings["features"] = timings.get("features", 0.0) + time.perf_counter() - started
    rows = []
    for target in plan.targets:
        for h in plan.horizons_for(target):
            if not plan.first <= origin + h <= plan.last:
                continue
            started = time.perf_counter()
            training = training_set(frame, target, h, plan.spec.key)  # the same rows for every model
            fitted: dict[str, pd.DataFrame] = {}
            for name, seed in _runs(target, plan):
                model = model_set(target, plan.spec, seed, plan.fast, plan.screen)[name]
                if name in fitted and seed_free(model):
                    out = fitted[name]  # the same model as at the first seed, so the same forecast
                else:
                    _, out = fit_predict(model, frame, target, h, plan.spec.key, training)
                    fitted[name] = out
                rows.append(out.assign(model=name, seed=seed, target=target.name, horizon=h, origin=origin))
            stage = f"fit {target.name}"
            timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - started
    return rows


def _attach_truth(pred: pd.DataFrame, truth: Truth, plan: BacktestPlan) -> pd.DataFrame:
    key = plan.spec.key
    out = []
    for (target, h), group in pred.groupby(["target", "horizon"], sort=False):
        column = truth.keys.assign(y=truth.outcomes[(str(target), int(cast(int, h)))])
        out.append(group.merge(column, on=[key, "period"], how="left"))
    joined = pd.concat(out, ignore_index=True)
    joined = joined[joined["y"].notna()].reset_index(drop=True)
    joined["forecast_period"] = joined["origin"] + joined["horizon"]
    joined["onset_subset"] = joined["conflict_t"].eq(0)
    return joined


_INSIDE = tuple(coverage_column(kind, level) for kind in (INSIDE, PIT_INSIDE) for level in COVERAGE_LEVELS)


def _score_counts(pred: pd.DataFrame, plan: BacktestPlan) -> pd.DataFrame:
    if "samples" not in pred.columns:
        return pred
    counts = pred["samples"].notna()
    mask = counts.to_numpy()
    scored = {name: np.full(len(pred), np.nan) for name in ("crps", "pit", *_INSIDE)}
    if counts.any():
        samples = np.vstack(pred.loc[counts, "samples"].to_list())
        observed = pred.loc[counts, "y"].to_numpy()
        scored["crps"][mask] = crps(observed, samples)
        scored["pit"][mask] = mid_pit(observed, samples)
        for level in COVERAGE_LEVELS:
            scored[coverage_column(INSIDE, level)][mask] = inside_interval(observed, samples, level)
            scored[coverage_column(PIT_INSIDE, level)][mask] = pit_coverage(observed, samples, level)
    return pred.drop(columns=["samples"]).assign(**scored)


def _one_origin(
    frame_args: tuple[Any, Any, Any], plan: BacktestPlan, origin: int
) -> tuple[list[pd.DataFrame], dict[str, float]]:
    timings: dict[str, float] = {}
    return _origin_rows(frame_args, plan, origin, timings), timings


PlanRun = tuple[BacktestPlan, Mapping[str, float] | None]
"""A plan and the democratic-space cutpoints its targets need (None for conflict targets)."""


def _largest_first(origins: Sequence[list[int]]) -> list[tuple[int, int]]:
    """``(plan index, origin)`` of every plan's origins, the latest origins first: an origin trains on
    every earlier period, so the latest cost most, and a pool that starts them first ends on small ones
    instead of leaving a worker idle behind one large fit."""
    tasks = [(i, origin) for i, plan_origins in enumerate(origins) for origin in plan_origins]
    return sorted(tasks, key=lambda task: (-task[1], task[0]))


def _all_origins(
    panel: pd.DataFrame,
    runs: Sequence[PlanRun],
    neighbours: Mapping[int, Sequence[int]] | None,
    origins: Sequence[list[int]],
    progress: Progress | None,
    steps: Steps | None = None,
) -> list[tuple[list[pd.DataFrame], dict[str, float]]]:
    """Fit every origin of every plan, in one pool of the largest ``n_jobs`` worker processes (same
    results as one at a time), and return per plan its rows and stage timings.

    ``steps`` hears ``(targets, folds done, folds)`` of a plan after each of its origins.
    """
    tasks = _largest_first(origins)
    jobs = max(plan.n_jobs for plan, _ in runs)
    args = [(panel, cutpoints, neighbours) for _, cutpoints in runs]
    if jobs > 1:
        from joblib import Parallel, delayed  # type: ignore[import-untyped]

        results = Parallel(n_jobs=jobs, return_as="generator")(
            delayed(_one_origin)(args[i], runs[i][0], origin) for i, origin in tasks
        )
    else:
        results = (_one_origin(args[i], runs[i][0], origin) for i, origin in tasks)
    done: list[dict[int, tuple[list[pd.DataFrame], dict[str, float]]]] = [{} for _ in runs]
    for (i, origin), result in zip(tasks, results, strict=True):
        done[i][origin] = result
        plan = runs[i][0]
        if progress:
            progress(f"origin {origin}: done")
        if steps:
            steps(", ".join(target.name for target in plan.targets), len(done[i]), len(origins[i]))
    return [_in_time_order(plan_done) for plan_done in done]


def _in_time_order(
    done: dict[int, tuple[list[pd.DataFrame], dict[str, float]]],
) -> tuple[list[pd.DataFrame], dict[str, float]]:
    """The rows of a plan's origins in time order (as one at a time would give them), and the summed
    stage timings."""
    rows: list[pd.DataFrame] = []
    timings: dict[str, float] = {}
    for _, (origin_rows, origin_timings) in sorted(done.items()):
        rows.extend(origin_rows)
        for stage, seconds in origin_timings.items():
            timings[stage] = timings.get(stage, 0.0) + seconds
    return rows, timings


def run_backtest(
    panel: pd.DataFrame,
    plan: BacktestPlan,
    cutpoints: Mapping[str, float] | None = None,
    neighbours: Mapping[int, Sequence[int]] | None = None,
    progress: Progress | None = None,
    steps: Steps | None = None,
) -> BacktestResult:
    """Run the rolling-origin backtest of ``plan`` on ``panel`` (with ``period``)."""
    return run_backtests(panel, [(plan, cutpoints)], neighbours, progress, steps)


def run_backtests(
    panel: pd.DataFrame,
    runs: Sequence[PlanRun],
    neighbours: Mapping[int, Sequence[int]] | None = None,
    progress: Progress | None = None,
    steps: Steps | None = None,
) -> BacktestResult:
    """Run the rolling-origin backtests of ``runs`` on ``panel`` (with ``period``), their origins in one
    pool, and return the rows of all of them.

    Stage timings are summed over origins (with ``n_jobs > 1`` that is CPU time across workers);
    ``fitting (wall)`` is the elapsed time of the fitting.
    """
    last_observed = int(panel["period"].max())
    origins = [[o for o in plan.origins() if o <= last_observed] for plan, _ in runs]
    started = time.perf_counter()
    fitted = _all_origins(panel, runs, neighbours, origins, progress, steps)
    timings = {"fitting (wall)": time.perf_counter() - started}
    preds = []
    for (plan, cutpoints), (rows, plan_timings) in zip(runs, fitted, strict=True):
        for stage, seconds in plan_timings.items():
            timings[stage] = timings.get(stage, 0.0) + seconds
        started = time.perf_counter()
        truth = _truth(panel, plan, cutpoints)
        pred = _score_counts(_attach_truth(pd.concat(rows, ignore_index=True), truth, plan), plan)
        timings["truth and scoring"] = timings.get("truth and scoring", 0.0) + time.perf_counter() - started
        pred["kind"] = pred["target"].map({t.name: t.kind.value for t in plan.targets})
        if any(t.kind is TargetKind.counts for t in plan.targets) and "p" not in pred.columns:
            pred["p"] = np.nan
        preds.append(pred)
    return BacktestResult(pd.concat(preds, ignore_index=True), timings)


def seed_means(pred: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """The main model's forecasts averaged over its seeds, one row per ``keys``: the probability and,
    for counts, each quantile (what the live forecast publishes)."""
    rows = pred[pred["model"] == MAIN_MODEL]
    values = [column for column in ("p", *QUANTILE_NAMES) if column in rows.columns]
    return rows.groupby(list(keys), as_index=False)[values].mean()


def main_model_forecasts(pred: pd.DataFrame, key: str) -> pd.DataFrame:
    """The main model's out-of-sample forecasts as the forecasts file stores them: one row per unit,
    target, horizon and origin, the probability averaged over the seeds (as the live forecast does)
    and, for counts, each quantile averaged over the seeds."""
    means = seed_means(pred, [key, "target", "horizon", "origin", "forecast_period"])
    return means.rename(columns={key: "unit_key", **QUANTILE_NAMES})
