"""DemSpaces v14 beside GBVS (issue 11 point 5) as the country page and the API show it.

Their forecasts come from the store (``demspaces_forecasts``, the published v14 file), the outcomes
from the country-year panel's V-Dem indices with DemSpaces' cutpoints (:mod:`gbvs.forecasting.anchor`),
ours from the latest forecast run, and both models' skill on the same country-years from the latest
stored backtest report.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
from pydantic import BaseModel, Field

from gbvs.errors import InputError, NoForecastRunError
from gbvs.forecasting.anchor import (
    DIRECTIONS,
    PUBLISHED_MODEL,
    TRAINED_ON_EXPLANATION,
    TrainedOn,
    published_outcomes,
    published_rows,
    side_by_side,
    trained_on,
)
from gbvs.forecasting.domain import DEMSPACES_INDICES, DEMSPACES_NAMES
from gbvs.store import reads
from gbvs.store.tables import TableName
from gbvs.web.queries.countries import Country, list_countries, panel_rows
from gbvs.web.queries.forecasts import ForecastCache, Run, backtest_report, country_forecasts
from gbvs.web.render import N_
from gbvs.web.store import StoreGateway

SOURCE = "DemSpaces"
VERSION = "v14"
SOURCE_LABEL = N_("DemSpaces v14 (V-Dem Institute, published forecasts)")
CHANGES: tuple[str, ...] = tuple(DIRECTIONS.values())
"""The two directions of change as our targets name them: closing, opening."""
DIRECTION_NAMES: dict[str, str] = dict(zip(CHANGES, (N_("closing"), N_("opening")), strict=True))
DEMSPACES_TABLES = (TableName.demspaces_forecasts, TableName.demspaces_cutpoints)
PAST_COLUMNS = ("space", "direction", "from_year", "for_years", "p", "outcome")
COMPARISON_COLUMNS = (
    "iso3",
    "gwcode",
    "name",
    "space",
    "direction",
    "demspaces_from_year",
    "demspaces_for_years",
    "demspaces_p",
    "gbvs_origin",
    "gbvs_p",
    "difference",
)
SKILL_MODELS = {"lgbm": "GBVS", PUBLISHED_MODEL: "DemSpaces v14"}
DISAGREE = 0.2
"""Probabilities at least this far apart (20 percentage points) are marked as a disagreement."""
SPACES: tuple[str, ...] = tuple(DEMSPACES_NAMES.values())
"""The six democratic spaces by their short names (associational, economic, ...), in DemSpaces' order."""


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


class SpaceComparison(LatestPair):
    """DemSpaces' latest forecast of one country's space and direction beside ours."""

    iso3: str
    gwcode: int
    name: str


@dataclass(frozen=True)
class Comparisons:
    """Every country's latest DemSpaces forecasts beside ours, largest difference first, and our run."""

    rows: list[SpaceComparison]
    run: Run | None


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
    ours, _ = _space_forecasts(cache, store, lang, country.iso3)
    return [_pair(r) for r in side_by_side(past, ours).to_dict("records")]


def _pair(r: Mapping[Hashable, Any]) -> LatestPair:
    return LatestPair(
        space=str(r["space"]),
        direction=str(r["direction"]),
        demspaces_from_year=_int(r.get("from_year")),
        demspaces_for_years=None if _missing(r.get("for_years")) else str(r["for_years"]),
        demspaces_p=_float(r.get("p")),
        gbvs_origin=_int(r.get("gbvs_origin")),
        gbvs_p=_float(r.get("gbvs_p")),
        difference=_float(r.get("difference")),
    )


def comparisons(
    store: StoreGateway,
    cache: ForecastCache,
    lang: str,
    *,
    direction: str | None = None,
    space: str | None = None,
    members: frozenset[str] | None = None,
    min_difference: float = 0.0,
) -> Comparisons:
    """DemSpaces' latest forecasts beside ours for every country in the store, optionally one direction,
    one space, the countries of ``members`` (ISO3) and pairs at least ``min_difference`` apart (which
    drops pairs with one side missing); the largest difference first, then by country name."""
    countries = {c.gwcode: c for c in list_countries(store, lang)}
    published = published_rows(store.cached(("demspaces_all",), reads.demspaces_forecasts))
    ours, run = _space_forecasts(cache, store, lang)
    rows = side_by_side(published, ours, by=("gwcode",))
    rows = rows[rows["gwcode"].isin(list(countries))]
    if direction:
        rows = rows[rows["direction"] == direction]
    if space:
        rows = rows[rows["space"] == space]
    if members is not None:
        rows = rows[rows["gwcode"].map(lambda code: countries[code].iso3 in members)]
    if min_difference > 0:
        rows = rows[rows["difference"].abs() >= min_difference]
    rows = rows.assign(
        _apart=rows["difference"].abs().fillna(-1.0), _name=rows["gwcode"].map(lambda c: countries[c].name)
    ).sort_values(["_apart", "_name"], ascending=[False, True], kind="stable")
    return Comparisons([_comparison(r, countries[int(r["gwcode"])]) for r in rows.to_dict("records")], run)


def check_choice(value: str | None, valid: tuple[str, ...], name: str) -> None:
    """An unknown direction or space (``name``) is an InputError naming the valid ones, not an empty list
    that reads as "the models agree everywhere"."""
    if value and value not in valid:
        raise InputError(f"unknown {name} {value!r}; use one of: {', '.join(valid)}")


def _space_forecasts(
    cache: ForecastCache, store: StoreGateway, lang: str, iso3: str | None = None
) -> tuple[pd.DataFrame, Run | None]:
    """Our latest democratic-space forecasts (gwcode, target, origin, p), of every country or the one
    with ``iso3``, and their run (None: no run, or no space forecasts in it)."""
    try:
        items = country_forecasts(cache, store, lang, iso3=iso3)
    except NoForecastRunError:
        items = []
    spaces = [f for f in items if f.target.startswith(_PREFIXES) and f.p is not None]
    frame = pd.DataFrame(
        [{"gwcode": f.gwcode, "target": f.target, "origin": f.origin, "p": f.p} for f in spaces],
        columns=["gwcode", "target", "origin", "p"],
    )
    return frame, spaces[0].run if spaces else None


_PREFIXES = tuple(f"{prefix}_" for prefix in DIRECTIONS.values())


def _comparison(row: Mapping[Hashable, Any], country: Country) -> SpaceComparison:
    return SpaceComparison(
        iso3=country.iso3, gwcode=country.gwcode, name=country.name, **_pair(row).model_dump()
    )


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
