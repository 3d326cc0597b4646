"""How sure a backtest figure is: a bootstrap over countries.

A backtest figure rests on a few dozen to a few thousand events in about 170 countries, and a country's
years are not independent (a country in conflict tends to stay in conflict), so resampling single rows
would understate the uncertainty. The interval resamples whole countries with replacement, all their
rows with them, scores every resample as the figure itself is scored (per seed, then the mean over the
seeds) and takes the central 95% of :data:`RESAMPLES` resamples (``scipy.stats.bootstrap``, percentile
method, a fixed random state so that a report can be reproduced). A difference between two models is
resampled paired: the same countries for both, on the rows both forecast.

What it does not capture: the test years are one stretch of history (2005-2022), and a world that
changes after them changes the skill too; the interval is about which countries happened to be in the
sample, not about the future.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import DegenerateDataWarning, bootstrap

from gbvs.forecasting.metrics import score_of

LEVEL = 0.95
RESAMPLES = 1000
RANDOM_STATE = 0
ROW_KEYS = ("period", "origin", "target")
"""With the unit's key, what identifies a backtest row of one model, horizon and seed (the six
democratic spaces of one direction are scored pooled, so the target is part of it)."""


@dataclass(frozen=True)
class Interval:
    """A central interval of a figure."""

    low: float
    high: float


@dataclass(frozen=True)
class SeedStack:
    """One model's backtest rows of one target, horizon and subset, the same rows for every seed: the
    country of each row and per-row columns with one line per seed (``columns[name][seed, row]``)."""

    clusters: np.ndarray
    rows: np.ndarray
    """Per row its key, period, origin and target (what :func:`difference` pairs on)."""
    columns: dict[str, np.ndarray]

    def score(self, metric: str, rows: np.ndarray | slice = slice(None)) -> float:
        """The mean over seeds of ``metric`` on ``rows`` (positions, repeats allowed)."""
        seeds = next(iter(self.columns.values())).shape[0]
        per_seed = [
            score_of(metric, {name: values[seed, rows] for name, values in self.columns.items()})
            for seed in range(seeds)
        ]
        return float(np.mean(per_seed))


def seed_stack(rows: pd.DataFrame, key: str, columns: Sequence[str]) -> SeedStack:
    """Align ``rows`` (one model, target, horizon and subset; column ``seed``) across seeds.

    Raises ``ValueError`` when the seeds forecast different rows: a figure averaged over seeds that
    scored different rows has no single set of countries to resample."""
    order = [key, *ROW_KEYS]
    parts = [group.sort_values(order, kind="stable") for _, group in rows.groupby("seed", sort=True)]
    first = parts[0][order].to_numpy()
    for part in parts[1:]:
        if part[order].shape != first.shape or not (part[order].to_numpy() == first).all():
            raise ValueError(
                "the seeds of one model forecast different rows; score a backtest whose seeds share "
                "their rows (every seed of a run forecasts the same units, periods and origins)"
            )
    present = [c for c in columns if c in rows.columns]
    return SeedStack(
        clusters=parts[0][key].to_numpy(),
        rows=first,
        columns={c: np.vstack([part[c].to_numpy(dtype=float) for part in parts]) for c in present},
    )


Statistic = Callable[[np.ndarray], float]
"""A figure as a function of row positions (repeats allowed)."""


def cluster_intervals(
    clusters: np.ndarray,
    statistics: Sequence[Statistic],
    resamples: int = RESAMPLES,
    level: float = LEVEL,
    random_state: int = RANDOM_STATE,
) -> list[Interval]:
    """Central ``level`` interval of each of ``statistics`` over the same resamples of the distinct
    ``clusters`` with replacement, each cluster bringing all its rows (figures that share rows are
    resampled once, and a figure and a difference built on it see the same countries). NaN where there
    is one cluster only, or where the statistic is undefined on resamples (one class only)."""
    ids, inverse = np.unique(clusters, return_inverse=True)
    if len(ids) < 2:  # one country cannot be resampled: no interval, not a false certainty
        return [Interval(math.nan, math.nan) for _ in statistics]
    blocks = [np.flatnonzero(inverse == i) for i in range(len(ids))]

    def on_clusters(sample: np.ndarray) -> np.ndarray:
        rows = np.concatenate([blocks[i] for i in sample.astype(int)])
        return np.array([statistic(rows) for statistic in statistics])

    with warnings.catch_warnings():  # a resample where a figure is undefined makes its interval NaN
        warnings.simplefilter("ignore", DegenerateDataWarning)
        result = bootstrap(
            (np.arange(len(blocks)),),
            on_clusters,
            vectorized=False,
            n_resamples=resamples,
            confidence_level=level,
            method="percentile",
            rng=np.random.default_rng(random_state),
        )
    lows, highs = (
        np.atleast_1d(result.confidence_interval.low),
        np.atleast_1d(result.confidence_interval.high),
    )
    return [Interval(float(low), float(high)) for low, high in zip(lows, highs, strict=True)]


def cluster_interval(
    clusters: np.ndarray, statistic: Statistic, resamples: int = RESAMPLES, level: float = LEVEL
) -> Interval:
    """Central ``level`` interval of one statistic (:func:`cluster_intervals`)."""
    return cluster_intervals(clusters, [statistic], resamples, level)[0]


def common_rows(ours: pd.DataFrame, theirs: pd.DataFrame, key: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows of each that the other forecast too (by unit, period, origin and target)."""
    order = [key, *ROW_KEYS]
    both = ours[order].drop_duplicates().merge(theirs[order].drop_duplicates(), on=order)
    return ours.merge(both, on=order), theirs.merge(both, on=order)


def figure(stack: SeedStack, metric: str) -> Statistic:
    """One model's figure as a statistic of row positions."""
    return lambda rows: stack.score(metric, rows)


def difference(ours: SeedStack, theirs: SeedStack, metric: str) -> Statistic:
    """``ours`` − ``theirs`` on the same rows as a statistic of row positions; ``ValueError`` unless both
    were scored on the same rows (:func:`common_rows`)."""
    if ours.rows.shape != theirs.rows.shape or not (ours.rows == theirs.rows).all():
        raise ValueError("the two models were not scored on the same rows; pair them with common_rows first")
    return lambda rows: ours.score(metric, rows) - theirs.score(metric, rows)
