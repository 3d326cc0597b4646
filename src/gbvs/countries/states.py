"""Which codes are Gleditsch-Ward states, and in which years: what source files are checked against.

A code is a Gleditsch-Ward state when a country carries it in a spell (``identity``: country_converter's
``GWcode`` and the spells of ``gleditsch_ward.yaml``) or when it is one of the ``historical_states``
there (the GDR, South Yemen, Hyderabad, ...). Years are known where the YAML gives them (Czechia 315/316,
Serbia 345/340, Germany 255/260, South Sudan from 2011, the historical states); a country_converter
code is taken to be valid in every year (the store's ``gw_states`` table says which states existed when).
"""

from __future__ import annotations

from functools import cache
from typing import Literal

from gbvs.countries.data import exceptions
from gbvs.countries.identity import OPEN, Spell, all_countries
from gbvs.errors import Commas, Said, said

Coding = Literal["gw", "ucdp"]
"""``gw``: the Gleditsch-Ward list; ``ucdp``: as UCDP uses it (plus ``ucdp_years`` of the YAML)."""


@cache
def _state_spells(coding: Coding) -> dict[int, tuple[tuple[str, Spell], ...]]:
    """Gleditsch-Ward code -> (name, spell) of every state that carried it (under ``coding``)."""
    found: dict[int, list[tuple[str, Spell]]] = {}
    for item in all_countries().values():
        for spell in item.spells:
            found.setdefault(spell.gwcode, []).append((item.name_short, spell))
    sections = ["historical_states"] + (["ucdp_years"] if coding == "ucdp" else [])
    for entry in (entry for section in sections for entry in exceptions()[section]):
        spell = Spell("", int(entry["gwcode"]), int(entry.get("first", 0)), int(entry.get("last", OPEN)))
        found.setdefault(spell.gwcode, []).append((str(entry["name"]), spell))
    return {code: tuple(spells) for code, spells in found.items()}


def gw_state_problem(code: int, year: int | None = None, coding: Coding = "gw") -> Said | None:
    """Why ``code`` is not a Gleditsch-Ward state (in ``year``, when given); None when it is one. The
    reason is a value of an error's words, so a message says it in the reader's language."""
    spells = _state_spells(coding).get(int(code))
    if not spells:
        return Said.of(
            said(
                "%(code)s is not a Gleditsch-Ward state code (gbvs.countries knows no state with it)",
                code=code,
            )
        )
    if year is None or any(spell.covers(int(year)) for _, spell in spells):
        return None
    return Said.of(
        said(
            "%(code)s (%(name)s) is not a Gleditsch-Ward state in %(year)s (it is one %(spans)s)%(then)s",
            code=code,
            name=spells[0][0],
            year=year,
            spans=Commas(_span(spell) for _, spell in spells),
            then=_code_then(spells[0][1].iso3, int(year)),
        )
    )


def _span(spell: Spell) -> Said:
    if spell.first == 0:
        return Said.of(said("until %(last)s", last=spell.last))
    if spell.last == OPEN:
        return Said.of(said("from %(first)s", first=spell.first))
    return Said.of(said("in %(first)s-%(last)s", first=spell.first, last=spell.last))


def _code_then(iso3: str, year: int) -> str:
    """``; in <year> <iso3> is <code>`` when the same country carries another code that year."""
    country = all_countries().get(iso3)
    then = country.gwcode_in(year) if country else None
    if then is None:
        return ""
    return Said.of(said("; %(iso3)s is %(code)s in %(year)s", iso3=iso3, code=then, year=year))
