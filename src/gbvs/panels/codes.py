"""Ibis expressions that recode the sources' country codes to Gleditsch-Ward (``gwcode``).

The code tables themselves live in :mod:`gbvs.countries` (the one place for country identity):

- Polity5 uses its own ``ccode`` (close to Correlates of War), recoded within the years of
  :func:`gbvs.countries.crosswalks.polity_to_gw` (Germany, Serbia, Yemen, Vietnam, ...).
- Gapminder uses lower-case geo ids, mostly ISO3 (``syr``), matched on ISO3 to the Gleditsch-Ward
  code of :func:`gbvs.countries.iso3_to_gwcode` (Yemen 678, Vietnam 816, Czechia 316), plus the
  historical Gapminder entities without ISO3 (``ussr``, ``yug``, ``deu_west``, ...).
"""

from __future__ import annotations

from typing import Any

import ibis
from ibis.expr.types import Table

from gbvs.countries import iso3_to_gwcode
from gbvs.countries.crosswalks import gapminder_to_gw, polity_to_gw


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


def gapminder_geo_to_gw() -> Table:
    """``(geo, gwcode, priority)``: ISO3 matches (priority 0) and historical entities (priority 1)."""
    iso = iso3_to_gw()
    by_iso = iso.select(geo=iso.iso3.lower(), gwcode=iso.gwcode, priority=ibis.literal(0))
    extra = gapminder_to_gw()
    table = ibis.memtable({"geo": list(extra), "gwcode": list(extra.values()), "priority": [1] * len(extra)})
    return by_iso.union(table.cast(by_iso.schema()))
