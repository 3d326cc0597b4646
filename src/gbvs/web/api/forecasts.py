"""``/api/v1/forecasts``, ``/api/v1/watchlist``, ``/api/v1/backtest-metrics``: the model's output."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from fastapi import Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from gbvs.errors import InputError
from gbvs.security import Permission
from gbvs.web.api.common import Page, Paging, Paging100, api_router, csv_response, paginate
from gbvs.web.deps import Forecasts, Language, Store
from gbvs.web.pagecache import cached
from gbvs.web.queries.countries import get_country
from gbvs.web.queries.forecasts import (
    CountryForecast,
    Run,
    WatchlistRow,
    backtest_report,
    country_forecasts,
    watchlist_view,
)
from gbvs.web.queries.maps import country_geometries

router = api_router(Permission.forecast_read, "forecasts")
GEOJSON = "application/geo+json"
FORECAST_COLUMNS = (
    "iso3",
    "gwcode",
    "name",
    "target",
    "horizon",
    "origin",
    "forecast_period",
    "p",
    "p_low",
    "p_high",
    "p_sd",
    "level",
    "summary",
)
WATCH_COLUMNS = (
    "rank",
    "iso3",
    "gwcode",
    "name",
    "p",
    "p_low",
    "p_high",
    "level",
    "previous",
    "change",
    "status",
    "alerts",
    "summary",
)
EXPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "JSON; CSV with format=csv; GeoJSON features with format=geojson",
        "content": {"text/csv": {"schema": {"type": "string"}}, GEOJSON: {"schema": {"type": "object"}}},
    }
}


class ExportFormat(StrEnum):
    """Output format of an exportable collection."""

    json = "json"
    csv = "csv"
    geojson = "geojson"


class WatchlistPage(Page[WatchlistRow]):
    """A page of the watchlist, with the rules applied and the runs compared (provenance)."""

    target: str
    horizon: int
    rules: dict[str, float]
    latest_run: Run
    previous_run: Run | None


class BacktestMetrics(BaseModel):
    """The latest backtest report: scores vs baselines and DemSpaces, reliability, goals, notes."""

    run: dict[str, Any]
    title: str | None = None
    provenance: Any = None
    goals: list[dict[str, Any]] = []
    scores: list[dict[str, Any]] = []
    demspaces_comparison: list[dict[str, Any]] = []
    reliability: dict[str, Any] = {}
    notes: list[str] = []


@router.get(
    "/forecasts", response_model=Page[CountryForecast], responses=EXPORT_RESPONSES, summary="Latest forecasts"
)
@cached
def read_forecasts(
    request: Request,
    response: Response,
    paging: Paging100,
    forecasts: Forecasts,
    store: Store,
    lang: Language,
    target: str | None = Query(default=None, max_length=60, description="Only this target, e.g. incidence"),
    country: str | None = Query(default=None, pattern=r"^[A-Za-z]{3}$", description="Only this ISO3 country"),
    format: ExportFormat = ExportFormat.json,
) -> Page[CountryForecast] | Response:
    """Every forecast of the latest run, each with its run's model version, cutoff and data vintage."""
    iso3 = get_country(store, country, lang).iso3 if country else None
    if target is not None:
        _check_target(target, {f.target for f in country_forecasts(forecasts, store, lang)})
    items = country_forecasts(forecasts, store, lang, target, iso3)
    if format is ExportFormat.csv:
        quantiles = quantile_columns(items)
        rows = [{**f.model_dump(), **(f.quantiles or {}), **_run_columns(f.run)} for f in items]
        return csv_response(rows, [*FORECAST_COLUMNS, *quantiles, *RUN_COLUMNS], "gbvs-forecasts.csv")
    if format is ExportFormat.geojson:
        return _geojson(store, [f.model_dump(mode="json") for f in items])
    return paginate(request, response, items, paging)


@router.get("/watchlist", response_model=WatchlistPage, responses=EXPORT_RESPONSES, summary="The watchlist")
@cached
def read_watchlist(
    request: Request,
    response: Response,
    paging: Paging,
    forecasts: Forecasts,
    store: Store,
    lang: Language,
    region: str | None = Query(default=None, max_length=60, description="Only this focus region id"),
    format: ExportFormat = ExportFormat.json,
) -> WatchlistPage | Response:
    """Countries ranked by risk, with the change since the previous run and the alerts it raises."""
    view = watchlist_view(forecasts, store, lang, region)
    if format is ExportFormat.csv:
        rows = [
            {**r.model_dump(), "alerts": "; ".join(r.alerts), **_run_columns(view.latest_run)}
            for r in view.rows
        ]
        return csv_response(rows, [*WATCH_COLUMNS, *RUN_COLUMNS], "gbvs-watchlist.csv")
    if format is ExportFormat.geojson:
        return _geojson(store, [r.model_dump(mode="json") for r in view.rows], view.latest_run)
    paged = paginate(request, response, view.rows, paging)
    return WatchlistPage(
        **paged.model_dump(),
        target=view.target,
        horizon=view.horizon,
        rules=view.rules,
        latest_run=view.latest_run,
        previous_run=view.previous_run,
    )


@router.get("/backtest-metrics", response_model=BacktestMetrics, summary="Backtest report")
@cached
def read_backtest_metrics(request: Request, forecasts: Forecasts) -> BacktestMetrics:
    """Scores of the latest backtest against baselines and DemSpaces, reliability curves and goals."""
    return BacktestMetrics(**backtest_report(forecasts))


RUN_COLUMNS = ("model_version", "training_cutoff", "data_vintage", "run_id")


def quantile_columns(items: list[CountryForecast]) -> list[str]:
    """The quantile columns (``q05``, ``q50``, ``q95``, ...) of count forecasts, in order of the level."""
    names = {name for item in items for name in (item.quantiles or {})}
    return sorted(names, key=lambda name: float(name.lstrip("q") or 0))


def _check_target(target: str, known: set[str]) -> None:
    """A target the latest run does not have is a 400 naming the ones it has (not an empty list)."""
    if target not in known:
        valid = ", ".join(sorted(known)) or "(none)"
        raise InputError(f"target {target!r} is not in the latest forecast run; use one of: {valid}")


def _run_columns(run: Run) -> dict[str, Any]:
    return {name: getattr(run, name) for name in RUN_COLUMNS}


def _geojson(store: Any, properties: list[dict[str, Any]], run: Run | None = None) -> JSONResponse:
    shapes = country_geometries(store)
    features = [
        {"type": "Feature", "geometry": shapes[p["iso3"]][1], "properties": p}
        for p in properties
        if p["iso3"] in shapes
    ]
    body: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if run is not None:
        body["run"] = run.model_dump()
    return JSONResponse(body, media_type=GEOJSON)
