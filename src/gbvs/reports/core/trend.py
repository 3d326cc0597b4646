"""Indicator maths: the value for a period, change against the baseline, distance to the target."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from gbvs.reports.core.indicators import Point

Verdict = Literal["improved", "worsened", "unchanged", "unknown"]


@dataclass(frozen=True)
class Assessment:
    """An indicator's period value against its baseline and target."""

    value: float | None
    value_period: str | None
    baseline: float | None
    change: float | None
    verdict: Verdict
    target: float | None
    target_met: bool | None


def period_value(points: list[Point], periods: tuple[str, ...]) -> Point | None:
    """The latest point whose period lies in ``periods`` and has a value (None when there is none)."""
    inside = [p for p in points if p.value is not None and _year_of(p.period) in periods]
    return inside[-1] if inside else None


def _year_of(period: str) -> str:
    return period.split("-Q")[0]


def verdict(change: float | None, direction: Literal["up", "down"]) -> Verdict:
    """Whether a change is an improvement given the wanted ``direction``."""
    if change is None:
        return "unknown"
    if change == 0:
        return "unchanged"
    better = change > 0 if direction == "up" else change < 0
    return "improved" if better else "worsened"


def target_met(value: float | None, target: float | None, direction: Literal["up", "down"]) -> bool | None:
    """Whether ``value`` reaches ``target`` (None when either is missing)."""
    if value is None or target is None:
        return None
    return value >= target if direction == "up" else value <= target


def assess(
    points: list[Point],
    *,
    periods: tuple[str, ...],
    baseline: float | None,
    target: float | None,
    direction: Literal["up", "down"],
) -> Assessment:
    """The latest value inside ``periods``, its change from ``baseline`` and whether ``target`` is met."""
    latest = period_value(points, periods)
    value = latest.value if latest else None
    change = None if value is None or baseline is None else value - baseline
    return Assessment(
        value=value,
        value_period=latest.period if latest else None,
        baseline=baseline,
        change=change,
        verdict=verdict(change, direction),
        target=target,
        target_met=target_met(value, target, direction),
    )


def value_at(points: list[Point], period: str) -> float | None:
    """The value of ``period`` (None when absent or empty)."""
    for point in points:
        if point.period == period:
            return point.value
    return None
