"""Fixtures for ingest tests.

- ``ingested_store`` (session): from ``tests/conftest.py`` (the real mirror, ingested once).
- ``small_store``: a tiny valid store file (one table + provenance) to stand for "the previous store".
- ``acd_text``: the real ACD CSV text, for building corrupted copies (skips without the mirror).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pytest

from gbvs.store import StoreWriter, TableProvenance

TESTS = Path(__file__).resolve().parents[1]


def write_small_store(path: Path) -> Path:
    """Write a valid one-table store at ``path``."""
    with StoreWriter(path) as writer:
        writer.write_table("marker", pa.table({"x": [1, 2, 3]}))
        now = datetime(2026, 1, 1, tzinfo=UTC)
        writer.write_provenance(
            [TableProvenance("marker", "test", "marker", "1", "2025", now, None, "-", "-", None)]
        )
        writer.commit()
    return path


@pytest.fixture
def small_store(tmp_path: Path) -> Path:
    """A tiny valid store file in ``tmp_path/data``."""
    return write_small_store(tmp_path / "data" / "store.duckdb")


@pytest.fixture
def acd_text(mirror: Path) -> str:
    """The mirror's ACD CSV as text."""
    return (mirror / "ucdp" / "UcdpPrioConflict_v25_1_to2023.csv").read_text(encoding="utf-8")
