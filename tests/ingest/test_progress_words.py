"""``gbvs ingest``'s progress, warnings and result lines in the reader's language: Dutch by default,
English with ``--lang en`` or GBVS_LANGUAGE=en (the provenance note of an accepted smaller release stays
English: it is data)."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from gbvs.cli.data import RichReporter, built
from gbvs.cli.texts import said_in
from gbvs.ingest import IngestResult
from gbvs.ingest.pipeline import Completeness, _run_source
from gbvs.languages import Lang
from gbvs.sources.fetch import Fetcher
from gbvs.sources.registry import get_source
from gbvs.store import StoreWriter

Run = Callable[..., Any]
NEWER = "ucdp/ucdp-prio-acd-261-csv.zip"


def test_a_newer_release_in_the_mirror_is_warned_about_in_dutch_and_english(
    settings: Any, tmp_path: Path, run_cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    mirror = tmp_path / "mirror"
    (mirror / NEWER).parent.mkdir(parents=True)
    (mirror / NEWER).write_bytes(b"x")
    monkeypatch.setenv("GBVS_MIRROR", str(mirror))
    monkeypatch.setenv("COLUMNS", "1000")  # one warning, one line
    monkeypatch.delenv("GBVS_LANGUAGE", raising=False)
    dutch = run_cli("ingest")
    assert dutch.exit_code == 4, dutch.stderr  # the files the sources read are absent
    assert (
        f"! {mirror.resolve() / NEWER}: geen bron van deze GBVS leest dit bestand, dus het wordt niet "
        in (dutch.stderr)
    )
    assert "inlezen" in dutch.stderr and "no source of this GBVS" not in dutch.stderr
    english = run_cli("ingest", "--lang", "en")
    assert english.exit_code == 4
    assert f"! {mirror.resolve() / NEWER}: no source of this GBVS reads this file" in english.stderr


def _reporter(lang: Lang) -> tuple[RichReporter, io.StringIO]:
    out = io.StringIO()
    return RichReporter(Console(file=out, width=1000, color_system=None), lang), out


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("nl", "✓ ucdp_ged_candidate: overgeslagen: optionele bron niet beschikbaar (bijvoorbeeld "),
        ("en", "✓ ucdp_ged_candidate: skipped: optional source not available (e.g. "),
    ],
)
def test_a_step_result_is_said_in_the_readers_language(tmp_path: Path, lang: Lang, said: str) -> None:
    fetcher = Fetcher(mirror=tmp_path, cache_dir=tmp_path / "cache", allow_download=False)
    result = IngestResult(tmp_path / "store.duckdb", [])
    reporter, out = _reporter(lang)
    with reporter, StoreWriter(tmp_path / "store.duckdb") as writer:
        reporter.start(1)
        checks = Completeness(previous={}, accept_fewer=False)
        _run_source(
            get_source("ucdp_ged_candidate"), fetcher, writer, datetime.now(UTC), reporter, result, checks
        )
    assert said in out.getvalue(), out.getvalue()


def test_the_result_line_writes_its_seconds_as_the_reader_does(tmp_path: Path) -> None:
    result = IngestResult(tmp_path / "store.duckdb", [], seconds=12.34)
    assert said_in(built(result), "nl") == f"store {tmp_path / 'store.duckdb'}: 0 tabellen in 12,3 s"
    assert said_in(built(result), "en") == f"store {tmp_path / 'store.duckdb'}: 0 tables in 12.3 s"
