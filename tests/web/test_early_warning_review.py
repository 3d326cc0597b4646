"""The early-warning review (pages, API, exports, CLI) as a policy officer and an auditor read them:
every exported forecast traceable to its run, a choice the run does not hold refused by name, the same
percentage everywhere."""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from gbvs.config import Settings

from .conftest import forecastbuilder, storebuilder

LATEST_MADE = "2026-06-01"  # forecastbuilder: the latest run ("forecast-new") was made on 1 June 2026
PREVIOUS_RUN = "forecast-old"


def _csv(client: Any, path: str) -> list[dict[str, str]]:
    response = client.get(path)
    assert response.status_code == 200, response.text
    return list(csv.DictReader(io.StringIO(response.text)))


@pytest.mark.parametrize(
    "path",
    ["/api/v1/forecasts?format=csv", "/api/v1/watchlist?format=csv", "/api/v1/risk-rankings?format=csv"],
)
def test_every_forecast_csv_row_says_when_its_run_was_made(client: Any, path: str) -> None:
    """An auditor tracing a figure needs the run's date beside its id, model version and data vintage."""
    rows = _csv(client, path)
    assert rows
    for row in rows:
        assert row["run_id"] == "forecast-new" and row["model_version"] == "lgbm-test-1"
        assert row["created_at"].startswith(LATEST_MADE), row


def test_the_comparison_csv_says_when_each_forecasts_run_was_made(client: Any) -> None:
    rows = _csv(client, "/api/v1/country-comparisons?countries=SYR,NLD&format=csv")
    forecasts = [row for row in rows if row["section"] == "forecast"]
    assert forecasts and all(row["created_at"].startswith(LATEST_MADE) for row in forecasts)
    body = client.get("/api/v1/country-comparisons?countries=SYR,NLD").json()
    cell = next(c for row in body["forecasts"] for c in row["values"] if c)
    assert cell["created_at"].startswith(LATEST_MADE)


def test_the_watchlist_geojson_says_what_each_feature_forecasts(client: Any) -> None:
    features = client.get("/api/v1/watchlist?format=geojson").json()["features"]
    syria = next(f["properties"] for f in features if f["properties"]["iso3"] == "SYR")
    assert (syria["target"], syria["horizon"], syria["forecast_period"]) == ("incidence", 1, 2024)
    assert syria["previous_run_id"] == PREVIOUS_RUN


def test_the_watchlist_csv_says_what_each_probability_forecasts_and_what_its_change_is_against(
    client: Any,
) -> None:
    """A row "Syria 0.92, change +0.12" is only traceable with its target, horizon, forecast year and
    the run the change is measured from."""
    syria = next(r for r in _csv(client, "/api/v1/watchlist?format=csv") if r["iso3"] == "SYR")
    assert (syria["target"], syria["horizon"], syria["forecast_period"]) == ("incidence", "1", "2024")
    assert syria["previous_run_id"] == PREVIOUS_RUN
    assert float(syria["previous"]) == pytest.approx(0.80)


def test_the_watchlist_json_and_excel_name_the_forecast_year_and_the_previous_run(client: Any) -> None:
    from openpyxl import load_workbook

    body = client.get("/api/v1/watchlist").json()
    assert body["forecast_period"] == 2024 and body["previous_run"]["run_id"] == PREVIOUS_RUN
    book = load_workbook(io.BytesIO(client.get("/api/v1/watchlist?format=xlsx").content))
    about = {r[0].value: r[1].value for r in book.worksheets[1].iter_rows(min_row=2)}
    assert about["jaar van de voorspelling"] == 2024 and about["vorige run"] == PREVIOUS_RUN


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("horizon=7", "1, 2, 3"),  # the run forecasts one to three years ahead
        ("target=war&horizon=2", "1"),  # war only one year ahead
    ],
)
def test_a_horizon_the_run_does_not_hold_is_refused_not_an_empty_list(
    client: Any, query: str, named: str
) -> None:
    """An empty watchlist reads as "no country at risk"; a horizon the run does not forecast is an error
    that names the horizons it does."""
    page = client.get(f"/aandachtslijst?{query}")
    assert page.status_code == 400 and named in page.text
    api = client.get(f"/api/v1/risk-rankings?{query}")
    assert api.status_code == 400 and api.headers["content-type"].startswith("application/problem+json")
    detail = api.json()["detail"]
    assert "horizon" in detail and named in detail


def test_a_target_without_probabilities_is_refused_by_the_ranking_api(client: Any) -> None:
    """Battle deaths are a count: ranking them by probability gave an empty list that looked like no risk."""
    response = client.get("/api/v1/risk-rankings?target=battle_deaths")
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "'battle_deaths'" in detail and "incidence" in detail


@pytest.mark.parametrize("path", ["/api/v1/watchlist?lang=de", "/api/v1/forecasts?lang=EN-gb"])
def test_an_unknown_language_is_a_400_problem_naming_the_languages(client: Any, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert "lang" in problem["detail"] and "nl" in problem["detail"] and "en" in problem["detail"]
    assert problem["invalidParams"][0]["name"] == "lang"


def test_an_unknown_language_on_a_page_is_a_400_page_not_silently_dutch(client: Any) -> None:
    response = client.get("/landen/SYR?lang=de")
    assert response.status_code == 400
    text = html.unescape(response.text)
    assert "'de'" in text and "nl, en" in text


def test_the_cli_watchlist_header_carries_the_runs_provenance(
    settings: Settings, run_cli: Callable[..., Any]
) -> None:
    """The text watchlist is read out in briefings: it names the model version, the data vintage, when
    the run was made and which run the changes are measured from."""
    forecastbuilder.build_forecasts(settings)
    header = run_cli("watchlist").stdout.splitlines()[0]
    for fact in ("lgbm-test-1", "UCDP ACD 25.1 (2023)", "forecast-new", "1 juni 2026", PREVIOUS_RUN):
        assert fact in header, (fact, header)


def test_the_cli_watchlist_csv_is_traceable(settings: Settings, run_cli: Callable[..., Any]) -> None:
    forecastbuilder.build_forecasts(settings)
    rows = list(csv.DictReader(io.StringIO(run_cli("watchlist", "--format", "csv").stdout)))
    syria = next(r for r in rows if r["gwcode"] == "652")
    assert syria["iso3"] == "SYR" and (syria["target"], syria["horizon"]) == ("incidence", "1")
    assert syria["run_id"] == "forecast-new" and syria["model_version"] == "lgbm-test-1"
    assert syria["data_vintage"] == "UCDP ACD 25.1 (2023)" and syria["previous_run_id"] == PREVIOUS_RUN


def test_the_cli_watchlist_rounds_a_probability_as_the_pages_do(
    client: Any, settings: Settings, run_cli: Callable[..., Any]
) -> None:
    """Mali is 61% on the watchlist page; the command said 61,0%, a precision the page does not claim."""
    forecastbuilder.build_forecasts(settings)
    mali = next(line for line in run_cli("watchlist").stdout.splitlines() if "Mali" in line)
    assert " 61% " in mali and "61,0%" not in mali
    assert '<td class="num">61%</td>' in client.get("/aandachtslijst").text


NETHERLANDS = 210
PANEL_ENDS = 2015


@pytest.fixture
def unforecast_client(settings: Settings) -> Iterator[Any]:
    """A store whose panel holds the Netherlands only up to 2015, and forecast runs (data up to 2023)
    without it: as Grenada in the real store, whose panel ends in 1983."""
    import duckdb
    from fastapi.testclient import TestClient

    from gbvs.config import load_settings
    from gbvs.web.app import create_app

    data_dir = settings.data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    store = storebuilder.build_store(data_dir / "store.duckdb")
    with duckdb.connect(str(store)) as con:
        con.execute("delete from panel_country_year where gwcode = ? and year > ?", [NETHERLANDS, PANEL_ENDS])
    forecastbuilder.build_forecasts(settings, leave_out=frozenset({NETHERLANDS}))
    with TestClient(create_app(load_settings(data_dir=data_dir))) as test_client:
        yield test_client


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("nl", "De laatste voorspelrun (gemaakt op 1 juni 2026) bevat geen voorspelling voor Nederland"),
        ("en", "The latest forecast run (made on 1 June 2026) has no forecast for the Netherlands"),
    ],
)
def test_a_country_the_run_left_out_is_told_why_not_told_to_wait(
    unforecast_client: Any, lang: str, said: str
) -> None:
    """ "No forecast for this country yet" (and "run gbvs forecast") reads as "wait for the next run";
    the model only forecasts countries with a panel row in its last data year, so no run will."""
    text = html.unescape(unforecast_client.get(f"/landen/NLD?lang={lang}").text)
    assert said in text
    assert str(PANEL_ENDS) in text.split(said, 1)[1].split("</p>", 1)[0]
    assert (
        "No forecast for this country yet" not in text and "Nog geen voorspelling voor dit land" not in text
    )
    assert "No forecast history for this country yet" not in text
    assert "Nog geen voorspelgeschiedenis voor dit land" not in text


def test_the_brief_of_a_country_the_run_left_out_says_why_not_an_empty_table(unforecast_client: Any) -> None:
    import pypdfium2

    page = unforecast_client.get("/landen/NLD/brief.pdf?lang=en")
    assert page.status_code == 200
    document = pypdfium2.PdfDocument(page.content)
    try:
        text = " ".join(p.get_textpage().get_text_range() for p in document)
    finally:
        document.close()
    flat = " ".join(text.split())
    assert "has no forecast for the Netherlands" in flat and str(PANEL_ENDS) in flat
    assert "Latest forecasts for the Netherlands" not in flat


@pytest.mark.parametrize(
    ("lang", "said", "wrong"),
    [
        ("nl", "Vergeleken met het mediane land wordt de kans op groei omhoog geduwd door", "risico"),
        ("en", "Compared with the median country, the chance of an opening is pushed up by", "risk"),
    ],
)
def test_an_opening_is_explained_as_a_chance_not_a_risk(lang: str, said: str, wrong: str) -> None:
    """An opening of a democratic space is what the strategy hopes for; the pages show its level as a
    chance, but its explanation said the *risk* of it was pushed up (Ukraine, opening_electoral)."""
    import json

    import pandas as pd

    from gbvs.cli.texts import translator
    from gbvs.forecasting.specific import describe, explain_countries
    from gbvs.web.queries.forecasts import wording

    families = {652: 1.0, 432: 0.2, 210: -0.5}  # illegitimate governance, against a median of 0.2
    rows = pd.DataFrame(
        [
            {"unit_key": unit, "target": "opening_electoral", "horizon": 2, "p": 0.3,
             "families": json.dumps({"illegitimate_governance": value})}
            for unit, value in families.items()
        ]
    )  # fmt: skip
    found = explain_countries(rows)[(652, "opening_electoral", 2)]
    text = describe(found, wording(translator(lang), lang))
    assert text.startswith(said) and wrong not in text, text
    incidence = explain_countries(rows.assign(target="incidence"))[(652, "incidence", 2)]
    assert wrong in describe(incidence, wording(translator(lang), lang))  # conflict stays a risk


@pytest.fixture
def war_run_client(settings: Settings) -> Iterator[Any]:
    """The small store and forecasts, then a newer run of war only (``gbvs forecast -t war``)."""
    from datetime import datetime

    import pandas as pd
    from fastapi.testclient import TestClient

    from gbvs.config import load_settings
    from gbvs.store.forecasts import forecasts_path, writing_forecasts
    from gbvs.web.app import create_app

    data_dir = settings.data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    storebuilder.build_store(data_dir / "store.duckdb")
    forecastbuilder.build_forecasts(settings)
    rows = pd.DataFrame(
        {"unit_key": gwcode, "origin": 2023, "target": "war", "horizon": 1, "forecast_period": 2024, "p": 0.3,
         "families": "{}", "summary": "no feature moves the risk away from the base rate"}
        for gwcode in forecastbuilder.PROBABILITIES
    )  # fmt: skip
    with writing_forecasts(forecasts_path(settings)) as forecasts:
        forecasts.add_run(forecastbuilder.stored_run("forecast-war", "forecast", datetime(2026, 7, 1)))
        forecasts.add_forecasts("forecast-war", rows)
    with TestClient(create_app(load_settings(data_dir=data_dir))) as test_client:
        yield test_client


def test_a_run_of_other_targets_does_not_empty_the_watchlist(war_run_client: Any) -> None:
    """After `gbvs forecast -t war` the overview said "no alerts: no country crossed the threshold" and
    the API's watchlist was empty: the watchlist compared the war run with the one before. As the
    early-action alerts do, it now takes the latest two runs that forecast its target and horizon."""
    body = war_run_client.get("/api/v1/watchlist").json()
    assert body["latest_run"]["run_id"] == "forecast-new" and body["previous_run"]["run_id"] == PREVIOUS_RUN
    syria = next(row for row in body["data"] if row["iso3"] == "SYR")
    assert syria["p"] == pytest.approx(0.92) and syria["alerts"]
    overview = html.unescape(war_run_client.get("/?lang=en").text)
    assert "No alerts" not in overview and "jump of +12 percentage points" in overview


def test_the_watchlist_page_opens_on_armed_conflict_after_a_run_of_war_only(war_run_client: Any) -> None:
    """Opened without a choice, the page asked for armed conflict, which the war run does not hold, and
    answered 400; each target now comes from the newest run that forecasts it, so armed conflict is there
    (from the run before) and the page opens on it, as the watchlist does."""
    page = war_run_client.get("/aandachtslijst?lang=en")
    assert page.status_code == 200 and "Syria" in page.text
    assert war_run_client.get("/aandachtslijst?target=incidence").status_code == 200
    assert war_run_client.get("/aandachtslijst?target=nonsense").status_code == 400


def test_the_explanation_names_the_forecast_it_explains(client: Any, war_run_client: Any) -> None:
    """The explanation takes armed conflict (after a run of war only, from the run before) and says so:
    "Forecast for 2024: 30%" alone did not tell a reader which forecast it was."""
    assert "Voorspelling (gewapend conflict) voor 2024:" in client.get("/landen/SYR").text
    assert "Forecast (armed conflict) for 2024:" in war_run_client.get("/landen/SYR?lang=en").text


def test_an_empty_region_is_every_country_on_both_watchlist_resources(client: Any) -> None:
    """`region=` (the form's "all countries") was every country on /risk-rankings but a 404 "region ''
    does not exist" on /watchlist."""
    everyone = client.get("/api/v1/watchlist").json()["total"]
    response = client.get("/api/v1/watchlist?region=")
    assert response.status_code == 200 and response.json()["total"] == everyone
    assert client.get("/api/v1/risk-rankings?region=").json()["total"] == everyone


def _run_of(rows: list[dict[str, Any]], target: str) -> set[str]:
    return {
        row["run"]["run_id"] if "run" in row else row["run_id"] for row in rows if row["target"] == target
    }


def test_after_a_run_of_war_only_each_target_comes_from_the_newest_run_that_forecasts_it(
    war_run_client: Any,
) -> None:
    """After `gbvs forecast -t war` the forecasts API (and the country page) showed only war, while the
    watchlist showed armed conflict from the run before: the two disagreed."""
    body = war_run_client.get("/api/v1/forecasts?country=SYR&pageSize=100").json()
    assert _run_of(body["data"], "war") == {"forecast-war"}
    assert _run_of(body["data"], "incidence") == {"forecast-new"}  # as the watchlist's latest run
    assert _run_of(body["data"], "battle_deaths") == {"forecast-new"}
    conflict = next(f for f in body["data"] if (f["target"], f["horizon"]) == ("incidence", 1))
    assert conflict["explanation"]["previous_p"] == pytest.approx(0.80)  # against the run before it
    rows = _csv(war_run_client, "/api/v1/forecasts?country=SYR&format=csv")
    assert _run_of(rows, "war") == {"forecast-war"} and _run_of(rows, "incidence") == {"forecast-new"}


def test_the_country_page_says_which_run_each_target_comes_from_when_they_differ(
    client: Any, war_run_client: Any
) -> None:
    page = re.sub(r"<a [^>]*>|</a>", "", html.unescape(war_run_client.get("/landen/SYR?lang=en").text))
    assert "Not all forecasts come from the same run" in page
    section = page[page.index("Not all forecasts come from the same run") :]
    war, conflict = section.index("War:"), section.index("Armed conflict:")
    assert "Run: forecast-war" in section[war:] and "Run: forecast-new" in section[conflict:]
    assert "made on 1 July 2026" in section and "made on 1 June 2026" in section
    dutch = html.unescape(war_run_client.get("/landen/SYR?lang=nl").text)
    assert "Niet alle voorspellingen komen uit dezelfde voorspelrun" in dutch
    assert "Not all forecasts come from the same run" not in html.unescape(
        client.get("/landen/SYR?lang=en").text
    )


def test_the_forecasts_workbook_names_every_run_its_rows_come_from(war_run_client: Any) -> None:
    from openpyxl import load_workbook

    response = war_run_client.get("/api/v1/forecasts?country=SYR&format=xlsx")
    about = [
        (r[0].value, r[1].value)
        for r in load_workbook(io.BytesIO(response.content)).worksheets[1].iter_rows()
    ]
    assert ("run", "forecast-war") in about and ("run", "forecast-new") in about
    assert ("uitkomsten", "war") in about


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/watchlist?region=atlantis",
        "/api/v1/risk-rankings?region=atlantis",
        "/api/v1/indicators/vdem_v2x_pubcorr/values?region=atlantis",
    ],
)
def test_an_unknown_region_in_the_api_is_a_400_problem_naming_it_and_the_choices(
    client: Any, path: str
) -> None:
    """A filter value is no address: `region=atlantis` answered 404 "not found", as if the resource were
    missing. It is a 400 problem (the API Design Rules' invalidParams) naming the value and the regions."""
    response = client.get(path)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert "'atlantis'" in body["detail"] and "sahel" in body["detail"] and "middle_east" in body["detail"]
    assert [param["name"] for param in body["invalidParams"]] == ["region"]


@pytest.mark.parametrize("page", ["/aandachtslijst", "/landen", "/drijvers"])
def test_an_unknown_region_on_a_page_is_a_400_in_the_page_language(client: Any, page: str) -> None:
    dutch = client.get(f"{page}?region=atlantis&lang=nl")
    assert dutch.status_code == 400
    text = html.unescape(dutch.text)
    assert "Er is geen focusregio ‘atlantis’" in text and "sahel" in text
    english = html.unescape(client.get(f"{page}?region=atlantis&lang=en").text)
    assert "There is no focus region ‘atlantis’" in english


def test_a_path_naming_a_missing_region_is_still_a_404(client: Any) -> None:
    assert client.get("/api/v1/regions/atlantis").status_code == 404


def test_the_watchlist_api_words_its_alerts_in_the_readers_language_and_keeps_them_machine_readable(
    client: Any,
) -> None:
    """`alerts` were the stored English sentences ("jump of +12 points") also for a Dutch reader."""
    syria = next(
        row for row in client.get("/api/v1/watchlist?lang=nl").json()["data"] if row["iso3"] == "SYR"
    )
    assert syria["alerts"] == ["sprong van +12 procentpunten"]
    [detail] = syria["alert_details"]
    assert (
        detail["kind"] == "jump" and detail["change"] == pytest.approx(0.12) and detail["threshold"] is None
    )
    mali = next(row for row in client.get("/api/v1/watchlist?lang=en").json()["data"] if row["iso3"] == "MLI")
    assert mali["alerts"] == ["crossed 50% (up)", "jump of +26 percentage points"]
    assert [d["kind"] for d in mali["alert_details"]] == ["crossed_up", "jump"]
    assert mali["alert_details"][0]["threshold"] == 0.5
    row = next(r for r in _csv(client, "/api/v1/watchlist?format=csv&lang=nl") if r["iso3"] == "MLI")
    assert row["alerts"] == "drempel 50% overschreden (omhoog); sprong van +26 procentpunten"
    assert row["alert_kinds"] == "crossed_up; jump"


def test_the_country_brief_names_the_run_of_each_target_when_they_differ(war_run_client: Any) -> None:
    from .test_country_brief import pdf_pages

    [text] = pdf_pages(war_run_client.get("/landen/SYR/brief.pdf?lang=en").content)
    flat = " ".join(text.split())
    assert "War: Model: lgbm-test-1" in flat and "forecast run forecast-war" in flat
    assert "Armed conflict: Model: lgbm-test-1" in flat and "forecast run forecast-new" in flat
