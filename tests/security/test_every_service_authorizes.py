"""Architecture check: every service that takes a Principal goes through the authorization layer.

A public function in ``gbvs.db.services`` whose parameters include ``principal`` must call
``authorize_audited`` (directly, or through a helper listed in ``GUARDS`` that calls it).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import gbvs.db.services as services_package

SERVICES_DIR = Path(services_package.__file__).parent
GUARDS = {
    "authorize_audited",
    "audited_write",
    "managed_account",
    "authorize_schema_change",
    "_managed_user",
    "_managed",
    "_panel_member",
    "_owner",
    "_token_to_act_on",
    "_coordinated",  # consultation_round: opinion:codebook of the organisation that imported it
    "create_organisation",
    "alert_responses",  # gbvs.reports.process_reads: the report's aggregate of every organisation's cases
    "record_assessment",  # cases.assess: the keyword form of an assessment (gbvs.signals.assessment)
}


def _service_functions() -> list[tuple[str, ast.FunctionDef]]:
    found = []
    for path in sorted(SERVICES_DIR.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                continue
            if "principal" in {arg.arg for arg in node.args.args}:
                found.append((f"{path.stem}.{node.name}", node))
    return found


def _called_names(function: ast.FunctionDef) -> set[str]:
    names = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Call):
            target = node.func
            names.add(target.id if isinstance(target, ast.Name) else getattr(target, "attr", ""))
    return names


SERVICES = _service_functions()


def test_services_were_found() -> None:
    assert len(SERVICES) >= 10


@pytest.mark.parametrize("function", [node for _, node in SERVICES], ids=[name for name, _ in SERVICES])
def test_service_calls_the_authorization_layer(function: ast.FunctionDef) -> None:
    assert _called_names(function) & GUARDS, f"{function.name} takes a principal but never authorizes"


def test_guards_themselves_authorize() -> None:
    helpers = {}
    for path in SERVICES_DIR.glob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and node.name in GUARDS:
                helpers[node.name] = node
    for name, node in helpers.items():
        assert _called_names(node) & ({"authorize_audited"} | GUARDS - {name}), name
