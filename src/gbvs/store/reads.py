"""Named, typed reads of the analytical store for forecasting and the CLI.

Each takes an open :class:`~gbvs.store.reader.Store` (one per unit of work, opened by the caller
with ``with open_store(path) as store:``) and returns a pandas frame with the columns it names, a
dict or a dataclass. A missing table is a clear error with the fix, or ``None`` where the caller can
do without it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ibis
import pandas as pd

from gbvs.store.provenance import TableProvenance
from gbvs.store.reader import Store, no_panel
from gbvs.store.tables import TableName

PANEL_TABLES: tuple[TableName, ...] = (
    TableName.panel_country_year,
    TableName.panel_country_month,
    TableName.panel_priogrid_month,
    TableName.panel_country_year_wide,  # issue 11: joined to panel_country_year by the forecasting engine
)
COUNTRY_YEAR_SOURCES: tuple[TableName, ...] = (
    TableName.panel_country_year,
    TableName.ucdp_acd,
    TableName.ucdp_brd,
    TableName.vdem,
    TableName.gapminder,
    TableName.epr,
    TableName.demspaces_forecasts,
    TableName.vdem_v14,  # issue 11: the wide panel's sources
    TableName.poldat_country_year,
    TableName.ptcoups,
)
"""The tables whose provenance a country-year forecast names."""
EVENT_SOURCES: tuple[TableName, ...] = (TableName.ucdp_ged,)
"""The table (besides the panel) whose provenance a monthly forecast names."""


def read_frame(store: Store, table: TableName) -> pd.DataFrame:
    """The whole table as a frame (NotFoundError listing the tables when it is absent)."""
    return pd.DataFrame(store.table(table).to_pandas())


def panel_frame(store: Store, panel: TableName) -> pd.DataFrame:
    """A panel (one of :data:`PANEL_TABLES`) as stored; StoreNotBuiltError with the fix when absent."""
    if not store.has_table(panel):
        raise no_panel(panel)
    return read_frame(store, panel)


def demspaces_cutpoints(store: Store) -> dict[str, float]:
    """DemSpaces cutpoints per V-Dem index (column ``up``; ``down`` is identical in v14)."""
    rows = read_frame(store, TableName.demspaces_cutpoints)
    return {str(r["indicator"]): float(r["up"]) for _, r in rows.iterrows()}


def demspaces_forecasts_of(store: Store, *, gwcode: int) -> list[dict[str, Any]]:
    """One country's DemSpaces v14 published forecasts as records, by forecast year and outcome."""
    table = store.table(TableName.demspaces_forecasts)
    rows = table.filter(table["gwcode"] == ibis.literal(gwcode)).order_by(["from_year", "outcome"])
    return list(rows.to_pyarrow().to_pylist())


def demspaces_forecasts(store: Store) -> pd.DataFrame:
    """DemSpaces v14 published forecasts (outcome, from_year, gwcode, p_up, p_same, p_down)."""
    return read_frame(store, TableName.demspaces_forecasts)


def country_shapes(store: Store) -> pd.DataFrame | None:
    """Natural Earth country rows (geometry, ISO3); None when the store has no ``ne_admin0``."""
    if not store.has_table(TableName.ne_admin0):
        return None
    return read_frame(store, TableName.ne_admin0)


def provenance_of(store: Store, tables: tuple[TableName, ...]) -> list[TableProvenance]:
    """The provenance records of ``tables`` (those present), in ingest order."""
    wanted = {str(t) for t in tables}
    return [record for record in store.provenance() if record.table_name in wanted]


# --- map outlines ---------------------------------------------------------------------------------

ISO_COLUMNS = ("iso3", "iso_a3_eh", "iso_a3", "adm0_a3")
NAME_COLUMNS = ("name", "admin")
GEOMETRY_COLUMNS = ("geometry", "geom", "wkt", "wkb", "geojson")


@dataclass(frozen=True)
class CountryOutline:
    """A country's outline from Natural Earth: ISO3, name and the geometry as stored (WKB, WKT or GeoJSON)."""

    iso3: str
    name: str
    geometry: Any


def country_outlines(store: Store, *, skip: frozenset[str] = frozenset()) -> list[CountryOutline]:
    """Every ``ne_admin0`` country with an ISO3 code (the first valid of :data:`ISO_COLUMNS`) and a geometry.

    Empty when the table has no geometry column; ISO3 codes in ``skip`` are left out.
    """
    table = store.table(TableName.ne_admin0)
    columns = set(table.columns)
    geometry_column = next((c for c in GEOMETRY_COLUMNS if c in columns), None)
    if geometry_column is None:
        return []
    iso_columns = [c for c in ISO_COLUMNS if c in columns]
    name_column = next((c for c in NAME_COLUMNS if c in columns), iso_columns[0])
    rows = table.select([*iso_columns, name_column, geometry_column]).to_pyarrow().to_pylist()
    result = []
    for row in rows:
        iso3 = next((row[c] for c in iso_columns if row[c] and row[c] != "-99"), None)
        if iso3 and iso3 not in skip and row[geometry_column] is not None:
            result.append(CountryOutline(iso3, str(row[name_column]), row[geometry_column]))
    return result
