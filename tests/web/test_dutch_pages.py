"""Dutch pages show no English (issue 12, fix 8), except text marked ``lang="en"`` (citations, proper names).

The pages of the small store are rendered in Dutch, their visible text is read (without what is marked
English, code and scripts), and common English words must not occur. Stored English texts (dataset
titles, licences, backtest notes) are checked against :mod:`gbvs.web.sourcetexts`, so a new source or
note without a translation fails here rather than on a page.
"""

from __future__ import annotations

import re
import time
from datetime import datetime
from html.parser import HTMLParser
from typing import Any

import pytest
from fastapi.testclient import TestClient

from gbvs import numbers
from gbvs.forecasting.domain import Unit
from gbvs.forecasting.report import RunFacts, backtest_notes
from gbvs.sources.registry import SOURCES
from gbvs.web.i18n import load_catalogs
from gbvs.web.sourcetexts import BACKTEST_NOTES, BACKTEST_TITLES, PROPER_NAMES, TEXTS, source_text

PAGES = (
    "/",
    "/modelprestaties",
    "/democratische-ruimte?show=all",
    "/bronnen",
    "/landen",
    "/landen/SYR",
    "/drijvers",
    "/aandachtslijst",
    "/aandachtslijst?view=onset",
    "/ontheemding",
    "/publieksopinie",
    "/strategie",
    "/strategie/trends",
    "/strategie/belangen",
    "/strategie/drijvers",
    "/uitleg",
    "/strategie/doelen/1",
    "/vroege-actie",
    "/voortgang",
    "/dreigingen",
    "/signalen/stix-bundel",  # the STIX import form
    "/bestaat-niet",  # the 404 page
    "/landen/QQQ",  # a 404 with a service message
)
ENGLISH = re.compile(
    r"\b(the|and|with|from|which|this|that|not|years?|countries|country|per year|found|page|between|"
    r"unknown|forecasts?(?!-)|source|data lag|run `)\b",
    re.IGNORECASE,
)
NAMES = ("Belt and Road Initiative",)
"""Proper names the strategy uses in its Dutch text."""
ADDRESS = re.compile(r"(?<!\S)/[\w/{}.-]+")
"""An address in a Dutch sentence ("gebruik een code uit /api/v1/countries"): a name, not English."""
SKIPPED = {"script", "style", "code", "pre"}
VOID = {"br", "img", "input", "meta", "link", "hr", "area", "base", "col", "embed", "source", "track", "wbr"}


class VisibleText(HTMLParser):
    """The text a Dutch reader sees, without elements marked English and code."""

    def __init__(self) -> None:
        super().__init__()
        self.hidden: list[bool] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        english = dict(attrs).get("lang") == "en"
        self.hidden.append(tag in SKIPPED or english or bool(self.hidden and self.hidden[-1]))

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.hidden:
            self.hidden.pop()

    def handle_data(self, data: str) -> None:
        if data.strip() and not (self.hidden and self.hidden[-1]):
            self.parts.append(data.strip())


def english_on(html: str) -> list[str]:
    """The pieces of visible text with an English word in them."""
    reader = VisibleText()
    reader.feed(html)
    parts = [re.sub("|".join(map(re.escape, NAMES)), "", part) for part in reader.parts]
    parts = [ADDRESS.sub("", part) for part in parts]
    return [part for part in parts if ENGLISH.search(part)]


@pytest.mark.parametrize("path", PAGES)
def test_a_dutch_page_shows_no_english(client: TestClient, path: str) -> None:
    page = client.get(path, params={"lang": "nl"})
    assert page.status_code in (200, 404), path
    assert english_on(page.text) == [], path


def test_no_dutch_page_the_site_links_to_shows_english(client: TestClient, crawler: Any) -> None:
    """Every page a Dutch reader can reach by following links (not only :data:`PAGES`), so a new page
    is checked the day it is linked."""
    dutch = crawler.crawl(client, "nl").pages
    english = {path.split("?")[0]: found for path, html in dutch.items() if (found := english_on(html))}
    assert len(dutch) > 150, f"the crawl reached only {len(dutch)} Dutch pages"
    assert not english, english


def test_the_check_finds_english_that_is_not_marked() -> None:
    assert english_on("<p>Bron: Natural Earth Admin-0 countries 1:50m</p>") != []
    marked = '<p>Bron: <span lang="en">Political Regime Characteristics and Transitions</span></p>'
    assert english_on(marked) == []


def test_map_names_are_the_dutch_country_names(client: TestClient) -> None:
    """Country names on the map come from gbvs.countries (CLDR), not from Natural Earth."""
    assert "<title>Syrië: " in client.get("/", params={"lang": "nl"}).text
    assert "<title>Syria: " in client.get("/", params={"lang": "en"}).text


def test_every_registered_source_title_and_licence_is_translated_or_a_proper_name() -> None:
    dutch = load_catalogs()["nl"].gettext
    for source in SOURCES:
        assert source.title in TEXTS or source.title in PROPER_NAMES, source.title
        assert source.licence in TEXTS or not ENGLISH.search(source.licence), source.licence
        if source.licence in TEXTS:
            assert source_text(source.licence, dutch).text == dutch(source.licence) != source.licence


def test_every_backtest_note_and_title_has_a_dutch_translation() -> None:
    dutch = load_catalogs()["nl"].gettext
    for unit in Unit:
        for quick in (False, True):
            for neighbours in (False, True):
                for note in backtest_notes(RunFacts(unit, False, quick, neighbours, True)):
                    assert note in BACKTEST_NOTES and dutch(note) != note, note
            title = f"GBVS backtest ({unit.value}{', quick' if quick else ''})"
            assert title in BACKTEST_TITLES and dutch(title) != title


def test_a_time_stamp_is_shown_in_dutch_time_with_its_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Times were the machine's own zone without a label; they are Dutch time, winter or summer, named
    the Dutch way, whatever zone the server runs in (stored in UTC)."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        assert numbers.moment("2026-12-02 10:05:09.123456+00:00", "nl") == "2 december 2026 11:05 CET"
        assert numbers.moment(datetime(2026, 7, 1, 12, 5), "nl") == "1 juli 2026 14:05 CEST"  # naive: UTC
        assert numbers.moment("2026-07-01T12:05:00+00:00", "en") == "1 July 2026 14:05 CEST"
        assert numbers.moment(None, "nl") == "–"
    finally:
        monkeypatch.undo()
        time.tzset()


def test_a_tiny_value_is_written_in_scientific_notation_in_the_language() -> None:
    assert numbers.scientific(0.0000036, "nl") == "3,6E-6"
    assert numbers.scientific(0.0000036, "en") == "3.6E-6"
    assert numbers.scientific(123456.0, "nl", 2) == "1,23E5"


def test_a_threshold_is_written_as_given_in_the_language() -> None:
    assert numbers.exact(0.0125, "nl") == "0,0125" and numbers.exact(0.0125, "en") == "0.0125"
    assert numbers.exact(1500.5, "nl") == "1.500,5" and numbers.exact(0.2, "en") == "0.2"


def test_a_translated_note_stands_outside_the_english_name_it_follows() -> None:
    """A proper name with a note of the mirror: the name is marked English, the Dutch note is not."""
    from gbvs.web.render import create_environment

    catalogs = load_catalogs()
    title = (
        "UCDP/PRIO Armed Conflict Dataset (mirror copy restricted to 1946-2023 (2024 withheld for scoring))"
    )
    template = create_environment().from_string("{{ title | srctext }} · {{ vintage | english }}")
    vintage = "ucdp_acd=25.1 (restricted to 1946-2023)"
    shown = template.render(title=title, vintage=vintage, lang="nl", t=catalogs["nl"])
    assert shown == (
        '<span lang="en">UCDP/PRIO Armed Conflict Dataset</span> (lokale datakopie (mirror) beperkt'
        " tot 1946-2023 (2024 achtergehouden om de voorspellingen later te toetsen)) ·"
        ' <span lang="en">ucdp_acd=25.1 (restricted to 1946-2023)</span>'
    )
    english = template.render(title=title, vintage=vintage, lang="en", t=catalogs["en"])
    assert english == f"{title} · {vintage}"
