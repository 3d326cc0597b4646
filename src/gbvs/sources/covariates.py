"""Country-year covariates by Gleditsch-Ward code: population, age structure, GDP, child mortality,
food security, water, located battle deaths (poldat), coups, population and state age (DemSpaces).

``poldat_static_world`` (kvelleby/poldat) gathers WDI, PWT, Maddison, Wittgenstein Centre and FAO
series per ``gwcode``-year 1946-2023; GBVS keeps the columns in :data:`POLDAT_KEPT`. Its battle deaths
(``best``, ``low``, ``high``) are *located where the fighting happened* (UCDP GED summed by country
from 1989, PRIO before; none for 2023), unlike the dyadic BRD series of the conflict panel; they are
stored as ``brd_located_best`` / ``_low`` / ``_high``. The DemSpaces external data
(andybega/ds-external-data) give Powell-Thyne coups, population (thousands) and the age of each state.
"""

from __future__ import annotations

import pandas as pd

from gbvs.sources.base import Column, FileRef, ParseContext, Source, SourceInput, TableSchema, max_year
from gbvs.sources.readers import load_table, read_parquet
from gbvs.sources.schema import cast_frame

DS_REPO = (
    "https://raw.githubusercontent.com/andybega/ds-external-data/e421def8d83acc5b641c38d6800e51517d582f62"
)
POLDAT_KEPT: tuple[str, ...] = (
    "population", "pop_grwt", "gdppc", "gdppc_grwt", "youth", "working", "elderly", "ydr", "tdr",
    "wdi_imr", "wdi_undernourishment", "stunting_pct", "wasting_pct", "basic_water_pct", "e_wbgi_gee",
    "e_wbgi_vae",
)  # fmt: skip
LOCATED_DEATHS = {"best": "brd_located_best", "low": "brd_located_low", "high": "brd_located_high"}
COUPS_KEPT: tuple[str, ...] = (
    "pt_attempt", "pt_coup", "pt_attempt_num5yrs", "pt_coup_num5yrs", "pt_attempt_num10yrs",
    "years_since_last_pt_attempt", "years_since_last_pt_coup",
)  # fmt: skip
KEYS = (
    Column("gwcode", "int", nullable=False, min=2, max=999),
    Column("year", "int", nullable=False, min=1816, max=2100),
)

POLDAT = TableSchema(
    "poldat_country_year",
    (
        *KEYS,
        *(Column(name, "float") for name in POLDAT_KEPT),
        *(Column(name, "float", min=0) for name in LOCATED_DEATHS.values()),
    ),
    key=("gwcode", "year"),
    min_rows=1000,
    vintage=max_year("year"),
    keep_undeclared=False,
    from_input="poldat",
)
COUPS = TableSchema(
    "ptcoups",
    (*KEYS, *(Column(name, "float", min=0) for name in COUPS_KEPT)),
    key=("gwcode", "year"),
    min_rows=1000,
    vintage=max_year("year"),
    keep_undeclared=False,
    from_input="coups",
)
POPULATION = TableSchema(
    "ds_population",
    (*KEYS, Column("pop", "float", min=0)),
    key=("gwcode", "year"),
    min_rows=1000,
    vintage=max_year("year"),
    from_input="population",
)
STATE_AGE = TableSchema(
    "gw_state_age",
    (*KEYS, Column("state_age", "int", min=0)),
    key=("gwcode", "year"),
    min_rows=1000,
    vintage=max_year("year"),
    from_input="state_age",
)


def _poldat(context: ParseContext) -> pd.DataFrame:
    located = context.file("poldat")
    frame = read_parquet(located.path).rename(columns=LOCATED_DEATHS)
    return cast_frame(frame[[c.name for c in POLDAT.columns]], POLDAT, located.label)


def _parse(context: ParseContext) -> dict[str, pd.DataFrame]:
    return {
        "poldat_country_year": _poldat(context),
        "ptcoups": load_table(context.file("coups"), COUPS),
        "ds_population": load_table(context.file("population"), POPULATION),
        "gw_state_age": load_table(context.file("state_age"), STATE_AGE),
    }


def _ds_ref(name: str, sha256: str, path: str) -> FileRef:
    return FileRef(
        "covariates", name, "e421def", sha256=sha256, url=f"{DS_REPO}/{path}", download_sha256=sha256
    )


SOURCE = Source(
    id="covariates",
    title="Country-year covariates (poldat, DemSpaces external data)",
    description=(
        "Population and age structure, GDP, child mortality, food security, water, located battle deaths "
        "(poldat), Powell-Thyne coups, population and state age (DemSpaces)."
    ),
    producer="K. Velleby (poldat); A. Beger (ds-external-data); from WDI, PWT, Maddison, WCDE, FAO, UCDP",
    licence=(
        "MIT (poldat package; WDI CC BY 4.0, PWT CC BY 4.0, Maddison CC BY 4.0, WCDE CC BY 4.0, FAO); "
        "ds-external-data has no licence file: development and testing only"
    ),
    citation=(
        "Velleby, K. poldat (static_world), github.com/kvelleby/poldat; Powell, J. & Thyne, C. (2011) "
        "Global instances of coups from 1950 to 2010, Journal of Peace Research 48(2); Beger, A. "
        "ds-external-data, github.com/andybega/ds-external-data."
    ),
    homepage="https://github.com/kvelleby/poldat",
    inputs=(
        SourceInput(
            "poldat",
            (
                FileRef(
                    "covariates",
                    "poldat_static_world_1946_2023.parquet",
                    "9cdbec6",
                    sha256="6156b135230c49ad7083f7a52d82ab96cb0bd78ac30ac7f6c60a6e0ed0f40843",
                    note="kvelleby/poldat @ 9cdbec6, data/static_world.rda converted to Parquet; mirror only",
                ),
            ),
        ),
        SourceInput(
            "coups",
            (
                _ds_ref(
                    "demspaces_ptcoups.csv",
                    "f60d1c41624f0dc2fca76fb214a53a013b9aed3278e3ddf3380357fcf6f69c9b",
                    "ptcoups/output/ptcoups.csv",
                ),
            ),
        ),
        SourceInput(
            "population",
            (
                _ds_ref(
                    "demspaces_population.csv",
                    "130670a8fe6e55ad2175cd40213c061b8e9e29fb3c282f9c4d7c637683c8569f",
                    "population/output/population.csv",
                ),
            ),
        ),
        SourceInput(
            "state_age",
            (
                _ds_ref(
                    "demspaces_gw_state_age.csv",
                    "e265d1a677ba1b9df84678bf18d3619084bd13e4b8d10c86a58fff4bda78d590",
                    "gw-state-age/output/gwstate-age.csv",
                ),
            ),
        ),
    ),
    tables=(POLDAT, COUPS, POPULATION, STATE_AGE),
    parse=_parse,
    required=False,
    notes=(
        "Battle deaths in poldat_country_year are located where the fighting happened (GED); the panel's "
        "brd_* columns are UCDP BRD dyads split over their locations.",
    ),
)
