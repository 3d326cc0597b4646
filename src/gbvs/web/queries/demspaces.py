"""DemSpaces v14 beside GBVS (issue 11 point 5) as the country page and the API show it.

Their forecasts come from the store (``demspaces_forecasts``, the published v14 file), the outcomes
from the country-year panel's V-Dem indices with DemSpaces' cutpoints (:mod:`gbvs.forecasting.anchor`),
ours from the latest forecast run, and both models' skill on the same country-years from the latest
stored backtest report.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
from pydantic import BaseModel, Field

from gbvs.errors import NoForecastRunError
from gbvs.forecasting.anchor import (
    PUBLISHED_MODEL,
    TRAINED_ON_EXPLANATION,
    TrainedOn,
    published_outcomes,
    side_by_side,
    trained_on,
)
from gbvs.forecasting.domain import DEMSPACES_INDICES
from gbvs.store import reads
from gbvs.store.tables import TableName
from gbvs.web.queries.countries import Country, panel_rows
from gbvs.web.queries.forecasts import ForecastCache, backtest_report, country_forecasts
from gbvs.web.render import N_
from gbvs.web.store import StoreGateway

SOURCE = "DemSpaces"
VERSION = "v14"
SOURCE_LABEL = N_("DemSpaces v14 (V-Dem Institute, published forecasts)")
DIRECTION_NAMES: dict[str, str] = {"closing": N_("closing"), "opening": N_("opening")}
DEMSPACES_TABLES = (TableName.demspaces_forecasts, TableName.demspaces_cutpoints)
PAST_COLUMNS = ("space", "direction", "from_year", "for_years", "p", "outcome")
SKILL_MODELS = {"lgbm": "GBVS", PUBLISHED_MODEL: "DemSpaces v14"}


class LatestPair(BaseModel):
    """DemSpaces' latest forecast for one space and direction beside ours."""

    space: str
    direction: str = Field(description="closing or opening")
    demspaces_from_year: int | None = Field(description="year DemSpaces forecast from")
    demspaces_for_years: str | None = Field(description="DemSpaces' two-year window, e.g. '2023 - 2024'")
    demspaces_p: float | None
    gbvs_origin: int | None = Field(
        description="year our forecast is made from (window: the two years after)"
    )
    gbvs_p: float | None
    difference: float | None = Field(description="ours minus DemSpaces (probability)")


class PastForecast(BaseModel):
    """A published DemSpaces v14 forecast with what happened (1/0; null: window not yet observed)."""

    space: str
    direction: str
    from_year: int
    for_years: str
    p: float
    outcome: int | None


class Skill(BaseModel):
    """A model's pooled backtest skill on the country-years both models forecast (all countries)."""

    direction: str
    model: str
    trained_on: TrainedOn = Field(
        description=f"what the model's past forecasts were trained on: {TRAINED_ON_EXPLANATION}"
    )
    ap: float | None
    roc_auc: float | None
    n: int | None
    positives: int | None


class CountryDemSpaces(BaseModel):
    """DemSpaces v14 beside GBVS for one country, with provenance."""

    iso3: str
    name: str
    source: str = SOURCE
    version: str = VERSION
    latest: list[LatestPair]
    past: list[PastForecast]
    skill: list[Skill]
    provenance: str


def has_demspaces(store: StoreGateway) -> bool:
    """Whether the store holds DemSpaces' forecasts and cutpoints."""
    return all(store.has_table(name) for name in DEMSPACES_TABLES)


def past_forecasts(store: StoreGateway, country: Country) -> pd.DataFrame:
    """Every DemSpaces v14 forecast for the country with its outcome (empty without DemSpaces data)."""
    if not has_demspaces(store):
        return pd.DataFrame(columns=[*PAST_COLUMNS, "index"])
    published = pd.DataFrame(
        store.cached(
            ("demspaces", country.gwcode), lambda s: reads.demspaces_forecasts_of(s, gwcode=country.gwcode)
        )
    )
    cutpoints = store.cached(("demspaces_cutpoints",), reads.demspaces_cutpoints)
    series = pd.DataFrame(panel_rows(store, country.gwcode))
    if not series.empty:
        series = series.rename(columns={f"vdem_{i}": i for i in DEMSPACES_INDICES})
    return published_outcomes(published, series, cutpoints)


def latest_pairs(
    past: pd.DataFrame, cache: ForecastCache, store: StoreGateway, country: Country, lang: str
) -> list[LatestPair]:
    """DemSpaces' latest forecasts beside the latest GBVS forecasts of the same spaces."""
    try:
        items = country_forecasts(cache, store, lang, iso3=country.iso3)
    except NoForecastRunError:
        items = []
    ours = pd.DataFrame(
        [
            {"target": f.target, "origin": f.origin, "p": f.p}
            for f in items
            if f.target.startswith(("closing_", "opening_")) and f.p is not None
        ],
        columns=["target", "origin", "p"],
    )
    rows = side_by_side(past, ours)
    return [
        LatestPair(
            space=str(r["space"]),
            direction=str(r["direction"]),
            demspaces_from_year=_int(r.get("from_year")),
            demspaces_for_years=None if _missing(r.get("for_years")) else str(r["for_years"]),
            demspaces_p=_float(r.get("p")),
            gbvs_origin=_int(r.get("gbvs_origin")),
            gbvs_p=_float(r.get("gbvs_p")),
            difference=_float(r.get("difference")),
        )
        for r in rows.to_dict("records")
    ]


def past_items(past: pd.DataFrame) -> list[PastForecast]:
    """The past forecasts as API items, newest first."""
    return [
        PastForecast(
            space=str(r["space"]),
            direction=str(r["direction"]),
            from_year=int(r["from_year"]),
            for_years=str(r["for_years"]),
            p=float(r["p"]),
            outcome=_int(r.get("outcome")),
        )
        for r in past.sort_values("from_year", ascending=False, kind="stable").to_dict("records")
    ]


def skill(cache: ForecastCache) -> list[Skill]:
    """Ours and DemSpaces' pooled AP and ROC-AUC on the same country-years (latest backtest report)."""
    try:
        report = backtest_report(cache)
    except NoForecastRunError:
        return []
    rows = report.demspaces_comparison
    return [
        Skill(
            direction="closing" if row.get("direction") == "down" else "opening",
            model=SKILL_MODELS[row["model"]],
            trained_on=trained_on(str(row["model"])),
            ap=_float(row.get("ap_mean")),
            roc_auc=_float(row.get("roc_auc_mean")),
            n=_int(row.get("n")),
            positives=_int(row.get("positives")),
        )
        for row in rows
        if row.get("model") in SKILL_MODELS
    ]


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _float(value: Any) -> float | None:
    return None if _missing(value) else float(value)


def _int(value: Any) -> int | None:
    return None if _missing(value) else int(value)
