"""``/api/v1/countries``: countries, their conflict history and their country-year panel."""

from __future__ import annotations

from typing import Any

from fastapi import Path, Request, Response
from pydantic import Field, RootModel

from gbvs.panels.provenance import origin_tables
from gbvs.security import Permission
from gbvs.store.tables import TableName
from gbvs.web.api.common import (
    ListFormat,
    Page,
    Paging,
    Paging100,
    api_router,
    country_about,
    csv_responses,
    paginate,
    table_response,
)
from gbvs.web.brief import brief_response
from gbvs.web.deps import Language, Store
from gbvs.web.pagecache import cached
from gbvs.web.queries.countries import (
    HISTORY_COLUMNS,
    HISTORY_TABLES,
    ConflictYear,
    Country,
    conflict_history,
    get_country,
    list_countries,
    panel_rows,
)
from gbvs.web.queries.drivers import available_indicators
from gbvs.web.queries.sources import ColumnProvenance, list_sources, panel_provenance


class PanelRow(RootModel[dict[str, Any]]):
    """One country-year row of ``panel_country_year`` (conflict history and driver indicators) with the
    driver indicators of the wide panel (V-Dem v14)."""


class PanelPage(Page[PanelRow]):
    """A page of one country's panel rows, with the provenance of every column."""

    provenance: list[ColumnProvenance] = Field(
        description="Per column: the source datasets its values come from (source, version, vintage, "
        "licence, citation) and, where GBVS computes the values from them, derived_by"
    )


router = api_router(Permission.data_read, "countries")
Iso3 = Path(pattern=r"^[A-Za-z]{3}$", description="ISO 3166-1 alpha-3 code, e.g. SYR", examples=["SYR"])


@router.get("/countries", response_model=Page[Country], summary="Countries in the store")
@cached
def read_countries(
    request: Request,
    response: Response,
    paging: Paging,
    store: Store,
    lang: Language,
) -> Page[Country]:
    """Countries with a Gleditsch-Ward code and an ISO3 code, named in the request language."""
    return paginate(request, response, list_countries(store, lang), paging)


@router.get("/countries/{iso3}", response_model=Country, summary="One country")
@cached
def read_country(request: Request, store: Store, lang: Language, iso3: str = Iso3) -> Country:
    """A country by its ISO3 code."""
    return get_country(store, iso3, lang)


PANEL_SOURCES = (TableName.panel_country_year, *origin_tables(TableName.panel_country_year))
"""The panel and the source tables it is built from (:func:`gbvs.panels.provenance.origin_tables`); a
driver indicator of the wide panel adds its own source (:func:`read_country_panel`)."""


def provenance_text(store: Any, tables: tuple[str, ...]) -> str:
    """``table=title version (vintage V)`` for each table, as one CSV cell repeated on every row."""
    by_table = {source.table_name: source for source in list_sources(store)}
    parts = [
        f"{name}={by_table[name].title} {by_table[name].version}"
        + (f" (vintage {by_table[name].vintage})" if by_table[name].vintage else "")
        for name in tables
        if name in by_table
    ]
    return "; ".join(parts)


@router.get(
    "/countries/{iso3}/conflict-history",
    response_model=Page[ConflictYear],
    summary="Conflict incidence and battle deaths by year",
    responses=csv_responses("The conflict history as CSV"),
)
@cached
def read_conflict_history(
    request: Request,
    response: Response,
    paging: Paging100,
    store: Store,
    lang: Language,
    iso3: str = Iso3,
    format: ListFormat = ListFormat.json,
) -> Page[ConflictYear] | Response:
    """UCDP state-based conflict incidence, wars and battle deaths (best/low/high) per year: by conflict
    (``brd_*``, dyadic) and where the fighting happened (``brd_located_*``, none yet for 2023)."""
    country = get_country(store, iso3, lang)
    history = conflict_history(store, country.gwcode)
    if format is not ListFormat.json:
        stamp = {"provenance": provenance_text(store, HISTORY_TABLES)}
        rows = ({**row.model_dump(), **stamp} for row in history)
        about = _about(country, stamp["provenance"])
        return table_response(
            request, format, rows, [*HISTORY_COLUMNS, "provenance"], f"{country.iso3}-conflict", about
        )
    return paginate(request, response, history, paging)


@router.get(
    "/countries/{iso3}/panels",
    response_model=PanelPage,
    summary="The country-year panel of one country, with each column's provenance",
    responses=csv_responses("The panel rows as CSV"),
)
@cached
def read_country_panel(
    request: Request,
    response: Response,
    paging: Paging100,
    store: Store,
    lang: Language,
    iso3: str = Iso3,
    format: ListFormat = ListFormat.json,
) -> PanelPage | Response:
    """Every column of ``panel_country_year`` (conflict history and driver indicators) for one country,
    then the driver indicators the wide panel holds (V-Dem v14: ``vdem14_v2cacamps``,
    ``vdem14_v2x_gender``), and per column its sources (``provenance``: source, version, vintage, licence,
    citation, ``derived_by``)."""
    country = get_country(store, iso3, lang)
    indicators = tuple(item.column for item in available_indicators(store))
    rows = panel_rows(store, country.gwcode, wide=indicators)
    columns = list(rows[0]) if rows else ["gwcode", "year"]
    provenance = panel_provenance(store, columns)
    if format is not ListFormat.json:
        tables = dict.fromkeys([*PANEL_SOURCES, *(table for item in provenance for table in item.tables)])
        stamp = {"provenance": provenance_text(store, tuple(tables))}
        rows_out = ({**row, **stamp} for row in rows)
        about = _about(country, stamp["provenance"])
        return table_response(
            request, format, rows_out, [*columns, "provenance"], f"{country.iso3}-panel", about
        )
    paged = paginate(request, response, [PanelRow(row) for row in rows], paging)
    return PanelPage(**paged.model_dump(), provenance=provenance)


@router.get(
    "/countries/{iso3}/brief",
    summary="The country brief: one A4 page as PDF",
    response_class=Response,
    responses={200: {"description": "The country brief (PDF/UA-1)", "content": {"application/pdf": {}}}},
)
def read_country_brief(request: Request, lang: Language, iso3: str = Iso3) -> Response:
    """Latest forecasts with intervals and provenance, explanation, key drivers, conflict history,
    DemSpaces beside GBVS and the open early-action cases the reader may see, on one page
    (``lang``: nl or en). The same service as ``/landen/{ISO3}/brief.pdf`` and ``gbvs brief``."""
    return brief_response(request, iso3, lang)


def _about(country: Country, provenance: str) -> list[tuple[str, str]]:
    """The provenance sheet of a country's table in Excel: the country and its sources."""
    return [country_about(country), ("provenance", provenance)]
