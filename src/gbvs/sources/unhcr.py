"""UNHCR Refugee Population Statistics: stocks, new arrivals, asylum applications and IDPs (issue 17).

UNHCR publishes its database through the R package ``refugees`` (PopulationStatistics/refugees) as
R data files (``data/*.rda``); the mirror holds those tables converted to Parquet with the values
unchanged (``displacement/``, version 2025.12.1 at commit 0c16a6d). GBVS reads the Parquet files
only, so this source comes from a mirror: there is no Parquet download to verify against.

Quirks kept as published: UNHCR's own country codes (``coo``, ``coa``) differ from ISO3 (Austria is
``AUS`` there); the ISO3 columns are ``coo_iso`` / ``coa_iso``, with ``UNK`` (unknown origin),
``XXA`` (stateless) and ``TIB`` (Tibetan) for origins that are no country. Years are stored as
whole numbers; counts as published (blank = not reported, kept missing).
"""

from __future__ import annotations

import pandas as pd

from gbvs.sources.base import Column, FileRef, ParseContext, Source, SourceInput, TableSchema, max_year
from gbvs.sources.readers import load_table

VERSION = "refugees 2025.12.1 (0c16a6d)"
REPOSITORY = "https://github.com/PopulationStatistics/refugees/tree/0c16a6d0c2f37d8578f9b9e3d1e4459efe850398"
LAST_YEAR = 2100
PLACE_KEY: tuple[str, ...] = ("year", "coo", "coa")
"""UNHCR's own codes of origin and asylum: unique per year (the ISO3 columns are blank for a few)."""


def _places() -> tuple[Column, ...]:
    """Year and the origin and asylum country columns every UNHCR table shares."""
    return (
        Column("year", "int", nullable=False, min=1951, max=LAST_YEAR),
        Column("coo_name", "str"),
        Column("coo", "str", nullable=False),
        Column("coo_iso", "str"),
        Column("coa_name", "str"),
        Column("coa", "str", nullable=False),
        Column("coa_iso", "str"),
    )


def _counts(*names: str) -> tuple[Column, ...]:
    return tuple(Column(name, "float", min=0) for name in names)


POPULATION = TableSchema(
    "unhcr_population",
    (
        *_places(),
        *_counts(
            "refugees",
            "asylum_seekers",
            "returned_refugees",
            "idps",
            "returned_idps",
            "stateless",
            "ooc",
            "oip",
            "hst",
        ),
    ),
    key=PLACE_KEY,
    min_rows=100_000,
    vintage=max_year("year"),
    from_input="population",
)
FLOWS = TableSchema(
    "unhcr_flows",
    (*_places(), *_counts("refugees", "asylum_seekers", "refugee_like", "oip")),
    key=PLACE_KEY,
    min_rows=50_000,
    vintage=max_year("year"),
    from_input="flows",
)
ASYLUM_APPLICATIONS = TableSchema(
    "unhcr_asylum_applications",
    (
        *_places(),
        Column("procedure_type", "str", nullable=False),
        Column("app_type", "str", nullable=False),
        Column("dec_level", "str", nullable=False),
        Column("app_pc", "str", nullable=False, allowed=frozenset({"P", "C"})),
        Column("applied", "float", min=0),
    ),
    key=(*PLACE_KEY, "procedure_type", "app_type", "dec_level", "app_pc"),
    min_rows=50_000,
    vintage=max_year("year"),
    from_input="asylum_applications",
)
IDMC = TableSchema(
    "unhcr_idmc",
    (*_places(), *_counts("total")),
    key=("year", "coo"),
    min_rows=500,
    vintage=max_year("year"),
    from_input="idmc",
)
COUNTRIES = TableSchema(
    "unhcr_countries",
    (
        Column("iso_code", "str"),
        Column("unhcr_code", "str", nullable=False),
        Column("name", "str", nullable=False),
        Column("unhcr_region", "str"),
        Column("unsd_region", "str"),
        Column("unsd_subregion", "str"),
    ),
    key=("unhcr_code",),
    min_rows=200,
    from_input="countries",
)
TABLES: dict[str, TableSchema] = {
    "population": POPULATION,
    "flows": FLOWS,
    "asylum_applications": ASYLUM_APPLICATIONS,
    "idmc": IDMC,
    "countries": COUNTRIES,
}
FILES: dict[str, tuple[str, str]] = {
    "population": (
        "unhcr_population_1951_2023.parquet",
        "7dd4684e3eb1608aacacceab6f3e7f0ac04fda740609a4aa8b481b0fca52a73d",
    ),
    "flows": (
        "unhcr_flows_1962_2023.parquet",
        "492d94e7f8d0ac03002a88ac44802dd5596e198e068437fba972b692d9e99336",
    ),
    "asylum_applications": (
        "unhcr_asylum_applications_2000_2023.parquet",
        "377613b191dab436a8118cde5b8af134233cbe7d8698f88fcb35d60733667876",
    ),
    "idmc": (
        "unhcr_idmc_1990_2023.parquet",
        "1d3abd3eebb7f44addd1331aab3a702a994672e5c548699cee19c899243d932c",
    ),
    "countries": (
        "unhcr_countries.parquet",
        "8ea2ed39d347bf99b12cef3f6d10f6d92806b96befbb1c9814c1aefbb866c28b",
    ),
}


def _parse(context: ParseContext) -> dict[str, pd.DataFrame]:
    return {schema.name: load_table(context.file(key), schema) for key, schema in TABLES.items()}


def _input(key: str) -> SourceInput:
    name, sha256 = FILES[key]
    return SourceInput(
        key,
        (
            FileRef(
                "displacement",
                name,
                VERSION,
                sha256=sha256,
                note=f"data/{key}.rda of {REPOSITORY}, converted to Parquet (values unchanged)",
            ),
        ),
    )


SOURCE = Source(
    id="unhcr",
    title="UNHCR Refugee Population Statistics",
    description=(
        "Forcibly displaced people by year, country of origin and country of asylum: stocks (refugees, "
        "asylum seekers, IDPs, others in need of international protection), new arrivals, asylum "
        "applications, and IDMC's conflict IDPs."
    ),
    producer="UNHCR, the UN Refugee Agency (IDPs: Internal Displacement Monitoring Centre)",
    licence="CC BY 4.0",
    citation=(
        "UNHCR (2025). Refugee Population Statistics Database, via the R package refugees 2025.12.1. "
        "https://www.unhcr.org/refugee-statistics/"
    ),
    homepage="https://www.unhcr.org/refugee-statistics/",
    inputs=tuple(_input(key) for key in TABLES),
    tables=tuple(TABLES.values()),
    parse=_parse,
    required=False,
    notes=(
        "Mirror only: UNHCR publishes these tables as R data files in PopulationStatistics/refugees; "
        "the mirror's displacement/ folder holds them as Parquet.",
    ),
)
