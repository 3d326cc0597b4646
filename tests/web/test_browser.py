"""Every page type in headless Chromium, in both languages: screenshots, axe-core, keyboard, no-script.

Uses the small store built by the tests. Marked ``browser``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

pytestmark = pytest.mark.browser

PAGES = {
    "overview": "/",
    "strategy": "/strategie",
    "goal": "/strategie/doelen/1",
    "trends": "/strategie/trends",  # analyst (issue 12, fix 14)
    "interests": "/strategie/belangen",  # analyst (issue 12, fix 14)
    "strategy-drivers": "/strategie/drijvers",  # the drivers of §2.2 a forecast's explanation links to
    "help": "/uitleg",  # help, glossary and whom to ask
    "countries": "/landen",
    "country": "/landen/SYR",
    "drivers": "/drijvers",
    "performance": "/modelprestaties",
    "demspaces": "/democratische-ruimte?show=all",  # DemSpaces beside GBVS, every country (issue 11)
    "sources": "/bronnen",
    "watchlist": "/aandachtslijst",  # analyst (issue 12)
    "accessibility": "/toegankelijkheid",
    # early action
    "actions": "/vroege-actie",
    "action-case": "/vroege-actie/1",
    "action-new": "/vroege-actie/nieuw",
    "action-gap": "/vroege-actie/respons",
    "opinion": "/publieksopinie",  # public opinion (issue 15)
    "login": "/aanmelden",
    # signals register (issue 10)
    "signals": "/signalen",
    "signal": "/signalen/1",
    "signal-new": "/signalen/nieuw",
    "signal-statistics": "/signalen/statistieken",
    "cases": "/zaken",
    "case": "/zaken/1",
    "error": "/landen/XYZ",
    # threat assessment (issue 13)
    "scenarios": "/dreigingen",
    "scenario-closed": "/dreigingen/1",
    "scenario-open": "/dreigingen/2",
    "assessment-results": "/dreigingen/resultaten",
    "displacement": "/ontheemding",  # forced displacement (issue 17)
    "compare": "/vergelijken?landen=SYR,MLI,NLD",  # analyst (issue 12): countries side by side
    "compare-form": "/vergelijken",
}


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


@pytest.mark.wcag("axe", "3.1.1")
@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("name", PAGES.keys())
def test_page_passes_axe_and_is_captured(
    page: Any, live_server: str, browser_tools: Any, name: str, lang: str
) -> None:
    path = PAGES[name]
    response = page.goto(f"{live_server}{path}{'&' if '?' in path else '?'}lang={lang}")
    assert response.status == (404 if name == "error" else 200)
    assert page.get_attribute("html", "lang") == lang
    browser_tools.screenshot(page, f"small-{name}-{lang}")
    violations = browser_tools.axe_violations(page)
    assert not violations, violations


def test_main_flow_overview_country_goal(page: Any, live_server: str, browser_tools: Any) -> None:
    page.goto(f"{live_server}/?lang=en")
    page.click("table a[href='/landen/MLI']")
    assert page.url.endswith("/landen/MLI")
    assert "Mali" in page.inner_text("h1")
    page.click("#goals a >> nth=0")
    assert "/strategie/doelen/" in page.url
    assert page.inner_text("h1").startswith("Goal")
    browser_tools.screenshot(page, "small-flow-goal-en")


def test_keyboard_reaches_skip_link_with_visible_focus(page: Any, live_server: str) -> None:
    page.goto(f"{live_server}/bronnen")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.className")
    assert focused == "skip-link"
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    left = page.evaluate("() => document.activeElement.getBoundingClientRect().left")
    assert outline == "solid" and left >= 0  # focus is visible and the skip link moves into view
    page.keyboard.press("Enter")
    assert page.evaluate("() => location.hash") == "#main"


def test_pages_read_without_javascript(browser: Any, live_server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}/drijvers?indicator=vdem_v2x_pubcorr&year=2020&lang=en")
    assert page.locator("table tbody tr").count() >= 4
    page.select_option("#f-region", "sahel")
    page.click("form.filters button")
    assert "region=sahel" in page.url
    context.close()


def test_the_language_switch_is_visible_and_works(page: Any, live_server: str) -> None:
    page.goto(f"{live_server}/bronnen?lang=nl")
    page.click("text=English")
    assert page.inner_text("h1") == "Sources"
    page.goto(f"{live_server}/landen")
    assert page.get_attribute("html", "lang") == "en"
