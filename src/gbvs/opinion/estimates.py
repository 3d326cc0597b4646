"""Weighted shares with confidence intervals that account for the weighting, and differences.

The variance comes from a kept survey library (samplics' Taylor linearisation, logit intervals for
proportions), never from the simple-random-sampling formula. A non-probability sample (an online
panel) has no design to lean on: its intervals are computed the same way, but only hold under the
model that the weights remove the selection bias, so they are labelled *model-based* and the text
says so (:data:`MODEL_BASED_NOTE`).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from scipy.stats import norm

from gbvs.errors import InputError

with warnings.catch_warnings():
    # samplics warns at import that new features go to its successor `svy`; the estimators are unchanged
    warnings.simplefilter("ignore", FutureWarning)
    from samplics import PopParam, TaylorEstimator


class SampleKind(StrEnum):
    """How respondents were selected."""

    probability = "probability"
    nonprobability = "nonprobability"  # e.g. an opt-in online panel


class IntervalBasis(StrEnum):
    """What an interval's coverage rests on."""

    design = "design-based"
    model = "model-based"


MODEL_BASED_NOTE = (
    "Non-probability sample (online panel): the intervals are model-based; they hold only if the "
    "weighting removes the selection bias, which the data cannot show."
)


def basis_for(kind: SampleKind) -> IntervalBasis:
    """Design-based intervals for a probability sample, model-based otherwise."""
    return IntervalBasis.design if kind is SampleKind.probability else IntervalBasis.model


@dataclass(frozen=True)
class Estimate:
    """One answer's weighted share (0-1) with its interval, in one group of respondents."""

    group: str
    category: str
    share: float
    lower: float
    upper: float
    stderr: float
    n: int
    basis: IntervalBasis


@dataclass(frozen=True)
class Difference:
    """``first - second`` with its interval (independent samples: waves or disjoint groups)."""

    first: Estimate
    second: Estimate
    difference: float
    lower: float
    upper: float
    significant: bool


ALL = "all"


def _clean(
    values: Sequence[object], weights: Sequence[float], groups: Sequence[object] | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    y = np.asarray([str(v) for v in values], dtype=object)
    w = np.asarray(weights, dtype=np.float64)
    g = np.asarray([ALL] * len(y) if groups is None else [str(v) for v in groups], dtype=object)
    if not (len(y) == len(w) == len(g)):
        raise InputError(
            f"{len(y)} answers, {len(w)} weights and {len(g)} groups: give one of each per respondent"
        )
    if len(y) < 2:
        raise InputError("an estimate needs at least two respondents")
    if not np.isfinite(w).all() or (w <= 0).any():
        raise InputError("weights must be finite and positive; drop respondents with a weight <= 0 first")
    return y, w, g


def proportions(
    values: Sequence[object],
    weights: Sequence[float],
    *,
    kind: SampleKind,
    groups: Sequence[object] | None = None,
    confidence: float = 0.95,
) -> tuple[Estimate, ...]:
    """Weighted share of every answer (per group when ``groups`` is given) with Taylor intervals."""
    y, w, g = _clean(values, weights, groups)
    basis = basis_for(kind)
    found: list[Estimate] = []
    for group in sorted(set(g)):
        inside = g == group
        found.extend(_group_shares(str(group), y[inside], w[inside], basis, confidence))
    return tuple(found)


def _group_shares(
    group: str, y: np.ndarray, w: np.ndarray, basis: IntervalBasis, confidence: float
) -> list[Estimate]:
    categories = sorted(set(y))
    if len(categories) == 1:  # samplics needs two values; a single answer is 100 % with no spread
        return [Estimate(group, str(categories[0]), 1.0, 1.0, 1.0, 0.0, int(y.size), basis)]
    estimator = TaylorEstimator(PopParam.prop, alpha=1 - confidence)
    estimator.estimate(y=y, samp_weight=w)
    counts = {category: int((y == category).sum()) for category in categories}
    return [
        Estimate(
            group=group,
            category=str(category),
            share=float(estimator.point_est[category]),
            lower=float(estimator.lower_ci[category]),
            upper=float(estimator.upper_ci[category]),
            stderr=float(estimator.stderror[category]),
            n=counts[category],
            basis=basis,
        )
        for category in categories
    ]


def difference(first: Estimate, second: Estimate, confidence: float = 0.95) -> Difference:
    """The difference of two independent estimates with a normal interval on ``sqrt(se1² + se2²)``."""
    z = float(norm.ppf(0.5 + confidence / 2))
    gap = first.share - second.share
    half = z * math.hypot(first.stderr, second.stderr)
    return Difference(first, second, gap, gap - half, gap + half, abs(gap) > half)
