"""The command line: help on every command, meaningful exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import typer.main

from gbvs.cli.commands import register
from gbvs.cli.main import app


def _all_command_paths() -> list[list[str]]:
    register(app)
    root = typer.main.get_command(app)
    paths: list[list[str]] = []

    def walk(command: object, prefix: list[str]) -> None:
        sub = getattr(command, "commands", None)
        if not sub:
            paths.append(prefix)
            return
        for name, child in sub.items():
            walk(child, [*prefix, name])

    walk(root, [])
    return paths


def test_every_command_has_help_text(run_cli) -> None:
    paths = _all_command_paths()
    assert len(paths) > 10
    for path in paths:
        result = run_cli(*path, "--help")
        assert result.exit_code == 0, (path, result.stderr)
        assert "Usage" in result.stdout


def test_usage_error_exits_2_with_message(run_cli) -> None:
    result = run_cli("strategy", "goal", "not-a-number")
    assert result.exit_code == 2
    assert "Invalid value" in result.stderr


def test_unknown_command_exits_2(run_cli) -> None:
    result = run_cli("no-such-command")
    assert result.exit_code == 2
    assert "No such command" in result.stderr


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "gbvs", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert done.stdout.startswith("gbvs ")


CLOSED_STDOUT = """
import os, sys
read_end, write_end = os.pipe()
os.close(read_end)  # the reader is gone, as after `| head -n 1`
os.dup2(write_end, 1)
from gbvs.cli.main import run
sys.argv = ["gbvs", "strategy", "show"]
run()
"""


def test_a_reader_that_stops_early_is_not_an_error(tmp_path: Path) -> None:
    """``gbvs ... | head`` (issue 12, fix 10): exit 0 and no traceback when the pipe closes."""
    env = {**os.environ, "GBVS_DATA_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", CLOSED_STDOUT],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "BrokenPipeError" not in done.stderr
