"""docs/sources.md names every source, table and provenance column (Datasette-style docs test)."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from gbvs.sources.registry import SOURCES
from gbvs.store import TableProvenance

DOC = (Path(__file__).resolve().parents[2] / "docs" / "sources.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("source", SOURCES, ids=lambda source: source.id)
def test_every_source_and_table_is_documented(source: object) -> None:
    from gbvs.sources.base import Source

    assert isinstance(source, Source)
    assert f"| `{source.id}` |" in DOC
    for table in source.table_names:
        assert f"`{table}`" in DOC


@pytest.mark.parametrize("column", [field.name for field in fields(TableProvenance)])
def test_every_provenance_column_is_documented(column: str) -> None:
    assert f"`{column}`" in DOC
