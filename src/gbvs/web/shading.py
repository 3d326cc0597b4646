"""Turning values into map classes: quantile bins with text labels (colour is never the only cue)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from gbvs.web.worldmap import Shade

N_BINS = 5


@dataclass(frozen=True)
class Bin:
    """One class of the legend: its CSS class, value range and ordinal label."""

    css_class: str
    low: float
    high: float
    label: str


def quantile_bins(values: Sequence[float], labels: Sequence[str], prefix: str = "q") -> list[Bin]:
    """``len(labels)`` bins with (about) equal counts; labels go from lowest to highest values."""
    ordered = sorted(values)
    if not ordered:
        return []
    count = len(labels)
    edges = [ordered[min(len(ordered) - 1, round(i * (len(ordered) - 1) / count))] for i in range(count + 1)]
    return [Bin(f"{prefix}{i}", edges[i], edges[i + 1], labels[i]) for i in range(count)]


def bin_for(value: float, bins: Sequence[Bin]) -> Bin:
    """The bin holding ``value`` (the last bin whose lower edge is at or below it)."""
    chosen = bins[0]
    for candidate in bins:
        if value >= candidate.low:
            chosen = candidate
    return chosen


def shades_for(values: dict[str, float], bins: Sequence[Bin], fmt: str = "{:,.2f}") -> dict[str, Shade]:
    """ISO3 -> Shade: the bin's class and a label with the value and the bin's name."""
    result = {}
    for iso3, value in values.items():
        chosen = bin_for(value, bins)
        result[iso3] = Shade(chosen.css_class, f"{fmt.format(value)} ({chosen.label})")
    return result
