"""Issue 12: two to four countries side by side, on the page ``/vergelijken`` and in the API (small store)."""

from __future__ import annotations

import csv
import html as markup
import io
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from gbvs import __version__
from gbvs.config import load_settings
from gbvs.web.app import create_app

from .conftest import storebuilder

API = "/api/v1/country-comparisons"
PROBLEM = "application/problem+json"


def _heads(html: str) -> list[str]:
    """The countries heading the columns of the first comparison table."""
    table = html.split("<thead>", 1)[1].split("</thead>", 1)[0]
    return re.findall(r'<th scope="col" class="num"><a href="/landen/(\w+)">', table)


@pytest.mark.parametrize(
    ("lang", "heading", "words"),
    [
        ("nl", "Landen vergelijken", ("Syrië", "Mali", "Integriteit van de publieke sector", "nee: kans op")),
        ("en", "Compare countries", ("Syria", "Mali", "Public sector integrity", "no: onset risk")),
    ],
)
def test_the_page_shows_two_countries_side_by_side(
    client: TestClient, lang: str, heading: str, words: tuple[str, ...]
) -> None:
    response = client.get(f"/vergelijken?landen=SYR,MLI&lang={lang}")
    assert response.status_code == 200, response.text[:500]
    html = response.text
    assert f"<h1>{heading}</h1>" in html and _heads(html) == ["SYR", "MLI"]
    for word in words[:3]:
        assert word in html
    assert words[3] not in html  # both are at war in the origin year: neither is an onset case
    forecasts = html.split('id="forecast-h"', 1)[1].split("</table>", 1)[0]
    assert "92%" in forecasts and "61%" in forecasts  # incidence, next year: Syria and Mali
    median = {"nl": "40 (0–113.761)", "en": "40 (0–113,761)"}[lang]
    assert median in forecasts  # battle deaths: median and 5-95% range (Syria only)
    assert "lgbm-test-1" in html and "2023" in html  # model version and training cutoff
    drivers = html.split('id="drivers-h"', 1)[1].split("</section>", 1)[0]
    decimal = {"nl": "0,530 (2023)", "en": "0.530 (2023)"}[lang]  # the three decimals V-Dem publishes
    assert drivers.count(decimal) == 2  # the latest year with data, per country


def test_the_history_chart_is_on_a_log_axis_with_a_legend_and_titles(client: TestClient) -> None:
    html = client.get("/vergelijken?landen=SYR,MLI,NLD&lang=en").text
    history = html.split('id="history-h"', 1)[1]
    chart = history.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "logarithmic axis" in chart and '<text class="axis-title"' in chart
    assert re.search(r'<text class="tick"[^>]*>1,000</text>', chart)
    legend = re.findall(r'<text class="legend"[^>]*>([^<]+)</text>', chart)
    assert legend == ["Syria", "Mali", "Netherlands"]
    assert "UCDP Battle-Related Deaths Dataset" in history and "24.1" in history  # source and version
    summary = history.split("</table>", 1)[0]
    assert re.search(
        r"Years with armed conflict</th><td class=\"num\">13</td><td class=\"num\">12</td>", summary
    )
    assert "5,000 (2014)" in summary  # Syria's highest year of battle deaths
    peaks = re.search(r"Most battle deaths by conflict in one year</th>(.*?)</tr>", summary)
    assert peaks and re.findall(r"<td[^>]*>([^<]*)</td>", peaks.group(1))[2] == "–"  # no deaths: no peak


@pytest.mark.parametrize(
    "query",
    ["landen=syr,432", "landen=SYR&landen=mli&landen=&landen=", "landen=652&landen=MLI"],
)
def test_codes_are_iso3_in_any_case_or_gleditsch_ward_and_may_come_from_the_form(
    client: TestClient, query: str
) -> None:
    html = client.get(f"/vergelijken?{query}&lang=en").text
    assert _heads(html) == ["SYR", "MLI"]
    assert '<option value="SYR" selected>' in html and '<option value="MLI" selected>' in html


def test_the_empty_form_works_without_script(client: TestClient) -> None:
    response = client.get("/vergelijken?lang=en")
    assert response.status_code == 200
    html = response.text
    assert '<form class="filters" method="get" action="/vergelijken">' in html
    assert html.count('<select id="c-') == 4 and html.count('name="landen"') == 4
    assert 'for="c-1"' in html and "Forecasts</h2>" not in html


@pytest.mark.parametrize(
    ("query", "needles"),
    [
        ("landen=XYZ,SYR", ("'XYZ'", "neither an ISO3 code nor a Gleditsch-Ward code", "SYR or 652")),
        (
            "landen=IRQ,SYR",
            (
                "'IRQ'",
                "no data in the store",
            ),
        ),
        ("landen=SYR", ("you gave 1 (SYR)", "add a country")),
        ("landen=SYR,MLI,UKR,NLD,IRQ", ("you gave 5", "leave out at least 1")),
        ("landen=SYR,652", ("Syria is given twice (SYR, 652)", "choose each country once")),
        ("landen=syr&landen=SYR", ("Syria is given twice (syr, SYR)",)),
    ],
)
def test_a_wrong_choice_is_a_form_error_naming_the_value_and_the_fix(
    client: TestClient, query: str, needles: tuple[str, ...]
) -> None:
    response = client.get(f"/vergelijken?{query}&lang=en")
    assert response.status_code == 400
    html = response.text
    error = markup.unescape(html.split('id="compare-error"', 1)[1].split("</div>", 1)[0])
    for needle in needles:
        assert needle in error
    assert 'aria-describedby="compare-error"' in html and "Forecasts</h2>" not in html


def test_the_form_error_is_in_dutch_on_a_dutch_page(client: TestClient) -> None:
    html = client.get("/vergelijken?landen=SYR").text
    assert "Deze landen zijn niet te vergelijken" in html and "u gaf 1 (SYR)" in html


def test_the_api_returns_the_comparison_the_page_shows(client: TestClient) -> None:
    response = client.get(f"{API}?countries=syr,432&lang=en")
    assert response.status_code == 200, response.text
    body = response.json()
    assert [c["iso3"] for c in body["countries"]] == ["SYR", "MLI"]
    rows = {(r["target"], r["horizon"]): r for r in body["forecasts"]}
    assert [r["target"] for r in body["forecasts"]][:4] == ["incidence"] * 3 + ["war"]
    syria, mali = rows[("incidence", 1)]["values"]
    assert (syria["p"], mali["p"]) == (0.92, 0.61)
    assert syria["model_version"] == "lgbm-test-1" and syria["training_cutoff"] == 2023
    deaths = rows[("battle_deaths", 1)]
    assert deaths["count"] and deaths["values"][1] is None
    assert (deaths["values"][0]["median"], deaths["values"][0]["high"]) == (40.0, 113_761.0)
    assert rows[("opening_economic", 1)]["target_name"] == "opening: economic space"
    driver = next(r for r in body["drivers"] if r["column"] == "vdem_v2x_pubcorr")
    assert [cell["year"] for cell in driver["values"]] == [2023, 2023] and driver["unit"] == "index 0-1"
    assert body["summaries"][0]["conflict_years"] == 13 and body["summaries"][0]["conflict_now"] == 1
    assert {s["table_name"] for s in body["history_sources"]} == {"ucdp_acd", "ucdp_brd"}
    last = body["history"][-1]
    assert last["year"] == 2023 and last["values"][0]["brd_best"] == 4000.0


def test_the_csv_export_is_one_long_table_with_provenance_on_every_row(client: TestClient) -> None:
    response = client.get(f"{API}?countries=SYR,MLI&format=csv&lang=en")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert 'filename="gbvs-comparison-SYR-MLI-' in response.headers["content-disposition"]  # and the day
    rows = list(csv.DictReader(io.StringIO(response.text)))
    sections = {r["section"] for r in rows}
    assert sections == {"forecast", "driver", "history"}
    deaths = next(r for r in rows if r["item"] == "battle_deaths")
    assert (deaths["value"], deaths["low"], deaths["high"]) == ("40.0", "0.0", "113761.0")
    assert all(r["model_version"] == "lgbm-test-1" for r in rows if r["section"] == "forecast")
    history = [r for r in rows if r["section"] == "history" and r["item"] == "brd_best"]
    assert {r["source_version"] for r in history} == {"24.1"} and {r["iso3"] for r in history} == {
        "SYR",
        "MLI",
    }
    assert next(r for r in rows if r["item"] == "incidence")["level_name"] == "very high"
    located = next(
        r for r in rows if r["item"] == "brd_located_best" and r["iso3"] == "SYR" and r["year"] == "2022"
    )
    assert (located["value"], located["low"], located["high"]) == ("1800.0", "1620.0", "2160.0")
    assert located["label"] == "Battle deaths where the fighting happened (best estimate)"
    by_conflict = next(r for r in history if r["iso3"] == "SYR" and r["year"] == "2022")
    assert by_conflict["label"] == "Battle-related deaths by conflict (best estimate)"


PROVENANCE_NAMES = {
    "nl": ("landen", "modelversie", "bron ucdp_brd"),
    "en": ("countries", "model version", "source ucdp_brd"),
}


@pytest.mark.parametrize(
    ("lang", "level", "label"), [("nl", "zeer hoog", "Oorlog"), ("en", "very high", "War")]
)
def test_the_xlsx_export_has_numbers_as_numbers_text_in_the_language_and_provenance(
    client: TestClient, lang: str, level: str, label: str
) -> None:
    from openpyxl import load_workbook

    response = client.get(f"{API}?countries=SYR,MLI&format=xlsx&lang={lang}")
    assert response.status_code == 200 and response.headers["content-type"].startswith(
        "application/vnd.openxmlformats"
    )
    data, about = load_workbook(io.BytesIO(response.content)).worksheets
    header = [cell.value for cell in data[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in data.iter_rows(min_row=2)]
    incidence = next(r for r in rows if r["item"] == "incidence")
    assert isinstance(incidence["value"], float) and incidence["level_name"] == level
    assert isinstance(incidence["training_cutoff"], int)
    assert any(r["item"] == "war" and r["label"] == label for r in rows if r["section"] == "history")
    fields = {r[0].value: r[1].value for r in about.iter_rows(min_row=2)}
    countries, model, source = PROVENANCE_NAMES[lang]  # the provenance sheet's names follow lang too
    assert fields[countries] == "SYR, MLI" and fields[model] == "lgbm-test-1"
    assert "24.1" in fields[source]
    csv_rows = list(csv.reader(io.StringIO(client.get(f"{API}?countries=SYR,MLI&format=csv").text)))
    assert data.max_row == len(csv_rows)  # the same rows as the CSV


@pytest.mark.parametrize(
    ("query", "needle"),
    [
        ("countries=XYZ,SYR", "'XYZ'"),
        ("countries=SYR", "you gave 1 (SYR)"),
        ("countries=SYR,MLI,UKR,NLD,IRQ", "leave out at least 1"),
        ("countries=SYR,syr", "given twice (SYR, syr)"),
        ("countries=SYR,MLI&format=xml", "format"),
    ],
)
def test_a_wrong_choice_is_a_400_problem_naming_the_value(
    client: TestClient, query: str, needle: str
) -> None:
    response = client.get(f"{API}?{query}")
    assert response.status_code == 400
    assert response.headers["content-type"] == PROBLEM
    assert needle in response.json()["detail"]


def test_the_countries_parameter_is_required(client: TestClient) -> None:
    response = client.get(API)
    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalidParams"]] == ["countries"]
    index = client.get("/api/v1").json()["links"]
    assert "country-comparisons" not in index  # the index links only what can be followed as it is


def test_without_a_forecast_run_the_comparison_still_shows_history_and_drivers(
    no_forecast_client: TestClient,
) -> None:
    body = no_forecast_client.get(f"{API}?countries=SYR,MLI").json()
    assert body["forecasts"] == [] and "gbvs forecast" in body["forecast_missing"]
    assert body["drivers"] and body["history"]
    page = no_forecast_client.get("/vergelijken?landen=SYR,MLI&lang=en")
    assert page.status_code == 200 and "gbvs forecast" in page.text


@pytest.mark.parametrize(
    ("lang", "said", "not_said"),
    [
        ("nl", "Nog geen voorspellingsbestand op", "no forecasts file at"),
        ("en", "no forecasts file at", "Nog geen voorspellingsbestand op"),
    ],
)
def test_why_the_comparison_has_no_forecasts_is_in_the_readers_language(
    no_forecast_client: TestClient, lang: str, said: str, not_said: str
) -> None:
    """The reason stood in English (unmarked) on a Dutch page and in the Dutch API answer."""
    page = no_forecast_client.get(f"/vergelijken?landen=SYR,MLI&lang={lang}").text
    notice = page.split('<p class="notice">', 1)[1].split("</p>", 1)[0]
    assert said in notice and not_said not in notice and "gbvs forecast" in notice
    body = no_forecast_client.get(f"{API}?countries=SYR,MLI", headers={"Accept-Language": lang}).json()
    assert body["forecast_missing"].startswith(said)


def test_the_country_page_and_the_watchlist_link_to_the_comparison(client: TestClient) -> None:
    country = client.get("/landen/SYR?lang=en").text
    form = country.split('action="/vergelijken"', 1)[1].split("</form>", 1)[0]
    assert '<input type="hidden" name="landen" value="SYR">' in form
    assert '<option value="MLI">Mali</option>' in form and 'value="SYR">Syria' not in form
    watchlist = client.get("/aandachtslijst?lang=en").text
    link = re.search(r'href="/vergelijken\?landen=([A-Z,]+)"', watchlist)
    assert link and link.group(1) == "SYR,MLI,UKR,NLD"
    assert client.get(f"/vergelijken?landen={link.group(1)}").status_code == 200


@pytest.mark.filterwarnings("ignore::DeprecationWarning:sqlalchemy.*")
def test_remote_mode_guards_the_page_and_the_api(remote_site: Any) -> None:
    headers = {"Authorization": f"Bearer {remote_site.token()}"}
    paths = (
        "/vergelijken?landen=SYR,MLI",
        f"{API}?countries=SYR,MLI",
        f"{API}?countries=SYR,MLI&format=xlsx",
    )
    with TestClient(remote_site.app(), base_url="https://testserver") as client:
        for path in paths:
            assert client.get(path).status_code == 401, path
            answer = client.get(path, headers=headers)
            assert answer.status_code == 200, (path, answer.text[:300])
            assert answer.headers["cache-control"] == "no-store"
            assert client.get(path).status_code == 401, path  # the response cache does not leak past auth


@pytest.mark.parametrize(("lang", "words"), [("nl", "Afgeleid door"), ("en", "Derived by")])
def test_a_derived_indicator_says_who_derived_it_as_the_other_pages_do(
    settings: Any, tmp_path: Path, lang: str, words: str
) -> None:
    """EPR's share of excluded groups cites EPR Core and says GBVS computed it, as the driver monitor and the
    country page say it; a value copied from its source says nothing of the kind."""
    store = storebuilder.build_store(tmp_path / "store.duckdb", epr=True)
    with TestClient(create_app(load_settings(data_dir=settings.data_dir, store_path=store))) as client:
        html = client.get(f"/vergelijken?landen=SYR,MLI&lang={lang}").text
        body = client.get(f"{API}?countries=SYR,MLI").json()
        table = client.get(f"{API}?countries=SYR,MLI&format=csv").text
        monitor = client.get(f"/drijvers?indicator=epr_excluded_share&lang={lang}").text
    by = f"GBVS {__version__} (epr_country_year)"
    drivers = {row["column"]: row for row in body["drivers"]}
    assert drivers["epr_excluded_share"]["derived_by"] == by
    assert drivers["vdem_v2x_pubcorr"]["derived_by"] is None
    row = html.split('href="/drijvers?indicator=epr_excluded_share"', 1)[1].split("</tr>", 1)[0]
    note = f"{words} {by}"
    assert 'href="/bronnen#epr"' in row and "EPR Core 2021" in row and note in row
    assert note in monitor  # the same sentence as the driver monitor's
    other = html.split('href="/drijvers?indicator=vdem_v2x_pubcorr"', 1)[1].split("</tr>", 1)[0]
    assert words not in other
    exported = [r for r in csv.DictReader(io.StringIO(table)) if r["item"] == "epr_excluded_share"]
    assert exported and {r["derived_by"] for r in exported} == {by}
