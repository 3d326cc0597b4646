"""``panel_displacement``: forced displacement per country of origin and year (issue 17).

Universe: the state-years of ``panel_country_year`` from 1951 (the first UNHCR year). UNHCR's
ISO3 origin codes (``coo_iso``) map to the Gleditsch-Ward code they carry *in that year* through
:mod:`gbvs.countries` (UNHCR files Yugoslavia and Serbia-Montenegro under SRB: 345 until 2005, 340 from
2006; Czechoslovakia under CZE: 315 until 1992); origins that are no state (unknown, stateless, Tibetan)
drop out. Within the years a UNHCR table has rows for countries, an origin without rows counts 0 (UNHCR
lists origins with people of concern only); outside them, null. A state-year UNHCR cannot file under its
own code (Kosovo, inside "Serbia and Kosovo: S/RES/1244"; Serbia and Montenegro in 2006; South Yemen, the
GDR; Taiwan, not in UNHCR's country list) is null too, not 0. IDMC's IDP figures have countries from 2009
only (one world total a year before), so ``idps`` is null before 2009.

- ``displaced_abroad``: refugees + asylum seekers + others in need of international protection
  (UNHCR's "forcibly displaced across borders" without the Palestine refugees under UNRWA), summed
  over countries of asylum, at the end of the year. ``refugees`` alone is kept too.
- ``displaced_in_nl``: the same stock hosted in the Netherlands.
- ``new_outflows``: new arrivals in the year (refugees, asylum seekers, refugee-like, others in need
  of international protection), summed over countries of asylum.
- ``idps``: people internally displaced by conflict and violence (IDMC, as UNHCR publishes it).
- ``asylum_nl`` / ``asylum_eu``: asylum applications lodged in the Netherlands / in the EU+ (the 27
  EU member states, Iceland, Liechtenstein, Norway and Switzerland, as EUAA counts them, the same set
  for every year): new and repeated applications, persons and cases; appeals and judicial reviews
  (``app_type`` A and J) are decisions on earlier applications and are left out.
"""

from __future__ import annotations

from typing import Any

import ibis
from ibis.expr.types import Table

from gbvs.panels._common import as_float, as_int, read_table
from gbvs.panels.codes import in_year, iso3_spells_to_gw
from gbvs.panels.conflict import within
from gbvs.store.tables import TableName

FIRST_YEAR = 1951
NETHERLANDS = "NLD"
EU_PLUS: frozenset[str] = frozenset(
    [
        "AUT",
        "BEL",
        "BGR",
        "HRV",
        "CYP",
        "CZE",
        "DNK",
        "EST",
        "FIN",
        "FRA",
        "DEU",
        "GRC",
        "HUN",
        "IRL",
        "ITA",
        "LVA",
        "LTU",
        "LUX",
        "MLT",
        "NLD",
        "POL",
        "PRT",
        "ROU",
        "SVK",
        "SVN",
        "ESP",
        "SWE",
        "ISL",
        "LIE",
        "NOR",
        "CHE",
    ]
)
"""The EU+ of EUAA's asylum statistics: EU-27 plus Iceland, Liechtenstein, Norway and Switzerland."""
APPEALS: tuple[str, ...] = ("A", "J")
"""``app_type`` codes of appeals and judicial reviews, which are not new applications."""
MEASURES: tuple[str, ...] = (
    "displaced_abroad",
    "refugees",
    "displaced_in_nl",
    "new_outflows",
    "idps",
    "asylum_nl",
    "asylum_eu",
)


def _with_origin(table: Table) -> Table:
    """``table`` with ``gwcode``: the state its origin (``coo_iso``) was in that year. Rows of origins
    that are no state (unknown, stateless, Tibetan, UNHCR's world total ``UNK``) drop out."""
    rows = table.mutate(year=as_int(table.year), iso3=table.coo_iso.cast("string").strip().upper())
    return in_year(rows, iso3_spells_to_gw())


def _by_origin(table: Table, **values: Any) -> Table:
    """Sum ``values`` per Gleditsch-Ward origin and year."""
    joined = _with_origin(table)
    return joined.group_by(["gwcode", "year"]).aggregate(
        **{name: value(joined).sum() for name, value in values.items()}
    )


def _total(*columns: str) -> Any:
    return lambda t: sum((as_float(t[c]).fill_null(0.0) for c in columns), ibis.literal(0.0))


def _span(con: Any, name: str, prefix: str) -> Table:
    """The first and last year in which table ``name`` has rows for countries: an origin without rows
    counts 0 only then. (IDMC's table has one world total a year until 2008 and countries from 2009, so
    its countries' IDPs before 2009 are unknown, not 0.)"""
    rows = _with_origin(read_table(con, name))
    return rows.aggregate(**{f"{prefix}_first": rows.year.min(), f"{prefix}_last": rows.year.max()})


def stocks(con: Any) -> Table:
    """Stocks abroad, refugees and the stock in the Netherlands per origin-year."""
    population = read_table(con, TableName.unhcr_population)
    across = _total("refugees", "asylum_seekers", "oip")
    in_nl = population.coa_iso.cast("string").strip().upper() == NETHERLANDS
    return _by_origin(
        population,
        displaced_abroad=across,
        refugees=_total("refugees"),
        displaced_in_nl=lambda t: ibis.cases((in_nl, across(t)), else_=0.0),
    )


def outflows(con: Any) -> Table:
    """New arrivals abroad per origin-year."""
    flows = read_table(con, TableName.unhcr_flows)
    return _by_origin(flows, new_outflows=_total("refugees", "asylum_seekers", "refugee_like", "oip"))


def internal(con: Any) -> Table:
    """Conflict IDPs per origin-year (IDMC)."""
    return _by_origin(read_table(con, TableName.unhcr_idmc), idps=_total("total"))


def lodged(con: Any) -> Table:
    """The application rows that count as lodged (no appeals), with ``_coa`` (ISO3) and ``_n`` (number)."""
    apps = read_table(con, TableName.unhcr_asylum_applications)
    apps = apps.filter(~apps.app_type.cast("string").strip().upper().isin(APPEALS))
    return apps.mutate(_coa=apps.coa_iso.cast("string").strip().upper(), _n=as_float(apps.applied))


def applications(con: Any) -> Table:
    """Asylum applications lodged in the Netherlands and in the EU+ per origin-year."""
    apps = lodged(con)
    return _by_origin(
        apps,
        asylum_nl=lambda t: ibis.cases((t._coa == NETHERLANDS, t._n.fill_null(0.0)), else_=0.0),
        asylum_eu=lambda t: ibis.cases((t._coa.isin(sorted(EU_PLUS)), t._n.fill_null(0.0)), else_=0.0),
    )


def _filed(con: Any, t: Table) -> Table:
    """The state-years of ``t`` that UNHCR could file rows under: the state's ISO3 code in that year is
    one of UNHCR's countries. Others (Kosovo, which UNHCR files under Serbia; Serbia and Montenegro in
    2006, filed as Serbia; South Yemen and the GDR, without an ISO3 code) are unknown, not 0."""
    listed = read_table(con, TableName.unhcr_countries)
    codes = listed.select(iso3=listed.iso_code.cast("string").strip().upper()).distinct()
    spells = iso3_spells_to_gw()
    spells = spells.semi_join(codes, spells.iso3 == codes.iso3)
    joined = t.inner_join(
        spells, [t.gwcode == spells.gwcode, t.year >= spells["first"], t.year <= spells["last"]]
    )
    return joined.select(gwcode=t.gwcode, year=t.year).distinct().mutate(_filed=ibis.literal(True))


def build_displacement(con: Any) -> Table:
    """``panel_displacement``: the measures above on the state-years of ``panel_country_year``."""
    panel = read_table(con, TableName.panel_country_year)
    t = panel.filter(panel.year >= FIRST_YEAR).select("gwcode", "year")
    t = t.left_join(_filed(con, t), ["gwcode", "year"])
    t = t.drop(*[c for c in ("gwcode_right", "year_right") if c in t.columns])
    parts = (
        (stocks(con), TableName.unhcr_population, ("displaced_abroad", "refugees", "displaced_in_nl")),
        (outflows(con), TableName.unhcr_flows, ("new_outflows",)),
        (internal(con), TableName.unhcr_idmc, ("idps",)),
        (applications(con), TableName.unhcr_asylum_applications, ("asylum_nl", "asylum_eu")),
    )
    for table, source, columns in parts:
        span = _span(con, source, "s")
        joined = t.left_join(table, ["gwcode", "year"]).cross_join(span)
        joined = joined.drop(*[c for c in ("gwcode_right", "year_right") if c in joined.columns])
        t = joined.mutate(
            **{
                c: ibis.cases(
                    (
                        joined._filed.notnull(),
                        within(joined.year, joined.s_first, joined.s_last, joined[c], 0.0),
                    ),
                    else_=joined[c],
                )
                for c in columns
            }
        ).drop("s_first", "s_last")
    return t.select("gwcode", "year", *MEASURES).order_by(["gwcode", "year"])
