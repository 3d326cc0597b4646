"""A missing, truncated, re-encoded or schema-changed source file is refused with a message naming the
file, what was expected and what was found, and the previous store stays byte-identical."""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gbvs.config import Settings, load_settings
from gbvs.errors import (
    ChecksumMismatchError,
    ParseError,
    SchemaMismatchError,
    SourceError,
    SourceMissingError,
)
from gbvs.ingest import ingest
from gbvs.store import Store

ACD_MIRROR_FILE = "ucdp/UcdpPrioConflict_v25_1_to2023.csv"
ACD_CACHE_ZIP = "ucdp/ucdp-prio-acd-251-csv.zip"


def _drop_column(text: str, column: str) -> str:
    rows = list(csv.reader(io.StringIO(text)))
    index = rows[0].index(column)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([row[:index] + row[index + 1 :] for row in rows])
    return out.getvalue()


def _set_value(text: str, column: str, value: str) -> str:
    rows = list(csv.reader(io.StringIO(text)))
    rows[1][rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _truncate(text: str) -> str:
    cut = text[: len(text) // 2]
    return cut.rstrip("\n") + "x"  # ends mid-row, as a cut-off download does


def _duplicate_first_row(text: str) -> str:
    lines = text.splitlines(keepends=True)
    return "".join([*lines, lines[1]])


Corruption = Callable[[str], bytes]

CORRUPTIONS = [
    pytest.param(lambda t: _truncate(t).encode(), ParseError, r"truncated", id="truncated"),
    pytest.param(
        lambda t: t.replace(",", ";").encode(), ParseError, r"semicolon-separated", id="wrong-delimiter"
    ),
    pytest.param(lambda t: t.encode("utf-16"), ParseError, r"expected UTF-8.*re-encoded", id="re-encoded"),
    pytest.param(
        lambda t: _drop_column(t, "intensity_level").encode(),
        SchemaMismatchError,
        r"intensity_level",
        id="missing-column",
    ),
    pytest.param(
        lambda t: _set_value(t, "intensity_level", "3").encode(),
        SchemaMismatchError,
        r"intensity_level.*'?3",
        id="out-of-range",
    ),
    pytest.param(
        lambda t: _set_value(t, "year", "twenty").encode(),
        SchemaMismatchError,
        r"year.*whole numbers.*twenty",
        id="wrong-type",
    ),
    pytest.param(
        lambda t: _duplicate_first_row(t).encode(), SchemaMismatchError, r"not unique", id="duplicate-key"
    ),
]


def _offline_cache_settings(settings: Settings, store: Path) -> Settings:
    return load_settings(data_dir=store.parent, store_path=store, allow_download=False)


def _put_cached_zip(settings: Settings, payload: bytes) -> Path:
    path = settings.cache_dir / ACD_CACHE_ZIP
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("UcdpPrioConflict_v25_1.csv", payload)
    return path


def _assert_untouched(store: Path, before: bytes) -> None:
    assert store.read_bytes() == before
    with Store(store) as opened:
        assert opened.tables() == ["marker"]
    assert not list(store.parent.glob(f".{store.name}.*"))


@pytest.mark.integration
@pytest.mark.parametrize(("corrupt", "error", "message"), CORRUPTIONS)
def test_broken_download_is_refused_and_store_kept(
    settings: Settings,
    small_store: Path,
    acd_text: str,
    corrupt: Corruption,
    error: type[Exception],
    message: str,
) -> None:
    local = _offline_cache_settings(settings, small_store)
    cached = _put_cached_zip(local, corrupt(acd_text))
    before = small_store.read_bytes()
    with pytest.raises(error, match=message) as raised:
        ingest(local)
    assert str(cached) in str(raised.value)
    _assert_untouched(small_store, before)


def _with_2024(text: str) -> str:
    """The mirror's ACD (to 2023) as release 25.1 would be: with rows for 2024 (its 2023 rows, relabelled)."""
    rows = list(csv.reader(io.StringIO(text)))
    year = rows[0].index("year")
    later = [[*row[:year], "2024", *row[year + 1 :]] for row in rows[1:] if row[year] == "2023"]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([*rows, *later])
    return out.getvalue()


def _cut_at_line(text: str, lines: int) -> str:
    """``text`` cut after ``lines`` lines, at a line break (as `head -n` does), keeping its 2024 rows."""
    kept = text.splitlines(keepends=True)
    return "".join(kept[:lines] + [line for line in kept[lines:] if ",2024," in line])


@pytest.mark.integration
def test_intact_download_passes_the_same_checks(settings: Settings, small_store: Path, acd_text: str) -> None:
    local = _offline_cache_settings(settings, small_store)
    _put_cached_zip(local, _with_2024(acd_text).encode())
    with pytest.raises(SourceError) as raised:  # ACD passes; the next source is not in the empty cache
        ingest(local)
    assert "ucdp_brd" in str(raised.value)


def _mirror_copy(tmp_path: Path, mirror: Path) -> Path:
    copy = tmp_path / "mirror"
    (copy / "ucdp").mkdir(parents=True)
    shutil.copy(mirror / "SOURCES.md", copy / "SOURCES.md")
    shutil.copy(mirror / ACD_MIRROR_FILE, copy / ACD_MIRROR_FILE)
    return copy


@pytest.mark.integration
def test_wrong_checksum_names_file_expected_and_found(
    settings: Settings, small_store: Path, mirror: Path, tmp_path: Path
) -> None:
    copy = _mirror_copy(tmp_path, mirror)
    target = copy / ACD_MIRROR_FILE
    target.write_bytes(target.read_bytes().replace(b"Garoland", b"Garolend", 1))
    before = small_store.read_bytes()
    local = load_settings(data_dir=small_store.parent, store_path=small_store, mirror=copy)
    with pytest.raises(ChecksumMismatchError) as raised:
        ingest(local)
    text = str(raised.value)
    assert str(target) in text
    assert "expected 85f133a2158b622e58c59b9b9bd4f37d2e4d5f90a9a419e59a7bb6e85984be4d" in text
    assert "sha256 is " in text and "replace it in the mirror with the published file" in text
    _assert_untouched(small_store, before)


def test_missing_file_names_the_file_and_the_fix(
    settings: Settings, small_store: Path, tmp_path: Path
) -> None:
    empty = tmp_path / "empty-mirror"
    (empty / "ucdp").mkdir(parents=True)  # the right folder, without the file
    before = small_store.read_bytes()
    local = load_settings(data_dir=small_store.parent, store_path=small_store, mirror=empty)
    with pytest.raises(
        SourceMissingError, match=r"UcdpPrioConflict_v25_1_to2023\.csv.*into the mirror folder"
    ):
        ingest(local)
    _assert_untouched(small_store, before)


def test_cli_reports_the_error_with_input_exit_code(
    settings: Settings,
    small_store: Path,
    tmp_path: Path,
    run_cli: Callable[..., object],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    empty = tmp_path / "empty-mirror"
    empty.mkdir()
    monkeypatch.setenv("GBVS_MIRROR", str(empty))
    monkeypatch.setenv("GBVS_STORE_PATH", str(small_store))
    before = small_store.read_bytes()
    result = run_cli("ingest")
    assert result.exit_code == 4  # type: ignore[attr-defined]
    assert "ucdp_acd" in result.stderr and "niet gevonden" in result.stderr  # type: ignore[attr-defined]
    _assert_untouched(small_store, before)


def _with_gwno_loc(text: str, old: str, new: str, year: str, count: int) -> str:
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    location, year_at = header.index("gwno_loc"), header.index("year")
    chosen = [row for row in rows[1:] if row[location] == old and row[year_at] == year][:count]
    for row in chosen:
        row[location] = new
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _put_mirror_zip(copy: Path, text: str) -> Path:
    path = copy / ACD_CACHE_ZIP
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("UcdpPrioConflict_v25_1.csv", text)
    return path


@pytest.mark.integration
def test_unpinned_release_with_a_code_of_no_state_is_refused(
    small_store: Path, mirror: Path, tmp_path: Path, acd_text: str
) -> None:
    copy = _mirror_copy(tmp_path, mirror)
    zipped = _put_mirror_zip(copy, _with_gwno_loc(acd_text, "652", "653", "2023", 3))  # Syria -> no state
    before = small_store.read_bytes()
    local = load_settings(data_dir=small_store.parent, store_path=small_store, mirror=copy)
    with pytest.raises(SchemaMismatchError) as raised:
        ingest(local)
    text = str(raised.value)
    assert str(zipped) in text and "'gwno_loc' holds 653" in text and "(year 2023), 3 row(s)" in text
    assert "653 is not a Gleditsch-Ward state code" in text and "correct the code" in text
    _assert_untouched(small_store, before)


@pytest.mark.integration
def test_unpinned_release_without_rows_for_its_year_is_refused(
    small_store: Path, mirror: Path, tmp_path: Path, acd_text: str
) -> None:
    copy = _mirror_copy(tmp_path, mirror)
    zipped = _put_mirror_zip(copy, "".join(acd_text.splitlines(keepends=True)[:1500]))  # head -n 1500
    before = small_store.read_bytes()
    local = load_settings(data_dir=small_store.parent, store_path=small_store, mirror=copy)
    with pytest.raises(SchemaMismatchError, match=r"holds no rows for 2024.*version 25\.1") as raised:
        ingest(local)
    assert str(zipped) in str(raised.value)
    _assert_untouched(small_store, before)


@pytest.mark.integration
def test_unpinned_release_cut_at_a_line_is_refused_unless_accepted(
    ingested_store: Any, tmp_path: Path, acd_text: str
) -> None:
    store = tmp_path / "data" / "store.duckdb"
    store.parent.mkdir()
    shutil.copy(ingested_store.path, store)
    copy = _mirror_copy(tmp_path, ingested_store.mirror)
    _put_mirror_zip(copy, _cut_at_line(_with_2024(acd_text), 1500))
    local = load_settings(data_dir=store.parent, store_path=store, mirror=copy)
    before = store.read_bytes()
    with pytest.raises(SchemaMismatchError) as raised:
        ingest(local, only=["ucdp_acd"])
    text = str(raised.value)
    assert "table 'ucdp_acd' would have 1558 rows, 1132 fewer than the 2690 rows of the current store" in text
    assert "`gbvs ingest --accept-fewer-rows ucdp_acd`" in text
    assert store.read_bytes() == before
    ingest(local, only=["ucdp_acd"], accept_fewer_rows=["ucdp_acd"])
    with Store(store) as opened:
        record = next(r for r in opened.provenance() if r.table_name == "ucdp_acd")
    assert (record.n_rows, record.vintage) == (1558, "2024")
    assert (
        record.note is not None
        and "Accepted with 1558 rows, 1132 fewer than the previous store's 2690" in record.note
    )
