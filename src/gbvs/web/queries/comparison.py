"""Two to four countries side by side: latest forecasts, driver indicators and conflict history.

One query serves the page ``/vergelijken`` and ``/api/v1/country-comparisons`` (JSON, CSV, Excel). It reads
through the existing queries (countries, drivers, forecasts, sources) and adds no store read of its own.
A country is named by its ISO3 code (any case) or its Gleditsch-Ward code, through :mod:`gbvs.countries`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from pydantic import BaseModel, Field

from gbvs import countries
from gbvs.drivers import Indicator, load_mapping
from gbvs.drivers.families import family_label
from gbvs.drivers.units import unit_name
from gbvs.errors import InputError, NoForecastRunError, NotFoundError, in_words
from gbvs.forecasting.domain import TARGETS
from gbvs.panels.provenance import origin_tables
from gbvs.web.labels import target_name
from gbvs.web.queries.countries import HISTORY_TABLES, ConflictYear, Country, conflict_history, list_countries
from gbvs.web.queries.drivers import available_indicators, indicator_series
from gbvs.web.queries.forecasts import (
    LEVEL_NAMES,
    TARGET_NAMES,
    CountryForecast,
    ForecastCache,
    Run,
    country_forecasts,
)
from gbvs.web.queries.sources import Source, indicator_provenance, list_sources
from gbvs.web.render import N_
from gbvs.web.store import StoreGateway

Gettext = Callable[[str], str]
MIN_COUNTRIES, MAX_COUNTRIES = 2, 4
HISTORY_SERIES: tuple[str, ...] = ("conflict", "war", "brd_best", "brd_located_best")
"""The key series of the export, labelled and sourced by the driver mapping (deaths by conflict and where
the fighting happened, each under its own name)."""

UNKNOWN_CODE = N_(
    "country '%(value)s' is neither an ISO3 code nor a Gleditsch-Ward code; "
    "give e.g. SYR or 652 for Syria, IRQ or 645 for Iraq, MLI or 432 for Mali"
)
NOT_IN_STORE = N_(
    "country '%(value)s' has no data in the store; choose a country from the list (or /api/v1/countries)"
)
TOO_FEW = N_(
    "a comparison needs %(min)s to %(max)s countries, you gave %(n)s (%(given)s); "
    "add a country to compare with"
)
TOO_MANY = N_(
    "a comparison needs %(min)s to %(max)s countries, you gave %(n)s (%(given)s); "
    "leave out at least %(extra)s"
)
DUPLICATE = N_("country %(name)s is given twice (%(codes)s); choose each country once")


class ComparisonChoiceError(InputError):
    """The countries asked for cannot be compared; the message names the value and the fix.

    ``str(error)`` is the English text (the API's problem detail); :meth:`in_language` the page's.
    """

    def __init__(self, template: str, **values: Any) -> None:
        self.template = template
        self.values = values
        super().__init__(template % values)

    def in_language(self, gettext: Gettext) -> str:
        """The message in the interface language of ``gettext``."""
        return gettext(self.template) % self.values


class ForecastCell(BaseModel):
    """One country's forecast of one target and horizon, with its uncertainty and its run."""

    iso3: str
    p: float | None = Field(description="probability (null for a count target)")
    p_low: float | None = Field(description="lowest probability over the run's seeds")
    p_high: float | None = Field(description="highest probability over the run's seeds")
    level: str | None
    level_name: str | None
    median: float | None = Field(description="median of a count forecast (q50)")
    low: float | None = Field(description="5% quantile of a count forecast (q05)")
    high: float | None = Field(description="95% quantile of a count forecast (q95)")
    model_version: str
    training_cutoff: int | None
    data_vintage: str
    run_id: str
    created_at: str = Field(description="when the forecast run was made (UTC, e.g. 2026-06-01 00:00:00)")


class ForecastRow(BaseModel):
    """One target and horizon; ``values`` has one cell per compared country (null: no forecast)."""

    target: str
    target_name: str
    horizon: int
    forecast_period: int
    count: bool = Field(description="true for a count target (battle deaths): median and 5-95% range")
    values: list[ForecastCell | None]


class SourceRef(BaseModel):
    """Where a value comes from: the store table, its source's title, version and data vintage."""

    table_name: str
    title: str
    version: str
    vintage: str | None


class DriverCell(BaseModel):
    """A country's latest value of an indicator and the year it is from."""

    year: int
    value: float


class DriverRow(BaseModel):
    """One driver indicator (as on the driver monitor and the country page), one cell per country."""

    column: str
    label: str
    driver: str
    driver_name: str
    direction: int
    unit: str
    unit_name: str
    decimals: int = Field(description="Decimals a page shows the values with (the indicator's own)")
    source: SourceRef | None
    derived_by: str | None = Field(
        description="``GBVS <version> (<table>)`` when GBVS computes the values from the source (EPR's "
        "shares, Polity's factional competition), null for the source's own values"
    )
    values: list[DriverCell | None]


class HistoryRow(BaseModel):
    """One year of conflict history, one entry per country (null: the country has no panel row)."""

    year: int
    values: list[ConflictYear | None]


class HistorySummary(BaseModel):
    """A country's conflict history in a few figures."""

    iso3: str
    first_year: int | None
    last_year: int | None
    conflict_years: int
    war_years: int
    last_conflict_year: int | None
    peak_deaths: float | None
    peak_year: int | None
    status_year: int | None = Field(description="the year ``conflict_now`` is about (the forecasts' origin)")
    conflict_now: int | None


class CountryComparison(BaseModel):
    """Two to four countries side by side, each figure with its provenance."""

    countries: list[Country]
    forecasts: list[ForecastRow]
    forecast_missing: str | None = Field(
        description="why there are no forecasts, in the language asked for (null when there are)"
    )
    runs: list[Run]
    drivers: list[DriverRow]
    history: list[HistoryRow]
    summaries: list[HistorySummary]
    history_sources: list[SourceRef]


def parse_countries(values: Sequence[str], store: StoreGateway, lang: str) -> list[Country]:
    """The countries named in ``values`` (each may hold comma-separated codes), in the order given.

    ISO3 codes in any case and Gleditsch-Ward codes both work (``SYR``, ``syr``, ``652``). More than
    four codes, an unknown code, a country without data, a country named twice, or fewer than two
    countries raise :class:`ComparisonChoiceError` naming the value and the fix.
    """
    codes = [part.strip()[:40] for value in values for part in value.split(",") if part.strip()]
    given = ", ".join(codes) or "–"
    limits = {"min": MIN_COUNTRIES, "max": MAX_COUNTRIES, "n": len(codes), "given": given}
    if len(codes) > MAX_COUNTRIES:
        raise ComparisonChoiceError(TOO_MANY, **limits, extra=len(codes) - MAX_COUNTRIES)
    in_store = {country.gwcode: country for country in list_countries(store, lang)}
    chosen: dict[str, tuple[str, Country]] = {}
    for code in codes:
        country = _resolve(code, in_store)
        if country.iso3 in chosen:
            first = chosen[country.iso3][0]
            raise ComparisonChoiceError(DUPLICATE, name=country.name, codes=f"{first}, {code}")
        chosen[country.iso3] = (code, country)
    if len(chosen) < MIN_COUNTRIES:
        raise ComparisonChoiceError(TOO_FEW, **limits)
    return [country for _code, country in chosen.values()]


def _resolve(code: str, in_store: dict[int, Country]) -> Country:
    try:
        gwcode = countries.gwcode_of(code)
    except (NotFoundError, ValueError):  # ValueError: digits int() cannot read, such as "²"
        raise ComparisonChoiceError(UNKNOWN_CODE, value=code) from None
    found = in_store.get(gwcode)
    if found is None:
        raise ComparisonChoiceError(NOT_IN_STORE, value=code)
    return found


def compare(
    store: StoreGateway, cache: ForecastCache, lang: str, chosen: list[Country], gettext: Gettext
) -> CountryComparison:
    """The comparison of ``chosen`` (from :func:`parse_countries`), texts in ``lang``."""
    sources = {source.table_name: source for source in list_sources(store)}
    wanted = {country.iso3 for country in chosen}
    items: list[CountryForecast] = []
    missing: str | None = None
    try:
        items = [f for f in country_forecasts(cache, store, lang) if f.iso3 in wanted]
    except NoForecastRunError as exc:
        missing = in_words(exc.words, gettext, lang) if exc.words else str(exc)
    histories = [conflict_history(store, country.gwcode) for country in chosen]
    status_year = items[0].origin if items else None
    return CountryComparison(
        countries=chosen,
        forecasts=_forecast_rows(items, chosen, gettext),
        forecast_missing=missing,
        runs=list({f.run.run_id: f.run for f in items}.values()),
        drivers=_driver_rows(store, chosen, sources, lang),
        history=_history_rows(histories),
        summaries=[_summary(c, h, status_year) for c, h in zip(chosen, histories, strict=True)],
        history_sources=[_ref(sources[name]) for name in HISTORY_TABLES if name in sources],
    )


def _forecast_rows(
    items: list[CountryForecast], chosen: list[Country], gettext: Gettext
) -> list[ForecastRow]:
    """One row per target and horizon of the latest run, in the order of the forecasting targets."""
    position = {country.iso3: index for index, country in enumerate(chosen)}
    rows: dict[tuple[str, int], ForecastRow] = {}
    for item in items:
        row = rows.setdefault((item.target, item.horizon), _forecast_row(item, len(chosen), gettext))
        row.values[position[item.iso3]] = _forecast_cell(item, gettext)
    order = list(TARGETS)
    return [rows[key] for key in sorted(rows, key=lambda k: (_rank(order, k[0]), k[0], k[1]))]


def _rank(order: list[str], target: str) -> int:
    return order.index(target) if target in order else len(order)


def _forecast_row(item: CountryForecast, n: int, gettext: Gettext) -> ForecastRow:
    return ForecastRow(
        target=item.target,
        target_name=target_name(item.target, TARGET_NAMES, gettext),
        horizon=item.horizon,
        forecast_period=item.forecast_period,
        count=item.p is None,
        values=[None] * n,
    )


def _forecast_cell(item: CountryForecast, gettext: Gettext) -> ForecastCell:
    quantiles = item.quantiles or {}
    count = item.p is None
    return ForecastCell(
        iso3=item.iso3,
        p=item.p,
        p_low=item.p_low,
        p_high=item.p_high,
        level=item.level,
        level_name=gettext(LEVEL_NAMES[item.level]) if item.level in LEVEL_NAMES else item.level,
        median=quantiles.get("q50") if count else None,
        low=quantiles.get("q05") if count else None,
        high=quantiles.get("q95") if count else None,
        model_version=item.run.model_version,
        training_cutoff=item.run.training_cutoff,
        data_vintage=item.run.data_vintage,
        run_id=item.run.run_id,
        created_at=item.run.created_at,
    )


def driver_indicators(store: StoreGateway) -> list[Indicator]:
    """The indicators of the driver monitor and the country page (conflict history is shown apart)."""
    return [item for item in available_indicators(store) if item.driver != "conflict_history"]


def _driver_rows(
    store: StoreGateway, chosen: list[Country], sources: dict[str, Source], lang: str
) -> list[DriverRow]:
    indicators = driver_indicators(store)
    columns = tuple(item.column for item in indicators)
    latest = [_latest(indicator_series(store, country.gwcode, columns), columns) for country in chosen]
    rows = []
    for item in indicators:
        values = [found.get(item.column) for found in latest]
        if any(value is not None for value in values):
            rows.append(_driver_row(store, item, values, sources, lang))
    return rows


def _driver_row(
    store: StoreGateway,
    item: Indicator,
    values: list[DriverCell | None],
    sources: dict[str, Source],
    lang: str,
) -> DriverRow:
    source = next((sources[n] for n in origin_tables(item.source_table) if n in sources), None)
    return DriverRow(
        column=item.column,
        label=getattr(item.label, lang),
        driver=item.driver,
        driver_name=family_label(item.driver, lang),
        direction=item.direction,
        unit=item.unit,
        unit_name=unit_name(item.unit, lang),
        decimals=item.decimals,
        source=_ref(source) if source else None,
        derived_by=indicator_provenance(store, item).derived_by,
        values=values,
    )


def _latest(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> dict[str, DriverCell]:
    """Each column's value in the latest year it has one."""
    found: dict[str, DriverCell] = {}
    for row in rows:  # ordered by year, so a later year overwrites an earlier one
        for column in columns:
            value = _number(row.get(column))
            if value is not None:
                found[column] = DriverCell(year=int(row["year"]), value=value)
    return found


def _number(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if number != number else number


def _history_rows(histories: list[list[ConflictYear]]) -> list[HistoryRow]:
    by_year = [{row.year: row for row in history} for history in histories]
    years = sorted({year for rows in by_year for year in rows})
    return [HistoryRow(year=year, values=[rows.get(year) for rows in by_year]) for year in years]


def _summary(country: Country, history: list[ConflictYear], status_year: int | None) -> HistorySummary:
    conflict = [row.year for row in history if row.conflict]
    deaths = [row for row in history if row.brd_best]  # a highest year of zero deaths is no peak
    peak = max(deaths, key=lambda row: row.brd_best or 0.0) if deaths else None
    year = status_year if status_year is not None else (history[-1].year if history else None)
    now = next((row.conflict for row in history if row.year == year), None)
    return HistorySummary(
        iso3=country.iso3,
        first_year=history[0].year if history else None,
        last_year=history[-1].year if history else None,
        conflict_years=len(conflict),
        war_years=sum(1 for row in history if row.war),
        last_conflict_year=conflict[-1] if conflict else None,
        peak_deaths=peak.brd_best if peak else None,
        peak_year=peak.year if peak else None,
        status_year=year,
        conflict_now=now,
    )


def history_labels(lang: str) -> dict[str, tuple[str, str, str]]:
    """Label, unit and source table of the key history series, from the driver mapping (as the driver
    monitor has them)."""
    return {
        item.column: (getattr(item.label, lang), item.unit, item.source_table)
        for item in load_mapping()
        if item.column in HISTORY_SERIES
    }


def _ref(source: Source) -> SourceRef:
    return SourceRef(
        table_name=source.table_name, title=source.title, version=source.version, vintage=source.vintage
    )
