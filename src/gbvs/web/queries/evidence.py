"""Evidence for a goal: the latest value of each driver indicator for the goal's focus countries."""

from __future__ import annotations

import math
from typing import Any

from gbvs.web.queries.countries import PANEL_TABLE
from gbvs.web.store import Backend, StoreGateway


def latest_values(
    store: StoreGateway, gwcodes: tuple[int, ...], columns: tuple[str, ...]
) -> dict[int, dict[str, tuple[int, float]]]:
    """gwcode -> column -> (year, value) of the most recent non-missing value."""
    if not gwcodes or not columns:
        return {}
    return store.cached(("latest", gwcodes, columns), lambda con: _read_latest(con, gwcodes, columns))


def _read_latest(
    con: Backend, gwcodes: tuple[int, ...], columns: tuple[str, ...]
) -> dict[int, dict[str, Any]]:
    panel = con.table(PANEL_TABLE)
    present = [c for c in columns if c in panel.columns]
    rows = panel.filter(panel["gwcode"].isin(list(gwcodes))).select("gwcode", "year", *present)
    result: dict[int, dict[str, Any]] = {}
    for row in rows.order_by("year").to_pyarrow().to_pylist():
        for column in present:
            value = row[column]
            if value is not None and not (isinstance(value, float) and math.isnan(value)):
                result.setdefault(int(row["gwcode"]), {})[column] = (int(row["year"]), float(value))
    return result
