"""The packaged tables behind :mod:`gbvs.countries`, read once (no other I/O).

- country_converter's ``country_data.tsv`` (ISO2/ISO3, short name, continent, ``GWcode``); read
  directly because building ``coco.CountryConverter()`` fails under pandas 3 (Namibia's ISO2 ``NA``
  is read as missing). The mirror's ``codes/`` file is the same version (1.3.2).
- ``gleditsch_ward.yaml`` beside this module: the Gleditsch-Ward exceptions and the crosswalks
  of other code systems.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from importlib import resources
from typing import Any

import yaml


@cache
def converter_rows() -> tuple[dict[str, str], ...]:
    """The rows of country_converter's table; current rows after obsolete ones with the same ISO3."""
    table = resources.files("country_converter").joinpath("country_data.tsv")
    with table.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return tuple([r for r in rows if r.get("obsolete")] + [r for r in rows if not r.get("obsolete")])


@cache
def exceptions() -> dict[str, Any]:
    """``gleditsch_ward.yaml``: spells, polity, cow, gapminder, natural_earth_iso3."""
    text = resources.files("gbvs.countries").joinpath("gleditsch_ward.yaml").read_text(encoding="utf-8")
    loaded: dict[str, Any] = yaml.safe_load(text)
    return loaded


def names_by_language(section: str) -> dict[str, dict[str, str]]:
    """A ``gleditsch_ward.yaml`` table of names: code -> {language: name}."""
    return {str(k): {str(lang): str(n) for lang, n in v.items()} for k, v in exceptions()[section].items()}


def iso2_of(value: str) -> str | None:
    """An ISO2 code from the table's ISO2 cell (a few cells hold a pattern such as ``^GB$|^UK$``)."""
    found = re.findall(r"[A-Z]{2}", value or "")
    return found[0] if found else None
