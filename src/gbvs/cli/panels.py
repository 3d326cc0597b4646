"""``gbvs drivers``, ``gbvs codebook`` and ``gbvs panel show``: the panels and their documentation."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from gbvs.cli.identity import require
from gbvs.cli.output import FormatOption, OutputFormat, echo, print_json, write_output
from gbvs.config import Settings, load_settings
from gbvs.errors import StoreNotBuiltError
from gbvs.security.permissions import Permission

if TYPE_CHECKING:
    from gbvs.store import Store

panel_app = typer.Typer(help="Country-year and event panels built from the store.", no_args_is_help=True)


class CodebookFormat(StrEnum):
    """Output formats of the codebook."""

    md = "md"
    json = "json"


@contextmanager
def open_store(settings: Settings, required: bool) -> Iterator[Store | None]:
    """The store (read-only), or None when it is absent and not ``required``.

    The acting user must hold data:read (a token's owner is checked; a refusal is recorded).
    """
    require(settings, Permission.data_read, "data.read", "store")
    from gbvs.store import Store

    try:
        store = Store(settings.resolved_store_path)
    except StoreNotBuiltError:
        if required:
            raise
        yield None
        return
    with store:
        yield store


def _spans_text(spans: list[tuple[int, int]]) -> str:
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans) or "-"


def drivers(
    country: Annotated[
        int | None, typer.Option("--country", "-c", help="Gleditsch-Ward code: show this country's gaps.")
    ] = None,
    output_format: FormatOption = OutputFormat.text,
) -> None:
    """Driver indicators: driver, direction (+1 = higher is more risk), source, coverage in the store."""
    from gbvs.drivers import drivers_without_indicators
    from gbvs.panels.driver_coverage import country_gaps, country_years, indicator_coverage

    settings = load_settings()
    with open_store(settings, required=country is not None) as store:
        rows = indicator_coverage(store)
        gaps = country_gaps(store, country) if store is not None and country is not None else None
        span = country_years(store, country) if store is not None and country is not None else None
    if output_format is OutputFormat.json:
        data: dict[str, Any] = {
            "indicators": [row.as_dict() for row in rows],
            "drivers_without_indicators": drivers_without_indicators(),
            "store_built": store is not None,
        }
        if gaps is not None:
            data["country"] = {"gwcode": country, "years": span, "missing": gaps}
        print_json(data)
        return
    _print_drivers(rows, gaps, country, span, store is not None)


def _print_drivers(
    rows: list[Any],
    gaps: dict[str, list[tuple[int, int]]] | None,
    country: int | None,
    span: tuple[int, int] | None,
    built: bool,
) -> None:
    from gbvs.drivers import drivers_without_indicators

    if span is not None:
        echo(f"gwcode {country}: panel years {span[0]}-{span[1]}; missing years per indicator")
    driver = None
    width = max(len(row.indicator.column) for row in rows)
    for row in rows:
        item, cov = row.indicator, row.coverage
        if item.driver != driver:
            driver = item.driver
            echo(f"\n{driver}")
        known = (
            f"{cov.first}-{cov.last}  {cov.n_units:>3} countries  {cov.share_missing:>4.0%} missing"
            if cov
            else ""
        )
        line = f"  {item.column:<{width}} {item.direction:+d}  {item.source_table:<16} {known}"
        if gaps is not None:
            line += f"  missing: {_spans_text(gaps.get(item.column, []))}"
        echo(line.rstrip())
    if not built:
        echo("\ncoverage unknown: the store is not built yet; run `gbvs ingest`.")
    missing = drivers_without_indicators()
    if missing:
        echo(f"\ndrivers without an indicator: {', '.join(missing)}")


def codebook(
    output_format: Annotated[
        CodebookFormat, typer.Option("--format", "-f", help="md (Markdown) or json.")
    ] = CodebookFormat.md,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this (new) file.")] = None,
    language: Annotated[str, typer.Option("--language", "-l", help="nl or en (Markdown).")] = "",
    force: Annotated[bool, typer.Option("--force", help="Replace the --output file if it exists.")] = False,
) -> None:
    """The codebook of every panel variable: meaning, unit, source and coverage in the store."""
    from gbvs.errors import InputError
    from gbvs.panels.codebook import build_codebook, render_markdown

    settings = load_settings()
    lang = language or settings.language
    if lang not in ("nl", "en"):
        raise InputError(f"--language {lang!r} is not supported; use nl or en")
    with open_store(settings, required=False) as store:
        entries = build_codebook(store)
    if output_format is CodebookFormat.json:
        text = json.dumps([e.as_dict() for e in entries], ensure_ascii=False, indent=2, default=str)
    else:
        text = render_markdown(entries, lang)
    if output is None:
        echo(text)
    else:
        write_output(output, text + "\n", replace=force)
        echo(f"codebook written to {output}")


def show(
    country: Annotated[int, typer.Option("--country", "-c", help="Gleditsch-Ward code, e.g. 652.")],
    columns: Annotated[
        str, typer.Option("--columns", help="Comma-separated columns (default: the conflict columns).")
    ] = "",
    since: Annotated[int, typer.Option("--since", help="First year to show.")] = 1946,
    output_format: FormatOption = OutputFormat.text,
) -> None:
    """Show one country's rows of the country-year panel."""
    from gbvs.errors import InputError, NotFoundError
    from gbvs.panels.country_year import CONFLICT_COLUMNS
    from gbvs.store import reads_panel

    with open_store(load_settings(), required=True) as store:
        assert store is not None  # required=True raises instead
        reads_panel.require_country_year(store)
        stored = reads_panel.panel_columns(store)
        wanted = [c.strip() for c in columns.split(",") if c.strip()] or list(CONFLICT_COLUMNS)
        unknown = [c for c in wanted if c not in stored]
        if unknown:
            raise InputError(f"unknown panel columns {unknown}; see `gbvs codebook` for the column names")
        frame = reads_panel.country_frame(store, gwcode=country, columns=tuple(wanted), since=since)
    if frame.empty:
        raise NotFoundError(
            f"no rows for gwcode {country} from {since} in panel_country_year; check the code and --since"
        )
    if output_format is OutputFormat.json:
        print_json(json.loads(frame.to_json(orient="records")))
        return
    echo(frame.to_string(index=False))


def register(app: typer.Typer) -> None:
    """Add ``drivers``, ``codebook`` and ``panel show`` to ``app``."""
    app.command("drivers")(drivers)
    app.command("codebook")(codebook)
    panel_app.command("show")(show)
    app.add_typer(panel_app, name="panel")
