"""Raking (iterative proportional fitting) with trimming, and the report of a set of weights.

Pure: numpy arrays in, numbers out. A respondent's categories are given per margin as codes
(``pandas.factorize`` order); a margin's target is the share of each category in the population.
Raking multiplies the weights margin by margin until every weighted share matches its target;
trimming then clips the weights to ``[lower, upper]`` times their mean and rakes again, until
both hold or ``max_iterations`` is reached (as ``survey::trimWeights`` followed by ``rake``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from gbvs.errors import InputError, said

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Margin:
    """One raking margin: each respondent's category, and the population share of every category."""

    name: str
    codes: Sequence[object]
    targets: Mapping[object, float]


@dataclass(frozen=True)
class Trim:
    """Bounds for the weights as multiples of their mean (e.g. 0.2 and 5)."""

    lower: float = 0.0
    upper: float = float("inf")

    def __post_init__(self) -> None:
        if not (0 <= self.lower < 1 < self.upper):
            raise InputError(
                said(
                    "trim bounds %(lower)s..%(upper)s are impossible; use 0 <= lower < 1 < upper "
                    "(e.g. 0.2 and 5)",
                    lower=self.lower,
                    upper=self.upper,
                )
            )


@dataclass(frozen=True)
class RakeResult:
    """Raked weights (mean 1 over the sample) and how raking ended."""

    weights: FloatArray
    iterations: int
    converged: bool
    max_margin_error: float
    trimmed: int


@dataclass(frozen=True)
class WeightReport:
    """What a set of weights costs: range, Kish design effect and effective sample size."""

    n: int
    minimum: float
    maximum: float
    ratio: float
    design_effect: float
    effective_n: float


def weight_report(weights: npt.ArrayLike) -> WeightReport:
    """Range, max/min ratio, Kish's design effect ``n·Σw²/(Σw)²`` and effective n ``(Σw)²/Σw²``."""
    w = _positive_weights(weights)
    total, squares = float(w.sum()), float(np.square(w).sum())
    minimum, maximum = float(w.min()), float(w.max())
    return WeightReport(
        n=int(w.size),
        minimum=minimum,
        maximum=maximum,
        ratio=maximum / minimum,
        design_effect=w.size * squares / total**2,
        effective_n=total**2 / squares,
    )


@dataclass(frozen=True)
class _Coded:
    name: str
    codes: IntArray
    shares: FloatArray


def _encode(margin: Margin, n: int) -> _Coded:
    if len(margin.codes) != n:
        raise InputError(f"margin {margin.name!r} has {len(margin.codes)} respondents, the sample {n}")
    categories = list(margin.targets)
    index = {category: position for position, category in enumerate(categories)}
    unknown = sorted({str(code) for code in margin.codes if code not in index})
    if unknown:
        raise InputError(
            said(
                "margin %(margin)s: sample categories %(unknown)s have no population target; add them to the "
                "targets or recode them to one of %(choices)s",
                margin=repr(margin.name),
                unknown=unknown,
                choices=[str(c) for c in categories],
            )
        )
    codes = np.fromiter((index[code] for code in margin.codes), dtype=np.int64, count=n)
    shares = np.asarray([margin.targets[c] for c in categories], dtype=np.float64)
    if (shares < 0).any() or shares.sum() <= 0:
        raise InputError(
            said("margin %(margin)s: targets must be non-negative and not all zero", margin=repr(margin.name))
        )
    empty = [
        str(c)
        for c, count in zip(categories, np.bincount(codes, minlength=len(categories)), strict=True)
        if count == 0 and margin.targets[c] > 0
    ]
    if empty:
        raise InputError(
            said(
                "margin %(margin)s: no respondent in categories %(empty)s that have a population share; "
                "merge them with a neighbouring category",
                margin=repr(margin.name),
                empty=empty,
            )
        )
    return _Coded(margin.name, codes, shares / shares.sum())


def _positive_weights(weights: npt.ArrayLike) -> FloatArray:
    w = np.asarray(weights, dtype=np.float64)
    if w.ndim != 1 or w.size == 0:
        raise InputError("weights must be a non-empty list of numbers")
    if not np.isfinite(w).all() or (w <= 0).any():
        raise InputError("weights must be finite and positive; drop or fix respondents with a weight <= 0")
    return w


def _margin_error(w: FloatArray, coded: Sequence[_Coded]) -> float:
    total = w.sum()
    return max(
        float(np.abs(np.bincount(m.codes, weights=w, minlength=m.shares.size) / total - m.shares).max())
        for m in coded
    )


def _rake_pass(w: FloatArray, coded: Sequence[_Coded]) -> FloatArray:
    for margin in coded:
        current = np.bincount(margin.codes, weights=w, minlength=margin.shares.size) / w.sum()
        factor = np.divide(margin.shares, current, out=np.zeros_like(current), where=current > 0)
        w = w * factor[margin.codes]
    return w


def _outside(w: FloatArray, trim: Trim | None, tolerance: float) -> npt.NDArray[np.bool_]:
    if trim is None:
        return np.zeros(w.shape, dtype=bool)
    return (w < trim.lower - tolerance) | (w > trim.upper + tolerance)


def rake(
    margins: Sequence[Margin],
    base_weights: npt.ArrayLike | None = None,
    *,
    trim: Trim | None = None,
    tolerance: float = 1e-6,
    max_iterations: int = 1000,
) -> RakeResult:
    """Rake the sample to every margin's shares (then trim and rake again); weights have mean 1."""
    if not margins:
        raise InputError("raking needs at least one margin")
    n = len(margins[0].codes)
    coded = [_encode(margin, n) for margin in margins]
    w = np.ones(n) if base_weights is None else _positive_weights(base_weights).copy()
    if w.size != n:
        raise InputError(f"{w.size} base weights for {n} respondents")
    w /= w.mean()
    trimmed, error = 0, _margin_error(w, coded)
    for iteration in range(1, max_iterations + 1):
        w = _rake_pass(w, coded)
        w /= w.mean()
        error = _margin_error(w, coded)
        outside = _outside(w, trim, tolerance)
        if error < tolerance and not outside.any():
            return RakeResult(w, iteration, True, error, trimmed)
        if trim is not None and outside.any():
            trimmed = int(outside.sum())
            w = np.clip(w, trim.lower, trim.upper)
    w = w / w.mean()  # not converged: report the margins the returned weights actually reach
    return RakeResult(w, max_iterations, False, _margin_error(w, coded), trimmed)


def margins_from_cells(
    cells: Mapping[tuple[object, ...], float], variables: Sequence[str]
) -> dict[str, dict[object, float]]:
    """Per-variable population shares from a joint table of cells (e.g. sex × age × education -> count)."""
    totals: dict[str, dict[object, float]] = {name: {} for name in variables}
    for key, count in cells.items():
        if len(key) != len(variables):
            raise InputError(f"cell {key} has {len(key)} categories for the variables {list(variables)}")
        for name, category in zip(variables, key, strict=True):
            totals[name][category] = totals[name].get(category, 0.0) + float(count)
    return {name: {c: v / sum(shares.values()) for c, v in shares.items()} for name, shares in totals.items()}
