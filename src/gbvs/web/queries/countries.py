"""Countries (Gleditsch-Ward states with an ISO3 code) and their country-year panel."""

from __future__ import annotations

import math
from typing import Any

import ibis
from babel import Locale
from pydantic import BaseModel

from gbvs.errors import NotFoundError
from gbvs.web.store import Backend, StoreGateway

CODES_TABLE = "country_codes"
PANEL_TABLE = "panel_country_year"
HISTORY_COLUMNS = ("year", "conflict", "war", "n_conflicts", "brd_best", "brd_low", "brd_high", "onset")


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
    brd_best: float | None
    brd_low: float | None
    brd_high: float | None
    onset: int | None


def list_countries(store: StoreGateway, lang: str) -> list[Country]:
    """Every country in the panel that has an ISO3 code, sorted by its name in ``lang``."""
    rows = store.cached(("country_codes",), _read_codes)
    countries = [
        Country(name=localized_name(row["iso2"], row["name_short"], lang), **_ids(row)) for row in rows
    ]
    return sorted(countries, key=lambda country: country.name)


def get_country(store: StoreGateway, iso3: str, lang: str) -> Country:
    """The country with ISO3 code ``iso3`` (case-insensitive), or NotFoundError naming the fix."""
    wanted = iso3.upper()
    for country in list_countries(store, lang):
        if country.iso3 == wanted:
            return country
    raise NotFoundError(
        f"no country with ISO3 code {iso3!r} in the store; use a code from /api/v1/countries (e.g. SYR, NLD)"
    )


def conflict_history(store: StoreGateway, gwcode: int) -> list[ConflictYear]:
    """The country's conflict incidence and battle deaths by year."""
    rows = store.cached(("history", gwcode), lambda con: _read_history(con, gwcode))
    return [ConflictYear(**row) for row in rows]


def panel_rows(store: StoreGateway, gwcode: int) -> list[dict[str, Any]]:
    """All columns of the country-year panel for one country, by year."""
    return store.cached(("panel", gwcode), lambda con: _read_panel(con, gwcode))


def localized_name(iso2: str | None, fallback: str, lang: str) -> str:
    """The country name in ``lang`` from the CLDR data Babel ships, else ``fallback``."""
    if iso2:
        name = Locale.parse(lang).territories.get(iso2.upper())
        if name:
            return str(name)
    return fallback


def _ids(row: dict[str, Any]) -> dict[str, Any]:
    return {"iso3": row["iso3"], "iso2": row["iso2"], "gwcode": row["gwcode"]}


def _read_codes(con: Backend) -> list[dict[str, Any]]:
    """One row per ISO3 country of the panel: its current gwcode, ISO2 and English short name.

    ISO3 comes from country_converter's table, else from ``gw_states``, else from
    :data:`GW_ISO3`; when two gwcodes share an ISO3 (North/unified Yemen 678 and South Yemen 680),
    the one with the most recent panel year wins.
    """
    latest = _rows(con.table(PANEL_TABLE).group_by("gwcode").aggregate(last=_max_year(con)))
    codes = _rows(con.table(CODES_TABLE).select("gwcode", "iso3", "iso2", "name_short"))
    by_gw = {_int(r["gwcode"]): r for r in codes if _int(r["gwcode"]) is not None and r["iso3"]}
    by_iso3 = {r["iso3"]: r for r in codes if r["iso3"]}
    states = _gw_state_names(con)
    chosen: dict[str, dict[str, Any]] = {}
    for row in sorted(latest, key=lambda r: r["last"]):
        gwcode = int(row["gwcode"])
        iso3 = (
            (by_gw.get(gwcode) or {}).get("iso3")
            or states.get(gwcode, (None, None))[0]
            or GW_ISO3.get(gwcode)
        )
        if not iso3:
            continue
        code_row = by_iso3.get(iso3, {})
        name = code_row.get("name_short") or states.get(gwcode, (None, iso3))[1] or iso3
        chosen[iso3] = {"iso3": iso3, "iso2": code_row.get("iso2"), "gwcode": gwcode, "name_short": name}
    return sorted(chosen.values(), key=lambda r: r["iso3"])


GW_ISO3: dict[int, str] = {678: "YEM", 316: "CZE", 816: "VNM", 260: "DEU", 340: "SRB", 347: "XKX"}
"""Gleditsch-Ward codes whose ISO3 country_converter lacks or gives another GW code (GW list, 2019)."""


def _max_year(con: Backend) -> Any:
    return con.table(PANEL_TABLE)["year"].max()


def _gw_state_names(con: Backend) -> dict[int, tuple[str | None, str | None]]:
    if not con.has_table("gw_states"):
        return {}
    states = con.table("gw_states")
    rows = _rows(
        states.group_by("gwcode").aggregate(iso3=states["iso3"].max(), name=states["country_name"].max())
    )
    return {int(r["gwcode"]): (r["iso3"], r["name"]) for r in rows}


def _rows(expression: Any) -> list[dict[str, Any]]:
    return list(expression.to_pyarrow().to_pylist())


def _int(value: Any) -> int | None:
    try:
        return int(float(str(value).strip()))
    except ValueError:
        return None


def _read_history(con: Backend, gwcode: int) -> list[dict[str, Any]]:
    panel = con.table(PANEL_TABLE)
    present = [name for name in HISTORY_COLUMNS if name in panel.columns]
    rows = panel.filter(panel["gwcode"] == ibis.literal(gwcode)).select(present).order_by("year")
    return [
        {name: _clean(row.get(name)) for name in HISTORY_COLUMNS} for row in rows.to_pyarrow().to_pylist()
    ]


def _read_panel(con: Backend, gwcode: int) -> list[dict[str, Any]]:
    panel = con.table(PANEL_TABLE)
    rows = panel.filter(panel["gwcode"] == ibis.literal(gwcode)).order_by("year").to_pyarrow().to_pylist()
    return [{key: _clean(value) for key, value in row.items()} for row in rows]


def _clean(value: Any) -> Any:
    """NaN becomes None so JSON and templates see a missing value."""
    if isinstance(value, float) and math.isnan(value):
        return None
    return value
