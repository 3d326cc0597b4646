"""A country's forecast history as pages and the API show it (see :mod:`gbvs.forecasting.history`).

The past forecasts are read once per version of the forecasts file, the outcomes once per version of
the store (the country's conflict history); scoring them is cheap and done per request, so a new
ingest scores old forecasts without a new forecast run.
"""

from __future__ import annotations

from dataclasses import asdict

from pydantic import BaseModel, Field

from gbvs.forecasting import history as fh
from gbvs.forecasting.domain import CONFLICT_TARGETS
from gbvs.store.tables import TableName
from gbvs.web.queries.countries import Country, conflict_history
from gbvs.web.queries.forecasts import ForecastCache, Run
from gbvs.web.store import StoreGateway

OUTCOME_TABLES = (TableName.ucdp_acd, TableName.ucdp_brd)
"""Where the outcomes come from (via the country-year panel)."""
PAGE_TARGETS = tuple(target.name for target in CONFLICT_TARGETS)
"""Targets whose history the country page shows (the API has every target)."""
SOURCES = (fh.LIVE, fh.BACKTEST)
HISTORY_COLUMNS = (
    "source", "target", "horizon", "origin", "forecast_period", "p", "q05", "q50", "q95", "observed",
    "brier", "persistence_brier", "inside", "counted", "run_id", "run_created_at", "model_version",
    "training_cutoff", "data_vintage",
)  # fmt: skip


class PastForecastRow(BaseModel):
    """One past forecast for the country, what happened, and its score."""

    source: str = Field(
        description="live: a stored forecast run, made on run_created_at; backtest: made afterwards by the "
        "latest backtest with data up to the origin year only"
    )
    target: str
    horizon: int
    origin: int = Field(description="the last year of data the forecast was made with")
    forecast_period: int
    p: float | None
    quantiles: dict[str, float] | None
    observed: float | None = Field(
        description="the outcome in the store: 1/0 for an event, battle deaths for a count; "
        "null: not yet known"
    )
    brier: float | None = Field(description="(p - outcome)², lower is better")
    persistence_brier: float | None = Field(description="the Brier score of 'as in the origin year'")
    inside: bool | None = Field(description="counts: whether the outcome fell inside the 5-95% range")
    counted: bool = Field(description="whether it counts in the score (the latest run per forecast year)")
    run: Run


class HistoryScore(BaseModel):
    """The score of one source, target and horizon over the forecasts whose outcome is known."""

    source: str
    target: str
    horizon: int
    scored: int
    events: int
    brier: float | None
    persistence_brier: float | None
    inside_share: float | None


class CountryForecastHistory(BaseModel):
    """Every past forecast for a country with what happened, the scores, and the outcomes' provenance."""

    iso3: str
    gwcode: int
    name: str
    outcomes_until: int | None = Field(description="the last year whose outcome is in the store")
    outcome_provenance: str = Field(description="the tables the outcomes come from, with version and vintage")
    scores: list[HistoryScore]
    forecasts: list[PastForecastRow]


def country_history(
    cache: ForecastCache, store: StoreGateway, country: Country, provenance: str
) -> CountryForecastHistory:
    """The country's forecast history: live runs and the latest backtest, scored against the store."""
    past = cache.cached(("past", country.gwcode), lambda f: fh.past_forecasts(f, unit_key=country.gwcode))
    outcomes = {row.year: row.model_dump() for row in conflict_history(store, country.gwcode)}
    found = fh.score_history(past, outcomes, country.gwcode)
    return CountryForecastHistory(
        iso3=country.iso3,
        gwcode=country.gwcode,
        name=country.name,
        outcomes_until=found.outcomes_until,
        outcome_provenance=provenance,
        scores=[_score(group) for group in found.groups],
        forecasts=[_row(item) for group in found.groups for item in group.forecasts],
    )


def _score(group: fh.HistoryGroup) -> HistoryScore:
    fields = asdict(group)
    fields.pop("forecasts")
    return HistoryScore(**fields)


def _row(item: fh.PastForecast) -> PastForecastRow:
    fields = asdict(item)
    fields["run"] = Run(**fields["run"])
    return PastForecastRow(**fields)


def history_rows(history: CountryForecastHistory) -> list[dict[str, object]]:
    """Flat rows for CSV and Excel: each forecast with its run's provenance in its own columns."""
    rows = []
    for item in history.forecasts:
        quantiles = item.quantiles or {}
        rows.append(
            {
                **item.model_dump(exclude={"run", "quantiles"}),
                **{name: quantiles.get(name) for name in ("q05", "q50", "q95")},
                "run_id": item.run.run_id,
                "run_created_at": item.run.created_at,
                "model_version": item.run.model_version,
                "training_cutoff": item.run.training_cutoff,
                "data_vintage": item.run.data_vintage,
            }
        )
    return rows
