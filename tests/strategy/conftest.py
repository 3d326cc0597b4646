"""Fixtures for the strategy tests.

- ``shipped``: the shipped current strategy (loaded once per session).
- ``strategy_copy``: a writable copy of the shipped strategy folder in ``tmp_path``.
- ``edit``: replace one exact text in a file of that copy (fails loudly if the text is absent,
  so a broken-file test cannot silently test an unbroken file).
- ``seed_text``: the strategy document itself (skips when ../shared/seed is absent).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from gbvs.strategy import Strategy, current_strategy_id, load_strategy
from gbvs.strategy.load import DATA_ROOT

SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seed" / "000_44f7c17f8b5202a8.txt"


@pytest.fixture(scope="session")
def shipped() -> Strategy:
    """The shipped current strategy."""
    return load_strategy()


@pytest.fixture
def strategy_copy(tmp_path: Path) -> Path:
    """A copy of the shipped strategy folder that a test may break."""
    target = tmp_path / "strategy"
    shutil.copytree(DATA_ROOT / current_strategy_id(), target)
    return target


@pytest.fixture
def edit(strategy_copy: Path) -> Callable[[str, str, str], Path]:
    """``edit(file, old, new)``: replace the first ``old`` by ``new`` in ``file`` of the copy."""

    def _edit(file: str, old: str, new: str) -> Path:
        path = strategy_copy / file
        text = path.read_text(encoding="utf-8")
        assert old in text, f"test setup: {old!r} not found in {file}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return path

    return _edit


@pytest.fixture(scope="session")
def seed_text() -> str:
    """The strategy text, normalised (no markdown stars or footnote digits, single spaces)."""
    if not SEED.is_file():
        pytest.skip(f"integration test: the strategy text {SEED} is absent")
    raw = SEED.read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", re.sub(r"[*⁰¹²³⁴⁵⁶⁷⁸⁹]", "", raw))
