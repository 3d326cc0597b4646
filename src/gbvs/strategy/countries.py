"""The strategy's countries get their Gleditsch-Ward code and names from :mod:`gbvs.countries`.

``countries.yaml`` lists ISO3 codes only. Before a :class:`~gbvs.strategy.model.Strategy` is
validated, each entry is completed with its Gleditsch-Ward code in the last year of the
strategy period and its CLDR names in Dutch and English. An unknown ISO3 code, or a country that
is no Gleditsch-Ward state then, is left incomplete here and reported by
:mod:`gbvs.strategy.checks` (file, entry, value and fix).
"""

from __future__ import annotations

from typing import Any

from gbvs import countries
from gbvs.errors import NotFoundError

PLACEHOLDER_GWCODE = 1
"""Stands in for the code of a country gbvs.countries cannot place; the checks then refuse it."""


def period_end(data: dict[str, Any]) -> int | None:
    """The last year of the strategy period in raw strategy data (None when not readable yet)."""
    try:
        return int(data["strategy"]["period"]["end"])
    except (KeyError, TypeError, ValueError):
        return None


def derive_country(entry: Any, year: int | None) -> Any:
    """``entry`` (``{iso3: ...}``) with ``gwcode`` in ``year`` and ``name`` {nl, en} filled in."""
    if not isinstance(entry, dict) or not isinstance(entry.get("iso3"), str):
        return entry
    iso3 = entry["iso3"]
    try:
        code = countries.gwcode(iso3, year)
        name = {lang: countries.name(iso3, lang) for lang in ("nl", "en")}
    except NotFoundError:
        code, name = PLACEHOLDER_GWCODE, {"nl": iso3, "en": iso3}
    return {"gwcode": code, "name": name, **entry}
