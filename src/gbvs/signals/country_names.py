"""Country names and ISO codes as the signal datasets write them, via country_converter's table.

(To move into the one country module of issue 9 when it lands.)
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

_COCO_INT_COLUMNS = ("ISOnumeric", "UNcode", "FAOcode", "GBDcode", "EURO", "UN", "UNmember", "obsolete")


@cache
def _converter() -> Any:
    """country_converter's matcher, loaded so that Namibia's ISO2 code ``NA`` stays a string.

    country_converter 1.3.2 fails to load its own table under pandas 3 (``NA`` is read as missing),
    so its table is read here with that value kept and handed to it as a frame.
    """
    import country_converter

    logging.getLogger("country_converter").setLevel(logging.ERROR)
    path = Path(country_converter.__file__).with_name("country_data.tsv")
    table = pd.read_csv(path, sep="\t", encoding="utf-8", keep_default_na=False, na_values=[""], dtype=object)
    for column in _COCO_INT_COLUMNS:
        table[column] = pd.to_numeric(table[column], errors="coerce")
    return country_converter.CountryConverter(country_data=table)


@cache
def iso3_from_name(name: str) -> str | None:
    """ISO3 for a country name as these datasets write it (``"Russian Federation"``, ``"US"``), else None."""
    converter = _converter()
    found = converter.convert(name, to="ISO3", not_found=None)
    return found if isinstance(found, str) and found != name and found in _iso3_codes() else None


@cache
def _iso3_codes() -> frozenset[str]:
    return frozenset(_converter().data["ISO3"])


@cache
def iso2_to_iso3() -> dict[str, str]:
    """ISO 3166 alpha-2 -> alpha-3 (STIX locations use alpha-2)."""
    table = _converter().data
    return {str(a2): str(a3) for a2, a3 in zip(table["ISO2"], table["ISO3"], strict=True) if a2 and a3}


@cache
def iso3_to_iso2() -> dict[str, str]:
    """ISO 3166 alpha-3 -> alpha-2."""
    return {a3: a2 for a2, a3 in iso2_to_iso3().items()}
