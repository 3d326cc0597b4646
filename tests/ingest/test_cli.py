"""`gbvs sources` before any ingest, and `gbvs ingest --only` argument errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from gbvs.config import Settings
from gbvs.sources.registry import SOURCES


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


def test_only_with_an_unknown_source_lists_the_valid_ids(
    settings: Settings, run_cli: Callable[..., Any]
) -> None:
    result = run_cli("ingest", "--only", "acled")
    assert result.exit_code == 5
    assert "unknown source 'acled'" in result.stderr and "ucdp_acd" in result.stderr


def test_only_without_a_previous_store_says_to_run_a_full_ingest(
    settings: Settings, run_cli: Callable[..., Any]
) -> None:
    result = run_cli("ingest", "--only", "epr")
    assert result.exit_code == 6
    assert "run `gbvs ingest` without --only first" in result.stderr
