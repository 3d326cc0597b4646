"""Driver indicator columns per (gwcode, year), selected by the shipped mapping (``gbvs.drivers``).

Each source gets one function returning ``(gwcode, year, <mapped columns>)``. Values are taken as
published: nothing is filled in, so a missing value stays missing in the panel.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ibis
from ibis.expr.types import Table

from gbvs.drivers.mapping import Indicator, indicators_from
from gbvs.panels._common import as_float, as_int, read_table
from gbvs.panels.codes import gapminder_geo_to_gw, polity_gwcode
from gbvs.store.tables import TableName

POLITY_FACTIONAL = 3
"""Polity PARCOMP category "factional" competition."""


def _value(table: Table, item: Indicator) -> Any:
    if item.column == "polity_factional":
        parcomp = as_float(table[item.source_column])
        factional = (parcomp == POLITY_FACTIONAL).cast("int64")
        return ibis.cases((parcomp.isnull(), ibis.null("int64")), else_=factional)
    return as_float(table[item.source_column])


def _select(table: Table, gwcode: Any, year: Any, items: tuple[Indicator, ...], **extra: Any) -> Table:
    columns = {item.column: _value(table, item) for item in items}
    return table.select(gwcode=gwcode, year=year, **columns, **extra)


def _one_per_key(table: Table, order: Any) -> Table:
    """Keep one row per (gwcode, year): the first by ``order`` (used where two codes map to one state)."""
    rank = ibis.row_number().over(group_by=["gwcode", "year"], order_by=order)
    return table.mutate(_rank=rank).filter(lambda t: t._rank == 0).drop("_rank")


def vdem_indicators(con: Any) -> Table:
    """V-Dem indices (the DemSpaces subset), already keyed by gwcode."""
    vdem = read_table(con, TableName.vdem)
    return _select(vdem, as_int(vdem.gwcode), as_int(vdem.year), indicators_from(TableName.vdem))


def polity_indicators(con: Any) -> Table:
    """Polity5 columns, Polity ``ccode`` recoded to gwcode; duplicates after recoding keep the recoded row."""
    polity = read_table(con, TableName.polity5)
    ccode, year = as_int(polity.ccode), as_int(polity.year)
    gwcode = polity_gwcode(ccode, year)
    native = (gwcode == ccode).cast("int64")
    table = _select(polity, gwcode, year, indicators_from(TableName.polity5), _native=native)
    return _one_per_key(table, table._native).drop("_native")


def epr_indicators(con: Any) -> Table:
    """EPR exclusion measures from the derived ``epr_country_year`` table."""
    epr = read_table(con, TableName.epr_country_year)
    return _select(epr, epr.gwcode, epr.year, indicators_from(TableName.epr_country_year))


def gapminder_indicators(con: Any) -> Table:
    """Gapminder Systema Globalis columns, geo id matched to gwcode via ISO3 (:mod:`gbvs.countries`)."""
    gm = read_table(con, TableName.gapminder)
    geo = gapminder_geo_to_gw()
    joined = gm.join(geo, gm.geo.cast("string") == geo.geo)
    items = indicators_from(TableName.gapminder)
    table = _select(
        joined, joined.gwcode, as_int(joined.time), items, _priority=joined.priority, _geo=joined.geo
    )
    # geo breaks ties (``scg`` and ``yug`` are both 345), so every backend keeps the same row
    return _one_per_key(table, [table._priority, table._geo]).drop("_priority", "_geo")


SOURCE_BUILDERS: dict[str, Callable[[Any], Table]] = {
    TableName.vdem: vdem_indicators,
    TableName.polity5: polity_indicators,
    TableName.epr_country_year: epr_indicators,
    TableName.gapminder: gapminder_indicators,
}
"""Store table -> function giving its driver columns per (gwcode, year)."""
