"""UCDP conflict measures per (gwcode, year), located in a country via ``gwno_loc``.

Rules (also in the codebook):

- A state-based conflict (UCDP/PRIO ACD, >= 25 battle-related deaths in the year) counts for every
  country listed in its ``gwno_loc`` (``"645, 652"`` counts for Iraq and Syria). War = intensity 2
  (>= 1000 battle-related deaths in the year).
- Battle deaths (UCDP BRD, dyadic, 1989+) of a dyad-year listed in several ``gwno_loc`` countries
  are split evenly over them, so country totals add up to the dyadic total. Syria has no such
  multi-location rows, so its figures equal UCDP's (7379 in 2019, 1504 in 2023).
- Non-state conflicts (UCDP Non-State) count for every country in ``gwno_location``.
- Battle deaths *located where the fighting happened* (``brd_located_*``, issue 11) come as published
  in the covariates table ``poldat_country_year`` (UCDP GED events summed by the country they happened
  in from 1989, PRIO Battle Deaths before; none for 2023). They answer "where did people die"; the
  dyadic ``brd_*`` answer "how deadly were the conflicts located here": in 2022 the dyadic split puts
  45,862 deaths of the war in Ukraine in Russia, the located series 57.
- poldat sums the located deaths by *today's* borders back to 1946, so its value fits a state-year only
  when the state held a present-day country's territory all year (:func:`gbvs.countries.todays_borders`).
  Elsewhere ``brd_located_*`` stay empty: West Germany before 1991, North Yemen before 1991 (poldat's
  678 holds South Yemen's 1986 civil war), North Vietnam before 1977 (poldat's 816 holds the war in the
  South), the USSR before 1992, Sudan before 2012, Ethiopia before 1994, Yugoslavia (345) and the other
  states without today's territory. Deaths poldat files under a present-day country that was then part
  of another state (South Sudan before 2011) have no state-year and are not shown.
"""

from __future__ import annotations

from typing import Any

import ibis
from ibis.expr.types import Table

from gbvs.panels._common import as_float, as_int, count_codes, explode_codes, has_table, read_table
from gbvs.panels.codes import todays_borders_years
from gbvs.sources.covariates import LOCATED_DEATHS
from gbvs.store.tables import TableName

LOCATIONS_TABLE = TableName.ucdp_acd_locations
LOCATED_TABLE = TableName.poldat_country_year
LOCATED_COLUMNS: tuple[str, ...] = tuple(LOCATED_DEATHS.values())
"""``brd_located_best``, ``_low``, ``_high``: battle deaths where the fighting happened."""


def acd_locations(con: Any) -> Table:
    """``(conflict_id, year, gwcode, intensity_level)``: one row per conflict-year-location."""
    acd = read_table(con, TableName.ucdp_acd)
    base = acd.select(
        conflict_id=as_int(acd.conflict_id),
        year=as_int(acd.year),
        intensity_level=as_int(acd.intensity_level),
        gwno_loc=acd.gwno_loc,
    )
    if has_table(con, LOCATIONS_TABLE):
        loc = con.table(LOCATIONS_TABLE)
        loc = loc.select(
            conflict_id=as_int(loc.conflict_id), year=as_int(loc.year), gwcode=as_int(loc.gwno_loc)
        )
        joined = base.drop("gwno_loc").join(loc, ["conflict_id", "year"])
        return joined.select("conflict_id", "year", "gwcode", "intensity_level")
    exploded = explode_codes(base, "gwno_loc")
    return exploded.select("conflict_id", "year", "gwcode", "intensity_level")


def state_based(con: Any) -> Table:
    """``(gwcode, year, n_conflicts, war)`` for country-years with a state-based conflict."""
    loc = acd_locations(con)
    return loc.group_by(["gwcode", "year"]).aggregate(
        n_conflicts=loc.conflict_id.nunique(),
        war=(loc.intensity_level == 2).cast("int64").max(),
    )


def battle_deaths(con: Any) -> Table:
    """``(gwcode, year, brd_best, brd_low, brd_high)`` from dyadic BRD, shared evenly over locations."""
    brd = read_table(con, TableName.ucdp_brd)
    share = 1.0 / count_codes(brd.gwno_loc).cast("float64")
    rows = brd.select(
        year=as_int(brd.year),
        gwno_loc=brd.gwno_loc,
        best=as_float(brd.bd_best) * share,
        low=as_float(brd.bd_low) * share,
        high=as_float(brd.bd_high) * share,
    )
    rows = explode_codes(rows, "gwno_loc")
    return rows.group_by(["gwcode", "year"]).aggregate(
        brd_best=rows.best.sum(), brd_low=rows.low.sum(), brd_high=rows.high.sum()
    )


def located_deaths(con: Any) -> Table | None:
    """``(gwcode, year, brd_located_*)`` from the covariates table for the state-years that held today's
    territory (module doc), or None when the store lacks the table."""
    if not has_table(con, LOCATED_TABLE):
        return None
    table = read_table(con, LOCATED_TABLE)
    rows = table.select(
        gwcode=as_int(table.gwcode),
        year=as_int(table.year),
        **{name: as_float(table[name]) for name in LOCATED_COLUMNS},
    )
    borders = todays_borders_years().select("gwcode", "first", "last").distinct()
    joined = rows.join(borders, "gwcode")
    kept = joined.filter(joined.year.between(joined["first"], joined["last"]))
    return kept.select("gwcode", "year", *LOCATED_COLUMNS)


def nonstate(con: Any) -> Table:
    """``(gwcode, year, nonstate_conflicts)`` for country-years with a non-state conflict."""
    ns = read_table(con, TableName.ucdp_nonstate)
    rows = ns.select(conflict_id=as_int(ns.conflict_id), year=as_int(ns.year), codes=ns.gwno_location)
    rows = explode_codes(rows, "codes")
    return rows.group_by(["gwcode", "year"]).aggregate(nonstate_conflicts=rows.conflict_id.nunique())


def coverage_years(con: Any, name: str) -> Table:
    """``(first, last)``: the year range a UCDP table covers (one row)."""
    table = read_table(con, name)
    year = as_int(table.year)
    return table.aggregate(first=year.min(), last=year.max())


def within(year: Any, first: Any, last: Any, value: Any, default: Any) -> Any:
    """``value`` (or ``default`` when null) for years in ``first..last``, null outside them."""
    inside = year.between(first, last)
    return ibis.cases((inside, ibis.coalesce(value, default)), else_=ibis.null())
