"""``gbvs demspaces``: DemSpaces v14 beside GBVS for every country, largest difference first.

A thin edge over :func:`gbvs.web.queries.demspaces.comparisons`, the service of ``/democratische-ruimte``
and ``/api/v1/demspaces-comparisons``: the same pairs, filters and order, in Dutch by default.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from gbvs.cli.helptexts import help_with
from gbvs.cli.identity import AsUser, require
from gbvs.cli.options import LangOption, region_id, resolve_lang
from gbvs.cli.output import echo, print_json
from gbvs.cli.texts import translator
from gbvs.config import load_settings
from gbvs.forecasting.domain import DEMSPACES_NAMES, SPACE_DIRECTIONS
from gbvs.security.permissions import Permission
from gbvs.strategy.model import Lang

if TYPE_CHECKING:
    from gbvs.web.api.exportnotes import Reader
    from gbvs.web.queries.demspaces import Comparisons

TEXT_ROWS = 40
"""Pairs the text list shows (json and csv give every pair)."""


Change = StrEnum("Change", {name: name for name in SPACE_DIRECTIONS.values()})  # type: ignore[misc]
"""The direction of change as our targets name it: closing, opening."""
Space = StrEnum("Space", {name: name for name in DEMSPACES_NAMES.values()})  # type: ignore[misc]
"""The six democratic spaces by DemSpaces' short names."""


class ListFormat(StrEnum):
    """Output formats of the list."""

    text = "text"
    json = "json"
    csv = "csv"


def demspaces_cmd(
    direction: Annotated[
        Change | None, typer.Option("--direction", case_sensitive=False, help="Only closing or opening.")
    ] = None,
    space: Annotated[
        Space | None, typer.Option("--space", case_sensitive=False, help="Only this democratic space.")
    ] = None,
    region: Annotated[
        str | None, typer.Option("--region", help="Focus region id or name in any case, e.g. sahel.")
    ] = None,
    min_difference: Annotated[
        float,
        typer.Option(
            "--min-difference",
            min=0.0,
            max=1.0,
            help="Only pairs at least this far apart (default 0.2, what the pages call a disagreement).",
        ),
    ] = 0.2,
    every: Annotated[
        bool, typer.Option("--all", help="Every pair, also those close together or with one side missing.")
    ] = False,
    output_format: Annotated[
        ListFormat, typer.Option("--format", "-f", case_sensitive=False, help="text, json or csv.")
    ] = ListFormat.text,
    lang: LangOption = None,
    limit: Annotated[
        int,
        typer.Option(
            "--limit", min=1, help=help_with("Rows of the text list (default %(rows)s).", rows=TEXT_ROWS)
        ),
    ] = TEXT_ROWS,
    as_user: AsUser = None,
) -> None:
    """DemSpaces v14's latest forecasts beside ours, largest difference first (Dutch by default)."""
    from gbvs.web.api.countries import provenance_text
    from gbvs.web.api.exportnotes import Reader
    from gbvs.web.downloads import dutch_day
    from gbvs.web.queries.demspaces import COMPARISON_COLUMNS, DEMSPACES_TABLES, comparisons, has_demspaces
    from gbvs.web.queries.forecasts import ForecastCache
    from gbvs.web.queries.strategy import current_strategy, region_iso3
    from gbvs.web.store import StoreGateway

    language = resolve_lang(lang)
    members = region_iso3(current_strategy(), region_id(region, language)) if region is not None else None
    settings = load_settings()
    require(settings, Permission.forecast_read, "forecast.read", "forecast", as_user)
    store = StoreGateway(settings.resolved_store_path)
    try:
        if not has_demspaces(store):
            raise typer.BadParameter(
                "the store holds no DemSpaces v14 forecasts; run `gbvs ingest` with the mirror's forecasts "
                "folder",
                param_hint="store",
            )
        least = 0.0 if every else min_difference
        found = comparisons(
            store, ForecastCache(settings), language, direction=direction, space=space, members=members,
            min_difference=least,
        )  # fmt: skip
        provenance = provenance_text(store, DEMSPACES_TABLES)
    finally:
        store.close()
    if output_format is ListFormat.json:
        body = {"provenance": provenance, "run": found.run.model_dump() if found.run else None}
        print_json({**body, "data": [r.model_dump() for r in found.rows]})
    elif output_format is ListFormat.csv:
        asked = {"direction": direction, "space": space, "region": region, "min_difference": least}
        filters = tuple((name, str(value)) for name, value in asked.items() if value is not None)
        _print_csv(found, COMPARISON_COLUMNS, provenance, Reader(translator(language), dutch_day(), filters))
    else:
        for line in _lines(found, language, least, limit, provenance):
            echo(line)


def _print_csv(found: Comparisons, columns: tuple[str, ...], provenance: str, reader: Reader) -> None:
    """The comparison as the API's CSV: the provenance on every row and, when no pair is left, after the
    header as ``#`` lines naming the sources, our run and the filters that left none (in ``reader``'s
    language), as every empty download says it (docs/exports.md)."""
    from gbvs.web.api.common import csv_text
    from gbvs.web.api.demspaces import comparison_about

    run = found.run
    extra = {
        "demspaces_provenance": provenance,
        "model_version": run.model_version if run else None,
        "training_cutoff": run.training_cutoff if run else None,
        "data_vintage": run.data_vintage if run else None,
    }
    rows = ({**r.model_dump(), **extra} for r in found.rows)
    echo(csv_text(rows, [*columns, *extra], reader, comparison_about(found, provenance)).rstrip("\n"))


def _lines(found: Comparisons, lang: Lang, least: float, limit: int, provenance: str) -> list[str]:
    from gbvs.numbers import decimal, percent, signed
    from gbvs.web.labels import SPACE_NAMES
    from gbvs.web.queries.demspaces import DIRECTION_NAMES

    _ = translator(lang)
    run = found.run
    header = _("DemSpaces v14 beside GBVS: %(n)s pairs at least %(points)s points apart") % {
        "n": decimal(len(found.rows), lang, 0),
        "points": decimal(100 * least, lang, 0),
    }
    lines = [header]
    for r in found.rows[:limit]:
        space = _(SPACE_NAMES.get(r.space, r.space))
        change = _(DIRECTION_NAMES.get(r.direction, r.direction))
        points = None if r.difference is None else signed(100 * r.difference, lang, 0)
        apart = "-" if points is None else _("%(points)s pts") % {"points": points}
        theirs, ours = (percent(p, lang) if p is not None else "-" for p in (r.demspaces_p, r.gbvs_p))
        lines.append(f"{r.iso3} {r.name[:22]:<22} {space[:24]:<24} {change:<9} {theirs:>6} {ours:>6} {apart}")
    if len(found.rows) > limit:
        lines.append(
            _("%(shown)s of %(total)s pairs shown; --limit N shows more, --format csv or json shows all")
            % {"shown": decimal(limit, lang, 0), "total": decimal(len(found.rows), lang, 0)}
        )
    lines.append(_("Columns: DemSpaces v14, GBVS, difference (GBVS minus DemSpaces)"))
    lines.append(f"DemSpaces v14: {provenance}")
    if run:
        facts = {"model": run.model_version, "cutoff": run.training_cutoff, "run": run.run_id}
        lines.append("GBVS: " + _("%(model)s, training cutoff %(cutoff)s, run %(run)s") % facts)
        lines.append(_("Data vintage") + f": {run.data_vintage}")
    else:
        lines.append(_("No GBVS forecasts of the democratic spaces yet: run `gbvs forecast`."))
    return lines


def register(app: typer.Typer) -> None:
    """Add ``gbvs demspaces``."""
    app.command("demspaces")(demspaces_cmd)
