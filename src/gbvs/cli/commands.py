"""The command groups of ``gbvs``, declared in one place.

Each module listed here exposes ``register(app: typer.Typer) -> None`` and adds the top-level commands
or sub-groups named beside it (``tests/test_cli.py`` checks the names). Add a line to add an area.
A command loads only its own module: the areas import heavy libraries (scikit-learn and LightGBM,
the STIX validator, WeasyPrint), and loading them all took 6.6 s before any command started.
"""

from __future__ import annotations

import inspect
from importlib import import_module

import typer
from typer._click.core import Command

COMMAND_MODULES: dict[str, tuple[str, ...]] = {
    "gbvs.cli.config_cmd": ("config",),
    "gbvs.cli.data": ("ingest", "sources"),
    "gbvs.cli.db": ("db", "orgs", "users", "audit"),
    "gbvs.cli.web": ("serve",),
    "gbvs.cli.panels": ("drivers", "codebook", "panel"),
    "gbvs.cli.forecast": ("backtest", "forecast", "watchlist", "modelcard"),
    "gbvs.cli.strategy": ("strategy",),
    "gbvs.cli.signals": ("signals", "sharing-groups"),
    "gbvs.cli.cases": ("cases",),  # signals register: cases and assessments (issue 10)
    "gbvs.cli.assessments": ("assessments",),  # threat assessment (issue 13)
    "gbvs.cli.actions": ("actions",),  # early action
    "gbvs.cli.report": ("report",),  # progress report (issue #14)
    "gbvs.cli.opinion": ("opinion",),  # public opinion and consultations (issue 15)
    "gbvs.cli.displacement": ("displacement",),  # forced displacement (issue 17)
    "gbvs.cli.brief": ("brief",),  # the country brief (issue 12)
    "gbvs.cli.demspaces": ("demspaces",),  # DemSpaces v14 beside GBVS, every country (issue 11)
}
"""Command module -> the top-level commands and groups it registers."""

HELP_ORDER: tuple[str, ...] = (
    "ingest",
    "backtest",
    "forecast",
    "serve",
    "watchlist",
    "brief",
    "modelcard",
    "demspaces",
    "displacement",
    "drivers",
    "codebook",
    "panel",
    "sources",
    "strategy",
    "actions",
    "signals",
    "cases",
    "sharing-groups",
    "assessments",
    "report",
    "opinion",
    "db",
    "orgs",
    "users",
    "audit",
    "config",
)
"""The order of ``gbvs --help``: the main job first (ingest → backtest → forecast → serve), then what an
analyst reads, the registers and workflows, and last the administration."""


def register(app: typer.Typer, command: str | None = None) -> None:
    """Let the module that provides ``command`` add its commands to ``app``, or every module when
    ``command`` is None or no module names it (``gbvs --help``, a mistyped command: the full list
    answers). Each module registers once."""
    done: set[str] = getattr(app, "_gbvs_registered", set())
    wanted = [name for name, commands in COMMAND_MODULES.items() if command in commands]
    for name in wanted or COMMAND_MODULES:
        if name not in done:
            import_module(name).register(app)
            done.add(name)
    app._gbvs_registered = done  # type: ignore[attr-defined]
    tidy_help(app)


def tidy_help(app: typer.Typer) -> None:
    """Help as people read it: a group called without a command (``gbvs db``) lists its commands instead
    of "Missing command", and a command's line in that list is its first paragraph on one line (Typer
    kept the docstring's line breaks there, splitting a sentence over two rows)."""
    for command in app.registered_commands:
        first = (command.help or inspect.getdoc(command.callback) or "").split("\n\n")[0]
        if command.short_help is None and "\n" in first:
            command.short_help = " ".join(first.split())
    for group in app.registered_groups:
        if group.typer_instance is not None:
            group.typer_instance.info.no_args_is_help = True
            tidy_help(group.typer_instance)


def command_of(args: list[str]) -> str | None:
    """The command ``args`` start (the first word that is not an option), if any."""
    return next((arg for arg in args if not arg.startswith("-")), None)


def in_help_order(group: Command) -> None:
    """List the commands of ``group`` (the top level) in :data:`HELP_ORDER`; one not named there last."""
    commands: dict[str, Command] = getattr(group, "commands", {})
    rank = {name: index for index, name in enumerate(HELP_ORDER)}
    ordered = sorted(commands.items(), key=lambda item: rank.get(item[0], len(rank)))
    group.commands = dict(ordered)  # type: ignore[attr-defined]
