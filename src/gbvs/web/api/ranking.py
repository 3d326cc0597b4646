"""``/api/v1/risk-rankings``: the watchlist page's ranking (filters, onset view, sorting) and its exports."""

from __future__ import annotations

from typing import Any

from fastapi import Query, Request, Response
from pydantic import BaseModel, Field

from gbvs.security import Permission
from gbvs.web.api.common import Page, Paging200, api_router, csv_response, paginate
from gbvs.web.api.forecasts import (
    EXPORT_RESPONSES,
    MAX_HORIZON,
    RUN_COLUMNS,
    TARGET_IDS,
    ExportFormat,
    check_target,
    geojson_response,
    run_provenance,
)
from gbvs.web.api.xlsx import xlsx_response
from gbvs.web.deps import Forecasts, Language, Store
from gbvs.web.pagecache import cached
from gbvs.web.queries.forecasts import LEVEL_NAMES, explanation_text
from gbvs.web.queries.ranking import RankedForecast, RankingSort, RankingView, ranking
from gbvs.web.queries.strategy import current_strategy, region_iso3

router = api_router(Permission.forecast_read, "forecasts")
COLUMNS = (
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
    "conflict_now",
    "summary",
    *RUN_COLUMNS,
)


class RankingRow(BaseModel):
    """One country of the ranking, flat (as in the CSV and Excel exports)."""

    rank: int
    iso3: str
    gwcode: int
    name: str
    target: str
    horizon: int
    forecast_period: int
    p: float | None
    p_low: float | None
    p_high: float | None
    level: str | None
    level_name: str | None
    conflict_now: int | None
    summary: str
    model_version: str
    training_cutoff: int | None
    data_vintage: str
    run_id: str
    created_at: str = Field(description="when the forecast run was made (UTC, e.g. 2026-06-01 00:00:00)")


@router.get(
    "/risk-rankings",
    response_model=Page[RankingRow],
    responses=EXPORT_RESPONSES,
    summary="Risk ranking (watchlist page)",
)
@cached
def read_risk_rankings(
    request: Request,
    response: Response,
    paging: Paging200,
    forecasts: Forecasts,
    store: Store,
    lang: Language,
    target: str = Query(
        default="incidence",
        max_length=60,
        description="Forecast target",
        json_schema_extra={"enum": TARGET_IDS},
    ),
    horizon: int = Query(default=1, ge=1, le=MAX_HORIZON, description="Years ahead"),
    region: str | None = Query(default=None, max_length=100, description="Only this focus region id"),
    view: RankingView = Query(
        default=RankingView.all,
        description="onset: only countries without state-based armed conflict in the origin year",
    ),
    q: str = Query(default="", max_length=100, description="Only countries whose name contains this text"),
    sort: RankingSort = Query(default=RankingSort.risk, description="risk, name or spread"),
    format: ExportFormat = ExportFormat.json,
) -> Page[RankingRow] | Response:
    """The latest run's forecasts of one target and horizon, ranked by risk, filtered as asked."""
    check_target(target)
    members = region_iso3(current_strategy(), region) if region else None
    t = request.app.state.web.catalogs[lang].gettext
    rows = [
        _row(r, t, lang) for r in ranking(forecasts, store, lang, target, horizon, members, view, q, sort)
    ]
    if format is ExportFormat.json:
        return paginate(request, response, rows, paging)
    first = ranking(forecasts, store, lang, target, horizon)  # the run, also when the filters leave no row
    run = first[0].forecast.run if first else None
    if format in (ExportFormat.csv, ExportFormat.xlsx):
        write = csv_response if format is ExportFormat.csv else xlsx_response
        dumped = [r.model_dump() for r in rows]
        provenance = run_provenance(run) if run else []
        return write(request, dumped, COLUMNS, f"gbvs-risk-ranking.{format.value}", provenance)
    features = [r.model_dump(mode="json") for r in rows]
    return geojson_response(store, features, "gbvs-risk-ranking.geojson", run)


def _row(item: RankedForecast, t: Any, lang: str) -> RankingRow:
    f = item.forecast
    return RankingRow(
        rank=item.rank,
        iso3=f.iso3,
        gwcode=f.gwcode,
        name=f.name,
        target=f.target,
        horizon=f.horizon,
        forecast_period=f.forecast_period,
        p=f.p,
        p_low=f.p_low,
        p_high=f.p_high,
        level=f.level,
        level_name=t(LEVEL_NAMES[f.level]) if f.level in LEVEL_NAMES else f.level,
        conflict_now=item.conflict_now,
        summary=explanation_text(f, t, lang),
        model_version=f.run.model_version,
        training_cutoff=f.run.training_cutoff,
        data_vintage=f.run.data_vintage,
        run_id=f.run.run_id,
        created_at=f.run.created_at,
    )
