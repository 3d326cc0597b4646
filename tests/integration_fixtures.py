"""Shared integration fixture: the real mirror ingested ONCE per test session.

``ingested_store`` runs the full ``gbvs ingest`` pipeline on the real-data mirror (../shared/data
or GBVS_MIRROR) into a temporary data folder and returns an :class:`IngestedStore` (``.path`` is
the DuckDB store file, ``.data_dir`` the folder, ``.result`` the IngestResult). Skips when the
mirror is absent, and fails instead when ``GBVS_REQUIRE_MIRROR=1`` (as in CI: ``scripts/test``).
Treat the store as read-only: copy it before changing anything.

tests/conftest.py loads this file once and exposes the fixture to every test folder; do not load it
again in a sub-folder's conftest.py (a second copy would ingest the mirror a second time).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pytest

from gbvs.config import load_settings
from gbvs.ingest import IngestResult, ingest

REPO_ROOT = Path(__file__).resolve().parents[1]
REQUIRE_MIRROR_ENV = "GBVS_REQUIRE_MIRROR"
MIRROR_MISSING = (
    "integration test: the real-data mirror is absent; set GBVS_MIRROR to a folder laid out like "
    "../shared/data (with SOURCES.md) to run it"
)


@dataclass(frozen=True)
class IngestedStore:
    """A store built from the real mirror by the ingest pipeline."""

    path: Path
    data_dir: Path
    mirror: Path
    result: IngestResult


def real_mirror() -> Path | None:
    """The real-data mirror, if present."""
    candidate = Path(os.environ.get("GBVS_MIRROR") or REPO_ROOT.parent / "shared" / "data")
    return candidate if (candidate / "SOURCES.md").is_file() else None


def mirror_required() -> bool:
    """Whether a missing mirror must fail the run (``GBVS_REQUIRE_MIRROR=1``, as in CI)."""
    return os.environ.get(REQUIRE_MIRROR_ENV) == "1"


def skip_or_fail_without_mirror() -> NoReturn:
    """Skip an integration test without the mirror; fail it instead when the mirror is required."""
    if mirror_required():
        pytest.fail(f"{REQUIRE_MIRROR_ENV}=1 but {MIRROR_MISSING}")
    pytest.skip(MIRROR_MISSING)


@pytest.fixture(scope="session")
def ingested_store(tmp_path_factory: pytest.TempPathFactory) -> IngestedStore:
    """The full mirror ingested once per session into a temporary data folder (read-only use)."""
    mirror = real_mirror()
    if mirror is None:
        skip_or_fail_without_mirror()
    data_dir = tmp_path_factory.mktemp("ingested")
    settings = load_settings(data_dir=data_dir, mirror=mirror, store_path=data_dir / "store.duckdb")
    result = ingest(settings)
    return IngestedStore(result.store_path, data_dir, mirror, result)
