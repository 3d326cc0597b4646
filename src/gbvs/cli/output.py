"""Shared output helpers for CLI commands: human text by default, JSON with ``--format json``.

Everything a command prints goes through :func:`echo`, :func:`clean` (one table cell) or
:func:`print_json`, which escape control characters (:func:`gbvs.safetext.escape_controls`): a
newline, ANSI escape or bidi override stored in a username or an audit entry is shown as
``\\n`` / ``\\u001b`` / ``\\u202e`` and cannot forge a line or hide text in the terminal.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from gbvs.errors import InputError
from gbvs.safetext import escape_controls


class OutputFormat(StrEnum):
    """How a command prints data."""

    text = "text"
    json = "json"


FormatOption = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="Output format: text for people, json for programs.")
]

console = Console()


def clean(value: Any) -> str:
    """One value as a single safe line ("" for None): every control character escaped."""
    return "" if value is None else escape_controls(str(value))


class ReaderGone(Exception):
    """The reader of stdout went away (``gbvs watchlist | head``): stop printing, exit 0."""


def echo(text: str = "", err: bool = False) -> None:
    """Print ``text`` (its own line breaks kept, every other control character escaped).

    A closed pipe raises :class:`ReaderGone` (click would turn the ``BrokenPipeError`` into exit 1).
    """
    try:
        typer.echo(escape_controls(text, keep="\n\t"), err=err)
    except BrokenPipeError:
        raise ReaderGone from None


def print_json(data: Any) -> None:
    """Print ``data`` as indented UTF-8 JSON on stdout (C1 and bidi characters as \\u escapes)."""
    echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def write_output(path: Path, text: str, replace: bool = False) -> None:
    """Write ``text`` to the file the user named; an existing file only with ``replace`` (``--force``).

    InputError (with the reason and the fix) when the file exists or cannot be written.
    """
    try:
        with path.open("w" if replace else "x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise InputError(
            f"{str(path)[:200]!r} already exists; add --force to replace it, or choose another file name"
        ) from None
    except OSError as exc:
        raise InputError(
            f"cannot write {str(path)[:200]!r}: {exc.strerror or exc}; give a file name in a writable folder"
        ) from None
