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
from typer._click.exceptions import UsageError
from typer.exceptions import TyperException

from gbvs import __version__
from gbvs.cli import commands
from gbvs.cli.commands import in_help_order
from gbvs.cli.helptexts import speak, typer_command
from gbvs.cli.options import requested_language, without_language
from gbvs.cli.output import ReaderGone
from gbvs.cli.texts import Gettext, error_in, logs_in, translator
from gbvs.cli.usage import usage_error_text
from gbvs.errors import GBVSError
from gbvs.filemodes import restrict_new_files
from gbvs.languages import N_, Lang
from gbvs.safetext import escape_controls

app = typer.Typer(
    name="gbvs",
    help=(
        "GBVS: information position for the Integrated International Security Strategy 2018-2022 (GBVS).\n\n"
        "To start: `gbvs ingest` builds the analytical store from the data, `gbvs backtest` tests the "
        "forecasting models on the past, `gbvs forecast` makes and stores the forecasts and `gbvs serve` "
        "shows them on the pages (http://127.0.0.1:8000). Each command explains itself with --help; "
        "--lang en gives English."
    ),
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
    commands.register(app, commands.command_of(args))


FAILURE = N_("error: %(message)s")
"""The one line that tells a failure, in the reader's language ("fout: ...")."""


ABORTED = N_("aborted")


def main(args: list[str] | None = None) -> int:
    """Run the CLI with ``args`` and return its exit code (tests call this directly).

    The language of ``--help`` and of a failure is the one the command line asks for
    (:func:`gbvs.cli.options.requested_language`). Typer 0.29 vendors its own click, so usage errors
    are caught as ``TyperException`` (its ``ClickException`` derives from it) and shown the way click
    shows them.
    """
    given = sys.argv[1:] if args is None else args
    _register_groups(given)
    lang = requested_language(given)
    command = typer_command(app)
    in_help_order(command)
    speak(command, lang)
    try:
        with logs_in(lang):
            result = command.main(args=_for_click(given), prog_name="gbvs", standalone_mode=False)
    except GBVSError as exc:
        _tell(failure(exc, lang), typer.colors.RED)
        return exc.exit_code
    except typer.Abort:
        _tell(translator(lang)(ABORTED))
        return 130
    except UsageError as exc:
        gettext = translator(lang)
        _tell(usage_error_text(exc, gettext, lambda message: failure_line(message, gettext)))
        return exc.exit_code
    except TyperException as exc:
        show = getattr(exc, "show", None)
        _tell(show if callable(show) else translator(lang)(FAILURE) % {"message": exc})
        return int(getattr(exc, "exit_code", 2))
    return result if isinstance(result, int) else 0


def _for_click(args: list[str]) -> list[str]:
    """The arguments click parses: when help is asked, without the language option already read
    (a group or a command without ``--lang`` refuses it)."""
    asked_help = "--help" in args[: args.index("--")] if "--" in args else "--help" in args
    return without_language(args) if asked_help else args


def failure(error: GBVSError, lang: Lang) -> str:
    """The line that tells ``error`` in ``lang``: "fout: " or "error: " and what the error says, its
    :func:`gbvs.errors.said` words translated, a moment in Dutch time (control characters shown, not
    obeyed)."""
    return failure_line(error_in(error, lang), translator(lang))


def failure_line(message: str, gettext: Gettext) -> str:
    """ "fout: " or "error: " and ``message`` (control characters shown, not obeyed)."""
    return gettext(FAILURE) % {"message": escape_controls(message, keep=chr(10))}


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
