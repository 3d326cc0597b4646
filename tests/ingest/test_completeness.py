"""An unpinned file cut at a line boundary is refused: no rows for the year its version claims, or well
below the rows of the stored table (unless the user accepts a smaller release, which provenance records)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from gbvs.errors import SchemaMismatchError
from gbvs.ingest.completeness import check_complete
from gbvs.ingest.report import SilentReporter
from gbvs.sources.base import Column, FileRef, Located, Source, TableSchema, max_year
from gbvs.sources.fetch import COMPUTED, PINNED
from gbvs.store import TableProvenance

URL = "https://example.org/acd-251.zip"
TABLE = TableSchema("acd", (Column("year", "int"),), vintage=max_year("year"))
SOURCE = Source("acd", "ACD", "", "UCDP", "CC BY", "", "", (), (TABLE,), parse=lambda context: {})


def _file(status: str = COMPUTED) -> Located:
    ref = FileRef("ucdp", "acd-251.zip", "25.1", url=URL, covers=2024)
    return Located(ref, Path("/mirror/ucdp/acd-251.zip"), "mirror", "0" * 64, status)


def _stored(rows: int, source_id: str = "acd") -> TableProvenance:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    return TableProvenance("acd", source_id, "ACD", "25.1", "2024", now, None, "CC BY", "", None, n_rows=rows)


def _years(*counts: tuple[int, int]) -> pd.DataFrame:
    return pd.DataFrame({"year": [year for year, count in counts for _ in range(count)]})


def _check(
    frame: pd.DataFrame,
    *,
    file: Located | None = None,
    stored: TableProvenance | None = None,
    accept: bool = False,
    reporter: SilentReporter | None = None,
    schema: TableSchema = TABLE,
) -> str | None:
    return check_complete(
        SOURCE,
        schema,
        frame,
        [file or _file()],
        stored,
        accept_fewer=accept,
        reporter=reporter or SilentReporter(),
    )


def test_unpinned_file_without_rows_for_its_claimed_year_is_refused() -> None:
    with pytest.raises(
        SchemaMismatchError,
        match=r"/mirror/ucdp/acd-251\.zip: table 'acd' holds no rows for 2024, the last year acd-251\.zip "
        rf"version 25\.1 covers \(its latest year is 2023\).*cut short.*published file from {URL}",
    ):
        _check(_years((2022, 5), (2023, 5)))


def test_unpinned_file_of_a_newer_release_under_this_versions_name_is_refused() -> None:
    """A 26.1 file saved as 25.1's would be ingested and shown as version 25.1: refused, with the fix."""
    with pytest.raises(
        SchemaMismatchError,
        match=r"/mirror/ucdp/acd-251\.zip: table 'acd' holds rows for 2025, after 2024, the last year "
        r"acd-251\.zip version 25\.1 covers.*newer release saved under this version's name.*"
        r"own FileRef.*src/gbvs/sources/",
    ):
        _check(_years((2024, 5), (2025, 5)))


def test_a_pinned_file_is_proved_complete_by_its_checksum() -> None:
    assert _check(_years((2023, 5)), file=_file(PINNED), stored=_stored(100)) is None


def test_file_well_below_the_stored_rows_is_refused_naming_the_override() -> None:
    with pytest.raises(
        SchemaMismatchError,
        match=r"table 'acd' would have 60 rows, 40 fewer than the 100 rows of the current store "
        r"\(version 25\.1, vintage 2024\).*should not lose rows.*`gbvs ingest --accept-fewer-rows acd`",
    ):
        _check(_years((2023, 30), (2024, 30)), stored=_stored(100))


def test_accepted_smaller_release_returns_the_provenance_note() -> None:
    note = _check(_years((2023, 30), (2024, 30)), stored=_stored(100), accept=True)
    assert note == "Accepted with 60 rows, 40 fewer than the previous store's 100 (--accept-fewer-rows)."


def test_a_small_loss_is_warned_about() -> None:
    reporter = SilentReporter()
    assert _check(_years((2023, 49), (2024, 50)), stored=_stored(100), reporter=reporter) is None
    assert len(reporter.warnings) == 1 and "99 rows, 1 fewer than the 100" in reporter.warnings[0]


def test_more_rows_another_source_or_monthly_files_pass() -> None:
    frame = _years((2024, 10))
    assert _check(frame, stored=_stored(5)) is None
    assert _check(frame, stored=_stored(100, source_id="other")) is None
    monthly = TableSchema("acd", TABLE.columns, vintage=max_year("year"), accumulates=False)
    assert _check(frame, stored=_stored(100), schema=monthly) is None
