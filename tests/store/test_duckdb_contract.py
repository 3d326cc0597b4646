"""The import-linter contract "only gbvs.store opens DuckDB": kept by the code, broken by a wrong import."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
CONTRACT = "Only gbvs.store opens DuckDB"


def _contract() -> dict[str, Any]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    return next(c for c in config["contracts"] if c["name"] == CONTRACT)


def _lint(config: Path, cwd: Path, pythonpath: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **({"PYTHONPATH": str(pythonpath)} if pythonpath else {})}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(config), "--no-cache", "--no-logo"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_code_keeps_the_contract() -> None:
    result = _lint(ROOT / "pyproject.toml", ROOT)
    assert result.returncode == 0, result.stdout
    assert f"{CONTRACT} KEPT" in result.stdout


def test_a_module_outside_the_store_importing_duckdb_breaks_it(tmp_path: Path) -> None:
    """The same contract, over a small package laid out like gbvs with one wrong import."""
    package = tmp_path / "src" / "tinygbvs"
    for folder in ("store", "web"):
        (package / folder).mkdir(parents=True)
        (package / folder / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "store" / "reader.py").write_text("import duckdb\n")
    (package / "web" / "queries.py").write_text("import duckdb\nfrom tinygbvs.store import reader\n")
    contract = _contract()

    def renamed(value: object) -> str:
        return str(value).replace("gbvs", "tinygbvs")

    lines = [
        "[tool.importlinter]",
        'root_package = "tinygbvs"',
        "include_external_packages = true",
        "[[tool.importlinter.contracts]]",
        f'name = "{CONTRACT}"',
        f'type = "{contract["type"]}"',
        f"source_modules = {[renamed(m) for m in contract['source_modules']]}",
        f"forbidden_modules = {list(contract['forbidden_modules'])}",
        f"ignore_imports = {[renamed(m) for m in contract['ignore_imports']]}",
        f"allow_indirect_imports = {str(contract['allow_indirect_imports']).lower()}",
    ]
    config = tmp_path / "pyproject.toml"
    config.write_text("\n".join(lines).replace("'", '"') + "\n")
    result = _lint(config, tmp_path, pythonpath=tmp_path / "src")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "tinygbvs.web.queries -> duckdb" in result.stdout
    assert "tinygbvs.store.reader -> duckdb" not in result.stdout
