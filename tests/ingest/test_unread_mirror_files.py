"""A dataset file in the mirror that no source reads (a newer release dropped in) is named at ingest."""

from __future__ import annotations

from pathlib import Path

import pytest

from gbvs.config import Settings, load_settings
from gbvs.errors import SourceMissingError
from gbvs.ingest import ingest
from gbvs.ingest.mirror import unread_files
from gbvs.ingest.report import SilentReporter
from gbvs.sources.registry import SOURCES

NEWER = "ucdp/ucdp-prio-acd-261-csv.zip"


def _mirror(root: Path, *files: str) -> Path:
    for relative in files:
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_bytes(b"x")
    return root


def test_only_unread_dataset_files_in_the_sources_folders_are_listed(tmp_path: Path) -> None:
    mirror = _mirror(
        tmp_path,
        NEWER,
        "ucdp/UcdpPrioConflict_v25_1_to2023.csv",  # read by ucdp_acd
        "ucdp/ucdp-prio-acd-251.pdf",  # a codebook, not data
        "signals/cfr_tracker.csv",  # no source reads the signals folder at ingest
    )
    assert unread_files(mirror, SOURCES) == [NEWER]


def test_ingest_warns_about_a_newer_release_before_it_reads_the_sources(
    settings: Settings, tmp_path: Path
) -> None:
    mirror = _mirror(tmp_path / "mirror", NEWER)
    reporter = SilentReporter()
    with pytest.raises(SourceMissingError):  # the known files are absent: ingest stops there
        ingest(load_settings(data_dir=settings.data_dir, mirror=mirror), reporter=reporter)
    assert len(reporter.warnings) == 1
    warning = reporter.warnings[0]
    assert str(mirror.resolve() / NEWER) in warning and "no source of this GBVS reads this file" in warning
    assert "`gbvs sources`" in warning and "own FileRef" in warning
