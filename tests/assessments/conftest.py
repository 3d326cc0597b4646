"""Fixtures of the threat-assessment tests that need the database: those of tests/db (both backends)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

TESTS = Path(__file__).resolve().parents[1]


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_db = _load(TESTS / "db" / "conftest.py", "assessments_tests_db_fixtures")

db_url = _db.db_url
bare_engine = _db.bare_engine
engine = _db.engine
session = _db.session
admin = _db.admin
make_user = _db.make_user
