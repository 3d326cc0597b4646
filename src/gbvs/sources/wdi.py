"""The World Bank WDI API as the online route for the Gapminder indicators.

When neither the mirror nor the cache holds the Gapminder Systema Globalis files, the same
country-year indicators are assembled from the World Bank's World Development Indicators API
(``WDI_CODES`` maps each Gapminder concept to the WDI series it comes from). Concepts that WDI does
not carry (FAO food supply, EM-DAT disasters, IHME life expectancy, Gapminder's own series, ...)
stay empty in that case; ``gapminder_concepts`` then names the WDI series as the source.
The files are built into the download cache (Parquet for the values, CSV for concepts and
geo entities), so the rest of the pipeline reads them like the mirror files.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pandas as pd

from gbvs.errors import SourceMissingError, Term, said

API = "https://api.worldbank.org/v2"
PER_PAGE = 20000
WDI_CODES: dict[str, str] = {
    "aged_15_24_unemployment_rate_percent": "SL.UEM.1524.ZS",
    "males_aged_15_24_unemployment_rate_percent": "SL.UEM.1524.MA.ZS",
    "agricultural_water_withdrawal_percent_of_total": "ER.H2O.FWAG.ZS",
    "agriculture_percent_of_gdp": "NV.AGR.TOTL.ZS",
    "aid_received_per_person_current_us": "DT.ODA.ODAT.PC.ZS",
    "armed_forces_personnel_percent_of_labor_force": "MS.MIL.TOTL.TF.ZS",
    "arms_imports_sipri_tiv": "MS.MIL.MPRT.KD",
    "at_least_basic_water_source_overall_access_percent": "SH.H2O.BASW.ZS",
    "extreme_poverty_percent_people_below_300_a_day": "SI.POV.DDAY",
    "females_aged_15plus_labour_force_participation_rate_percent": "SL.TLF.CACT.FE.ZS",
    "gdppercapita_growth_percent_per_year": "NY.GDP.PCAP.KD.ZG",
    "gdppercapita_us_inflation_adjusted": "NY.GDP.PCAP.KD",
    "gnipercapita_ppp_current_international": "NY.GNP.PCAP.PP.CD",
    "income_share_of_poorest_10percent": "SI.DST.FRST.10",
    "income_share_of_richest_10percent": "SI.DST.10TH.10",
    "inequality_index_gini": "SI.POV.GINI",
    "infant_mortality_rate_per_1000_births": "SP.DYN.IMRT.IN",
    "inflation_annual_percent": "FP.CPI.TOTL.ZG",
    "internal_renewable_water_cu_meters_per_person": "ER.H2O.INTR.PC",
    "literacy_rate_adult_total_percent_of_people_ages_15_and_above": "SE.ADT.LITR.ZS",
    "maternal_mortality_ratio_who": "SH.STA.MMRT",
    "military_expenditure_percent_of_gdp": "MS.MIL.XPND.GD.ZS",
    "murder_per_100000_people": "VC.IHR.PSRC.P5",
    "population_density_per_square_km": "EN.POP.DNST",
    "population_growth_annual_percent": "SP.POP.GROW",
    "ratio_of_girls_to_boys_in_primary_and_secondary_education_perc": "SE.ENR.PRSC.FM.ZS",
    "teen_fertility_rate_births_per_1000_women_ages_15_19": "SP.ADO.TFRT",
    "total_population_with_projections": "SP.POP.TOTL",
    "total_water_withdrawal_billion_cu_meters": "ER.H2O.FWTL.K3",
    "under_five_mortality_from_cme_per_1000_born": "SH.DYN.MORT",
    "urban_population_growth_annual_percent": "SP.URB.GROW",
    "urban_population_percent_of_total": "SP.URB.TOTL.IN.ZS",
}
"""Gapminder concept id -> WDI series code, for the concepts whose upstream is (or is in) WDI."""
WDI_FIX = Term(
    "try again later, or use a mirror (GBVS_MIRROR) that holds the Gapminder Systema Globalis files"
)
"""What to do when the World Bank's API does not answer as documented."""


def indicator_url(code: str) -> str:
    """The API URL of one WDI series for all countries."""
    return f"{API}/country/all/indicator/{code}?format=json&per_page={PER_PAGE}"


def _json(response: httpx.Response) -> object:
    """The answer's JSON body, or its first characters when it is not JSON (an error page)."""
    try:
        return response.json()
    except ValueError:
        return response.text


def _pages(client: httpx.Client, url: str) -> Iterator[list[dict[str, Any]]]:
    page, pages = 1, 1
    while page <= pages:
        response = client.get(f"{url}&page={page}")
        if response.status_code != 200:
            raise SourceMissingError(
                said(
                    "World Bank WDI API request %(url)s failed: HTTP %(status)s; %(fix)s",
                    url=url,
                    status=response.status_code,
                    fix=WDI_FIX,
                )
            )
        body = _json(response)
        if not isinstance(body, list) or len(body) < 2 or not isinstance(body[0], dict):
            raise SourceMissingError(
                said(
                    "World Bank WDI API request %(url)s returned an unexpected answer: %(answer)s; %(fix)s",
                    url=url,
                    answer=str(body)[:200],
                    fix=WDI_FIX,
                )
            )
        pages = int(body[0].get("pages", 1))
        yield body[1] or []
        page += 1


def countries(client: httpx.Client) -> pd.DataFrame:
    """WDI economies that are countries (aggregates dropped): iso3, iso2, name."""
    rows = [row for page in _pages(client, f"{API}/country?format=json&per_page=400") for row in page]
    frame = pd.DataFrame(
        {
            "iso3": [row["id"] for row in rows],
            "iso2": [row.get("iso2Code") for row in rows],
            "name": [row.get("name") for row in rows],
            "aggregate": [(row.get("region") or {}).get("value") == "Aggregates" for row in rows],
        }
    )
    return frame[~frame["aggregate"]].drop(columns="aggregate").reset_index(drop=True)


def series(client: httpx.Client, code: str) -> pd.DataFrame:
    """One WDI series as (iso3, year, value)."""
    rows = [row for page in _pages(client, indicator_url(code)) for row in page]
    return pd.DataFrame(
        {
            "iso3": [row.get("countryiso3code") for row in rows],
            "year": pd.to_numeric([row.get("date") for row in rows], errors="coerce"),
            "value": pd.to_numeric([row.get("value") for row in rows], errors="coerce"),
        }
    ).dropna(subset=["year", "value"])


def build_wide(client: httpx.Client, target: Path, indicators: tuple[str, ...]) -> None:
    """Write the Gapminder-shaped wide Parquet (geo, time, one column per concept) from WDI."""
    known = set(countries(client)["iso3"])
    wide: pd.DataFrame | None = None
    for concept, code in WDI_CODES.items():
        values = series(client, code)
        values = values[values["iso3"].isin(known)]
        column = values.rename(columns={"value": concept}).set_index(["iso3", "year"])[[concept]]
        wide = column if wide is None else wide.join(column, how="outer")
    assert wide is not None
    wide = wide.reset_index().rename(columns={"iso3": "geo", "year": "time"})
    wide["geo"] = wide["geo"].str.lower()
    wide["time"] = wide["time"].astype("int64")
    for concept in indicators:
        if concept not in wide.columns:
            wide[concept] = float("nan")
    wide[["geo", "time", *indicators]].to_parquet(target, index=False)


def build_concepts(target: Path, indicators: tuple[str, ...]) -> None:
    """Write the concepts CSV: each concept with its WDI series as source (empty when not in WDI)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["concept", "name", "description", "source", "source_url"])
    for concept in indicators:
        code = WDI_CODES.get(concept)
        source = f"World Bank WDI {code}" if code else "not in WDI (empty on the WDI route)"
        url = f"https://data.worldbank.org/indicator/{code}" if code else ""
        writer.writerow([concept, concept.replace("_", " "), source, source, url])
    target.write_text(buffer.getvalue(), encoding="utf-8")


def build_geo(client: httpx.Client, target: Path) -> None:
    """Write the geo entities CSV from the WDI country list (geo = lower-case ISO3)."""
    frame = countries(client)
    out = pd.DataFrame(
        {
            "country": frame["iso3"].str.lower(),
            "name": frame["name"],
            "iso3166_1_alpha2": frame["iso2"],
            "iso3166_1_alpha3": frame["iso3"],
            "is--country": "TRUE",
        }
    )
    out.to_csv(target, index=False, lineterminator="\n")
