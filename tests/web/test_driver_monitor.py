"""The driver monitor's default year and ranks (driver review): a well-covered year, shared ranks for ties."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from fastapi.testclient import TestClient

from gbvs import __version__
from gbvs.config import Settings, load_settings
from gbvs.web.app import create_app
from gbvs.web.queries.drivers import YearCoverage, competition_ranks, default_year

from .conftest import storebuilder


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
    syria_row = '<a href="/landen/SYR">Syrië</a></th><td class="num">3,025</td>'  # V-Dem's three decimals
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


def _ranking(html: str) -> str:
    return html[html.index('<table class="sortable">') :].split("</table>")[0]


def test_the_monitor_shows_each_value_with_the_indicators_decimals(client: TestClient) -> None:
    """An analyst found V-Dem's 0.500 as "0,5" in the ranking and "0,500" on the country page: the monitor
    and the comparison now show the indicator's own decimals, as the country page does."""
    ranking = _ranking(client.get("/drijvers?indicator=vdem_v2x_pubcorr&year=2020").text)
    assert '<td class="num">0,500</td>' in ranking and '<td class="num">0,5</td>' not in ranking
    compared = client.get("/vergelijken?landen=SYR,MLI").text
    row = compared.split('href="/drijvers?indicator=vdem_v2x_pubcorr"', 1)[1].split("</tr>", 1)[0]
    assert "0,530 (2023)" in row
    body = client.get("/api/v1/country-comparisons?countries=SYR,MLI").json()
    assert {row["column"]: row["decimals"] for row in body["drivers"]}["vdem_v2x_pubcorr"] == 3


def test_the_monitor_names_the_driver_and_quotes_the_strategy(client: TestClient) -> None:
    """Each indicator says which driver of §2.2 it measures, in the strategy's words, and which other
    indicators measure it; conflict history says it is no driver of the strategy."""
    html = client.get("/drijvers?indicator=vdem_v2x_pubcorr&year=2020&lang=en").text
    assert "Driver: <strong>Illegitimate governance and human rights violations</strong>" in html
    assert "<q>Illegitimate governance, whether or not in a tribal setting" in html
    assert "§2.2, lijst ontwikkelingen die onveiligheid kunnen veroorzaken, p. 15" in html
    assert 'href="/strategie/trends#trend-instability_around_europe"' in html
    assert 'href="/drijvers?indicator=polity_durable&amp;year=2020">Regime durability</a>' in html
    assert "Other indicators of illegitimate governance: " in html
    assert '<optgroup label="Illegitimate governance">' in html
    conflict = client.get("/drijvers?indicator=brd_best&year=2020&lang=nl").text
    assert "Conflictgeschiedenis is geen drijver van instabiliteit uit de strategie" in conflict


def test_the_map_says_how_its_classes_are_made() -> None:
    """The legend gave class ranges without saying how they were found, nor that skewed values (battle
    deaths) are classed on a log scale; the caption says both."""
    from gbvs.web.pages.drivers import _classes_note
    from gbvs.web.shading import log_scaled

    deaths = [0.0] * 30 + [30.0, 60.0, 90.0, 400.0, 900.0, 81_000.0]
    assert log_scaled(deaths) and not log_scaled([0.2, 0.3, 0.5, 0.9])
    even, skewed = _classes_note(str, False), _classes_note(str, True)
    assert "natural breaks (Fisher-Jenks, with mapclassify)" in even and "logarithmic" not in even
    assert "a colour means something else in another year" in even and "logarithmic scale" in skewed


def test_the_map_caption_is_on_the_page(client: TestClient) -> None:
    html = client.get("/drijvers?indicator=vdem_v2x_pubcorr&year=2020").text
    caption = html[html.index("<figcaption>") : html.index("</figcaption>")]
    assert "natuurlijke breuken (Fisher-Jenks, met mapclassify)" in caption


def test_the_comparison_names_sources_in_the_page_language(client: TestClient) -> None:
    """The comparison's source column showed the stored English title on a Dutch page, where the driver
    monitor shows it in Dutch."""
    monitor = client.get("/drijvers?indicator=polity_durable&year=2018&lang=nl").text
    title = monitor.split('<a href="/bronnen#polity5">', 1)[1].split("</a>", 1)[0]
    assert title == '<span lang="en">Polity5</span>'  # a title with no Dutch text is marked as English
    compared = client.get("/vergelijken?landen=SYR,MLI&lang=nl").text
    row = compared.split('href="/drijvers?indicator=polity_durable"', 1)[1].split("</tr>", 1)[0]
    assert f'<a href="/bronnen#polity5">{title}</a>' in row


@pytest.mark.integration
def test_real_figures_equal_the_source_files_on_every_page(real_client: TestClient, mirror: Path) -> None:
    """Sudan 2023: V-Dem's vertical accountability is 0.175 in the file; the country page said 0,18 and the
    comparison 0,175. Every page now shows the file's figure; the comparison names the source in Dutch."""
    published = pd.read_csv(mirror / "vdem" / "demspaces_dv_data_1968_2023.csv")
    sudan = published[(published.gwcode == 625) & (published.year == 2023)].iloc[0]
    shown = f"{float(sudan.v2x_veracc_osp):.3f}".replace(".", ",")
    assert shown == "0,175"
    country = real_client.get("/landen/SDN?lang=nl").text
    assert f'<th scope="row">2023</th><td class="num">{shown}</td>' in country
    ranking = _ranking(real_client.get("/drijvers?indicator=vdem_v2x_veracc_osp&year=2023&lang=nl").text)
    assert f'<a href="/landen/SDN">Soedan</a></th><td class="num">{shown}</td>' in ranking
    compared = real_client.get("/vergelijken?landen=SDN,SSD&lang=nl").text
    row = compared.split('href="/drijvers?indicator=vdem_v2x_veracc_osp"', 1)[1].split("</tr>", 1)[0]
    assert f"{shown} (2023)" in row and "Indices van V-Dem per landjaar" in row and "six indices" not in row


@pytest.mark.integration
def test_real_battle_death_map_says_it_is_classed_on_a_log_scale(real_client: TestClient) -> None:
    deaths = real_client.get("/drijvers?indicator=brd_best&year=2022&lang=nl").text
    caption = deaths[deaths.index("<figcaption>") : deaths.index("</figcaption>")]
    assert "logaritmische schaal" in caption and "Fisher-Jenks" in caption
    index = real_client.get("/drijvers?indicator=vdem_v2x_veracc_osp&year=2023&lang=nl").text
    assert "logaritmische schaal" not in index[index.index("<figcaption>") : index.index("</figcaption>")]


def test_the_ranking_names_the_countries_without_a_value(settings: Settings, tmp_path: Path) -> None:
    """The ranking said only how many countries have a value ("3 of 4"); it now names who has none (as the
    map's hatching shows), within the focus region too, and says that ranks follow the unrounded values."""
    store = storebuilder.build_store(tmp_path / "store.duckdb")
    with duckdb.connect(str(store)) as con:
        con.execute(
            "update panel_country_year set vdem_v2x_pubcorr = null where gwcode = 432 and year = 2020"
        )
    with TestClient(create_app(load_settings(data_dir=settings.data_dir, store_path=store))) as client:
        html = client.get("/drijvers?indicator=vdem_v2x_pubcorr&year=2020&lang=nl").text
        sahel = client.get("/drijvers?indicator=vdem_v2x_pubcorr&year=2020&region=sahel&lang=en").text
        europe = client.get("/drijvers?indicator=vdem_v2x_pubcorr&year=2020&region=western_balkans").text
        whole = client.get("/drijvers?indicator=vdem_v2x_pubcorr&year=2019&lang=nl").text
    assert "3 van 4 landen hebben een waarde voor 2020." in html
    assert (
        "Landen zonder waarde voor 2020 (niet gerangschikt, op de kaart gearceerd als geen gegevens): Mali."
        in html
    )
    assert "Countries without a value for 2020 (not ranked, hatched on the map as no data): Mali." in sahel
    assert "zonder waarde" not in europe and "zonder waarde" not in whole
    assert "De rang volgt de onafgeronde waarde" in html


def test_years_are_told_as_runs() -> None:
    from gbvs.web.pages.countries import _runs

    assert _runs([2008, 1990, 1991, 2006, 2007]) == [(1990, 1991), (2006, 2008)] and _runs([]) == []


@pytest.mark.integration
def test_real_country_page_says_why_gapminder_figures_are_empty(real_client: TestClient) -> None:
    """Sudan's poverty, water and women's figures started in 2012 and Serbia's skipped 2006-2008 without a
    word: Gapminder describes today's Sudan and Serbia, so the state-years with another territory (with
    South Sudan; with Kosovo) stay empty. The page now says so; Germany, whose West German years Gapminder
    has as a country of its own, and Mali say nothing of the kind."""
    sudan = real_client.get("/landen/SDN?lang=nl").text
    assert "In 1990–2011 had deze staat een ander grondgebied, dus blijven ze voor die jaren leeg" in sudan
    serbia = real_client.get("/landen/SRB?lang=en").text
    assert "In 2006–2008 this state held another territory" in serbia
    for iso3 in ("DEU", "MLI"):
        assert "ander grondgebied, dus blijven ze" not in real_client.get(f"/landen/{iso3}?lang=nl").text
