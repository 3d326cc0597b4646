"""``gbvs strategy``: the GBVS goals, pillars, threats, drivers and regions, in Dutch or English."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from gbvs.cli.output import FormatOption, OutputFormat, print_json
from gbvs.config import load_settings
from gbvs.errors import InputError
from gbvs.strategy import load_strategy, render
from gbvs.strategy.load import available_strategies
from gbvs.strategy.model import Lang, Strategy

strategy_app = typer.Typer(
    name="strategy",
    help="The strategy as data: pillars, 13 goals, threats, instability drivers, focus regions.",
    no_args_is_help=True,
)

LangOption = Annotated[
    str | None,
    typer.Option("--lang", "-l", help="Language of text output: nl or en (default: GBVS_LANGUAGE, else nl)."),
]
StrategyOption = Annotated[
    str | None,
    typer.Option("--strategy", help="Strategy id (default: the current one; see `gbvs strategy list`)."),
]


def _lang(value: str | None) -> Lang:
    if value is None:
        return load_settings().language
    if value not in ("nl", "en"):
        raise InputError(f"--lang {value!r} is not supported; use --lang nl or --lang en")
    return "nl" if value == "nl" else "en"


def _emit(output_format: OutputFormat, data: dict[str, Any], lines: list[str]) -> None:
    if output_format is OutputFormat.json:
        print_json(data)
    else:
        typer.echo("\n".join(lines))


def _dump(model: Any) -> Any:
    return model.model_dump(mode="json")


def _envelope(strategy: Strategy, **data: Any) -> dict[str, Any]:
    return {"strategy_id": strategy.id, **data}


@strategy_app.command("show")
def show(
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
    strategy_id: StrategyOption = None,
) -> None:
    """Overview: title, period, pillars with their goals, threats and drivers (json: the whole strategy)."""
    strategy = load_strategy(strategy_id)
    _emit(output_format, _dump(strategy), render.overview(strategy, _lang(lang)))


@strategy_app.command("goal")
def goal(
    number: Annotated[int, typer.Argument(help="Goal number, 1..13.")],
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
    strategy_id: StrategyOption = None,
) -> None:
    """One goal: summary, quote, threats, drivers, instruments, frameworks, regions and countries."""
    strategy = load_strategy(strategy_id)
    found = strategy.goal(number)
    _emit(
        output_format,
        _envelope(strategy, goal=_dump(found)),
        render.goal_detail(strategy, found, _lang(lang)),
    )


@strategy_app.command("goals")
def goals(
    pillar: Annotated[
        str | None,
        typer.Option("--pillar", "-p", help="Only this pillar: voorkomen, verdedigen or versterken."),
    ] = None,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
    strategy_id: StrategyOption = None,
) -> None:
    """List the goals, optionally of one pillar."""
    strategy = load_strategy(strategy_id)
    found = strategy.goals_in(pillar)
    data = _envelope(strategy, pillar=pillar, goals=[_dump(g) for g in found])
    _emit(output_format, data, render.goal_list(strategy, found, _lang(lang)))


@strategy_app.command("threat")
def threat(
    number: Annotated[int, typer.Argument(help="Threat number, 1..6 (= section 3.1..3.6).")],
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
    strategy_id: StrategyOption = None,
) -> None:
    """One threat: summary, quote, vital interests affected and the goals that address it."""
    strategy = load_strategy(strategy_id)
    found = strategy.threat(number)
    goal_numbers = [g.number for g in strategy.goals_for_threat(number)]
    data = _envelope(strategy, threat=_dump(found), goals=goal_numbers)
    _emit(output_format, data, render.threat_detail(strategy, found, _lang(lang)))


@strategy_app.command("drivers")
def drivers(
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
    strategy_id: StrategyOption = None,
) -> None:
    """The instability drivers of §2.2 and the early-warning indicator, with the goals addressing each."""
    strategy = load_strategy(strategy_id)
    items = [
        {"driver": _dump(d), "goals": [g.number for g in strategy.goals_for_driver(d.id)]}
        for d in strategy.drivers
    ]
    _emit(output_format, _envelope(strategy, drivers=items), render.driver_list(strategy, _lang(lang)))


@strategy_app.command("regions")
def regions(
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
    strategy_id: StrategyOption = None,
) -> None:
    """The focus regions with their member countries (ISO3 and Gleditsch-Ward codes)."""
    strategy = load_strategy(strategy_id)
    items = [
        {"region": _dump(r), "countries": [_dump(c) for c in strategy.countries_in_region(r.id)]}
        for r in strategy.regions
    ]
    _emit(output_format, _envelope(strategy, regions=items), render.region_list(strategy, _lang(lang)))


@strategy_app.command("list")
def list_strategies(output_format: FormatOption = OutputFormat.text) -> None:
    """The strategies shipped with GBVS (ids usable with --strategy)."""
    ids = list(available_strategies())
    _emit(output_format, {"strategies": ids}, ids)


def register(app: typer.Typer) -> None:
    """Add ``gbvs strategy``."""
    app.add_typer(strategy_app)
