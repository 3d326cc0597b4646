"""Gapminder Systema Globalis: 50 country-year indicators, their concept metadata and geo entities.

Offline, the mirror's wide Parquet (one column per Gapminder concept id, keyed by ``geo``, ``time``)
is read. Online without a mirror, the same table is assembled from the World Bank WDI API
(:mod:`gbvs.sources.wdi`); concepts WDI does not carry are then empty. The vintage is the last
year in which at least ``VINTAGE_MIN_INDICATORS`` indicators have data, because population-type
columns carry UN WPP projections to 2100.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from gbvs.sources import wdi
from gbvs.sources.base import Column, FileRef, ParseContext, Source, SourceInput, TableSchema
from gbvs.sources.readers import load_table

INDICATORS = (
    "age_at_1st_marriage_women",
    "aged_15_24_unemployment_rate_percent",
    "agricultural_water_withdrawal_percent_of_total",
    "agriculture_percent_of_gdp",
    "aid_received_per_person_current_us",
    "armed_forces_personnel_percent_of_labor_force",
    "arms_imports_sipri_tiv",
    "at_least_basic_water_source_overall_access_percent",
    "battle_deaths_per_100_000",
    "children_and_elderly_per_100_adults",
    "democracy_score_use_as_color",
    "drought_affected_annual_number",
    "drought_deaths_annual_number",
    "extreme_poverty_percent_people_below_300_a_day",
    "extreme_temperature_affected_annual_number",
    "females_aged_15plus_labour_force_participation_rate_percent",
    "flood_affected_annual_number",
    "food_supply_kilocalories_per_person_and_day",
    "gdppercapita_growth_percent_per_year",
    "gdppercapita_us_inflation_adjusted",
    "gnipercapita_ppp_current_international",
    "hdi_human_development_index",
    "income_per_person_with_projections",
    "income_share_of_poorest_10percent",
    "income_share_of_richest_10percent",
    "inequality_index_gini",
    "infant_mortality_rate_per_1000_births",
    "inflation_annual_percent",
    "internal_renewable_water_cu_meters_per_person",
    "life_expectancy_at_birth_data_from_ihme",
    "literacy_rate_adult_total_percent_of_people_ages_15_and_above",
    "males_aged_15_24_unemployment_rate_percent",
    "maternal_mortality_ratio_who",
    "mean_years_in_school_women_percent_men_25_to_34_years",
    "median_age_years",
    "military_expenditure_percent_of_gdp",
    "murder_per_100000_people",
    "population_density_per_square_km",
    "population_growth_annual_percent",
    "poverty_percent_people_below_420_a_day",
    "ratio_of_girls_to_boys_in_primary_and_secondary_education_perc",
    "renewable_water_cu_meters_per_person",
    "sex_ratio_15_24_years",
    "teen_fertility_rate_births_per_1000_women_ages_15_19",
    "total_population_with_projections",
    "total_water_withdrawal_billion_cu_meters",
    "under_five_mortality_from_cme_per_1000_born",
    "urban_population_growth_annual_percent",
    "urban_population_percent_of_total",
    "water_withdrawal_cu_meters_per_person",
)
PERCENT_SHARES = (
    "urban_population_percent_of_total",
    "income_share_of_poorest_10percent",
    "income_share_of_richest_10percent",
)
VINTAGE_MIN_INDICATORS = 20
SNAPSHOT = "open-numbers/ddf--gapminder--systema_globalis @ c63631ab (2026-02/03)"


def observed_vintage(frame: pd.DataFrame) -> str | None:
    """Last year in which at least VINTAGE_MIN_INDICATORS indicators have any value (skips projections)."""
    present = [name for name in INDICATORS if name in frame.columns]
    counts = (frame[present].notna().groupby(frame["time"]).any()).sum(axis=1)
    years = counts[counts >= VINTAGE_MIN_INDICATORS].index
    return str(int(max(years))) if len(years) else None


def _indicator(name: str) -> Column:
    if name in PERCENT_SHARES:
        return Column(name, "float", min=0, max=100)
    if name.endswith(("_number", "_tiv", "_with_projections")) or "deaths" in name:
        return Column(name, "float", min=0)
    return Column(name, "float")


WIDE = TableSchema(
    "gapminder",
    (
        Column("geo", "str", nullable=False),
        Column("time", "int", nullable=False, min=1000, max=2100),
        *map(_indicator, INDICATORS),
    ),
    key=("geo", "time"),
    from_input="wide",
    accumulates=False,  # its two routes (Systema Globalis, the WDI API) differ in coverage
    min_rows=1000,
    vintage=observed_vintage,
)
CONCEPTS = TableSchema(
    "gapminder_concepts",
    (
        Column("concept", "str", nullable=False),
        Column("name", "str", nullable=False),
        *(Column(n, "str") for n in ("description", "source", "source_url")),
    ),
    key=("concept",),
    from_input="concepts",
    accumulates=False,  # its two routes (Systema Globalis, the WDI API) differ in coverage
    min_rows=len(INDICATORS),
)
GEO = TableSchema(
    "gapminder_geo",
    (
        Column("country", "str", nullable=False),
        Column("name", "str", nullable=False),
        Column("iso3166_1_alpha2", "str"),
        Column("iso3166_1_alpha3", "str"),
        Column("iso3166_1_numeric", "int", min=0, max=999, optional=True),
        Column("is--country", "bool"),
        *(
            Column(n, "str", optional=True)
            for n in ("world_4region", "world_6region", "income_groups", "un_state")
        ),
    ),
    key=("country",),
    from_input="geo",
    accumulates=False,  # its two routes (Systema Globalis, the WDI API) differ in coverage
    min_rows=150,
)


def _parse(context: ParseContext) -> dict[str, pd.DataFrame]:
    return {
        "gapminder": load_table(context.file("wide"), WIDE),
        "gapminder_concepts": load_table(context.file("concepts"), CONCEPTS),
        "gapminder_geo": load_table(context.file("geo"), GEO),
    }


def _ref(name: str, sha256: str) -> FileRef:
    return FileRef("gapminder", name, SNAPSHOT, sha256=sha256)


WDI_NOTE = "World Bank WDI route: only the concepts WDI carries have values"


def _wdi_ref(name: str, build: Callable[[Any, Path], None]) -> FileRef:
    return FileRef("gapminder", name, "World Bank WDI API", url=wdi.API, build=build, note=WDI_NOTE)


WDI_WIDE = _wdi_ref(
    "wdi_selected_wide.parquet", lambda client, path: wdi.build_wide(client, path, INDICATORS)
)
WDI_CONCEPTS = _wdi_ref(
    "wdi_selected_concepts.csv", lambda _client, path: wdi.build_concepts(path, INDICATORS)
)
WDI_GEO = _wdi_ref("wdi_geo_entities.csv", wdi.build_geo)


SOURCE = Source(
    id="gapminder",
    title="Gapminder Systema Globalis (50 indicators)",
    description=(
        "Country-year indicators for the instability drivers: income, poverty, inequality, population, "
        "water, health, military."
    ),
    producer="Gapminder Foundation (compiling WDI, UN WPP, FAO AQUASTAT, EM-DAT, SIPRI, IGME and others)",
    licence="CC BY 4.0 (Gapminder)",
    citation=(
        "Gapminder Foundation. Systema Globalis, "
        "https://github.com/open-numbers/ddf--gapminder--systema_globalis (upstream sources per indicator "
        "in gapminder_concepts)."
    ),
    homepage="https://www.gapminder.org/data/",
    inputs=(
        SourceInput(
            "wide",
            (
                _ref(
                    "systema_globalis_selected_wide.parquet",
                    "d7fe9499ca32b4b1c80402329ce10662ade215fc2d4c43a819feedf03b03e447",
                ),
                WDI_WIDE,
            ),
        ),
        SourceInput(
            "concepts",
            (
                _ref(
                    "systema_globalis_selected_concepts.csv",
                    "b69bf1d53e80e067fdaf8630a952176bc1d3de41b9ade3bd26a731fa5bcb2b3d",
                ),
                WDI_CONCEPTS,
            ),
        ),
        SourceInput(
            "geo",
            (
                _ref(
                    "systema_globalis_geo_entities.csv",
                    "96ab7731dc5c4a5c28bc136e79558194ba96cd20795a642c5ad0b2ea49b25840",
                ),
                WDI_GEO,
            ),
        ),
    ),
    tables=(WIDE, CONCEPTS, GEO),
    parse=_parse,
    notes=("Columns named by Gapminder concept id; WPP-based columns include projections to 2100.",),
)
