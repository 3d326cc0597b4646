"""Diagnostic (not a test, not a backtest): how much DemSpaces' training protocol is worth to a forest.

DemSpaces v14's published test forecast for year ``tt`` comes from a model trained on every row before
``tt`` with outcomes coded on the whole V-Dem series (BACKTEST.md, "DemSpaces' protocol"): rows
``tt-1`` and ``tt-2`` carry outcomes that were not known at ``tt``. This script fits, per democratic-
space target and origin, two models under both protocols on the same features:

* ``honest``: our ``engine.training_set`` (rows whose two-year window closed by the origin, events
  coded on the panel cut at the origin);
* ``demspaces``: rows with ``year < tt``, outcomes from the full panel (DemSpaces' protocol);

the models being our per-space model of v3.5-v3.7 (``lgbm``, LightGBM, seed 0) and a forest like
DemSpaces' (``forest``: scikit-learn ``RandomForestClassifier``, leaves of one row, ``max_features=
"sqrt"``; DemSpaces uses ranger with ``min.node.size = 1``); ``gbvs`` adds today's main model (the
pooled model of v3.8+, seed 0, through ``engine.fit_predict``), honestly only, as the backtest fits it.
It prints pooled PR-AUC and ROC-AUC per direction on the space-country-years where DemSpaces published a
forecast, beside DemSpaces' own. ``--models gbvs,forest`` leaves out the old per-space model.
**Result over every test origin (2026-12-04, ``--origins 2005,...,2021 --trees 100 --models gbvs,forest``,
17,178 rows per direction, 53 min):** PR-AUC / ROC-AUC closing: gbvs honest 0.380 / 0.791 (the backtest's
figures), forest honest 0.382 / 0.787, forest under DemSpaces' protocol 0.503 / 0.868, DemSpaces v14
0.565 / 0.880; opening: 0.340 / 0.797, 0.334 / 0.781, 0.472 / 0.865, 0.504 / 0.873 (BACKTEST.md).

**Against the honest anchor, with the report's interval (2026-12-05, v3.14, ``--origins 2005,...,2021
--trees 100 --models gbvs,forest --protocols honest --save FILE``, 17,178 rows per direction, 14 min 46 s,
1,394 CPU-s):** PR-AUC / ROC-AUC closing: gbvs 0.390 / 0.796, forest honest 0.393 / 0.792; opening
0.344 / 0.799 and 0.333 / 0.785. Paired, countries and origins drawn (``uncertainty.cluster_intervals``):
gbvs − forest honest closing PR-AUC -0.003 (-0.031 to +0.024), ROC-AUC +0.004 (-0.013 to +0.023);
opening +0.011 (-0.018 to +0.047), +0.014 (-0.009 to +0.037); gbvs − DemSpaces v14 published -0.176
(-0.249 to -0.109) / -0.084 and -0.160 (-0.225 to -0.096) / -0.074, as in the backtest report. With the
origins drawn in runs of the spaces' two-year window (as the report has drawn them since; the same rows,
``--rescore FILE``): gbvs − forest honest closing -0.003 (-0.031 to +0.025) / +0.004 (-0.014 to +0.022),
opening +0.011 (-0.017 to +0.051) / +0.014 (-0.014 to +0.037); gbvs − DemSpaces v14 -0.176 (-0.253 to
-0.113) / -0.084 (-0.111 to -0.058) and -0.160 (-0.227 to -0.092) / -0.074 (-0.104 to -0.043).

Usage::

    .venv/bin/python benchmarks/diag_demspaces_protocol.py --data-dir DIR [--origins 2016,2020]
        [--trees 300] [--models lgbm,forest] [--protocols honest] [--save rows.parquet]
        [--rescore rows.parquet]  # score a saved run's rows again without fitting
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from diag_inputs import SPEC, country_year, diagnostic_parser
from sklearn.base import clone
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import average_precision_score, roc_auc_score

from gbvs.forecasting import engine, uncertainty
from gbvs.forecasting.domain import DEMSPACES_NAMES, SPACE_WINDOW, TARGETS, Target
from gbvs.forecasting.evaluation import published_by_direction
from gbvs.forecasting.labels import add_demspaces_events, label
from gbvs.forecasting.service import Inputs

HORIZON = 2
MODELS = ("lgbm", "forest", "gbvs")
PROTOCOLS = ("honest", "demspaces")
HONEST_ONLY = frozenset({"gbvs"})


def _fit(model: str, X: pd.DataFrame, y: np.ndarray, periods: np.ndarray, target: Target, trees: int) -> Any:
    if model == "forest":
        return RandomForestClassifier(
            n_estimators=trees, min_samples_leaf=1, max_features="sqrt", n_jobs=2, random_state=0
        ).fit(X, y)
    return clone(engine.per_space_model(target, 0)).fit(X, y, periods=periods)  # v3.5-v3.7


def _origin(
    inputs: Inputs,
    panel: pd.DataFrame,
    full: pd.DataFrame,
    tt: int,
    trees: int,
    models: list[str],
    protocols: list[str],
) -> list[pd.DataFrame]:
    key = SPEC.key
    frame = engine.origin_frame(panel, SPEC, tt, inputs.cutpoints, inputs.neighbours)
    keys = frame.panel[[key, "period"]]
    space_of = {name: index for index, name in DEMSPACES_NAMES.items()}
    out = []
    for name, target in TARGETS.items():
        if not target.demspaces:
            continue
        truth = full[[key, "period"]].assign(y=label(full, target, HORIZON, key).to_numpy())
        y_full = keys.merge(truth, on=[key, "period"], how="left")["y"].to_numpy()
        test = (keys["period"] == tt).to_numpy() & ~np.isnan(y_full)
        before = (keys["period"] < tt).to_numpy() & ~np.isnan(y_full)
        training = {
            "honest": engine.training_set(frame, target, HORIZON, key),
            "demspaces": (
                frame.features[before],
                y_full[before].astype(int),
                keys["period"].to_numpy()[before],
            ),
        }
        rows = keys[test].assign(
            y=y_full[test],
            outcome=space_of[name.split("_", 1)[1]],
            direction="down" if name.startswith("closing") else "up",
        )
        for protocol in protocols:
            X, y, periods = training[protocol]
            started = time.perf_counter()
            for model in (m for m in models if m not in HONEST_ONLY):
                fitted = _fit(model, X, y, periods, target, trees)
                rows[f"{model}_{protocol}"] = fitted.predict_proba(frame.features[test])[:, 1]
            print(f"{tt} {name} {protocol}: {len(y)} rows, {time.perf_counter() - started:.0f} s", flush=True)
        if "gbvs" in models:
            rows["gbvs_honest"] = _gbvs(frame, target, rows)
        out.append(rows)
    return out


def _gbvs(frame: Any, target: Target, rows: pd.DataFrame) -> np.ndarray:
    """Today's main model's probabilities for ``rows``, fitted honestly as the backtest fits it."""
    model = engine.model_set(target, SPEC, 0)["lgbm"]
    _, found = engine.fit_predict(model, frame, target, HORIZON, SPEC.key)
    merged = rows[[SPEC.key, "period"]].merge(found[[SPEC.key, "period", "p"]], how="left")
    return merged["p"].to_numpy()


def _with_published(pred: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    return pred.merge(
        published_by_direction(published),
        left_on=["outcome", "period", SPEC.key, "direction"],
        right_on=["outcome", "from_year", "gwcode", "direction"],
    )


def _paired(group: pd.DataFrame, ours: str, theirs: str) -> str:
    """``ours`` − ``theirs`` in PR-AUC and ROC-AUC on the same rows, with the 95% interval of the
    backtest report (countries and origins drawn independently, the origins in runs of the spaces' outcome
    window, ``uncertainty.cluster_intervals``)."""
    y = group["y"].to_numpy()
    columns = {name: group[name].to_numpy() for name in (ours, theirs)}
    statistics = [
        (lambda rows, f=score: f(y[rows], columns[ours][rows]) - f(y[rows], columns[theirs][rows]))
        for score in (average_precision_score, roc_auc_score)
    ]
    factors = (group[SPEC.key].to_numpy(), group["period"].to_numpy())
    intervals = uncertainty.cluster_intervals(factors, statistics, blocks=(1, SPACE_WINDOW))
    parts = [
        f"{name} {statistic(np.arange(len(y))):+.3f} ({interval.low:+.3f} to {interval.high:+.3f})"
        for name, statistic, interval in zip(("PR-AUC", "ROC-AUC"), statistics, intervals, strict=True)
    ]
    return f"  {ours} − {theirs}: " + ", ".join(parts)


def _fitted(args: argparse.Namespace, models: list[str], protocols: list[str]) -> pd.DataFrame:
    """Every origin's rows, fitted under the protocols and scored beside DemSpaces' published forecasts."""
    inputs, panel = country_year(args.data_dir, want_demspaces=True)
    full = add_demspaces_events(panel, dict(inputs.cutpoints or {}), SPEC.key)
    rows = []
    for tt in (int(origin) for origin in args.origins.split(",")):
        rows += _origin(inputs, panel, full, tt, args.trees, models, protocols)
    return _with_published(pd.concat(rows, ignore_index=True), inputs.published)


def main() -> None:
    """Fit the models under the protocols and print the pooled scores."""
    parser = diagnostic_parser(__doc__, origins="2016,2020")
    parser.add_argument("--trees", type=int, default=300)
    parser.add_argument("--models", default=",".join(MODELS))
    parser.add_argument("--protocols", default=",".join(PROTOCOLS))
    parser.add_argument("--save", type=Path, default=None, help="write the scored rows to this parquet file")
    parser.add_argument(
        "--rescore", type=Path, default=None, help="score the rows a run saved with --save instead of fitting"
    )
    args = parser.parse_args()
    models = [m for m in MODELS if m in args.models.split(",")]
    protocols = [p for p in PROTOCOLS if p in args.protocols.split(",")]
    scored = pd.read_parquet(args.rescore) if args.rescore else _fitted(args, models, protocols)
    if args.save:
        scored.to_parquet(args.save)
    for direction, group in scored.groupby("direction"):
        name = "closing" if direction == "down" else "opening"
        print(f"\n{name}: {len(group)} rows, {int(group['y'].sum())} events")
        columns = [f"{m}_{p}" for m in models for p in protocols if p == "honest" or m not in HONEST_ONLY]
        for column in [*columns, "p_ds"]:
            ap = average_precision_score(group["y"], group[column])
            auc = roc_auc_score(group["y"], group[column])
            print(f"  {column:<18} PR-AUC {ap:.3f}  ROC-AUC {auc:.3f}")
        for theirs in ("forest_honest", "p_ds"):
            if "gbvs_honest" in group and theirs in group:
                print(_paired(group, "gbvs_honest", theirs))


if __name__ == "__main__":
    main()
