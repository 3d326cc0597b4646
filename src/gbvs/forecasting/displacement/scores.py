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


def choice_table(rows: pd.DataFrame, model: str, candidates: tuple[str, ...]) -> pd.DataFrame:
    """What ``model`` chose on its inner windows, per target and horizon: the share of fits (origins x
    seeds) that took each candidate, the mean widening and share of the spread baseline, and the mean
    best inner-window CRPS with and without the conflict forecasts."""
    fits = rows[rows["model"] == model].drop_duplicates(["target", "horizon", "origin", "seed"])
    out = []
    for (target, horizon), group in fits.groupby(["target", "horizon"], sort=False):
        chosen = group["chosen"].astype(int)
        out.append(
            {
                "target": target,
                "horizon": horizon,
                "fits": len(group),
                **{f"share {name}": float((chosen == i).mean()) for i, name in enumerate(candidates)},
                "scale": float(group["scale"].mean()),
                "blend": float(group["blend"].mean()),
                "inner_cf": float(group["inner_cf"].mean()),
                "inner_no_cf": float(group["inner_no_cf"].mean()),
            }
        )
    return pd.DataFrame(out)
