"""The risk diagram: one point per scenario at (likelihood, impact), the analysts' range as bars.

:func:`diagram_points` computes the points from the analysts' sheets (the point is the median;
the bars run from the lowest to the highest analyst: their own likelihood class, and the total
impact of their own sheet). :func:`risk_diagram_svg` draws them as SVG with ``role="img"``, a
title and a description; the page shows :class:`DiagramPoint` rows as the data table beside it.
Colours follow the threat of chapter 3 (Okabe-Ito palette, readable with colour-blindness), and
every point is labelled with its number, so colour is never the only cue.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape

from gbvs.assessments.model import Method, ScenarioKind, WeightSet
from gbvs.assessments.scoring import TIE_TOLERANCE, Sheet, Spread, impact, sheet_values, spread

WIDTH, HEIGHT = 640, 420
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 24, 56
THREAT_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8C6D00", "#56B4E9")
OTHER_COLOUR = "#444444"
Axis = Callable[[float], float]


@dataclass(frozen=True)
class DiagramPoint:
    """One scenario in the diagram (the data table row); ``number`` labels it (the scenario's id)."""

    number: int
    key: str
    label: str
    threat: int | None
    likelihood: Spread
    impact: Spread
    """median: the total of the per-criterion medians; low/high: the analysts' own totals."""

    @property
    def outside_own_totals(self) -> bool:
        """Whether the composite impact lies outside the range of the analysts' own totals."""
        return not self.impact.low - TIE_TOLERANCE <= self.impact.median <= self.impact.high + TIE_TOLERANCE


def threat_colour(threat: int | None) -> str:
    """The colour of threat ``threat`` (1-6) of chapter 3; grey for none."""
    if threat is None or not 1 <= threat <= len(THREAT_COLOURS):
        return OTHER_COLOUR
    return THREAT_COLOURS[threat - 1]


def diagram_points(
    method: Method,
    weight_set: WeightSet,
    scenarios: Sequence[tuple[int, str, str, int | None, ScenarioKind, Sequence[Sheet]]],
) -> list[DiagramPoint]:
    """Points for ``(number, key, label, threat number, kind, sheets)`` per scenario."""
    points = []
    for number, key, label, threat, kind, sheets in scenarios:
        values = [sheet_values(method, kind, sheet) for sheet in sheets]
        medians = {c: spread([row[c] for row, _ in values]).median for c in method.criterion_ids()}
        own_totals = [impact(method, weight_set, row).total for row, _ in values]
        total = impact(method, weight_set, medians).total
        impact_spread = Spread(total, min(own_totals), max(own_totals), len(own_totals))
        points.append(
            DiagramPoint(number, key, label, threat, spread([lk for _, lk in values]), impact_spread)
        )
    return points


def risk_diagram_svg(
    points: Sequence[DiagramPoint],
    *,
    title: str,
    description: str,
    axis_labels: tuple[str, str],
    likelihood_ticks: Mapping[float, str],
    impact_ticks: Mapping[float, str],
) -> str:
    """SVG of the diagram; the axes span the ticks given (the scales' class values and codes)."""
    x_lo, x_hi = min(likelihood_ticks), max(likelihood_ticks)
    y_lo, y_hi = min(impact_ticks), max(impact_ticks)

    def x(value: float) -> float:
        return _scale(value, x_lo, x_hi, LEFT, WIDTH - RIGHT)

    def y(value: float) -> float:
        return _scale(value, y_lo, y_hi, HEIGHT - BOTTOM, TOP)

    body = [_axes(x, y, axis_labels, likelihood_ticks, impact_ticks)]
    body += [_point(point, x, y) for point in points]
    return (
        f'<svg class="chart risk-diagram" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="risk-t risk-d" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="risk-t">{escape(title)}</title><desc id="risk-d">{escape(description)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def _scale(value: float, lo: float, hi: float, out_lo: float, out_hi: float) -> float:
    if hi == lo:
        return (out_lo + out_hi) / 2
    return round(out_lo + (value - lo) * (out_hi - out_lo) / (hi - lo), 1)


def _axes(
    x: Axis, y: Axis, labels: tuple[str, str], x_ticks: Mapping[float, str], y_ticks: Mapping[float, str]
) -> str:
    bottom, left = HEIGHT - BOTTOM, LEFT
    parts = [
        f'<line class="axis" x1="{left}" y1="{bottom}" x2="{WIDTH - RIGHT}" y2="{bottom}" stroke="#333"/>',
        f'<line class="axis" x1="{left}" y1="{TOP}" x2="{left}" y2="{bottom}" stroke="#333"/>',
    ]
    for value, label in sorted(x_ticks.items()):
        parts.append(
            f'<text x="{x(value)}" y="{bottom + 18}" text-anchor="middle" font-size="12">'
            f"{escape(label)}</text>"
        )
    for value, label in sorted(y_ticks.items()):
        parts.append(
            f'<line x1="{left}" y1="{y(value)}" x2="{WIDTH - RIGHT}" y2="{y(value)}" stroke="#ddd"/>'
            f'<text x="{left - 8}" y="{y(value) + 4}" text-anchor="end" font-size="12">{escape(label)}</text>'
        )
    parts.append(
        f'<text x="{(left + WIDTH - RIGHT) / 2}" y="{HEIGHT - 12}" text-anchor="middle" font-size="13">'
        f"{escape(labels[0])}</text>"
    )
    parts.append(
        f'<text x="16" y="{(TOP + bottom) / 2}" text-anchor="middle" font-size="13" '
        f'transform="rotate(-90 16 {(TOP + bottom) / 2})">{escape(labels[1])}</text>'
    )
    return "".join(parts)


def _point(point: DiagramPoint, x: Axis, y: Axis) -> str:
    colour = threat_colour(point.threat)
    cx, cy = x(point.likelihood.median), y(point.impact.median)
    return (
        f'<g class="scenario" data-key="{escape(point.key)}">'
        f'<line x1="{x(point.likelihood.low)}" y1="{cy}" x2="{x(point.likelihood.high)}" y2="{cy}" '
        f'stroke="{colour}" stroke-width="2"/>'
        f'<line x1="{cx}" y1="{y(point.impact.low)}" x2="{cx}" y2="{y(point.impact.high)}" '
        f'stroke="{colour}" stroke-width="2"/>'
        f'<circle cx="{cx}" cy="{cy}" r="7" fill="{colour}" stroke="#000"/>'
        f'<text x="{cx + 10}" y="{cy - 8}" font-size="12" fill="#000">'
        f"{point.number}. {escape(point.label)}</text>"
        "</g>"
    )
