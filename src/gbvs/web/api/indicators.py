"""``/api/v1/indicators``: driver indicators and their values by country (a map layer: CSV, GeoJSON)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from fastapi import Path, Query, Request, Response

from gbvs.drivers import Indicator
from gbvs.security import Permission
from gbvs.web.api.common import Page, Paging, Paging200, api_router, paginate, table_response
from gbvs.web.api.xlsx import XLSX_TYPE
from gbvs.web.deps import Language, Store
from gbvs.web.downloads import download_headers
from gbvs.web.figurejson import FigureJSONResponse
from gbvs.web.pagecache import cached
from gbvs.web.queries.drivers import (
    IndicatorValue,
    available_indicators,
    default_year,
    get_indicator,
    indicator_coverage,
    indicator_values,
)
from gbvs.web.queries.maps import country_geometries
from gbvs.web.queries.sources import indicator_provenance, origin_sources
from gbvs.web.queries.strategy import current_strategy, region_iso3

router = api_router(Permission.data_read, "indicators")
GEOJSON = "application/geo+json"
Column = Path(max_length=100, description="Panel column of the indicator", examples=["brd_best"])


class LayerFormat(StrEnum):
    """Output format of a map layer."""

    json = "json"
    csv = "csv"
    xlsx = "xlsx"  # Excel: the CSV's rows, the provenance on a second sheet (docs/exports.md)
    geojson = "geojson"


@router.get("/indicators", response_model=Page[Indicator], summary="Driver indicators in the store")
@cached
def read_indicators(request: Request, response: Response, store: Store, paging: Paging) -> Page[Indicator]:
    """Every mapped driver indicator that is a column of the country-year panel."""
    return paginate(request, response, available_indicators(store), paging)


@router.get(
    "/indicators/{column}/values",
    response_model=Page[IndicatorValue],
    summary="An indicator's values by country in one year (map layer)",
    responses={
        200: {
            "description": "Ranked values; CSV (format=csv), Excel (format=xlsx) or GeoJSON (format=geojson)",
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}},
                GEOJSON: {"schema": {"type": "object"}},
            },
        }
    },
)
@cached
def read_indicator_values(
    request: Request,
    response: Response,
    paging: Paging200,
    store: Store,
    lang: Language,
    column: str = Column,
    year: int | None = Query(
        default=None,
        ge=1800,
        le=2100,
        description="Year (default: the latest year in which at least half as many countries have a value "
        "as in the best-covered year)",
    ),
    region: str | None = Query(default=None, max_length=100, description="Only this focus region"),
    format: LayerFormat = LayerFormat.json,
) -> Page[IndicatorValue] | Response:
    """Values ranked from most to least risk (or by value, ``ranked_by``), equal values sharing a rank; each
    value carries its unit, coverage (``countries_with_data`` of ``states_in_panel``) and source."""
    indicator = get_indicator(store, column)
    chosen_year = year if year is not None else (default_year(indicator_coverage(store, column)) or 0)
    members = region_iso3(current_strategy(), region) if region else None
    values = indicator_values(store, indicator, chosen_year, lang, members)
    if format in (LayerFormat.csv, LayerFormat.xlsx):
        provenance = _csv_provenance(store, indicator)
        columns = [*IndicatorValue.model_fields, *provenance]
        rows = ({**v.model_dump(), **provenance} for v in values)
        about = [*_source_lines(store, indicator), *provenance.items()]
        return table_response(request, format, rows, columns, f"{column}-{chosen_year}", about)
    if format is LayerFormat.geojson:
        headers = download_headers(f"{column}-{chosen_year}.geojson")
        return FigureJSONResponse(
            _feature_collection(store, indicator, values), media_type=GEOJSON, headers=headers
        )
    return paginate(request, response, values, paging)


def _source_lines(store: Any, indicator: Indicator) -> list[tuple[str, str | None]]:
    """Source, version, vintage and ``derived_by`` of the indicator, for the Excel provenance sheet."""
    found = indicator_provenance(store, indicator)
    return [
        (name, getattr(found, name)) for name in ("source", "source_version", "data_vintage", "derived_by")
    ]


def _csv_provenance(store: Any, indicator: Indicator) -> dict[str, str | None]:
    """Ingest time, licence and citation of the indicator's sources (beside each value's source, version,
    vintage and ``derived_by``), repeated on every CSV row."""
    found = indicator_provenance(store, indicator)
    ingested = "; ".join(s.ingested_at for s in origin_sources(store, indicator.source_table)) or None
    return {
        "indicator": indicator.column,
        "ingested_at": ingested,
        "licence": found.licence,
        "citation": found.citation,
    }


def _feature_collection(store: Any, indicator: Indicator, values: list[IndicatorValue]) -> dict[str, Any]:
    shapes = country_geometries(store)
    features = [
        {"type": "Feature", "geometry": shapes[v.iso3][1], "properties": v.model_dump()}
        for v in values
        if v.iso3 in shapes
    ]
    sources = [s.model_dump() for s in origin_sources(store, indicator.source_table)]
    return {
        "type": "FeatureCollection",
        "features": features,
        "indicator": indicator.model_dump(),
        "provenance": sources,
        "derived_by": indicator_provenance(store, indicator).derived_by,
    }
