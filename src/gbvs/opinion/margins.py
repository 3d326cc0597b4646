"""Population margins for raking, read from the offline mirror (checked against their SHA-256).

- ``acs-2017``: US Census ACS 2017 PUMS cells of sex × age (6) × education (3), as the pewmethods
  weighting example uses them for the December 2013 excerpt (the same categories as that file; the
  example rakes on age and sex × education from no base weight, GBVS on the separate margins).
- ``cbs-den-haag-2019``: CBS StatLine 03759ned, population of The Hague on 1 January 2019 by age
  and sex; adults 18+ in the age bands 18-24 ... 65+ (a Dutch example: national CBS margins by age ×
  sex × education are not in the mirror).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from gbvs.errors import InputError, said
from gbvs.opinion.questionnaire import PollDefinition, parse_definition
from gbvs.opinion.reader import locate
from gbvs.opinion.weighting import margins_from_cells

Margins = dict[str, dict[object, float]]
AGE_BANDS = (
    (18, 24, "18-24"),
    (25, 34, "25-34"),
    (35, 44, "35-44"),
    (45, 54, "45-54"),
    (55, 64, "55-64"),
    (65, 200, "65+"),
)


@dataclass(frozen=True)
class MarginSource:
    """A margins file in the mirror and how to turn it into shares per variable."""

    id: str
    file: str
    sha256: str
    citation: str
    build: Callable[[pd.DataFrame], Margins]


def _acs(frame: pd.DataFrame) -> Margins:
    cells: dict[tuple[object, ...], float] = {
        (r["sex"], r["recage"], r["receduc"]): float(r["weight"]) for r in frame.to_dict("records")
    }
    return margins_from_cells(cells, ("sex", "recage", "receduc"))


def age_band(age: int) -> str | None:
    """The adult age band of ``age`` (None under 18)."""
    return next((label for low, high, label in AGE_BANDS if low <= age <= high), None)


def cbs_cells(frame: pd.DataFrame) -> dict[tuple[object, ...], float]:
    """Adults by (sex, age band) from the CBS age × sex table."""
    cells: dict[tuple[object, ...], float] = {}
    for row in frame.to_dict("records"):
        band = age_band(int(row["age"]))
        if band is None:
            continue
        for sex, count in (("man", row["male"]), ("vrouw", row["female"])):
            cells[(sex, band)] = cells.get((sex, band), 0.0) + float(count)
    return cells


def _cbs(frame: pd.DataFrame) -> Margins:
    return margins_from_cells(cbs_cells(frame), ("geslacht", "leeftijd"))


SOURCES = {
    source.id: source
    for source in (
        MarginSource(
            "acs-2017",
            "opinion/pew/acs_2017_raking_margins_sex_age_educ.csv",
            "a9c1d071fa28a7029fdb207395d2c01b1dcd769ede135221d339bbea006c37ec",
            "US Census Bureau, ACS 2017 PUMS, as prepared by Pew Research Center (pewmethods, MIT)",
            _acs,
        ),
        MarginSource(
            "cbs-den-haag-2019",
            "opinion/margins/cbs_03759ned_den_haag_2019_age_sex.csv",
            "1d9b4aec2a14e5a293b31e8186198bc6a992e30a540ce75bbf8c7b40890989a2",
            "CBS StatLine 03759ned, 's-Gravenhage (GM0518), 1 January 2019 (CC BY 4.0)",
            _cbs,
        ),
    )
}


def _as_definition(source: MarginSource) -> PollDefinition:
    document = {
        "id": source.id,
        "title": source.id,
        "file": source.file,
        "sha256": source.sha256,
        "sample_kind": "probability",
        "questions": [],
    }
    return parse_definition(document, source.id)


def read_margin_table(source_id: str, mirror: Path | None) -> pd.DataFrame:
    """The margins file of ``source_id`` as read from the mirror."""
    if source_id not in SOURCES:
        raise InputError(
            said(
                "unknown margins %(margins)s; use one of %(choices)s",
                margins=repr(source_id),
                choices=sorted(SOURCES),
            )
        )
    return pd.read_csv(locate(_as_definition(SOURCES[source_id]), mirror))


def read_margins(source_id: str, mirror: Path | None) -> Margins:
    """Population shares per variable for ``source_id``."""
    table = read_margin_table(source_id, mirror)
    return SOURCES[source_id].build(table)
