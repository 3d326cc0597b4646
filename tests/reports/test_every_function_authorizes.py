"""Architecture check: every function of gbvs.reports that takes a session and a Principal is authorized.

It calls ``authorize_audited`` itself, or a function (of gbvs.reports or a db service) that does,
directly or further down; found by a fixed point over the modules' syntax trees.
"""

from __future__ import annotations

import ast
from pathlib import Path

import gbvs.db.services as db_services
import gbvs.reports as reports

MODULES = [*Path(reports.__file__).parent.glob("*.py"), *Path(db_services.__file__).parent.glob("*.py")]
BASE_GUARDS = {"authorize_audited", "audited_write", "managed_account", "_owner"}


def _functions() -> dict[str, tuple[ast.FunctionDef, bool]]:
    found: dict[str, tuple[ast.FunctionDef, bool]] = {}
    for path in MODULES:
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef):
                takes = {"session", "principal"} <= {a.arg for a in [*node.args.args, *node.args.kwonlyargs]}
                found[f"{path.parent.name}.{path.stem}.{node.name}"] = (node, takes)
    return found


def _calls(node: ast.FunctionDef) -> set[str]:
    names = set()
    for call in ast.walk(node):
        if isinstance(call, ast.Call):
            func = call.func
            names.add(func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", ""))
    return names


def test_every_reports_function_with_a_principal_is_authorized() -> None:
    functions = _functions()
    guarded = set(BASE_GUARDS)
    changed = True
    while changed:
        changed = False
        for name, (node, _) in functions.items():
            short = name.rsplit(".", 1)[1]
            if short not in guarded and _calls(node) & guarded:
                guarded.add(short)
                changed = True
    unguarded = [
        name for name, (node, takes) in functions.items()
        if takes and name.startswith("reports.") and name.rsplit(".", 1)[1] not in guarded
    ]  # fmt: skip
    assert not unguarded, f"take a principal but never authorize: {unguarded}"
    assert "freeze" in guarded and "produce" in guarded and "signal_items" in guarded
    assert "alert_responses" in guarded, "the report's aggregate over every organisation's cases"


def test_the_check_finds_an_unguarded_function(tmp_path: Path) -> None:
    source = "def leak(session, principal):\n    return session.query('x')\n"
    node = ast.parse(source).body[0]
    assert isinstance(node, ast.FunctionDef)
    assert not _calls(node) & BASE_GUARDS
