"""``gbvs brief SYR``: the country brief (one A4 page, PDF) for the morning briefing.

A thin edge over :func:`gbvs.web.brief.country_brief`, the service the country page and the API use:
the same content, and the same need-to-know on early-action cases (the acting user of ``--as`` /
``GBVS_TOKEN``, else the OS owner of the data folder).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gbvs.cli.identity import AsUser, acting
from gbvs.cli.options import LangOption, resolve_lang
from gbvs.cli.output import echo, write_output
from gbvs.config import load_settings
from gbvs.db.audit import authorize_audited
from gbvs.security.permissions import Permission


def brief_cmd(
    country: Annotated[
        str, typer.Argument(help="The country: ISO3 code (SYR, any case) or Gleditsch-Ward code (652).")
    ],
    lang: LangOption = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="The PDF file to write (default: gbvs-landenbrief-<ISO3>.<lang>.pdf)."
        ),
    ] = None,
    as_user: AsUser = None,
) -> None:
    """Write the country brief as a one-page PDF: forecasts with intervals, explanation, key drivers,
    conflict history, DemSpaces beside GBVS, your open early-action cases and the sources."""
    from gbvs.web.brief import BriefSources, country_brief, filename, find_country, visible_cases
    from gbvs.web.i18n import load_catalogs
    from gbvs.web.queries.forecasts import ForecastCache
    from gbvs.web.render import create_environment
    from gbvs.web.store import StoreGateway

    language = resolve_lang(lang)
    settings = load_settings()
    store = StoreGateway(settings.resolved_store_path)
    try:
        found = find_country(store, country, language)
        with acting(as_user) as (session, principal):
            authorize_audited(session, principal, Permission.data_read, "brief.read", "country", found.iso3)
            cases = visible_cases(session, principal, found.iso3)
        sources = BriefSources(store, ForecastCache(settings), create_environment(), load_catalogs())
        pdf = country_brief(sources, found.iso3, language, cases=cases)
    finally:
        store.close()
    path = output or Path(filename(found.iso3, language))
    write_output(path, pdf, replace=True)
    echo(str(path))


def register(app: typer.Typer) -> None:
    """Add ``gbvs brief``."""
    app.command("brief")(brief_cmd)
