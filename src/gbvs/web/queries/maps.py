"""Country outlines for the maps, from the Natural Earth admin-0 table in the store."""

from __future__ import annotations

from typing import Any

from gbvs.store.tables import TableName
from gbvs.web.store import Backend, StoreGateway
from gbvs.web.worldmap import country_path, read_geometry

BOUNDARIES_TABLE = TableName.ne_admin0
ISO_COLUMNS = ("iso3", "iso_a3_eh", "iso_a3", "adm0_a3")
NAME_COLUMNS = ("name", "admin")
GEOMETRY_COLUMNS = ("geometry", "geom", "wkt", "wkb", "geojson")
SKIP = frozenset({"ATA"})  # Antarctica: no data, a quarter of the drawing


def country_paths(store: StoreGateway) -> dict[str, tuple[str, str]]:
    """ISO3 -> (Natural Earth name, SVG path data), computed once per store version."""
    return store.cached(("map_paths",), _read_paths)


def country_geometries(store: StoreGateway) -> dict[str, tuple[str, dict[str, Any]]]:
    """ISO3 -> (name, simplified GeoJSON geometry), for GeoJSON exports of map layers."""
    return store.cached(("map_geojson",), _read_geojson)


def _rows(con: Backend) -> list[tuple[str, str, Any]]:
    table = con.table(BOUNDARIES_TABLE)
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
        if iso3 and iso3 not in SKIP and row[geometry_column] is not None:
            result.append((iso3, str(row[name_column]), row[geometry_column]))
    return result


def _read_paths(con: Backend) -> dict[str, tuple[str, str]]:
    return {iso3: (name, country_path(read_geometry(geometry))) for iso3, name, geometry in _rows(con)}


def _read_geojson(con: Backend) -> dict[str, tuple[str, dict[str, Any]]]:
    import shapely

    result = {}
    for iso3, name, geometry in _rows(con):
        simple = read_geometry(geometry).simplify(0.05, preserve_topology=True)
        result[iso3] = (name, shapely.geometry.mapping(simple))
    return result
