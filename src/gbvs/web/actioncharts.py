"""The chart of the warning-response gap: one stacked horizontal bar per region (SVG, no script).

Three parts per bar, in the order given: decided, case without decision, no case. The page puts
the same numbers in a table next to it (the text alternative).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

from gbvs.web.charts import MARGIN_BOTTOM, MARGIN_RIGHT, MARGIN_TOP, WIDTH

PARTS = ("gap-decided", "gap-open", "gap-none")
LABEL_WIDTH, ROW = 220, 26


def gap_chart(
    rows: Sequence[tuple[str, int, int, int]], title: str, description: str, legend: tuple[str, str, str]
) -> Markup:
    """Rows of (label, decided, case without decision, no case)."""
    height = MARGIN_TOP + ROW * (len(rows) + 1) + MARGIN_BOTTOM
    most = max((sum(r[1:]) for r in rows), default=0) or 1
    span = WIDTH - LABEL_WIDTH - MARGIN_RIGHT - 40
    parts = []
    for index, (label, *counts) in enumerate(rows):
        y = MARGIN_TOP + ROW * index
        parts.append(
            f'<text class="tick" x="{LABEL_WIDTH - 8}" y="{y + 16}" text-anchor="end">{escape(label)}</text>'
        )
        left = float(LABEL_WIDTH)
        for css, count in zip(PARTS, counts, strict=True):
            width = count / most * span
            if width:
                parts.append(
                    f'<rect class="bar {css}" x="{left:.1f}" y="{y + 4}" width="{width:.1f}" height="18"/>'
                )
            left += width
        parts.append(f'<text class="tick" x="{left + 4:.1f}" y="{y + 16}">{sum(counts)}</text>')
    parts.append(_legend(legend, MARGIN_TOP + ROW * len(rows) + 8))
    chart_id = f"g{abs(hash((title, description))) % 10**8}"
    return Markup(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-t">{escape(title)}</title>'
        f'<desc id="{chart_id}-d">{escape(description)}</desc>{"".join(parts)}</svg>'
    )


def _legend(labels: tuple[str, str, str], y: float) -> str:
    items, x = [], float(LABEL_WIDTH)
    for css, label in zip(PARTS, labels, strict=True):
        items.append(f'<rect class="bar {css}" x="{x:.1f}" y="{y}" width="12" height="12"/>')
        items.append(f'<text class="tick" x="{x + 16:.1f}" y="{y + 11}">{escape(label)}</text>')
        x += 24 + 7 * len(label)
    return "".join(items)
