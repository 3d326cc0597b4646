"""Fixtures of the public-opinion tests: the opinion part of the real-data mirror."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def opinion_mirror(mirror: Path) -> Path:
    """The mirror, once it holds ``opinion/`` (SOURCES-wave2.md); skips with a message otherwise."""
    if not (mirror / "opinion").is_dir():
        pytest.skip(
            "integration test: the mirror has no opinion/ folder (Pew, Eurobarometer, CBS margins; "
            "see SOURCES-wave2.md); add it to run the validation"
        )
    return mirror
