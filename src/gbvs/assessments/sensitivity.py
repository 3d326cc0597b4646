"""How stable the ranking is: under the analysts' disagreement, and under one class more or less.

- :func:`resample_stability`: draw the analysts of every scenario again, with replacement (a
  bootstrap of the panel), take the medians, rank; report per scenario how often it keeps the
  rank it has on the real medians, and the best and worst rank seen. Seeded, so reproducible.
- :func:`one_class_stability`: move one criterion of one scenario one class up or down (on the
  scale's own class values), rank again; report per scenario the share of its own moves that leave
  its rank unchanged, and the best and worst rank seen. A move past the end of the scale is no move
  and is not counted (it would count as "kept" without testing anything).

A scenario scored by one analyst has no spread of its own to resample: its resampled stability only
says how the others' spread moves it (the pages say so).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from gbvs.assessments.model import Method, ScenarioKind, WeightSet
from gbvs.assessments.scoring import TIE_TOLERANCE, Sheet, impact, ranks, sheet_values

DEFAULT_ITERATIONS = 1000


@dataclass(frozen=True)
class Stability:
    """How often a scenario kept its rank, and the best and worst rank it reached."""

    base_rank: int
    kept: float
    best_rank: int
    worst_rank: int
    trials: int


def resample_stability(
    method: Method,
    weight_set: WeightSet,
    sheets: Mapping[str, tuple[ScenarioKind, Sequence[Sheet]]],
    iterations: int = DEFAULT_ITERATIONS,
    seed: int = 0,
) -> dict[str, Stability]:
    """Rank stability per scenario when each scenario's analysts are drawn again with replacement.

    Vectorised with NumPy: per scenario an (analysts x criteria) matrix of class values; each
    iteration draws analyst rows, takes the median per criterion and the weighted sum.
    """
    if iterations < 1:
        raise ValueError(f"iterations must be 1 or more, not {iterations}")
    keys = list(sheets)
    criteria = method.criterion_ids()
    weights = weight_set.normalised()
    weight_vector = np.array([weights[criterion] for criterion in criteria])
    rng = np.random.default_rng(seed)
    totals = np.empty((iterations, len(keys)))
    base = {}
    for column, key in enumerate(keys):
        kind, scenario_sheets = sheets[key]
        rows = [sheet_values(method, kind, sheet)[0] for sheet in scenario_sheets]
        values = np.array([[row[c] for c in criteria] for row in rows], dtype=float)
        base[key] = float(np.median(values, axis=0) @ weight_vector)
        drawn = values[rng.integers(0, len(values), size=(iterations, len(values)))]
        totals[:, column] = np.median(drawn, axis=1) @ weight_vector
    base_ranks = ranks(base)
    # rank = 1 + how many scenarios score higher (beyond the tie tolerance), per iteration
    higher = (totals[:, None, :] > totals[:, :, None] + TIE_TOLERANCE).sum(axis=2) + 1
    return {key: _stability(base_ranks[key], higher[:, column].tolist()) for column, key in enumerate(keys)}


def one_class_stability(
    method: Method, weight_set: WeightSet, medians: Mapping[str, Mapping[str, float]]
) -> dict[str, Stability]:
    """Rank stability per scenario when one of its criteria moves one class up or down."""
    totals = {key: impact(method, weight_set, values).total for key, values in medians.items()}
    base = ranks(totals)
    class_values = method.impact_scale.values()
    seen: dict[str, list[int]] = {key: [] for key in medians}
    for key, values in medians.items():
        for criterion in method.criterion_ids():
            for step in (-1, 1):
                shifted = shift(class_values, values[criterion], step)
                if shifted == values[criterion]:
                    continue
                moved = {**values, criterion: shifted}
                trial = {**totals, key: impact(method, weight_set, moved).total}
                seen[key].append(ranks(trial)[key])
    return {key: _stability(base[key], seen[key]) for key in medians}


def shift(class_values: Sequence[float], value: float, step: int) -> float:
    """``value`` moved one class up (step 1) or down (step -1) on the ascending ``class_values``.

    A value between two classes (the median of an even panel) moves to the class above or below it;
    at the ends of the scale it stays.
    """
    if step > 0:
        higher = [candidate for candidate in class_values if candidate > value]
        return min(higher) if higher else value
    lower = [candidate for candidate in class_values if candidate < value]
    return max(lower) if lower else value


def _stability(base_rank: int, seen: Sequence[int]) -> Stability:
    if not seen:
        return Stability(base_rank, 1.0, base_rank, base_rank, 0)
    kept = sum(1 for rank in seen if rank == base_rank) / len(seen)
    return Stability(base_rank, kept, min(seen), max(seen), len(seen))
