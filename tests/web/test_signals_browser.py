"""The signal pages in headless Chromium: the new-signal form and the STIX import form after a refused
submission pass axe in both languages (the error beside its field, linked by aria-describedby), the
result page of an import (by BZ's coordinator on the coordinator's site: the loopback analyst belongs to
no organisation, so cannot import) passes axe, and the list's filter form works without JavaScript."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from gbvs.signals.markings import STIX_TLP_MARKINGS, Tlp
from gbvs.signals.stix import GBVS_IDENTITY

pytestmark = pytest.mark.browser
AMBER = STIX_TLP_MARKINGS[Tlp.amber]


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


@pytest.mark.wcag("axe")
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_refused_form_shows_the_error_by_its_field_and_passes_axe(
    page: Any, live_server: str, browser_tools: Any, lang: str
) -> None:
    page.goto(f"{live_server}/signalen/nieuw?lang={lang}")
    page.fill("#f-title", "Een signaal")
    page.click("form.signal-form button[type=submit]")
    assert page.locator("#e-title").count() == 1  # loopback's local analyst belongs to no organisation
    assert page.get_attribute("#f-title", "aria-describedby") == "e-title"
    assert page.get_attribute("#f-title", "aria-invalid") == "true"
    assert page.input_value("#f-title") == "Een signaal", "what was typed is kept"
    browser_tools.screenshot(page, f"small-signal-form-error-{lang}")
    violations = browser_tools.axe_violations(page)
    assert not violations, violations


@pytest.mark.wcag("axe")
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_stix_import_form_refused_without_a_file_passes_axe(
    page: Any, live_server: str, browser_tools: Any, lang: str
) -> None:
    """The STIX bundle form (a file upload): sent without a file, the error stands beside the file
    field, linked by aria-describedby with the field's hint, and the page passes axe."""
    page.goto(f"{live_server}/signalen/stix-bundel?lang={lang}")
    page.click("form.signal-form button[type=submit]")
    assert page.locator("#e-bundle").count() == 1
    assert page.get_attribute("#f-bundle", "aria-describedby") == "h-bundle e-bundle"
    assert page.get_attribute("#f-bundle", "aria-invalid") == "true"
    browser_tools.screenshot(page, f"small-stix-form-error-{lang}")
    violations = browser_tools.axe_violations(page)
    assert not violations, violations


@pytest.mark.wcag("axe")
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_stix_import_result_page_passes_axe(
    browser: Any, coordinator_server: str, coordinator_login: dict[str, Any], browser_tools: Any, lang: str
) -> None:
    """An import redirects to its result page: the signal, the objects left out by id, a warning."""
    context = browser.new_context(bypass_csp=True, storage_state=coordinator_login)
    page = context.new_page()
    created = "2024-03-01T00:00:00.000Z"
    reference = {"source_name": "mitre-attack", "external_id": "T9999"}
    objects = [
        {"type": kind, "spec_version": "2.1", "id": f"{kind}--{uuid.uuid4()}", "created": created}
        | {"modified": created, "name": name, **extra}
        for kind, name, extra in (
            ("campaign", "Operatie Nachtvlinder", {"object_marking_refs": [AMBER]}),
            ("attack-pattern", "patroon T9999", {"external_references": [reference]}),
        )
    ]
    bundle = {"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": [*objects, GBVS_IDENTITY]}
    page.goto(f"{coordinator_server}/signalen/stix-bundel?lang={lang}")
    payload = {
        "name": "nachtvlinder.json",
        "mimeType": "application/json",
        "buffer": json.dumps(bundle).encode(),
    }
    page.set_input_files("#f-bundle", payload)
    page.click("form.signal-form button[type=submit]")
    page.wait_for_url("**/signalen/stix-bundel/*")
    assert page.locator(f"code:text-is('{GBVS_IDENTITY['id']}')").count() == 1
    browser_tools.screenshot(page, f"coordinator-stix-result-{lang}")
    violations = browser_tools.axe_violations(page)
    context.close()
    assert not violations, violations


def test_the_signal_filters_work_without_javascript(browser: Any, live_server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}/signalen?lang=en")
    assert page.locator("table tbody tr").count() == 6
    page.select_option("#f-kind", "cyber_operation")
    page.click("form.filters button")
    assert "kind=cyber_operation" in page.url
    assert page.locator("table tbody tr").count() == 2
    page.click("text=Openbaar signaal 4")
    assert page.url.endswith("/signalen/5")
    context.close()
