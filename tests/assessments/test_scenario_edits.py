"""Editing a draft scenario: each edit a new version, audited; refused once scoring started.

Runs on SQLite and PostgreSQL (the ``session`` fixture of tests/db).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from gbvs.config import Settings
from gbvs.db.assessment_models import LinkKind
from gbvs.db.models import AuditLog
from gbvs.db.services import assessments as svc
from gbvs.errors import InputError, NotFoundError, PermissionDeniedError
from gbvs.security import Principal, Role


def test_an_edit_is_a_new_version_and_audited(session: Session, make_user: Callable[..., Principal]) -> None:
    coco = make_user("coco", Role.coordinator)
    [scenario_id, *_] = svc.seed_drafts(session, coco)
    change = svc.ScenarioEdit(
        title="Aanslag op een evenement",
        time_horizon="2 jaar",
        threats=(1, 2),
        goals=(1,),
        add_evidence=[(LinkKind.document, "NCTV DTN 60", "dreigingsbeeld")],
    )
    assert svc.edit_scenario(session, coco, scenario_id, change) == 2
    session.commit()
    view = svc.get_scenario(session, coco, scenario_id)
    assert (view.title, view.time_horizon, view.threats, view.version) == (
        "Aanslag op een evenement", "2 jaar", (1, 2), 2,
    )  # fmt: skip
    assert {link.value for link in view.links if link.kind == "goal"} == {"1"}
    removed = svc.ScenarioEdit(remove_evidence=[(LinkKind.document, "NCTV DTN 60")])
    assert svc.edit_scenario(session, coco, scenario_id, removed) == 3
    session.commit()
    history = svc.scenario_history(session, coco, scenario_id)
    assert [(v.version, v.change) for v in history] == [(1, "created"), (2, "edited"), (3, "edited")]
    assert history[0].snapshot["title"] == "Concept: Terroristische aanslagen"
    assert {"kind": "document", "value": "NCTV DTN 60", "note": "dreigingsbeeld"} in history[1].snapshot[
        "links"
    ]
    assert all(link["kind"] != "document" for link in history[2].snapshot["links"])
    audited = session.scalars(
        select(AuditLog.detail).where(AuditLog.action == "assessments.edit", AuditLog.outcome == "success")
    ).all()
    assert [d["version"] for d in audited] == [2, 3] and "title" in audited[0]["fields"]


def test_editing_is_refused_once_scoring_started_and_for_non_coordinators(
    session: Session, make_user: Callable[..., Principal]
) -> None:
    coco, ann = make_user("coco", Role.coordinator), make_user("ann", Role.analyst)
    [scenario_id, *_] = svc.seed_drafts(session, coco)
    session.commit()
    with pytest.raises(PermissionDeniedError, match="assessments:manage"):
        svc.edit_scenario(session, ann, scenario_id, svc.ScenarioEdit(title="x"))
    with pytest.raises(InputError, match="changes nothing"):
        svc.edit_scenario(session, coco, scenario_id, svc.ScenarioEdit())
    with pytest.raises(InputError, match="title is empty"):
        svc.edit_scenario(session, coco, scenario_id, svc.ScenarioEdit(title="  "))
    with pytest.raises(NotFoundError, match="no document link"):
        svc.edit_scenario(
            session, coco, scenario_id, svc.ScenarioEdit(remove_evidence=[(LinkKind.document, "x")])
        )
    session.rollback()
    svc.open_round(session, coco, scenario_id)
    session.commit()
    with pytest.raises(InputError, match="can no longer be edited: scoring started with round 1"):
        svc.edit_scenario(session, coco, scenario_id, svc.ScenarioEdit(title="Nieuw"))
    session.rollback()
    assert svc.get_scenario(session, coco, scenario_id).title == "Concept: Terroristische aanslagen"
    assert svc.get_scenario(session, coco, scenario_id).version == 1


def test_the_cli_edits_a_draft_and_names_what_is_wrong(
    settings: Settings, run_cli: Callable[..., Any]
) -> None:
    assert run_cli("db", "upgrade").exit_code == 0
    assert run_cli("assessments", "seed").exit_code == 0
    edited = run_cli(
        "assessments", "edit", "1", "--title", "Aanslag in een stad", "--horizon", "1 jaar",
        "--add-evidence", "document=NCTV DTN 60", "--format", "json",
    )  # fmt: skip
    assert edited.exit_code == 0, edited.stderr
    assert json.loads(edited.stdout) == {"id": 1, "version": 2}
    history = json.loads(run_cli("assessments", "history", "1", "--format", "json").stdout)
    assert [(v["version"], v["snapshot"]["title"]) for v in history] == [
        (1, "Concept: Terroristische aanslagen"), (2, "Aanslag in een stad"),
    ]  # fmt: skip
    wrong = run_cli("assessments", "edit", "1", "--add-evidence", "rumour=x")
    assert wrong.exit_code == 4 and "KIND=VALUE" in wrong.stderr and "Traceback" not in wrong.stderr
    assert run_cli("assessments", "open-round", "1").exit_code == 0
    late = run_cli("assessments", "edit", "1", "--title", "Anders")
    assert late.exit_code == 4 and "kan niet meer worden bewerkt" in late.stderr, late.stderr


def test_a_scenarios_links_come_threats_first_and_numbers_in_number_order(
    session: Session, make_user: Callable[..., Principal]
) -> None:
    """The page and `gbvs assessments show` listed the goals in text order (goal 1, 10, 12, 13, 2, 7) and
    the threat after them."""
    coco = make_user("coco", Role.coordinator)
    [scenario_id, *_] = svc.seed_drafts(session, coco)
    change = svc.ScenarioEdit(
        goals=(12, 2, 10),
        add_evidence=[(LinkKind.document, "NCTV DTN 60", ""), (LinkKind.indicator, "vdem_corruption", "")],
    )
    svc.edit_scenario(session, coco, scenario_id, change)
    session.commit()
    view = svc.get_scenario(session, coco, scenario_id)
    assert [(link.kind, link.value) for link in view.links] == [
        ("threat", "1"), ("goal", "2"), ("goal", "10"), ("goal", "12"), ("indicator", "vdem_corruption"),
        ("document", "NCTV DTN 60"),
    ]  # fmt: skip
