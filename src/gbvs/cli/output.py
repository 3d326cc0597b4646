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

from gbvs.errors import InputError, Said, Term, Words, name_with_code, said
from gbvs.numbers import figures_without_noise
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


def named_code(name: str, code: str) -> str:
    """A code by its name with the code one types after it: "ministerie (ministry)", as the command
    line shows the focus regions and drivers (:func:`gbvs.cli.options.region_id`); the name alone
    where it is the code ("police" in English)."""
    return clean(name_with_code(name, code))


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
    """Print ``data`` as indented UTF-8 JSON on stdout (C1 and bidi characters as \\u escapes), a float
    as the API and the CSV exports write it, without float noise (:func:`gbvs.numbers.without_noise`)."""
    echo(json.dumps(figures_without_noise(data), ensure_ascii=False, indent=2, default=str))


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
            said(
                "cannot write %(file)s: %(reason)s; give a file name in a writable folder",
                file=shown(path),
                reason=os_reason(exc),
            )
        ) from None


def refuse_existing(path: Path, replace: bool, what: str = "--output") -> None:
    """Before a command does its work: InputError when the output file it will write (the option
    ``what``) exists and ``replace`` (``--force``) was not given."""
    if not replace and path_kind(path, what) != "missing":
        raise _exists(path)


def _exists(path: Path) -> InputError:
    return InputError(
        said(
            "%(file)s already exists; add --force to replace it, or choose another file name",
            file=shown(path),
        )
    )


def os_reason(error: OSError) -> Term:
    """Why the operating system refused a file (its ``strerror``), as a term the reader's catalogue
    translates ("No such file or directory"); an unknown reason stays as the system says it."""
    return Term(error.strerror or str(error))


READ_FIX = said("give the path of a file you may read")


def read_input(path: Path, what: Term, fix: Words = READ_FIX) -> bytes:
    """The bytes of the file the user named as ``what`` ("STIX bundle"); InputError naming the path,
    the reason and ``fix`` (words of :func:`gbvs.errors.said`) when it is missing, a folder, unreadable
    or its name too long."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(
            said(
                "%(what)s %(file)s cannot be read: %(reason)s; %(fix)s",
                what=what,
                file=shown(path),
                reason=os_reason(exc),
                fix=Said.of(fix),
            )
        ) from None


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
            said(
                "%(what)s %(file)s cannot be looked up: %(reason)s; give a shorter path, in a folder you "
                "may read",
                what=what,
                file=shown(path),
                reason=os_reason(exc),
            )
        ) from None
    return "file" if stat.S_ISREG(mode) else "folder" if stat.S_ISDIR(mode) else "other"
