"""How sure a backtest figure is: a bootstrap over countries and forecast years.

A backtest figure rests on a few dozen to a few thousand events in about 170 countries and 14-17
forecast years. Neither a country's years nor a year's countries are independent (a country in conflict
tends to stay in conflict; a year of global unrest or a model fitted at one origin moves every country),
so resampling single rows would understate the uncertainty. The interval draws the countries and,
independently, the forecast years (origins) with replacement; a row counts as often as its country times
its year was drawn (the "pigeonhole" bootstrap of crossed factors, Owen 2007, mildly conservative). Every
resample is scored as the figure itself is scored (per seed, then the mean over the seeds), and the
interval is the central 95% of :data:`RESAMPLES` resamples (``scipy.stats.bootstrap``, percentile method,
a fixed random state so that a report can be reproduced). A difference between two models is resampled
paired: the same countries and years for both, on the rows both forecast.

Where the outcome windows of neighbouring origins overlap (the democratic spaces' two-year windows: a
closing in one year is the outcome of two origins) the years are drawn in circular blocks of the
window's length (Politis & Romano 1992), so the origins that share an outcome year are drawn together; a
conflict target at horizon 2 or 3 is one year, so its windows do not overlap.

What it does not capture: years are drawn as if exchangeable, so a trend beyond the test years (a world
that changes after them) and a run of unusual years longer than a block are not in the interval. The
interval says how much the figure owes to which countries and which years happened to be in the test.

:func:`leave_one_out` says which: every figure scored again without each country and without each
forecast year in turn (the jackknife's values), so a report can name the one country or year a goal's
verdict rests on most.
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
RESAMPLED = ("country", "origin")
"""What an interval draws, each independently of the other: the countries (the unit's key) and the
forecast years (each origin is also one fit of the model)."""


@dataclass(frozen=True)
class Interval:
    """A central interval of a figure."""

    low: float
    high: float


@dataclass(frozen=True)
class SeedStack:
    """One model's backtest rows of one target, horizon and subset, the same rows for every seed: per
    row its key, period, origin and target, and per-row columns with one line per seed
    (``columns[name][seed, row]``)."""

    rows: np.ndarray
    """Per row its key, period, origin and target (what :func:`difference` pairs on)."""
    columns: dict[str, np.ndarray]

    @property
    def factors(self) -> tuple[np.ndarray, np.ndarray]:
        """Per row its country and its forecast year: what :data:`RESAMPLED` draws."""
        return self.rows[:, 0], self.rows[:, 1 + ROW_KEYS.index("origin")]

    @property
    def named_factors(self) -> dict[str, np.ndarray]:
        """:attr:`factors` by their names in :data:`RESAMPLED`."""
        return dict(zip(RESAMPLED, self.factors, strict=True))

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
        rows=first,
        columns={c: np.vstack([part[c].to_numpy(dtype=float) for part in parts]) for c in present},
    )


Statistic = Callable[[np.ndarray], float]
"""A figure as a function of row positions (repeats allowed)."""


def cluster_intervals(
    factors: Sequence[np.ndarray],
    statistics: Sequence[Statistic],
    resamples: int = RESAMPLES,
    level: float = LEVEL,
    random_state: int = RANDOM_STATE,
    blocks: Sequence[int] | None = None,
) -> list[Interval]:
    """Central ``level`` interval of each of ``statistics`` over the same resamples of the rows.

    Each of ``factors`` labels every row with a cluster (its country, its forecast year). A resample
    draws each factor's distinct clusters with replacement, independently of the other factors, and
    takes every row as often as the product of its clusters' draws; with one factor that is the ordinary
    cluster bootstrap, each cluster bringing all its rows. ``blocks`` gives per factor the length of the
    runs of consecutive clusters (in sorted order: consecutive years) drawn together (default 1 each:
    independent draws; :func:`circular_blocks`). Figures that share rows share the resamples (a figure
    and a difference built on it see the same countries and years). NaN where a factor has one cluster
    only (it cannot be resampled: no interval rather than a false certainty), or where a statistic is
    undefined on resamples (one class only, no rows)."""
    coded = [np.unique(np.asarray(factor), return_inverse=True) for factor in factors]
    if any(len(ids) < 2 for ids, _ in coded):
        return [Interval(math.nan, math.nan) for _ in statistics]
    lengths = list(blocks) if blocks is not None else [1] * len(coded)
    positions = np.arange(len(coded[0][1]))
    nan = np.full(len(statistics), math.nan)

    def on_draws(*draws: np.ndarray) -> np.ndarray:
        times = np.ones(len(positions), dtype=np.int64)
        for (ids, of), drawn, length in zip(coded, draws, lengths, strict=True):
            picked = circular_blocks(drawn.astype(int), len(ids), length)
            times *= np.bincount(picked, minlength=len(ids))[of]
        rows = np.repeat(positions, times)
        return np.array([statistic(rows) for statistic in statistics]) if len(rows) else nan

    with warnings.catch_warnings():  # a resample where a figure is undefined makes its interval NaN
        warnings.simplefilter("ignore", DegenerateDataWarning)
        result = bootstrap(
            tuple(np.arange(len(ids)) for ids, _ in coded),
            on_draws,
            paired=False,
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


def circular_blocks(starts: np.ndarray, clusters: int, length: int) -> np.ndarray:
    """``clusters`` draws of cluster positions (0 .. ``clusters`` - 1) in circular blocks of ``length``
    (Politis & Romano 1992): the first ceil(clusters / length) of ``starts`` (independent uniform draws,
    as many as there are clusters) each begin a run of ``length`` consecutive positions, the last
    wrapping to the first, cut to ``clusters`` in all. A length of 1 returns ``starts`` itself."""
    if length <= 1:
        return starts
    length = min(length, clusters)
    runs = -(-clusters // length)
    return ((starts[:runs, None] + np.arange(length)) % clusters).ravel()[:clusters]


def cluster_interval(
    factors: Sequence[np.ndarray], statistic: Statistic, resamples: int = RESAMPLES, level: float = LEVEL
) -> Interval:
    """Central ``level`` interval of one statistic (:func:`cluster_intervals`)."""
    return cluster_intervals(factors, [statistic], resamples, level)[0]


@dataclass(frozen=True)
class LeftOut:
    """A figure scored without one country or one forecast year."""

    factor: str
    """What was left out: one of :data:`RESAMPLED`."""
    cluster: int
    """Which: the country's code or the forecast year (origin)."""
    value: float
    """The figure (or difference) on the remaining rows."""


def leave_one_out(factors: dict[str, np.ndarray], statistics: Sequence[Statistic]) -> list[list[LeftOut]]:
    """Each of ``statistics`` scored once without each cluster of each of ``factors`` (by name, each
    labelling every row with a cluster): per statistic one :class:`LeftOut` per factor and cluster, in
    the factors' order and the clusters' sorted order. A factor with one cluster is skipped (nothing
    would remain)."""
    found: list[list[LeftOut]] = [[] for _ in statistics]
    for name, factor in factors.items():
        labels = np.asarray(factor)
        clusters = np.unique(labels)
        if len(clusters) < 2:
            continue
        for cluster in clusters:
            rows = np.flatnonzero(labels != cluster)
            for values, statistic in zip(found, statistics, strict=True):
                values.append(LeftOut(name, int(cluster), float(statistic(rows))))
    return found


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
