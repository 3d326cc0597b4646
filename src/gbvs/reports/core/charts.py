"""A small SVG line chart of an indicator's points, with its baseline and target (pure, text out).

The chart is decoration for sighted readers; the data table next to it carries the same numbers,
so the SVG has ``role="img"`` with a title and a description that summarise it.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

WIDTH, HEIGHT, PAD_LEFT, PAD_RIGHT, PAD_Y = 560, 200, 56, 16, 28


def _scale(values: list[float]) -> tuple[float, float]:
    low, high = min([*values, 0.0]), max([*values, 0.0])
    return (low, high) if high > low else (low, low + 1.0)


def _y(value: float, low: float, high: float) -> float:
    return PAD_Y + (HEIGHT - 2 * PAD_Y) * (1 - (value - low) / (high - low))


def _tick(y: float, text: str) -> str:
    return f'<text x="{PAD_LEFT - 6}" y="{y}" text-anchor="end" font-size="11">{escape(text)}</text>'


def _line(y: float, colour: str, dash: str, label: str) -> str:
    return (
        f'<line x1="{PAD_LEFT}" x2="{WIDTH - PAD_RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="{colour}" '
        f'stroke-dasharray="{dash}"/><text x="{WIDTH - PAD_RIGHT}" y="{y - 4:.1f}" text-anchor="end" '
        f'font-size="11" fill="{colour}">{escape(label)}</text>'
    )


def line_chart(
    chart_id: str,
    points: list[dict[str, Any]],
    *,
    title: str,
    description: str,
    baseline: float | None = None,
    target: float | None = None,
    labels: dict[str, str] | None = None,
    number: Callable[[float], str],
) -> str:
    """SVG text of ``points`` (``period``/``value`` dicts); empty when fewer than two have a value.

    ``number`` writes the axis values in the report's language (:func:`gbvs.reports.render.number`)."""
    known = [(p["period"], float(p["value"])) for p in points if p.get("value") is not None]
    if len(known) < 2:
        return ""
    names = labels or {"baseline": "baseline", "target": "target"}
    extra = [v for v in (baseline, target) if v is not None]
    low, high = _scale([v for _, v in known] + extra)
    step = (WIDTH - PAD_LEFT - PAD_RIGHT) / max(len(points) - 1, 1)
    xs = {p["period"]: PAD_LEFT + i * step for i, p in enumerate(points)}
    path = " ".join(f"{xs[period]:.1f},{_y(v, low, high):.1f}" for period, v in known)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" class="chart">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(description)}</desc>',
        f'<line x1="{PAD_LEFT}" x2="{PAD_LEFT}" y1="{PAD_Y}" y2="{HEIGHT - PAD_Y}" stroke="#555"/>',
        _tick(PAD_Y + 4, number(high)),
        _tick(HEIGHT - PAD_Y, number(low)),
    ]
    if baseline is not None:
        parts.append(_line(_y(baseline, low, high), "#6a4c93", "6 3", names["baseline"]))
    if target is not None:
        parts.append(_line(_y(target, low, high), "#1b7a3d", "2 3", names["target"]))
    parts.append(f'<polyline fill="none" stroke="#154273" stroke-width="2" points="{path}"/>')
    parts += [
        f'<circle cx="{xs[p]:.1f}" cy="{_y(v, low, high):.1f}" r="3" fill="#154273"/>' for p, v in known
    ]
    every = max(1, len(points) // 8)
    parts += [
        f'<text x="{xs[p["period"]]:.1f}" y="{HEIGHT - 8}" text-anchor="middle" font-size="11">'
        f"{escape(p['period'])}</text>"
        for i, p in enumerate(points)
        if i % every == 0
    ]
    parts.append("</svg>")
    return "".join(parts)
