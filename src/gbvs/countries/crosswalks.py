"""Other country-code systems recoded to Gleditsch-Ward codes (tables in ``gleditsch_ward.yaml``).

Each recoding is ``(code, first year, last year) -> gwcode`` with inclusive years; a code outside
its rows keeps its value (the systems agree there).
"""

from __future__ import annotations

from functools import cache

from gbvs.countries.data import exceptions, names_by_language
from gbvs.countries.identity import OPEN, country

Recoding = dict[tuple[int, int, int], int]


def _recoding(system: str) -> Recoding:
    return {
        (int(r["code"]), int(r.get("first", 0)), int(r.get("last", OPEN))): int(r["gwcode"])
        for r in exceptions()[system]
    }


@cache
def polity_to_gw() -> Recoding:
    """Polity5 ``ccode`` -> Gleditsch-Ward code, where they differ."""
    return _recoding("polity")


@cache
def cow_to_gw() -> Recoding:
    """Correlates of War code (V-Dem's ``COWcode``) -> Gleditsch-Ward code, where they differ."""
    return _recoding("cow")


@cache
def gapminder_to_gw() -> dict[str, int]:
    """Gapminder geo ids of historical entities without an ISO3 code -> Gleditsch-Ward code."""
    return {str(geo): int(code) for geo, code in exceptions()["gapminder"].items()}


@cache
def gapminder_years() -> dict[str, tuple[int, int]]:
    """Gapminder historical geo id -> the (first, last) years in which it is its Gleditsch-Ward state."""
    return {
        str(geo): (int(years.get("first", 0)), int(years.get("last", OPEN)))
        for geo, years in exceptions()["gapminder_years"].items()
    }


@cache
def natural_earth_iso3() -> dict[str, str]:
    """Natural Earth ADM0_A3 codes -> the ISO3 code gbvs.countries knows the country by."""
    return {str(k): str(v) for k, v in exceptions()["natural_earth_iso3"].items()}


@cache
def natural_earth_names() -> dict[str, dict[str, str]]:
    """Natural Earth ADM0_A3 codes of outlines without an ISO3 code -> their name per language."""
    return names_by_language("natural_earth_names")


def recode(recoding: Recoding, code: int, year: int) -> int:
    """``code`` in ``year`` as a Gleditsch-Ward code under ``recoding``."""
    for (source, first, last), gw in recoding.items():
        if source == code and first <= year <= last:
            return gw
    return code


@cache
def vdem_text_ids() -> dict[str, int | None]:
    """V-Dem text ids that are not a current ISO3 code -> Gleditsch-Ward code (None: no state)."""
    return {
        str(text_id): None if entry["gwcode"] is None else int(entry["gwcode"])
        for text_id, entry in exceptions()["vdem_text_id"].items()
    }


def vdem_gwcode(text_id: str, year: int) -> int | None:
    """The Gleditsch-Ward code of V-Dem unit ``text_id`` in ``year``; None for a territory without one.

    Raises NotFoundError for a text id that is neither a known ISO3 code nor declared in
    ``gleditsch_ward.yaml`` (``vdem_text_id``), so a new V-Dem unit is never silently dropped.
    """
    if text_id in vdem_text_ids():
        return vdem_text_ids()[text_id]
    return country(text_id).gwcode_in(year)


@cache
def unhcr_not_a_state() -> dict[str, str]:
    """UNHCR's origin codes that name no place with an ISO3 code -> whom they stand for in English
    (``XXA``/``STA``: stateless people, ``UNK``/``UKN``: unknown origin, ``TIB``: Tibetans)."""
    return {str(code): str(what) for code, what in exceptions()["unhcr_not_a_state"].items()}
