"""Coverage of the driver indicators (:mod:`gbvs.drivers`) in the store's ``panel_country_year``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gbvs.drivers.mapping import Indicator, load_mapping
from gbvs.errors import NotFoundError
from gbvs.panels._common import read_table
from gbvs.panels.coverage import Coverage, column_coverage, missing_spans
from gbvs.store.tables import TableName

PANEL = TableName.panel_country_year


@dataclass(frozen=True)
class IndicatorCoverage:
    """An indicator of the mapping with its coverage in the store (None when no store)."""

    indicator: Indicator
    coverage: Coverage | None

    def as_dict(self) -> dict[str, Any]:
        """Plain dict for JSON output."""
        data = self.indicator.model_dump()
        data["coverage"] = self.coverage.as_dict() if self.coverage else None
        return data


def indicator_coverage(con: Any | None) -> list[IndicatorCoverage]:
    """Every mapped indicator with years, number of countries and share missing in the panel."""
    mapping = load_mapping()
    if con is None:
        return [IndicatorCoverage(item, None) for item in mapping]
    panel = read_table(con, PANEL)
    columns = [i.column for i in mapping if i.column in panel.columns]
    coverage = column_coverage(panel, "gwcode", "year", columns)
    return [IndicatorCoverage(item, coverage.get(item.column)) for item in mapping]


def country_gaps(con: Any, gwcode: int) -> dict[str, list[tuple[int, int]]]:
    """Per indicator, the runs of panel years ``(first, last)`` in which ``gwcode`` has no value."""
    panel = read_table(con, PANEL)
    years = panel.filter(panel.gwcode == gwcode).count().execute()
    if not years:
        raise NotFoundError(
            f"country gwcode {gwcode} is not in {PANEL}; use a Gleditsch-Ward code such as 652 (Syria) "
            "or 210 (Netherlands)"
        )
    columns = [i.column for i in load_mapping() if i.column in panel.columns]
    spans = missing_spans(panel, "gwcode", gwcode, "year", columns).execute()
    gaps: dict[str, list[tuple[int, int]]] = {column: [] for column in columns}
    for column, first, last in spans.itertuples(index=False):
        gaps[column].append((int(first), int(last)))
    return gaps


def country_years(con: Any, gwcode: int) -> tuple[int, int]:
    """First and last panel year of ``gwcode``."""
    panel = read_table(con, PANEL)
    row = panel.filter(panel.gwcode == gwcode).aggregate(first=panel.year.min(), last=panel.year.max())
    frame = row.execute()
    return int(frame["first"].iloc[0]), int(frame["last"].iloc[0])


def latest_values(con: Any, gwcode: int) -> dict[str, tuple[int, float]]:
    """Per indicator, the last panel year in which ``gwcode`` has a value, and that value."""
    panel = read_table(con, PANEL)
    columns = [i.column for i in load_mapping() if i.column in panel.columns]
    frame = panel.filter(panel.gwcode == gwcode).select("year", *columns).order_by("year").execute()
    found: dict[str, tuple[int, float]] = {}
    for column in columns:
        known = frame[["year", column]].dropna()
        if len(known):
            year, value = known.iloc[-1]
            found[column] = (int(year), float(value))
    return found
