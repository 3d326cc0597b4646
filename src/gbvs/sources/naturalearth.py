"""Natural Earth admin-0 country boundaries (1:50m), simplified once for web maps.

Geometry is stored as GeoJSON text, simplified with shapely (``SIMPLIFY_DEGREES``, topology kept).
Natural Earth sets ``ISO_A3`` to -99 for France, Norway, Kosovo and Somaliland, so ``iso3`` is taken
from ``ISO_A3_EH`` (then ``ADM0_A3``), and ``gwcode`` is its current code in :mod:`gbvs.countries`.
"""

from __future__ import annotations

import json

import pandas as pd
import shapely
from shapely.geometry import shape

from gbvs.countries import iso3_to_gwcode
from gbvs.countries.crosswalks import natural_earth_iso3
from gbvs.errors import ParseError, SchemaMismatchError, said
from gbvs.sources.base import Column, FileRef, Located, ParseContext, Source, SourceInput, TableSchema
from gbvs.sources.readers import RESTORE, decode_utf8
from gbvs.sources.schema import cast_frame

SIMPLIFY_DEGREES = 0.02
NE_GEOJSON_URL = "https://raw.githubusercontent.com/nvkelso/natural-earth-vector/v5.1.1/geojson/ne_50m_admin_0_countries.geojson"
PROPERTIES = (
    "ADMIN",
    "NAME",
    "NAME_LONG",
    "SOVEREIGNT",
    "TYPE",
    "ISO_A2",
    "ISO_A3",
    "ISO_A3_EH",
    "ADM0_A3",
    "WB_A3",
    "CONTINENT",
    "REGION_UN",
    "SUBREGION",
    "POP_EST",
)

NE_ADMIN0 = TableSchema(
    "ne_admin0",
    (
        *(
            Column(name.lower(), "str", nullable=name in {"ADMIN", "ADM0_A3"})
            for name in PROPERTIES
            if name != "POP_EST"
        ),
        Column("pop_est", "float", min=0),
        Column("iso3", "str", nullable=False),
        Column("gwcode", "int", min=2, max=999),
        Column("geometry", "str", nullable=False),
    ),
    key=("adm0_a3",),
    min_rows=150,
)


def features_frame(located: Located) -> pd.DataFrame:
    """One row per feature: the declared properties and the simplified geometry as GeoJSON text."""
    try:
        collection = json.loads(decode_utf8(located.path.read_bytes(), located.label))
    except json.JSONDecodeError as exc:
        raise ParseError(
            said(
                "%(file)s: expected a GeoJSON FeatureCollection, but it cannot be read as JSON "
                "(%(problem)s); "
                "%(fix)s",
                file=located.label,
                problem=str(exc),
                fix=RESTORE,
            )
        ) from exc
    features = collection.get("features") if isinstance(collection, dict) else None
    if not isinstance(features, list) or not features or not isinstance(features[0], dict):
        raise ParseError(
            said(
                "%(file)s: expected a GeoJSON FeatureCollection with features, found %(found)s; %(fix)s",
                file=located.label,
                found=repr(collection)[:80],
                fix=RESTORE,
            )
        )
    properties = features[0].get("properties") or {}
    missing = [name for name in PROPERTIES if name not in properties]
    if missing:
        raise SchemaMismatchError(
            said(
                "%(file)s: features lack properties %(missing)s; %(fix)s",
                file=located.label,
                missing=", ".join(missing),
                fix=RESTORE,
            )
        )
    rows = [
        {name: feature["properties"][name] for name in PROPERTIES} | {"geometry": _simplified(feature)}
        for feature in features
    ]
    return pd.DataFrame(rows)


def _simplified(feature: dict[str, object]) -> str:
    geometry = shape(feature["geometry"]).simplify(SIMPLIFY_DEGREES, preserve_topology=True)
    return str(shapely.to_geojson(shapely.set_precision(geometry, 0.0001)))


def add_codes(frame: pd.DataFrame) -> pd.DataFrame:
    """Add ``iso3`` (ISO_A3_EH, else ADM0_A3, as gbvs.countries knows it) and its current ``gwcode``."""
    eh = frame["ISO_A3_EH"].astype(str)
    iso3 = eh.where(eh != "-99", frame["ADM0_A3"]).replace(natural_earth_iso3())
    return frame.assign(iso3=iso3, gwcode=iso3.map(iso3_to_gwcode()).astype("Int64"))


def _parse(context: ParseContext) -> dict[str, pd.DataFrame]:
    located = context.file("countries")
    frame = add_codes(features_frame(located))
    return {"ne_admin0": cast_frame(frame, NE_ADMIN0, located.label)}


SOURCE = Source(
    id="ne_admin0",
    title="Natural Earth Admin-0 countries 1:50m (simplified)",
    description="Country boundaries for maps, simplified for the web, with iso3 and Gleditsch-Ward code.",
    producer="Natural Earth",
    licence="Public domain (Natural Earth)",
    citation=(
        "Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com (version 5.1.1)."
    ),
    homepage="https://www.naturalearthdata.com/downloads/50m-cultural-vectors/",
    inputs=(
        SourceInput(
            "countries",
            (
                FileRef(
                    "geo",
                    "ne_50m_admin_0_countries.geojson",
                    "5.1.1",
                    sha256="f4caa3fa3c2a20640b29c82f1f0df8df030c0af253a08118fcf69242c38726f7",
                ),
                FileRef(
                    "geo",
                    "ne_50m_admin_0_countries.geojson",
                    "5.1.1 (GeoJSON of the Natural Earth repository)",
                    url=NE_GEOJSON_URL,
                ),
            ),
        ),
    ),
    tables=(NE_ADMIN0,),
    parse=_parse,
    notes=(
        f"Geometry simplified with tolerance {SIMPLIFY_DEGREES} degrees; join on iso3 / adm0_a3, never on "
        "ISO_A3 (-99).",
    ),
)
