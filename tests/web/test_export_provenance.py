"""Every file GBVS exports names its provenance in the file itself (docs/exports.md): the source, its version
and the data vintage, and for a forecast the model version and the training cutoff.

``EXPORTS`` lists every download route of the API with its formats; ``test_every_export_route_is_listed``
fails when a route offers a file format this list does not know, so a new export is checked from the day it
appears. Each file is read back as a program or a person would (csv, openpyxl, json), not by its headers.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import pytest
from openpyxl import load_workbook

from gbvs.catalogues import load_catalogs
from gbvs.web.api.common import declared_query_parameters
from gbvs.web.api.exportnotes import FIELD_LABELS
from gbvs.web.app import all_routes

DATA, FORECAST, REGISTER = "data", "forecast", "register"
"""What a file holds: figures of a source, forecasts of a run, or a register of sources or periods (whose
rows are themselves provenance: only the file's source is asked)."""

EXPORTS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "/api/v1/watchlist": ("/api/v1/watchlist", FORECAST, ("csv", "xlsx", "geojson")),
    "/api/v1/risk-rankings": ("/api/v1/risk-rankings", FORECAST, ("csv", "xlsx", "geojson")),
    "/api/v1/forecasts": ("/api/v1/forecasts", FORECAST, ("csv", "xlsx", "geojson")),
    "/api/v1/countries/{iso3}/forecast-history": (
        "/api/v1/countries/SYR/forecast-history",
        FORECAST,
        ("csv", "xlsx"),
    ),
    "/api/v1/displacement/ranking": ("/api/v1/displacement/ranking?horizon=1", FORECAST, ("csv", "xlsx")),
    "/api/v1/demspaces-comparisons": ("/api/v1/demspaces-comparisons", FORECAST, ("csv", "xlsx", "geojson")),
    "/api/v1/country-comparisons": (
        "/api/v1/country-comparisons?countries=SYR,MLI",
        FORECAST,
        ("csv", "xlsx"),
    ),
    "/api/v1/countries/{iso3}/conflict-history": (
        "/api/v1/countries/SYR/conflict-history",
        DATA,
        ("csv", "xlsx"),
    ),
    "/api/v1/countries/{iso3}/panels": ("/api/v1/countries/MLI/panels", DATA, ("csv", "xlsx")),
    "/api/v1/countries/{iso3}/displacement": ("/api/v1/countries/SYR/displacement", DATA, ("csv", "xlsx")),
    "/api/v1/countries/{iso3}/demspaces": ("/api/v1/countries/SYR/demspaces", DATA, ("csv", "xlsx")),
    "/api/v1/indicators/{column}/values": (
        "/api/v1/indicators/brd_best/values?year=2015",
        DATA,
        ("csv", "xlsx", "geojson"),
    ),
    "/api/v1/sources": ("/api/v1/sources", REGISTER, ("csv", "xlsx")),
    "/api/v1/reports": ("/api/v1/reports", REGISTER, ("csv", "xlsx")),
}
"""Route → (an example URL over the small test store, what the file holds, its file formats)."""

ELSEWHERE: dict[str, tuple[str, ...]] = {
    # needs a report period in remote mode: tests/web/test_report_api.py reads its CSV and Excel file
    # for each indicator's source, version and vintage (_each_indicator_names_its_sources)
    "/api/v1/reports/{period}/indicators": ("csv", "xlsx"),
    # needs a coded consultation: tests/web/test_opinion.py reads its CSV and Excel file
    "/api/v1/consultations/{slug}/coded-responses": ("csv", "xlsx"),
}
"""Export routes whose files need a database the small store does not have, and the test that reads them."""

_DUTCH = load_catalogs()["nl"].gettext
NAMES = {
    kind: {name for key in keys for name in (key, _DUTCH(FIELD_LABELS.get(key, key)))}
    for kind, keys in {
        "source": ("source", "provenance", "derived_by", "title"),
        "version": ("source_version", "version", "model_version"),
        "vintage": ("data_vintage", "vintage"),
        "model_version": ("model_version",),
        "training_cutoff": ("training_cutoff",),
    }.items()
}
"""The names under which a file carries each part of its provenance (column or field, Dutch label too)."""
IN_ONE_TEXT = re.compile(r"\S+=.+ \S*\d\S* \((vintage|peildatum) \d{4}\)")
"""A provenance text naming table, source, version and vintage
(``ucdp_acd=UCDP/PRIO … 25.1 (vintage 2023)``)."""
REQUIRED = {
    DATA: ("source", "version", "vintage"),
    FORECAST: ("source", "version", "vintage", "model_version", "training_cutoff"),
    REGISTER: ("source",),
}


def export_formats(route: Any) -> set[str]:
    """The file formats a route offers through its ``format`` query parameter (JSON is not a file)."""
    found: set[str] = set()
    for field in declared_query_parameters(route.dependant):
        kind = field.field_info.annotation
        if field.alias == "format" and hasattr(kind, "__members__"):
            found |= {member.value for member in kind} - {"json"}
    return found


def test_every_export_route_is_listed(client: Any) -> None:
    """A new ``format=…`` route or format fails here until it is added to ``EXPORTS`` (and so checked)."""
    offered = {r.path: export_formats(r) for r in all_routes(client.app.routes) if export_formats(r)}
    listed = {path: set(formats) for path, (_, _, formats) in EXPORTS.items()}
    listed |= {path: set(formats) for path, formats in ELSEWHERE.items()}
    assert offered == listed


def _fields(content: bytes, fmt: str) -> dict[str, str]:
    """What the file says, as name → value: a CSV's header and first row (and the ``#`` notes of an empty
    one), an Excel file's columns and first row and its provenance sheet, a GeoJSON's members and the
    properties of its first feature."""
    if fmt == "csv":
        lines = content.decode("utf-8").splitlines()
        notes = [line[2:].split(": ", 1) for line in lines if line.startswith("# ")]
        header, *rows = list(csv.reader(line for line in lines if not line.startswith("#")))
        return {**dict(zip(header, rows[0] if rows else [], strict=False)), **dict(notes)}
    if fmt == "xlsx":
        data, about = load_workbook(io.BytesIO(content)).worksheets
        rows = list(data.iter_rows(max_row=2, values_only=True))
        found = dict(zip(rows[0], rows[1] if len(rows) > 1 else [], strict=False))
        found |= {r[0]: r[1] for r in about.iter_rows(min_row=2, values_only=True)}
        return {str(k): "" if v is None else str(v) for k, v in found.items()}
    body = json.loads(content)
    features = body.pop("features")
    flat = {**_flatten(body), **_flatten(features[0]["properties"] if features else {})}
    return {k: v for k, v in flat.items()}


def _flatten(value: Any, name: str = "") -> dict[str, str]:
    if isinstance(value, dict):
        return {k: v for key, item in value.items() for k, v in _flatten(item, key).items()}
    if isinstance(value, list):
        return {k: v for item in value for k, v in _flatten(item, name).items()}
    return {name: "" if value is None else str(value)}


def missing_provenance(fields: dict[str, str], kind: str, fmt: str) -> list[str]:
    """The parts of the provenance ``kind`` of file must name that ``fields`` leave out or empty.

    A forecast's CSV and GeoJSON carry the run's columns on every row (docs/exports.md), whose
    ``data_vintage`` names the source with version and vintage (``UCDP ACD 25.1 (2023)``); an Excel file,
    read by people, names its source on the provenance sheet."""
    named = {part for part, names in NAMES.items() if any(fields.get(n) for n in names)}
    if kind == FORECAST and fmt != "xlsx" and fields.get("data_vintage"):
        named.add("source")
    if any(IN_ONE_TEXT.search(value) for value in fields.values()):
        named |= {"source", "version", "vintage"}
    return [part for part in REQUIRED[kind] if part not in named]


CASES = [(url, kind, fmt) for url, kind, formats in EXPORTS.values() for fmt in formats]


@pytest.mark.parametrize(("url", "kind", "fmt"), CASES, ids=[f"{u}-{f}" for u, _, f in CASES])
def test_every_export_names_its_provenance_in_the_file(client: Any, url: str, kind: str, fmt: str) -> None:
    glue = "&" if "?" in url else "?"
    response = client.get(f"{url}{glue}format={fmt}")
    assert response.status_code == 200, response.text
    fields = _fields(response.content, fmt)
    missing = missing_provenance(fields, kind, fmt)
    assert not missing, (missing, fields)
