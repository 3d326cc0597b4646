"""The vocabularies frozen in migration 0006 are the workflow's enums (one fact, kept equal)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import gbvs.db.migrations.versions as versions
from gbvs.actions.workflow import Audience, Choice, OriginKind, Status


def test_migration_0006_freezes_the_workflow_vocabularies() -> None:
    path = Path(versions.__file__).parent / "0006_early_action.py"
    spec = importlib.util.spec_from_file_location("migration_0006", path)
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    assert tuple(Status) == migration.STATUS_VALUES
    assert tuple(OriginKind) == migration.ORIGIN_VALUES
    assert tuple(Choice) == migration.CHOICE_VALUES


def test_migration_0009_freezes_the_audiences() -> None:
    path = Path(versions.__file__).parent / "0009_case_audience_scenario_versions.py"
    spec = importlib.util.spec_from_file_location("migration_0009", path)
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    assert tuple(Audience) == migration.DISTRIBUTION_VALUES
