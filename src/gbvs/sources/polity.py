"""Polity5 annual country-year regime data (Center for Systemic Peace).

Documented quirk: Polity's country-year file has occasionally held two rows for one ``ccode`` and
``year`` (a regime change within the year, e.g. Yugoslavia/Serbia 1991 in earlier releases). The
parser keeps the last row per (ccode, year) - the regime in force at the end of the year - and
reports how many rows it dropped; the mirror's p5v2018 file has none.
"""

from __future__ import annotations

import pandas as pd

from gbvs.sources.base import Column, FileRef, ParseContext, Source, SourceInput, TableSchema, max_year
from gbvs.sources.readers import load_table

SPECIAL_CODES = frozenset({-66, -77, -88})
"""Polity's codes for interruption (-66), interregnum (-77) and transition (-88)."""


def _score(name: str, low: int, high: int) -> Column:
    return Column(name, "int", allowed=frozenset(range(low, high + 1)) | SPECIAL_CODES)


POLITY5 = TableSchema(
    "polity5",
    (
        Column("ccode", "int", nullable=False, min=2, max=999),
        Column("scode", "str", nullable=False),
        Column("country", "str", nullable=False),
        Column("year", "int", nullable=False, min=1776, max=2100),
        _score("democ", 0, 10),
        _score("autoc", 0, 10),
        _score("polity", -10, 10),
        Column("polity2", "int", min=-10, max=10),
        Column("durable", "int", min=0),
        *(
            Column(name, "int")
            for name in ("p5", "cyear", "flag", "fragment", "xrreg", "xrcomp", "xropen", "xconst")
        ),
        *(Column(name, "int") for name in ("parreg", "parcomp", "exrec", "exconst", "polcomp")),
    ),
    key=("ccode", "year"),
    min_rows=1000,
    vintage=max_year("year"),
)


def drop_duplicate_years(frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Keep the last row per (ccode, year); return the frame and the number of rows dropped."""
    kept = frame.drop_duplicates(["ccode", "year"], keep="last").reset_index(drop=True)
    return kept, len(frame) - len(kept)


def _parse_polity(context: ParseContext) -> dict[str, pd.DataFrame]:
    frame, _dropped = drop_duplicate_years(load_table(context.file("annual"), POLITY5))
    return {"polity5": frame}


SOURCE = Source(
    id="polity5",
    title="Polity5 Annual Time-Series",
    description=(
        "Regime authority characteristics per country-year: democracy, autocracy and combined polity2 "
        "(-10..10)."
    ),
    producer="Center for Systemic Peace (CSP/INSCR)",
    licence=(
        "CSP/INSCR terms: free for research and non-commercial use, with citation (no open licence stated)"
    ),
    citation=(
        "Marshall, Monty G. & Ted Robert Gurr (2020). Polity5: Political Regime Characteristics and "
        "Transitions, 1800-2018. Center for Systemic Peace."
    ),
    homepage="https://www.systemicpeace.org/inscrdata.html",
    inputs=(
        SourceInput(
            "annual",
            (
                FileRef(
                    "polity",
                    "polity5_p5v2018.csv",
                    "p5v2018",
                    sha256="f723b319a62adc40dbb3110026ba673fc04ca57072fcfaaf70da4e10e09a1e6f",
                    note="version label inferred from columns and coverage",
                ),
            ),
        ),
    ),
    tables=(POLITY5,),
    parse=_parse_polity,
    notes=("Duplicate (ccode, year) rows are resolved by keeping the last (end-of-year regime).",),
)
