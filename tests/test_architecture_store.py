"""Only the store reads tables: no module outside ``gbvs.store`` calls ``.table(`` or opens DuckDB (issue 9).

import-linter (``tests/test_architecture.py``) sees imports only; this scan of the syntax tree also
catches a table read through a handle (``con.table("x")``, ``store.table(TableName.x)``) and an Ibis
connection opened with ``ibis.duckdb.connect``. Allowed outside the store: the panel builders (they
build the derived tables from the tables the ingest hands them) and the Alembic migrations
(``sa.table`` describes a table of the operational database). Reads for the CLI or the web go through
the named reads of ``gbvs.store`` (``reads``, ``reads_panel``, ``coverage``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "gbvs"
ALLOWED = ("store/", "db/migrations/", "panels/")
PANEL_READS = ("panels/codebook.py", "panels/driver_coverage.py")
"""Modules of ``panels`` that read for the CLI, not build: they must use the store's reads too."""
CONNECTS = ("ibis.duckdb", "ibis.connect")
PANEL_HELPERS = ("read_table", "has_table")
"""The panel builders' raw table helpers (``gbvs.panels._common``): builders only."""


def allowed(relative: str) -> bool:
    """Whether the module at ``relative`` (to ``src/gbvs``, with slashes) may read store tables."""
    return relative.startswith(ALLOWED) and relative not in PANEL_READS


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return "?"


def violations(source: str) -> list[str]:
    """``line: what`` for each table read, DuckDB import, Ibis DuckDB connection or panel-builder helper."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "table":
            found.append(f"{node.lineno}: {_dotted(node.func)}(...)")
        elif isinstance(node, ast.Import):
            found += [
                f"{node.lineno}: import {a.name}" for a in node.names if a.name.split(".")[0] == "duckdb"
            ]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "duckdb":
            found.append(f"{node.lineno}: from {node.module} import ...")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("gbvs.panels"):
            helpers = [alias.name for alias in node.names if alias.name in PANEL_HELPERS]
            found += [f"{node.lineno}: from {node.module} import {name}" for name in helpers]
        elif isinstance(node, ast.Attribute) and _dotted(node) in CONNECTS:
            found.append(f"{node.lineno}: {_dotted(node)}")
    return found


def test_no_module_outside_the_store_reads_a_table_or_opens_duckdb() -> None:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if not allowed(relative):
            hits = violations(path.read_text(encoding="utf-8"))
            if hits:
                found[relative] = hits
    assert not found, f"read these through a named read of gbvs.store (src/gbvs/store/README.md): {found}"


@pytest.mark.parametrize(
    "source",
    [
        "def read(con):\n    return con.table('panel_country_year')\n",
        "def read(store):\n    return store.table(TableName.ne_admin0).columns\n",
        "import duckdb\n",
        "from duckdb import connect\n",
        "import ibis\ncon = ibis.duckdb.connect('x.duckdb')\n",
        "from gbvs.panels._common import read_table\n",
    ],
    ids=["con-table", "store-table", "import-duckdb", "from-duckdb", "ibis-duckdb", "panel-helper"],
)
def test_the_scan_finds_a_planted_read(source: str) -> None:
    assert violations(source)


def test_the_scan_passes_named_reads() -> None:
    source = "from gbvs.store import reads_panel\nrows = reads_panel.country_rows(store, gwcode=652)\n"
    assert violations(source) == []


def test_panel_modules_that_read_for_the_cli_are_not_allowed() -> None:
    assert allowed("panels/conflict.py") and allowed("store/reads.py")
    assert not allowed("panels/codebook.py") and not allowed("web/queries/countries.py")
