"""The command line: help on every command, meaningful exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
import typer.main

from gbvs.cli.commands import COMMAND_MODULES, command_of, register
from gbvs.cli.helptexts import command_tree, leaf_commands, typer_command
from gbvs.cli.main import app


def _all_command_paths() -> list[list[str]]:
    register(app)
    return [words.split() for words in leaf_commands(typer_command(app))]


def test_every_command_has_help_text(run_cli) -> None:
    paths = _all_command_paths()
    assert len(paths) > 10
    for path in paths:
        result = run_cli(*path, "--help")
        assert result.exit_code == 0, (path, result.stderr)
        assert "Gebruik:" in result.stdout


def _group_paths() -> list[list[str]]:
    register(app)
    return [
        list(words)
        for words, command in command_tree(typer_command(app))
        if words and getattr(command, "commands", None)
    ]


def test_a_group_without_a_command_shows_its_commands(run_cli) -> None:
    """`gbvs db` answered only "Missing command" while `gbvs panel` listed its commands: all list them."""
    groups = _group_paths()
    assert ["db"] in groups and ["users", "tokens"] in groups
    for path in groups:
        result = run_cli(*path)
        assert result.exit_code == 2, (path, result.stderr)
        shown = result.stdout + result.stderr
        assert "Opdrachten" in shown and "Missing command" not in result.stderr, path


def test_a_commands_line_in_its_groups_list_is_one_line() -> None:
    register(app)
    broken = [
        " ".join(words)
        for words, command in command_tree(typer_command(app))
        if words and "\n" in (command.short_help or command.help or "").split("\n\n")[0]
    ]
    assert not broken, f"these commands' lines in `--help` break mid-sentence: {broken}"


def test_usage_error_exits_2_with_message(run_cli) -> None:
    result = run_cli("strategy", "goal", "not-a-number")
    assert result.exit_code == 2
    assert "Ongeldige waarde" in result.stderr


def test_unknown_command_exits_2(run_cli) -> None:
    result = run_cli("no-such-command")
    assert result.exit_code == 2
    assert "Onbekende opdracht" in result.stderr


@pytest.mark.parametrize("module", sorted(COMMAND_MODULES))
def test_each_command_module_registers_the_commands_listed_beside_it(module: str) -> None:
    alone = typer.Typer()
    alone.callback()(lambda: None)
    register(alone, COMMAND_MODULES[module][0])
    assert set(typer.main.get_command(alone).commands) == set(COMMAND_MODULES[module])  # type: ignore[attr-defined]


LOADED = """
import sys
from gbvs.cli.main import main
code = main(["config", "--help"])
print(code, *(name in sys.modules for name in ("sklearn", "lightgbm", "stix2validator", "weasyprint")))
"""


def test_a_command_loads_only_its_own_area() -> None:
    done = subprocess.run([sys.executable, "-c", LOADED], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-5:] == ["0", "False", "False", "False", "False"]


def test_the_command_is_the_first_word_that_is_not_an_option() -> None:
    assert command_of(["--version"]) is None
    assert command_of(["backtest", "--unit", "grid-month"]) == "backtest"
    assert command_of(["--help", "signals", "list"]) == "signals"


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
