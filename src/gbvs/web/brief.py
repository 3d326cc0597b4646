"""Landenbrief / country brief: one A4 page per country for the morning briefing, as a tagged PDF.

:func:`country_brief` is the one service function: the country page (``/landen/{ISO3}/brief.pdf``),
the API (``/api/v1/countries/{ISO3}/brief``) and the CLI (``gbvs brief SYR``) are thin edges over it.
The page shows what the country page shows, cut to one page: the latest forecasts with intervals and
their model version and training cutoff, the explanation sentence, the key driver indicators with
their years, recent conflict history, DemSpaces beside GBVS, the open early-action cases the reader
may see (:func:`visible_cases`, through the early-action service's need-to-know), and a provenance
footer. The HTML is rendered with the pages' templates and catalogues and printed by WeasyPrint with
the progress report's :func:`gbvs.reports.render.render_pdf` (local fonts, no network).
"""

from __future__ import annotations

import gettext
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi import Request, Response
from jinja2 import Environment
from sqlalchemy.orm import Session

from gbvs import __version__, countries
from gbvs.actions import service as actions
from gbvs.actions.views import CaseSummary
from gbvs.drivers.families import family_labels
from gbvs.errors import NoForecastRunError, NotFoundError, SchemaOutdatedError, said
from gbvs.panels.provenance import origin_tables
from gbvs.reports.context_reads import key_indicators
from gbvs.reports.render import render_pdf
from gbvs.security import Permission, Principal
from gbvs.security.authz import can
from gbvs.web.downloads import download_headers, dutch_day
from gbvs.web.labels import SPACE_NAMES
from gbvs.web.queries.actions import action_session, principal_of
from gbvs.web.queries.countries import HISTORY_TABLES, ConflictYear, Country, conflict_history, get_country
from gbvs.web.queries.demspaces import DEMSPACES_TABLES, has_demspaces, latest_pairs, past_forecasts
from gbvs.web.queries.drivers import available_indicators, indicator_series
from gbvs.web.queries.forecasts import (
    LEVEL_NAMES,
    CountryForecast,
    ForecastCache,
    country_forecasts,
    left_out,
    target_runs,
)
from gbvs.web.queries.sources import Source, list_sources
from gbvs.web.render import N_
from gbvs.web.store import StoreGateway

HISTORY_YEARS = 10
"""Years of conflict history on the page (the newest ones)."""
CONFLICT_TARGETS = ("incidence", "war", "battle_deaths")
MAX_HORIZONS = 3
MAX_CASES = 5
"""Open cases listed (the rest are counted)."""
CLOSED = "closed"


@dataclass(frozen=True)
class VisibleCases:
    """The open early-action cases a reader may see, or why none are listed (``withheld``)."""

    cases: tuple[CaseSummary, ...] = ()
    withheld: str | None = None


NO_PERMISSION = N_("Not shown: you may not read early-action cases.")
NO_DATABASE = N_("Not shown: the operational database has no early-action tables yet (`gbvs db upgrade`).")


@dataclass(frozen=True)
class BriefSources:
    """What the brief reads: the store, the forecasts, the pages' templates and catalogues."""

    store: StoreGateway
    forecasts: ForecastCache
    templates: Environment
    catalogs: Mapping[str, gettext.GNUTranslations]


def find_country(store: StoreGateway, value: str, lang: str) -> Country:
    """The country ``value`` names (ISO3 in any case, or a Gleditsch-Ward code) if it is in the store."""
    code = countries.gwcode_of(value)
    iso3 = countries.iso3_of(code) if str(value).strip().isdigit() else str(value).strip().upper()
    if iso3 is None:
        raise NotFoundError(
            said("country %(value)s has no ISO3 code; give e.g. SYR or 652 for Syria", value=repr(value))
        )
    try:
        return get_country(store, iso3, lang)
    except NotFoundError:
        raise NotFoundError(
            said(
                "country %(value)s is not in the analytical store; give the ISO3 code of a country in the "
                "store (e.g. SYR, MLI; the list: /landen, /api/v1/countries or `gbvs drivers`), or run "
                "`gbvs ingest`",
                value=repr(value),
            )
        ) from None


def visible_cases(session: Session, principal: Principal, iso3: str) -> VisibleCases:
    """The open early-action cases on ``iso3`` that ``principal`` may read: need-to-know is applied in
    the SQL of :func:`gbvs.actions.service.list_cases`, the same read as the early-action board."""
    if not can(principal, Permission.actions_read):
        return VisibleCases(withheld=NO_PERMISSION)
    cases = actions.list_cases(session, principal)
    return VisibleCases(tuple(c for c in cases if iso3 in c.countries and c.status != CLOSED))


def country_brief(
    sources: BriefSources,
    value: str,
    lang: str,
    *,
    cases: VisibleCases,
    generated: date | None = None,
) -> bytes:
    """The one-page brief of country ``value`` in ``lang`` as a tagged PDF (PDF/UA-1)."""
    return render_pdf(brief_html(sources, value, lang, cases=cases, generated=generated))


def brief_html(
    sources: BriefSources,
    value: str,
    lang: str,
    *,
    cases: VisibleCases,
    generated: date | None = None,
) -> str:
    """The brief as one self-contained HTML page (the PDF's source)."""
    from gbvs.actions.names import STATUS_NAMES as CASE_STATUS_NAMES

    store = sources.store
    country = find_country(store, value, lang)
    history = conflict_history(store, country.gwcode)
    tables = {s.table_name: s for s in list_sources(store)}
    context: dict[str, Any] = {
        "lang": lang,
        "t": sources.catalogs[lang],
        "country": country,
        "other_name": countries.name(country.iso3, "en" if lang == "nl" else "nl"),
        "history": history[-HISTORY_YEARS:],
        "drivers": key_drivers(store, country, lang),
        "cases": cases.cases[:MAX_CASES],
        "cases_total": len(cases.cases),
        "cases_withheld": cases.withheld,
        "generated": generated or date.today(),
        "space_names": SPACE_NAMES,
        "level_names": LEVEL_NAMES,
        "family_names": family_labels(lang),
        "case_status_names": CASE_STATUS_NAMES,
        "gbvs_version": __version__,
    }
    context.update(_forecasts(sources, country, lang, history))
    cited = [*HISTORY_TABLES, *(t for d in context["drivers"] for t in origin_tables(d["source_table"]))]
    if context["demspaces"]:
        cited += list(DEMSPACES_TABLES)
    context["sources"] = _cited(tables, cited)
    return sources.templates.get_template("brief.html").render(context)


def _forecasts(
    sources: BriefSources, country: Country, lang: str, history: list[ConflictYear]
) -> dict[str, Any]:
    try:
        items = country_forecasts(sources.forecasts, sources.store, lang, iso3=country.iso3)
    except NoForecastRunError as exc:
        return {"forecast_missing": str(exc), "conflict": [], "years": [], "run": None, "demspaces": None}
    if not items:  # the latest run left the country out: say why, not an empty table
        last_year = history[-1].year if history else None
        text, _ = left_out(sources.forecasts, country, lang, sources.catalogs[lang].gettext, last_year)
        return {"forecast_missing": text, "left_out": text, "conflict": [], "years": [], "run": None,
                "demspaces": _democratic(sources, country, lang, items)}  # fmt: skip
    conflict = {
        target: sorted((f for f in items if f.target == target), key=lambda f: f.horizon)
        for target in CONFLICT_TARGETS
    }
    years = sorted({f.forecast_period for rows in conflict.values() for f in rows})[:MAX_HORIZONS]
    first = next((f for f in conflict["incidence"] if f.p is not None), None)
    origin = first.origin if first else None
    at_war = {row.year: row.conflict for row in history}.get(origin) if origin is not None else None
    return {
        "forecast_missing": None,
        "years": years,
        "conflict": [
            (target, {f.forecast_period: f for f in rows if f.forecast_period in years})
            for target, rows in conflict.items()
            if rows
        ],
        "onset_applies": at_war == 0,
        "origin": origin,
        "explained": first,
        "run": (first or items[0]).run,
        "target_runs": target_runs(items),
        "demspaces": _democratic(sources, country, lang, items),
    }


def _democratic(
    sources: BriefSources, country: Country, lang: str, items: list[CountryForecast]
) -> dict[str, Any] | None:
    """Per space: our closing/opening probability and, when stored, DemSpaces v14's latest (with its
    two-year windows); None when there is neither."""
    ours = {f.target: f.p for f in items if f.target.startswith(("closing_", "opening_"))}
    theirs: dict[str, float | None] = {}
    windows: set[str] = set()
    if has_demspaces(sources.store):
        past = past_forecasts(sources.store, country)
        if not past.empty:
            for pair in latest_pairs(past, sources.forecasts, sources.store, country, lang):
                theirs[f"{pair.direction}_{pair.space}"] = pair.demspaces_p
                if pair.demspaces_for_years:
                    windows.add(pair.demspaces_for_years)
    if not ours and not theirs:
        return None
    rows = [
        {
            "space": space,
            **{f"{change}_{who}": found.get(f"{change}_{space}") for change in ("closing", "opening")
               for who, found in (("gbvs", ours), ("demspaces", theirs))},
        }
        for space in SPACE_NAMES
    ]  # fmt: skip
    shown = [row for row in rows if any(v is not None for k, v in row.items() if k != "space")]
    origins = sorted({f.origin for f in items if f.target.startswith(("closing_", "opening_"))})
    return {"rows": shown, "windows": sorted(windows), "has_demspaces": bool(theirs), "origins": origins}


def key_drivers(store: StoreGateway, country: Country, lang: str) -> list[dict[str, Any]]:
    """The progress report's key driver indicators: each one's latest value for the country, its year."""
    wanted = key_indicators()
    indicators = [i for i in available_indicators(store) if i.column in wanted]
    series = indicator_series(store, country.gwcode, tuple(i.column for i in indicators))
    found = []
    for indicator in indicators:
        points = [(int(r["year"]), r.get(indicator.column)) for r in series]
        points = [(year, float(v)) for year, v in points if v is not None and float(v) == float(v)]
        if points:
            year, value = points[-1]
            found.append(
                {
                    "label": getattr(indicator.label, lang),
                    "unit": indicator.unit,
                    "driver": indicator.driver,
                    "value": value,
                    "year": year,
                    "source_table": indicator.source_table,
                }
            )
    return found


def _cited(tables: dict[str, Source], names: Sequence[str]) -> list[Source]:
    """The tables' sources, each dataset once (a dataset's second table adds nothing to the footer)."""
    found = sorted((tables[n] for n in dict.fromkeys(names) if n in tables), key=lambda s: s.vintage is None)
    seen: dict[tuple[str, str], Source] = {}
    for source in found:
        seen.setdefault((source.title, source.version), source)
    order = {name: index for index, name in enumerate(names)}
    return sorted(seen.values(), key=lambda s: order[s.table_name])


def filename(iso3: str, lang: str) -> str:
    """The brief's file name, e.g. ``gbvs-landenbrief-SYR.nl.pdf``."""
    return f"gbvs-landenbrief-{iso3}.{lang}.pdf"


def brief_response(request: Request, value: str, lang: str) -> Response:
    """The web edge (page and API): the brief of the request's reader, as an inline PDF.

    Not kept in the page cache: the open cases change without the store or the forecasts changing.
    """
    web = request.app.state.web
    country = find_country(web.store, value, lang)
    try:
        with action_session(request) as session:
            cases = visible_cases(session, principal_of(request), country.iso3)
    except SchemaOutdatedError:
        cases = VisibleCases(withheld=NO_DATABASE)
    sources = BriefSources(web.store, web.forecasts, web.templates, web.catalogs)
    today = dutch_day(web.clock)
    pdf = country_brief(sources, country.iso3, lang, cases=cases, generated=today)
    headers = download_headers(filename(country.iso3, lang), disposition="inline", day=today)
    return Response(pdf, media_type="application/pdf", headers=headers)
