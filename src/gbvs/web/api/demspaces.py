"""``/api/v1/countries/{iso3}/demspaces``: DemSpaces v14 beside GBVS for one country (issue 11 point 5).

The resource names its source and version (``source``, ``version``, ``provenance``); the CSV export
lists DemSpaces' forecasts with their outcomes, with the provenance in every row.
"""

from __future__ import annotations

from fastapi import Path, Request, Response

from gbvs.errors import NotFoundError
from gbvs.security import Permission
from gbvs.web.api.common import ListFormat, api_router, csv_response, csv_responses
from gbvs.web.api.countries import provenance_text
from gbvs.web.deps import Forecasts, Language, Store
from gbvs.web.pagecache import cached
from gbvs.web.queries.countries import get_country
from gbvs.web.queries.demspaces import (
    DEMSPACES_TABLES,
    PAST_COLUMNS,
    SOURCE,
    VERSION,
    CountryDemSpaces,
    has_demspaces,
    latest_pairs,
    past_forecasts,
    past_items,
    skill,
)

router = api_router(Permission.forecast_read, "forecasts")
Iso3 = Path(pattern=r"^[A-Za-z]{3}$", description="ISO 3166-1 alpha-3 code, e.g. HUN", examples=["HUN"])


@router.get(
    "/countries/{iso3}/demspaces",
    response_model=CountryDemSpaces,
    summary="DemSpaces v14 forecasts and outcomes beside GBVS for a country",
    responses=csv_responses(
        "DemSpaces v14 forecasts with their outcomes as CSV, with provenance in every row"
    ),
)
@cached
def read_country_demspaces(
    request: Request,
    forecasts: Forecasts,
    store: Store,
    lang: Language,
    iso3: str = Iso3,
    format: ListFormat = ListFormat.json,
) -> CountryDemSpaces | Response:
    """DemSpaces' latest forecasts beside ours per space, their record with outcomes, both models' skill."""
    country = get_country(store, iso3, lang)
    if not has_demspaces(store):
        raise NotFoundError(
            "the store holds no DemSpaces v14 forecasts; run `gbvs ingest` with the mirror's forecasts folder"
        )
    past = past_forecasts(store, country)
    provenance = provenance_text(store, DEMSPACES_TABLES)
    if format is ListFormat.csv:
        rows = (
            {**item.model_dump(), "source": SOURCE, "version": VERSION, "provenance": provenance}
            for item in past_items(past)
        )
        columns = [*PAST_COLUMNS, "source", "version", "provenance"]
        return csv_response(rows, columns, f"{country.iso3}-demspaces-v14.csv")
    return CountryDemSpaces(
        iso3=country.iso3,
        name=country.name,
        latest=latest_pairs(past, forecasts, store, country, lang),
        past=past_items(past),
        skill=skill(forecasts),
        provenance=provenance,
    )
