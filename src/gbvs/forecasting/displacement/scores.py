"""Scores of displacement forecasts, from kept libraries (pure).

CRPS of the sample distribution (``gbvs.forecasting.metrics.crps``, from scoringrules), mean
absolute error of the median on ``log(1 + x)`` (scikit-learn), the share of outcomes inside the
central 50% and 90% intervals of the samples, and the Spearman rank correlation (SciPy) between
forecast medians and outcomes among the year's top origins (by outcome), averaged over forecast years.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import spearmanr
from sklearn.metrics import mean_absolute_error

TOP_ORIGINS = 20


def coverage(observed: np.ndarray, low: np.ndarray, high: np.ndarray) -> float:
    """Share of ``observed`` within ``[low, high]``."""
    observed = np.asarray(observed, dtype=float)
    return float(np.mean((observed >= low) & (observed <= high))) if len(observed) else float("nan")


def top_rank_correlation(rows: pd.DataFrame, top: int = TOP_ORIGINS) -> float:
    """Mean over forecast years of Spearman's rho (median vs outcome) among the ``top`` origins by outcome."""
    values = []
    for _, year in rows.groupby("forecast_period"):
        best = year.nlargest(top, "y")
        if len(best) >= 3 and best["q0.5"].nunique() > 1:
            values.append(float(spearmanr(best["q0.5"], best["y"]).statistic))
    return float(np.mean(values)) if values else float("nan")


def score_rows(rows: pd.DataFrame) -> dict[str, Any]:
    """Scores of one group of scored backtest rows (columns y, crps, q0.05 .. q0.95, forecast_period)."""
    y = rows["y"].to_numpy(dtype=float)
    return {
        "n": len(rows),
        "crps": float(rows["crps"].mean()),
        "mae_log1p": float(mean_absolute_error(np.log1p(y), np.log1p(rows["q0.5"].clip(lower=0)))),
        "coverage50": coverage(y, rows["q0.25"].to_numpy(), rows["q0.75"].to_numpy()),
        "coverage90": coverage(y, rows["q0.05"].to_numpy(), rows["q0.95"].to_numpy()),
        "rank_top": top_rank_correlation(rows),
    }


def score_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Scores per target, horizon and model: the mean over seeds of each seed's scores, with the sd of
    CRPS over the seeds."""
    per_seed = [
        {"target": t, "horizon": h, "model": m, "seed": s, **score_rows(group)}
        for (t, h, m, s), group in rows.groupby(["target", "horizon", "model", "seed"], sort=False)
    ]
    frame = pd.DataFrame(per_seed)
    metrics = ["n", "crps", "mae_log1p", "coverage50", "coverage90", "rank_top"]
    table = frame.groupby(["target", "horizon", "model"], sort=False)[metrics].mean()
    table["crps_sd"] = frame.groupby(["target", "horizon", "model"], sort=False)["crps"].std().fillna(0.0)
    table["seeds"] = frame.groupby(["target", "horizon", "model"], sort=False)["seed"].nunique()
    return table.reset_index()


def _fits(rows: pd.DataFrame, model: str) -> pd.DataFrame:
    """One row per fit of ``model`` (target, horizon, origin, seed)."""
    return rows[rows["model"] == model].drop_duplicates(["target", "horizon", "origin", "seed"])


def _shares(chosen: pd.Series, names: tuple[str, ...], prefix: str) -> dict[str, float]:
    indices = chosen.astype(int)
    return {f"{prefix} {name}": float((indices == i).mean()) for i, name in enumerate(names)}


def choice_table(
    rows: pd.DataFrame, model: str, candidates: tuple[str, ...], bounds: tuple[str, ...]
) -> pd.DataFrame:
    """What ``model`` chose on its inner windows, per target and horizon: the share of fits (origins x
    seeds) that took each candidate and each bound, the mean widening and share of the spread baseline,
    and the mean best inner-window CRPS with and without the conflict forecasts."""
    out = []
    for (target, horizon), group in _fits(rows, model).groupby(["target", "horizon"], sort=False):
        out.append(
            {
                "target": target,
                "horizon": horizon,
                "fits": len(group),
                **_shares(group["chosen"], candidates, "share"),
                **_shares(group["bound"], bounds, "bound"),
                "scale": float(group["scale"].mean()),
                "blend": float(group["blend"].mean()),
                "inner_cf": float(group["inner_cf"].mean()),
                "inner_no_cf": float(group["inner_no_cf"].mean()),
            }
        )
    return pd.DataFrame(out)


def bound_table(rows: pd.DataFrame, model: str, bounds: tuple[str, ...]) -> pd.DataFrame:
    """The bound ``model`` chose on its inner window at each origin, per target and horizon: one row per
    target, horizon and origin, with the bound each seed's fit took (``bounds`` names, in seed order)."""
    fits = _fits(rows, model).sort_values(["target", "horizon", "origin", "seed"])
    out = [
        {
            "target": target,
            "horizon": horizon,
            "origin": origin,
            "bounds": [bounds[int(b)] for b in group["bound"]],
        }
        for (target, horizon, origin), group in fits.groupby(["target", "horizon", "origin"], sort=False)
    ]
    return pd.DataFrame(out, columns=["target", "horizon", "origin", "bounds"])
