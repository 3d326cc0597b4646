"""The accessibility statement: one list of criteria shared by the tests and the page; its status rules."""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from gbvs.config import Settings, load_settings
from gbvs.strategy import Text
from gbvs.web.accessibility import (
    Criterion,
    HandCheck,
    Outcome,
    Results,
    load_criteria,
    load_results,
    statement,
    status_of,
)
from gbvs.web.app import create_app

HERE = Path(__file__).resolve().parent
BROWSER_TESTS = (HERE / "test_browser.py", HERE / "test_wcag_browser.py")
NOTE = Text(nl="notitie", en="note")


def _marked_keys() -> set[str]:
    """Every key of a ``@pytest.mark.wcag(...)`` in the browser test modules."""
    keys: set[str] = set()
    for path in BROWSER_TESTS:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and ast.unparse(node.func) == "pytest.mark.wcag":
                keys.update(arg.value for arg in node.args if isinstance(arg, ast.Constant))
    return keys


def test_the_list_has_every_wcag_21_a_and_aa_criterion_once() -> None:
    criteria = load_criteria()
    assert len(criteria) == 50 and len({c.id for c in criteria}) == 50
    assert sum(c.level == "A" for c in criteria) == 30


def test_the_tests_and_the_list_name_the_same_automated_checks() -> None:
    listed = {key for criterion in load_criteria() for key in criterion.result_keys}
    assert _marked_keys() == listed


def test_recorded_results_cover_every_automated_check() -> None:
    results = load_results()
    if results is None:
        pytest.skip("no results recorded yet: run bash scripts/wcag-check")
    listed = {key for criterion in load_criteria() for key in criterion.result_keys}
    assert set(results.outcomes) == listed
    assert all(outcome.passed > 0 for outcome in results.outcomes.values())


def _criterion(automated: tuple[Any, ...] = ("browser",), hand: str | None = None) -> Criterion:
    by_hand = HandCheck(status=hand, note=NOTE) if hand else None  # type: ignore[arg-type]
    return Criterion(id="1.4.10", level="AA", name=NOTE, automated=automated, by_hand=by_hand)


def _results(**outcomes: tuple[int, int]) -> Results:
    return Results(
        checked_on=date(2026, 12, 2),
        tools={"axe-core": "4.11.0"},
        outcomes={key.replace("_", "."): Outcome(passed=p, failed=f) for key, (p, f) in outcomes.items()},
    )


@pytest.mark.parametrize(
    ("automated", "hand", "results", "expected"),
    [
        (("browser",), None, None, "open"),  # never recorded: not claimed
        (("browser",), None, _results(**{"1_4_10": (24, 0)}), "passes"),
        (("browser",), None, _results(**{"1_4_10": (23, 1)}), "fails"),
        (("browser",), "open", _results(**{"1_4_10": (24, 0)}), "open"),  # a person still has to look
        (("browser",), "fails", _results(**{"1_4_10": (24, 0)}), "fails"),
        ((), "not_applicable", None, "not_applicable"),
        ((), "passes", None, "passes"),
        (("axe",), None, _results(axe=(22, 0)), "passes"),
    ],
)
def test_status_of_a_criterion(automated: Any, hand: Any, results: Any, expected: str) -> None:
    assert status_of(_criterion(automated, hand), results) == expected


def test_compliance_follows_the_model_statement_scale() -> None:
    passing = _criterion(("browser",))
    done = _results(**{"1_4_10": (24, 0)})
    assert statement((passing,), done).compliance == "full"
    assert statement((passing,), _results(**{"1_4_10": (23, 1)})).compliance == "partial"
    assert statement((passing, _criterion((), "open")), done).compliance == "first_measures"


def test_the_page_shows_status_per_criterion_date_and_contact(web_settings: Settings) -> None:
    contact = {
        "contact_name": "Team GBVS",
        "contact_email": "gbvs@example.org",
        "contact_url": "https://example.org",
    }
    with TestClient(create_app(load_settings(data_dir=web_settings.data_dir, **contact))) as client:
        html = client.get("/toegankelijkheid?lang=nl").text
    assert "Status per criterium" in html and 'id="wcag-1.4.10"' in html and "Reflow" in html
    assert "Niet-tekstuele content" in html and "niet van toepassing" in html
    assert "mailto:gbvs@example.org" in html and "Nationale ombudsman" in html
    results = load_results()
    if results is not None:
        assert results.checked_on.isoformat() in html


def test_without_a_contact_the_page_says_how_to_set_it(client: Any) -> None:
    html = client.get("/toegankelijkheid?lang=en").text
    assert "GBVS_CONTACT_EMAIL" in html and "mailto:" not in html


def test_each_automated_result_says_which_check_it_is_and_tools_are_named_once(client: Any) -> None:
    results = Results(
        checked_on=date(2026, 12, 4),
        tools={"axe-core": "4.11.0", "chromium": "Chromium 156.0 built on Debian"},
        outcomes={},
    )
    assert results.tool_names == "axe-core 4.11.0, Chromium 156.0 built on Debian"
    html = client.get("/toegankelijkheid?lang=en").text
    row = re.search(r'<tr id="wcag-2\.4\.2">.*?</tr>', html, re.S)
    assert row and "axe-core: " in row.group(0) and "browser tests: " in row.group(0)
    erratum = re.search(r'<tr id="wcag-4\.1\.1">.*?</tr>', html, re.S)
    assert erratum and "; recorded on 2026-12-02)" in erratum.group(0)
