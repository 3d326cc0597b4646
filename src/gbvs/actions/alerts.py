"""Every watchlist alert since the first forecast run, read from the forecasts file.

The forecasts file keeps every run (:mod:`gbvs.store.forecasts`), so the alerts of the past are
recomputed from the stored probabilities with the watchlist's rules: run *n* compared with run
*n - 1*, as ``gbvs watchlist`` did when run *n* was the latest, counting only the runs that forecast
the watchlist's target and horizon (a run for other targets is skipped, not compared). The first
such run raises no alerts (there is nothing to compare it with).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from gbvs.actions.gap import AlertEvent
from gbvs.countries import iso3_of
from gbvs.forecasting.queries import RunInfo, watched_runs_newest_first
from gbvs.forecasting.regions import region_members
from gbvs.forecasting.watchlist import AlertRules, load_rules, rank
from gbvs.store.forecasts import ForecastsReader


def _moment(created_at: str) -> datetime:
    moment = datetime.fromisoformat(created_at)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def watched_runs(
    forecasts: ForecastsReader, rules: AlertRules, *, unit: str = "country-year"
) -> list[tuple[RunInfo, pd.DataFrame]]:
    """The stored runs that forecast the watchlist's target and horizon, oldest first, each with
    those rows. A run for other targets only (e.g. ``gbvs forecast -t war``) is left out: it has
    nothing to compare, and it must not stand between two runs that do."""
    return list(reversed(list(watched_runs_newest_first(forecasts, rules, unit=unit))))


def alert_history(
    forecasts: ForecastsReader, rules: AlertRules, *, unit: str = "country-year"
) -> list[AlertEvent]:
    """Every alert of every stored run of the watchlist's target and horizon, oldest run first;
    each such run is compared with the previous such run (:func:`watched_runs`)."""
    return alerts_of(watched_runs(forecasts, rules, unit=unit), rules)


def alerts_of(runs: list[tuple[RunInfo, pd.DataFrame]], rules: AlertRules) -> list[AlertEvent]:
    """The alerts of :func:`watched_runs`' runs, each compared with the one before."""
    regions = _regions_by_country()
    found: list[AlertEvent] = []
    for index in range(1, len(runs)):
        following = runs[index + 1][0] if index + 1 < len(runs) else None
        found.extend(_run_alerts(runs[index], runs[index - 1], following, rules, regions))
    return found


def run_alerts(
    forecasts: ForecastsReader, run_id: str, rules: AlertRules, *, unit: str = "country-year"
) -> list[AlertEvent]:
    """The alerts raised by one stored run (empty for the first run of the watchlist's target and
    horizon, for a run without them, or for an unknown one)."""
    runs = watched_runs(forecasts, rules, unit=unit)
    index = next((i for i, (run, _) in enumerate(runs) if run.run_id == run_id), 0)
    if index == 0:
        return []
    following = runs[index + 1][0] if index + 1 < len(runs) else None
    return _run_alerts(runs[index], runs[index - 1], following, rules, _regions_by_country())


def _run_alerts(
    current: tuple[RunInfo, pd.DataFrame],
    previous: tuple[RunInfo, pd.DataFrame],
    following: RunInfo | None,
    rules: AlertRules,
    regions: dict[int, tuple[str, ...]],
) -> list[AlertEvent]:
    run, now = current
    before = previous[1]
    periods = dict(zip(now["unit_key"].astype(int), now["forecast_period"].astype(int), strict=True))
    table = rank(now, before, rules)
    events = []
    for _, row in table[table["alerts"].map(bool)].iterrows():
        gwcode = int(row["unit_key"])
        events.append(
            AlertEvent(
                run_id=run.run_id,
                raised_at=_moment(run.created_at),
                gwcode=gwcode,
                iso3=iso3_of(gwcode),
                regions=regions.get(gwcode, ()),
                p=float(row["p"]),
                previous=None if row["previous"] != row["previous"] else float(row["previous"]),
                alerts=tuple(row["alerts"]),
                forecast_period=periods[gwcode],
                next_run_at=_moment(following.created_at) if following else None,
            )
        )
    return events


@dataclass(frozen=True)
class RulesInForce:
    """The alert rules the gap is computed with, and where they come from: the shipped
    ``watchlist.yaml`` or, key by key, ``<data_dir>/watchlist.yaml`` (``overridden`` names those keys)."""

    rules: AlertRules
    source: str
    """``shipped`` or ``data_folder``."""
    overridden: tuple[str, ...]
    file: str | None


def rules_in_force(data_dir: Path | None) -> RulesInForce:
    """The rules of this installation (:func:`gbvs.forecasting.watchlist.load_rules`) with their source."""
    rules, shipped = load_rules(data_dir), load_rules()
    overridden = tuple(name for name in asdict(rules) if getattr(rules, name) != getattr(shipped, name))
    override = data_dir / "watchlist.yaml" if data_dir else None
    if not overridden:
        return RulesInForce(rules, "shipped", (), None)
    return RulesInForce(rules, "data_folder", overridden, str(override))


def _regions_by_country() -> dict[int, tuple[str, ...]]:
    found: dict[int, list[str]] = {}
    for region, members in region_members().items():
        for gwcode in members:
            found.setdefault(gwcode, []).append(region)
    return {gwcode: tuple(sorted(names)) for gwcode, names in found.items()}
