"""Issue 12: a country's forecast history (forecast against what happened) on the country page and in
``/api/v1/countries/{iso3}/forecast-history``, and the country-specific explanation (fix 6)."""

from __future__ import annotations

import csv
import io
import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from starlette.exceptions import StarletteDeprecationWarning

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

from gbvs.config import Settings, load_settings
from gbvs.web.app import create_app

from .conftest import forecastbuilder

PATH = "/api/v1/countries/SYR/forecast-history"


@pytest.fixture
def history_client(settings: Settings, small_store: Path) -> Iterator[TestClient]:
    """The small forecasts plus an older live run whose forecast for 2023 is in the store."""
    chosen = load_settings(data_dir=settings.data_dir, store_path=small_store)
    forecastbuilder.build_forecasts(chosen)
    forecastbuilder.add_scored_live_run(chosen)
    with TestClient(create_app(chosen)) as test_client:
        yield test_client


def _group(body: dict[str, Any], source: str, target: str) -> dict[str, Any]:
    return next(s for s in body["scores"] if (s["source"], s["target"], s["horizon"]) == (source, target, 1))


def test_api_scores_live_and_backtest_forecasts_against_the_store(history_client: Any) -> None:
    body = history_client.get(PATH).json()
    assert body["iso3"] == "SYR" and body["outcomes_until"] == 2023
    assert "ucdp_acd=" in body["outcome_provenance"]
    live = _group(body, "live", "incidence")
    assert live["scored"] == 1 and live["brier"] == pytest.approx(0.0144)  # 88% for 2023, conflict happened
    backtest = _group(body, "backtest", "incidence")
    assert backtest["scored"] == 5 and backtest["brier"] == pytest.approx(0.00918)
    assert backtest["persistence_brier"] == 0.0
    assert _group(body, "backtest", "battle_deaths")["inside_share"] == 0.5
    scored = next(f for f in body["forecasts"] if f["run"]["run_id"] == "forecast-2022")
    assert scored["observed"] == 1.0 and scored["origin"] == 2022 and scored["counted"]
    assert scored["run"]["training_cutoff"] == 2022 and scored["run"]["model_version"] == "lgbm-test-1"
    pending = [f for f in body["forecasts"] if f["run"]["run_id"] == "forecast-new"]
    assert pending and all(f["observed"] is None and f["brier"] is None for f in pending)


def test_history_exports_as_csv_and_excel_with_provenance(history_client: Any) -> None:
    rows = list(csv.DictReader(io.StringIO(history_client.get(f"{PATH}?format=csv").text)))
    backtest = [r for r in rows if r["source"] == "backtest" and r["target"] == "incidence"]
    assert len(backtest) == 5 and {r["run_id"] for r in backtest} == {"backtest-1"}
    assert all(
        r["model_version"] and r["data_vintage"] and "ucdp_acd=" in r["outcome_provenance"] for r in rows
    )
    response = history_client.get(f"{PATH}?format=xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    data, about = book.worksheets
    header = [c.value for c in data[1]]
    assert "brier" in header and "training_cutoff" in header
    assert isinstance(data.cell(2, header.index("forecast_period") + 1).value, int)
    assert any(
        row[0].value == "waargenomen uitkomsten" and "ucdp_acd=" in str(row[1].value)
        for row in about.iter_rows()
    )


@pytest.mark.parametrize(
    ("lang", "heading", "backtest", "made"),
    [
        (
            "nl",
            "Voorspelgeschiedenis: voorspelling tegenover wat er gebeurde",
            "backtest (achteraf gemaakt)",
            "1 januari 2024",
        ),
        (
            "en",
            "Forecast history: forecast against what happened",
            "backtest (made afterwards)",
            "1 January 2024",  # British English, as the texts are spelled
        ),
    ],
)
def test_country_page_shows_the_history_in_both_languages(
    history_client: Any, lang: str, heading: str, backtest: str, made: str
) -> None:
    html = history_client.get(f"/landen/SYR?lang={lang}").text
    assert f'<h2 id="forecast-history-h">{heading}</h2>' in html and 'href="#forecast-history"' in html
    assert backtest in html and made in html
    assert {"nl": "0,009", "en": "0.009"}[lang] in html  # the backtest's Brier score, 3 decimals
    assert f'href="{PATH}?format=xlsx"' in html


def test_unknown_country_is_a_problem(client: Any) -> None:
    response = client.get("/api/v1/countries/XXX/forecast-history")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")


def test_a_country_without_scored_forecasts_lists_them_unscored(client: Any) -> None:
    body = client.get("/api/v1/countries/UKR/forecast-history").json()
    assert body["forecasts"] and all(
        f["source"] == "live" and f["observed"] is None for f in body["forecasts"]
    )
    assert all(s["scored"] == 0 and s["brier"] is None for s in body["scores"])


def test_remote_mode_guards_the_history(remote_site: Any) -> None:
    secret = remote_site.token()
    with TestClient(remote_site.app()) as remote:
        assert remote.get(PATH, follow_redirects=False).status_code == 401
        ok = remote.get(PATH, headers={"Authorization": f"Bearer {secret}"})
        assert ok.status_code == 200 and ok.json()["iso3"] == "SYR"


@pytest.mark.parametrize(
    ("lang", "syria", "mali"),
    [
        (
            "en",
            "pushed up by conflict history (+0.70), illegitimate governance (+0.35) and poverty and "
            "inequality (+0.10)",
            "pushed up by illegitimate governance (+0.85), poverty and inequality (+0.20) and conflict "
            "history (+0.10)",
        ),
        (
            "nl",
            "omhoog geduwd door conflictgeschiedenis (+0,70), illegitiem bestuur (+0,35) en",
            "omhoog geduwd door illegitiem bestuur (+0,85), armoede en ongelijkheid (+0,20) en",
        ),
    ],
)
def test_explanations_differ_per_country(client: Any, lang: str, syria: str, mali: str) -> None:
    html = client.get(f"/landen/SYR?lang={lang}").text
    assert syria in html
    rows = {r["iso3"]: r["summary"] for r in client.get(f"/api/v1/watchlist?lang={lang}").json()["data"]}
    assert syria in rows["SYR"] and mali in rows["MLI"]
    change = {"en": "from 80% to 92%", "nl": "van 80% naar 92%"}[lang]
    assert change in rows["SYR"] and {"en": "(+0.30)", "nl": "(+0,30)"}[lang] in rows["SYR"]
    exported = client.get(f"/api/v1/forecasts?format=csv&country=MLI&target=incidence&lang={lang}").text
    assert mali in exported


def test_the_effect_column_agrees_with_the_sentence_above_it(client: Any) -> None:
    """Syria's poverty contribution is −0.20 but +0.10 against the median country (−0.30): the sentence
    says it pushes the risk up, so the table's effect, measured against the same median, says so too."""
    html = client.get("/landen/SYR?lang=en").text
    table = html[html.index("Contribution of each driver family</caption>") :]
    assert "Effect compared with the median country" in table
    poverty = re.search(r"Poverty and inequality(?:</a>)?</th>(.*?)</tr>", table)  # linked to the driver
    assert poverty is not None
    assert "−0.20" in poverty[1] and "+0.10" in poverty[1] and "raises the risk" in poverty[1]
    assert "0 = the typical country" not in html and "average over its training data" in html
