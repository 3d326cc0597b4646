"""Fixtures of the web tests: a small store built here, and an ASGI test client over it."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import warnings
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from starlette.exceptions import StarletteDeprecationWarning

with warnings.catch_warnings():  # starlette's TestClient warns that httpx is deprecated in favour of httpx2
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from gbvs.config import Settings, load_settings
from gbvs.db.migrate import upgrade
from gbvs.db.schemas import UserCreate
from gbvs.db.services import tokens, users
from gbvs.db.services.principals import load_principal
from gbvs.db.session import make_engine, make_session_factory, session_scope
from gbvs.db.testing import (
    BACKENDS,
    POSTGRES_MISSING,
    isolated_database_url,
    postgres_base_url,
    postgres_required,
)
from gbvs.security import Role
from gbvs.web import accessibility
from gbvs.web.app import create_app

HERE = Path(__file__).resolve().parent


def load_helper(name: str) -> ModuleType:
    """Import a helper module of this folder (tests are imported with --import-mode=importlib)."""
    spec = importlib.util.spec_from_file_location(f"web_tests_{name}", HERE / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


storebuilder = load_helper("storebuilder")
assessmentbuilder = load_helper("assessmentbuilder")  # threat assessment (issue 13)
server = load_helper("server")


forecastbuilder = load_helper("forecastbuilder")
signalbuilder = load_helper("signalbuilder")  # signals register (issue 10)
actionsbuilder = load_helper("actionsbuilder")  # early action
draftbuilder = load_helper("draftbuilder")  # progress report (issue 14)
coordinatorbuilder = load_helper("coordinatorbuilder")  # pages that need a coordinator's login
stixbuilder = load_helper("stixbuilder")  # STIX bundles to import (API and page)


@pytest.fixture(scope="session")
def web_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with a small store, a small forecasts file, and in its default database one
    early-action case on the forecasts' alert (issue 13). Built once per session."""
    data_dir = tmp_path_factory.mktemp("web-data")
    storebuilder.build_store(data_dir / "store.duckdb")
    settings = load_settings(data_dir=data_dir)
    forecastbuilder.build_forecasts(settings)
    actionsbuilder.build_actions(settings)
    return data_dir


@pytest.fixture(scope="session")
def web_database(web_data_dir: Path) -> str:
    """URL of a second database in the small data folder, the one the live server's pages are tested
    over: public signals and a case of the signals register (issue 10), a threat assessment with closed
    and open rounds and the same early-action case (issue 13). The default database stays for tests
    that make their own accounts."""
    url = assessmentbuilder.database_url(web_data_dir)
    settings = load_settings(data_dir=web_data_dir, database_url=url)
    signalbuilder.build_signals(settings)
    assessmentbuilder.build_assessment(settings, bootstrap=False)
    actionsbuilder.build_actions(settings)
    draftbuilder.build_draft(settings)
    return url


@pytest.fixture(scope="session")
def signals_database(web_database: str) -> str:
    """URL of the small operational database with the signals register (issue 10)."""
    return web_database


@pytest.fixture(scope="session")
def small_store(web_data_dir: Path) -> Path:
    """The small analytical store."""
    return web_data_dir / "store.duckdb"


@pytest.fixture
def web_settings(settings: Settings, web_data_dir: Path) -> Settings:
    """Settings over the small store and forecasts (the app only reads them)."""
    return load_settings(data_dir=web_data_dir)


@pytest.fixture
def client(web_settings: Settings) -> Iterator[TestClient]:
    """A test client of the app over the small store and forecasts."""
    with TestClient(create_app(web_settings)) as test_client:
        yield test_client


@pytest.fixture
def quick_backtest_client(settings: Settings, small_store: Path) -> Iterator[TestClient]:
    """A test client whose stored backtest is a quick one (`gbvs backtest --quick`)."""
    quick = load_settings(data_dir=settings.data_dir, store_path=small_store)
    forecastbuilder.build_forecasts(quick, backtest_title="GBVS backtest (country-year, quick)")
    with TestClient(create_app(quick)) as test_client:
        yield test_client


@pytest.fixture
def no_forecast_client(settings: Settings, small_store: Path) -> Iterator[TestClient]:
    """A test client with a store but no forecasts file."""
    with TestClient(
        create_app(load_settings(data_dir=settings.data_dir, store_path=small_store))
    ) as test_client:
        yield test_client


@pytest.fixture
def empty_client(settings: Settings) -> Iterator[TestClient]:
    """A test client of the app without any store (before `gbvs ingest`)."""
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def live_server(web_data_dir: Path, web_database: str) -> Iterator[str]:
    """The app over the small store, forecasts and operational database, served by uvicorn on a free port."""
    settings = load_settings(data_dir=web_data_dir, database_url=web_database)
    with server.serve_in_thread(create_app(settings)) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def remote_server(tmp_path_factory: pytest.TempPathFactory, small_store: Path) -> Iterator[str]:
    """The app in remote mode (login required) over the small store, on a free loopback port."""
    data_dir = tmp_path_factory.mktemp("remote-web")
    app = create_app(load_settings(data_dir=data_dir, store_path=small_store, allow_remote=True))
    with server.serve_in_thread(app) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def coordinator_server(tmp_path_factory: pytest.TempPathFactory, small_store: Path) -> Iterator[str]:
    """A remote-mode GBVS whose coordinator mona logs in to her consultation's codebook page and the round
    page of her scenario, with its deadline and who has not scored yet (tests/web/coordinatorbuilder.py)."""
    settings = coordinatorbuilder.build(tmp_path_factory.mktemp("coordinator-web"), small_store)
    with server.serve_in_thread(create_app(settings)) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def wcag_tools() -> ModuleType:
    """The WCAG checks of wcag.py."""
    return load_helper("wcag")


@pytest.fixture(scope="session")
def crawler() -> ModuleType:
    """The site crawler (``crawler.py``): every internal link from the start pages."""
    return load_helper("crawler")


@pytest.fixture(scope="session")
def browser_tools() -> ModuleType:
    """The helpers of browser.py (test modules cannot import this conftest)."""
    return load_helper("browser")


@pytest.fixture(scope="module")
def browser(browser_tools: ModuleType) -> Iterator[Any]:
    """Headless Chromium for one test module; skips with the reason when the tools are missing."""
    reason = browser_tools.missing_tools()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = browser_tools.launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def coordinator_login(browser: Any, coordinator_server: str) -> dict[str, Any]:
    """The browser state (its session cookie) of the coordinator logged in on the coordinator's site
    (``browser.new_context(storage_state=...)``)."""
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(f"{coordinator_server}/aanmelden?next=/dreigingen")
    page.fill("#login-user", coordinatorbuilder.COORDINATOR)
    page.fill("#login-password", coordinatorbuilder.PASSWORD)
    page.press("#login-password", "Enter")
    page.wait_for_url("**/dreigingen")
    state: dict[str, Any] = context.storage_state()
    context.close()
    return state


@pytest.fixture(scope="session")
def real_data_dir(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """A data folder over the real mirror: the ingested store plus a fresh conflict forecast.

    GBVS_WEB_REAL_DATA_DIR may name a prepared folder (store, forecasts and backtest) instead.
    """
    prepared = os.environ.get("GBVS_WEB_REAL_DATA_DIR")
    if prepared:
        return Path(prepared)
    from gbvs.forecasting.service import forecast

    store = request.getfixturevalue("ingested_store")
    data_dir = tmp_path_factory.mktemp("real-web")
    forecast(load_settings(data_dir=data_dir, store_path=store.path), targets=["incidence"])
    (data_dir / "store_path").write_text(str(store.path))
    return data_dir


@pytest.fixture(scope="session")
def real_server(real_data_dir: Path) -> Iterator[str]:
    """The app over the real-data folder, on a free loopback port."""
    marker = real_data_dir / "store_path"
    store_path = Path(marker.read_text()) if marker.is_file() else real_data_dir / "store.duckdb"
    app = create_app(load_settings(data_dir=real_data_dir, store_path=store_path))
    with server.serve_in_thread(app) as base_url:
        yield base_url


# --- Recording the WCAG checks (scripts/wcag-check sets GBVS_RECORD_WCAG=1) ---------------------------
# Every test marked ``wcag(*keys)`` adds its outcome to each key (a criterion id, or "axe"); at the end
# the counts go to src/gbvs/web/accessibility/results.json, but only when every automated check of
# criteria.yaml ran and none was skipped, so the file never claims a check that did not run.

WCAG_OUTCOMES: dict[str, list[str]] = defaultdict(list)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    marker = item.get_closest_marker("wcag")
    if marker is None or (report.when != "call" and report.passed):
        return
    for key in marker.args:
        WCAG_OUTCOMES[key].append(report.outcome)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if os.environ.get("GBVS_RECORD_WCAG") != "1" or not WCAG_OUTCOMES:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    needed = {key for criterion in accessibility.load_criteria() for key in criterion.result_keys}
    missing = sorted(needed - set(WCAG_OUTCOMES))
    skipped = sorted(key for key, outcomes in WCAG_OUTCOMES.items() if "skipped" in outcomes)
    if missing or skipped:
        reporter.write_line(
            f"WCAG results NOT recorded: checks not run {missing}, skipped {skipped}", red=True
        )
        return
    outcomes = {
        key: accessibility.Outcome(passed=results.count("passed"), failed=results.count("failed"))
        for key, results in sorted(WCAG_OUTCOMES.items())
    }
    results = accessibility.Results(
        checked_on=datetime.now(UTC).date(), tools=_tool_versions(), outcomes=outcomes
    )
    accessibility.save_results(results)
    reporter.write_line(f"WCAG results recorded in {accessibility.results_path()}", green=True)


def _tool_versions() -> dict[str, str]:
    browser = load_helper("browser")
    axe = json.loads((browser.AXE_JS.parent / "package.json").read_text())["version"]
    chromium = subprocess.run(
        [str(browser.CHROMIUM), "--version"], capture_output=True, text=True, check=False
    )
    return {"axe-core": axe, "chromium": chromium.stdout.strip() or "unknown"}


PASSWORD = "correct horse battery staple"
FORECAST_FILES = ("forecasts.duckdb",)


@dataclass
class RemoteSite:
    """A remote-mode GBVS over the small store, with users 'ada' (admin) and 'bob' (analyst)."""

    settings: Settings
    engine: Engine
    backend: str
    password: str = PASSWORD

    def factory(self) -> sessionmaker[Session]:
        """Sessions on the site's database."""
        return make_session_factory(self.engine)

    def token(self, username: str = "bob", name: str = "test") -> str:
        """A new API token of ``username``."""
        with session_scope(self.factory()) as session:
            secret, _ = tokens.create_token(session, load_principal(session, username), name)
        return secret

    def app(self) -> Any:
        """A fresh app of the site."""
        return create_app(self.settings)


@pytest.fixture(params=BACKENDS)
def remote_site(request: pytest.FixtureRequest, tmp_path: Path, web_data_dir: Path) -> Iterator[RemoteSite]:
    """A remote-mode site over the small store and forecasts, on SQLite and on PostgreSQL."""
    backend = request.param
    if backend == "postgresql" and postgres_base_url() is None:
        if postgres_required():
            pytest.fail(f"GBVS_REQUIRE_POSTGRES=1 but {POSTGRES_MISSING}")
        pytest.skip(POSTGRES_MISSING)
    with isolated_database_url(backend, tmp_path) as url:
        data_dir = tmp_path / "data"
        data_dir.mkdir()
        for name in FORECAST_FILES:
            shutil.copy2(web_data_dir / name, data_dir / name)
        store = web_data_dir / "store.duckdb"
        settings = load_settings(data_dir=data_dir, store_path=store, allow_remote=True, database_url=url)
        engine = make_engine(settings)
        upgrade(engine)
        with session_scope(make_session_factory(engine)) as session:
            users.bootstrap_admin(session, "ada", "Ada", None, PASSWORD)
            ada = load_principal(session, "ada")
            bob = UserCreate(username="bob", display_name="Bob", organisation_code=None, role=Role.analyst)
            users.create_user(session, ada, bob, PASSWORD)
        yield RemoteSite(settings, engine, backend)
        engine.dispose()


@pytest.fixture
def stix_importers(
    remote_site: RemoteSite,
) -> Iterator[tuple[RemoteSite, TestClient, dict[str, dict[str, str]]]]:
    """The remote site with analyst 'bz' of BZ and 'kijker' a BZ viewer (tests/web/stixbuilder.py), a
    client over it and each one's Bearer header, for the STIX import through the API and the page."""
    headers = stixbuilder.add_importers(remote_site)
    with TestClient(remote_site.app(), base_url="https://testserver") as client:
        yield remote_site, client, headers


@pytest.fixture(scope="session")
def web_server() -> ModuleType:
    """The helpers of server.py (serve an app with uvicorn in a thread)."""
    return server
