"""Country names as datasets write them -> ISO3, with country_converter's own patterns.

country_converter matches a name against one regular expression per country (its ``regex``
column); the same patterns are used here directly, so GBVS needs no ``CountryConverter`` object
(which fails to build under pandas 3). A name that matches no country, or several, gives None.
"""

from __future__ import annotations

import re
from functools import cache

from gbvs.countries.data import converter_rows
from gbvs.countries.identity import all_countries


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    rows = (row for row in converter_rows() if row.get("regex") and not row.get("obsolete"))
    return tuple((re.compile(row["regex"], re.IGNORECASE), row["ISO3"]) for row in rows)


@cache
def iso2_to_iso3() -> dict[str, str]:
    """ISO 3166 alpha-2 -> alpha-3 (STIX locations use alpha-2)."""
    return {c.iso2: c.iso3 for c in all_countries().values() if c.iso2}


@cache
def iso3_to_iso2() -> dict[str, str]:
    """ISO 3166 alpha-3 -> alpha-2."""
    return {iso3: iso2 for iso2, iso3 in iso2_to_iso3().items()}


@cache
def iso3_from_name(name: str) -> str | None:
    """ISO3 for a name such as ``"Russian Federation"`` or ``"US"``; None when unknown or ambiguous."""
    text = name.strip()
    if len(text) == 2 and text.upper() in iso2_to_iso3():
        return iso2_to_iso3()[text.upper()]
    if len(text) == 3 and text.upper() in all_countries():
        return text.upper()
    found = {iso3 for pattern, iso3 in _patterns() if pattern.search(text)}
    return found.pop() if len(found) == 1 else None
