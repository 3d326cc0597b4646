"""Shared output helpers for CLI commands: human text by default, JSON with ``--format json``.

Everything a command prints goes through :func:`echo`, :func:`clean` (one table cell) or
:func:`print_json`, which escape control characters (:func:`gbvs.safetext.escape_controls`): a
newline, ANSI escape or bidi override stored in a username or an audit entry is shown as
``\\n`` / ``\\u001b`` / ``\\u202e`` and cannot forge a line or hide text in the terminal.
"""

from __future__ import annotations

import json
import stat
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from rich.console import Console

from gbvs.errors import InputError, Term, said
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


def shown(path: Path) -> str:
    """A path as an error message names it: quoted, its first 200 characters."""
    return repr(str(path)[:200])


def write_output(path: Path, content: str | bytes, replace: bool = False) -> None:
    """Write ``content`` (text as UTF-8) to the file the user named; an existing file only with
    ``replace`` (``--force``, or a command that always replaces its output).

    InputError (with the reason and the fix) when the file exists or cannot be written.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        with path.open("wb" if replace else "xb") as handle:
            handle.write(data)
    except FileExistsError:
        raise _exists(path) from None
    except OSError as exc:
        raise InputError(
            f"cannot write {shown(path)}: {exc.strerror or exc}; give a file name in a writable folder"
        ) from None


def refuse_existing(path: Path, replace: bool, what: str = "--output") -> None:
    """Before a command does its work: InputError when the output file it will write (the option
    ``what``) exists and ``replace`` (``--force``) was not given."""
    if not replace and path_kind(path, what) != "missing":
        raise _exists(path)


def _exists(path: Path) -> InputError:
    return InputError(f"{shown(path)} already exists; add --force to replace it, or choose another file name")


NO_SUCH_FILE = Term("no such file")
A_FOLDER = Term("a folder, not a file")


def read_input(path: Path, what: Term, fix: Term) -> bytes:
    """The bytes of the file the user named as ``what`` (a catalogue term: "STIX bundle"); InputError
    naming the path, the reason and ``fix`` (a catalogue term too) when it is missing, a folder,
    unreadable or its name too long, in the reader's language."""
    reason: str
    try:
        return path.read_bytes()
    except FileNotFoundError:
        reason = NO_SUCH_FILE
    except IsADirectoryError:
        reason = A_FOLDER
    except OSError as exc:
        reason = str(exc.strerror or exc)
    raise InputError(
        said("%(what)s %(file)s: %(reason)s; %(fix)s", what=what, file=shown(path), reason=reason, fix=fix)
    )


PathKind = Literal["file", "folder", "missing", "other"]


def path_kind(path: Path, what: str) -> PathKind:
    """Whether the path the user named as ``what`` is a file, a folder, missing or something else;
    InputError when it cannot even be looked up (a name too long, a folder that may not be read)."""
    try:
        mode = path.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        return "missing"
    except OSError as exc:
        raise InputError(
            f"{what} {shown(path)} cannot be looked up: {exc.strerror or exc}; give a shorter path, "
            "in a folder you may read"
        ) from None
    return "file" if stat.S_ISREG(mode) else "folder" if stat.S_ISDIR(mode) else "other"
