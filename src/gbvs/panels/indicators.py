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
POLITY_SPECIAL: tuple[int, ...] = (-66, -77, -88)
"""Polity's codes for a year without a regular regime: -66 interruption (foreign occupation), -77
interregnum (collapse of central authority), -88 transition. They are no category: empty, not 0."""
POLITY_NO_REGIME: tuple[int, ...] = (-66, -77)
"""Years whose ``polity`` is one of these get no ``polity2`` either: Polity5 sets an interregnum (-77)
to 0, which would read as a mid-way regime (Yemen 2015); the prorated transitions (-88) are kept."""


def _value(table: Table, item: Indicator) -> Any:
    if item.column == "polity_factional":
        parcomp = as_float(table[item.source_column])
        factional = (parcomp == POLITY_FACTIONAL).cast("int64")
        special = parcomp.isnull() | parcomp.isin(POLITY_SPECIAL)
        return ibis.cases((special, ibis.null("int64")), else_=factional)
    if item.column == "polity_polity2" and "polity" in table.columns:
        regime = as_float(table.polity)
        value = as_float(table[item.source_column])
        return ibis.cases((regime.isin(POLITY_NO_REGIME), ibis.null("float64")), else_=value)
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
    """Gapminder Systema Globalis columns per (gwcode, year), merged column by column.

    A geo id counts for a state only in its years (:func:`gbvs.panels.codes.gapminder_geo_to_gw`):
    ``deu`` (today's Germany) for 260 from 1991, ``deu_west`` until 1990; ``yug`` for 345 until 1991,
    ``scg`` 1992-2006. Where two geo ids still meet on one state-year, each column takes its own value:
    a value that is not 0 before a 0 (Gapminder files years without a recorded disaster as 0), then the
    present-day country before the historical entity, then the geo id, so every backend keeps the same
    value. A column no geo id has a value for stays empty.
    """
    gm = read_table(con, TableName.gapminder)
    geo = gapminder_geo_to_gw()
    year = as_int(gm.time)
    joined = gm.mutate(_year=year).join(geo, gm.geo.cast("string") == geo.geo)
    joined = joined.filter(joined._year.between(joined.first, joined.last))
    items = indicators_from(TableName.gapminder)
    order = ibis.dense_rank().over(
        group_by=[joined.gwcode, joined._year], order_by=[joined.priority, joined.geo]
    )
    joined = joined.mutate(_order=order)
    return joined.group_by(gwcode=joined.gwcode, year=joined._year).aggregate(
        **{item.column: _first_value(joined, item) for item in items}
    )


def _first_value(table: Table, item: Indicator) -> Any:
    """The value of ``item`` from the row that ranks first: not null and not 0, then 0, then ``_order``."""
    value = _value(table, item)
    strength = ibis.cases((value.isnull(), 2), (value == 0, 1), else_=0)
    return value.argmin(strength * 1000 + table._order)


SOURCE_BUILDERS: dict[str, Callable[[Any], Table]] = {
    TableName.vdem: vdem_indicators,
    TableName.polity5: polity_indicators,
    TableName.epr_country_year: epr_indicators,
    TableName.gapminder: gapminder_indicators,
}
"""Store table -> function giving its driver columns per (gwcode, year)."""
