"""Weighted shares with confidence intervals that account for the weighting, and differences.

The variance comes from a kept survey library (samplics' Taylor linearisation), never from the
simple-random-sampling formula. The interval is Korn and Graubard's: Clopper-Pearson (statsmodels'
``beta`` method) on the effective sample size ``p(1-p)/var(p)``, as
``survey::svyciprop(method="beta")``, but at most the base (no share is treated as more precise than a
simple random sample of its respondents; svyciprop does not cap, so the two agree wherever the share's
design effect is 1 or more: the shipped polls' figures were recomputed by hand and agree). It stays
honest at 0% and 100%, where the Taylor variance is 0: there the group's Kish effective sample size is
used, so a share of 100% of 10 respondents reads 69-100%, not 100-100%. A non-probability sample (an
online panel) has no design to lean on: its intervals are computed the same way, but only hold under the
model that the weights remove the selection bias, so they are labelled *model-based* and the text says
so (:data:`MODEL_BASED_NOTE`).

A difference between two independent shares (waves, or disjoint groups) gets Newcombe's hybrid score
interval (1998, method 10: from the two Wilson intervals, statsmodels ``newcomb``) on the same effective
sample sizes, so it stays honest at 0% and 100%, where a Wald interval on the Taylor standard errors
collapses. Its p-value is the level at which that interval just reaches 0, so "significant" and "the
interval excludes 0" always agree; :func:`holm` adjusts a family of them (Holm's step-down method).

Every share carries its group's base (the respondents in the base) and its count (those giving the
answer). A group with fewer than :data:`MIN_BASE_SHOWN` respondents is not estimated at all (it is
listed as suppressed with its base); one under :data:`MIN_BASE_RELIABLE` is flagged as a small base.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

import numpy as np
from scipy.optimize import brentq
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from gbvs.errors import InputError
from gbvs.opinion.weighting import weight_report

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


MIN_BASE_SHOWN = 30
"""A group with fewer respondents in its base is not estimated: its shares are suppressed."""
MIN_BASE_RELIABLE = 50
"""A group with fewer respondents in its base is shown, flagged as resting on a small base."""

MODEL_BASED_NOTE = (
    "Non-probability sample (online panel): the intervals are model-based; they hold only if the "
    "weighting removes the selection bias, which the data cannot show."
)


def basis_for(kind: SampleKind) -> IntervalBasis:
    """Design-based intervals for a probability sample, model-based otherwise."""
    return IntervalBasis.design if kind is SampleKind.probability else IntervalBasis.model


@dataclass(frozen=True)
class Estimate:
    """One answer's weighted share (0-1) with its interval, in one group of respondents.

    ``base`` is the number of the group's respondents in the base (the n of the share); ``count`` is
    how many of them gave this answer (0 for an answer nobody in the group gave); ``effective_n`` is
    the sample size the interval was computed on (:func:`effective_size`).
    """

    group: str
    category: str
    share: float
    lower: float
    upper: float
    stderr: float
    count: int
    base: int
    basis: IntervalBasis
    effective_n: float

    @property
    def small_base(self) -> bool:
        """Whether the group's base is under :data:`MIN_BASE_RELIABLE` (shown, but flagged)."""
        return self.base < MIN_BASE_RELIABLE


@dataclass(frozen=True)
class SuppressedGroup:
    """A group whose base is under :data:`MIN_BASE_SHOWN`: no shares are estimated for it."""

    group: str
    base: int


@dataclass(frozen=True)
class Shares:
    """The estimates of the groups with a large enough base, and the groups suppressed."""

    estimates: tuple[Estimate, ...]
    suppressed: tuple[SuppressedGroup, ...]


DIFFERENCE_METHOD = (
    "Newcombe's hybrid score interval (1998, method 10) from the two Wilson intervals on the effective "
    "sample sizes"
)
HOLM = "Holm"


@dataclass(frozen=True)
class Difference:
    """``first - second`` with its interval (independent samples: waves or disjoint groups).

    ``p_value`` is the level at which the interval reaches 0; ``adjusted_p_value`` is it after Holm's
    adjustment over ``comparisons`` differences (the same as ``p_value`` for one comparison), and
    ``significant`` says whether the adjusted p-value is under the interval's ``1 - confidence``.
    """

    first: Estimate
    second: Estimate
    difference: float
    lower: float
    upper: float
    p_value: float
    adjusted_p_value: float
    comparisons: int
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
    categories: Sequence[object] = (),
    confidence: float = 0.95,
) -> Shares:
    """Weighted share of every answer (per group when ``groups`` is given) with Korn-Graubard intervals.

    Each group gets a share for every answer given anywhere and every one of ``categories`` (the
    question's answers), 0% when nobody in the group gave it. Groups with a base under
    :data:`MIN_BASE_SHOWN` are suppressed.
    """
    y, w, g = _clean(values, weights, groups)
    basis = basis_for(kind)
    answers = sorted(set(y) | {str(c) for c in categories})
    found: list[Estimate] = []
    suppressed: list[SuppressedGroup] = []
    for group in sorted(set(g)):
        inside = g == group
        base = int(inside.sum())
        if base < MIN_BASE_SHOWN:
            suppressed.append(SuppressedGroup(str(group), base))
            continue
        found.extend(_group_shares(str(group), answers, y[inside], w[inside], basis, confidence))
    return Shares(tuple(found), tuple(suppressed))


def _taylor(y: np.ndarray, w: np.ndarray, confidence: float) -> tuple[dict[str, float], dict[str, float]]:
    """Weighted shares and their Taylor standard errors per answer given (samplics)."""
    given = sorted(set(y))
    if len(given) == 1:  # samplics needs two values; a single answer is 100 % with no Taylor spread
        return {str(given[0]): 1.0}, {str(given[0]): 0.0}
    estimator = TaylorEstimator(PopParam.prop, alpha=1 - confidence)
    estimator.estimate(y=y, samp_weight=w)
    shares = {str(c): float(estimator.point_est[c]) for c in given}
    return shares, {str(c): float(estimator.stderror[c]) for c in given}


def effective_size(share: float, stderr: float, base: int, kish_n: float) -> float:
    """``p(1-p)/se²`` (at most ``base``), or the Kish effective size where the Taylor variance is 0
    (a share of 0% or 100%)."""
    if stderr > 0 and 0 < share < 1:
        return min(float(base), share * (1 - share) / stderr**2)
    return min(float(base), kish_n)


def korn_graubard(
    share: float, stderr: float, base: int, kish_n: float, confidence: float
) -> tuple[float, float]:
    """Clopper-Pearson on the effective sample size (:func:`effective_size`)."""
    effective = effective_size(share, stderr, base, kish_n)
    lower, upper = proportion_confint(share * effective, effective, alpha=1 - confidence, method="beta")
    return float(lower), float(upper)


def _group_shares(
    group: str,
    answers: Sequence[str],
    y: np.ndarray,
    w: np.ndarray,
    basis: IntervalBasis,
    confidence: float,
) -> list[Estimate]:
    shares, stderrs = _taylor(y, w, confidence)
    kish_n, base = weight_report(w).effective_n, int(y.size)
    found = []
    for answer in answers:
        share, stderr = shares.get(answer, 0.0), stderrs.get(answer, 0.0)
        effective = effective_size(share, stderr, base, kish_n)
        lower, upper = korn_graubard(share, stderr, base, kish_n, confidence)
        count = int((y == answer).sum())
        found.append(Estimate(group, answer, share, lower, upper, stderr, count, base, basis, effective))
    return found


P_FLOOR = 1e-12
"""The smallest p-value reported: beyond it the interval's bound is not computed more finely."""


def newcombe(
    first: tuple[float, float], second: tuple[float, float], confidence: float
) -> tuple[float, float]:
    """Newcombe's hybrid score interval for ``p1 - p2`` from ``(count, n)`` pairs (statsmodels)."""
    lower, upper = confint_proportions_2indep(
        *first, *second, method="newcomb", compare="diff", alpha=1 - confidence
    )
    return float(lower), float(upper)


def _p_value(first: tuple[float, float], second: tuple[float, float]) -> float:
    """The level at which Newcombe's interval just reaches 0 (1 for no difference)."""
    gap = first[0] / first[1] - second[0] / second[1]
    if gap == 0:
        return 1.0

    def margin(log_alpha: float) -> float:  # > 0 while the interval at level exp(log_alpha) excludes 0
        lower, upper = newcombe(first, second, 1 - math.exp(log_alpha))
        return lower if gap > 0 else -upper

    if margin(math.log(P_FLOOR)) > 0:
        return P_FLOOR
    # on the log scale, so a p-value of 1e-8 is found as precisely (relatively) as one of 0.04
    return math.exp(brentq(margin, math.log(P_FLOOR), math.log1p(-P_FLOOR), xtol=1e-9))


def difference(first: Estimate, second: Estimate, confidence: float = 0.95) -> Difference:
    """``first - second`` with Newcombe's hybrid score interval on the effective sample sizes: each
    share counts as ``share × effective_n`` of ``effective_n`` (the Korn-Graubard sizes)."""
    one = (first.share * first.effective_n, first.effective_n)
    two = (second.share * second.effective_n, second.effective_n)
    lower, upper = newcombe(one, two, confidence)
    p_value = _p_value(one, two)
    gap = first.share - second.share
    return Difference(first, second, gap, lower, upper, p_value, p_value, 1, p_value < 1 - confidence)


def holm_adjusted(p_values: Sequence[float]) -> np.ndarray:
    """Holm's step-down adjusted p-values: the i-th smallest times ``m - i + 1``, kept monotone and at
    most 1. The same as statsmodels' ``multipletests(method="holm")`` (the tests check it), which this
    does not call because that runs a full garbage collection on every call (/publieksopinie took 1.0 s
    with it, 0.3 s without)."""
    p = np.asarray(p_values, dtype=float)
    order = np.argsort(p)
    steps = np.maximum.accumulate(p[order] * np.arange(len(p), 0, -1))
    adjusted = np.empty_like(p)
    adjusted[order] = np.minimum(steps, 1.0)
    return adjusted


def holm(differences: Sequence[Difference], confidence: float = 0.95) -> tuple[Difference, ...]:
    """The differences with Holm's adjusted p-values over all of them and significance after it."""
    adjusted = holm_adjusted([d.p_value for d in differences])
    return tuple(
        replace(
            d, adjusted_p_value=float(p), comparisons=len(differences), significant=bool(p < 1 - confidence)
        )
        for d, p in zip(differences, adjusted, strict=True)
    )
