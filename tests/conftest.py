"""Fixtures shared by the whole suite.

- ``settings``: GBVS settings pointing at a fresh temporary data folder (no mirror).
- ``mirror``: the real datasets folder (``GBVS_MIRROR`` or ``<repo>/../shared/data``); tests that
  use it are integration tests and are skipped with a clear message when it is absent (they fail
  instead when ``GBVS_REQUIRE_MIRROR=1``, as ``scripts/test`` sets it for CI).
- ``ingested_store`` (session): the real mirror ingested once by ``gbvs ingest``'s pipeline.
- ``run_cli``: run ``gbvs`` in-process and get (exit code, stdout, stderr).
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

from gbvs.cli.main import main
from gbvs.config import Settings, load_settings

REPO_ROOT = Path(__file__).resolve().parents[1]
TEST_CLIENT_HOST = "testserver"
"""The Host name Starlette's TestClient sends by default."""
KEPT_ENV = {"GBVS_TEST_POSTGRES_URL", "GBVS_REQUIRE_POSTGRES", "GBVS_REQUIRE_MIRROR"}  # set by the run


def _load_integration_fixtures() -> ModuleType:
    """Import tests/integration_fixtures.py by path (tests use --import-mode=importlib)."""
    name = "gbvs_integration_fixtures"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, Path(__file__).parent / "integration_fixtures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


ingested_store = _load_integration_fixtures().ingested_store
"""Session fixture: the real mirror ingested ONCE for the whole run (see tests/integration_fixtures.py)."""


def mirror_path() -> Path | None:
    """The real-data mirror, if present."""
    candidate = Path(os.environ.get("GBVS_MIRROR") or REPO_ROOT.parent / "shared" / "data")
    return candidate if (candidate / "SOURCES.md").is_file() else None


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings with an empty temporary data folder, also exported to the environment for the CLI."""
    data_dir = tmp_path / "gbvs-data"
    for key in list(os.environ):
        if key.startswith("GBVS_") and key not in KEPT_ENV:
            monkeypatch.delenv(key)
    monkeypatch.setenv("GBVS_DATA_DIR", str(data_dir))
    monkeypatch.setenv("GBVS_ALLOWED_HOSTS", TEST_CLIENT_HOST)  # besides the loopback names
    monkeypatch.chdir(tmp_path)
    return load_settings()


@pytest.fixture
def mirror() -> Path:
    """Path of the real datasets (../shared/data); skips when it is not there."""
    path = mirror_path()
    if path is None:
        _load_integration_fixtures().skip_or_fail_without_mirror()
        raise AssertionError("unreachable: skip_or_fail_without_mirror always leaves the test")
    return path


@dataclass(frozen=True)
class CliResult:
    """What one in-process ``gbvs`` call returned."""

    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """Run ``gbvs *args`` in-process and return its exit code and output."""

    def _run(*args: str) -> CliResult:
        capsys.readouterr()
        code = main(list(args))
        out, err = capsys.readouterr()
        return CliResult(code, out, err)

    return _run
