"""The consultation coordinator's codebook page in headless Chromium, in both languages: axe-core on
the page with every form (a withdrawn coder's undo form included) and the history of revisions,
withdrawals and reinstatements, on the same page after a refused form, and on the reliability page that
shows the same history. Remote mode: the page is a coordinator's, so the browser logs in (the site:
tests/web/coordinatorbuilder.py, served by the ``coordinator_server`` fixture)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from tests.web.coordinatorbuilder import CONSULTATION, PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore::DeprecationWarning:sqlalchemy.*")]


@pytest.fixture
def page(browser: Any, coordinator_server: str) -> Iterator[Any]:
    """A page whose browser is logged in as mona, the consultation's coordinator."""
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.goto(f"{coordinator_server}/aanmelden?next={CONSULTATION}/codeboek")
    tab.fill("#login-user", "mona")
    tab.fill("#login-password", PASSWORD)
    tab.press("#login-password", "Enter")
    tab.wait_for_url(f"**{CONSULTATION}/codeboek")
    yield tab
    context.close()


@pytest.mark.wcag("axe")
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_codebook_page_with_its_forms_and_history_passes_axe(
    page: Any, coordinator_server: str, browser_tools: Any, lang: str
) -> None:
    response = page.goto(f"{coordinator_server}{CONSULTATION}/codeboek?lang={lang}")
    assert response.status == 200 and page.get_attribute("html", "lang") == lang
    for form in ("add", "reword", "merge", "retire", "withdraw", "reinstate"):
        assert page.locator(f"#{form}-heading").count() == 1, form
    assert page.locator("#coderonde + div table tbody tr").count() == 3  # withdrawn, reinstated, withdrawn
    browser_tools.screenshot(page, f"small-codebook-{lang}")
    violations = browser_tools.axe_violations(page)
    assert not violations, violations


@pytest.mark.wcag("axe")
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_codebook_page_after_a_refused_undo_passes_axe(
    page: Any, coordinator_server: str, browser_tools: Any, lang: str
) -> None:
    page.goto(f"{coordinator_server}{CONSULTATION}/codeboek?lang={lang}")
    page.evaluate("() => document.querySelector('#reinstate-reason').removeAttribute('required')")
    page.fill("#reinstate-reason", " ")
    page.click("form[aria-labelledby=reinstate-heading] button[type=submit]")
    assert page.locator("#reinstate-refused").count() == 1  # no reason: refused above its form
    browser_tools.screenshot(page, f"small-codebook-refused-{lang}")
    violations = browser_tools.axe_violations(page)
    assert not violations, violations


@pytest.mark.wcag("axe")
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_reliability_page_with_the_round_history_passes_axe(
    page: Any, coordinator_server: str, browser_tools: Any, lang: str
) -> None:
    response = page.goto(f"{coordinator_server}{CONSULTATION}/betrouwbaarheid?lang={lang}")
    assert response.status == 200 and page.locator("#coderonde").count() == 1
    violations = browser_tools.axe_violations(page)
    assert not violations, violations


@pytest.mark.wcag("1.4.10", "1.4.12", "2.4.7", "1.4.11")
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_codebook_page_reflows_keeps_its_text_and_shows_the_focus(
    page: Any, coordinator_server: str, wcag_tools: Any, lang: str
) -> None:
    """The checks tests/web/test_wcag_browser.py makes on every loopback page, on this remote one."""
    page.goto(f"{coordinator_server}{CONSULTATION}/codeboek?lang={lang}")
    states = wcag_tools.tab_through(page, limit=len(wcag_tools.focusable(page)) + 5)
    assert states and not wcag_tools.hidden_focus(states), wcag_tools.hidden_focus(states)
    page.set_viewport_size({"width": wcag_tools.REFLOW_WIDTH, "height": 640})
    page.goto(f"{coordinator_server}{CONSULTATION}/codeboek?lang={lang}")
    assert not wcag_tools.reflow_problems(page), wcag_tools.reflow_problems(page)
    page.add_style_tag(content=wcag_tools.TEXT_SPACING_CSS)
    assert not wcag_tools.text_problems(page), wcag_tools.text_problems(page)
