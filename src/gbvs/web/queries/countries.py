"""Countries (Gleditsch-Ward states with an ISO3 code) and their country-year panel."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Any, TypeVar

from pydantic import BaseModel, Field

from gbvs import countries
from gbvs.errors import FieldError, NotFoundError, StoreError, Term, said
from gbvs.store import reads_panel
from gbvs.store.reads_panel import PanelRow
from gbvs.store.tables import TableName
from gbvs.textmatch import fold
from gbvs.web.store import Backend, StoreGateway

Found = TypeVar("Found")

HISTORY_COLUMNS = reads_panel.CONFLICT_COLUMNS
HISTORY_TABLES: tuple[str, ...] = (TableName.ucdp_acd, TableName.ucdp_brd, TableName.poldat_country_year)
UNHCR_ORIGIN_TABLES: tuple[str, ...] = (
    TableName.unhcr_population,
    TableName.unhcr_asylum_applications,
    TableName.unhcr_flows,
)
"""UNHCR's tables by origin, where people of an origin that is no state are kept."""
"""The sources of a conflict history: incidence (ACD), deaths by conflict (BRD), deaths where the
fighting happened (the covariates table)."""


class Country(BaseModel):
    """A country as GBVS identifies it."""

    iso3: str
    iso2: str | None
    gwcode: int
    name: str


class ConflictYear(BaseModel):
    """One year of a country's conflict history (UCDP, via the country-year panel)."""

    year: int
    conflict: int | None
    war: int | None
    n_conflicts: int | None
    brd_best: float | None = Field(
        description="Battle deaths by conflict (UCDP BRD, dyadic; a dyad with several locations split "
        "evenly over them), best estimate; the battle-death forecasts' target"
    )
    brd_low: float | None
    brd_high: float | None
    brd_located_best: float | None = Field(
        description="Battle deaths where the fighting happened (UCDP GED summed by country from 1989, "
        "PRIO before; none yet for 2023), best estimate"
    )
    brd_located_low: float | None
    brd_located_high: float | None
    onset: int | None


def list_countries(store: StoreGateway, lang: str) -> list[Country]:
    """Every country in the panel that has an ISO3 code, sorted by its name in ``lang``."""
    rows = store.cached(("countries",), _read_codes)
    found = [Country(name=countries.name(row["iso3"], lang), **_ids(row)) for row in rows]
    return sorted(found, key=lambda country: fold(country.name))  # accents ignored, as a reader sorts


def country_pages(store: StoreGateway, lang: str) -> frozenset[str]:
    """The ISO3 codes that have a country page (the store's countries; none before `gbvs ingest`)."""
    try:
        return frozenset(country.iso3 for country in list_countries(store, lang))
    except StoreError:
        return frozenset()


API_COUNTRY_LIST = "/api/v1/countries"
"""Where an API client finds the country codes (a page reader: ``/landen``, :data:`PAGE_COUNTRY_LIST`)."""
PAGE_COUNTRY_LIST = "/landen"


def get_country(store: StoreGateway, iso3: str, lang: str, listed_at: str = API_COUNTRY_LIST) -> Country:
    """The country with ISO3 code ``iso3`` (case-insensitive), or NotFoundError naming the fix: a code
    from the list at ``listed_at`` (the API's list for a client, the list page for a reader)."""
    wanted = iso3.upper()
    for country in list_countries(store, lang):
        if country.iso3 == wanted:
            return country
    known = countries.all_countries().get(wanted)
    if known is not None and known.gwcode is None:
        raise NotFoundError(
            said(
                "%(name)s (%(iso3)s) is not an independent state in the Gleditsch-Ward list, and "
                "GBVS's panels, forecasts and country pages cover those states only; its figures in the "
                "sources that publish it (V-Dem, Gapminder, UNHCR) are in the store's source tables "
                "(`gbvs sources`)",
                name=countries.said_name(wanted),
                iso3=wanted,
            )
        )
    people = countries.unhcr_not_a_state().get(wanted)
    if people is not None:
        raise NotFoundError(
            said(
                "%(iso3)s is UNHCR's code for %(people)s, not a country: GBVS's panels, forecasts and "
                "country pages cover states only; UNHCR's figures for %(people)s are in the store's "
                "source tables %(tables)s (`gbvs sources`)",
                iso3=wanted,
                people=Term(people),
                tables=", ".join(UNHCR_ORIGIN_TABLES),
            )
        )
    raise NotFoundError(
        said(
            "no country with ISO3 code %(iso3)s in the store; use a code from %(list)s (e.g. SYR, NLD)",
            iso3=repr(iso3),
            list=listed_at,
        )
    )


def country_filter(value: str, lookup: Callable[[str], Found]) -> Found:
    """The country a list's ``country`` query parameter names, found by ``lookup`` (the store's countries
    for forecasts; every ISO3 code for signals). A value that names no country is a wrong filter value:
    400 with ``invalidParams`` naming ``country`` and the value, as an unknown ``region`` is
    (:class:`~gbvs.errors.FieldError`), and as the command line's exit 4. A 404 is for an address that
    names no resource (``/countries/XXA``, :func:`get_country` itself): the list exists."""
    try:
        return lookup(value)
    except NotFoundError as exc:
        raise FieldError("country", str(exc), exc.words) from None


def conflict_history(store: StoreGateway, gwcode: int) -> list[ConflictYear]:
    """The country's conflict incidence and battle deaths by year."""
    rows = store.cached(("history", gwcode), lambda con: reads_panel.conflict_history(con, gwcode=gwcode))
    return [ConflictYear(**asdict(row)) for row in rows]


def panel_rows(store: StoreGateway, gwcode: int, wide: tuple[str, ...] = ()) -> list[PanelRow]:
    """All columns of the country-year panel for one country, by year, then those of ``wide`` that only the
    wide panel has (the driver indicators of V-Dem v14)."""
    return store.cached(
        ("panel", gwcode, wide), lambda con: reads_panel.country_rows(con, gwcode=gwcode, wide=wide)
    )


def _ids(row: dict[str, Any]) -> dict[str, Any]:
    return {"iso3": row["iso3"], "iso2": row["iso2"], "gwcode": row["gwcode"]}


def _read_codes(con: Backend) -> list[dict[str, Any]]:
    """One row per ISO3 country of the panel: its gwcode and ISO2.

    The ISO3 of a gwcode comes from :mod:`gbvs.countries` (the one place for country identity:
    Yemen 678, Vietnam 816, Czechia 316). When two gwcodes share an ISO3 (Czechoslovakia 315 and
    Czechia 316), the one with the most recent panel year wins. Panel states without an ISO3 of
    their own (e.g. the GDR, 265, or South Yemen, 680) are not listed.
    """
    latest = reads_panel.last_year_by_country(con)
    chosen: dict[str, dict[str, Any]] = {}
    for gwcode, _last in sorted(latest.items(), key=lambda item: item[1]):
        iso3 = countries.iso3_of(gwcode)
        if iso3:
            iso2 = countries.country(iso3).iso2
            chosen[iso3] = {"iso3": iso3, "iso2": iso2, "gwcode": gwcode}
    return sorted(chosen.values(), key=lambda r: r["iso3"])
