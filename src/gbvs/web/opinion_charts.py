"""A horizontal bar chart of weighted shares with their interval whiskers (server-side SVG)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

WIDTH, ROW, LEFT, RIGHT, TOP = 640, 28, 220, 24, 8


@dataclass(frozen=True)
class Bar:
    """One labelled share (0-1) with its interval."""

    label: str
    share: float
    lower: float
    upper: float


def share_chart(bars: Sequence[Bar], title: str, description: str, percent: Callable[[float], str]) -> Markup:
    """Bars from 0 to 100 %, a whisker for each interval; the page puts a table beside it. ``percent``
    writes a share in the page's language ("67,5%")."""
    height = TOP * 2 + ROW * max(1, len(bars)) + 16
    chart_id = f"s{abs(hash((title, description))) % 10**8}"
    span = WIDTH - LEFT - RIGHT
    parts = []
    for i, bar in enumerate(bars):
        y = TOP + i * ROW
        x_low, x_high = LEFT + bar.lower * span, LEFT + bar.upper * span
        label = f"{bar.label}: {percent(bar.share)} ({percent(bar.lower)}–{percent(bar.upper)})"
        parts.append(
            f'<g class="share"><title>{escape(label)}</title>'
            f'<text class="tick" x="{LEFT - 6}" y="{y + 17}" text-anchor="end">'
            f"{escape(bar.label[:34])}</text>"
            f'<rect x="{LEFT}" y="{y + 5}" width="{bar.share * span:.1f}" height="{ROW - 10}" '
            'fill="#1f4e79"/>'
            f'<line class="whisker" x1="{x_low:.1f}" y1="{y + ROW / 2}" x2="{x_high:.1f}" y2="{y + ROW / 2}" '
            'stroke="#b35900" stroke-width="3"/>'
            f"</g>"
        )
    axis_y = TOP + ROW * len(bars) + 4
    ticks = "".join(
        f'<text class="tick" x="{LEFT + t * span:.1f}" y="{axis_y + 12}" text-anchor="middle">'
        f"{percent(t)}</text>"
        for t in (0, 0.5, 1)
    )
    return Markup(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-t">{escape(title)}</title>'
        f'<desc id="{chart_id}-d">{escape(description)}</desc>'
        f'<line class="axis" x1="{LEFT}" y1="{axis_y}" x2="{WIDTH - RIGHT}" y2="{axis_y}" stroke="#222"/>'
        f"{ticks}{''.join(parts)}</svg>"
    )
