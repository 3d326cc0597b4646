"""Shared output helpers for CLI commands: human text by default, JSON with ``--format json``."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console


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
