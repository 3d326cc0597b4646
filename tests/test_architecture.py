"""The architecture contract (import-linter, ``[tool.importlinter]`` in pyproject.toml) holds and can fail.

``lint-imports`` runs in scripts/test. Here it runs on the real package (kept) and on a copy with
two deliberately wrong imports (broken, naming both), so the contract is not one that cannot fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
WRONG = {
    # a lower layer importing an edge
    "store/_wrong_layer.py": "import gbvs.web\n",
    # the core importing an I/O module
    "countries/_wrong_io.py": "import duckdb\n",
}


def _python_only(folder: str, names: list[str]) -> list[str]:
    return [n for n in names if not n.endswith(".py") and not (Path(folder) / n).is_dir()]


def _lint(root: Path, config: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    command = [str(LINT_IMPORTS), "--config", str(config), "--no-cache"]
    return subprocess.run(
        command, cwd=root, env=env, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture(scope="module")
def broken_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of src/gbvs (Python files only) with the wrong imports of ``WRONG`` added."""
    root = tmp_path_factory.mktemp("architecture")
    shutil.copytree(REPO / "src" / "gbvs", root / "gbvs", ignore=_python_only)
    for path, text in WRONG.items():
        (root / "gbvs" / path).write_text(text, encoding="utf-8")
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    return root


def test_the_package_keeps_the_contract() -> None:
    result = _lint(REPO / "src", REPO / "pyproject.toml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_wrong_import_breaks_the_contract(broken_copy: Path) -> None:
    result = _lint(broken_copy, broken_copy / "pyproject.toml")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "3 broken" in result.stdout  # layers; core without I/O; only gbvs.store opens DuckDB
    assert "gbvs.store._wrong_layer -> gbvs.web" in result.stdout
    assert "gbvs.countries._wrong_io -> duckdb" in result.stdout
