"""Coverage of the driver indicators (:mod:`gbvs.drivers`) in the store's ``panel_country_year`` (and
``panel_country_year_wide`` for the V-Dem v14 ones)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gbvs.drivers.mapping import Indicator, load_mapping
from gbvs.errors import NotFoundError
from gbvs.store.coverage import Coverage, table_coverage, unit_gaps, unit_span
from gbvs.store.reader import Store
from gbvs.store.reads_panel import latest_values as read_latest
from gbvs.store.reads_panel import require_country_year
from gbvs.store.tables import TableName

PANEL = TableName.panel_country_year
PANELS = (PANEL, TableName.panel_country_year_wide)
"""The panels holding driver indicators: the country-year panel, and the wide one for V-Dem v14's."""


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


def indicator_coverage(store: Store | None) -> list[IndicatorCoverage]:
    """Every mapped indicator with years, number of countries and share missing in the panel."""
    mapping = load_mapping()
    if store is None:
        return [IndicatorCoverage(item, None) for item in mapping]
    require_country_year(store)
    columns = tuple(i.column for i in mapping)
    coverage: dict[str, Coverage] = {}
    for table in PANELS:  # each reads the columns it has
        found = table_coverage(store, table=table, unit="gwcode", time="year", columns=columns)
        coverage |= {column: value for column, value in found.items() if column not in coverage}
    return [IndicatorCoverage(item, coverage.get(item.column)) for item in mapping]


def country_gaps(store: Store, gwcode: int) -> dict[str, list[tuple[int, int]]]:
    """Per indicator, the runs of panel years ``(first, last)`` in which ``gwcode`` has no value."""
    country_years(store, gwcode)  # NotFoundError for an unknown country
    columns = tuple(i.column for i in load_mapping())
    gaps: dict[str, list[tuple[int, int]]] = {}
    for table in PANELS:
        if store.has_table(table):
            found = unit_gaps(
                store, table=table, unit="gwcode", unit_value=gwcode, time="year", columns=columns
            )
            gaps |= {column: runs for column, runs in found.items() if column not in gaps}
    return gaps


def country_years(store: Store, gwcode: int) -> tuple[int, int]:
    """First and last panel year of ``gwcode``; NotFoundError naming the code and the fix."""
    require_country_year(store)
    span = unit_span(store, table=PANEL, unit="gwcode", unit_value=gwcode, time="year")
    if span is None:
        raise NotFoundError(
            f"country gwcode {gwcode} is not in {PANEL}; use a Gleditsch-Ward code such as 652 (Syria) "
            "or 210 (Netherlands)"
        )
    return span


def latest_values(store: Store, gwcode: int) -> dict[str, tuple[int, float]]:
    """Per indicator, the last panel year in which ``gwcode`` has a value, and that value."""
    columns = tuple(i.column for i in load_mapping())
    return read_latest(store, gwcodes=(gwcode,), columns=columns).get(gwcode, {})
