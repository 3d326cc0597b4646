"""``gbvs strategy``: the GBVS goals, pillars, threats, drivers and regions, in Dutch or English."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from gbvs.cli.helptexts import help_with
from gbvs.cli.options import COUNTRY_HELP, LangOption, Language, country_iso3, resolve_lang
from gbvs.cli.output import FormatOption, OutputFormat, echo, print_json
from gbvs.cli.texts import said_in
from gbvs.errors import said
from gbvs.strategy import load_strategy, load_strategy_from, render
from gbvs.strategy.load import available_strategies
from gbvs.strategy.model import Lang, Strategy

strategy_app = typer.Typer(
    name="strategy",
    help="The strategy as data: pillars, 13 goals, threats, trends, vital interests, drivers, focus regions.",
    no_args_is_help=True,
)

StrategyOption = Annotated[
    str | None,
    typer.Option("--strategy", help="Strategy id (default: the current one; see `gbvs strategy list`)."),
]


def _lang(value: Language | None) -> Lang:
    return resolve_lang(value)


def _emit(output_format: OutputFormat, data: dict[str, Any], lines: list[str]) -> None:
    if output_format is OutputFormat.json:
        print_json(data)
    else:
        echo("\n".join(lines))


def _dump(model: Any) -> Any:
    return model.model_dump(mode="json")


def _envelope(strategy: Strategy, **data: Any) -> dict[str, Any]:
    return {"strategy_id": strategy.id, **data}


def _emit_with_goals(
    output_format: OutputFormat,
    strategy: Strategy,
    kind: str,
    entries: Sequence[Any],
    goals_of: Callable[[Any], Iterable[Any]],
    lines: list[str],
) -> None:
    """Emit ``entries`` (as ``{kind: entry, "goals": [numbers]}``) under the plural of ``kind``."""
    items = [{kind: _dump(entry), "goals": [g.number for g in goals_of(entry)]} for entry in entries]
    _emit(output_format, _envelope(strategy, **{f"{kind}s": items}), lines)


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
        typer.Option(
            "--pillar",
            "-p",
            help="Only this pillar: voorkomen/prevent, verdedigen/defend or versterken/strengthen.",
        ),
    ] = None,
    driver: Annotated[
        str | None, typer.Option("--driver", help="Only goals addressing this driver id.")
    ] = None,
    threat: Annotated[int | None, typer.Option("--threat", help="Only goals addressing threat 1..6.")] = None,
    country: Annotated[
        str | None,
        typer.Option(
            "--country",
            help=help_with(
                "Only goals naming this country, directly or via a region. %(country)s", country=COUNTRY_HELP
            ),
        ),
    ] = None,
    instrument: Annotated[
        str | None, typer.Option("--instrument", help="Only goals using this instrument id.")
    ] = None,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
    strategy_id: StrategyOption = None,
) -> None:
    """List the goals, optionally filtered by pillar, driver, threat, country or instrument."""
    strategy = load_strategy(strategy_id)
    found = strategy.select_goals(
        pillar=pillar,
        driver=driver,
        threat=threat,
        country=country_iso3(country) if country else None,
        instrument=instrument,
    )
    filters = {
        "pillar": pillar,
        "driver": driver,
        "threat": threat,
        "country": country,
        "instrument": instrument,
    }
    data = _envelope(strategy, filters=filters, goals=[_dump(g) for g in found])
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
    lines = render.driver_list(strategy, _lang(lang))
    _emit_with_goals(
        output_format, strategy, "driver", strategy.drivers, lambda d: strategy.goals_for_driver(d.id), lines
    )


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


@strategy_app.command("threats")
def threats(
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
    strategy_id: StrategyOption = None,
) -> None:
    """The six threats of chapter 3 with the vital interests they affect and the goals addressing them."""
    strategy = load_strategy(strategy_id)
    lines = render.threat_list(strategy, _lang(lang))
    _emit_with_goals(
        output_format,
        strategy,
        "threat",
        strategy.threats,
        lambda t: strategy.goals_for_threat(t.number),
        lines,
    )


@strategy_app.command("instruments")
def instruments(
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
    strategy_id: StrategyOption = None,
) -> None:
    """The policy instruments (ids usable with `goals --instrument`) and the goals using each."""
    strategy = load_strategy(strategy_id)
    lines = render.instrument_list(strategy, _lang(lang))
    _emit_with_goals(
        output_format,
        strategy,
        "instrument",
        strategy.instruments,
        lambda i: strategy.goals_for_instrument(i.id),
        lines,
    )


@strategy_app.command("frameworks")
def frameworks(
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
    strategy_id: StrategyOption = None,
) -> None:
    """The linked policy frameworks (Defensienota, BHOS-nota, ...) and the goals linked to each."""
    strategy = load_strategy(strategy_id)
    lines = render.framework_list(strategy, _lang(lang))
    _emit_with_goals(
        output_format,
        strategy,
        "framework",
        strategy.frameworks,
        lambda f: [g for g in strategy.goals if f.id in g.frameworks],
        lines,
    )


@strategy_app.command("trends")
def trends(
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
    strategy_id: StrategyOption = None,
) -> None:
    """The four trends of chapter 2 with their instability drivers and the goals addressing them."""
    strategy = load_strategy(strategy_id)
    items = [
        {
            "trend": _dump(t),
            "drivers": [d.id for d in strategy.drivers_for_trend(t.id)],
            "goals": [g.number for g in strategy.goals_for_trend(t.id)],
        }
        for t in strategy.trends
    ]
    _emit(output_format, _envelope(strategy, trends=items), render.trend_list(strategy, _lang(lang)))


@strategy_app.command("interests")
def interests(
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
    strategy_id: StrategyOption = None,
) -> None:
    """The vital interests, the threats of chapter 3 that affect each and the goals against those threats."""
    strategy = load_strategy(strategy_id)
    items = [
        {
            "vital_interest": _dump(v),
            "threats": [t.number for t in strategy.threats_for_interest(v.id)],
            "goals": [g.number for g in strategy.goals_for_interest(v.id)],
        }
        for v in strategy.vital_interests
    ]
    data = _envelope(strategy, vital_interests=items)
    _emit(output_format, data, render.interest_list(strategy, _lang(lang)))


@strategy_app.command("check")
def check(
    folder: Annotated[Path, typer.Argument(help="A strategy folder holding strategy.yaml, goals.yaml, ...")],
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """Validate a strategy folder (e.g. an edited copy); errors name file, entry, value and fix (exit 4)."""
    strategy = load_strategy_from(folder)
    counts = {
        name: len(getattr(strategy, name)) for name in ("pillars", "goals", "threats", "drivers", "regions")
    }
    valid = said(
        "ok: %(strategy)s: %(pillars)s pillars, %(goals)s goals, %(threats)s threats, %(drivers)s drivers, "
        "%(regions)s regions",
        strategy=strategy.id,
        **counts,
    )
    _emit(output_format, {"strategy_id": strategy.id, "valid": True, **counts}, [said_in(valid, _lang(lang))])


@strategy_app.command("list")
def list_strategies(output_format: FormatOption = OutputFormat.text) -> None:
    """The strategies shipped with GBVS (ids usable with --strategy)."""
    ids = list(available_strategies())
    _emit(output_format, {"strategies": ids}, ids)


def register(app: typer.Typer) -> None:
    """Add ``gbvs strategy``."""
    app.add_typer(strategy_app)
