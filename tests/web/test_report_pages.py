"""Progress report (issue #14): the generated report and the /voortgang pages pass axe in Chromium.

Builds the 2018-2019 report with the real mirror (ingested once per session) through the CLI into
a temporary data folder with a migrated SQLite database, then serves that folder. Marked ``browser``.
"""

from __future__ import annotations

import importlib.util
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from gbvs.assessments import load_method
from gbvs.cli.main import main
from gbvs.config import load_settings
from gbvs.db.schemas import OrganisationCreate, UserCreate
from gbvs.db.services import assessments as threat
from gbvs.db.services import organisations, tokens, users
from gbvs.db.services.principals import load_principal
from gbvs.db.session import make_engine, make_session_factory, session_scope
from gbvs.reports import records
from gbvs.security import Role
from gbvs.web.app import create_app

pytestmark = pytest.mark.browser
PERIOD = "2018-2019"
CONTEXT_PERIOD = "2026-2026"  # the test forecast runs and the released threat scenario are from 2026
PAGES = {
    "progress": "/voortgang",
    "progress-period": f"/voortgang/{PERIOD}",
    "progress-indicator": f"/voortgang/{PERIOD}/indicatoren/goal1_battle_deaths",
    "progress-draft": "/voortgang/concepten/1",
}


def _load(name: str, file: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(file))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _server() -> ModuleType:
    return _load("report_web_server", "server.py")


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory: pytest.TempPathFactory, ingested_store: Any) -> Path:
    """A data folder with the real store, a migrated database, a draft and the built report."""
    data_dir = tmp_path_factory.mktemp("report-web")
    shutil.copy(ingested_store.path, data_dir / "store.duckdb")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("GBVS_DATA_DIR", str(data_dir))
        env.delenv("GBVS_TOKEN", raising=False)
        assert main(["db", "upgrade"]) == 0
        assert (
            main(
                ["report", "build", "--period", PERIOD, "--lang", "nl,en", "--output", str(data_dir / "out")]
            )
            == 0
        )
        assert main(["report", "draft", "create", "--period", PERIOD]) == 0
        _released_scenario(load_settings(data_dir=data_dir))
        _load("report_web_forecasts", "forecastbuilder.py").build_forecasts(load_settings(data_dir=data_dir))
        out = str(data_dir / "out")
        assert main(["report", "build", "--period", CONTEXT_PERIOD, "--lang", "nl,en", "--output", out]) == 0
    return data_dir


def _released_scenario(settings: Any) -> None:
    """A threat scenario scored by three analysts, closed and released, so the risk diagram is drawn."""
    factory = make_session_factory(make_engine(settings))
    with session_scope(factory) as session:
        users.bootstrap_admin(session, "root", "Root Admin")
        admin = load_principal(session, "root")
        organisations.create_organisation(
            session,
            admin,
            OrganisationCreate(code="BZ", name_nl="Buitenlandse Zaken", name_en="Foreign Affairs"),
        )
        for name, role in (("coco", Role.coordinator), ("ann", Role.analyst), ("bob", Role.analyst)):
            users.create_user(
                session,
                admin,
                UserCreate(username=name, display_name=name, organisation_code="BZ", role=role),
            )
        coordinator = load_principal(session, "coco")
        [scenario, *_] = threat.seed_drafts(session, coordinator)
        threat.open_round(session, coordinator, scenario)
        criteria = load_method("nrb_2009").criterion_ids()
        for name, code in (("ann", "B"), ("bob", "D")):
            scores = {criterion: (code, "reden") for criterion in criteria}
            threat.submit_scores(session, load_principal(session, name), scenario, (code, "waarom"), scores)
        threat.close_round(session, coordinator, scenario)
        records.release(session, coordinator, "scenario", str(scenario), "vrijgegeven voor de test")


@pytest.fixture(scope="module")
def report_server(report_dir: Path) -> Iterator[str]:
    """The app over that folder on a free loopback port."""
    with _server().serve_in_thread(create_app(load_settings(data_dir=report_dir))) as base_url:
        yield base_url


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def test_all_three_formats_are_written(report_dir: Path) -> None:
    out = report_dir / "out"
    for lang in ("nl", "en"):
        for fmt in ("html", "pdf", "docx"):
            assert (out / f"gbvs-voortgang-{PERIOD}.{lang}.{fmt}").stat().st_size > 10_000


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("period", [PERIOD, CONTEXT_PERIOD])
def test_generated_report_passes_axe(
    page: Any, report_dir: Path, browser_tools: Any, lang: str, period: str
) -> None:
    html = (report_dir / "out" / f"gbvs-voortgang-{period}.{lang}.html").read_text(encoding="utf-8")
    page.set_content(html)
    assert page.get_attribute("html", "lang") == lang
    assert "nog niet aangeleverd" in html if lang == "nl" else "not yet reported" in html
    if period == CONTEXT_PERIOD:  # the whole context chapter: driver monitor, watchlist, risk diagram
        assert 'id="drivers-h"' in html and "forecast-new" in html and 'class="chart risk-diagram"' in html
    browser_tools.screenshot(page, f"report-{period}-{lang}")
    violations = browser_tools.axe_violations(page)
    assert not violations, violations


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("name", PAGES.keys())
def test_progress_pages_pass_axe(
    page: Any, report_server: str, browser_tools: Any, name: str, lang: str
) -> None:
    response = page.goto(f"{report_server}{PAGES[name]}?lang={lang}")
    assert response.status == 200
    browser_tools.screenshot(page, f"{name}-{lang}")
    violations = browser_tools.axe_violations(page)
    assert not violations, violations


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_draft_form_errors_pass_axe(page: Any, report_server: str, browser_tools: Any, lang: str) -> None:
    """The comment form sent with an empty text: the field error beside its field, still accessible."""
    page.goto(f"{report_server}{PAGES['progress-draft']}?lang={lang}")
    page.select_option("#comment-goal", "1")
    page.eval_on_selector("#comment-text", "field => field.removeAttribute('required')")
    with page.expect_navigation():
        page.click('form[action$="/opmerkingen"] button[type="submit"]')
    assert page.get_attribute("#comment-text", "aria-invalid") == "true"
    assert page.is_visible("#comment-text-error")
    browser_tools.screenshot(page, f"progress-draft-error-{lang}")
    violations = browser_tools.axe_violations(page)
    assert not violations, violations


@pytest.fixture(scope="module")
def coordinator_site(report_dir: Path) -> Iterator[str]:
    """The same folder in remote mode, with a TLP:AMBER value of BZ's that the public report leaves out;
    yields the base URL (coco's token is sent by :func:`coordinator_page`)."""
    settings = load_settings(data_dir=report_dir, allow_remote=True)
    factory = make_session_factory(make_engine(settings))
    with session_scope(factory) as session:
        coco = load_principal(session, "coco")
        entry = records.ValueEntry(
            "goal2_pve_programmes", "2019", 4, date(2020, 1, 10), "BZ-overzicht", "amber"
        )
        records.add_reported_value(session, coco, entry)
        secret, _ = tokens.create_token(session, coco, "browser tests")
    with _server().serve_in_thread(create_app(settings)) as base_url:
        yield f"{base_url}|{secret}"


@pytest.fixture
def coordinator_page(browser: Any, coordinator_site: str) -> Iterator[Any]:
    _base, secret = coordinator_site.split("|")
    context = browser.new_context(
        bypass_csp=True,
        viewport={"width": 1280, "height": 900},
        extra_http_headers={"Authorization": f"Bearer {secret}"},
    )
    yield context.new_page()
    context.close()


@pytest.mark.wcag("axe", "3.3.1", "4.1.2")
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_disclosure_check_and_its_release_form_pass_axe(
    coordinator_page: Any, coordinator_site: str, browser_tools: Any, lang: str
) -> None:
    """The openbaarheidstoets lists BZ's left-out value with its release form; sent without a reason,
    the field error sits by its field and the page still passes axe."""
    base = coordinator_site.split("|")[0]
    response = coordinator_page.goto(f"{base}/voortgang/{PERIOD}/openbaarheidstoets?lang={lang}")
    assert response.status == 200
    form = coordinator_page.locator('form[action$="/openbaarheidstoets/vrijgeven"]')
    assert form.count() >= 1
    assert not browser_tools.axe_violations(coordinator_page)
    coordinator_page.eval_on_selector_all(
        "textarea[name=reason]", "fields => fields.forEach(f => f.removeAttribute('required'))"
    )
    with coordinator_page.expect_navigation():
        form.first.locator("button[type=submit]").click()
    assert coordinator_page.locator("textarea[aria-invalid=true]").count() == 1
    browser_tools.screenshot(coordinator_page, f"progress-toets-error-{lang}")
    violations = browser_tools.axe_violations(coordinator_page)
    assert not violations, violations
