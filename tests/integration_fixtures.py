"""Shared integration fixture: the real mirror ingested ONCE per test session.

``ingested_store`` runs the full ``gbvs ingest`` pipeline on the real-data mirror (../shared/data
or GBVS_MIRROR) into a temporary data folder and returns an :class:`IngestedStore` (``.path`` is
the DuckDB store file, ``.data_dir`` the folder, ``.result`` the IngestResult). Skips when the
mirror is absent. Treat the store as read-only: copy it before changing anything.

tests/conftest.py loads this file once and exposes the fixture to every test folder; do not load it
again in a sub-folder's conftest.py (a second copy would ingest the mirror a second time).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from gbvs.config import load_settings
from gbvs.ingest import IngestResult, ingest

REPO_ROOT = Path(__file__).resolve().parents[1]


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


@pytest.fixture(scope="session")
def ingested_store(tmp_path_factory: pytest.TempPathFactory) -> IngestedStore:
    """The full mirror ingested once per session into a temporary data folder (read-only use)."""
    mirror = real_mirror()
    if mirror is None:
        pytest.skip("integration test: the real-data mirror is absent; set GBVS_MIRROR to run it")
    data_dir = tmp_path_factory.mktemp("ingested")
    settings = load_settings(data_dir=data_dir, mirror=mirror, store_path=data_dir / "store.duckdb")
    result = ingest(settings)
    return IngestedStore(result.store_path, data_dir, mirror, result)
