"""Progress bars for the long forecasting commands (``gbvs backtest``, ``gbvs forecast``).

Rich bars on stderr, one per group of targets (steps: the folds of the rolling-origin backtest)
or one for the targets of a forecast. Off when stderr is not a terminal (logs, pipes) and with
``--format json``, so programs read clean output.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

Steps = Callable[[str, int, int], None]
"""As :data:`gbvs.forecasting.backtest.Steps` (not imported: the CLI starts without the model code)."""


class StepBars:
    """Draws ``(label, done, total)`` events as one bar per label."""

    def __init__(self, progress: Progress, prefix: str) -> None:
        self.progress = progress
        self.prefix = prefix
        self._tasks: dict[str, TaskID] = {}

    def __call__(self, label: str, done: int, total: int) -> None:
        """Move the bar of ``label`` to ``done`` of ``total``."""
        task = self._tasks.get(label)
        if task is None:
            task = self.progress.add_task(f"{self.prefix} {label}", total=total)
            self._tasks[label] = task
        self.progress.update(task, completed=done, total=total)


def bars_wanted(console: Console, json_output: bool) -> bool:
    """Whether to draw bars: only for people (stderr is a terminal, text output)."""
    return console.is_terminal and not json_output


@contextmanager
def step_bars(prefix: str, json_output: bool, console: Console | None = None) -> Iterator[Steps | None]:
    """A :data:`Steps` callback drawing bars on stderr, or None when bars are off."""
    console = console or Console(stderr=True)
    if not bars_wanted(console, json_output):
        yield None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False) as progress:
        yield StepBars(progress, prefix)
