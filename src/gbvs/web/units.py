"""Units of the driver indicators in the interface language.

The driver mapping (``gbvs.drivers``) stores each unit once, in English; the pages show it through the
message catalogues, so a Dutch page reads "% per jaar" rather than "% per year". A unit not listed
here is shown as stored.
"""

from __future__ import annotations

from collections.abc import Callable

from gbvs.web.render import N_

UNIT_NAMES: dict[str, str] = {
    "% of GDP": N_("% of GDP"),
    "% of income": N_("% of income"),
    "% of labour force 15-24": N_("% of labour force 15-24"),
    "% of men's years": N_("% of men's years"),
    "% of population": N_("% of population"),
    "% of women 15+": N_("% of women 15+"),
    "% per year": N_("% per year"),
    "Gini 0-100": N_("Gini 0-100"),
    "births per 1000 women 15-19": N_("births per 1000 women 15-19"),
    "constant US$ per person": N_("constant US$ per person"),
    "deaths per 100,000 live births": N_("deaths per 100,000 live births"),
    "deaths per 1000 births": N_("deaths per 1000 births"),
    "index 0-1": N_("index 0-1"),
    "kcal per person per day": N_("kcal per person per day"),
    "m³ per person": N_("m³ per person"),
    "per 100 adults": N_("per 100 adults"),
    "persons per km²": N_("persons per km²"),
    "ratio (1 = equal)": N_("ratio (1 = equal)"),
    "score -10..10": N_("score -10..10"),
    "share of population 0-1": N_("share of population 0-1"),
    "count": N_("count"),
    "deaths": N_("deaths"),
    "persons": N_("persons"),
    "years": N_("years"),
    "0/1": N_("0/1 (no/yes)"),
}


def unit_name(unit: str, gettext: Callable[[str], str]) -> str:
    """``unit`` in the interface language (as stored when unknown)."""
    known = UNIT_NAMES.get(unit)
    return gettext(known) if known else unit
