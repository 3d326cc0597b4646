"""The frozen warning: a copy of the forecast and its explanation as they were when a case was opened.

The copy goes into the case record as JSON (model version, training cutoff, data vintage and the
run id included), so a later forecast run cannot change what the decision was based on. A case opened
from a displacement forecast keeps that forecast too (``displacement``), beside the conflict warning.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from datetime import datetime
from typing import Any

import pandas as pd

from gbvs.actions.gap import AlertEvent
from gbvs.forecasting.queries import (
    Forecast,
    RunInfo,
    driver_goals,
    drivers_of,
    run_forecasts,
    watched_runs_newest_first,
)
from gbvs.forecasting.watchlist import AlertRules
from gbvs.store.forecasts import ForecastsReader, StoredRun

NO_FORECAST = "no forecast run was stored when this case was opened"
DISPLACEMENT_QUANTILES: tuple[str, ...] = ("q05", "q25", "q50", "q75", "q95")


def freeze(
    forecasts: ForecastsReader,
    run: RunInfo,
    gwcodes: list[int],
    rules: AlertRules,
    alert: AlertEvent | None = None,
) -> dict[str, Any]:
    """The warning of ``run`` for ``gwcodes`` as plain JSON (the watched target's explanation first)."""
    goals = driver_goals()
    countries = []
    for gwcode in gwcodes:
        items = run_forecasts(forecasts, run, gwcode=gwcode)
        watched = [f for f in items if f.target == rules.target and f.horizon == rules.horizon]
        countries.append(
            {
                "gwcode": gwcode,
                "forecasts": [_forecast(f) for f in items],
                "drivers": [asdict(d) for d in drivers_of(watched[0], goals)] if watched else [],
                "summary": watched[0].summary if watched else "",
            }
        )
    return {
        "run": asdict(run),
        "rules": asdict(rules),
        "alert": _alert(alert) if alert else None,
        "countries": countries,
    }


def freeze_displacement(run: StoredRun, gwcode: int, rows: pd.DataFrame) -> dict[str, Any]:
    """The displacement forecast a case is opened from as plain JSON: the run's provenance (model
    version, training cutoff, data vintage) and the country's quantiles per target and horizon."""
    quantiles = [c for c in rows.columns if c in DISPLACEMENT_QUANTILES]
    return {
        "run": {
            "run_id": run.run_id,
            "created_at": run.created_at.isoformat(),
            "model": run.model,
            "model_version": run.model_version,
            "training_cutoff": run.training_cutoff,
            "data_vintage": run.data_vintage,
        },
        "gwcode": gwcode,
        "forecasts": [
            {
                "target": str(row["target"]),
                "horizon": int(row["horizon"]),
                "origin": int(row["origin"]),
                "forecast_period": int(row["forecast_period"]),
                **{q: float(row[q]) for q in quantiles},
            }
            for _, row in rows.sort_values(["target", "horizon"]).iterrows()
        ],
    }


def newer_run(
    forecasts: ForecastsReader | None, warning: Mapping[str, Any], rules: AlertRules
) -> RunInfo | None:
    """The latest stored run of the watchlist's target and horizon when it is newer than the run the
    case's warning was frozen from, so the case can say that it keeps the forecast it was opened with;
    None while the frozen run is still the latest (or without forecasts or a frozen run)."""
    frozen = warning.get("run")
    if forecasts is None or not frozen:
        return None
    latest = next(iter(watched_runs_newest_first(forecasts, rules, unit=frozen["unit"])), None)
    if latest is None or latest[0].run_id == frozen["run_id"]:
        return None
    newer = datetime.fromisoformat(latest[0].created_at) > datetime.fromisoformat(frozen["created_at"])
    return latest[0] if newer else None


def no_forecast(reason: str = NO_FORECAST) -> dict[str, Any]:
    """The warning of a case opened when no forecast was available (kept, so the gap says so)."""
    return {"run": None, "rules": None, "alert": None, "countries": [], "note": reason}


def _forecast(item: Forecast) -> dict[str, Any]:
    return {
        "target": item.target,
        "horizon": item.horizon,
        "origin": item.origin,
        "forecast_period": item.forecast_period,
        "p": item.p,
        "p_range": list(item.p_range) if item.p_range else None,
        "quantiles": item.quantiles,
    }


def _alert(alert: AlertEvent) -> dict[str, Any]:
    """The alert as the case keeps it: its run, probabilities and the alerts structured
    (``alert_details``: kind, threshold or change; worded in the reader's language where shown), with
    the English sentences (``alerts``) that cases opened before the structure was kept hold alone."""
    return {
        "reference": alert.reference,
        "run_id": alert.run_id,
        "raised_at": alert.raised_at.isoformat(),
        "p": alert.p,
        "previous": alert.previous,
        "alerts": [a.text for a in alert.alerts],
        "alert_details": [asdict(a) for a in alert.alerts],
        "forecast_period": alert.forecast_period,
    }
