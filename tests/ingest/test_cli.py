"""`gbvs sources` before any ingest, and `gbvs ingest --only` argument errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from gbvs.cli.texts import said_in
from gbvs.config import Settings
from gbvs.errors import Words
from gbvs.ingest.pipeline import Completeness, IngestResult, _run_source, written_summary
from gbvs.ingest.report import SilentReporter
from gbvs.sources.fetch import Fetcher
from gbvs.sources.registry import SOURCES, get_source
from gbvs.store import StoreWriter, TableProvenance


def test_sources_lists_the_registry_before_any_ingest(
    settings: Settings, run_cli: Callable[..., Any]
) -> None:
    result = run_cli("sources", "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    expected = [table for source in SOURCES for table in source.table_names]
    assert [row["table_name"] for row in rows] == expected
    assert {row["status"] for row in rows} == {"not ingested"}
    acd = next(row for row in rows if row["table_name"] == "ucdp_acd")
    assert acd["sha256"] == "85f133a2158b622e58c59b9b9bd4f37d2e4d5f90a9a419e59a7bb6e85984be4d"
    assert "CC BY 4.0" in acd["licence"] and "Gleditsch" in acd["citation"]


def test_accept_fewer_rows_names_a_source_and_refuses_an_unknown_one(
    settings: Settings, run_cli: Callable[..., Any]
) -> None:
    result = run_cli("ingest", "--accept-fewer-rows", "acled")
    assert result.exit_code == 5
    assert "Onbekende bron 'acled'" in result.stderr and "ucdp_acd" in result.stderr


def test_only_with_an_unknown_source_lists_the_valid_ids(
    settings: Settings, run_cli: Callable[..., Any]
) -> None:
    result = run_cli("ingest", "--only", "acled")
    assert result.exit_code == 5
    assert "Onbekende bron 'acled'" in result.stderr and "ucdp_acd" in result.stderr


def test_only_without_a_previous_store_says_to_run_a_full_ingest(
    settings: Settings, run_cli: Callable[..., Any]
) -> None:
    result = run_cli("ingest", "--only", "epr")
    assert result.exit_code == 6
    assert "Voer eerst `gbvs ingest` zonder --only uit." in result.stderr


def test_sources_table_wraps_to_the_terminal_width(
    settings: Settings, run_cli: Callable[..., Any], monkeypatch: Any
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    result = run_cli("sources")
    assert result.exit_code == 0, result.stderr
    assert max(len(line) for line in result.stdout.splitlines()) <= 100
    assert "ucdp_ged" in result.stdout and "Bronvermeldingen:" in result.stdout


def test_sources_table_speaks_dutch_and_english_with_lang_en(
    settings: Settings, run_cli: Callable[..., Any], monkeypatch: Any
) -> None:
    """The headers, the status and "Citations:" were English in the Dutch table; ``--format json`` keeps
    the codes (``not ingested``)."""
    monkeypatch.setenv("COLUMNS", "200")
    dutch = run_cli("sources")
    assert dutch.exit_code == 0, dutch.stderr
    assert [cell.strip() for cell in dutch.stdout.splitlines()[1].split("┃")[1:-1]] == [
        "Bron",
        "Tabel",
        "Versie",
        "Peildatum",
        "Licentie",
        "sha256",
        "Status",
    ]
    assert "niet ingelezen" in dutch.stdout and "Bronvermeldingen:" in dutch.stdout
    assert "not ingested" not in dutch.stdout and "Citations:" not in dutch.stdout
    english = run_cli("sources", "--lang", "en").stdout
    assert [cell.strip() for cell in english.splitlines()[1].split("┃")[1:-1]] == [
        "Source",
        "Table",
        "Version",
        "Vintage",
        "Licence",
        "sha256",
        "Status",
    ]
    assert "not ingested" in english and "Citations:" in english and "niet ingelezen" not in english


class _Recorder(SilentReporter):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def finished(self, label: str, detail: Words) -> None:
        self.lines.append(f"{label}: {said_in(detail, 'en')}")

    def warn(self, message: Words) -> None:
        self.lines.append(said_in(message, "en"))


def test_an_absent_optional_source_is_one_short_line_not_every_path_tried(tmp_path: Path) -> None:
    candidate = get_source("ucdp_ged_candidate")
    fetcher = Fetcher(mirror=tmp_path, cache_dir=tmp_path / "cache", allow_download=False)
    reporter, result = _Recorder(), IngestResult(tmp_path / "store.duckdb", [])
    with StoreWriter(tmp_path / "store.duckdb") as writer:
        checks = Completeness(previous={}, accept_fewer=False)
        assert _run_source(candidate, fetcher, writer, datetime.now(UTC), reporter, result, checks) == []
    assert result.skipped == ["ucdp_ged_candidate"]
    assert len(reporter.lines) == 1 and "optional" in reporter.lines[0]
    assert reporter.lines[0].count("GEDEvent_v") == 1, reporter.lines


def test_a_table_without_vintage_is_not_reported_as_vintage_none() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    without = TableProvenance(
        "gw_states", "gw_states", "states", "derived", None, now, None, "-", "-", None, n_rows=9
    )
    assert said_in(written_summary(without), "en") == "gw_states 9 rows"
    assert said_in(written_summary(without), "nl") == "gw_states 9 regels"
    with_vintage = TableProvenance(
        "ucdp_acd", "ucdp_acd", "ACD", "25.1", "2023", now, None, "-", "-", None, n_rows=9
    )
    assert said_in(written_summary(with_vintage), "en").endswith("rows, vintage 2023")
    assert said_in(written_summary(with_vintage), "nl") == "ucdp_acd 9 regels, peildatum 2023"
