"""The analytical store records its layout, and a reader refuses a store of another layout with what to
do (instead of failing later on a column that moved)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from gbvs import __version__
from gbvs.errors import SchemaTooNewError, StoreError
from gbvs.store import Store, StoreWriter, TableProvenance
from gbvs.store.layout import STORE_LAYOUT
from gbvs.store.tables import TableName


def _build(path: Path) -> Path:
    record = TableProvenance(
        table_name="numbers", source_id="test", title="Numbers", version="1", vintage="2023",
        ingested_at=datetime(2024, 1, 1, tzinfo=UTC), sha256=None, licence="CC0", citation="Test", url=None,
    )  # fmt: skip
    with StoreWriter(path) as writer:
        writer.write_table("numbers", pa.table({"value": [1, 2]}))
        writer.write_provenance([record])
        writer.commit()
    return path


def _set_layout(path: Path, layout: int | None) -> None:
    with duckdb.connect(str(path)) as con:
        if layout is None:
            con.execute(f"DROP TABLE {TableName.layout}")
        else:
            con.execute(f"UPDATE {TableName.layout} SET layout = ?, gbvs_version = '9.9.9'", [layout])


def test_a_new_store_records_its_layout_and_the_gbvs_that_wrote_it(tmp_path: Path) -> None:
    path = _build(tmp_path / "store.duckdb")
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute(f"SELECT layout, gbvs_version FROM {TableName.layout}").fetchall() == [
            (STORE_LAYOUT, __version__)
        ]
    with Store(path) as store:
        assert store.tables() == ["numbers"], "the layout table is bookkeeping, not a data table"


def test_a_store_from_before_the_layout_was_recorded_is_read_as_layout_1(tmp_path: Path) -> None:
    path = _build(tmp_path / "store.duckdb")
    _set_layout(path, None)
    with Store(path) as store:
        assert store.has_table("numbers")


def test_a_store_of_an_older_layout_says_to_rebuild_it(tmp_path: Path) -> None:
    path = _build(tmp_path / "store.duckdb")
    _set_layout(path, STORE_LAYOUT - 1)
    with pytest.raises(StoreError) as caught:
        Store(path)
    message = str(caught.value)
    assert not isinstance(caught.value, SchemaTooNewError)
    assert str(path) in message and f"layout {STORE_LAYOUT - 1}" in message and "GBVS 9.9.9" in message
    assert "run `gbvs ingest` (all sources, without --only)" in message


def test_a_store_of_a_newer_layout_names_the_newer_gbvs(tmp_path: Path) -> None:
    path = _build(tmp_path / "store.duckdb")
    _set_layout(path, STORE_LAYOUT + 1)
    with pytest.raises(SchemaTooNewError, match=r"built by GBVS 9\.9\.9 in layout 2, newer than this GBVS"):
        Store(path)
    _set_layout(path, STORE_LAYOUT)  # the file was closed on refusal: it can be written and read again
    with Store(path) as store:
        assert store.has_table("numbers")
