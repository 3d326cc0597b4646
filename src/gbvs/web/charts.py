"""Small server-side SVG charts (no script, no external service).

Each function returns SVG markup with ``role="img"`` and a ``<title>``/``<desc>``; the page puts
a data table next to it as the text alternative.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

WIDTH, HEIGHT = 640, 240
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 56, 16, 16, 32
PALETTE = ("#1f4e79", "#b35900", "#2e7d32", "#6a1b9a", "#8b0000", "#00695c")


@dataclass(frozen=True)
class Series:
    """A named list of (x, y) points; y may be missing."""

    name: str
    points: Sequence[tuple[float, float | None]]


@dataclass(frozen=True)
class Interval:
    """A point estimate with an interval, at position x."""

    x: float
    value: float
    low: float
    high: float


def _scale(value: float, lo: float, hi: float, out_lo: float, out_hi: float) -> float:
    if hi == lo:
        return (out_lo + out_hi) / 2
    return out_lo + (value - lo) * (out_hi - out_lo) / (hi - lo)


def _frame(title: str, description: str, body: str) -> Markup:
    chart_id = f"c{abs(hash((title, description))) % 10**8}"
    return Markup(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-t">{escape(title)}</title>'
        f'<desc id="{chart_id}-d">{escape(description)}</desc>'
        f"{body}</svg>"
    )


def _axes(
    x_lo: float, x_hi: float, y_lo: float, y_hi: float, y_format: str = "{:,.0f}", x_format: str = "{:.0f}"
) -> str:
    parts = [
        f'<line class="axis" x1="{MARGIN_LEFT}" y1="{HEIGHT - MARGIN_BOTTOM}" x2="{WIDTH - MARGIN_RIGHT}" '
        f'y2="{HEIGHT - MARGIN_BOTTOM}"/>',
        f'<line class="axis" x1="{MARGIN_LEFT}" y1="{MARGIN_TOP}" x2="{MARGIN_LEFT}" '
        f'y2="{HEIGHT - MARGIN_BOTTOM}"/>',
    ]
    for i in range(5):
        value = y_lo + (y_hi - y_lo) * i / 4
        y = _scale(value, y_lo, y_hi, HEIGHT - MARGIN_BOTTOM, MARGIN_TOP)
        parts.append(
            f'<line class="grid" x1="{MARGIN_LEFT}" y1="{y:.1f}" x2="{WIDTH - MARGIN_RIGHT}" y2="{y:.1f}"/>'
        )
        parts.append(
            f'<text class="tick" x="{MARGIN_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{y_format.format(value)}</text>"
        )
    for x_value in _x_ticks(x_lo, x_hi):
        x = _scale(x_value, x_lo, x_hi, MARGIN_LEFT, WIDTH - MARGIN_RIGHT)
        parts.append(
            f'<text class="tick" x="{x:.1f}" y="{HEIGHT - 10}" text-anchor="middle">{x_value:.0f}</text>'
        )
    return "".join(parts)


def _x_ticks(lo: float, hi: float) -> list[float]:
    if hi - lo <= 1.0:
        return [lo + (hi - lo) * i / 5 for i in range(6)]
    span = max(hi - lo, 1)
    step = next(s for s in (1, 2, 5, 10, 20, 25, 50, 100) if span / s <= 8)
    first = int(lo // step * step + (step if lo % step else 0))
    return [float(x) for x in range(first, int(hi) + 1, step)]


def bar_chart(series: Series, title: str, description: str, y_format: str = "{:,.0f}") -> Markup:
    """Vertical bars, one per x value (e.g. battle deaths by year)."""
    points = [(x, y) for x, y in series.points if y is not None]
    if not points:
        return _frame(title, description, "")
    x_lo, x_hi = min(p[0] for p in points), max(p[0] for p in points)
    y_hi = max(max(p[1] for p in points), 1.0)
    band = (WIDTH - MARGIN_LEFT - MARGIN_RIGHT) / max(x_hi - x_lo + 1, 1)
    bars = []
    for x, y in points:
        left = _scale(x, x_lo - 0.5, x_hi + 0.5, MARGIN_LEFT, WIDTH - MARGIN_RIGHT) - band * 0.4
        top = _scale(y, 0, y_hi, HEIGHT - MARGIN_BOTTOM, MARGIN_TOP)
        bars.append(
            f'<rect class="bar" x="{left:.1f}" y="{top:.1f}" width="{band * 0.8:.1f}" '
            f'height="{HEIGHT - MARGIN_BOTTOM - top:.1f}"><title>{x:.0f}: {y_format.format(y)}</title></rect>'
        )
    return _frame(title, description, _axes(x_lo - 0.5, x_hi + 0.5, 0, y_hi, y_format) + "".join(bars))


def line_chart(
    series: Sequence[Series],
    title: str,
    description: str,
    y_format: str = "{:,.2f}",
    y_range: tuple[float, float] | None = None,
    x_format: str = "{:.0f}",
) -> Markup:
    """One line per series, with a legend naming each (colour is not the only cue: dash patterns too)."""
    points = [(x, y) for s in series for x, y in s.points if y is not None]
    if not points:
        return _frame(title, description, "")
    x_lo, x_hi = min(p[0] for p in points), max(p[0] for p in points)
    y_lo, y_hi = y_range or (min(0.0, min(p[1] for p in points)), max(p[1] for p in points))
    parts = [_axes(x_lo, x_hi, y_lo, y_hi, y_format, x_format)]
    for index, one in enumerate(series):
        coords = [
            f"{_scale(x, x_lo, x_hi, MARGIN_LEFT, WIDTH - MARGIN_RIGHT):.1f},"
            f"{_scale(y, y_lo, y_hi, HEIGHT - MARGIN_BOTTOM, MARGIN_TOP):.1f}"
            for x, y in one.points
            if y is not None
        ]
        dash = ("", ' stroke-dasharray="6 3"', ' stroke-dasharray="2 3"')[index % 3]
        colour = PALETTE[index % len(PALETTE)]
        parts.append(
            f'<polyline class="line" fill="none" stroke="{colour}"{dash} points="{" ".join(coords)}"/>'
        )
        parts.append(
            f'<text class="legend" x="{MARGIN_LEFT + 8}" y="{MARGIN_TOP + 14 * (index + 1)}" fill="{colour}">'
            f"{escape(one.name)}</text>"
        )
    return _frame(title, description, "".join(parts))


def interval_chart(
    intervals: Sequence[Interval], title: str, description: str, y_max: float = 1.0, y_format: str = "{:.0%}"
) -> Markup:
    """Point estimates with vertical interval whiskers (forecast probability with its uncertainty)."""
    if not intervals:
        return _frame(title, description, "")
    x_lo, x_hi = min(i.x for i in intervals) - 0.5, max(i.x for i in intervals) + 0.5
    parts = [_axes(x_lo, x_hi, 0, y_max, y_format)]
    for item in intervals:
        x = _scale(item.x, x_lo, x_hi, MARGIN_LEFT, WIDTH - MARGIN_RIGHT)
        y_low, y_high = (
            _scale(v, 0, y_max, HEIGHT - MARGIN_BOTTOM, MARGIN_TOP) for v in (item.low, item.high)
        )
        y = _scale(item.value, 0, y_max, HEIGHT - MARGIN_BOTTOM, MARGIN_TOP)
        low, value, high = (y_format.format(v) for v in (item.low, item.value, item.high))
        label = f"{item.x:.0f}: {value} ({low}–{high})"
        parts.append(
            f'<g class="interval"><title>{label}</title>'
            f'<line x1="{x:.1f}" y1="{y_low:.1f}" x2="{x:.1f}" y2="{y_high:.1f}"/>'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5"/></g>'
        )
    return _frame(title, description, "".join(parts))


def contribution_chart(items: Sequence[tuple[str, float]], title: str, description: str) -> Markup:
    """Horizontal bars left (lowers risk) or right (raises risk) of zero, labelled with their value."""
    if not items:
        return _frame(title, description, "")
    height = MARGIN_TOP + 24 * len(items) + MARGIN_BOTTOM
    extent = max(abs(v) for _, v in items) or 1.0
    label_width, zero = 220, 220 + (WIDTH - 220 - MARGIN_RIGHT) / 2
    half = (WIDTH - label_width - MARGIN_RIGHT) / 2 - 40
    parts = [f'<line class="axis" x1="{zero}" y1="{MARGIN_TOP}" x2="{zero}" y2="{height - MARGIN_BOTTOM}"/>']
    for index, (name, value) in enumerate(items):
        y = MARGIN_TOP + 24 * index
        length = abs(value) / extent * half
        left = zero if value >= 0 else zero - length
        css = "bar up" if value >= 0 else "bar down"
        parts.append(
            f'<text class="tick" x="{label_width - 8}" y="{y + 15}" text-anchor="end">{escape(name)}</text>'
        )
        parts.append(
            f'<rect class="{css}" x="{left:.1f}" y="{y + 3}" width="{max(length, 1):.1f}" height="16"/>'
        )
        anchor_x = left + length + 4 if value >= 0 else left - 4
        anchor = "start" if value >= 0 else "end"
        parts.append(
            f'<text class="tick" x="{anchor_x:.1f}" y="{y + 15}" text-anchor="{anchor}">{value:+.3f}</text>'
        )
    svg = _frame(title, description, "".join(parts))
    return Markup(str(svg).replace(f'viewBox="0 0 {WIDTH} {HEIGHT}"', f'viewBox="0 0 {WIDTH} {height}"', 1))


def count_chart(items: Sequence[tuple[str, int]], title: str, description: str) -> Markup:
    """Horizontal bars from zero, one per labelled count (signals per threat, kind, country, quarter)."""
    if not items:
        return _frame(title, description, "")
    label_width = 240
    height = MARGIN_TOP + 22 * len(items) + MARGIN_BOTTOM
    extent = max(count for _, count in items) or 1
    room = WIDTH - label_width - MARGIN_RIGHT - 48
    bottom = height - MARGIN_BOTTOM
    parts = [f'<line class="axis" x1="{label_width}" y1="{MARGIN_TOP}" x2="{label_width}" y2="{bottom}"/>']
    for index, (name, count) in enumerate(items):
        y = MARGIN_TOP + 22 * index
        length = count / extent * room
        label = escape(name if len(name) <= 36 else name[:35] + "…")
        parts.append(
            f'<text class="tick" x="{label_width - 8}" y="{y + 15}" text-anchor="end">{label}</text>'
        )
        parts.append(
            f'<rect class="bar" x="{label_width}" y="{y + 3}" width="{max(length, 1):.1f}" height="16"/>'
        )
        parts.append(f'<text class="tick" x="{label_width + length + 4:.1f}" y="{y + 15}">{count:,}</text>')
    svg = _frame(title, description, "".join(parts))
    return Markup(str(svg).replace(f'viewBox="0 0 {WIDTH} {HEIGHT}"', f'viewBox="0 0 {WIDTH} {height}"', 1))
