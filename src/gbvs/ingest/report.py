"""How the ingest pipeline reports progress: a small protocol, with a silent default.

Results and warnings come as :func:`gbvs.errors.said` words, so the command line shows them in the
reader's language (:func:`gbvs.cli.texts.said_in`); the silent reporter keeps the English text."""

from __future__ import annotations

from typing import Protocol

from gbvs.errors import Words
from gbvs.sources.fetch import Advance


class Reporter(Protocol):
    """Receives progress events from :func:`gbvs.ingest.pipeline.ingest`."""

    def start(self, total_steps: int) -> None:
        """The pipeline will run ``total_steps`` steps."""

    def step(self, label: str) -> None:
        """A step (a source or a derived table) begins."""

    def finished(self, label: str, detail: Words) -> None:
        """A step ended; ``detail`` says what it produced."""

    def warn(self, message: Words) -> None:
        """Something was skipped or is incomplete."""

    def download(self, url: str, total: int | None) -> Advance:
        """A download of ``total`` bytes (None if unknown) begins; return a callback for bytes received."""


class SilentReporter:
    """Reports nothing (library use and tests)."""

    def __init__(self) -> None:
        self.warnings: list[str] = []

    def start(self, total_steps: int) -> None:
        """Ignore."""

    def step(self, label: str) -> None:
        """Ignore."""

    def finished(self, label: str, detail: Words) -> None:
        """Ignore."""

    def warn(self, message: Words) -> None:
        """Keep the warning (its English text)."""
        self.warnings.append(message[0] % message[1])

    def download(self, url: str, total: int | None) -> Advance:
        """Ignore the bytes."""
        return lambda _n: None
