"""The command groups of ``gbvs``, declared in one place.

Each module listed here exposes ``register(app: typer.Typer) -> None`` and adds
its commands or sub-groups. Add a line to add an area.
"""

from __future__ import annotations

from importlib import import_module

import typer

COMMAND_MODULES: tuple[str, ...] = (
    "gbvs.cli.config_cmd",
    "gbvs.cli.data",
    "gbvs.cli.db",
    "gbvs.cli.web",
    "gbvs.cli.panels",
    "gbvs.cli.forecast",
    "gbvs.cli.strategy",
    "gbvs.cli.signals",
    "gbvs.cli.cases",  # signals register: cases and assessments (issue 10)
    "gbvs.cli.assessments",  # threat assessment (issue 13)
    "gbvs.cli.actions",  # early action
    "gbvs.cli.report",  # progress report (issue #14)
    "gbvs.cli.opinion",  # public opinion and consultations (issue 15)
    "gbvs.cli.displacement",  # forced displacement (issue 17)
    "gbvs.cli.brief",  # the country brief (issue 12)
)


def register(app: typer.Typer) -> None:
    """Let every command module add its commands to ``app`` (once)."""
    if getattr(app, "_gbvs_registered", False):
        return
    for name in COMMAND_MODULES:
        import_module(name).register(app)
    app._gbvs_registered = True  # type: ignore[attr-defined]
