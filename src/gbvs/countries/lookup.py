"""What a user typed as a country: a code (``SYR``, ``syr``, ``652``) or a name in Dutch or English.

Names are matched with case and accents ignored against the CLDR names both languages show
("Syrië", "syria", "Verenigde Staten"), then against country_converter's patterns ("Russian
Federation", "Ivory Coast"). A name matching several countries is refused with their codes.
"""

from __future__ import annotations

from functools import cache

from gbvs.countries.identity import all_countries, gwcode, gwcode_of, iso3_of
from gbvs.countries.matching import iso3_from_name
from gbvs.countries.names import name
from gbvs.errors import NotFoundError, said
from gbvs.textmatch import fold


def _is_code(text: str) -> bool:
    return text.isdigit() or (len(text) == 3 and text.isalpha())


@cache
def _iso3_by_folded_name() -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    for iso3, known in all_countries().items():
        for spelling in {name(iso3, "nl"), name(iso3, "en"), known.name_short}:
            found.setdefault(fold(spelling), set()).add(iso3)
    return {key: frozenset(codes) for key, codes in found.items()}


def iso3_named(text: str) -> str:
    """The ISO3 code of the country ``text`` names in Dutch or English; NotFoundError naming the fix."""
    candidates = _iso3_by_folded_name().get(fold(text), frozenset())
    if len(candidates) > 1:
        listed = ", ".join(f"{code} ({name(code, 'en')})" for code in sorted(candidates))
        raise NotFoundError(f"country {text[:40]!r} names several countries: {listed}; give the ISO3 code")
    if candidates:
        return next(iter(candidates))
    matched = iso3_from_name(text)
    if matched is None:
        raise NotFoundError(
            said(
                "country %(country)s is no ISO3 code, Gleditsch-Ward code or country name in Dutch or "
                "English that GBVS knows; give e.g. SYR, 652, Syria or Syrië",
                country=repr(text[:40]),
            )
        )
    return matched


def gwcode_typed(text: str) -> int:
    """The Gleditsch-Ward code of the country a user typed: a code or a name (see module doc)."""
    stripped = text.strip()
    return gwcode_of(stripped) if _is_code(stripped) else gwcode(iso3_named(stripped))


def iso3_typed(text: str) -> str:
    """The ISO3 code of the country a user typed; any known ISO3 code is kept, also one without a
    Gleditsch-Ward code (e.g. PSE)."""
    stripped = text.strip()
    if not _is_code(stripped):
        return iso3_named(stripped)
    if stripped.isalpha() and stripped.upper() in all_countries():
        return stripped.upper()
    iso3 = iso3_of(gwcode_of(stripped))
    if iso3 is None:
        raise NotFoundError(
            said(
                "country %(country)s: Gleditsch-Ward code %(code)s names no country with an ISO3 code; "
                "give e.g. SYR, 652, Syria or Syrië",
                country=repr(stripped),
                code=stripped,
            )
        )
    return iso3
