"""What the context chapter and the linked indicators read (I/O): driver panel, forecast runs, the
threat assessment's results and the closed consultations.

Every part returns the plain JSON the snapshot records. The threat assessment's scenarios have no
publication marking of their own: each is an item of the publication rule (``kind="scenario"``), so
only the scenarios their owner released reach the report; the rest go to the openbaarheidstoets.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib.resources import files
from typing import Any

import pandas as pd
import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from gbvs.assessments.load import load_method
from gbvs.assessments.model import unconfirmed
from gbvs.config import Settings
from gbvs.countries import name_of_gwcode
from gbvs.db.audit import authorize_audited
from gbvs.db.opinion_models import Consultation, ConsultationPhase
from gbvs.db.services import assessments as assessment_service
from gbvs.db.services.consultation_codebook import themes_in_use
from gbvs.db.services.consultation_reports import summary
from gbvs.drivers import drivers_without_indicators, load_mapping
from gbvs.errors import InputError
from gbvs.forecasting import queries as fq
from gbvs.forecasting.watchlist import load_rules
from gbvs.panels.provenance import origin_tables
from gbvs.reports.core.context import driver_rows, watchlist_rows
from gbvs.reports.core.publication import Item, LeftOut, split
from gbvs.security.permissions import Permission
from gbvs.security.principal import Principal
from gbvs.store.forecasts import forecasts_path, open_forecasts
from gbvs.strategy import Strategy

RISK_METHOD = "nrb_2009"
VDEM_PREFIX = "vdem_"
UNMARKED = "unmarked"
"""The marking of a threat scenario: none of its own, so never public unless released."""


@cache
def key_indicators() -> tuple[str, ...]:
    """The driver monitor's columns (``data/driver_monitor.yaml``), each checked against the mapping."""
    text = files("gbvs.reports").joinpath("data/driver_monitor.yaml").read_text(encoding="utf-8")
    columns = tuple(str(c) for c in yaml.safe_load(text)["key_indicators"])
    known = {item.column for item in load_mapping()}
    unknown = [c for c in columns if c not in known]
    if unknown:
        raise InputError(
            f"driver_monitor.yaml names columns that are not in the driver mapping: {unknown}; "
            "use columns of src/gbvs/drivers/indicators.yaml"
        )
    return columns


def driver_monitor_inputs(
    strategy: Strategy, panel: pd.DataFrame | None, sources: list[dict[str, Any]], start: date, end: date
) -> dict[str, Any]:
    """The key driver indicators' rows for the focus regions' countries, the period's years and the year
    before, with each indicator's words and source (version, vintage)."""
    mapping = {item.column: item for item in load_mapping()}
    regions = [
        {
            "id": region.id,
            "name": {"nl": region.name.nl, "en": region.name.en},
            "gwcodes": sorted(c.gwcode for c in strategy.countries_in_region(region.id)),
        }
        for region in strategy.regions
    ]
    columns = key_indicators()
    by_table = {s["table"]: s for s in sources}
    indicators = []
    for column in columns:
        item = mapping[column]
        origin = next((t for t in origin_tables(item.source_table) if t in by_table), item.source_table)
        source = by_table.get(origin, {})
        indicators.append(
            {
                "column": column,
                "driver": item.driver,
                "label": {"nl": item.label.nl, "en": item.label.en},
                "unit": item.unit,
                "direction": item.direction,
                "source": {
                    "table": origin,
                    "title": source.get("title", item.source_table),
                    "version": source.get("version"),
                    "vintage": source.get("vintage"),
                },
            }
        )
    codes = {c.gwcode for region in strategy.regions for c in strategy.countries_in_region(region.id)}
    before = start.year - 1
    rows = [] if panel is None else driver_rows(_named(panel, columns), columns, codes, before, end.year)
    return {
        "years": list(range(start.year, end.year + 1)),
        "before_year": before,
        "regions": regions,
        "indicators": indicators,
        "rows": rows,
        "without_indicator": list(drivers_without_indicators()),
    }


def _named(panel: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """The panel's key columns under their mapping names (the forecasting panel drops the ``vdem_`` prefix
    of the DemSpaces indices)."""
    found = {}
    for column in columns:
        if column in panel.columns:
            found[column] = column
        elif column.startswith(VDEM_PREFIX) and column.removeprefix(VDEM_PREFIX) in panel.columns:
            found[column.removeprefix(VDEM_PREFIX)] = column
    return panel[["gwcode", "year", *found]].rename(columns=found)


def _names(gwcodes: set[int]) -> dict[int, dict[str, str]]:
    return {
        code: {"nl": name_of_gwcode(code, "nl") or str(code), "en": name_of_gwcode(code, "en") or str(code)}
        for code in gwcodes
    }


def watchlist_inputs(settings: Settings, end: date, panel: pd.DataFrame | None) -> dict[str, Any]:
    """The newest country-year forecast run made on or before ``end``: provenance and the watched
    target's rows; ``run`` is None when no such run exists (the report says so)."""
    path = forecasts_path(settings)
    if not path.is_file():
        return {"run": None, "period_end": end.isoformat()}
    with open_forecasts(path) as forecasts:
        runs = fq.forecast_runs(forecasts)
        chosen = next((r for r in runs if r.created_at[:10] <= end.isoformat()), None)
        found = [] if chosen is None else fq.run_forecasts(forecasts, chosen)
    if chosen is None:
        return {"run": None, "period_end": end.isoformat()}
    rules = load_rules(settings.data_dir)
    picked = [f for f in found if f.target == rules.target and f.horizon == rules.horizon]
    origin = picked[0].origin if picked else None
    conflict_now: dict[int, int] = {}
    if panel is not None and origin is not None and "conflict" in panel.columns:
        year = panel[(panel["year"] == origin) & panel["conflict"].notna()]
        conflict_now = {int(g): int(c) for g, c in zip(year["gwcode"], year["conflict"], strict=True)}
    forecasts_rows = [
        {
            "gwcode": f.unit_key,
            "p": f.p,
            "p_low": f.p_range[0] if f.p_range else None,
            "p_high": f.p_range[1] if f.p_range else None,
        }
        for f in picked
    ]
    return {
        "run": {
            "run_id": chosen.run_id,
            "created_at": chosen.created_at,
            "model_version": chosen.model_version,
            "training_cutoff": chosen.training_cutoff,
            "data_vintage": chosen.data_vintage,
            "origin": origin,
        },
        "period_end": end.isoformat(),
        "target": rules.target,
        "horizon": rules.horizon,
        "rows": watchlist_rows(forecasts_rows, conflict_now, _names({f.unit_key for f in picked})),
    }


def _spread(value: Any) -> dict[str, float]:
    return {"median": value.median, "low": value.low, "high": value.high, "count": value.count}


def risk_inputs(
    session: Session, principal: Principal, end: date, released: frozenset[tuple[str, str]]
) -> tuple[dict[str, Any], list[LeftOut]]:
    """The risk diagram's method, axes and the published scenarios whose last round closed by ``end``;
    the scenarios left out (not released) for the openbaarheidstoets."""
    method = load_method(RISK_METHOD)
    weight_set = method.weight_sets[0]
    view = assessment_service.results(session, principal, method.id, iterations=1)
    points = [] if view.results is None else list(view.results.points[weight_set.id])
    items = []
    for scenario, point in zip(view.scenarios, points, strict=True):
        closed = [r.closed_at for r in scenario.rounds if r.closed_at is not None]
        if not closed or max(closed).date() > end:
            continue
        items.append(
            Item(
                "scenario",
                str(scenario.id),
                scenario.title,
                UNMARKED,
                scenario.created_by,
                extra={
                    "key": point.key,
                    "label": {"nl": scenario.title, "en": scenario.title_en or scenario.title},
                    "threat": point.threat,
                    "likelihood": _spread(point.likelihood),
                    "impact": _spread(point.impact),
                },
            )
        )
    public, left_out = split(items, released)
    scale = method.likelihood_scales[0]
    recorded = {
        "method": {
            "id": method.id,
            "version": method.version,
            "name": {"nl": method.name.nl, "en": method.name.en},
        },
        "weight_set": {"id": weight_set.id, "name": {"nl": weight_set.name.nl, "en": weight_set.name.en}},
        "likelihood_ticks": [[c.value, c.code] for c in scale.classes],
        "impact_ticks": [[c.value, c.code] for c in method.impact_scale.classes],
        "unconfirmed": [
            {"entry": u.entry, "check_against": u.check_against, "what": u.what.model_dump()}
            for u in unconfirmed(method)
        ],
        "points": [i.extra for i in public],
        "period_end": end.isoformat(),
    }
    return recorded, left_out


def consultation_theme_rows(session: Session, principal: Principal) -> list[dict[str, Any]]:
    """Per closed consultation and theme: the year it closed, the theme's words, its goals and the number
    of responses it applies to (summed over the questions). Counts only; no text leaves here."""
    authorize_audited(session, principal, Permission.opinion_read, "reports.consultations", "consultation")
    closed = session.scalars(
        select(Consultation).where(Consultation.phase == ConsultationPhase.closed).order_by(Consultation.id)
    ).all()
    rows = []
    for consultation in closed:
        counted = summary(session, principal, consultation.slug, "nl", quotes=0)
        totals: dict[str, int] = {}
        for question in counted.questions:
            for counted_theme in question.themes:
                totals[counted_theme.code] = totals.get(counted_theme.code, 0) + counted_theme.count
        day = consultation.closed_on or consultation.opened_on or consultation.created_at.date()
        for theme in themes_in_use(consultation):  # a retired theme's responses count elsewhere or not
            goals = sorted(int(g) for g in (theme.links or {}).get("goals", []))
            if goals:
                rows.append(
                    {
                        "slug": consultation.slug,
                        "year": day.year,
                        "theme": theme.code,
                        "label": {"nl": theme.label_nl, "en": theme.label_en},
                        "goals": goals,
                        "count": totals.get(theme.code, 0),
                    }
                )
    return rows
