"""The context chapter's driver monitor, watchlist and risk diagram from the recorded inputs (pure).

Each part has an *extract* step (the rows it keeps in the snapshot, from frames the report service
loaded) and a *content* step (what the report shows, from those rows alone), like the computed
indicators, so a frozen snapshot rebuilds to the same content:

- driver monitor: the key driver indicators per focus region, the median over the region's
  countries in the latest year of the period with data, against the year before the period;
- watchlist at the period's end: the newest forecast run made on or before the period's last day,
  its top risks and its onset view (countries without state-based conflict in the origin year);
- risk diagram: the threat assessment's scenarios that may be published, with the method's
  unconfirmed (``needs_review``) values named.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from gbvs.reports.core.indicators import Rows

WATCHLIST_SIZE = 10
"""Countries shown in the top risks and in the onset view."""


def driver_rows(
    panel: pd.DataFrame, columns: Sequence[str], gwcodes: Iterable[int], first_year: int, last_year: int
) -> Rows:
    """The panel's ``columns`` for ``gwcodes`` in ``first_year``-``last_year`` as JSON rows."""
    present = [c for c in columns if c in panel.columns]
    inside = panel[panel["gwcode"].isin(set(gwcodes)) & panel["year"].between(first_year, last_year)]
    frame = inside[["gwcode", "year", *present]].sort_values(["gwcode", "year"])
    return [
        {
            "gwcode": int(row["gwcode"]),
            "year": int(row["year"]),
            **{c: None if pd.isna(row[c]) else float(row[c]) for c in present},
        }
        for row in frame.to_dict("records")
    ]


def _median(rows: Rows, column: str, codes: set[int], year: int) -> tuple[float | None, int]:
    values = [
        r[column] for r in rows if r["year"] == year and r["gwcode"] in codes and r.get(column) is not None
    ]
    return (float(statistics.median(values)), len(values)) if values else (None, 0)


def _region_value(
    rows: Rows, column: str, codes: set[int], years: Sequence[int], before: int
) -> dict[str, Any]:
    value, year, countries = None, None, 0
    for candidate in sorted(years, reverse=True):
        value, countries = _median(rows, column, codes, candidate)
        if value is not None:
            year = candidate
            break
    previous, _ = _median(rows, column, codes, before)
    change = None if value is None or previous is None else value - previous
    return {"value": value, "year": year, "countries": countries, "before": previous, "change": change}


def driver_monitor(recorded: Mapping[str, Any]) -> dict[str, Any]:
    """Per key indicator and focus region: the median in the period's latest year with data, the median
    in the year before the period and the change."""
    years = list(recorded["years"])
    before = int(recorded["before_year"])
    rows: Rows = recorded["rows"]
    indicators = []
    for item in recorded["indicators"]:
        regions = [
            {
                "id": region["id"],
                "name": region["name"],
                "members": len(region["gwcodes"]),
                **_region_value(rows, item["column"], set(region["gwcodes"]), years, before),
            }
            for region in recorded["regions"]
        ]
        indicators.append({**item, "regions": regions})
    return {
        "years": years,
        "before_year": before,
        "indicators": indicators,
        "without_indicator": list(recorded.get("without_indicator", [])),
    }


def watchlist_rows(
    forecasts: Iterable[Mapping[str, Any]],
    conflict_now: Mapping[int, int],
    names: Mapping[int, Mapping[str, str]],
) -> Rows:
    """One row per country of a run's watched target and horizon, with whether it was in conflict in the
    origin year (None: unknown) and its names; sorted by gwcode (the content ranks them)."""
    rows = [
        {
            "gwcode": int(f["gwcode"]),
            "name": dict(names.get(int(f["gwcode"]), {"nl": str(f["gwcode"]), "en": str(f["gwcode"])})),
            "p": float(f["p"]),
            "p_low": f.get("p_low"),
            "p_high": f.get("p_high"),
            "conflict_now": conflict_now.get(int(f["gwcode"])),
        }
        for f in forecasts
        if f.get("p") is not None
    ]
    return sorted(rows, key=lambda r: r["gwcode"])


def _ranked(rows: Rows, limit: int) -> Rows:
    ordered = sorted(rows, key=lambda r: (-r["p"], r["gwcode"]))
    return [{"rank": i, **r} for i, r in enumerate(ordered[:limit], start=1)]


def watchlist(recorded: Mapping[str, Any] | None, limit: int = WATCHLIST_SIZE) -> dict[str, Any]:
    """The top risks and the onset view (only countries at peace in the origin year) of the recorded run;
    ``available`` is false when no forecast run existed at the period's end."""
    if not recorded or not recorded.get("run"):
        return {"available": False, "top": [], "onset": [], "run": None}
    rows: Rows = recorded["rows"]
    return {
        "available": True,
        "run": recorded["run"],
        "target": recorded["target"],
        "horizon": recorded["horizon"],
        "countries": len(rows),
        "top": _ranked(rows, limit),
        "onset": _ranked([r for r in rows if r["conflict_now"] == 0], limit),
    }


def risk_points(points: Iterable[Mapping[str, Any]]) -> Rows:
    """The published scenarios renumbered 1..n in their order (the diagram's labels)."""
    return [{**dict(point), "number": number} for number, point in enumerate(points, start=1)]


def risk_diagram(recorded: Mapping[str, Any] | None) -> dict[str, Any]:
    """The diagram's data: method, weight set, axes, the public scenarios, and the unconfirmed values."""
    if not recorded or not recorded.get("method"):
        return {"available": False, "points": []}
    return {
        "available": bool(recorded["points"]),
        "method": recorded["method"],
        "weight_set": recorded["weight_set"],
        "likelihood_ticks": recorded["likelihood_ticks"],
        "impact_ticks": recorded["impact_ticks"],
        "needs_review": bool(recorded["unconfirmed"]),
        "unconfirmed": recorded["unconfirmed"],
        "unconfirmed_names": {
            lang: unconfirmed_names(recorded["unconfirmed"], lang) for lang in ("nl", "en")
        },
        "points": risk_points(recorded["points"]),
    }


def unconfirmed_names(items: Sequence[Mapping[str, Any]], lang: str) -> str:
    """The method's unconfirmed values in words ("Impact criterion 3.1: ..."; a report frozen before
    the words were recorded names the entry in the method file)."""
    return "; ".join((item.get("what") or {}).get(lang) or item["entry"] for item in items)


def code_of(value: float, ticks: Sequence[Sequence[Any]]) -> str:
    """The class code of a class value on an axis (``ticks``: ``[value, code]`` pairs); the value as text
    between classes (a median of two classes)."""
    for tick, code in ticks:
        if float(tick) == float(value):
            return str(code)
    return f"{value:g}"
