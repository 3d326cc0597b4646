"""The API against the official linter of the Dutch API Design Rules (``scripts/lint-api``).

The document of the app passes with zero errors; a route that breaks ADR rules makes the linter fail,
so a new endpoint that breaks a rule fails CI. Needs Spectral (``scripts/test-tools``) and the ruleset
in ``../shared/tools/adr``; skipped with the reason when either is missing.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from fastapi import APIRouter, Query

from gbvs.config import Settings, load_settings
from gbvs.web.api.document import adr_document
from gbvs.web.app import create_app

REPO = Path(__file__).resolve().parents[2]
SPECTRAL = REPO / ".cache" / "spectral" / "node_modules" / ".bin" / "spectral"
RULESET = REPO.parent / "shared" / "tools" / "adr" / "linter.yaml"
CONTACT = {
    "contact_name": "GBVS beheer",
    "contact_email": "beheer@example.org",
    "contact_url": "https://example.org",
}


@pytest.fixture
def contact_settings(web_settings: Settings) -> Settings:
    if not SPECTRAL.exists():
        pytest.skip(f"Spectral not found at {SPECTRAL}; run `bash scripts/test-tools`")
    if not RULESET.is_file():
        pytest.skip(f"the ADR ruleset is not at {RULESET}")
    return load_settings(data_dir=web_settings.data_dir, **CONTACT)


def lint(document: dict[str, object], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "openapi.json"
    path.write_text(json.dumps(document))
    return subprocess.run(
        ["bash", str(REPO / "scripts" / "lint-api"), str(path)], capture_output=True, text=True, check=False
    )


def test_the_api_document_passes_the_adr_linter(contact_settings: Settings, tmp_path: Path) -> None:
    app = create_app(contact_settings)
    result = lint(app.openapi(), tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No results with a severity of 'error' found" in result.stdout


def test_a_route_that_breaks_adr_rules_fails_the_linter(contact_settings: Settings, tmp_path: Path) -> None:
    wrong = APIRouter(prefix="/api/v1")

    @wrong.get(
        "/wrong_things",
        responses={404: {"description": "Not found", "content": {"application/json": {}}}},
    )
    def read_wrong_things(max_items: int = Query(default=10)) -> dict[str, int]:
        return {"max_items": max_items}

    app = create_app(contact_settings)
    app.include_router(wrong)
    result = lint(adr_document(app, contact_settings), tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    for rule in ("nlgov:query-keys-camel-case", "nlgov:use-problem-schema", "nlgov:paths-kebab-case"):
        assert rule in result.stdout


def test_without_a_configured_contact_the_document_has_none(web_settings: Settings) -> None:
    document = create_app(web_settings).openapi()
    assert "contact" not in document["info"]  # no placeholder: the linter then reports info-contact
