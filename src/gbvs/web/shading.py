"""Turning values into map classes chosen per indicator (colour is never the only cue).

The classes come from mapclassify's natural breaks (Fisher-Jenks). Exact zeros of a non-negative
indicator (battle deaths, most years of most countries) form a class of their own, and skewed counts
are broken on a log scale, so one country at war does not put the rest of the world in one class.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from statistics import median

import mapclassify
import numpy as np

from gbvs.web.worldmap import Shade

N_CLASSES = 5
SKEW_RATIO = 10.0  # max / median above this: the positive values are broken on a log scale
ZERO_CLASS = "c-zero"


@dataclass(frozen=True)
class Bin:
    """One class of the legend: its CSS class, value range and how many countries fall in it."""

    css_class: str
    low: float
    high: float
    count: int

    @property
    def is_zero(self) -> bool:
        """The class of exact zeros."""
        return self.css_class == ZERO_CLASS


def classify(values: Sequence[float], classes: int = N_CLASSES) -> list[Bin]:
    """Legend classes for ``values``: zero on its own, natural breaks (log scale when skewed) for the rest."""
    if not values:
        return []
    bins = _zero_bin(values) if _has_zero_class(values) else []
    k = classes - len(bins)
    return bins + _natural_breaks(_broken(values), k, log=log_scaled(values))


def log_scaled(values: Sequence[float]) -> bool:
    """Whether :func:`classify` breaks ``values`` on a log scale (the values besides the zero class are
    skewed: the largest over :data:`SKEW_RATIO` times the median); a map's caption says so."""
    return bool(values) and _skewed(_broken(values))


def _has_zero_class(values: Sequence[float]) -> bool:
    return min(values) >= 0 and any(v == 0 for v in values) and any(v > 0 for v in values)


def _broken(values: Sequence[float]) -> list[float]:
    """The values natural breaks divide: all but the zero class."""
    return [v for v in values if v != 0] if _has_zero_class(values) else list(values)


def _zero_bin(values: Sequence[float]) -> list[Bin]:
    return [Bin(ZERO_CLASS, 0.0, 0.0, sum(1 for v in values if v == 0))]


def _skewed(values: Sequence[float]) -> bool:
    if not values or min(values) <= 0:
        return False
    middle = median(values)
    return middle > 0 and max(values) / middle > SKEW_RATIO


def _natural_breaks(values: Sequence[float], k: int, log: bool) -> list[Bin]:
    distinct = sorted(set(values))
    k = max(1, min(k, len(distinct)))
    if k == 1:
        return [Bin("c0", distinct[0], distinct[-1], len(values))]
    data = np.log10(np.asarray(values)) if log else np.asarray(values, dtype=float)
    with (
        warnings.catch_warnings()
    ):  # "Numba not installed": the pure-Python path is fast enough for ~200 values
        warnings.simplefilter("ignore", UserWarning)
        uppers = mapclassify.FisherJenks(data, k=k).bins
    uppers = [10**edge for edge in uppers] if log else list(uppers)
    return _bins_from_uppers(sorted(values), [float(u) for u in uppers])


def _bins_from_uppers(ordered: Sequence[float], uppers: Sequence[float]) -> list[Bin]:
    """Bins whose low/high are the smallest and largest values they hold (no empty classes)."""
    bins: list[Bin] = []
    start = 0
    for upper in uppers:
        members = [v for v in ordered[start:] if v <= upper * (1 + 1e-9) + 1e-12]
        if not members:
            continue
        bins.append(Bin(f"c{len(bins)}", members[0], members[-1], len(members)))
        start += len(members)
    if start < len(ordered):  # rounding at the top edge: the rest joins the last class
        last = bins[-1]
        bins[-1] = Bin(last.css_class, last.low, ordered[-1], last.count + len(ordered) - start)
    return bins


def bin_for(value: float, bins: Sequence[Bin]) -> Bin:
    """The bin holding ``value`` (zero class for exact zeros, else the last bin starting at or below it)."""
    if value == 0 and bins and bins[0].is_zero:
        return bins[0]
    chosen = next(b for b in bins if not b.is_zero) if any(not b.is_zero for b in bins) else bins[0]
    for candidate in bins:
        if not candidate.is_zero and value >= candidate.low:
            chosen = candidate
    return chosen


def bin_label(item: Bin, number: Callable[[float], str]) -> str:
    """The legend text of a class: its range of values ("0", "12", "1.5 – 38")."""
    if item.low == item.high or math.isclose(item.low, item.high):
        return number(item.low)
    return f"{number(item.low)} – {number(item.high)}"


def shades_for(
    values: dict[str, float],
    bins: Sequence[Bin],
    number: Callable[[float], str],
    label: str = "%(value)s (%(range)s)",
) -> dict[str, Shade]:
    """ISO3 -> Shade: the bin's class and a ``label`` with the value and the bin's range (a page says
    it is the map's class, not an uncertainty interval)."""
    result = {}
    for iso3, value in values.items():
        chosen = bin_for(value, bins)
        text = label % {"value": number(value), "range": bin_label(chosen, number)}
        result[iso3] = Shade(chosen.css_class, text)
    return result
