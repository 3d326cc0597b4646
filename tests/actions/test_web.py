"""Early action on the web (loopback mode: the local analyst): open a case from the watchlist alert's
button, work on it through the forms (CSRF-checked), read it back through the pages and /api/v1."""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select, update
from starlette.exceptions import StarletteDeprecationWarning

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

from gbvs.config import Settings
from gbvs.db.action_models import ActionCase, ActionDecision, ActionFollowUp
from gbvs.db.migrate import upgrade
from gbvs.db.session import make_engine
from gbvs.web.app import create_app

from .conftest import storebuilder, third_run


@pytest.fixture
def client(two_runs: Settings) -> Iterator[TestClient]:
    """The app over the two-run forecasts and a migrated SQLite database (https: the cookies are Secure)."""
    storebuilder.build_store(two_runs.resolved_store_path)
    engine = make_engine(two_runs)
    upgrade(engine)
    engine.dispose()
    with TestClient(create_app(two_runs), base_url="https://testserver") as test_client:
        yield test_client


def _token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no form token"
    return found.group(1)


def test_from_the_alert_button_to_the_options(client: TestClient) -> None:
    overview = client.get("/?lang=en").text
    assert "/vroege-actie/nieuw?bron=alert&amp;ref=forecast-new%3A432" in overview
    form = client.get("/vroege-actie/nieuw?bron=alert&ref=forecast-new:432&lang=en")
    assert form.status_code == 200 and 'value="forecast-new:432"' in form.text
    body = {
        "csrf_token": _token(form.text),
        "origin": "alert",
        "ref": "forecast-new:432",
        "title": "Mali",
        "goal": "1",
    }
    opened = client.post("/vroege-actie", data=body, follow_redirects=False)
    assert opened.status_code == 303 and opened.headers["location"] == "/vroege-actie/1"
    page = client.get("/vroege-actie/1?lang=en").text
    assert "lgbm-test-1" in page and "UCDP ACD 25.1 (2023)" in page
    token = _token(page)
    added = client.post(
        "/vroege-actie/1/opties",
        data={"csrf_token": token, "instrument": "diplomacy", "description": "talks"},
    )
    assert added.status_code == 200  # followed the redirect back to the case
    client.post("/vroege-actie/1/status", data={"csrf_token": token, "status": "options"})
    refused = client.post("/vroege-actie/1/besluit", data={"csrf_token": token, "option": "1"})
    assert refused.status_code == 403 and "actions:decide" in refused.text  # the local user is an analyst
    without_token = client.post("/vroege-actie/1/status", data={"status": "open"})
    assert without_token.status_code == 403 and "csrf_token" in without_token.text

    board = client.get("/vroege-actie").text
    assert 'href="/vroege-actie/1"' in board
    case = client.get("/api/v1/actions/1").json()
    assert case["status"] == "options" and case["warning"]["run"]["model_version"] == "lgbm-test-1"
    assert client.get("/api/v1/actions?status=options").json()["total"] == 1
    gap = client.get("/api/v1/warning-responses").json()
    assert {r["reference"]: r["caseId"] for r in gap["data"]} == {
        "forecast-new:652": None,
        "forecast-new:432": 1,
    }
    assert gap["regions"][-1] == {
        "region": "all", "alerts": 2, "answered": 1, "decided": 0, "unanswered": 1,
        "medianDaysToDecision": None, "observed": None, "outcomesKnown": 0, "decidedInTime": 0,
    }  # fmt: skip  # no outcome of 2024 in the panel yet: unknown, not 0


def test_the_gap_page_has_a_chart_and_its_table(client: TestClient) -> None:
    html = client.get("/vroege-actie/respons").text
    assert '<svg class="chart"' in html and "<caption>Doorlooptijd tot besluit per regio</caption>" in html
    assert "Sahel" in html and "/vroege-actie/nieuw?bron=alert&amp;ref=forecast-new%3A652" in html
    assert re.search(r"\d+ voorspelruns? opgeslagen, de eerste op [^;]+; 2 signaleringen\.", html), "counted"
    assert '<td class="num">onbekend</td>' in html and '<td class="num">0</td></tr>' not in html


def test_bad_requests_are_named(client: TestClient) -> None:
    assert client.get("/vroege-actie/99").status_code == 404
    assert client.get("/api/v1/actions/99999999999").status_code == 400
    assert client.get("/vroege-actie/nieuw?bron=rumour").status_code == 400
    problem = client.get("/api/v1/actions?status=done")
    assert problem.status_code == 400 and problem.headers["content-type"].startswith(
        "application/problem+json"
    )


def test_a_wrong_origin_reads_in_the_pages_language(client: TestClient) -> None:
    """The origin refusals were the service's English on a Dutch page; now Dutch (English with ?lang=en)."""
    rumour = client.get("/vroege-actie/nieuw?bron=rumour")
    assert rumour.status_code == 400 and "Herkomst ‘rumour’ bestaat niet. Kies uit: alert," in rumour.text
    form = client.get("/vroege-actie/nieuw?bron=alert&ref=forecast-old:652")
    body = {"csrf_token": _token(form.text), "origin": "alert", "ref": "forecast-old:652", "title": "Syrië",
            "goal": "13"}  # fmt: skip
    refused = client.post("/vroege-actie", data=body)
    assert refused.status_code == 400
    assert "Voorspellingsrun ‘forecast-old’ gaf geen signalering voor SYR (gwcode 652)." in refused.text
    english = client.post("/vroege-actie?lang=en", data=body)
    assert "forecast run &#39;forecast-old&#39; raised no watchlist alert for SYR" in english.text


@pytest.mark.parametrize(
    ("lang", "button", "frozen"),
    [
        ("nl", "Dossier vroege actie openen", "Vastgelegde ontheemdingsvoorspelling"),
        ("en", "Open early-action case", "Frozen displacement forecast"),
    ],
)
def test_from_a_displacement_forecast_to_a_case(
    client: TestClient, lang: str, button: str, frozen: str
) -> None:
    link = "/vroege-actie/nieuw?bron=displacement&amp;ref=displacement-test%3A652"
    ranking = client.get(f"/ontheemding?lang={lang}").text
    assert link in ranking and button in ranking
    country = client.get(f"/landen/SYR?lang={lang}").text
    assert link in country
    form = client.get(f"/vroege-actie/nieuw?bron=displacement&ref=displacement-test:652&lang={lang}")
    assert form.status_code == 200 and '<option value="displacement" selected>' in form.text
    body = {"csrf_token": _token(form.text), "origin": "displacement", "ref": "displacement-test:652",
            "title": "Syrië", "goal": "13"}  # fmt: skip
    opened = client.post("/vroege-actie", data=body, follow_redirects=False)
    assert opened.status_code == 303
    page = client.get(f"{opened.headers['location']}?lang={lang}").text
    assert frozen in page and "displacement-test-1" in page and "UNHCR refugees 2025.12.1 (2023)" in page
    case = client.get(f"/api/v1/actions/{opened.headers['location'].rsplit('/', 1)[1]}").json()
    assert case["originKind"] == "displacement" and case["warning"]["displacement"]["gwcode"] == 652


def test_the_case_and_gap_pages_speak_dutch(client: TestClient) -> None:
    form = client.get("/vroege-actie/nieuw?bron=alert&ref=forecast-new:432")
    body = {"csrf_token": _token(form.text), "origin": "alert", "ref": "forecast-new:432", "title": "Mali"}
    client.post("/vroege-actie", data=body, follow_redirects=False)
    token = _token(client.get("/vroege-actie/1").text)
    option = {"csrf_token": token, "instrument": "diplomacy", "description": "talks"}
    client.post("/vroege-actie/1/opties", data=option)
    client.post("/vroege-actie/1/status", data={"csrf_token": token, "status": "options"})
    page = client.get("/vroege-actie/1?lang=nl").text
    assert "signalering van de aandachtslijst" in page and "watchlist" not in page
    assert (
        "<td>optie toegevoegd</td>" in page and "<td>naar opties</td>" in page and "option_added" not in page
    )
    assert "+1,200" in page and "+1.200" not in page  # the log-odds in Dutch notation
    assert "van 1 juni 2026 " in page and "2026-06-01 00:00:00" not in page  # the run's time, to the minute
    assert "sprong van +26 procentpunten" in page
    # the frozen forecasts name their targets in words, as `gbvs actions show` does (it read closing_economic)
    assert '<th scope="row">Krimp: economische ruimte</th>' in page and "closing_economic" not in page
    gap_page = client.get("/vroege-actie/respons?lang=nl").text
    assert "signalering van de aandachtslijst" in gap_page and "van de watchlist" not in gap_page


def test_a_case_keeps_its_alert_structured_and_an_old_case_its_frozen_english_sentence(
    client: TestClient, two_runs: Settings
) -> None:
    """The gap listed alerts as the English sentences cases froze ("jump of +26 points") in every
    language; cases kept only that sentence. A case now keeps the alert's figures beside it, so the gap
    and the case word it for the reader; a case opened before keeps showing its sentence, said to be the
    English text frozen then."""
    dutch = client.get("/api/v1/warning-responses?lang=nl").json()["data"]
    mali = next(r for r in dutch if r["reference"] == "forecast-new:432")
    assert mali["alerts"] == ["drempel 50% overschreden (omhoog)", "sprong van +26 procentpunten"]
    assert [d["kind"] for d in mali["alertDetails"]] == ["crossed_up", "jump"]
    assert mali["alertDetails"][0]["threshold"] == 0.5
    english = client.get("/api/v1/warning-responses?lang=en").json()["data"]
    assert next(r for r in english if r["reference"] == "forecast-new:432")["alerts"][1] == (
        "jump of +26 percentage points"
    )
    waiting = client.get("/vroege-actie/respons?lang=nl").text  # the alert without a case, worded
    (sudan,) = [r for r in dutch if r["reference"] == "forecast-new:652"]
    assert all(words in waiting for words in sudan["alerts"]), sudan["alerts"]

    form = client.get("/vroege-actie/nieuw?bron=alert&ref=forecast-new:432")
    body = {"csrf_token": _token(form.text), "origin": "alert", "ref": "forecast-new:432", "title": "Mali"}
    client.post("/vroege-actie", data=body, follow_redirects=False)
    kept = client.get("/api/v1/actions/1").json()["warning"]["alert"]
    assert kept["alerts"] == ["crossed 50% (up)", "jump of +26 points"], "the sentences, as before"
    assert kept["alert_details"][1]["kind"] == "jump" and kept["alert_details"][1]["change"] == (
        pytest.approx(0.26)
    )
    assert kept["run_id"] == "forecast-new" and kept["p"] == pytest.approx(0.61)
    page = client.get("/vroege-actie/1?lang=nl").text
    assert "<span>drempel 50% overschreden (omhoog)</span>; <span>sprong van +26 procentpunten</span>" in page
    assert "vastgelegde Engelse tekst" not in page
    engine = make_engine(two_runs)
    with engine.begin() as connection:  # a case opened before the figures were kept
        warning = connection.execute(select(ActionCase.warning)).scalar_one()
        del warning["alert"]["alert_details"]
        connection.execute(update(ActionCase).values(warning=warning))
    engine.dispose()
    old = client.get("/vroege-actie/1?lang=nl").text
    assert '<span lang="en">jump of +26 points</span> (vastgelegde Engelse tekst)' in old
    assert "sprong van" not in old


def test_a_jump_of_one_point_is_singular() -> None:
    from gbvs.web.i18n import load_catalogs
    from gbvs.web.labels import case_alerts

    for lang, one, more in (
        ("nl", "sprong van -1 procentpunt", "sprong van +26 procentpunten"),
        ("en", "jump of -1 percentage point", "jump of +26 percentage points"),
    ):
        t = load_catalogs()[lang]
        jumps = [{"kind": "jump", "change": -0.01}, {"kind": "jump", "change": 0.26}]
        shown = case_alerts({"alert_details": jumps}, t.gettext, str, t.ngettext)
        assert [s.text for s in shown] == [one, more]


def _decided_case(client: TestClient, two_runs: Settings) -> None:
    """Case 1 from the Mali alert, with an option, decided on 1 December 2026 at noon UTC (the
    decision written straight into the database: the local analyst may not decide) and a follow-up."""
    form = client.get("/vroege-actie/nieuw?bron=alert&ref=forecast-new:432")
    body = {"csrf_token": _token(form.text), "origin": "alert", "ref": "forecast-new:432", "title": "Mali"}
    client.post("/vroege-actie", data=body, follow_redirects=False)
    token = _token(client.get("/vroege-actie/1").text)
    client.post(
        "/vroege-actie/1/opties", data={"csrf_token": token, "instrument": "diplomacy", "description": "x"}
    )
    noon = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    engine = make_engine(two_runs)
    with engine.begin() as connection:
        connection.execute(update(ActionCase).values(opened_at=noon, status="decided"))
        connection.execute(
            insert(ActionDecision).values(
                case_id=1, choice="act", option_id=1, reasoning="talks first", decided_by="c", decided_at=noon
            )
        )
        connection.execute(
            insert(ActionFollowUp).values(case_id=1, due_on=date(2027, 1, 15), note="embassy", added_by="c")
        )
    engine.dispose()


def test_the_case_page_writes_dates_the_dutch_way(client: TestClient, two_runs: Settings) -> None:
    _decided_case(client, two_runs)
    page = client.get("/vroege-actie/1?lang=nl").text
    assert "2026-12-01" not in page and "2027-01-15" not in page
    assert "1 december 2026" in page  # opened and decided
    assert "15 januari 2027" in page  # the follow-up's date
    english = client.get("/vroege-actie/1?lang=en").text
    assert "1 December 2026" in english and "15 January 2027" in english


def test_the_case_page_says_when_a_newer_run_exists(client: TestClient, two_runs: Settings) -> None:
    _decided_case(client, two_runs)
    assert "nieuwere voorspelrun" not in client.get("/vroege-actie/1?lang=nl").text
    third_run(two_runs)
    page = client.get("/vroege-actie/1?lang=nl").text
    assert "Er is een nieuwere voorspelrun: forecast-later van 1 september 2026" in page
    assert "(35% → 61%)" in page  # the frozen alert, not the newer run's 20%
    english = client.get("/vroege-actie/1?lang=en").text
    assert "A newer forecast run exists: forecast-later of 1 September 2026" in english


def test_the_dutch_texts_call_a_case_a_dossier_and_its_follow_up_opvolging() -> None:
    """One word per thing in the Dutch early-action texts: a case is a "dossier" (a "zaak" is the signals
    register's signal case) and a follow-up an "opvolging" (the status' name)."""
    from babel.messages.pofile import read_po

    path = Path(__file__).resolve().parents[2] / "src/gbvs/web/locale/nl/LC_MESSAGES/actions.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    texts = [str(m.string) for m in catalog if m.id and isinstance(m.string, str)]
    assert [t for t in texts if re.search(r"\b[Zz]aak\b", t)] == []
    assert [t for t in texts if re.search(r"\bvervolg\b", t)] == []


def test_the_api_says_when_a_newer_run_exists_and_writes_run_times_as_rfc_3339(
    client: TestClient, two_runs: Settings
) -> None:
    _decided_case(client, two_runs)
    assert client.get("/api/v1/actions/1").json()["newerRun"] is None
    third_run(two_runs)
    case = client.get("/api/v1/actions/1").json()
    assert case["warning"]["run"]["run_id"] == "forecast-new"  # the frozen run
    assert case["newerRun"] == {
        "runId": "forecast-later", "createdAt": "2026-09-01T00:00:00Z", "modelVersion": "lgbm-test-2",
        "trainingCutoff": 2024, "dataVintage": "UCDP ACD 26.1 (2024)",
    }  # fmt: skip
    gap = client.get("/api/v1/warning-responses").json()
    raised = {r["runId"]: r["raisedAt"] for r in gap["data"]}
    runs = {r["runId"]: r["createdAt"] for r in gap["forecastRuns"]}
    assert runs["forecast-new"] == raised["forecast-new"] == "2026-06-01T00:00:00Z"  # one instant, one form


def test_the_gap_page_and_api_count_decisions_within_the_reports_eight_weeks(
    client: TestClient, two_runs: Settings
) -> None:
    _decided_case(client, two_runs)  # decided half a year after the alert
    every = client.get("/api/v1/warning-responses").json()["regions"][-1]
    assert (every["decided"], every["decidedInTime"]) == (1, 0)
    page = client.get("/vroege-actie/respons?lang=nl").text
    assert "Besloten binnen 8 weken" in page
    assert "Decided within 8 weeks" in client.get("/vroege-actie/respons?lang=en").text


def test_the_board_names_a_case_s_region(client: TestClient) -> None:
    form = client.get("/vroege-actie/nieuw?bron=country&ref=SYR")
    body = {"csrf_token": _token(form.text), "origin": "country", "ref": "SYR", "title": "Syrië"}
    assert client.post("/vroege-actie", data=body, follow_redirects=False).status_code == 303
    assert client.get("/api/v1/actions/1").json()["region"] == "middle_east"
    board = client.get("/vroege-actie?lang=nl").text
    assert "Midden-Oosten" in board and "middle_east" not in board.split("<main")[1].split("Download")[0]
    assert "Middle East" in client.get("/vroege-actie?lang=en").text


def test_the_case_and_gap_pages_name_countries(client: TestClient) -> None:
    """A civil servant reads "Syrië", not the ISO3 code SYR or the Gleditsch-Ward code 652."""
    assert "Mali</a> (forecast-new" in client.get("/vroege-actie/respons?lang=nl").text  # no case yet
    form = client.get("/vroege-actie/nieuw?bron=alert&ref=forecast-new:652")
    body = {"csrf_token": _token(form.text), "origin": "alert", "ref": "forecast-new:652", "title": "Syrië"}
    assert client.post("/vroege-actie", data=body, follow_redirects=False).status_code == 303
    page = client.get("/vroege-actie/1?lang=nl").text
    assert '<a href="/landen/SYR">Syrië</a>' in page
    assert "Vastgelegde voorspelling voor Syrië" in page and "Gleditsch-Ward-code 652" not in page
    english = client.get("/vroege-actie/1?lang=en").text
    assert '<a href="/landen/SYR">Syria</a>' in english and "Frozen forecast for Syria" in english


def test_the_versions_say_why(client: TestClient, run_cli: Callable[..., Any]) -> None:
    """Each version in the case's log says why: a decision its reasoning, a closure its outcome."""
    case = ("actions", "open", "--from", "alert", "--ref", "forecast-new:432", "--title", "Mali")
    assert run_cli(*case).exit_code == 0  # as the OS owner, who may decide
    run_cli("actions", "option", "1", "--instrument", "diplomacy", "--description", "talks")
    run_cli("actions", "status", "1", "options")
    run_cli("actions", "decide", "1", "--option", "1", "--reasoning", "talks first, sanctions later")
    run_cli("actions", "status", "1", "closed", "--outcome", "talks held; border forum set up")
    page = client.get("/vroege-actie/1?lang=nl").text
    assert "<td>besluit vastgelegd: talks first, sanctions later</td>" in page
    assert "<td>gesloten: talks held; border forum set up</td>" in page
    assert "Handelen met optie 1 (diplomatie: talks)" in page  # what was decided, not only its number
    assert "Act with option 1 (diplomacy: talks)" in client.get("/vroege-actie/1?lang=en").text
