"""How stable the ranking is: under the analysts' disagreement, and under one class more or less.

- :func:`resample_stability`: draw the analysts of every scenario again, with replacement (a
  bootstrap of the panel), take the medians, rank; report per scenario how often it keeps the
  rank it has on the real medians, and the best and worst rank seen. Seeded, so reproducible.
- :func:`one_class_stability`: move one criterion of one scenario one class up or down (on the
  scale's own class values; the ends stay put), rank again; report per scenario the share of its
  own moves that leave its rank unchanged, and the best and worst rank seen.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from gbvs.assessments.model import Method, ScenarioKind, WeightSet
from gbvs.assessments.scoring import Sheet, impact, ranks, sheet_values, spread

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
    """Rank stability per scenario when each scenario's analysts are drawn again with replacement."""
    if iterations < 1:
        raise ValueError(f"iterations must be 1 or more, not {iterations}")
    values = {
        key: [sheet_values(method, kind, sheet)[0] for sheet in scenario_sheets]
        for key, (kind, scenario_sheets) in sheets.items()
    }
    base = ranks({key: _total(method, weight_set, rows) for key, rows in values.items()})
    rng = random.Random(seed)
    seen: dict[str, list[int]] = {key: [] for key in values}
    for _ in range(iterations):
        drawn = {key: rng.choices(rows, k=len(rows)) for key, rows in values.items()}
        for key, rank in ranks(
            {key: _total(method, weight_set, rows) for key, rows in drawn.items()}
        ).items():
            seen[key].append(rank)
    return {key: _stability(base[key], seen[key]) for key in values}


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
                moved = {**values, criterion: shift(class_values, values[criterion], step)}
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


def _total(method: Method, weight_set: WeightSet, rows: Sequence[Mapping[str, float]]) -> float:
    medians = {
        criterion: spread([row[criterion] for row in rows]).median for criterion in method.criterion_ids()
    }
    return impact(method, weight_set, medians).total


def _stability(base_rank: int, seen: Sequence[int]) -> Stability:
    if not seen:
        return Stability(base_rank, 1.0, base_rank, base_rank, 0)
    kept = sum(1 for rank in seen if rank == base_rank) / len(seen)
    return Stability(base_rank, kept, min(seen), max(seen), len(seen))
