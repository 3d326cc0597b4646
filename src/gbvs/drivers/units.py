"""The units of the driver indicators and of the codebook's variables in Dutch and English.

The driver mapping (``indicators.yaml``) and the derived tables' declarations (``gbvs.panels``) store each
unit once, in English; these are its names in both languages, for the pages, the codebook and the
progress report alike. A unit not listed is shown as stored (the tests require every unit of the mapping
and of the codebook to be listed).
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
    # the codebook's variables (gbvs.panels)
    "%": {"nl": "%", "en": "%"},
    "0-1": {"nl": "0-1", "en": "0-1"},
    "USD": {"nl": "US-dollar", "en": "USD"},
    "USD (constant)": {"nl": "US-dollar (constante prijzen)", "en": "USD (constant prices)"},
    "thousand USD": {"nl": "duizend US-dollar", "en": "thousand USD"},
    "applications per year": {"nl": "aanvragen per jaar", "en": "applications per year"},
    "category 0-3": {"nl": "categorie 0-3", "en": "category 0-3"},
    "cell id": {"nl": "celnummer", "en": "cell id"},
    "code": {"nl": "Gleditsch-Ward-code", "en": "Gleditsch-Ward code"},  # every `code` column is a gwcode
    "estimate": {"nl": "schatting", "en": "estimate"},
    "events": {"nl": "gebeurtenissen", "en": "events"},
    "interval": {"nl": "intervalschaal", "en": "interval scale"},
    "million people": {"nl": "miljoen mensen", "en": "million people"},
    "thousand people": {"nl": "duizend mensen", "en": "thousand people"},
    "month 1-12": {"nl": "maand 1-12", "en": "month 1-12"},
    "month number": {"nl": "maandnummer", "en": "month number"},
    "per 1000 live births": {"nl": "per 1.000 levendgeborenen", "en": "per 1,000 live births"},
    "persons per year": {"nl": "personen per jaar", "en": "persons per year"},
    "ratio": {"nl": "verhouding", "en": "ratio"},
    "share": {"nl": "aandeel", "en": "share"},
    "share per year": {"nl": "aandeel per jaar", "en": "share per year"},
    "year": {"nl": "jaar", "en": "year"},
}


def unit_name(unit: str, lang: str) -> str:
    """``unit`` in ``lang`` (``"nl"`` or ``"en"``); as stored when it is not listed."""
    names = UNIT_NAMES.get(unit)
    return names[lang] if names else unit
