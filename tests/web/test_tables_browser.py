"""The sorted and filtered tables (issue 12, "Add") in headless Chromium, in both languages: axe-core
finds no violations, and a sort link followed with the keyboard only reverses the order (no script)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

pytestmark = pytest.mark.browser

SORTED = {
    "countries": "/landen?region=sahel&sort=-gwcode",
    "drivers": "/drijvers?q=a&sort=-value",
    "sources": "/bronnen?status=current&sort=-ingested",
    "performance": "/modelprestaties?model=lgbm&sort=-ap",
    "signals": "/signalen?q=signal&sort=title",
    "displacement": "/ontheemding?q=a&sort=-risk",
}


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(
        bypass_csp=True, java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    yield context.new_page()
    context.close()


@pytest.mark.wcag("axe", "1.3.1")
@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("name", SORTED.keys())
def test_sorted_and_filtered_tables_pass_axe(
    browser: Any, live_server: str, browser_tools: Any, name: str, lang: str
) -> None:
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    response = page.goto(f"{live_server}{SORTED[name]}&lang={lang}")
    assert response.status == 200
    assert page.locator("th[aria-sort]").count() >= 1
    browser_tools.screenshot(page, f"small-table-{name}-{lang}")
    violations = browser_tools.axe_violations(page)
    context.close()
    assert not violations, violations


def test_a_sort_link_reverses_the_order_without_script(page: Any, live_server: str) -> None:
    page.goto(f"{live_server}/landen?lang=en")
    first = page.locator("tbody th[scope=row]").all_inner_texts()
    page.focus("th[aria-sort=ascending] a")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/landen?lang=en&sort=-name")
    assert page.locator("th[aria-sort=descending]").count() == 1
    assert page.locator("tbody th[scope=row]").all_inner_texts() == first[::-1]
