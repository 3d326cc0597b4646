"""Forecasts, the watchlist, explanations and backtest metrics as pages and API show them.

The reading is done by :mod:`gbvs.forecasting.queries`; this module caches its results per
version of the forecasts file and adds country names and risk levels. "No run yet" is the typed
:class:`~gbvs.errors.NoForecastRunError`, which the web edge turns into a 503 whose message gives the fix.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from gettext import NullTranslations as Translations

from pydantic import BaseModel, Field

from gbvs import numbers
from gbvs.config import Settings
from gbvs.countries import in_sentence
from gbvs.drivers.families import family_label, main_drivers
from gbvs.forecasting import queries as fq
from gbvs.forecasting.anchor import DIRECTIONS
from gbvs.forecasting.specific import CountryExplanation, Wording, describe
from gbvs.forecasting.watchlist import Alert, load_rules
from gbvs.store.cache import FileCache
from gbvs.store.forecasts import ForecastsReader, forecasts_path, open_forecasts
from gbvs.web.labels import alert_words
from gbvs.web.queries.countries import Country, list_countries
from gbvs.web.render import N_
from gbvs.web.store import StoreGateway

RISK_LEVELS: tuple[tuple[float, str], ...] = (
    (0.75, "very_high"),
    (0.5, "high"),
    (0.2, "elevated"),
    (0.05, "moderate"),
)
LEVEL_NAMES: dict[str, str] = {
    "very_high": N_("very high"),
    "high": N_("high"),
    "elevated": N_("elevated"),
    "moderate": N_("moderate"),
    "low": N_("low"),
}
SPACE_DIRECTIONS: dict[str, str] = DIRECTIONS
"""DemSpaces' direction (``down``, ``up``) -> our target prefix (``closing``, ``opening``), for the pages."""

TARGET_NAMES: dict[str, str] = {
    "incidence": N_("armed conflict"),
    "war": N_("war"),
    "battle_deaths": N_("battle deaths"),
}
STATUS_NAMES: dict[str, str] = {"alert": N_("alert"), "watch": N_("watch"), "": N_("none")}


class Run(BaseModel):
    """Provenance of a forecast run: model version, training cutoff, data vintage, seed, time."""

    run_id: str
    created_at: str
    unit: str
    model_version: str
    training_cutoff: int | None
    data_vintage: str
    seed: int | None


RUN_COLUMNS = ("model_version", "training_cutoff", "data_vintage", "run_id", "created_at")
"""The forecast run's provenance on every exported forecast row (created_at: when the run was made, UTC)."""
PREVIOUS_RUN_COLUMN = "previous_run_id"
"""The run a watchlist row's ``previous`` and ``change`` are measured from (empty: the first run)."""


class CountryForecast(BaseModel):
    """One forecast for one country, with its uncertainty, explanation and provenance."""

    iso3: str
    gwcode: int
    name: str
    target: str
    horizon: int
    origin: int
    forecast_period: int
    p: float | None
    level: str | None
    quantiles: dict[str, float] | None
    families: dict[str, float]
    summary: str
    run: Run
    p_low: float | None = Field(
        None,
        description="lowest probability over the run's seeds (null: count target, one seed, or a model "
        "that is the same at every seed, such as the democratic-space models)",
    )
    p_high: float | None = Field(None, description="highest probability over the run's seeds")
    p_sd: float | None = Field(None, description="standard deviation of the probability over the run's seeds")
    explanation: CountryExplanation | None = Field(
        None,
        description="each driver family's contribution (log-odds) against the median country of the run "
        "(same target and horizon) and the shifts since the previous run",
    )


class WatchlistRow(BaseModel):
    """A country on the watchlist: risk, change since the previous run, status and alerts."""

    rank: int
    iso3: str
    gwcode: int
    name: str
    p: float
    level: str
    previous: float | None
    change: float | None
    status: str
    alerts: list[str] = Field(description="the alerts in words, in the request's language")
    summary: str
    alert_details: list[Alert] = Field(
        default=[],
        description="the alerts, machine-readable, in the order of alerts: kind (crossed_up, crossed_down: "
        "the probability crossed threshold, the watchlist's rule; jump: it changed by change since the "
        "previous run, at least the rule's jump)",
    )
    families: dict[str, float] = {}
    p_low: float | None = Field(
        None,
        description="lowest probability over the run's seeds (null: one seed or one model at every seed)",
    )
    p_high: float | None = Field(None, description="highest probability over the run's seeds")
    explanation: CountryExplanation | None = Field(
        None, description="the families against the median country and the shifts since the previous run"
    )


class WatchlistView(BaseModel):
    """The ranked watchlist with the rules applied and the runs compared."""

    rows: list[WatchlistRow]
    target: str
    horizon: int
    forecast_period: int | None = Field(None, description="the year the probabilities are for")
    rules: dict[str, float]
    latest_run: Run
    previous_run: Run | None


class ForecastCache(FileCache[ForecastsReader]):
    """Results of the forecasting queries, kept until the forecasts file changes.

    No file or no run yet raises :class:`~gbvs.errors.NoForecastRunError` (HTTP 503 with the fix).
    """

    def __init__(self, settings: Settings) -> None:
        super().__init__(forecasts_path(settings), open_forecasts, keep_open=False)
        self.settings = settings


def risk_level(p: float | None) -> str | None:
    """The risk level (also shown as text) of a probability."""
    if p is None:
        return None
    return next((name for bound, name in RISK_LEVELS if p >= bound), "low")


def country_forecasts(
    cache: ForecastCache, store: StoreGateway, lang: str, target: str | None = None, iso3: str | None = None
) -> list[CountryForecast]:
    """For each target the forecasts of the newest run that forecasts it (:func:`gbvs.forecasting.queries.
    latest_forecasts`), for countries in the store (optionally one target or country)."""
    forecasts = cache.cached(("latest",), lambda f: fq.latest_forecasts(f))
    specific = specific_explanations(cache)
    countries = _by_gwcode(store, lang)
    result = []
    for item in forecasts:
        country = countries.get(item.unit_key)
        if country is None or (target and item.target != target) or (iso3 and country.iso3 != iso3):
            continue
        found = specific.get((item.unit_key, item.target, item.horizon))
        result.append(_country_forecast(item, country).model_copy(update={"explanation": found}))
    return result


def latest_run(cache: ForecastCache) -> Run:
    """The provenance of the newest forecast run, whatever its targets (NoForecastRunError without one)."""
    runs = cache.cached(("runs",), lambda f: fq.forecast_runs(f))
    if not runs:
        raise fq.no_forecast_run("country-year")
    return Run(**asdict(runs[0]))


def target_runs(items: list[CountryForecast]) -> dict[str, Run]:
    """Per target, the run its forecasts come from, when they do not all come from one run (else empty):
    after a run of one target (``gbvs forecast -t war``) the others still come from the run before."""
    runs = {item.target: item.run for item in items}
    return runs if len({run.run_id for run in runs.values()}) > 1 else {}


def specific_explanations(cache: ForecastCache) -> dict[fq.Key, CountryExplanation]:
    """The latest run's forecasts against the median country and the previous run.

    See :mod:`gbvs.forecasting.specific`.
    """
    return cache.cached(("specific",), lambda f: fq.specific_explanations(f))


def watchlist_view(
    cache: ForecastCache, store: StoreGateway, lang: str, words: Translations, region: str | None = None
) -> WatchlistView:
    """The watchlist (optionally of one focus region), named and worded in ``lang`` (``words``: its
    catalogue)."""
    found = cache.cached(
        ("watchlist", region),
        lambda f: fq.watchlist(f, rules=load_rules(cache.settings.data_dir), region=region),
    )
    countries = _by_gwcode(store, lang)
    latest = cache.cached(("latest",), lambda f: fq.latest_forecasts(f))
    rules = found.rules
    same = {f.unit_key: f for f in latest if f.target == rules.target and f.horizon == rules.horizon}
    specific = specific_explanations(cache)
    worder = alert_worder(words, lang)
    rows = [
        _watch_row(entry, countries[entry.unit_key], same.get(entry.unit_key), worder).model_copy(
            update={"explanation": specific.get((entry.unit_key, rules.target, rules.horizon))}
        )
        for entry in found.entries
        if entry.unit_key in countries
    ]
    thresholds = {
        "threshold": found.rules.threshold,
        "jump": found.rules.jump,
        "watch_from": found.rules.watch_from,
    }
    return WatchlistView(
        rows=rows,
        target=found.rules.target,
        horizon=found.rules.horizon,
        forecast_period=max((f.forecast_period for f in same.values()), default=None),
        rules=thresholds,
        latest_run=Run(**asdict(found.latest)),
        previous_run=Run(**asdict(found.previous)) if found.previous else None,
    )


def backtest_report(cache: ForecastCache) -> fq.BacktestReport:
    """The latest stored backtest report (scores, baselines, DemSpaces comparison, reliability)."""
    return cache.cached(("backtest",), lambda f: fq.backtest_metrics(f))


def _by_gwcode(store: StoreGateway, lang: str) -> dict[int, Country]:
    return {country.gwcode: country for country in list_countries(store, lang)}


def _country_forecast(item: fq.Forecast, country: Country) -> CountryForecast:
    spread = item.p_range  # lowest/highest p over the run's seeds (None for older, single-seed runs)
    return CountryForecast(
        iso3=country.iso3,
        gwcode=country.gwcode,
        name=country.name,
        target=item.target,
        horizon=item.horizon,
        origin=item.origin,
        forecast_period=item.forecast_period,
        p=item.p,
        level=risk_level(item.p) if item.p is not None else None,
        quantiles=item.quantiles,
        families=item.families,
        summary=item.summary,
        run=Run(**asdict(item.run)),
        p_low=spread[0] if spread else None,
        p_high=spread[1] if spread else None,
        p_sd=item.p_sd,
    )


def alert_worder(words: Translations, lang: str) -> Callable[[Alert], str]:
    """How an alert reads in ``lang`` (``words``: its catalogue; a jump of one point in the singular)."""
    return lambda alert: alert_words(alert, words.gettext, lambda v: numbers.percent(v, lang), words.ngettext)


def _watch_row(
    entry: fq.WatchlistEntry, country: Country, forecast: fq.Forecast | None, worded: Callable[[Alert], str]
) -> WatchlistRow:
    spread = forecast.p_range if forecast is not None else None
    return WatchlistRow(
        rank=entry.rank_risk,
        iso3=country.iso3,
        gwcode=country.gwcode,
        name=country.name,
        p=entry.p,
        level=risk_level(entry.p) or "low",
        previous=entry.previous,
        change=entry.change,
        status=entry.status,
        alerts=[worded(alert) for alert in entry.alerts],
        alert_details=list(entry.alerts),
        summary=entry.summary,
        families=forecast.families if forecast is not None else {},
        p_low=spread[0] if spread else None,
        p_high=spread[1] if spread else None,
    )


SUMMARY_TOP = 2
SUMMARY_UP = N_("risk up mainly from %(families)s")
SUMMARY_DOWN = N_("risk down mainly from %(families)s")
SUMMARY_NONE = N_("no driver moves the risk away from the base rate")
SUMMARY_LOWERS = N_("; %(family)s lowers it")
SUMMARY_RAISES = N_("; %(family)s raises it")


def explain(families: dict[str, float], gettext: Callable[[str], str], lang: str) -> str:
    """The main drivers of a forecast in words, in the interface language (from the contributions;
    only families pushing the way the forecast moves are named as its cause)."""
    found = main_drivers(families, SUMMARY_TOP)
    if found is None:
        return gettext(SUMMARY_NONE)
    names = gettext(" and ").join(family_label(name, lang) for name in found.along)
    text = gettext(SUMMARY_UP if found.up else SUMMARY_DOWN) % {"families": names}
    if found.against:
        against = gettext(SUMMARY_LOWERS if found.up else SUMMARY_RAISES)
        text += against % {"family": family_label(found.against, lang)}
    return text


def wording(gettext: Callable[[str], str], lang: str) -> Wording:
    """How explanations are worded in ``lang``: its catalogue and Babel's number formats."""
    return Wording(
        gettext=gettext,
        lang=lang,
        signed=lambda value: numbers.signed(value, lang, 2),
        percent=lambda value: numbers.percent(value, lang),
    )


def explanation_text(
    item: CountryForecast | WatchlistRow, gettext: Callable[[str], str], lang: str, *, change: bool = True
) -> str:
    """What sets a forecast apart, in words (``change``: with what moved since the previous run).

    Without contributions (an older run) the main drivers are named as before, or the stored summary.
    """
    if item.explanation is not None:
        return describe(item.explanation, wording(gettext, lang), change=change)
    return explain(item.families, gettext, lang) if item.families else item.summary


LEFT_OUT = N_(
    "The latest forecast run (made on %(day)s) has no forecast for %(country)s: the model forecasts the "
    "countries with data in the country-year panel for its last data year, %(cutoff)s, and the panel holds "
    "%(country)s only up to %(last)s."
)
LEFT_OUT_NO_YEAR = N_(
    "The latest forecast run (made on %(day)s) has no forecast for %(country)s: the model forecasts the "
    "countries with data in the country-year panel for its last data year, %(cutoff)s, and the panel holds "
    "no year of %(country)s."
)
LEFT_OUT_OLDER = N_(
    "The latest forecast run (made on %(day)s) has no forecast for %(country)s, although the country-year "
    "panel now holds it for %(cutoff)s, the run's last data year: the store has changed since the run. A new "
    "forecast run will include it."
)


def left_out(
    cache: ForecastCache, country: Country, lang: str, gettext: Callable[[str], str], last_year: int | None
) -> tuple[str, list[str]]:
    """Why the latest run has no forecast for ``country`` (whose panel ends in ``last_year``), and the
    commands that would give it one (none: the model forecasts only the countries with a panel row in
    the run's last data year, so a new run helps only when the store has changed since)."""
    run = latest_run(cache)
    values = {
        "day": numbers.day(run.created_at, lang),
        "country": in_sentence(country.iso3, lang),
        "cutoff": run.training_cutoff,
        "last": last_year,
    }
    if last_year is None:
        return gettext(LEFT_OUT_NO_YEAR) % values, []
    if run.training_cutoff is not None and last_year < run.training_cutoff:
        return gettext(LEFT_OUT) % values, []
    return gettext(LEFT_OUT_OLDER) % values, ["gbvs forecast"]
