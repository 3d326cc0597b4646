"""``/api/v1/displacement/ranking`` and ``/api/v1/countries/{iso3}/displacement`` (issue 17).

Both carry provenance: the ranking the run (model version, training cutoff, data vintage), the
country resource the UNHCR tables' source, version and vintage, and the CSV exports both in every row.
"""

from __future__ import annotations

from fastapi import Path, Query, Request, Response
from pydantic import BaseModel, Field

from gbvs.errors import NoForecastRunError
from gbvs.forecasting.displacement.views import CSV_COLUMNS, LEFT_OUT, NOT_APPLICATIONS, ranking_provenance
from gbvs.security import Permission
from gbvs.web.api.common import (
    ListFormat,
    Page,
    Paging100,
    api_router,
    country_about,
    csv_responses,
    paginate,
    table_response,
)
from gbvs.web.api.countries import provenance_text
from gbvs.web.api.forecasts import FORECAST_SOURCE
from gbvs.web.deps import Forecasts, Language, Store
from gbvs.web.pagecache import cached
from gbvs.web.pages.displacement import UNHCR_TABLES
from gbvs.web.queries.countries import get_country
from gbvs.web.queries.displacement import (
    HISTORY_COLUMNS,
    BacktestSkill,
    BaselineForecast,
    DisplacementForecast,
    DisplacementYear,
    PublishedChoice,
    PublishedValidation,
    RankingEntry,
    Run,
    baseline_forecasts,
    baselines_missing,
    country_backtest,
    displacement_forecasts,
    displacement_history,
    latest_displacement_run,
    published_choices,
    published_validation,
    ranking_view,
)

router = api_router(Permission.forecast_read, "displacement")
Iso3 = Path(pattern=r"^[A-Za-z]{3}$", description="ISO 3166-1 alpha-3 code, e.g. SYR", examples=["SYR"])


class RankingPage(Page[RankingEntry]):
    """A page of the goal-13 ranking with the run it comes from and the caveat."""

    horizon: int
    run: Run
    conflict_run: Run | None = Field(
        description="The conflict forecast run behind p_conflict, for the same forecast year (null: none, "
        "and p_conflict is null)"
    )
    backtest: BacktestSkill | None = Field(
        description="The latest displacement backtest at this horizon: the forecasts' CRPS against each "
        "baseline, with its run (null: none stored yet; run `gbvs displacement backtest`)"
    )
    baseline_run: Run | None = Field(
        description="The run keeping the forecast of the baseline in rows[].baseline (null: no baseline was "
        "better for asylum applications at this horizon, or the forecast run keeps none)"
    )
    baselines_missing: str | None = Field(
        description="That the forecast run keeps no baseline forecasts (made before GBVS kept them), in the "
        "request's language (null: it keeps them)"
    )
    selection: list[PublishedChoice] = Field(
        description="Which forecast the rows are for asylum applications at this horizon: the model's or, "
        "where it did better in the validation before the origin, a baseline's; with both skills and the "
        "sentence in the request's language (empty: a run made before v6)"
    )
    validation: PublishedValidation | None = Field(
        description="Where the validation behind `selection` was made: in this run or, reused, in an earlier "
        "run with the same data vintage, model version, configuration and origin; with the sentence in the "
        "request's language (null: a run that kept no validation, made before GBVS kept them)"
    )
    caveat: str
    left_out: str = Field(
        description="Whose asylum applications the ranking leaves out (stateless people, unknown origin, "
        "places that are no state), in the request's language"
    )


class CountryDisplacement(BaseModel):
    """A country's displacement by year, its latest forecasts and where both come from."""

    iso3: str
    name: str
    history: list[DisplacementYear]
    forecasts: list[DisplacementForecast]
    forecast_run: Run | None = Field(
        description="The latest displacement forecast run, where the forecasts come from (null: none yet); "
        "with forecasts empty, that run holds none for this country"
    )
    backtest: BacktestSkill | None = Field(
        description="The latest displacement backtest, both horizons, with its run; its figures are every "
        "origin's together, not this country's, so a country without forecasts has it too (null: none "
        "stored yet, or no displacement forecast run)"
    )
    baseline_forecasts: list[BaselineForecast] = Field(
        description="Every baseline's forecast kept beside the forecast run for this country, each with its "
        "run; go_by marks the one the backtest found better for that target and horizon"
    )
    baselines_missing: str | None = Field(
        description="That the forecast run keeps no baseline forecasts (made before GBVS kept them), in the "
        "request's language (null: it keeps them, or there is no run)"
    )
    selection: list[PublishedChoice] = Field(
        description="Per target and horizon, which forecast the run publishes (the model's or a baseline's), "
        "chosen on the validation years before its origin, with both skills and the sentence in the "
        "request's language (empty: a run made before v6, which published the model's everywhere)"
    )
    validation: PublishedValidation | None = Field(
        description="Where the validation behind `selection` was made: in this run or, reused, in an earlier "
        "run with the same data vintage, model version, configuration and origin; with the sentence in the "
        "request's language (null: a run that kept no validation, made before GBVS kept them)"
    )
    provenance: str
    caveat: str


@router.get(
    "/displacement/ranking",
    response_model=RankingPage,
    summary="Origins ranked by forecast asylum applications in the Netherlands",
    responses=csv_responses("The ranking as CSV, with the run's provenance in every row"),
)
@cached
def read_ranking(
    request: Request,
    response: Response,
    paging: Paging100,
    forecasts: Forecasts,
    store: Store,
    lang: Language,
    horizon: int = Query(default=1, ge=1, le=2, description="Years ahead: 1 or 2"),
    format: ListFormat = ListFormat.json,
) -> RankingPage | Response:
    """Forecast asylum applications (median, 5-95%) per origin, with conflict risk and change."""
    view = ranking_view(forecasts, store, lang, horizon, request.app.state.web.catalogs[lang].gettext)
    if format is not ListFormat.json:
        backtest = None if view.backtest is None else view.backtest.model_dump()
        provenance = ranking_provenance(view.run, view.conflict_run, backtest, horizon, view.baseline_run)
        rows = ({**r.model_dump(), **provenance} for r in view.rows)
        name = f"gbvs-asylum-ranking-h{horizon}"
        about = [FORECAST_SOURCE, *provenance.items()]
        return table_response(request, format, rows, CSV_COLUMNS, name, about)
    paged = paginate(request, response, view.rows, paging)
    return RankingPage(
        **paged.model_dump(),
        horizon=horizon,
        run=view.run,
        conflict_run=view.conflict_run,
        backtest=view.backtest,
        baseline_run=view.baseline_run,
        baselines_missing=view.baselines_missing,
        selection=view.selection,
        validation=view.validation,
        caveat=request.app.state.web.catalogs[lang].gettext(NOT_APPLICATIONS),
        left_out=request.app.state.web.catalogs[lang].gettext(LEFT_OUT),
    )


@router.get(
    "/countries/{iso3}/displacement",
    response_model=CountryDisplacement,
    summary="Forced displacement from a country: history and forecasts",
    responses=csv_responses("The history by year as CSV, with provenance in every row"),
)
@cached
def read_country_displacement(
    request: Request,
    forecasts: Forecasts,
    store: Store,
    lang: Language,
    iso3: str = Iso3,
    format: ListFormat = ListFormat.json,
) -> CountryDisplacement | Response:
    """Displaced abroad, new displacement, IDPs and asylum applications by year, and the latest forecasts."""
    country = get_country(store, iso3, lang)
    history = displacement_history(store, country.gwcode)
    provenance = provenance_text(store, UNHCR_TABLES)
    if format is not ListFormat.json:
        rows = ({**row.model_dump(), "provenance": provenance} for row in history)
        columns = [*HISTORY_COLUMNS, "share_in_nl", "share_of_eu_applications", "provenance"]
        about = [country_about(country), ("provenance", provenance)]
        return table_response(request, format, rows, columns, f"{country.iso3}-displacement", about)
    try:
        items = displacement_forecasts(forecasts, country.gwcode)
    except NoForecastRunError:
        items = []
    gettext = request.app.state.web.catalogs[lang].gettext
    backtest = country_backtest(forecasts, items, gettext, lang)
    return CountryDisplacement(
        iso3=country.iso3,
        name=country.name,
        history=history,
        forecasts=items,
        forecast_run=items[0].run if items else latest_displacement_run(forecasts),
        backtest=backtest,
        baseline_forecasts=baseline_forecasts(forecasts, country.gwcode, backtest),
        baselines_missing=baselines_missing(forecasts, gettext),
        selection=published_choices(forecasts, None, gettext, lang),
        validation=published_validation(forecasts, gettext, lang),
        provenance=provenance,
        caveat=request.app.state.web.catalogs[lang].gettext(NOT_APPLICATIONS),
    )
