"""Entry point of the ``gbvs`` command. Each area registers its own sub-command group.

Exit codes: 0 success, 1 unexpected GBVS error, 2 usage error (wrong arguments),
3 configuration, 4 bad input, 5 not found, 6 analytical store, 7 database,
8 permission denied, 9 forecasting. See :mod:`gbvs.errors`.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

import typer
from typer.exceptions import TyperException

from gbvs import __version__
from gbvs.cli.output import ReaderGone
from gbvs.errors import GBVSError
from gbvs.filemodes import restrict_new_files
from gbvs.safetext import escape_controls

app = typer.Typer(
    name="gbvs",
    help="GBVS: information position for the Integrated International Security Strategy 2018-2022 (GBVS).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


INSTALL_RECORD = "gbvs-bundle.json"
"""What scripts/offline_bundle.py writes into the environment it installed GBVS into (its INSTALL_RECORD)."""


def installed_from() -> str:
    """Which offline bundle this environment was installed from, or "" when it was not (scripts/setup)."""
    try:
        record = json.loads((Path(sys.prefix) / INSTALL_RECORD).read_text(encoding="utf-8"))
        return (
            f"offline bundle {record['bundle']} (commit {record.get('source_commit') or 'unknown'}, "
            f"installed {record['installed_at']})"
        )
    except (OSError, ValueError, KeyError, TypeError):
        return ""


def _version_callback(value: bool) -> None:
    if value:
        bundle = installed_from()
        typer.echo(f"gbvs {__version__}" + (f", from {bundle}" if bundle else ""))
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version_callback, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """GBVS command line."""


def _register_groups(args: list[str]) -> None:
    from gbvs.cli import commands

    commands.register(app, commands.command_of(args))


def main(args: list[str] | None = None) -> int:
    """Run the CLI with ``args`` and return its exit code (tests call this directly).

    Typer 0.29 vendors its own click, so usage errors are caught as ``TyperException``
    (its ``ClickException`` derives from it) and shown the way click shows them.
    """
    _register_groups(sys.argv[1:] if args is None else args)
    try:
        result = app(args=args, prog_name="gbvs", standalone_mode=False)
    except GBVSError as exc:
        _tell(f"error: {escape_controls(str(exc), keep=chr(10))}", typer.colors.RED)
        return exc.exit_code
    except typer.Abort:
        _tell("aborted")
        return 130
    except TyperException as exc:
        show = getattr(exc, "show", None)
        _tell(show if callable(show) else f"error: {exc}")
        return int(getattr(exc, "exit_code", 2))
    return result if isinstance(result, int) else 0


def _tell(message: str | Callable[[], None], colour: str | None = None) -> None:
    """Show a failure on stderr (a message, or click's own ``show``); a reader that went away
    (``gbvs ... 2>&1 | head -1``) does not make the failure exit 0, as it does for output (:func:`run`)."""
    try:
        if callable(message):
            message()
        else:
            typer.secho(message, err=True, fg=colour)
    except BrokenPipeError:
        _quiet(sys.stderr)


def run() -> None:
    """Console-script entry point: files created from here on are private (0600, folders 0700).

    A reader that stops early (``gbvs watchlist | head``) is not an error: exit 0, no traceback.
    """
    restrict_new_files()
    try:
        code = main()
        sys.stdout.flush()
    except (ReaderGone, BrokenPipeError):
        _quiet_stdout()
        code = 0
    sys.exit(code)


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so Python's final flush does not fail on the closed pipe again."""
    _quiet(sys.stdout)


def _quiet(stream: TextIO) -> None:
    """Point ``stream`` at /dev/null (when it is a file) so a final flush does not fail on a closed pipe."""
    try:
        number = stream.fileno()
    except (OSError, ValueError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, number)
