"""Country code crosswalks to Gleditsch-Ward (``gwcode``) for the sources that use other codes.

- Polity5 uses its own ``ccode`` (close to Correlates of War). ``POLITY_TO_GW`` recodes the states
  where Polity and Gleditsch-Ward differ, within the years given (Germany, Serbia, Yemen, Vietnam, ...).
- Gapminder uses lower-case geo ids, mostly ISO3 (``syr``). They are matched on ISO3 to the
  ``gwcode`` of country_converter's table (``country_codes``). ``GAPMINDER_GEO_TO_GW`` adds the
  historical Gapminder entities without ISO3 (``ussr``, ``yug``, ``deu_west``, ...), and
  ``ISO3_GW_CORRECTIONS`` fixes three codes where country_converter 1.3.2 departs from the
  Gleditsch-Ward list that UCDP uses (Vietnam is 816, Yemen is 678, Czechia is 316; country_converter
  gives South Vietnam 817, South Yemen 680 and Czechoslovakia 315). The web app names countries
  through :func:`iso3_to_gw` too, so this table is the one place for such fixes.
"""

from __future__ import annotations

from typing import Any

import ibis
from ibis.expr.types import Table

from gbvs.panels._common import as_int

# (polity ccode, first year, last year) -> gwcode; years inclusive.
POLITY_TO_GW: dict[tuple[int, int, int], int] = {
    (255, 1991, 9999): 260,  # unified Germany continues GW 260 (West Germany)
    (364, 1922, 1991): 365,  # USSR -> Russia/USSR 365
    (342, 2006, 9999): 340,  # Serbia (after Montenegro left) -> GW 340
    (347, 1991, 2006): 345,  # Yugoslavia / Serbia and Montenegro -> GW 345
    (341, 2008, 9999): 347,  # Kosovo: Polity 341, GW 347
    (529, 1994, 9999): 530,  # Ethiopia after Eritrea -> GW 530
    (525, 2011, 9999): 626,  # South Sudan: Polity 525, GW 626
    (626, 2012, 9999): 625,  # Sudan-North: Polity 626, GW 625
    (679, 1991, 9999): 678,  # unified Yemen continues GW 678
    (769, 1947, 1971): 770,  # Pakistan before 1971 -> GW 770
    (818, 1977, 9999): 816,  # unified Vietnam continues GW 816
}

GAPMINDER_GEO_TO_GW: dict[str, int] = {
    "ussr": 365,
    "yug": 345,
    "scg": 345,
    "deu_west": 260,
    "deu_east": 265,
    "yem_north": 678,
    "yem_south": 680,
    "cheslo": 315,
    "kos": 347,
}

ISO3_GW_CORRECTIONS: dict[str, int] = {"VNM": 816, "YEM": 678, "CZE": 316}


def polity_gwcode(ccode: Any, year: Any) -> Any:
    """Ibis expression: the Gleditsch-Ward code of a Polity ``ccode`` in ``year``."""
    branches = [
        ((ccode == pc) & year.between(first, last), ibis.literal(gw))
        for (pc, first, last), gw in POLITY_TO_GW.items()
    ]
    return ibis.cases(*branches, else_=ccode)


def iso3_to_gw(country_codes: Table) -> Table:
    """``(iso3, gwcode)`` from country_converter's table, with the corrections above."""
    base = country_codes.select(iso3=country_codes.iso3.cast("string"), gwcode=as_int(country_codes.gwcode))
    fixes = ibis.memtable({"iso3": list(ISO3_GW_CORRECTIONS), "fix": list(ISO3_GW_CORRECTIONS.values())})
    joined = base.left_join(fixes, "iso3")
    return joined.select("iso3", gwcode=ibis.coalesce(joined.fix, joined.gwcode)).filter(
        lambda t: t.gwcode.notnull()
    )


def gapminder_geo_to_gw(country_codes: Table) -> Table:
    """``(geo, gwcode, priority)``: ISO3 matches (priority 0) and historical entities (priority 1)."""
    iso = iso3_to_gw(country_codes)
    by_iso = iso.select(geo=iso.iso3.lower(), gwcode=iso.gwcode, priority=ibis.literal(0))
    extra = ibis.memtable(
        {
            "geo": list(GAPMINDER_GEO_TO_GW),
            "gwcode": list(GAPMINDER_GEO_TO_GW.values()),
            "priority": [1] * len(GAPMINDER_GEO_TO_GW),
        }
    )
    return by_iso.union(extra.cast(by_iso.schema()))
