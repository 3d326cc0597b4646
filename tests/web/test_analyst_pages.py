"""Issue 12 (the analyst's morning) on the running app: map, charts, country page, API fixes."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from gbvs.config import Settings, load_settings
from gbvs.textmatch import fold
from gbvs.web.app import create_app

from .conftest import forecastbuilder


def test_forecast_csv_carries_the_quantile_columns_of_battle_deaths(client: Any) -> None:
    text = client.get("/api/v1/forecasts?format=csv&target=battle_deaths").text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 1
    row = rows[0]
    assert row["iso3"] == "SYR" and row["p"] == ""
    assert float(row["q50"]) == 40.0 and float(row["q95"]) == 113_761.0 and float(row["q05"]) == 0.0


def test_an_unknown_target_is_a_400_problem_naming_the_valid_ones(client: Any) -> None:
    response = client.get("/api/v1/forecasts?target=foo")
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    detail = response.json()["detail"]
    assert "'foo'" in detail and "incidence" in detail and "closing_electoral" in detail


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_country_page_names_targets_and_colours_opening_apart(client: Any, lang: str) -> None:
    html = client.get(f"/landen/SYR?lang={lang}").text
    assert "opening_economic" not in html and "battle_deaths</th>" not in html
    expected = {"nl": "Groei: economische ruimte", "en": "Opening: economic space"}[lang]  # a row's head
    assert expected in html
    row = next(r for r in html.split("<tr>") if expected in r)
    assert "chance-high" in row and "risk-high" not in row


def test_country_page_formats_numbers_in_dutch_and_names_log_odds(client: Any) -> None:
    html = client.get("/landen/SYR?lang=nl").text
    assert "+1,80" in html and "+1.800" not in html  # the contribution of conflict history, Dutch decimals
    assert "log-odds" in html and "„Overig”" in html
    assert "113.761" in html  # the battle-death range, Dutch thousands separator


def test_battle_death_forecast_chart_is_on_a_log_axis(client: Any) -> None:
    html = client.get("/landen/SYR?lang=en").text
    assert "logarithmic axis" in html
    assert re.search(r'<text class="tick"[^>]*>100,000</text>', html)


def test_small_probabilities_show_below_one_percent(client: Any) -> None:
    html = client.get("/landen/SLV?lang=en").text if False else client.get("/?lang=en").text
    assert ">0%<" not in html


def test_a_year_without_data_says_so_instead_of_showing_another(client: Any) -> None:
    html = client.get("/drijvers?indicator=vdem_v2x_pubcorr&year=1850&lang=en").text
    assert "has no values for 1850" in html
    assert '<option value="1850" selected>' in html
    assert '<td class="num">' not in html.split("<caption>")[-1]  # no ranked values from another year


def test_the_region_filter_zooms_the_map(client: Any) -> None:
    world = client.get("/drijvers?indicator=vdem_v2x_pubcorr&year=2020").text
    sahel = client.get("/drijvers?indicator=vdem_v2x_pubcorr&year=2020&region=sahel").text
    view = lambda html: re.search(r'<svg class="map" viewBox="([^"]+)"', html).group(1)  # noqa: E731
    assert view(world) != view(sahel)
    assert float(view(sahel).split()[2]) < float(view(world).split()[2]) / 3
    assert 'class="outside"' in sahel


def test_map_legend_has_a_zero_class_and_localised_ranges(client: Any) -> None:
    html = client.get("/drijvers?indicator=brd_best&year=2020&lang=nl").text
    if "swatch c-zero" not in html:
        pytest.skip("the small store has no battle deaths of zero in 2020")
    assert "0.00-0.00" not in html


def test_the_api_has_an_index_document_linking_its_collections(client: Any) -> None:
    response = client.get("/api/v1")
    assert response.status_code == 200
    body = response.json()
    assert body["openapi"] == "/api/v1/openapi.json"
    for name in ("forecasts", "watchlist", "countries", "sources", "indicators"):
        assert body["links"][name]["href"] == f"/api/v1/{name}"
    assert all(client.get(link["href"]).status_code in (200, 503) for link in body["links"].values())


def test_pages_name_a_favicon_that_is_served(client: Any) -> None:
    html = client.get("/").text
    href = re.search(r'<link rel="icon" href="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    icon = client.get(href)
    assert icon.status_code == 200 and icon.text.startswith("<svg")


def test_watchlist_page_filters_sorts_and_has_an_onset_view(client: Any) -> None:
    everyone = client.get("/aandachtslijst?lang=en").text
    assert "Syria" in everyone and "Mali" in everyone
    onset = client.get("/aandachtslijst?view=onset&lang=en").text
    rows = re.findall(r'<th scope="row"><a href="/landen/(\w+)">', onset)
    assert rows and "SYR" not in rows  # Syria is at war in the origin year: not an onset case
    by_name = re.findall(
        r'<th scope="row"><a href="/landen/(\w+)">([^<]+)</a>',
        client.get("/aandachtslijst?sort=name&lang=en").text,
    )
    assert [name for _, name in by_name] == sorted((name for _, name in by_name), key=fold)
    searched = client.get("/aandachtslijst?q=syr&lang=en").text
    assert re.findall(r'<th scope="row"><a href="/landen/(\w+)">', searched) == ["SYR"]
    assert client.get("/aandachtslijst?target=foo").status_code == 400


def test_risk_ranking_exports_as_xlsx_with_provenance_and_numbers(client: Any) -> None:
    from openpyxl import load_workbook

    response = client.get("/api/v1/risk-rankings?format=xlsx&lang=nl")
    assert response.status_code == 200 and response.headers["content-type"].startswith(
        "application/vnd.openxmlformats"
    )
    book = load_workbook(io.BytesIO(response.content))
    data, about = book.worksheets
    header = [c.value for c in data[1]]
    row = {k: c.value for k, c in zip(header, data[2], strict=True)}
    assert isinstance(row["p"], float) and row["iso3"] == "SYR"
    assert row["level_name"] == "zeer hoog"  # text columns follow lang
    fields = {r[0].value: r[1].value for r in about.iter_rows(min_row=2)}
    assert fields["modelversie"] == "lgbm-test-1" and fields["trainingsgrens"] == 2023


@pytest.mark.parametrize("path", ["/api/v1/watchlist", "/api/v1/forecasts"])
def test_every_csv_export_has_an_xlsx_twin(client: Any, path: str) -> None:
    from openpyxl import load_workbook

    response = client.get(f"{path}?format=xlsx")
    assert response.status_code == 200
    data = load_workbook(io.BytesIO(response.content)).worksheets[0]
    csv_rows = list(csv.reader(io.StringIO(client.get(f"{path}?format=csv").text)))
    assert data.max_row == len(csv_rows)


def test_an_excel_export_keeps_a_filter_with_control_characters(client: Any) -> None:
    """The API fuzzer's finding: a query key with a backspace ended an Excel export in a 500 (it went
    unfiltered into the provenance sheet). Such a key is no parameter of the export: a 400 naming it. A
    filter's text with control characters is kept on the provenance sheet without them."""
    from openpyxl import load_workbook

    refused = client.get("/api/v1/demspaces-comparisons?format=xlsx&%08odd%1Fkey=1")
    assert refused.status_code == 400, refused.text
    assert [p["name"] for p in refused.json()["invalidParams"]] == ["\x08odd\x1fkey"]
    response = client.get("/api/v1/risk-rankings?format=xlsx&q=%08odd%1Fname")
    assert response.status_code == 200, response.text
    about = load_workbook(io.BytesIO(response.content)).worksheets[1]
    fields = {r[0].value: r[1].value for r in about.iter_rows(min_row=2)}
    assert fields["filter q"] == "oddname"


@pytest.mark.parametrize(
    ("lang", "plain"),
    [
        ("nl", "gegevens tot en met 2023; gemaakt op 1 juni 2026"),
        ("en", "data up to and including 2023; made on 1 June 2026"),
    ],
)
def test_the_data_date_is_plain_with_details_one_click_away(client: Any, lang: str, plain: str) -> None:
    html = client.get(f"/?lang={lang}").text
    assert plain in html
    details = html.split(plain, 1)[1].split("</details>", 1)[0]
    assert ("<summary>" in details and "UCDP" in details) or "vintage" in details.lower()
    made_on = details.split("Gemaakt op" if lang == "nl" else "Made on", 1)[1].split(".", 1)[0]
    assert "2026" in made_on and not re.search(r"\d{2}:\d{2}:\d{2}", made_on), made_on  # no machine stamp


def test_every_page_has_a_country_search_that_works_without_script(client: Any) -> None:
    for path in ("/", "/drijvers", "/aandachtslijst", "/bronnen"):
        assert 'role="search"' in client.get(path).text
    straight = client.get("/landen?q=syr", follow_redirects=False)
    assert straight.status_code == 303 and straight.headers["location"] == "/landen/SYR"
    several = client.get("/landen?q=a&lang=en").text
    assert "Countries matching" in several and "/landen/MLI" in several
    assert "No country matches" in client.get("/landen?q=atlantis&lang=en").text


# issue 12, fix 14: trends and vital interests on pages and in the API
@pytest.mark.parametrize(
    ("lang", "heading", "interest"),
    [
        ("nl", "Multi-orde wereld", "Territoriale veiligheid"),
        ("en", "Multi-order world", "Territorial security"),
    ],
)
def test_trends_and_vital_interests_have_pages_in_both_languages(
    client: Any, lang: str, heading: str, interest: str
) -> None:
    trends = client.get(f"/strategie/trends?lang={lang}").text
    assert trends.count("<h2") == 4 and heading in trends
    assert 'href="/strategie/doelen/' in trends  # the goals addressing the trend's drivers
    interests = client.get(f"/strategie/belangen?lang={lang}").text
    assert interest in interests and interests.count("<h2") == 6
    overview = client.get(f"/strategie?lang={lang}").text
    assert 'href="/strategie/trends"' in overview and 'href="/strategie/belangen"' in overview


def test_trends_and_vital_interests_in_the_api_link_drivers_threats_and_goals(client: Any) -> None:
    trends = client.get("/api/v1/trends").json()
    assert trends["total"] == 4
    around_europe = client.get("/api/v1/trends/instability_around_europe").json()
    assert "climate_change" in around_europe["drivers"] and around_europe["goals"]
    interests = client.get("/api/v1/vital-interests").json()
    assert interests["total"] == 6
    assert all(item["threats"] for item in interests["data"])


def test_country_page_says_why_a_probability_has_no_range_over_seeds(client: Any) -> None:
    html = client.get("/landen/SYR?lang=en").text  # the test run's democratic-space rows have no spread
    assert "the same at every seed (the democratic-space models) or from a run with one seed" in html
    row = next(
        r for r in html.split("<tr>") if "Closing: economic space" in r or "Opening: economic space" in r
    )
    assert '<td class="num">–</td>' in row  # no range of zero width


@pytest.mark.parametrize(
    ("lang", "forecast", "no_alert"),
    [
        (
            "en",
            "in 2024 (1 year ahead, after the last data year 2023)",
            "changed by 50 percentage points or more",
        ),
        (
            "nl",
            "in 2024 (1 jaar vooruit, na het laatste datajaar 2023)",
            "veranderde 50 procentpunten of meer",
        ),
    ],
)
def test_the_overview_names_the_year_forecast_and_the_alert_rule_in_points(
    settings: Settings, small_store: Path, lang: str, forecast: str, no_alert: str
) -> None:
    """'horizon 1 year(s)' left the year to guess (a reader in 2026 took it for 2027), and a jump of
    0.5 in probability read as "50%", a relative change (rules under which no country raises an alert)."""
    quiet = load_settings(data_dir=settings.data_dir, store_path=small_store)
    forecastbuilder.build_forecasts(quiet)
    (settings.data_dir / "watchlist.yaml").write_text("rules: {threshold: 0.99, jump: 0.5}\n")
    with TestClient(create_app(quiet)) as client:
        html = client.get(f"/?lang={lang}").text
    text = re.sub(r"<[^>]+>", "", html)  # "1 year ahead" links to the glossary
    assert forecast in text and no_alert in text


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("nl", ["Nog geen signaleringen", "beginnen bij de tweede run", "liggen 3 landen op of boven"]),
        ("en", ["No alerts yet", "start with the second run", "3 countries are at or above"]),
    ],
)
def test_a_first_run_says_why_it_has_no_alerts_and_how_many_countries_are_above_the_threshold(
    settings: Settings, small_store: Path, lang: str, expected: list[str]
) -> None:
    """After the first run the overview said "no country crossed the alert threshold of 50%" beside a
    list of countries above it: crossing is measured against the previous run too."""
    first = load_settings(data_dir=settings.data_dir, store_path=small_store)
    forecastbuilder.build_first_run(first)
    with TestClient(create_app(first)) as client:
        html = client.get(f"/?lang={lang}").text
    assert all(text in html for text in expected), html[html.find("alerts-h") :][:800]
    assert "crossed the alert threshold" not in html and "passeerde de drempel" not in html
