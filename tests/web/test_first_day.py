"""A new policy officer's first day: help reachable from every page, the jargon explained, a forecast's
drivers linked to the strategy's words (§2.2), and the signals register telling her how to get access."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from gbvs.config import Settings, load_settings
from gbvs.db.migrate import upgrade
from gbvs.db.session import make_engine
from gbvs.web.app import create_app
from gbvs.web.pages.help import GLOSSARY, PARTS, TERM_IDS
from gbvs.web.render import NAVIGATION

from .conftest import forecastbuilder

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "gbvs" / "web" / "templates"
PAGES = ("/", "/strategie", "/landen/SYR", "/aandachtslijst", "/modelprestaties", "/vroege-actie", "/bronnen")


@pytest.mark.parametrize("path", PAGES)
def test_every_page_links_to_the_help_page_and_its_glossary(client: Any, path: str) -> None:
    html = client.get(path).text
    assert 'href="/uitleg"' in html and 'href="/uitleg#woordenlijst"' in html


@pytest.mark.parametrize(
    ("lang", "needles"),
    [
        ("nl", ("Uitleg en hulp", "Wat de voorspellingen niet kunnen", "Woordenlijst", "Toegang en vragen")),
        ("en", ("Help and explanation", "What the forecasts cannot do", "Glossary", "Access and questions")),
    ],
)
def test_the_help_page_says_what_gbvs_is_its_parts_limits_and_whom_to_ask(
    client: Any, lang: str, needles: tuple[str, ...]
) -> None:
    response = client.get(f"/uitleg?lang={lang}")
    assert response.status_code == 200
    html = response.text
    for needle in needles:
        assert needle in html
    for href, _label in NAVIGATION:
        assert f'<dt><a href="{href}">' in html, f"the help page describes {href}"
    assert "GBVS_CONTACT_EMAIL" in html  # not configured here: the maintainer is told how


def test_every_part_of_the_navigation_has_a_description() -> None:
    assert {href for href, _label in NAVIGATION} == set(PARTS)


def test_the_help_page_names_the_configured_contact(web_settings: Settings) -> None:
    settings = web_settings.model_copy(
        update={"contact_name": "Team GBVS", "contact_email": "gbvs@example.nl"}
    )
    with TestClient(create_app(settings)) as client:
        html = client.get("/uitleg").text
    assert "Team GBVS" in html and 'href="mailto:gbvs@example.nl"' in html


def test_the_glossary_explains_the_words_a_newcomer_does_not_know(client: Any) -> None:
    html = client.get("/uitleg?lang=nl").text
    for term in GLOSSARY:
        assert f'id="begrip-{term.id}"' in html
    text = re.sub(r"<[^>]+>", "", html)
    for word in (
        "PR-AUC",
        "CRPS",
        "Kalibratie",
        "Horizon",
        "Run",
        "Peildatum",
        "Log-odds",
        "Bereik over startwaarden",
    ):
        assert re.search(rf"^{word}", text, re.M | re.I), word


def test_every_linked_term_is_in_the_glossary() -> None:
    used = set()
    for template in TEMPLATES.glob("*.html"):
        used |= set(re.findall(r'term\("([^"]+)"', template.read_text()))
    assert used and used <= TERM_IDS, used - TERM_IDS


def test_the_overview_links_its_jargon_to_the_glossary(client: Any) -> None:
    html = client.get("/").text
    for term in ("modelversie", "trainingsgrens", "peildatum", "horizon", "run", "log-odds", "mediane-land"):
        assert f'href="/uitleg#begrip-{term}"' in html, term
    assert 'href="/strategie/drijvers"' in html  # the "main drivers" column says what drivers are


def test_the_watchlist_explains_its_drivers_and_range_over_seeds(client: Any) -> None:
    html = client.get("/aandachtslijst").text
    assert 'href="/uitleg#begrip-startwaarden"' in html and 'href="/strategie/drijvers"' in html


def test_the_drivers_page_quotes_section_2_2_for_each_driver(client: Any) -> None:
    html = client.get("/strategie/drijvers").text
    assert 'id="drijver-polarisation"' in html and 'id="drijver-position_of_women"' in html
    assert "Polarisatie en de aanscherping van tegenstellingen door botsende ideologieën" in html
    assert "§2.2, lijst ontwikkelingen die onveiligheid kunnen veroorzaken, p. 15" in html
    assert 'href="/strategie/doelen/1"' in html
    assert 'href="/strategie/drijvers"' in client.get("/strategie").text


def test_a_forecast_explanation_links_each_driver_to_the_strategy(client: Any) -> None:
    html = client.get("/landen/MLI").text
    section = html[html.index('id="explanation"') : html.index('id="drivers"')]
    linked = set(re.findall(r'href="/strategie/drijvers#drijver-([a-z_]+)"', section))
    assert linked, "driver families in the explanation link to §2.2"
    assert "conflict_history" not in linked and "other" not in linked  # no driver of the strategy
    assert 'href="/uitleg#begrip-log-odds"' in section


@pytest.fixture
def register_client(web_settings: Settings, signals_database: str) -> Any:
    """Loopback mode over the small public register: the local user, without organisation."""
    settings = load_settings(data_dir=web_settings.data_dir, database_url=signals_database)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.mark.parametrize("path", ["/signalen", "/signalen/statistieken", "/zaken", "/signalen/nieuw"])
def test_the_local_user_learns_why_the_register_is_nearly_empty_and_whom_to_ask(
    register_client: Any, path: str
) -> None:
    html = register_client.get(path).text
    assert 'id="no-organisation"' in html and 'href="/uitleg#vragen"' in html
    assert "als de lokale gebruiker van deze computer" in html
    assert "kunt er geen toevoegen. Voor toegang vraagt u de beheerder" in html
    if path != "/signalen/nieuw":  # the form itself stays, below the notice, so its fields can be read
        assert 'href="/signalen/nieuw"' not in html and 'action="/signalen/nieuw"' not in html


def test_an_account_without_organisation_is_told_to_ask_for_one(remote_site: Any) -> None:
    with TestClient(remote_site.app(), base_url="https://testserver") as client:
        html = client.get("/signalen", headers={"Authorization": f"Bearer {remote_site.token('bob')}"}).text
    assert "Uw account hoort nog bij geen organisatie" in html and 'id="no-organisation"' in html


def test_the_response_gap_after_a_first_run_explains_itself_in_dutch(
    settings: Settings, small_store: Path
) -> None:
    """A Dutch page said "Alerts need two forecast runs of the watchlist's target (incidence, ...)"."""
    first = load_settings(data_dir=settings.data_dir, store_path=small_store)
    forecastbuilder.build_first_run(first)
    upgrade(make_engine(first))
    with TestClient(create_app(first)) as client:
        html = client.get("/vroege-actie/respons?lang=nl").text
    assert "Alerts need two forecast runs" not in html
    assert "dus signaleringen beginnen bij de tweede run" in html


@pytest.mark.parametrize("path", ["/aandachtslijst", "/landen/SYR", "/modelprestaties"])
def test_what_is_forecast_is_not_called_a_target_variable(client: Any, path: str) -> None:
    """'Doelvariabele' is statistics jargon, and 'doel' is what the strategy calls its goals."""
    html = client.get(path).text
    assert "oelvariabele" not in html
    assert re.search(r">Voorspelling</(th|label)>", html)
