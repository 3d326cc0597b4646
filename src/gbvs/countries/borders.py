"""Which Gleditsch-Ward state-years have the territory of a present-day country ("today's borders").

Some sources apply today's borders back in time: poldat's located battle deaths (UCDP GED summed by
present-day country) and Gapminder's present-day countries (``deu``, ``vnm``, ``sdn``). Their value for
a present-day country fits a Gleditsch-Ward state-year only when that state then held the same
territory for the whole year. Derived from the spells (:mod:`gbvs.countries.identity`): the current
spell of each present-day country, less the years ``gleditsch_ward.yaml`` lists under
``borders_differ`` (West Germany until 1990, North Yemen until 1990, North Vietnam until 1976, the
USSR until 1991, Sudan until 2011, Ethiopia until 1993, ...). A code that is no present-day country's
current code (Yugoslavia 345, Czechoslovakia 315, the GDR 265, South Yemen 680) never has them.
"""

from __future__ import annotations

from functools import cache

from gbvs.countries.data import exceptions
from gbvs.countries.identity import OPEN, Spell, all_countries


@cache
def borders_differ(material_only: bool = False) -> tuple[Spell, ...]:
    """The declared years in which a state's territory was not today's (``iso3`` empty: by code only);
    ``material_only`` leaves out differences of a few percent of the people (``small: true``)."""
    return tuple(
        Spell("", int(r["gwcode"]), int(r.get("first", 0)), int(r.get("last", OPEN)))
        for r in exceptions()["borders_differ"]
        if not (material_only and r.get("small"))
    )


def _minus(spell: Spell, cuts: list[Spell]) -> list[Spell]:
    """``spell`` without the years of ``cuts`` (each cut removes its years; what remains may be split)."""
    parts = [spell]
    for cut in cuts:
        kept: list[Spell] = []
        for part in parts:
            if cut.last < part.first or cut.first > part.last:
                kept.append(part)
                continue
            if part.first < cut.first:
                kept.append(Spell(part.iso3, part.gwcode, part.first, cut.first - 1))
            if cut.last < part.last:
                kept.append(Spell(part.iso3, part.gwcode, cut.last + 1, part.last))
        parts = kept
    return parts


@cache
def todays_borders(per_person: bool = False) -> tuple[Spell, ...]:
    """Spells in which Gleditsch-Ward state ``gwcode`` held, all year, the territory of present-day country
    ``iso3`` (first/last inclusive; ``OPEN`` = no end). Germany: 260 from 1991; Vietnam: 816 from 1977.

    ``per_person``: for figures per person or per area, which a difference of a few percent of the
    people hardly moves (Indonesia with East Timor): only material differences count."""
    cuts = borders_differ(material_only=per_person)
    spells: list[Spell] = []
    for item in all_countries().values():
        if not item.spells:
            continue
        current = item.spells[-1]
        spells += _minus(current, [cut for cut in cuts if cut.gwcode == current.gwcode])
    return tuple(spells)


def has_todays_borders(gwcode: int, year: int) -> bool:
    """Whether state ``gwcode`` held the territory of a present-day country for the whole of ``year``."""
    return any(s.gwcode == gwcode and s.covers(year) for s in todays_borders())
