"""The vocabularies frozen in migrations 0006 and 0009 are the workflow's enums (one fact, kept equal),
and migration 0009 keeps the need-to-know of existing cases."""

from __future__ import annotations

import importlib.util
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, text

import gbvs.db.migrations.versions as versions
from gbvs.actions.workflow import Audience, Choice, OriginKind, Status
from gbvs.db.migrate import upgrade


def test_migration_0006_freezes_the_workflow_vocabularies() -> None:
    path = Path(versions.__file__).parent / "0006_early_action.py"
    spec = importlib.util.spec_from_file_location("migration_0006", path)
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    assert tuple(Status) == migration.STATUS_VALUES
    assert tuple(OriginKind)[: len(migration.ORIGIN_VALUES)] == migration.ORIGIN_VALUES
    assert tuple(Choice) == migration.CHOICE_VALUES


def test_migration_0011_allows_every_origin_kind() -> None:
    path = Path(versions.__file__).parent / "0011_displace.py"
    spec = importlib.util.spec_from_file_location("migration_0011", path)
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    assert tuple(OriginKind) == migration.ORIGIN_VALUES
    assert tuple(Status) == migration.STATUS_VALUES


def test_migration_0009_freezes_the_audiences() -> None:
    path = Path(versions.__file__).parent / "0009_case_audience_scenario_versions.py"
    spec = importlib.util.spec_from_file_location("migration_0009", path)
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    assert tuple(Audience) == migration.DISTRIBUTION_VALUES


def test_migration_0009_puts_existing_signal_case_cases_under_that_case(bare_engine: Engine) -> None:
    upgrade(bare_engine, "0008")
    now = datetime(2026, 1, 1, tzinfo=UTC)
    with bare_engine.begin() as con:
        con.execute(
            text(
                "INSERT INTO organisation (id, code, name_nl, name_en, kind, created_at) "
                "VALUES (1, 'BZ', 'BZ', 'BZ', 'ministry', :now)"
            ),
            {"now": now},
        )
        con.execute(
            text(
                "INSERT INTO signal_case (id, title, description, owner_organisation_id, tlp, distribution, "
                "created_at) VALUES (7, 'Wagner', '', 1, 'amber', 'organisation', :now)"
            ),
            {"now": now},
        )
        for case_id, kind, ref in ((1, "signal_case", "7"), (2, "country", "MLI")):
            con.execute(
                text(
                    "INSERT INTO action_case (id, title, status, origin_kind, origin_ref, description, "
                    "owner_organisation_id, opened_by, opened_at, warning, outcome, version, updated_at) "
                    "VALUES (:id, 't', 'open', :kind, :ref, '', 1, 'bea', :now, '{}', '', 1, :now)"
                ),
                {"id": case_id, "kind": kind, "ref": ref, "now": now},
            )
            con.execute(
                text("INSERT INTO action_case_country (case_id, iso3) VALUES (:id, 'MLI')"), {"id": case_id}
            )
    upgrade(bare_engine)  # rebuilds action_case on SQLite while action_case_country rows point at it
    with bare_engine.connect() as con:
        rows = con.execute(text("SELECT id, distribution, signal_case_id FROM action_case ORDER BY id")).all()
        countries = con.execute(text("SELECT case_id, iso3 FROM action_case_country ORDER BY case_id")).all()
    assert [tuple(row) for row in rows] == [(1, "organisation", 7), (2, "all_organisations", None)]
    assert [tuple(row) for row in countries] == [(1, "MLI"), (2, "MLI")]


def test_migration_0011_admits_displacement_cases_and_keeps_the_others(bare_engine: Engine) -> None:
    import pytest
    from sqlalchemy.exc import IntegrityError

    upgrade(bare_engine, "0010")
    now = datetime(2026, 1, 1, tzinfo=UTC)
    insert = text(
        "INSERT INTO action_case (id, title, status, origin_kind, origin_ref, description, opened_by, "
        "opened_at, warning, outcome, version, updated_at) "
        "VALUES (:id, 't', 'open', :kind, 'x', '', 'bea', :now, '{}', '', 1, :now)"
    )
    with bare_engine.begin() as con:
        con.execute(insert, {"id": 1, "kind": "country", "now": now})
        con.execute(text("INSERT INTO action_case_country (case_id, iso3) VALUES (1, 'MLI')"))
    with pytest.raises(IntegrityError), bare_engine.begin() as con:
        con.execute(insert, {"id": 2, "kind": "displacement", "now": now})
    upgrade(bare_engine)
    with bare_engine.begin() as con:
        con.execute(insert, {"id": 2, "kind": "displacement", "now": now})
    with pytest.raises(IntegrityError), bare_engine.begin() as con:
        con.execute(insert, {"id": 3, "kind": "rumour", "now": now})
    with bare_engine.connect() as con:
        kinds = con.execute(text("SELECT id, origin_kind, distribution FROM action_case ORDER BY id")).all()
        countries = con.execute(text("SELECT case_id, iso3 FROM action_case_country")).all()
    assert [tuple(row) for row in kinds] == [
        (1, "country", "all_organisations"),
        (2, "displacement", "all_organisations"),
    ]
    assert [tuple(row) for row in countries] == [(1, "MLI")]
