"""The pages over the real mirror: real data on every page type, screenshots for the record.

Integration test (ingests ../shared/data once per session and makes a conflict forecast).
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

pytestmark = [pytest.mark.integration, pytest.mark.browser, pytest.mark.slow]

PAGES = {
    "overview": "/",
    "strategy": "/strategie",
    "goal": "/strategie/doelen/1",
    "countries": "/landen",
    "country": "/landen/SYR",
    "drivers": "/drijvers?indicator=vdem_v2x_pubcorr",
    "performance": "/modelprestaties",
    "demspaces": "/democratische-ruimte?show=all",  # DemSpaces beside GBVS, every country (issue 11)
    "sources": "/bronnen",
    "watchlist": "/aandachtslijst?view=onset",  # analyst (issue 12)
    "compare": "/vergelijken?landen=SYR,IRQ,MLI",  # analyst (issue 12): countries side by side
    "accessibility": "/toegankelijkheid",
}


def test_real_pages_show_real_data(real_server: str) -> None:
    syria = httpx.get(f"{real_server}/api/v1/countries/SYR/conflict-history?pageSize=200").json()
    years = {row["year"]: row for row in syria["data"]}
    assert years[2019]["conflict"] == 1 and years[2019]["brd_best"] > 1000
    html = httpx.get(f"{real_server}/?lang=en").text
    assert "Model version" in html and 'href="/landen/SYR"' in html
    sources = httpx.get(f"{real_server}/api/v1/sources?pageSize=100").json()["data"]
    acd = next(s for s in sources if s["table_name"] == "ucdp_acd")
    assert acd["version"].startswith("25.1") and len(acd["sha256"]) == 64


def test_real_explanations_are_country_specific_and_history_is_served(real_server: str) -> None:
    """Issue 12: nearly every country gets its own sentence; Syria's forecasts are in its history."""
    rows = httpx.get(f"{real_server}/api/v1/watchlist?lang=en&pageSize=100").json()["data"]
    summaries = [row["summary"] for row in rows]
    assert len(set(summaries)) >= 0.9 * len(summaries)
    assert all(s.startswith(("Compared with the median country", "No driver family")) for s in summaries)
    history = httpx.get(f"{real_server}/api/v1/countries/SYR/forecast-history").json()
    assert history["outcomes_until"] >= 2023 and history["forecasts"]
    assert {f["source"] for f in history["forecasts"]} >= {"live"}


@pytest.mark.parametrize("name", PAGES.keys())
def test_real_page_screenshot_and_axe(browser: Any, browser_tools: Any, real_server: str, name: str) -> None:
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    response = page.goto(f"{real_server}{PAGES[name]}")
    assert response.status == 200
    browser_tools.screenshot(page, f"real-{name}-nl")
    assert not browser_tools.axe_violations(page)
    context.close()
