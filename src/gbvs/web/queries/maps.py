"""Country outlines for the maps, from the Natural Earth admin-0 table in the store."""

from __future__ import annotations

from typing import Any

from gbvs import countries
from gbvs.store import reads
from gbvs.store.reads import CountryOutline
from gbvs.web.store import Backend, StoreGateway
from gbvs.web.worldmap import country_path, read_geometry

SKIP = frozenset({"ATA"})  # Antarctica: no data, a quarter of the drawing


def country_paths(store: StoreGateway, lang: str) -> dict[str, tuple[str, str]]:
    """ISO3 -> (name in ``lang``, SVG path data); the paths are computed once per store version.

    Names come from :func:`gbvs.countries.outline_name` (CLDR, as everywhere else, and the territories
    without an ISO3 code), not from Natural Earth's English short names ("S. Geo. and the Is.", "N.
    Cyprus"); an outline neither knows keeps its own name.
    """
    paths = store.cached(("map_paths",), _read_paths)
    return {iso3: (_name(iso3, own, lang), data) for iso3, (own, data) in paths.items()}


def _name(iso3: str, own: str, lang: str) -> str:
    return countries.outline_name(iso3, lang) or own


def country_geometries(store: StoreGateway) -> dict[str, tuple[str, dict[str, Any]]]:
    """ISO3 -> (name, simplified GeoJSON geometry), for GeoJSON exports of map layers."""
    return store.cached(("map_geojson",), _read_geojson)


def _outlines(con: Backend) -> list[CountryOutline]:
    return reads.country_outlines(con, skip=SKIP)


def _read_paths(con: Backend) -> dict[str, tuple[str, str]]:
    return {o.iso3: (o.name, country_path(read_geometry(o.geometry))) for o in _outlines(con)}


def _read_geojson(con: Backend) -> dict[str, tuple[str, dict[str, Any]]]:
    import shapely

    result = {}
    for outline in _outlines(con):
        simple = read_geometry(outline.geometry).simplify(0.05, preserve_topology=True)
        result[outline.iso3] = (outline.name, shapely.geometry.mapping(simple))
    return result
