"""DemSpaces v14 beside GBVS (issue 11 point 5): ``/api/v1/countries/{iso3}/demspaces`` for one country
and ``/api/v1/demspaces-comparisons`` for every country, largest difference first.

Both name their source and version (``source``, ``version``, ``provenance``); the comparisons also name
our forecast run (``run``). The CSV and Excel exports carry the provenance in every row or on a sheet.
"""

from __future__ import annotations

from typing import Any

from fastapi import Path, Query, Request, Response
from pydantic import Field

from gbvs.errors import NotFoundError, said
from gbvs.security import Permission
from gbvs.web.api.common import (
    ListFormat,
    Page,
    Paging200,
    api_router,
    country_about,
    csv_response,
    csv_responses,
    paginate,
    table_response,
)
from gbvs.web.api.countries import provenance_text
from gbvs.web.api.forecasts import (
    EXPORT_RESPONSES,
    RUN_COLUMNS,
    ExportFormat,
    geojson_response,
    run_provenance,
)
from gbvs.web.api.xlsx import xlsx_response
from gbvs.web.deps import Forecasts, Language, Store
from gbvs.web.pagecache import cached
from gbvs.web.queries.countries import get_country
from gbvs.web.queries.demspaces import (
    CHANGES,
    COMPARISON_COLUMNS,
    DEMSPACES_TABLES,
    DISAGREE,
    PAST_COLUMNS,
    SOURCE,
    SPACES,
    VERSION,
    Comparisons,
    CountryDemSpaces,
    SpaceComparison,
    check_choice,
    comparisons,
    has_demspaces,
    latest_pairs,
    past_forecasts,
    past_items,
    skill,
)
from gbvs.web.queries.forecasts import Run
from gbvs.web.queries.strategy import current_strategy, region_iso3

router = api_router(Permission.forecast_read, "forecasts")
Iso3 = Path(pattern=r"^[A-Za-z]{3}$", description="ISO 3166-1 alpha-3 code, e.g. HUN", examples=["HUN"])
NO_DEMSPACES = said(
    "the store holds no DemSpaces v14 forecasts; run `gbvs ingest` with the mirror's forecasts folder"
)


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
        raise NotFoundError(NO_DEMSPACES)
    past = past_forecasts(store, country)
    provenance = provenance_text(store, DEMSPACES_TABLES)
    if format is not ListFormat.json:
        rows = (
            {**item.model_dump(), "source": SOURCE, "version": VERSION, "provenance": provenance}
            for item in past_items(past)
        )
        columns = [*PAST_COLUMNS, "source", "version", "provenance"]
        about = [country_about(country), ("source", f"{SOURCE} {VERSION}"), ("provenance", provenance)]
        return table_response(request, format, rows, columns, f"{country.iso3}-demspaces-v14", about)
    return CountryDemSpaces(
        iso3=country.iso3,
        name=country.name,
        latest=latest_pairs(past, forecasts, store, country, lang),
        past=past_items(past),
        skill=skill(forecasts),
        provenance=provenance,
    )


class SpaceComparisonPage(Page[SpaceComparison]):
    """A page of every country's latest DemSpaces v14 forecasts beside ours, with both provenances."""

    source: str = SOURCE
    version: str = VERSION
    provenance: str = Field(description="DemSpaces v14 as ingested: source, version, vintage, checksum")
    run: Run | None = Field(description="our forecast run (model version, training cutoff, data vintage)")
    disagree: float = Field(
        DISAGREE, description="probabilities at least this far apart are a disagreement on the pages"
    )


@router.get(
    "/demspaces-comparisons",
    response_model=SpaceComparisonPage,
    responses=EXPORT_RESPONSES,
    summary="DemSpaces v14 beside GBVS for every country, largest difference first",
)
@cached
def read_demspaces_comparisons(
    request: Request,
    response: Response,
    paging: Paging200,
    forecasts: Forecasts,
    store: Store,
    lang: Language,
    direction: str | None = Query(
        default=None,
        max_length=10,
        description="Only closing or opening",
        json_schema_extra={"enum": CHANGES},
    ),
    space: str | None = Query(
        default=None,
        max_length=20,
        description="Only this democratic space",
        json_schema_extra={"enum": SPACES},
    ),
    region: str | None = Query(default=None, max_length=100, description="Only this focus region id"),
    min_difference: float = Query(
        default=0.0,
        alias="minDifference",
        ge=0.0,
        le=1.0,
        description=f"Only pairs at least this far apart (probability; {DISAGREE} is what the pages call a "
        "disagreement); above 0 drops pairs where one model has no forecast",
    ),
    format: ExportFormat = ExportFormat.json,
) -> SpaceComparisonPage | Response:
    """DemSpaces' latest forecast of each country, space and direction beside our latest forecast."""
    if not has_demspaces(store):
        raise NotFoundError(NO_DEMSPACES)
    check_choice(direction, CHANGES, "direction")
    check_choice(space, SPACES, "space")
    members = region_iso3(current_strategy(), region) if region else None
    found = comparisons(
        store,
        forecasts,
        lang,
        direction=direction,
        space=space,
        members=members,
        min_difference=min_difference,
    )
    provenance = provenance_text(store, DEMSPACES_TABLES)
    theirs = {"source": SOURCE, "version": VERSION, "provenance": provenance}
    if format in (ExportFormat.csv, ExportFormat.xlsx):
        run = {name: getattr(found.run, name) if found.run else None for name in RUN_COLUMNS}
        rows = [{**r.model_dump(), **theirs, **run} for r in found.rows]
        columns = [*COMPARISON_COLUMNS, *theirs, *RUN_COLUMNS]
        sheet = comparison_about(found, provenance)
        if format is ExportFormat.csv:
            return csv_response(request, rows, columns, "gbvs-demspaces-v14.csv", sheet)
        return xlsx_response(request, rows, columns, "gbvs-demspaces-v14.xlsx", sheet)
    if format is ExportFormat.geojson:
        features = [{**r.model_dump(mode="json"), **theirs} for r in found.rows]
        return geojson_response(
            store, features, "gbvs-demspaces-v14.geojson", found.run
        )  # our run beside the features
    paged = paginate(request, response, found.rows, paging)
    return SpaceComparisonPage(**paged.model_dump(), provenance=provenance, run=found.run)


def comparison_about(found: Comparisons, provenance: str) -> list[tuple[str, Any]]:
    """What a file of the comparison says about itself: DemSpaces' source, version and tables, and our run
    (the API's and ``gbvs demspaces --format csv``'s)."""
    return [("DemSpaces", f"{SOURCE} {VERSION}: {provenance}"), *_our_run(found.run)]


def _our_run(run: Run | None) -> list[tuple[str, Any]]:
    return run_provenance(run) if run else [("GBVS forecast", "no forecast run yet: run `gbvs forecast`")]
