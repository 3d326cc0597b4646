"""Every "not there yet" notice in the reader's language: the error behind it (no forecasts file, no
forecast run, no backtest, no displacement run, no store) carries catalogue words, and each page passes the
error itself into the notice, so a Dutch page shows why in Dutch, an English one in English (the English
text stays what the command line and the API have always said). The API's problem says it in the
language asked for too.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from gbvs.config import Settings, load_settings
from gbvs.db.migrate import upgrade
from gbvs.db.session import make_engine
from gbvs.web.app import create_app

from .conftest import forecastbuilder

NO_FORECASTS_FILE = (  # a store but no forecasts file: every page that shows forecasts
    "/",
    "/aandachtslijst",
    "/landen/SYR",
    "/modelprestaties",
    "/vroege-actie/respons",
    "/ontheemding",
    "/strategie/doelen/2",
)
FIRST_RUN_ONLY = (  # a forecasts file with one forecast run: no backtest, no displacement run
    "/modelprestaties",
    "/ontheemding",
    "/landen/SYR",
)
NOTICE = re.compile(
    r'<details class="maintainer">(?:(?!</details>).)*?'
    r'<p class="provenance">([^<]*(?:<(?!/p>)[^<]*)*)</p></details>',
    re.S,
)


@pytest.fixture
def without_forecasts(settings: Settings, small_store: Path) -> Iterator[TestClient]:
    """A client over a store without a forecasts file, with a migrated database (the response gap)."""
    chosen = load_settings(data_dir=settings.data_dir, store_path=small_store)
    upgrade(make_engine(chosen))
    with TestClient(create_app(chosen)) as client:
        yield client


@pytest.fixture
def first_run(settings: Settings, small_store: Path) -> Iterator[TestClient]:
    """A client over the small store and a forecasts file with only a first forecast run."""
    first = load_settings(data_dir=settings.data_dir, store_path=small_store)
    forecastbuilder.build_first_run(first)
    upgrade(make_engine(first))
    with TestClient(create_app(first)) as client:
        yield client


def _reasons(client: TestClient, path: str, lang: str | None) -> list[str]:
    """The reasons (the maintainer's detail) of the page's "not there yet" notices, as marked up."""
    query = "" if lang is None else ("&" if "?" in path else "?") + f"lang={lang}"
    page = client.get(path + query)
    assert page.status_code == 200, (path, page.status_code)
    reasons = NOTICE.findall(page.text)
    assert reasons, f"{path}: no notice with a reason"
    return reasons


def _check_languages(client: TestClient, path: str) -> None:
    dutch, english = _reasons(client, path, None), _reasons(client, path, "en")
    assert len(dutch) == len(english)
    for nl, en in zip(dutch, english, strict=True):
        assert 'lang="en"' not in nl, f"{path}: the reason is English on a Dutch page: {nl}"
        assert "nog geen" in html.unescape(nl).lower(), f"{path}: {nl}"
        assert html.unescape(en).startswith(("no ", "the latest")), f"{path}: {en}"
        assert "gbvs " in nl and "gbvs " in en  # the command that makes what is missing


@pytest.mark.parametrize("path", NO_FORECASTS_FILE)
def test_without_a_forecasts_file_each_notice_says_why_in_the_readers_language(
    without_forecasts: TestClient, path: str
) -> None:
    _check_languages(without_forecasts, path)


@pytest.mark.parametrize("path", FIRST_RUN_ONLY)
def test_after_a_first_run_each_missing_part_is_said_in_the_readers_language(
    first_run: TestClient, path: str
) -> None:
    _check_languages(first_run, path)


def test_the_reason_is_the_errors_own_english_text_on_an_english_page(first_run: TestClient) -> None:
    """The English page shows what the command line says, word for word."""
    (reason,) = _reasons(first_run, "/modelprestaties", "en")
    assert html.unescape(reason) == "no backtest stored for unit 'country-year'; run `gbvs backtest`"
    (reason,) = _reasons(first_run, "/modelprestaties", "nl")  # ?lang=en was kept for the next page
    assert html.unescape(reason) == (
        "Nog geen backtest opgeslagen voor eenheid 'country-year'; `gbvs backtest` maakt er een."
    )


@pytest.mark.parametrize(
    ("fixture", "path", "english", "dutch"),
    [
        ("no_forecast_client", "/api/v1/forecasts", "no forecasts file at", "Nog geen voorspellingsbestand"),
        ("first_run", "/api/v1/backtest-metrics", "no backtest stored for unit", "Nog geen backtest"),
        ("empty_client", "/api/v1/sources", "the analytical store", "De analytische opslag"),
    ],
)
def test_the_apis_problem_says_what_is_missing_in_the_language_asked_for(
    request: pytest.FixtureRequest, fixture: str, path: str, english: str, dutch: str
) -> None:
    client: Any = request.getfixturevalue(fixture)
    plain = client.get(path)
    asked = client.get(path, headers={"Accept-Language": "nl"})
    assert plain.status_code == asked.status_code == 503
    assert plain.json()["detailLanguage"] == "en" and plain.json()["detail"].startswith(english)
    assert asked.json()["detailLanguage"] == "nl" and asked.json()["detail"].startswith(dutch)
    assert "gbvs " in asked.json()["detail"]
