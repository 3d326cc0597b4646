"""Shared output helpers for CLI commands: human text by default, JSON with ``--format json``."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from gbvs.errors import InputError


class OutputFormat(StrEnum):
    """How a command prints data."""

    text = "text"
    json = "json"


FormatOption = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="Output format: text for people, json for programs.")
]

console = Console()


def print_json(data: Any) -> None:
    """Print ``data`` as indented UTF-8 JSON on stdout."""
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


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
