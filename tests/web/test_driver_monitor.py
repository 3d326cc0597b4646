"""The driver monitor's default year and ranks (driver review): a well-covered year, shared ranks for ties."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from gbvs import __version__
from gbvs.config import Settings, load_settings
from gbvs.web.app import create_app
from gbvs.web.queries.drivers import YearCoverage, competition_ranks, default_year


def test_equal_values_share_a_rank() -> None:
    assert competition_ranks([-10.0, -9.0, -9.0, -7.0, -7.0, -7.0, 0.0]) == [1, 2, 2, 4, 4, 4, 7]
    assert competition_ranks([]) == []


def test_the_default_year_is_the_latest_with_half_the_best_coverage() -> None:
    coverage = [YearCoverage(year=y, countries=n, states=170) for y, n in [(2020, 1), (2019, 1), (2018, 162)]]
    assert default_year(coverage) == 2018
    assert default_year([YearCoverage(year=2023, countries=81, states=170), *coverage]) == 2023
    assert default_year([]) is None


@pytest.fixture
def real_client(settings: Settings, ingested_store: Any) -> Iterator[TestClient]:
    app = create_app(load_settings(data_dir=settings.data_dir, store_path=ingested_store.path))
    with TestClient(app, base_url="http://localhost") as client:
        yield client


@pytest.mark.integration
def test_real_polity_opens_on_2018_and_says_its_coverage(real_client: TestClient) -> None:
    html = real_client.get("/drijvers?indicator=polity_factional&lang=en").text
    assert "Factional political competition, 2018" in html
    assert (
        "162 of 174 countries have a value for 2018." in html and "latest year with a value is 2020" in html
    )
    body = real_client.get("/api/v1/indicators/polity_polity2/values?pageSize=200").json()
    rows = {row["iso3"]: row for row in body["data"]}
    assert {row["year"] for row in rows.values()} == {2018} and rows["USA"]["countries_with_data"] == 162
    # ranked by value (risk peaks in the middle); Saudi Arabia and North Korea, both -10, share the rank
    assert rows["SAU"]["ranked_by"] == "value" and rows["SAU"]["rank"] == rows["PRK"]["rank"]
    assert rows["SAU"]["source_version"] == "p5v2018" and rows["SAU"]["unit"] == "score -10..10"


@pytest.mark.integration
def test_real_drought_zeros_share_one_rank(real_client: TestClient) -> None:
    url = "/api/v1/indicators/gm_drought_affected_annual_number/values?year=2023&pageSize=200"
    rows = real_client.get(url).json()["data"]
    zeros = {row["rank"] for row in rows if row["value"] == 0}
    assert len(zeros) == 1 and zeros.pop() == 1 + sum(row["value"] > 0 for row in rows)


@pytest.mark.integration
def test_real_epr_figures_cite_epr_core_and_say_gbvs_derived_them(real_client: TestClient) -> None:
    url = "/api/v1/indicators/epr_excluded_share/values?year=2021&pageSize=200"
    rows = {row["iso3"]: row for row in real_client.get(url).json()["data"]}
    syria = rows["SYR"]
    assert (syria["source"], syria["source_version"], syria["data_vintage"]) == (
        "Ethnic Power Relations (EPR) Core",
        "EPR Core 2021",
        "2021",
    )
    assert syria["derived_by"].startswith("GBVS ") and syria["derived_by"].endswith("(epr_country_year)")
    table = real_client.get(url + "&format=csv").text
    first = next(csv.DictReader(io.StringIO(table)))
    assert first["source_version"] == "EPR Core 2021" and first["licence"].startswith("ETH ICR")
    assert first["citation"].startswith("Vogt, Manuel") and first["derived_by"] == syria["derived_by"]
    geo = real_client.get(url + "&format=geojson").json()
    assert [p["table_name"] for p in geo["provenance"]] == ["epr"] and geo["derived_by"] == syria[
        "derived_by"
    ]
    # a value copied from its source says no GBVS derivation; one GBVS computes (a UCDP flag) does
    gdp = real_client.get("/api/v1/indicators/gm_gdppercapita_us_inflation_adjusted/values?pageSize=1")
    assert gdp.json()["data"][0]["derived_by"] is None
    war = real_client.get("/api/v1/indicators/war/values?year=2020&pageSize=1").json()["data"][0]
    assert war["source_version"].startswith("25.1") and war["derived_by"].endswith("(panel_country_year)")


@pytest.mark.integration
def test_real_epr_pages_cite_epr_core_not_the_derived_table(real_client: TestClient) -> None:
    pages = {
        "nl": real_client.get("/drijvers?indicator=epr_excluded_share").text,
        "en": real_client.get("/landen/SYR?lang=en").text,
    }
    by = f"GBVS {__version__} (epr_country_year)"
    derived = {"nl": f"Afgeleid door {by}", "en": f"Derived by {by}"}
    for lang, html in pages.items():
        assert 'href="/bronnen#epr"' in html and "EPR Core 2021" in html
        assert 'href="/bronnen#epr_country_year"' not in html
        assert derived[lang] in html


@pytest.mark.integration
def test_real_country_panel_gives_each_columns_provenance(real_client: TestClient) -> None:
    body = real_client.get("/api/v1/countries/SYR/panels?pageSize=1").json()
    provenance = {item["column"]: item for item in body["provenance"]}
    assert list(provenance) == list(body["data"][0])  # every column, in the rows' order
    epr = provenance["epr_excluded_share"]
    assert (epr["source_version"], epr["data_vintage"], epr["tables"]) == ("EPR Core 2021", "2021", ["epr"])
    assert epr["licence"].startswith("ETH ICR") and epr["citation"].startswith("Vogt, Manuel")
    assert epr["derived_by"].endswith("(epr_country_year)")
    gdp = provenance["gm_gdppercapita_us_inflation_adjusted"]
    assert gdp["tables"] == ["gapminder"] and gdp["licence"] == "CC BY 4.0 (Gapminder)"
    assert gdp["derived_by"] is None and gdp["data_vintage"] == "2024"
    assert provenance["gwcode"]["tables"] == ["gw_states"]
    assert provenance["brd_best"]["source_version"] == "24.1" and provenance["brd_best"]["derived_by"]


@pytest.mark.integration
def test_real_vdem_polarisation_and_women_are_driver_indicators(
    real_client: TestClient, mirror: Path
) -> None:
    published = pd.read_parquet(
        mirror / "vdem" / "vdemlite_v14_1970_2023.parquet",
        columns=["country_text_id", "year", "v2cacamps", "v2x_gender"],
    )
    syria = published[(published.country_text_id == "SYR") & (published.year == 2022)].iloc[0]
    for column, source, risk in (
        ("vdem14_v2cacamps", "v2cacamps", 1),
        ("vdem14_v2x_gender", "v2x_gender", -1),
    ):
        url = f"/api/v1/indicators/{column}/values?year=2022&pageSize=200"
        rows = {row["iso3"]: row for row in real_client.get(url).json()["data"]}
        assert rows["SYR"]["value"] == pytest.approx(float(syria[source]))
        assert rows["SYR"]["source_version"] == "14" and rows["SYR"]["data_vintage"] == "2023"
        assert rows["SYR"]["derived_by"] is None and rows["SYR"]["countries_with_data"] >= 170
        # rank 1 = the most risk: the most polarised, the weakest position of women
        first = min(rows.values(), key=lambda row: row["rank"])
        assert first["value"] == (max if risk == 1 else min)(row["value"] for row in rows.values())
    assert float(syria["v2cacamps"]) == pytest.approx(3.025) and float(syria["v2x_gender"]) == pytest.approx(
        0.295
    )
    drivers = {
        "nl": real_client.get("/drijvers?indicator=vdem14_v2cacamps&year=2022").text,
        "en": real_client.get("/drijvers?indicator=vdem14_v2x_gender&year=2022&lang=en").text,
    }
    syria_row = '<a href="/landen/SYR">Syrië</a></th><td class="num">3,02</td>'  # three significant digits
    assert "Politieke polarisatie, 2022" in drivers["nl"] and syria_row in drivers["nl"]
    assert "Een hogere waarde betekent meer risico." in drivers["nl"]
    assert "Women&#39;s political empowerment, 2022" in drivers["en"] and "0.295" in drivers["en"]
    assert "A higher value means less risk." in drivers["en"] and "V-Dem" in drivers["en"]
    country = {lang: real_client.get(f"/landen/SYR?lang={lang}").text for lang in ("nl", "en")}
    assert "Politieke polarisatie" in country["nl"] and "Politieke empowerment van vrouwen" in country["nl"]
    assert "Political polarisation" in country["en"] and "Women&#39;s political empowerment" in country["en"]


@pytest.mark.integration
def test_real_country_panel_api_has_vdem_polarisation_and_women(real_client: TestClient) -> None:
    body = real_client.get("/api/v1/countries/SYR/panels?pageSize=100").json()
    syria = next(row for row in body["data"] if row["year"] == 2022)
    assert syria["vdem14_v2cacamps"] == pytest.approx(3.025, abs=5e-4)
    assert syria["vdem14_v2x_gender"] == pytest.approx(0.295, abs=5e-4)
    assert "vdem14_v2x_polyarchy" not in syria  # the wide panel's other columns are no driver indicators
    provenance = {item["column"]: item for item in body["provenance"]}
    for column in ("vdem14_v2cacamps", "vdem14_v2x_gender"):
        item = provenance[column]
        assert (item["source_version"], item["data_vintage"], item["tables"]) == ("14", "2023", ["vdem_v14"])
        assert item["source"].startswith("V-Dem") and item["licence"].startswith("CC BY-SA 4.0")
        assert item["derived_by"] is None


@pytest.mark.integration
def test_real_country_page_says_deaths_in_territories_of_another_state_are_shown_nowhere(
    real_client: TestClient,
) -> None:
    nl = real_client.get("/landen/SSD").text
    en = real_client.get("/landen/SSD?lang=en").text
    assert "staan nergens" in nl and "Zuid-Soedan vóór 2011" in nl
    assert "are shown nowhere" in en and "South Sudan before 2011" in en
