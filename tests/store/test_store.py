"""The store: atomic writer, read-only reader with Ibis tables, provenance, clear errors."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import ibis
import pyarrow as pa
import pytest

from gbvs.errors import NotFoundError, StoreError, StoreNotBuiltError
from gbvs.store import Store, StoreWriter, TableProvenance
from gbvs.store.writer import remove_stale_temp_files, temp_path_for

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _record(name: str, vintage: str | None = "2023") -> TableProvenance:
    return TableProvenance(
        name,
        "ucdp_acd",
        "UCDP/PRIO ACD",
        "25.1",
        vintage,
        NOW,
        "ab" * 32,
        "CC BY 4.0",
        "Davies et al. 2025",
        None,
        file="/m/acd.csv",
        origin="mirror",
        checksum_status="pinned",
        n_rows=2,
    )


def _build(path: Path, values: list[int]) -> Path:
    with StoreWriter(path) as writer:
        writer.write_table("acd", pa.table({"year": values, "gwcode": [652] * len(values)}))
        writer.write_provenance([_record("acd")])
        writer.commit()
    return path


def test_written_store_is_read_through_ibis_with_provenance(tmp_path: Path) -> None:
    path = _build(tmp_path / "store.duckdb", [2022, 2023])
    with Store(path) as store:
        assert store.tables() == ["acd"]
        table = store.table("acd")
        assert isinstance(table, ibis.expr.types.Table)
        assert table.year.max().execute() == 2023
        (record,) = store.provenance()
        assert record == _record("acd")
        assert store.provenance_of("acd").vintage == "2023"


def test_failure_before_commit_keeps_the_previous_store(tmp_path: Path) -> None:
    path = _build(tmp_path / "store.duckdb", [2022])
    before = path.read_bytes()
    with pytest.raises(RuntimeError), StoreWriter(path) as writer:
        writer.write_table("acd", pa.table({"year": [1999]}))
        raise RuntimeError("parser failed")
    assert path.read_bytes() == before
    assert not list(tmp_path.glob(".store.duckdb.*"))


def test_commit_replaces_the_store_atomically(tmp_path: Path) -> None:
    path = _build(tmp_path / "store.duckdb", [2022])
    inode = path.stat().st_ino
    _build(path, [2022, 2023, 2024])
    assert path.stat().st_ino != inode  # a new file was swapped in, the old one never rewritten
    with Store(path) as store:
        assert store.table("acd").count().execute() == 3


def test_copy_from_previous_keeps_tables_unchanged(tmp_path: Path) -> None:
    path = _build(tmp_path / "store.duckdb", [2021, 2022])
    with StoreWriter(path) as writer:
        writer.copy_from(path, ["acd"])
        assert writer.read_frame("acd").year.tolist() == [2021, 2022]
        assert writer.has_table("acd") and not writer.has_table("brd")
        backend = writer.ibis_backend()
        expr = backend.table("acd").mutate(next_year=ibis._.year + 1)
        assert writer.materialise("acd_next", expr) == 2
        writer.write_provenance([_record("acd")])
        writer.commit()
    with Store(path) as store:
        assert store.tables() == ["acd", "acd_next"]


def test_stale_temp_files_of_dead_writers_are_removed(tmp_path: Path) -> None:
    target = tmp_path / "store.duckdb"
    dead = temp_path_for(target, 2**22 + 12345)
    alive = temp_path_for(target, os.getppid())
    dead.write_bytes(b"half")
    alive.write_bytes(b"busy")
    assert remove_stale_temp_files(target) == [dead]
    assert alive.exists()


def test_missing_store_says_run_ingest(tmp_path: Path) -> None:
    with pytest.raises(StoreNotBuiltError, match=r"does not exist; run `gbvs ingest`"):
        Store(tmp_path / "store.duckdb")


def test_unknown_table_lists_the_tables(tmp_path: Path) -> None:
    with (
        Store(_build(tmp_path / "store.duckdb", [2022])) as store,
        pytest.raises(NotFoundError, match=r"'brd'.*acd"),
    ):
        store.table("brd")


def test_damaged_store_file_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "store.duckdb"
    path.write_bytes(b"not a database" * 100)
    with pytest.raises(StoreError, match=r"cannot be opened.*gbvs ingest"):
        Store(path)
