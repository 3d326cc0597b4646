"""Ibis expressions that recode the sources' country codes to Gleditsch-Ward (``gwcode``).

The code tables themselves live in :mod:`gbvs.countries` (the one place for country identity):

- Polity5 uses its own ``ccode`` (close to Correlates of War), recoded within the years of
  :func:`gbvs.countries.crosswalks.polity_to_gw` (Germany, Serbia, Yemen, Vietnam, ...).
- Gapminder uses lower-case geo ids, mostly ISO3 (``syr``) of present-day countries, matched on ISO3
  to the Gleditsch-Ward code only in the years that state held today's territory
  (:func:`gbvs.countries.todays_borders`: ``deu`` is 260 from 1991, ``vnm`` 816 from 1977), plus the
  historical Gapminder entities without ISO3 within their years (``ussr`` 365 until 1991, ``yug`` 345
  until 1991, ``deu_west`` 260 until 1990, :func:`gbvs.countries.crosswalks.gapminder_years`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ibis
from ibis.expr.types import Table

from gbvs.countries import Spell, all_countries, iso3_to_gwcode, todays_borders
from gbvs.countries.crosswalks import gapminder_to_gw, gapminder_years, polity_to_gw


def polity_gwcode(ccode: Any, year: Any) -> Any:
    """Ibis expression: the Gleditsch-Ward code of a Polity ``ccode`` in ``year``."""
    branches = [
        ((ccode == pc) & year.between(first, last), ibis.literal(gw))
        for (pc, first, last), gw in polity_to_gw().items()
    ]
    return ibis.cases(*branches, else_=ccode)


def iso3_to_gw() -> Table:
    """``(iso3, gwcode)`` of every country with a current Gleditsch-Ward code (gbvs.countries)."""
    pairs = iso3_to_gwcode()
    return ibis.memtable({"iso3": list(pairs), "gwcode": list(pairs.values())}).cast(
        {"iso3": "string", "gwcode": "int64"}
    )


def iso3_spells_to_gw() -> Table:
    """``(iso3, gwcode, first, last)``: the Gleditsch-Ward code each ISO3 code carries in which years
    (:class:`gbvs.countries.Spell`), for sources that file a historical state under its successor's ISO3
    code (UNHCR's SRB is Yugoslavia 345 until 2005, CZE Czechoslovakia 315 until 1992)."""
    return _spell_table([spell for country in all_countries().values() for spell in country.spells])


def todays_borders_years(per_person: bool = False) -> Table:
    """``(iso3, gwcode, first, last)``: the years (inclusive) in which state ``gwcode`` held the territory of
    present-day country ``iso3`` all year (:func:`gbvs.countries.todays_borders`; ``per_person``: for
    figures per person or area, only material differences count)."""
    return _spell_table(todays_borders(per_person))


def _spell_table(spells: Sequence[Spell]) -> Table:
    return ibis.memtable(
        {
            "iso3": [s.iso3 for s in spells],
            "gwcode": [s.gwcode for s in spells],
            "first": [s.first for s in spells],
            "last": [s.last for s in spells],
        }
    ).cast({"iso3": "string", "gwcode": "int64", "first": "int64", "last": "int64"})


def in_year(table: Table, spells: Table) -> Table:
    """``table`` (with ``iso3`` and ``year``) joined to the Gleditsch-Ward code of its ISO3 code in that
    year; rows whose code names no state that year drop out."""
    joined = table.inner_join(
        spells, [table.iso3 == spells.iso3, table.year >= spells["first"], table.year <= spells["last"]]
    )
    return joined.drop(*[c for c in ("iso3_right", "first", "last") if c in joined.columns])


def gapminder_geo_to_gw() -> Table:
    """``(geo, gwcode, first, last, priority)``: a Gapminder geo id is state ``gwcode`` in the years
    ``first..last``: present-day countries (priority 0) where the state held today's territory, historical
    entities (priority 1) within their years. Outside them a geo id is not used."""
    borders = todays_borders_years(per_person=True)
    by_iso = borders.select(
        geo=borders.iso3.lower(), gwcode=borders.gwcode, first=borders.first, last=borders.last,
        priority=ibis.literal(0, "int64"),
    )  # fmt: skip
    extra = gapminder_to_gw()
    years = gapminder_years()
    table = ibis.memtable(
        {
            "geo": list(extra),
            "gwcode": list(extra.values()),
            "first": [years[geo][0] for geo in extra],
            "last": [years[geo][1] for geo in extra],
            "priority": [1] * len(extra),
        }
    )
    return by_iso.union(table.cast(by_iso.schema()))
