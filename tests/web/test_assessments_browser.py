"""The scoring form of the threat assessment in headless Chromium (remote mode, an analyst's token):
axe-core with and without field errors, keyboard-reachable fields, screenshots. Marked ``browser``."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gbvs.config import load_settings
from gbvs.web.app import create_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def scoring_site(
    tmp_path_factory: pytest.TempPathFactory, small_store: Path, web_server: Any
) -> Iterator[tuple[str, str]]:
    spec = importlib.util.spec_from_file_location(
        "assessmentbuilder", Path(__file__).parent / "assessmentbuilder.py"
    )
    assert spec is not None and spec.loader is not None
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    data_dir = tmp_path_factory.mktemp("scoring-web")
    settings = load_settings(data_dir=data_dir, store_path=small_store, allow_remote=True)
    token = builder.build_assessment(settings)
    with web_server.serve_in_thread(create_app(settings)) as base_url:
        yield base_url, token


@pytest.fixture
def analyst_page(browser: Any, scoring_site: tuple[str, str]) -> Iterator[Any]:
    _base, token = scoring_site
    context = browser.new_context(
        bypass_csp=True,
        viewport={"width": 1280, "height": 900},
        extra_http_headers={"Authorization": f"Bearer {token}"},
    )
    yield context.new_page()
    context.close()


@pytest.mark.wcag("axe", "3.3.1", "3.3.2", "4.1.2")
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_scoring_form_passes_axe_with_and_without_errors(
    analyst_page: Any, scoring_site: tuple[str, str], browser_tools: Any, wcag_tools: Any, lang: str
) -> None:
    base, _token = scoring_site
    response = analyst_page.goto(f"{base}/dreigingen/2?lang={lang}")
    assert response.status == 200
    assert analyst_page.locator("form.scoring select").count() == 11  # likelihood + ten criteria
    browser_tools.screenshot(analyst_page, f"small-scoring-form-{lang}")
    assert not browser_tools.axe_violations(analyst_page)
    analyst_page.select_option("#class_likelihood", "C")
    analyst_page.evaluate(
        "document.querySelectorAll('form.scoring [required]').forEach(e => e.removeAttribute('required'))"
    )
    analyst_page.click("form.scoring button[type=submit]")
    assert analyst_page.locator("[aria-invalid=true]").count() > 0
    assert analyst_page.locator("[role=alert]").count() == 1
    assert analyst_page.title().startswith(("Fout: ", "Error: ")), analyst_page.title()
    problems = wcag_tools.error_problems(analyst_page)["problems"]
    assert not problems, "\n".join(problems)
    browser_tools.screenshot(analyst_page, f"small-scoring-form-errors-{lang}")
    assert not browser_tools.axe_violations(analyst_page)


@pytest.mark.wcag("3.3.1")
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_refused_dissent_takes_the_focus_and_reads_in_the_pages_language(
    analyst_page: Any, scoring_site: tuple[str, str], browser_tools: Any, lang: str
) -> None:
    """A refusal notice above a form (here: dissent without a text) did not take the focus, unlike the
    error summaries: a keyboard or screen-reader user stayed at the top of the reloaded page. It now
    takes the focus, so it is read out, and its reason is in the page's language."""
    base, _token = scoring_site
    analyst_page.goto(f"{base}/dreigingen/2?lang={lang}")
    analyst_page.evaluate("document.querySelector('#dissent-text').removeAttribute('required')")
    analyst_page.fill("#dissent-text", " ")
    with analyst_page.expect_navigation():
        analyst_page.click("form[action$='/afwijkend'] button[type=submit]")
    assert analyst_page.evaluate("() => document.activeElement.id") == "dissent-error"
    notice = analyst_page.locator("#dissent-error").inner_text()
    said = "Het veld ‘afwijkende mening’ is leeg" if lang == "nl" else "dissent is empty"
    assert said in notice and "Engels" not in notice, notice
    assert not browser_tools.axe_violations(analyst_page)
