"""The consultation coordinator's codebook page in headless Chromium, in both languages: axe-core on
the page with every form (a withdrawn coder's undo form included) and the history of revisions,
withdrawals and reinstatements, on the same page after a refused form, and on the reliability page that
shows the same history. Remote mode: the page is a coordinator's, so the browser logs in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.web.server import serve_in_thread

from gbvs.config import load_settings
from gbvs.web.app import create_app

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore::DeprecationWarning:sqlalchemy.*")]
DATA = Path(__file__).parents[1] / "opinion" / "data"
PASSWORD = "een lang genoeg wachtwoord 42"
CONSULTATION = "/publieksopinie/consultaties/gbvs-test"


def _build(data_dir: Path, small_store: Path) -> Any:
    """Remote-mode settings over a database with the test consultation coded by anna, bert and carla,
    one codebook revision, carla withdrawn and reinstated, and bert withdrawn."""
    from gbvs.db.migrate import upgrade
    from gbvs.db.opinion_models import CodebookChangeKind
    from gbvs.db.schemas import OrganisationCreate, UserCreate
    from gbvs.db.services import (
        consultation_codebook,
        consultation_coding,
        consultation_round,
        consultations,
        organisations,
        users,
    )
    from gbvs.db.services.principals import load_principal
    from gbvs.db.session import make_engine, make_session_factory, session_scope
    from gbvs.opinion.codebook import draft_codebook
    from gbvs.opinion.consultation import parse_info, parse_responses
    from gbvs.security import Role

    settings = load_settings(data_dir=data_dir, store_path=small_store, allow_remote=True)
    engine = make_engine(settings)
    upgrade(engine)
    factory = make_session_factory(engine)
    with session_scope(factory) as session:
        users.bootstrap_admin(session, "ada", "Ada", None, None)
    with session_scope(factory) as session:
        ada = load_principal(session, "ada")
        organisations.create_organisation(
            session, ada, OrganisationCreate(code="BZ", name_nl="BZ", name_en="MFA")
        )
        people = (
            ("mona", Role.coordinator),
            ("anna", Role.analyst),
            ("bert", Role.analyst),
            ("carla", Role.analyst),
        )
        for name, role in people:
            data = UserCreate(username=name, display_name=name, organisation_code="BZ", role=role)
            users.create_user(session, ada, data, PASSWORD)
    rows = parse_responses((DATA / "responses.csv").read_text(encoding="utf-8"))
    info = parse_info((DATA / "consultation.yaml").read_text(encoding="utf-8"), rows)
    with session_scope(factory) as session:
        consultations.import_consultation(session, load_principal(session, "mona"), info, draft_codebook())
    with session_scope(factory) as session:
        for name, theme in (("anna", "Q1.2"), ("bert", "Q1.9"), ("carla", "Q1.2")):
            coder = load_principal(session, name)
            for response in consultation_coding.responses_for_coder(session, coder, "gbvs-test"):
                consultation_coding.code_response(
                    session, coder, response.id, [theme] if response.question == 1 else []
                )
    with session_scope(factory) as session:
        mona = load_principal(session, "mona")
        change = consultation_codebook.CodebookRevision(
            CodebookChangeKind.add, "Q1.10", "ontbrak", "Klimaat", "Climate", "Q1"
        )
        consultation_codebook.revise_codebook(session, mona, "gbvs-test", change)
        consultation_round.withdraw_coder(session, mona, "gbvs-test", "carla", "dacht dat ze weg was")
        consultation_round.reinstate_coder(session, mona, "gbvs-test", "carla", "vergissing: ze codeert nog")
        consultation_round.withdraw_coder(session, mona, "gbvs-test", "bert", "vertrokken naar Defensie")
    engine.dispose()
    return settings


@pytest.fixture(scope="module")
def coordinator_server(tmp_path_factory: pytest.TempPathFactory, small_store: Path) -> Iterator[str]:
    settings = _build(tmp_path_factory.mktemp("opinion-browser"), small_store)
    with serve_in_thread(create_app(settings)) as base_url:
        yield base_url


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
