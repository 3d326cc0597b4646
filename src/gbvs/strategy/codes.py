"""The country-code table strategy files are checked against: ISO3 -> Gleditsch-Ward code.

It is the data shipped inside the ``country_converter`` package (``country_data.tsv``, the table
behind ``coco.CountryConverter().data``). We read the file directly because building
``CountryConverter()`` fails under pandas 3 (Namibia's ISO2 code ``NA`` is read as missing).
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from functools import cache
from importlib import resources

CODE_TABLE = "country_converter/country_data.tsv"


@cache
def country_codes() -> Mapping[str, int | None]:
    """Every ISO3 code known to country_converter, with its Gleditsch-Ward code (None if it has none)."""
    table = resources.files("country_converter").joinpath("country_data.tsv")
    with table.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    current = [row for row in rows if not row.get("obsolete")]
    obsolete = [row for row in rows if row.get("obsolete")]
    codes: dict[str, int | None] = {}
    for row in obsolete + current:  # current rows win over obsolete ones with the same ISO3
        codes[row["ISO3"]] = int(row["GWcode"]) if row.get("GWcode") else None
    return codes
