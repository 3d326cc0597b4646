"""The live forecast: fit on everything observed and forecast the periods after the last one.

Uses the same :func:`gbvs.forecasting.engine.origin_frame` and :func:`fit_predict` as the backtest,
with the origin set to the last observed period. Output rows carry the family contributions.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from gbvs.forecasting.domain import Target, TargetKind, UnitSpec
from gbvs.forecasting.engine import fit_predict, model_set, origin_frame
from gbvs.forecasting.explain import family_contributions, summary
from gbvs.forecasting.features import feature_families

QUANTILE_COLUMNS = {"q0.05": "q05", "q0.25": "q25", "q0.5": "q50", "q0.75": "q75", "q0.95": "q95"}


def last_origin(panel: pd.DataFrame, target: Target) -> int:
    """The last period with an observed value of the target's event series."""
    if target.event in panel.columns:
        observed = panel.loc[panel[target.event].notna(), "period"]
        if len(observed):
            return int(observed.max())
    source = "v2x_veracc_osp" if target.demspaces else "conflict"
    return int(panel.loc[panel[source].notna(), "period"].max())


def forecast_target(
    panel: pd.DataFrame,
    spec: UnitSpec,
    target: Target,
    seed: int,
    driver_family: Mapping[str, str],
    cutpoints: Mapping[str, float] | None = None,
    neighbours: Mapping[int, Sequence[int]] | None = None,
) -> pd.DataFrame:
    """Forecast rows (one per unit and horizon) of the main model for ``target`` from its last origin."""
    origin = last_origin(panel, target)
    frame = origin_frame(panel, spec, origin, cutpoints, neighbours)
    families = feature_families(list(frame.features.columns), driver_family)
    rows = []
    for h in target.horizons(spec):
        model, out = fit_predict(model_set(target, spec, seed)["lgbm"], frame, target, h, spec.key)
        X_new = frame.features[frame.panel["period"] == origin]
        contrib = family_contributions(model.contributions(X_new), families).reset_index(drop=True)
        out = out.drop(columns=["samples"], errors="ignore").rename(columns=QUANTILE_COLUMNS)
        out["families"] = [
            json.dumps({k: round(float(v), 6) for k, v in r.items()}) for _, r in contrib.iterrows()
        ]
        out["summary"] = [summary({str(k): float(v) for k, v in r.items()}) for _, r in contrib.iterrows()]
        rows.append(out.assign(target=target.name, horizon=h, origin=origin))
    result = pd.concat(rows, ignore_index=True)
    result["forecast_period"] = result["origin"] + result["horizon"]
    if target.kind is TargetKind.binary:
        for column in QUANTILE_COLUMNS.values():
            result[column] = np.nan
    else:
        result["p"] = np.nan
    return result.rename(columns={spec.key: "unit_key"}).drop(columns=["period"])
