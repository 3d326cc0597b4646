"""``gbvs drivers``, ``gbvs codebook`` and ``gbvs panel show``: the panels and their documentation."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from gbvs.cli.identity import AsUser, require
from gbvs.cli.options import COUNTRY_HELP, CountryOption, LangOption, Language, country_code, resolve_lang
from gbvs.cli.output import FormatOption, OutputFormat, echo, print_json, write_output
from gbvs.cli.texts import translator
from gbvs.config import Settings, load_settings
from gbvs.errors import StoreNotBuiltError
from gbvs.numbers import figures_without_noise
from gbvs.security.permissions import Permission
from gbvs.strategy.model import Lang

if TYPE_CHECKING:
    from gbvs.store import Store

panel_app = typer.Typer(help="Country-year and event panels built from the store.", no_args_is_help=True)


class CodebookFormat(StrEnum):
    """Output formats of the codebook."""

    md = "md"
    json = "json"


@contextmanager
def open_store(settings: Settings, as_user: str | None, required: bool) -> Iterator[Store | None]:
    """The store (read-only), or None when it is absent and not ``required``.

    The acting user (``as_user``: the command's ``--as``) must hold data:read (a token's owner is
    checked; a refusal is recorded).
    """
    require(settings, Permission.data_read, "data.read", "store", as_user)
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
    country: CountryOption = None,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
    as_user: AsUser = None,
) -> None:
    """Driver indicators: driver, direction (+1 = higher is more risk), source, coverage in the store.

    With --country (SYR or 652): the country's name, its latest value of each indicator and its gaps.
    """
    from gbvs.countries import iso3_of, name_of_gwcode
    from gbvs.drivers import drivers_without_indicators
    from gbvs.panels.driver_coverage import country_gaps, country_years, indicator_coverage, latest_values

    language = resolve_lang(lang)
    code = country_code(country) if country is not None else None
    settings = load_settings()
    with open_store(settings, as_user, required=code is not None) as store:
        rows = indicator_coverage(store)
        gaps = country_gaps(store, code) if store is not None and code is not None else None
        span = country_years(store, code) if store is not None and code is not None else None
        values = latest_values(store, code) if store is not None and code is not None else {}
    named = None
    if code is not None:
        named = CountryShown(code, iso3_of(code), name_of_gwcode(code, language) or f"GW {code}")
    if output_format is OutputFormat.json:
        data: dict[str, Any] = {
            "indicators": [row.as_dict() for row in rows],
            "drivers_without_indicators": drivers_without_indicators(),
            "store_built": store is not None,
        }
        if named is not None:
            data["country"] = {
                "gwcode": code,
                "iso3": named.iso3,
                "name": named.name,
                "years": span,
                "missing": gaps,
                "latest": {column: {"year": y, "value": v} for column, (y, v) in values.items()},
            }
        print_json(data)
        return
    for line in driver_lines(rows, DriverCountry(named, gaps, span, values), store is not None, language):
        echo(line)


@dataclass(frozen=True)
class CountryShown:
    """The country of ``drivers --country``: its codes and its name in the output language."""

    gwcode: int
    iso3: str | None
    name: str


@dataclass(frozen=True)
class DriverCountry:
    """What ``drivers --country`` adds: the country, its gaps, panel years and latest values."""

    country: CountryShown | None
    gaps: dict[str, list[tuple[int, int]]] | None
    span: tuple[int, int] | None
    values: dict[str, tuple[int, float]]


def driver_lines(rows: list[Any], country: DriverCountry, built: bool, lang: Lang) -> list[str]:
    """The driver indicators as text in ``lang``, with one country's values and gaps when given."""
    from gbvs.drivers import drivers_without_indicators
    from gbvs.strategy import load_strategy

    _ = translator(lang)
    strategy = load_strategy()
    lines: list[str] = []
    if country.country is not None and country.span is not None:
        shown = country.country
        codes = f"{shown.iso3}, GW {shown.gwcode}" if shown.iso3 else f"GW {shown.gwcode}"
        lines.append(
            _("%(name)s (%(codes)s): panel years %(first)s-%(last)s; latest value, missing years")
            % {"name": shown.name, "codes": codes, "first": country.span[0], "last": country.span[1]}
        )
    driver = None
    width = max(len(row.indicator.column) for row in rows)
    sources = {row.indicator.column: _source_names(row.indicator.source_table) for row in rows}
    source_width = max(len(name) for name in sources.values())
    for row in rows:
        item = row.indicator
        if item.driver != driver:
            driver = item.driver
            lines += ["", _driver_name(strategy, driver, lang)]
        source = f"{sources[item.column]:<{source_width}}"
        line = f"  {item.column:<{width}} {item.direction:+d}  {source} {_coverage(row, lang, _)}"
        if country.gaps is not None:
            line += "  " + _country_part(item, country, lang, _)
        lines.append(line.rstrip())
    if not built:
        lines += ["", _("coverage unknown: the store is not built yet; run `gbvs ingest`.")]
    missing_drivers = drivers_without_indicators()
    if missing_drivers:
        names = ", ".join(_driver_name(strategy, d, lang) for d in missing_drivers)
        lines += ["", _("drivers without an indicator: %(names)s") % {"names": names}]
    return lines


def _source_names(table: str) -> str:
    """The source tables an indicator's values come from: EPR's table, not GBVS's ``epr_country_year``."""
    from gbvs.panels.provenance import origin_tables

    return "+".join(origin_tables(table))


def _coverage(row: Any, lang: Lang, _: Callable[[str], str]) -> str:
    from gbvs.numbers import percent

    cov = row.coverage
    if not cov:
        return ""
    return _("%(first)s-%(last)s  %(n)s countries  %(missing)s missing") % {
        "first": cov.first,
        "last": cov.last,
        "n": f"{cov.n_units:>3}",
        "missing": f"{percent(cov.share_missing, lang):>4}",
    }


def _country_part(item: Any, country: DriverCountry, lang: Lang, _: Callable[[str], str]) -> str:
    from gbvs.drivers.units import unit_name
    from gbvs.numbers import decimal

    latest = country.values.get(item.column)
    value = (
        f"{latest[0]}: {decimal(latest[1], lang)} {unit_name(item.unit, lang)}"
        if latest is not None
        else _("no value")
    )
    missing = _spans_text((country.gaps or {}).get(item.column, []))
    return _("latest %(value)s; missing: %(missing)s") % {"value": value, "missing": missing}


def _driver_name(strategy: Any, driver_id: str, lang: Lang) -> str:
    from gbvs.errors import NotFoundError

    try:
        return f"{strategy.driver(driver_id).name.text(lang)} ({driver_id})"
    except NotFoundError:
        return driver_id


def codebook(
    output_format: Annotated[
        CodebookFormat, typer.Option("--format", "-f", help="md (Markdown) or json.")
    ] = CodebookFormat.md,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this (new) file.")] = None,
    lang: Annotated[
        Language | None,
        typer.Option(
            "--lang",
            "-l",
            "--language",
            case_sensitive=False,
            help="nl or en (Markdown); --language: old spelling.",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the --output file if it exists.")] = False,
    as_user: AsUser = None,
) -> None:
    """The codebook of every panel variable: meaning, unit, source and coverage in the store."""
    from gbvs.panels.codebook import build_codebook, render_markdown

    settings = load_settings()
    language = resolve_lang(lang)
    with open_store(settings, as_user, required=False) as store:
        entries = build_codebook(store)
    if output_format is CodebookFormat.json:
        rows = figures_without_noise([e.as_dict() for e in entries])
        text = json.dumps(rows, ensure_ascii=False, indent=2, default=str)
    else:
        text = render_markdown(entries, language, translator(language))
    if output is None:
        echo(text)
    else:
        write_output(output, text + "\n", replace=force)
        echo(translator(language)("codebook written to %(path)s") % {"path": output})


def show(
    country: Annotated[str, typer.Option("--country", "-c", help=COUNTRY_HELP)],
    columns: Annotated[
        str, typer.Option("--columns", help="Comma-separated columns (default: the conflict columns).")
    ] = "",
    since: Annotated[int, typer.Option("--since", help="First year to show.")] = 1946,
    output_format: FormatOption = OutputFormat.text,
    as_user: AsUser = None,
) -> None:
    """Show one country's rows of the country-year panel."""
    from gbvs.errors import InputError, NotFoundError
    from gbvs.panels.country_year import CONFLICT_COLUMNS
    from gbvs.store import reads_panel

    with open_store(load_settings(), as_user, required=True) as store:
        assert store is not None  # required=True raises instead
        reads_panel.require_country_year(store)
        stored = reads_panel.panel_columns(store)
        wanted = [c.strip() for c in columns.split(",") if c.strip()] or list(CONFLICT_COLUMNS)
        unknown = [c for c in wanted if c not in stored]
        if unknown:
            raise InputError(f"unknown panel columns {unknown}; see `gbvs codebook` for the column names")
        code = country_code(country)
        frame = reads_panel.country_frame(store, gwcode=code, columns=tuple(wanted), since=since)
    if frame.empty:
        raise NotFoundError(
            f"no rows for country {country!r} (GW {code}) from {since} in panel_country_year; "
            "check the code and --since"
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
