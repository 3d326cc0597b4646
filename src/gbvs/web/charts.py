"""Small server-side SVG charts (no script, no external service).

Each function returns SVG markup with ``role="img"`` and a ``<title>``/``<desc>``; the page puts
a data table next to it as the text alternative. Axes carry a title with the unit, ticks at "nice"
values (1, 2, 2.5 or 5 times a power of ten, never the same tick twice) formatted in the page's
locale, and legends show the mark they name (a line sample in its colour and dash pattern).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape

from markupsafe import Markup

WIDTH, HEIGHT = 640, 280
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 76, 16, 12, 46
LEGEND_ROW = 20
Y_TITLE_ROW = 22
PALETTE = ("#1f4e79", "#b35900", "#2e7d32", "#6a1b9a", "#8b0000", "#00695c")
DASHES = ("", "6 3", "2 3")
NICE_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)
MAX_TICKS = 12
Format = Callable[[float], str]


def _plain(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


@dataclass(frozen=True)
class Axis:
    """An axis: its title (with the unit), how ticks are written, and a linear or log scale."""

    title: str = ""
    format: Format = _plain
    log: bool = False
    range: tuple[float, float] | None = None
    integer: bool = False  # ticks only at whole numbers (years, counts)


@dataclass(frozen=True)
class Series:
    """A named list of (x, y) points; y may be missing."""

    name: str
    points: Sequence[tuple[float, float | None]]


@dataclass(frozen=True)
class Interval:
    """A point estimate with an interval, at position x; a ``mark`` (e.g. "not comparable") draws the
    point open and adds the mark to its tooltip."""

    x: float
    value: float
    low: float
    high: float
    mark: str = ""


@dataclass(frozen=True)
class _Scale:
    lo: float
    hi: float
    out_lo: float
    out_hi: float
    log: bool = False

    def __call__(self, value: float) -> float:
        lo, hi, v = (_log1p(x) for x in (self.lo, self.hi, value)) if self.log else (self.lo, self.hi, value)
        if hi == lo:
            return (self.out_lo + self.out_hi) / 2
        return self.out_lo + (v - lo) * (self.out_hi - self.out_lo) / (hi - lo)


@dataclass
class _Plot:
    x: _Scale
    y: _Scale
    height: int
    parts: list[str] = field(default_factory=list)


def _log1p(value: float) -> float:
    return math.log10(1 + max(value, 0.0))


def nice_ticks(lo: float, hi: float, count: int = 5, integer: bool = False) -> list[float]:
    """Tick values covering [lo, hi] at a nice step, about ``count`` of them, all different."""
    if not math.isfinite(lo) or not math.isfinite(hi):
        return []
    if hi < lo:
        lo, hi = hi, lo
    if hi == lo or not math.isfinite(hi - lo):
        return [lo]
    raw = (hi - lo) / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(s * power for s in NICE_STEPS if s * power >= raw * (1 - 1e-9))
    if integer:
        step = max(1.0, round(step))
    first = math.ceil(lo / step - 1e-9) * step
    count = min(MAX_TICKS, math.floor((hi - first) / step + 1e-9) + 1)
    ticks = [round(first + i * step, 12) + 0.0 for i in range(max(count, 0))]
    return sorted(set(ticks))


def nice_range(lo: float, hi: float, count: int = 5) -> tuple[float, float]:
    """[lo, hi] widened to the nearest nice ticks (a constant series gets a band around its value)."""
    if hi - lo <= 1e-9 * max(abs(lo), abs(hi)):  # constant, up to floating-point noise
        spread = abs(lo) * 0.1 or 1.0
        lo, hi = lo - spread, hi + spread
    raw = (hi - lo) / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(s * power for s in NICE_STEPS if s * power >= raw * (1 - 1e-9))
    return math.floor(lo / step + 1e-9) * step, math.ceil(hi / step - 1e-9) * step


def log_ticks(hi: float) -> list[float]:
    """Ticks of a log(1 + y) axis: 0, 1, 10, 100, ... up to the first power of ten at or above ``hi``."""
    ticks = [0.0, 1.0]
    while ticks[-1] < hi and len(ticks) < MAX_TICKS:
        ticks.append(ticks[-1] * 10)
    return [0.0, *ticks[2:]] if len(ticks) > 5 else ticks  # "1" crowds "0" on a long axis


def _frame(title: str, description: str, body: str, height: int = HEIGHT) -> Markup:
    chart_id = f"c{abs(hash((title, description))) % 10**8}"
    return Markup(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-t">{escape(title)}</title>'
        f'<desc id="{chart_id}-d">{escape(description)}</desc>'
        f"{body}</svg>"
    )


def _legend(names: Sequence[str], top: int) -> tuple[str, int]:
    """Legend entries above the plot, each with a line sample; returns the markup and its height."""
    if not names:
        return "", 0
    parts, x, row = [], MARGIN_LEFT, 0
    for index, name in enumerate(names):
        width = 34 + 7 * len(name)
        if x + width > WIDTH - MARGIN_RIGHT and x > MARGIN_LEFT:
            x, row = MARGIN_LEFT, row + 1
        y = top + row * LEGEND_ROW + 10
        colour, dash = PALETTE[index % len(PALETTE)], DASHES[index % len(DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<g class="legend-entry"><line class="legend-mark" x1="{x}" y1="{y}" x2="{x + 24}" y2="{y}" '
            f'stroke="{colour}"{dash_attr}/>'
            f'<text class="legend" x="{x + 30}" y="{y + 4}">{escape(name)}</text></g>'
        )
        x += width + 12
    return "".join(parts), (row + 1) * LEGEND_ROW + 4


def _plot_area(
    x_range: tuple[float, float], y_range: tuple[float, float], y_axis: Axis, top: int, height: int = HEIGHT
) -> _Plot:
    x = _Scale(x_range[0], x_range[1], MARGIN_LEFT, WIDTH - MARGIN_RIGHT)
    top += Y_TITLE_ROW if y_axis.title else 0  # the y title is written level, above the axis (never cut)
    y = _Scale(y_range[0], y_range[1], height - MARGIN_BOTTOM, top, log=y_axis.log)
    return _Plot(x, y, height)


def _axes(
    plot: _Plot, x_ticks: Sequence[float], y_ticks: Sequence[float], x_axis: Axis, y_axis: Axis
) -> None:
    bottom, top = plot.y.out_lo, plot.y.out_hi
    parts = plot.parts
    parts.append(
        f'<line class="axis" x1="{MARGIN_LEFT}" y1="{bottom}" x2="{WIDTH - MARGIN_RIGHT}" y2="{bottom}"/>'
    )
    parts.append(f'<line class="axis" x1="{MARGIN_LEFT}" y1="{top}" x2="{MARGIN_LEFT}" y2="{bottom}"/>')
    for value in _distinct_labels(y_ticks, y_axis.format):
        y = plot.y(value)
        parts.append(
            f'<line class="grid" x1="{MARGIN_LEFT}" y1="{y:.1f}" x2="{WIDTH - MARGIN_RIGHT}" y2="{y:.1f}"/>'
        )
        parts.append(
            f'<text class="tick" x="{MARGIN_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{escape(y_axis.format(value))}</text>"
        )
    for value in _distinct_labels(x_ticks, x_axis.format):
        x = plot.x(value)
        parts.append(f'<line class="axis" x1="{x:.1f}" y1="{bottom}" x2="{x:.1f}" y2="{bottom + 4}"/>')
        parts.append(
            f'<text class="tick" x="{x:.1f}" y="{bottom + 17}" text-anchor="middle">'
            f"{escape(x_axis.format(value))}</text>"
        )
    if x_axis.title:
        centre = (MARGIN_LEFT + WIDTH - MARGIN_RIGHT) / 2
        parts.append(
            f'<text class="axis-title" x="{centre:.0f}" y="{plot.height - 6}" text-anchor="middle">'
            f"{escape(x_axis.title)}</text>"
        )
    if y_axis.title:
        parts.append(
            f'<text class="axis-title" x="8" y="{top - 10:.0f}" text-anchor="start">'
            f"{escape(y_axis.title)}</text>"
        )


def _distinct_labels(ticks: Sequence[float], fmt: Format) -> list[float]:
    """The ticks whose written label differs from every earlier one (no "0 0 1 1")."""
    seen: set[str] = set()
    kept = []
    for value in ticks:
        label = fmt(value)
        if label not in seen:
            seen.add(label)
            kept.append(value)
    return kept


def _year_axis(axis: Axis | None) -> Axis:
    return axis or Axis(format=lambda v: f"{v:.0f}", integer=True)


def _y_scale(
    values: Sequence[float], axis: Axis, floor_zero: bool = True
) -> tuple[tuple[float, float], list[float]]:
    """The y range and ticks of an axis over ``values``."""
    if axis.log:
        ticks = log_ticks(max(values, default=1.0))
        return (0.0, ticks[-1]), ticks
    lo, hi = axis.range or (min([*values, 0.0]) if floor_zero else min(values), max(values))
    if axis.range is None:
        lo, hi = nice_range(lo, hi)
        if min(values, default=0.0) >= 0:
            lo = max(lo, 0.0)  # no negative ticks for values that are not (an all-zero series got −1 to 1)
    return (lo, hi), nice_ticks(lo, hi, integer=axis.integer)


def bar_chart(
    series: Series, title: str, description: str, y_axis: Axis | None = None, x_axis: Axis | None = None
) -> Markup:
    """Vertical bars, one per x value (e.g. battle deaths by year)."""
    points = [(x, y) for x, y in series.points if y is not None]
    if not points:
        return _frame(title, description, "")
    y_axis = y_axis or Axis(integer=True)
    x_axis = _year_axis(x_axis)
    x_lo, x_hi = min(p[0] for p in points), max(p[0] for p in points)
    y_range, y_ticks = _y_scale([p[1] for p in points], y_axis)
    plot = _plot_area((x_lo - 0.5, x_hi + 0.5), y_range, y_axis, MARGIN_TOP)
    _axes(plot, nice_ticks(x_lo, x_hi, 8, integer=True), y_ticks, x_axis, y_axis)
    band = (WIDTH - MARGIN_LEFT - MARGIN_RIGHT) / max(x_hi - x_lo + 1, 1)
    bottom = plot.y.out_lo
    for x, y in points:
        left = plot.x(x) - band * 0.4
        top = plot.y(y)
        plot.parts.append(
            f'<rect class="bar" x="{left:.1f}" y="{top:.1f}" width="{band * 0.8:.1f}" '
            f'height="{bottom - top:.1f}">'
            f"<title>{x_axis.format(x)}: {escape(y_axis.format(y))}</title></rect>"
        )
    return _frame(title, description, "".join(plot.parts))


def line_chart(
    series: Sequence[Series],
    title: str,
    description: str,
    y_axis: Axis | None = None,
    x_axis: Axis | None = None,
    legend: bool | None = None,
    floor_zero: bool = False,
) -> Markup:
    """One line per series; a legend (shown for two or more series) names each with its line sample.
    ``floor_zero``: the y axis starts at zero (counts), not at the lowest value."""
    points = [(x, y) for s in series for x, y in s.points if y is not None]
    if not points:
        return _frame(title, description, "")
    y_axis = y_axis or Axis()
    x_axis = _year_axis(x_axis)
    show_legend = len(series) > 1 if legend is None else legend
    legend_markup, legend_height = _legend([s.name for s in series] if show_legend else [], MARGIN_TOP)
    x_lo, x_hi = x_axis.range or (min(p[0] for p in points), max(p[0] for p in points))
    y_range, y_ticks = _y_scale([p[1] for p in points], y_axis, floor_zero=floor_zero)
    plot = _plot_area((x_lo, x_hi), y_range, y_axis, MARGIN_TOP + legend_height)
    x_ticks = nice_ticks(x_lo, x_hi, 6, integer=x_axis.integer)
    _axes(plot, x_ticks, y_ticks, x_axis, y_axis)
    plot.parts.append(legend_markup)
    for index, one in enumerate(series):
        coords = [f"{plot.x(x):.1f},{plot.y(y):.1f}" for x, y in one.points if y is not None]
        dash = DASHES[index % len(DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        colour = PALETTE[index % len(PALETTE)]
        plot.parts.append(
            f'<polyline class="line" fill="none" stroke="{colour}"{dash_attr} points="{" ".join(coords)}">'
            f"<title>{escape(one.name)}</title></polyline>"
        )
    return _frame(title, description, "".join(plot.parts))


def interval_chart(
    intervals: Sequence[Interval],
    title: str,
    description: str,
    y_axis: Axis | None = None,
    x_axis: Axis | None = None,
) -> Markup:
    """Point estimates with vertical interval whiskers (forecast probability or count with its range).

    On a log axis (battle deaths) a median of zero and a range in the thousands are both legible.
    """
    if not intervals:
        return _frame(title, description, "")
    y_axis = y_axis or Axis(range=(0.0, 1.0))
    x_axis = _year_axis(x_axis)
    x_lo, x_hi = min(i.x for i in intervals), max(i.x for i in intervals)
    y_range, y_ticks = _y_scale([v for i in intervals for v in (i.low, i.value, i.high)], y_axis)
    plot = _plot_area((x_lo - 0.5, x_hi + 0.5), y_range, y_axis, MARGIN_TOP)
    _axes(plot, nice_ticks(x_lo, x_hi, 8, integer=True), y_ticks, x_axis, y_axis)
    for item in intervals:
        x = plot.x(item.x)
        y_low, y, y_high = plot.y(item.low), plot.y(item.value), plot.y(item.high)
        low, value, high = (y_axis.format(v) for v in (item.low, item.value, item.high))
        mark = f" [{item.mark}]" if item.mark else ""
        label = escape(f"{x_axis.format(item.x)}: {value} ({low} – {high}){mark}")
        kind = "interval marked" if item.mark else "interval"
        plot.parts.append(
            f'<g class="{kind}"><title>{label}</title>'
            f'<line x1="{x:.1f}" y1="{y_low:.1f}" x2="{x:.1f}" y2="{y_high:.1f}"/>'
            f'<line x1="{x - 6:.1f}" y1="{y_low:.1f}" x2="{x + 6:.1f}" y2="{y_low:.1f}"/>'
            f'<line x1="{x - 6:.1f}" y1="{y_high:.1f}" x2="{x + 6:.1f}" y2="{y_high:.1f}"/>'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5"/></g>'
        )
    return _frame(title, description, "".join(plot.parts))


def contribution_chart(
    items: Sequence[tuple[str, float]],
    title: str,
    description: str,
    value_format: Format | None = None,
    axis_title: str = "",
) -> Markup:
    """Horizontal bars left (lowers risk) or right (raises risk) of zero, labelled with their value."""
    if not items:
        return _frame(title, description, "")
    fmt = value_format or (lambda v: f"{v:+.3f}")
    height = MARGIN_TOP + 24 * len(items) + (MARGIN_BOTTOM if axis_title else 16)
    extent = max(abs(v) for _, v in items) or 1.0
    label_width, zero = 220, 220 + (WIDTH - 220 - MARGIN_RIGHT) / 2
    half = (WIDTH - label_width - MARGIN_RIGHT) / 2 - 48
    bottom = MARGIN_TOP + 24 * len(items)
    parts = [f'<line class="axis" x1="{zero}" y1="{MARGIN_TOP}" x2="{zero}" y2="{bottom}"/>']
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
            f'<text class="tick" x="{anchor_x:.1f}" y="{y + 15}" text-anchor="{anchor}">'
            f"{escape(fmt(value))}</text>"
        )
    if axis_title:
        parts.append(
            f'<text class="axis-title" x="{zero:.0f}" y="{height - 12}" text-anchor="middle">'
            f"{escape(axis_title)}</text>"
        )
    return _frame(title, description, "".join(parts), height)


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
    return _frame(title, description, "".join(parts), height)
