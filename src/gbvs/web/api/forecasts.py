"""``/api/v1/forecasts``, ``/api/v1/watchlist``, ``/api/v1/backtest-metrics``: the model's output."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from fastapi import Query, Request, Response
from pydantic import BaseModel, Field

from gbvs.errors import InputError, said
from gbvs.forecasting.anchor import TRAINED_ON_EXPLANATION
from gbvs.forecasting.domain import TARGETS
from gbvs.security import Permission
from gbvs.web.api.common import (
    Page,
    Paging,
    Paging100,
    api_router,
    csv_response,
    paginate,
)
from gbvs.web.api.xlsx import XLSX_TYPE, xlsx_response
from gbvs.web.deps import Forecasts, Language, Store
from gbvs.web.downloads import download_headers
from gbvs.web.figurejson import FigureJSONResponse
from gbvs.web.pagecache import cached
from gbvs.web.queries.countries import country_filter, get_country
from gbvs.web.queries.forecasts import (
    LEVEL_NAMES,
    PREVIOUS_RUN_COLUMN,
    RUN_COLUMNS,
    CountryForecast,
    Run,
    WatchlistRow,
    WatchlistView,
    backtest_report,
    country_forecasts,
    explanation_text,
    watchlist_view,
)
from gbvs.web.queries.maps import country_geometries
from gbvs.web.queries.strategy import current_strategy, region_iso3

router = api_router(Permission.forecast_read, "forecasts")
TARGET_IDS = sorted(TARGETS)  # every target the forecasting module knows (a run may hold fewer)
MAX_HORIZON = 10  # years ahead a horizon filter allows (a run holds fewer: the others answer nothing)
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
    "target",
    "horizon",
    "forecast_period",
    "p",
    "p_low",
    "p_high",
    "level",
    "level_name",
    "previous",
    "change",
    "status",
    "alerts",
    "alert_kinds",
    "summary",
)
EXPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "JSON; CSV (format=csv), GeoJSON features (format=geojson) or Excel (format=xlsx)",
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            GEOJSON: {"schema": {"type": "object"}},
            XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


class ExportFormat(StrEnum):
    """Output format of an exportable collection."""

    json = "json"
    csv = "csv"
    geojson = "geojson"
    xlsx = "xlsx"  # Excel workbook: rows, then the provenance on a second sheet


class WatchlistPage(Page[WatchlistRow]):
    """A page of the watchlist, with the rules applied and the runs compared (provenance)."""

    target: str
    horizon: int
    forecast_period: int | None = Field(None, description="the year the probabilities are for")
    rules: dict[str, float]
    latest_run: Run
    previous_run: Run | None = Field(
        description="the run that previous and change are measured from (null: there is none yet)"
    )


class BacktestMetrics(BaseModel):
    """The latest backtest report: scores vs baselines and DemSpaces, reliability, goals, notes."""

    run: dict[str, Any]
    title: str | None = None
    provenance: Any = None
    goals: list[dict[str, Any]] = Field(
        default=[],
        description="Each accuracy goal: goal, value (the main model's figure, mean over seeds), target, "
        "met; from a full backtest also low and high, the 95% interval from resampling countries and "
        "forecast years (of the "
        "difference to the baseline where interval_of is 'difference'), and sampling: 'met' or 'missed' "
        "when the whole interval lies on one side of the line, 'undecided' when it straddles it; and "
        "rests_on, what the verdict rests on most: per left_out ('country', 'origin': the forecasts made in "
        "one year) the unit (country code or year) whose absence brings the figure nearest to the other "
        "side of the line, value (the figure without it, of the difference to the baseline where value_of "
        "is 'difference') and met (the goal's verdict without it).",
    )
    comparisons: list[dict[str, Any]] = Field(
        default=[],
        description="Each threshold goal of the conflict forecasts as a paired comparison with the "
        "conflict-history baseline (history_logit) on the same rows, in the form of goals: value (main "
        "model), baseline, baseline_value, difference (main model − baseline), met (the main model on the "
        "better side), low and high (the 95% interval of the difference), sampling and rests_on; from a "
        "full backtest only, empty in reports from before it was kept.",
    )
    scores: list[dict[str, Any]] = Field(
        default=[],
        description="Per model, target, horizon and subset the mean and sd over seeds of each metric "
        "(<metric>_mean, <metric>_std), n, positives and seeds. Subsets: all, onset (no conflict in the "
        "year forecast from), region:<id> (a focus region or continent) and origin:<year> (the forecasts "
        "made with data up to that year; reports from before they were kept have none).",
    )
    demspaces_comparison: list[dict[str, Any]] = Field(
        default=[],
        description="Our models and DemSpaces v14's published forecasts scored on the same country-years, "
        "per direction (down: closing, up: opening). trained_on (absent in reports from before it was kept) "
        f"says what each model's past forecasts were trained on: {TRAINED_ON_EXPLANATION}.",
    )
    demspaces_differences: list[dict[str, Any]] = Field(
        default=[],
        description="Per direction (down: closing, up: opening) and metric (ap, roc_auc): difference, our "
        "main model's figure minus DemSpaces v14's on the same country-years, with low and high, its 95% "
        "interval from resampling countries and forecast years (both models with the same draws), and n, "
        "the rows.",
    )
    interval_method: dict[str, Any] = Field(
        default={},
        description="How the intervals were drawn: level (0.95), resamples and resampled (what is drawn "
        "with replacement: 'country', or ['country', 'origin'] when the countries and the forecast years "
        "are drawn independently, a row counting as often as both were drawn) and space_origin_block (for "
        "the democratic spaces, whose outcome windows overlap, the forecast years are drawn in circular "
        "runs of that many consecutive years; absent in reports that drew each year on its own); empty for "
        "a quick run.",
    )
    reliability: dict[str, Any] = {}
    reliability_spaces: dict[str, Any] = Field(
        default={},
        description="Reliability curves of the democratic-space forecasts, the six spaces pooled per "
        "direction: {closing|opening: {model: {predicted, observed, count}}}.",
    )
    notes: list[str] = []


@router.get(
    "/forecasts",
    response_model=Page[CountryForecast],
    responses=EXPORT_RESPONSES,
    summary="Latest forecasts per target",
)
@cached
def read_forecasts(
    request: Request,
    response: Response,
    paging: Paging100,
    forecasts: Forecasts,
    store: Store,
    lang: Language,
    target: str | None = Query(
        default=None,
        max_length=60,
        description="Only this target, e.g. incidence",
        json_schema_extra={"enum": TARGET_IDS},
    ),
    country: str | None = Query(default=None, pattern=r"^[A-Za-z]{3}$", description="Only this ISO3 country"),
    region: str | None = Query(
        default=None,
        max_length=100,
        description="Only the countries of this focus region id (empty: every country)",
    ),
    horizon: int | None = Query(
        default=None, ge=1, le=MAX_HORIZON, description="Only this horizon (years ahead)"
    ),
    format: ExportFormat = ExportFormat.json,
) -> Page[CountryForecast] | Response:
    """For each target the forecasts of the newest run that forecasts it, each with its run's model version,
    cutoff and data vintage (a run of one target leaves the others from the run before)."""
    iso3 = country_filter(country, lambda code: get_country(store, code, lang)).iso3 if country else None
    if target is not None:
        check_target(target)
    members = region_iso3(current_strategy(), region) if region else None
    items = [
        item
        for item in country_forecasts(forecasts, store, lang, target, iso3)
        if (members is None or item.iso3 in members) and (horizon is None or item.horizon == horizon)
    ]
    if format in (ExportFormat.csv, ExportFormat.xlsx):
        columns = [*FORECAST_COLUMNS, "level_name", *quantile_columns(items), *RUN_COLUMNS]
        t = request.app.state.web.catalogs[lang].gettext
        rows = [
            {**f.model_dump(), **(f.quantiles or {}), **_run_columns(f.run), **_in_language(f, t, lang)}
            for f in items
        ]
        write = xlsx_response if format is ExportFormat.xlsx else csv_response
        return write(request, rows, columns, f"gbvs-forecasts.{format.value}", runs_provenance(items))
    if format is ExportFormat.geojson:
        return geojson_response(store, [f.model_dump(mode="json") for f in items], "gbvs-forecasts.geojson")
    t = request.app.state.web.catalogs[lang].gettext
    worded = [f.model_copy(update={"summary": explanation_text(f, t, lang)}) for f in items]
    return paginate(request, response, worded, paging)


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
    words = request.app.state.web.catalogs[lang]
    view = watchlist_view(
        forecasts, store, lang, words, region or None
    )  # region= is every country, as elsewhere
    if format in (ExportFormat.csv, ExportFormat.xlsx):
        t = request.app.state.web.catalogs[lang].gettext
        forecast = _watch_forecast(view)
        rows = [
            {
                **r.model_dump(),
                **forecast,
                "alerts": "; ".join(r.alerts),
                "alert_kinds": "; ".join(alert.kind for alert in r.alert_details),
                **_run_columns(view.latest_run),
                **_in_language(r, t, lang),
            }
            for r in view.rows
        ]
        columns = [*WATCH_COLUMNS, *RUN_COLUMNS, PREVIOUS_RUN_COLUMN]
        rules = [(f"rule {name}", value) for name, value in view.rules.items()]
        provenance = [*run_provenance(view.latest_run), *forecast.items(), *rules]
        write = xlsx_response if format is ExportFormat.xlsx else csv_response
        return write(request, rows, columns, f"gbvs-watchlist.{format.value}", provenance)
    if format is ExportFormat.geojson:
        features = [{**r.model_dump(mode="json"), **_watch_forecast(view)} for r in view.rows]
        return geojson_response(store, features, "gbvs-watchlist.geojson", view.latest_run)
    t = request.app.state.web.catalogs[lang].gettext
    worded = [r.model_copy(update={"summary": explanation_text(r, t, lang)}) for r in view.rows]
    paged = paginate(request, response, worded, paging)
    return WatchlistPage(
        **paged.model_dump(),
        target=view.target,
        horizon=view.horizon,
        forecast_period=view.forecast_period,
        rules=view.rules,
        latest_run=view.latest_run,
        previous_run=view.previous_run,
    )


@router.get("/backtest-metrics", response_model=BacktestMetrics, summary="Backtest report")
@cached
def read_backtest_metrics(request: Request, forecasts: Forecasts) -> BacktestMetrics:
    """Scores of the latest backtest against baselines and DemSpaces, reliability curves and goals."""
    return BacktestMetrics.model_validate(backtest_report(forecasts).as_dict())


def quantile_columns(items: list[CountryForecast]) -> list[str]:
    """The quantile columns (``q05``, ``q50``, ``q95``, ...) of count forecasts, in order of the level."""
    names = {name for item in items for name in (item.quantiles or {})}
    return sorted(names, key=lambda name: float(name.lstrip("q") or 0))


def check_target(target: str) -> None:
    """An unknown target is a 400 naming the valid ones (not an empty list that looks like "no risk")."""
    if target not in TARGET_IDS:
        raise InputError(
            said(
                "unknown target %(target)s; use one of: %(targets)s",
                target=repr(target),
                targets=", ".join(TARGET_IDS),
            )
        )


def _in_language(item: CountryForecast | WatchlistRow, t: Callable[[str], str], lang: str) -> dict[str, Any]:
    """The text columns of an export in the ``lang`` of the request: the summary and the level's name."""
    level = item.level
    return {
        "summary": explanation_text(item, t, lang),
        "level_name": t(LEVEL_NAMES[level]) if level in LEVEL_NAMES else level,
    }


FORECAST_SOURCE = ("source", "GBVS forecast")
"""The source line of every forecast export's provenance (conflict, DemSpaces comparison, displacement)."""


def run_provenance(run: Run) -> list[tuple[str, Any]]:
    """The provenance sheet of an export: every field of the forecast run."""
    return [FORECAST_SOURCE, *run.model_dump().items()]


def runs_provenance(items: list[CountryForecast]) -> list[tuple[str, Any]]:
    """The provenance sheet of a forecasts export: every run its rows come from (each target from the newest
    run that forecasts it), each with the targets it gives."""
    runs: dict[str, tuple[Run, list[str]]] = {}
    for item in items:
        _, targets = runs.setdefault(item.run.run_id, (item.run, []))
        if item.target not in targets:
            targets.append(item.target)
    return [
        row
        for run, targets in runs.values()
        for row in (*run_provenance(run), ("targets", ", ".join(targets)))
    ]


def _watch_forecast(view: WatchlistView) -> dict[str, Any]:
    """What every watchlist row forecasts (target, horizon, year) and the run its change is measured from."""
    return {
        "target": view.target,
        "horizon": view.horizon,
        "forecast_period": view.forecast_period,
        PREVIOUS_RUN_COLUMN: view.previous_run.run_id if view.previous_run else None,
    }


def _run_columns(run: Run) -> dict[str, Any]:
    return {name: getattr(run, name) for name in RUN_COLUMNS}


def geojson_response(
    store: Any, properties: list[dict[str, Any]], filename: str, run: Run | None = None
) -> FigureJSONResponse:
    """The features as a GeoJSON download named ``filename`` and today's date (QGIS opens it as a layer)."""
    shapes = country_geometries(store)
    features = [
        {"type": "Feature", "geometry": shapes[p["iso3"]][1], "properties": p}
        for p in properties
        if p["iso3"] in shapes
    ]
    body: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if run is not None:
        body["run"] = run.model_dump()
    return FigureJSONResponse(body, media_type=GEOJSON, headers=download_headers(filename))
