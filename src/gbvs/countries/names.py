"""Country names in Dutch and English: the names policy texts use where they differ from CLDR's, else CLDR's
territory names (shipped with Babel), else the short name."""

from __future__ import annotations

from functools import cache

from babel import Locale

from gbvs.countries.crosswalks import natural_earth_names
from gbvs.countries.data import exceptions, names_by_language
from gbvs.countries.identity import all_countries, country, gwcode_to_iso3
from gbvs.errors import Named, NotFoundError
from gbvs.languages import LANGUAGES


@cache
def _territories(lang: str) -> dict[str, str]:
    return {str(code): str(name) for code, name in Locale.parse(lang).territories.items()}


def name(iso3: str, lang: str = "en") -> str:
    """The name of country ``iso3`` in ``lang`` ('nl' or 'en'); NotFoundError for an unknown code."""
    found = country(iso3)
    chosen = _policy_names().get(found.iso3, {}).get(lang)
    if chosen:
        return chosen
    if found.iso2:
        return _territories(lang).get(found.iso2, found.name_short)
    return found.name_short


def said_name(iso3: str) -> Named:
    """The name of country ``iso3`` as a value of an error's words (:func:`gbvs.errors.said`): shown in
    the reader's language, English in the English text."""
    return Named.of({lang: name(iso3, lang) for lang in LANGUAGES})


def in_sentence(iso3: str, lang: str = "en") -> str:
    """The name as it stands inside a sentence: English puts "the" before some ("from the Netherlands")."""
    shown = name(iso3, lang)
    return f"the {shown}" if lang == "en" and iso3 in _english_article() else shown


@cache
def _english_article() -> frozenset[str]:
    return frozenset(str(code) for code in exceptions()["english_article"])


@cache
def _policy_names() -> dict[str, dict[str, str]]:
    """ISO3 -> name per language where policy texts differ from CLDR (``gleditsch_ward.yaml``)."""
    return names_by_language("policy_names")


def outline_name(code: str, lang: str = "en") -> str | None:
    """The name of a map outline: the country's (as :func:`name`), else that of a Natural Earth territory
    without an ISO3 code ("Noord-Cyprus"); None for a code neither knows."""
    try:
        return name(code, lang)
    except NotFoundError:
        names_of = natural_earth_names().get(code)
        return names_of.get(lang, names_of.get("en")) if names_of else None


def name_of_gwcode(gwcode: int, lang: str = "en") -> str | None:
    """The name of the country carrying Gleditsch-Ward code ``gwcode`` (None without an ISO3)."""
    iso3 = gwcode_to_iso3().get(int(gwcode))
    return name(iso3, lang) if iso3 else None


def names(lang: str = "en") -> dict[str, str]:
    """ISO3 -> name in ``lang``, for every known country."""
    return {iso3: name(iso3, lang) for iso3 in all_countries()}
