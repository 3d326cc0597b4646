"""DemSpaces v14 beside GBVS (issue 11 point 5): the country page's section and the API resource."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest
from fastapi.testclient import TestClient

from gbvs.config import load_settings
from gbvs.web.app import create_app

PATH = "/api/v1/countries/SYR/demspaces"


def test_api_puts_their_latest_forecast_beside_ours_with_source_and_version(client: Any) -> None:
    body = client.get(PATH).json()
    assert (body["source"], body["version"], body["iso3"]) == ("DemSpaces", "v14", "SYR")
    assert "demspaces_forecasts=Democratic Spaces Barometer forecasts v14" in body["provenance"]
    pairs = {(row["space"], row["direction"]): row for row in body["latest"]}
    opening = pairs[("economic", "opening")]
    assert opening["demspaces_from_year"] == 2022 and opening["demspaces_for_years"] == "2023 - 2024"
    assert opening["demspaces_p"] == pytest.approx(0.3) and opening["gbvs_p"] == pytest.approx(0.62)
    assert opening["gbvs_origin"] == 2023 and opening["difference"] == pytest.approx(0.32)
    closing = pairs[("economic", "closing")]
    assert closing["demspaces_p"] == pytest.approx(0.05) and closing["gbvs_p"] is None


def test_api_lists_their_record_with_outcomes_coded_as_demspaces_codes_them(client: Any) -> None:
    """The test panel's economic index rises 0.01 a year, above the cutpoint 0.009: every window
    holds an opening and no closing; the window of 2022 (2023-2024) is not yet observed."""
    past = client.get(PATH).json()["past"]
    outcome = {(row["from_year"], row["direction"]): row["outcome"] for row in past}
    assert outcome[(2019, "opening")] == 1 and outcome[(2019, "closing")] == 0
    assert outcome[(2021, "opening")] == 1
    assert outcome[(2022, "opening")] is None
    assert [row["from_year"] for row in past][:2] == [2022, 2022]  # newest first


def test_api_gives_both_models_skill_on_the_same_rows(client: Any) -> None:
    skill = {(row["direction"], row["model"]): row for row in client.get(PATH).json()["skill"]}
    assert skill[("closing", "GBVS")]["ap"] == pytest.approx(0.63)
    assert skill[("closing", "DemSpaces v14")]["ap"] == pytest.approx(0.6)
    assert skill[("closing", "GBVS")]["trained_on"] == "outcomes_known_at_origin"
    assert skill[("closing", "DemSpaces v14")]["trained_on"] == "outcomes_after_origin"


@pytest.mark.parametrize(
    ("lang", "theirs", "note"),
    [
        (
            "nl",
            "ook uitkomsten van na het voorspelmoment",
            "De twee backtests zijn niet op dezelfde manier gemaakt",
        ),
        ("en", "also outcomes after the forecast date", "The two backtests are not made the same way"),
    ],
)
@pytest.mark.parametrize("path", ["/landen/SYR", "/modelprestaties"])
def test_pages_say_what_each_models_past_forecasts_were_trained_on(
    client: Any, path: str, lang: str, theirs: str, note: str
) -> None:
    """DemSpaces' published past forecasts used outcomes not known at the time: both tables that put
    their skill beside ours say so per row, and the note under them says why."""
    html = client.get(f"{path}?lang={lang}").text
    row = html[html.index(theirs) - 400 : html.index(theirs)]
    assert "DemSpaces v14" in row  # on the DemSpaces row, not on ours
    assert note in html and "modelrunner/R/rf.R" in html


@pytest.mark.parametrize(
    ("lang", "why"),
    [
        ("nl", "Twee ruimtes van één land hebben soms precies dezelfde GBVS-kans"),
        ("en", "Two spaces of one country sometimes have exactly the same GBVS probability"),
    ],
)
@pytest.mark.parametrize("path", ["/landen/SYR", "/democratische-ruimte"])
def test_pages_say_why_two_spaces_can_have_the_same_probability(
    client: Any, path: str, lang: str, why: str
) -> None:
    """One pooled model per direction and the bound rule give spaces alike on every split the same
    probability (BACKTEST.md, "Equal probabilities"); where both models' forecasts are listed, the page
    says so, so an analyst does not take it for a copying error."""
    html = client.get(f"{path}?lang={lang}").text
    assert why in html


def test_csv_carries_source_version_and_provenance_in_every_row(client: Any) -> None:
    response = client.get(f"{PATH}?format=csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 8  # 4 forecast years x 2 directions
    assert {(r["source"], r["version"]) for r in rows} == {("DemSpaces", "v14")}
    assert all("demspaces_forecasts=" in r["provenance"] for r in rows)


def test_unknown_country_is_a_problem_not_a_crash(client: Any) -> None:
    response = client.get("/api/v1/countries/XXX/demspaces")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize(
    ("lang", "heading", "disagree"),
    [
        ("nl", "Democratische ruimtes: DemSpaces v14 naast GBVS", "de modellen verschillen"),
        ("en", "Democratic spaces: DemSpaces v14 beside GBVS", "the models disagree"),
    ],
)
def test_country_page_shows_demspaces_beside_ours_in_both_languages(
    client: Any, lang: str, heading: str, disagree: str
) -> None:
    html = client.get(f"/landen/SYR?lang={lang}").text
    assert f'<h2 id="demspaces-h">{heading}</h2>' in html
    assert disagree in html  # 62% against 30%: 32 points apart
    assert 'href="#demspaces"' in html and f'href="{PATH}?format=csv"' in html
    assert "2023 - 2024" in html and "2024–2025" in html  # both windows, labelled


def test_a_country_without_demspaces_forecasts_has_no_section(client: Any) -> None:
    html = client.get("/landen/NLD").text
    assert 'id="demspaces"' not in html and 'href="#demspaces"' not in html


@pytest.mark.parametrize(
    ("api", "page"), [(PATH, "/landen/SYR"), ("/api/v1/demspaces-comparisons", "/democratische-ruimte")]
)
def test_remote_mode_guards_the_demspaces_resources(remote_site: Any, api: str, page: str) -> None:
    secret = remote_site.token()
    with TestClient(remote_site.app()) as remote:
        for path in (api, page):
            assert remote.get(path, follow_redirects=False).status_code in (401, 303), path
        ok = remote.get(api, headers={"Authorization": f"Bearer {secret}"})
        assert ok.status_code == 200 and ok.json()["version"] == "v14"


# --- every country: /democratische-ruimte and /api/v1/demspaces-comparisons -------------------------
COMPARISONS = "/api/v1/demspaces-comparisons"


def _pairs(body: dict[str, Any]) -> list[tuple[str, str, float | None]]:
    return [(r["iso3"], r["direction"], r["difference"]) for r in body["data"]]


def test_comparisons_list_every_pair_largest_difference_first(client: Any) -> None:
    """Syria's opening is 32 points apart, Mali's closing 5; the pairs without our forecast come last,
    by country name (storebuilder.DEMSPACES_PUBLISHED)."""
    body = client.get(f"{COMPARISONS}?lang=en").json()
    assert _pairs(body) == [
        ("SYR", "opening", pytest.approx(0.32)),
        ("MLI", "closing", pytest.approx(-0.05)),
        ("MLI", "opening", None),
        ("SYR", "closing", None),
        ("UKR", "closing", None),
        ("UKR", "opening", None),
    ]
    first = body["data"][0]
    assert (first["demspaces_from_year"], first["gbvs_origin"], first["name"]) == (2022, 2023, "Syria")
    assert (body["source"], body["version"]) == ("DemSpaces", "v14") and body["disagree"] == 0.2
    assert "demspaces_forecasts=" in body["provenance"]
    assert body["run"]["model_version"] == "lgbm-test-1" and body["run"]["training_cutoff"] == 2023


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("minDifference=0.2", [("SYR", "opening")]),
        ("minDifference=0.01", [("SYR", "opening"), ("MLI", "closing")]),
        ("direction=closing", [("MLI", "closing"), ("SYR", "closing"), ("UKR", "closing")]),
        ("space=economic&direction=opening", [("SYR", "opening"), ("MLI", "opening"), ("UKR", "opening")]),
        ("space=electoral", []),
    ],
)
def test_comparisons_filter_by_difference_direction_and_space(client: Any, query: str, expected: Any) -> None:
    body = client.get(f"{COMPARISONS}?{query}&lang=en").json()
    assert [(iso3, direction) for iso3, direction, _ in _pairs(body)] == expected


def test_comparisons_filter_by_focus_region(client: Any) -> None:
    """A region that holds some of the three countries with DemSpaces forecasts keeps exactly those."""
    every = {r["iso3"] for r in client.get(COMPARISONS).json()["data"]}
    regions = client.get("/api/v1/regions?pageSize=100").json()["data"]
    region = next(r for r in regions if set(r["iso3"]) & every and not every <= set(r["iso3"]))
    kept = {r["iso3"] for r in client.get(f"{COMPARISONS}?region={region['region']['id']}").json()["data"]}
    assert kept == every & set(region["iso3"]) and kept


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("direction=sideways", "sideways"),
        ("space=cultural", "cultural"),
        ("minDifference=2", "minDifference"),
    ],
)
def test_a_wrong_filter_is_a_problem_that_names_it(client: Any, query: str, named: str) -> None:
    response = client.get(f"{COMPARISONS}?{query}")
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    assert named in response.text


def test_comparisons_export_with_both_provenances_in_every_row(client: Any) -> None:
    response = client.get(f"{COMPARISONS}?format=csv&minDifference=0.01")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [(r["iso3"], r["direction"]) for r in rows] == [("SYR", "opening"), ("MLI", "closing")]
    assert {(r["source"], r["version"], r["model_version"], r["training_cutoff"]) for r in rows} == {
        ("DemSpaces", "v14", "lgbm-test-1", "2023")
    }
    assert all("demspaces_forecasts=" in r["provenance"] for r in rows)
    workbook = client.get(f"{COMPARISONS}?format=xlsx")
    assert workbook.status_code == 200 and workbook.content[:2] == b"PK"
    layer = client.get(f"{COMPARISONS}?format=geojson&minDifference=0.2").json()
    assert [f["properties"]["iso3"] for f in layer["features"]] == ["SYR"]
    assert layer["features"][0]["properties"]["version"] == "v14" and layer["run"]["run_id"]


@pytest.mark.parametrize(
    ("lang", "heading", "disagree", "close"),
    [
        (
            "nl",
            "Democratische ruimte: waar GBVS en DemSpaces verschillen",
            "de modellen verschillen",
            "dicht bij elkaar",
        ),
        ("en", "Democratic space: where GBVS and DemSpaces disagree", "the models disagree", "close"),
    ],
)
def test_overview_page_lists_disagreements_first_and_everything_on_request(
    client: Any, lang: str, heading: str, disagree: str, close: str
) -> None:
    page = client.get(f"/democratische-ruimte?lang={lang}").text
    assert f"<h1>{heading}</h1>" in page
    assert 'href="/landen/SYR#demspaces"' in page and disagree in page
    assert 'href="/landen/MLI#demspaces"' not in page  # 5 points apart: not a disagreement
    assert "modelrunner/R/rf.R" in page  # both models' skill, with what each was trained on
    everything = client.get(f"/democratische-ruimte?show=all&lang={lang}").text
    rows = everything[everything.index("<tbody>") : everything.index("</tbody>")]
    assert rows.index("/landen/SYR#") < rows.index("/landen/MLI#") < rows.index("/landen/UKR#")
    assert f"<strong>{disagree}</strong>" in rows and close in rows
    assert f'href="{COMPARISONS}?minDifference=0.2&amp;format=csv"' in page


def test_overview_page_refuses_an_unknown_space_with_the_valid_ones(client: Any) -> None:
    response = client.get("/democratische-ruimte?space=cultural&lang=en")
    assert response.status_code == 400 and "associational" in response.text


def test_country_page_and_model_performance_link_to_the_overview(client: Any) -> None:
    for path in ("/landen/SYR", "/modelprestaties"):
        assert 'href="/democratische-ruimte"' in client.get(path).text, path


def test_without_a_forecast_run_the_overview_shows_demspaces_alone_and_says_why(
    no_forecast_client: Any,
) -> None:
    page = no_forecast_client.get("/democratische-ruimte?show=all&lang=en")
    assert page.status_code == 200 and "No GBVS forecasts of the democratic spaces yet." in page.text
    assert "<summary>For whoever maintains GBVS</summary>" in page.text
    assert "<code>gbvs forecast</code>" in page.text
    assert 'href="/landen/SYR#demspaces"' in page.text  # their forecasts, with ours missing
    body = no_forecast_client.get(COMPARISONS).json()
    assert body["run"] is None and body["total"] == 6 and {r["gbvs_p"] for r in body["data"]} == {None}


def test_without_demspaces_data_the_overview_says_how_to_load_it(
    settings: Any, small_store: Path, tmp_path: Path
) -> None:
    """A store ingested without the mirror's forecasts folder: the page says how to load it, the API is a
    404 naming the fix (no store at all is the site-wide 503, tested in test_api)."""
    store = tmp_path / "store.duckdb"
    shutil.copy(small_store, store)
    with duckdb.connect(str(store)) as con:
        con.execute("drop table demspaces_forecasts")
    app = create_app(load_settings(data_dir=settings.data_dir, store_path=store))
    with TestClient(app) as client:
        page = client.get("/democratische-ruimte?lang=en")
        assert page.status_code == 200 and "The store holds no DemSpaces v14 forecasts" in page.text
        response = client.get(COMPARISONS)
        assert response.status_code == 404 and "gbvs ingest" in response.json()["detail"]


def test_the_cli_lists_the_same_pairs_as_the_api(
    web_settings: Any, client: Any, run_cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``gbvs demspaces`` is an edge over the same service: the pairs, order and filters of the API."""
    monkeypatch.setenv("GBVS_DATA_DIR", str(web_settings.data_dir))
    listed = run_cli("demspaces", "--all", "--format", "json", "--lang", "en")
    assert listed.exit_code == 0, listed.stderr
    body = json.loads(listed.stdout)
    assert body["data"] == client.get(f"{COMPARISONS}?lang=en").json()["data"]
    assert body["run"]["model_version"] == "lgbm-test-1" and "demspaces_forecasts=" in body["provenance"]
    dutch = run_cli("demspaces").stdout.splitlines()  # Dutch, only the disagreements
    assert dutch[0] == "DemSpaces v14 naast GBVS: 1 paren die 20 punten of meer verschillen"
    assert dutch[1].startswith("SYR Syrië") and dutch[1].endswith("+32 punten")
    assert any(line.startswith("GBVS: lgbm-test-1, trainingsgrens 2023") for line in dutch)
    for lang, points in (("nl", "\u22125 punten"), ("en", "\u22125 pts")):  # a real minus, as the pages
        every = run_cli("demspaces", "--all", "--lang", lang).stdout.splitlines()
        assert next(line for line in every if line.startswith("MLI")).endswith(points)
    rows = list(
        csv.DictReader(
            io.StringIO(run_cli("demspaces", "--direction", "closing", "--all", "-f", "csv").stdout)
        )
    )
    # Mali 5 points apart first, then the pairs without our forecast by Dutch name: Oekraïne before Syrië
    assert [r["iso3"] for r in rows] == ["MLI", "UKR", "SYR"] and rows[0]["model_version"] == "lgbm-test-1"
    wrong = run_cli("demspaces", "--space", "cultural")
    assert wrong.exit_code == 2 and "cultural" in wrong.stderr


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "nl",
            (
                "0,221 – 0,372",
                "onbeslist: het interval snijdt de grens",
                "verschil \u221292,4 – \u221231,1",
                "gehaald, ook aan beide uiteinden van het interval",
                "GBVS min DemSpaces v14",
                "\u22120,231 – \u22120,139",
                "Het 95%-interval komt uit het opnieuw scoren van de backtest op 2.000 steekproeven die de "
                "landen en, los daarvan, de voorspeljaren met teruglegging trekken",
                "uit het opnieuw trekken van de landen en de voorspeljaren",
            ),
        ),
        (
            "en",
            (
                "0.221 – 0.372",
                "undecided: the interval crosses the line",
                "difference \u221292.4 – \u221231.1",
                "met, also at both ends of the interval",
                "GBVS minus DemSpaces v14",
                "\u22120.231 – \u22120.139",
                "The 95% interval comes from scoring the backtest again on 2,000 samples that draw the "
                "countries and, separately, the forecast years",
                "from resampling the countries and the forecast years",
            ),
        ),
    ],
)
def test_model_performance_shows_how_sure_each_goal_and_the_lead_over_demspaces_are(
    client: Any, lang: str, expected: tuple[str, ...]
) -> None:
    """A full backtest gives each goal its 95% interval from resampling countries and forecast years (of
    the difference to the baseline where the goal is against one) and says where it lies; the DemSpaces
    comparison gives our difference to DemSpaces with its interval. A goal without an interval (older
    reports) shows a dash."""
    html = client.get(f"/modelprestaties?lang={lang}").text
    for text in expected:
        assert text in html, text
    goals = html.index("<tbody>")  # the goals table comes first
    first_goal = html[goals : html.index("</tr>", goals)]
    assert first_goal.count("<td>–</td>") == 2  # the goal from a report without intervals


@pytest.mark.parametrize(("lang", "threshold"), [("nl", "Drempel"), ("en", "Threshold")])
def test_the_goals_table_calls_the_line_a_threshold_not_a_target_variable(
    client: Any, lang: str, threshold: str
) -> None:
    """The third column holds the line a figure must reach ("≥ 0,92"); "Target" elsewhere is the
    forecast target, in Dutch "Doelvariabele", which this column was wrongly called."""
    html = client.get(f"/modelprestaties?lang={lang}").text
    start = html.index("<thead>")
    head = html[start : html.index("</thead>", start)]
    assert f'<th scope="col">{threshold}</th>' in head
    assert "Doelvariabele" not in head and ">Target<" not in head


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "nl",
            (
                '<td>zonder Verenigde Staten</td><td class="num">0,310</td><td>zonder dit wel gehaald</td>',
                '<td>zonder de voorspellingen gemaakt in 2016</td><td class="num">0,299</td>'
                "<td>nog steeds niet gehaald</td>",
                '<td>zonder Ethiopië</td><td class="num">verschil +13,0</td><td>niet meer gehaald</td>',
                '<td><a href="/landen/SYR">zonder Syrië</a></td><td class="num">verschil +0,0071</td>'
                "<td>nog steeds gehaald</td>",
                '<td>zonder de voorspellingen gemaakt in 2022</td><td class="num">verschil \u221240,2</td>'
                "<td>nog steeds gehaald</td>",
                "Waar rust een oordeel op?",
            ),
        ),
        (
            "en",
            (
                '<td>without United States</td><td class="num">0.310</td><td>met without it</td>',
                '<td>without Ethiopia</td><td class="num">difference +13.0</td><td>no longer met</td>',
                '<td>without the forecasts made in 2009</td><td class="num">difference +0.0125</td>',
                "What does a verdict rest on?",
            ),
        ),
    ],
)
def test_model_performance_says_what_each_verdict_rests_on(
    client: Any, lang: str, expected: tuple[str, ...]
) -> None:
    """Per goal of a full backtest, and per comparison with the conflict-history baseline: the country
    (linked to its page where the store has one: Syria, not the United States or Ethiopia) and the
    forecast year whose absence brings the figure nearest to the other side of the line, the figure
    without it and the verdict without it."""
    html = client.get(f"/modelprestaties?lang={lang}").text
    start = html.index('id="rests"')
    section = html[start : html.index("</p>", html.index("</table>", start))]
    for text in expected:
        assert text in section, text
    assert section.count("<tr>") == 1 + 6  # the header, two rows for each full goal and comparison
    assert section.count("<a href=") == 1  # a country with a page, not the forecast years


def test_the_page_says_whether_the_years_were_drawn_too() -> None:
    """Reports before the years were drawn say ``resampled: "country"``: the page keeps their sentence."""
    from gbvs.web.i18n import load_catalogs
    from gbvs.web.pages.performance import _interval_method

    dutch = load_catalogs()["nl"].gettext
    older = _interval_method({"level": 0.95, "resamples": 1000, "resampled": "country"}, dutch, "nl")
    assert older["with_years"] is False
    assert "op 1.000 trekkingen van de landen, met teruglegging, elk land" in older["explanation"]
    both = _interval_method({"resampled": ["country", "origin"]}, dutch, "nl")
    assert both["with_years"] is True and "de voorspeljaren met teruglegging" in both["explanation"]
    assert "opeenvolgende jaren" not in both["explanation"]  # a report that drew each year on its own
    runs = _interval_method({"resampled": ["country", "origin"], "space_origin_block": 2}, dutch, "nl")
    assert (
        "voor de ruimtes worden de voorspeljaren getrokken in reeksen van 2 opeenvolgende jaren"
        in (runs["explanation"])
    )
    assert _interval_method({}, str, "en")["with_years"] is False  # a report that does not say


def test_a_small_figure_keeps_the_decimal_its_goal_turns_on() -> None:
    """A Brier score of 0.0387 against a goal of 0.039 shows four decimals, its interval too."""
    from gbvs.web.pages.performance import goal_row

    brier = {"goal": "incidence h1, all rows: brier", "value": 0.03871, "target": "<= 0.039", "met": True,
             "interval_of": "value", "low": 0.02721, "high": 0.05183, "sampling": "undecided",
             "rests_on": [{"left_out": "origin", "unit": 2022, "value": 0.03993, "value_of": "value",
                           "met": False}]}  # fmt: skip
    row = goal_row(brier, str, "nl")
    assert (row["value_text"], row["interval"]) == ("0,0387", "0,0272 – 0,0518")
    assert row["rests"][0]["value"] == "0,0399"
    assert goal_row({**brier, "value": 0.2951}, str, "en")["value_text"] == "0.295"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "nl",
            (
                "Winst ten opzichte van de conflictgeschiedenis als basislijn",
                "tegenover Basislijn: logit op conflictgeschiedenis",
                '<td class="num">0,295</td><td>≥ 0,2391</td><td>ja</td><td>verschil +0,0112 – +0,0954</td>'
                "<td>gehaald, ook aan beide uiteinden van het interval</td>",
                '<td class="num">0,0387</td><td>≤ 0,0439</td><td>ja</td>',
                "Voegt het model iets toe aan wat de conflictgeschiedenis alleen al voorziet?",
            ),
        ),
        (
            "en",
            (
                "Gain over the conflict-history baseline",
                '<td class="num">0.295</td><td>≥ 0.2391</td><td>yes</td>'
                "<td>difference +0.0112 – +0.0954</td>",
                "undecided: the interval crosses the line",
            ),
        ),
    ],
)
def test_model_performance_gives_the_gain_over_the_history_baseline(
    client: Any, lang: str, expected: tuple[str, ...]
) -> None:
    """Each threshold goal of the conflict forecasts against the conflict-history baseline on the same
    rows, with the interval of the difference and where it lies."""
    html = client.get(f"/modelprestaties?lang={lang}").text
    section = html[html.index('id="gain"') : html.index('id="rests"')]  # the rests table follows
    for text in expected:
        assert text in section, text
    assert section.count("<tr>") == 1 + 2
    api = client.get("/api/v1/backtest-metrics").json()
    assert [row["difference"] for row in api["comparisons"]] == [0.056, -0.00521]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "nl",
            (
                "Prestatie per voorspeljaar",
                "Voorspellingen gemaakt in",
                '<tr><th scope="row">2021</th><td class="num">170</td><td class="num">29</td>'
                '<td class="num">0,941</td><td class="num">0,0361</td><td class="num">0,865</td>'
                '<td class="num">0,0432</td></tr>',
                "niet of de prestatie in de loop van de jaren is veranderd",
            ),
        ),
        (
            "en",
            (
                "Skill per forecast year",
                '<tr><th scope="row">2022</th><td class="num">170</td><td class="num">31</td>'
                '<td class="num">0.901</td><td class="num">0.0452</td><td class="num">0.823</td>',
                "not whether the skill changed over the years",
            ),
        ),
    ],
)
def test_model_performance_gives_the_skill_per_forecast_year(
    client: Any, lang: str, expected: tuple[str, ...]
) -> None:
    """Incidence one year ahead per forecast year, oldest first, ours beside conflict history alone."""
    html = client.get(f"/modelprestaties?lang={lang}").text
    start = html.index('id="years"')
    section = html[start : html.index("</p>", html.index("</table>", start))]
    for text in expected:
        assert text in section, text
    assert section.index(">2021<") < section.index(">2022<")
    assert section.count("<tr>") == 2 + 2  # two header rows (the models, then their metrics), two years
    assert section.count('<th scope="colgroup" colspan="2">') == 2
