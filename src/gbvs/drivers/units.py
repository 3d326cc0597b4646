"""The units of the driver indicators in Dutch and English.

The driver mapping (``indicators.yaml``) stores each unit once, in English; these are its names in both
languages, for the pages and the progress report alike. A unit not listed is shown as stored.
"""

from __future__ import annotations

UNIT_NAMES: dict[str, dict[str, str]] = {
    "% of GDP": {"nl": "% van het bbp", "en": "% of GDP"},
    "% of income": {"nl": "% van het inkomen", "en": "% of income"},
    "% of labour force 15-24": {"nl": "% van de beroepsbevolking 15-24", "en": "% of labour force 15-24"},
    "% of men's years": {"nl": "% van de jaren van mannen", "en": "% of men's years"},
    "% of population": {"nl": "% van de bevolking", "en": "% of population"},
    "% of women 15+": {"nl": "% van de vrouwen 15+", "en": "% of women 15+"},
    "% per year": {"nl": "% per jaar", "en": "% per year"},
    "Gini 0-100": {"nl": "Gini 0–100", "en": "Gini 0–100"},
    "births per 1000 women 15-19": {
        "nl": "geboorten per 1.000 vrouwen van 15–19",
        "en": "births per 1,000 women aged 15–19",
    },
    "constant US$ per person": {"nl": "constante US$ per persoon", "en": "constant US$ per person"},
    "deaths per 100,000 live births": {
        "nl": "sterfgevallen per 100.000 levendgeborenen",
        "en": "deaths per 100,000 live births",
    },
    "deaths per 1000 births": {"nl": "sterfgevallen per 1.000 geboorten", "en": "deaths per 1,000 births"},
    "index 0-1": {"nl": "index 0-1", "en": "index 0-1"},
    "latent scale": {"nl": "latente schaal", "en": "latent scale"},
    "kcal per person per day": {"nl": "kcal per persoon per dag", "en": "kcal per person per day"},
    "m³ per person": {"nl": "m³ per persoon", "en": "m³ per person"},
    "per 100 adults": {"nl": "per 100 volwassenen", "en": "per 100 adults"},
    "persons per km²": {"nl": "personen per km²", "en": "persons per km²"},
    "ratio (1 = equal)": {"nl": "verhouding (1 = gelijk)", "en": "ratio (1 = equal)"},
    "score -10..10": {"nl": "score −10 tot 10", "en": "score −10 to 10"},
    "share of population 0-1": {"nl": "aandeel van de bevolking 0-1", "en": "share of population 0-1"},
    "count": {"nl": "aantal", "en": "count"},
    "deaths": {"nl": "doden", "en": "deaths"},
    "persons": {"nl": "personen", "en": "persons"},
    "years": {"nl": "jaren", "en": "years"},
    "0/1": {"nl": "0/1 (nee/ja)", "en": "0/1 (no/yes)"},
}


def unit_name(unit: str, lang: str) -> str:
    """``unit`` in ``lang`` (``"nl"`` or ``"en"``); as stored when it is not listed."""
    names = UNIT_NAMES.get(unit)
    return names[lang] if names else unit
