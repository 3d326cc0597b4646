"""Read functions for the web app and the CLI: latest forecasts, watchlist, backtest metrics, explanations.

Each takes the forecasts file opened once by the caller (``with open_forecasts(path) as forecasts:``,
from :mod:`gbvs.store.forecasts`) and returns dataclasses with provenance (model version, training
cutoff, data vintage, seed, created_at). "No run yet" is a :class:`~gbvs.errors.NoForecastRunError`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from itertools import islice
from typing import Any

import pandas as pd

from gbvs.drivers.families import family_label
from gbvs.errors import GBVSError, NoForecastRunError, NotFoundError, said
from gbvs.forecasting.regions import check_region, region_members
from gbvs.forecasting.specific import FAMILIES_KEY, CountryExplanation, Key, explain_countries
from gbvs.forecasting.watchlist import Alert, AlertRules, rank
from gbvs.store.forecasts import ForecastsReader, StoredRun


@dataclass(frozen=True)
class RunInfo:
    """Provenance of one forecast run."""

    run_id: str
    created_at: str
    unit: str
    model_version: str
    training_cutoff: int | None
    data_vintage: str
    seed: int | None


@dataclass(frozen=True)
class Forecast:
    """One forecast: unit (gwcode or grid id), target, horizon, period forecast, probability or quantiles."""

    unit_key: int
    target: str
    horizon: int
    origin: int
    forecast_period: int
    p: float | None
    quantiles: dict[str, float] | None
    families: dict[str, float]
    summary: str
    run: RunInfo
    p_range: tuple[float, float] | None = None
    """Lowest and highest probability over the run's seeds (None for count targets and old runs)."""
    p_sd: float | None = None


@dataclass(frozen=True)
class WatchlistEntry:
    """A watchlist row."""

    unit_key: int
    p: float
    previous: float | None
    change: float | None
    rank_risk: int
    status: str
    alerts: list[Alert]
    summary: str
    rank_change: int | None = None


@dataclass(frozen=True)
class Watchlist:
    """Ranked entries, the rules applied and the runs compared."""

    entries: list[WatchlistEntry]
    rules: AlertRules
    latest: RunInfo
    previous: RunInfo | None
    region: str | None = None
    notes: list[str] = field(default_factory=list)


def _info(run: StoredRun) -> RunInfo:
    return RunInfo(
        run_id=run.run_id,
        created_at=str(run.created_at),
        unit=run.unit,
        model_version=run.model_version,
        training_cutoff=run.training_cutoff,
        data_vintage=run.data_vintage,
        seed=run.seed,
    )


def run_info(run: StoredRun) -> RunInfo:
    """The provenance of a stored run as the queries return it."""
    return _info(run)


def _latest_run(forecasts: ForecastsReader, unit: str, skip: int = 0) -> RunInfo | None:
    runs = forecasts.runs("forecast", unit)
    return _info(runs[skip]) if len(runs) > skip else None


def _forecast(row: pd.Series, run: RunInfo) -> Forecast:
    quantiles = {q: float(row[q]) for q in ("q05", "q25", "q50", "q75", "q95") if not pd.isna(row[q])}
    return Forecast(
        unit_key=int(row["unit_key"]),
        target=str(row["target"]),
        horizon=int(row["horizon"]),
        origin=int(row["origin"]),
        forecast_period=int(row["forecast_period"]),
        p=None if pd.isna(row["p"]) else float(row["p"]),
        quantiles=quantiles or None,
        families=json.loads(row["families"]) if row["families"] else {},
        summary=str(row["summary"]),
        run=run,
        p_range=_spread(row),
        p_sd=_optional(row, "p_sd"),
    )


def _optional(row: pd.Series, column: str) -> float | None:
    value = row.get(column)
    return None if value is None or pd.isna(value) else float(value)


def _spread(row: pd.Series) -> tuple[float, float] | None:
    low, high = _optional(row, "p_min"), _optional(row, "p_max")
    return None if low is None or high is None else (low, high)


def latest_forecasts(
    forecasts: ForecastsReader, *, unit: str = "country-year", target: str | None = None
) -> list[Forecast]:
    """For each target (or only ``target``), the forecasts of the newest run that forecasts it, each with
    that run's provenance, by target, horizon and unit.

    A run of one target (``gbvs forecast -t war``) is the newest for that target only; the other targets
    keep the run before, as the watchlist does (:func:`watched_runs_newest_first`)."""
    by_target = runs_by_target(forecasts, unit=unit)
    read = _RunRows(forecasts)
    found: list[Forecast] = []
    for name in sorted(by_target):
        if target in (None, name):
            stored = by_target[name][0]
            run = _info(stored)
            found.extend(_forecast(r, run) for _, r in read.of_target(stored, name).iterrows())
    return found


class _RunRows:
    """The rows of stored runs, each run read once (a run of several targets serves each of them)."""

    def __init__(self, forecasts: ForecastsReader) -> None:
        self._forecasts = forecasts
        self._rows: dict[str, pd.DataFrame] = {}

    def of_target(self, run: StoredRun, target: str) -> pd.DataFrame:
        if run.run_id not in self._rows:
            self._rows[run.run_id] = self._forecasts.forecast_rows(run.run_id)
        rows = self._rows[run.run_id]
        return rows[rows["target"] == target]


def no_forecast_run(unit: str) -> NoForecastRunError:
    """The error of a forecasts file without a forecast run for ``unit``: it says to run `gbvs forecast`."""
    return NoForecastRunError(said("no forecast run for unit %(unit)s; run `gbvs forecast`", unit=repr(unit)))


def runs_by_target(forecasts: ForecastsReader, *, unit: str = "country-year") -> dict[str, list[StoredRun]]:
    """Per target, the stored runs that forecast it, newest first (NoForecastRunError without a run)."""
    runs = forecasts.runs("forecast", unit)
    if not runs:
        raise no_forecast_run(unit)
    held = forecasts.run_targets([run.run_id for run in runs])
    by_target: dict[str, list[StoredRun]] = {}
    for run in runs:
        for name in sorted(held.get(run.run_id, ())):
            by_target.setdefault(name, []).append(run)
    return by_target


@dataclass(frozen=True)
class DriverContribution:
    """One driver family's contribution (log-odds) to a forecast, and the strategy goals addressing it."""

    family: str
    label: str
    contribution: float
    goals: list[int]


@dataclass(frozen=True)
class Explanation:
    """A forecast with its contributions by driver family, largest first."""

    forecast: Forecast
    drivers: list[DriverContribution]


def explanation(forecasts: ForecastsReader, *, gwcode: int, unit: str = "country-year") -> list[Explanation]:
    """The latest forecasts for one country (:func:`latest_forecasts`): contributions per driver family,
    linked to strategy goals."""
    found = [f for f in latest_forecasts(forecasts, unit=unit) if f.unit_key == gwcode]
    if not found:
        raise NotFoundError(
            f"country {gwcode} has no forecast in the latest runs; check the gwcode (e.g. 652 = Syria)"
        )
    goals = driver_goals()
    return [Explanation(f, _drivers(f.families, goals)) for f in found]


def _drivers(families: dict[str, float], goals: dict[str, list[int]]) -> list[DriverContribution]:
    ranked = sorted(families.items(), key=lambda kv: abs(kv[1]), reverse=True)
    return [DriverContribution(k, family_label(k), v, goals.get(k, [])) for k, v in ranked]


def specific_explanations(
    forecasts: ForecastsReader, *, unit: str = "country-year"
) -> dict[Key, CountryExplanation]:
    """What sets each forecast of :func:`latest_forecasts` apart: its driver families against the median
    country of the same target and horizon, and the shifts since the run before that forecasts the same
    target (when there is one)."""
    read = _RunRows(forecasts)
    found: dict[Key, CountryExplanation] = {}
    for name, runs in runs_by_target(forecasts, unit=unit).items():
        latest, previous = runs[0], (runs[1] if len(runs) > 1 else None)
        before = read.of_target(previous, name) if previous else None
        regrouped = previous is not None and _families_of(previous) != _families_of(latest)
        found |= explain_countries(read.of_target(latest, name), before, regrouped=regrouped)
    return found


def _families_of(run: StoredRun) -> str | None:
    """The run's feature -> driver family fingerprint (None for runs stored before it was recorded)."""
    try:
        config = json.loads(run.config or "{}")
    except json.JSONDecodeError:
        return None
    value = config.get(FAMILIES_KEY) if isinstance(config, dict) else None
    return value if isinstance(value, str) else None


def driver_goals() -> dict[str, list[int]]:
    """Driver id -> numbers of the strategy goals that address it (empty when the strategy is absent)."""
    try:
        from gbvs.strategy import load_strategy

        strategy = load_strategy()
        return {d.id: sorted(g.number for g in strategy.goals_for_driver(d.id)) for d in strategy.drivers}
    except GBVSError:
        return {}


def watchlist(
    forecasts: ForecastsReader, *, rules: AlertRules, region: str | None = None, unit: str = "country-year"
) -> Watchlist:
    """Countries ranked by risk and change since the previous run, with alerts (``rules``: ``load_rules``).

    The latest run and the one before are those that forecast the rules' target and horizon
    (:func:`watched_runs_newest_first`): a run of other targets only (``gbvs forecast -t war``) would
    leave an empty list that reads as "no alerts".
    """
    if _latest_run(forecasts, unit) is None:
        raise no_forecast_run(unit)
    watched = list(islice(watched_runs_newest_first(forecasts, rules, unit=unit), 2))
    if not watched:
        raise NoForecastRunError(
            said(
                "no forecast run for unit %(unit)s forecasts the watchlist's target %(target)s "
                "%(horizon)s year(s) ahead; run `gbvs forecast` with that target",
                unit=repr(unit),
                target=repr(rules.target),
                horizon=rules.horizon,
            )
        )
    latest, now = watched[0]
    previous, before = watched[1] if len(watched) > 1 else (None, None)
    table = rank(now, before, rules)
    if region is not None:
        members = check_region(region, region_members())
        table = table[table["unit_key"].isin(members)]
    entries = [_entry(r) for _, r in table.iterrows()]
    return Watchlist(entries, rules, latest, previous, region)


def _picker(rules: AlertRules) -> Any:
    def pick(rows: pd.DataFrame) -> pd.DataFrame:
        return rows[(rows["target"] == rules.target) & (rows["horizon"] == rules.horizon)]

    return pick


def _entry(row: pd.Series) -> WatchlistEntry:
    def opt(value: Any) -> float | None:
        return None if pd.isna(value) else float(value)

    return WatchlistEntry(
        unit_key=int(row["unit_key"]),
        p=float(row["p"]),
        previous=opt(row["previous"]),
        change=opt(row["change"]),
        rank_risk=int(row["rank_risk"]),
        status=str(row["status"]),
        alerts=list(row["alerts"]),
        summary=str(row["summary"]),
        rank_change=None if pd.isna(row["rank_change"]) else int(row["rank_change"]),
    )


@dataclass(frozen=True)
class BacktestReport:
    """A stored backtest report (``report.json`` of ``gbvs backtest``) and the run that wrote it.

    Score, goal and comparison rows keep the report's columns (a score row has ``<metric>_mean`` and
    ``<metric>_std`` per metric the run scored); a key an older report lacks is empty.
    """

    run: RunInfo
    title: str
    provenance: dict[str, Any]
    goals: list[dict[str, Any]]
    scores: list[dict[str, Any]]
    demspaces_comparison: list[dict[str, Any]]
    reliability: dict[str, Any]
    notes: list[str]
    document: dict[str, Any] = field(repr=False)
    """The whole JSON document as stored (also extra sections, timings and charts)."""
    reliability_spaces: dict[str, Any] = field(default_factory=dict)
    """The democratic-space forecasts' reliability, the six spaces pooled per direction (``closing``,
    ``opening``): ``{direction: {model: curve}}``; empty in reports from before it was kept."""
    demspaces_differences: list[dict[str, Any]] = field(default_factory=list)
    """Main model − DemSpaces v14 per direction and metric with its 95% interval (``difference``, ``low``,
    ``high``, ``n``); empty in quick runs and in reports from before it was kept."""
    comparisons: list[dict[str, Any]] = field(default_factory=list)
    """Point 3's threshold goals as paired comparisons with the conflict-history baseline, in the goals'
    form (:func:`gbvs.forecasting.goals.comparison_rows`); empty in quick runs and older reports."""
    interval_method: dict[str, Any] = field(default_factory=dict)
    """How the intervals were drawn (``level``, ``resamples``, ``resampled``: ``"country"`` in older
    reports, ``["country", "origin"]`` when the forecast years are drawn too); empty where the report has
    none."""

    def as_dict(self) -> dict[str, Any]:
        """The JSON document with the run's provenance under ``run`` (the API's and the report's form)."""
        return {"run": asdict(self.run), **self.document}


def backtest_metrics(forecasts: ForecastsReader, *, unit: str = "country-year") -> BacktestReport:
    """The latest stored backtest report for a unit; NoForecastRunError (with the fix) when there is none."""
    runs = forecasts.runs("backtest", unit)
    if not runs:
        raise NoForecastRunError(
            said("no backtest stored for unit %(unit)s; run `gbvs backtest`", unit=repr(unit))
        )
    document: dict[str, Any] = json.loads(forecasts.backtest_report(runs[0].run_id))
    return BacktestReport(
        run=_info(runs[0]),
        title=str(document.get("title") or ""),
        provenance=dict(document.get("provenance") or {}),
        goals=list(document.get("goals") or []),
        scores=list(document.get("scores") or []),
        demspaces_comparison=list(document.get("demspaces_comparison") or []),
        reliability=dict(document.get("reliability") or {}),
        notes=[str(note) for note in document.get("notes") or []],
        reliability_spaces=dict(document.get("reliability_spaces") or {}),
        demspaces_differences=list(document.get("demspaces_differences") or []),
        interval_method=dict(document.get("interval_method") or {}),
        comparisons=list(document.get("comparisons") or []),
        document=document,
    )


def as_dict(value: Any) -> Any:
    """Dataclass (or list of them) -> JSON-ready dict."""
    if isinstance(value, list):
        return [as_dict(v) for v in value]
    return asdict(value)


# Early action (gbvs.actions) freezes a warning from any stored run, not only the latest.
def forecast_runs(forecasts: ForecastsReader, *, unit: str = "country-year") -> list[RunInfo]:
    """Every stored forecast run for ``unit``, newest first (the forecasts file keeps them all)."""
    return [_info(run) for run in forecasts.runs("forecast", unit)]


def run_forecasts(forecasts: ForecastsReader, run: RunInfo, *, gwcode: int | None = None) -> list[Forecast]:
    """The forecasts of one stored run (optionally one country)."""
    rows = forecasts.forecast_rows(run.run_id)
    if gwcode is not None:
        rows = rows[rows["unit_key"] == gwcode]
    return [_forecast(r, run) for _, r in rows.iterrows()]


def drivers_of(forecast: Forecast, goals: dict[str, list[int]]) -> list[DriverContribution]:
    """A forecast's contributions per driver family, largest first (``goals``: :func:`driver_goals`)."""
    return _drivers(forecast.families, goals)


def pick_watched(rows: pd.DataFrame, rules: AlertRules) -> pd.DataFrame:
    """The rows of the watchlist's target and horizon."""
    picked: pd.DataFrame = _picker(rules)(rows)
    return picked


def watched_runs_newest_first(
    forecasts: ForecastsReader, rules: AlertRules, *, unit: str = "country-year"
) -> Iterator[tuple[RunInfo, pd.DataFrame]]:
    """The stored runs that forecast the watchlist's target and horizon, newest first, each with those
    rows (read one run at a time). A run of other targets only is left out: it has nothing to compare,
    and it must not stand between two runs that do."""
    for run in forecast_runs(forecasts, unit=unit):
        rows = pick_watched(forecasts.forecast_rows(run.run_id), rules)
        if not rows.empty:
            yield run, rows
