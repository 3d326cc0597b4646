"""Progress report (issue #14): the generated report and the /voortgang pages pass axe in Chromium.

Builds the 2018-2019 report with the real mirror (ingested once per session) through the CLI into
a temporary data folder with a migrated SQLite database, then serves that folder. Marked ``browser``.
"""

from __future__ import annotations

import importlib.util
import shutil
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from gbvs.cli.main import main
from gbvs.config import load_settings
from gbvs.web.app import create_app

pytestmark = pytest.mark.browser
PERIOD = "2018-2019"
PAGES = {
    "progress": "/voortgang",
    "progress-period": f"/voortgang/{PERIOD}",
    "progress-indicator": f"/voortgang/{PERIOD}/indicatoren/goal1_battle_deaths",
    "progress-draft": "/voortgang/concepten/1",
}


def _server() -> ModuleType:
    spec = importlib.util.spec_from_file_location("report_web_server", Path(__file__).with_name("server.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
    return data_dir


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
def test_generated_report_passes_axe(page: Any, report_dir: Path, browser_tools: Any, lang: str) -> None:
    html = (report_dir / "out" / f"gbvs-voortgang-{PERIOD}.{lang}.html").read_text(encoding="utf-8")
    page.set_content(html)
    assert page.get_attribute("html", "lang") == lang
    assert "nog niet aangeleverd" in html if lang == "nl" else "not yet reported" in html
    browser_tools.screenshot(page, f"report-{PERIOD}-{lang}")
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
