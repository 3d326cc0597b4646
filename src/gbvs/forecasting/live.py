"""The live forecast: fit on everything observed and forecast the periods after the last one.

Uses the same :func:`gbvs.forecasting.engine.origin_frame` and :func:`fit_predict` as the backtest,
with the origin set to the last observed period. The main model is fitted once per seed (the same
seeds as the backtest) and the forecast is their mean, so a country's probability does not move
with the choice of one seed; the spread over seeds (``p_min``, ``p_max``, ``p_sd``) is stored with
it. A model that is the same at every seed (``seed_free()``: the democratic-space models) is fitted
once and has no spread (null, not a range of zero width). Count targets pool the seeds' samples.
Output rows carry the family contributions (mean over seeds).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from gbvs.errors import ForecastError
from gbvs.forecasting.domain import Target, TargetKind, UnitSpec
from gbvs.forecasting.engine import (
    QUANTILES,
    OriginFrame,
    fit_predict,
    forecast_features,
    model_set,
    origin_frame,
)
from gbvs.forecasting.explain import family_contributions, summary
from gbvs.forecasting.features import feature_families
from gbvs.forecasting.models.base import seed_free

QUANTILE_COLUMNS = {"q0.05": "q05", "q0.25": "q25", "q0.5": "q50", "q0.75": "q75", "q0.95": "q95"}
SPREAD_COLUMNS = ("p_min", "p_max", "p_sd")


def last_origin(panel: pd.DataFrame, target: Target) -> int:
    """The last period with an observed value of the target's event series."""
    if target.event in panel.columns:
        observed = panel.loc[panel[target.event].notna(), "period"]
        if len(observed):
            return int(observed.max())
    source = "v2x_veracc_osp" if target.demspaces else "conflict"
    return int(panel.loc[panel[source].notna(), "period"].max())


def _one_horizon(
    frame: OriginFrame,
    spec: UnitSpec,
    target: Target,
    h: int,
    seeds: Sequence[int],
    driver_family: Mapping[str, str],
) -> pd.DataFrame:
    outs, contribs = [], []
    mains = [model_set(target, spec, seed)["lgbm"] for seed in seeds]
    one_model = seed_free(mains[0])
    for main in mains[:1] if one_model else mains:
        model, out = fit_predict(main, frame, target, h, spec.key)
        X_new = forecast_features(main, frame, target)
        families = feature_families(list(X_new.columns), driver_family)
        outs.append(out)
        contribs.append(family_contributions(model.contributions(X_new), families).reset_index(drop=True))
    result = outs[0].drop(columns=["samples", "p", *QUANTILE_COLUMNS], errors="ignore")
    if target.kind is TargetKind.binary:
        ps = np.column_stack([o["p"].to_numpy() for o in outs])
        result["p"] = ps.mean(axis=1)
        if one_model:
            result[list(SPREAD_COLUMNS)] = np.nan
        else:
            result["p_min"], result["p_max"] = ps.min(axis=1), ps.max(axis=1)
            result["p_sd"] = ps.std(axis=1, ddof=1) if len(seeds) > 1 else 0.0
    else:
        samples = np.hstack([np.vstack(o["samples"].to_list()) for o in outs])
        for q in QUANTILES:
            result[QUANTILE_COLUMNS[f"q{q:g}"]] = np.quantile(samples, q, axis=1)
    contrib = sum(contribs[1:], contribs[0]) / len(contribs)
    result["families"] = [
        json.dumps({k: round(float(v), 6) for k, v in r.items()}) for _, r in contrib.iterrows()
    ]
    result["summary"] = [summary({str(k): float(v) for k, v in r.items()}) for _, r in contrib.iterrows()]
    return result.assign(target=target.name, horizon=h, origin=frame.origin)


def forecast_target(
    panel: pd.DataFrame,
    spec: UnitSpec,
    target: Target,
    seeds: int | Sequence[int],
    driver_family: Mapping[str, str],
    cutpoints: Mapping[str, float] | None = None,
    neighbours: Mapping[int, Sequence[int]] | None = None,
    frames: dict[int, OriginFrame] | None = None,
) -> pd.DataFrame:
    """Forecast rows (one per unit and horizon) of the main model, averaged over ``seeds``. ``frames``
    (origin -> frame) lets the targets of one run share an origin's features and the fits made for
    several targets at once (the pooled democratic-space model of each direction)."""
    seed_list = (seeds,) if isinstance(seeds, int) else tuple(seeds)
    if not seed_list:
        raise ForecastError("no seeds given for the live forecast; pass at least one seed (e.g. 0)")
    origin = last_origin(panel, target)
    frames = {} if frames is None else frames
    if origin not in frames:
        frames[origin] = origin_frame(panel, spec, origin, cutpoints, neighbours)
    frame = frames[origin]
    rows = [_one_horizon(frame, spec, target, h, seed_list, driver_family) for h in target.horizons(spec)]
    result = pd.concat(rows, ignore_index=True)
    result["forecast_period"] = result["origin"] + result["horizon"]
    if target.kind is TargetKind.binary:
        for column in QUANTILE_COLUMNS.values():
            result[column] = np.nan
    else:
        for column in ("p", *SPREAD_COLUMNS):
            result[column] = np.nan
    return result.rename(columns={spec.key: "unit_key"}).drop(columns=["period"])
