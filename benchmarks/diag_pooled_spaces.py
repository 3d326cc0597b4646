"""Diagnostic (not a test, not a backtest): one model per direction for the six democratic spaces?

Today each of the twelve closing/opening targets has its own classifier, trained on about 7,000
country-years with a few hundred events. Transitions in different spaces share much of their dynamics
(a closing of the electoral space often comes with one of the informational space), so a model trained
on the rows of all six spaces of a direction sees six times the events. This script asks whether that
pooled model forecasts better, judged on inner windows only: per origin, the last three years of the
training rows are held out, both models are fitted on the years before (each making its own inner
choices there) and scored on the held-out years.

* ``per space``: the engine's model for the target (v3.6 settings: ``SpaceBound`` around the
  classifier without sampling, screen of 128 features, a regularised candidate);
* ``pooled``: the same model fitted once per direction on the stacked rows of the six spaces. Each
  row keeps every feature and adds its own space's features under generic names (``own``,
  ``own_diff1``, ``ds_room_down_own``, ...; the differences also in units of the space's cutpoint)
  and the space's number; the bound rule reads ``ds_room_<direction>_own``.

Printed: per origin and target the hold-out log loss of both; then per direction the pooled hold-out
PR-AUC and ROC-AUC of both over all fits, and the mean log loss.

**Rule fixed before the first run (2026-12-03):** the pooled model is worth building into the engine
if, over origins 2008, 2014 and 2020, its mean hold-out log loss is lower than the per-space models'
and its hold-out PR-AUC is higher for both closing and opening. Usage::

    .venv/bin/python benchmarks/diag_pooled_spaces.py --data-dir DIR [--origins 2008,2014,2020]
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.metrics import average_precision_score, log_loss, roc_auc_score

from gbvs.config import load_settings
from gbvs.forecasting import engine
from gbvs.forecasting.domain import DEMSPACES_INDICES, TARGETS, Target, parse_unit
from gbvs.forecasting.models import SpaceBound
from gbvs.forecasting.service import load_inputs
from gbvs.store import open_store

SPEC = parse_unit("country-year")
OWN = "own"


def _index_of(target: Target) -> str:
    return next(index for index in DEMSPACES_INDICES if target.event.endswith(index))


def own_features(X: pd.DataFrame, index: str, cutpoint: float) -> pd.DataFrame:
    """The space's own features under generic names, its differences in cutpoints, and its number."""
    names = {c: c.replace(index, OWN) for c in X.columns if index in c}
    own = X[list(names)].rename(columns=names)
    for column in [c for c in own.columns if c.startswith(f"{OWN}_diff")]:
        own[f"{column}_cp"] = own[column] / cutpoint
    own["space_number"] = float(DEMSPACES_INDICES.index(index))
    return own


def _pooled_model(target: Target) -> Any:
    per_space = engine.model_set(target, SPEC, 0)["lgbm"]
    direction = target.event.split("_")[1]
    return SpaceBound(clone(per_space.estimator), room=f"ds_room_{direction}_{OWN}")


def _loss(y: np.ndarray, p: np.ndarray) -> float:
    return float(log_loss(y, np.clip(p, 1e-6, 1 - 1e-6), labels=[0, 1]))


def _direction(
    frame: Any, targets: list[Target], cutpoints: dict[str, float]
) -> dict[str, list[tuple[str, np.ndarray, np.ndarray, np.ndarray]]]:
    """Per target, the held-out labels and both models' probabilities (per space, pooled)."""
    parts = []
    for target in targets:
        X, y, periods = engine.training_set(frame, target, target.horizons(SPEC)[0], SPEC.key)
        index = _index_of(target)
        parts.append((target, X, y.astype(int), periods, own_features(X, index, cutpoints[index])))
    cut = max(p[3].max() for p in parts) - 3
    stacked_X = pd.concat([X.join(own) for _, X, _, periods, own in parts], ignore_index=True)
    stacked_y = np.concatenate([p[2] for p in parts])
    stacked_periods = np.concatenate([p[3] for p in parts])
    before = stacked_periods <= cut
    started = time.process_time()
    pooled = _pooled_model(targets[0]).fit(
        stacked_X[before], stacked_y[before], periods=stacked_periods[before]
    )
    pooled_cpu = time.process_time() - started
    found: dict[str, list[tuple[str, np.ndarray, np.ndarray, np.ndarray]]] = {"rows": []}
    per_space_cpu = 0.0
    for target, X, y, periods, own in parts:
        held = periods > cut
        started = time.process_time()
        single = (
            clone(engine.model_set(target, SPEC, 0)["lgbm"])
            .fit(X[~held], y[~held], periods=periods[~held])
            .predict_proba(X[held])[:, 1]
        )
        per_space_cpu += time.process_time() - started
        joint = pooled.predict_proba(X[held].join(own[held]))[:, 1]
        found["rows"].append((target.name, y[held], single, joint))
    print(f"    CPU: per space {per_space_cpu:.1f} s, pooled {pooled_cpu:.1f} s", flush=True)
    return found


def main() -> None:
    """Print both models' hold-out scores per fit, per direction and overall."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, required=True, help="a data folder with a built store")
    parser.add_argument("--origins", default="2008,2014,2020")
    options = parser.parse_args()
    os.environ["GBVS_DATA_DIR"] = str(options.data_dir)
    with open_store(load_settings().resolved_store_path) as store:
        inputs = load_inputs(store, SPEC, want_demspaces=True)
    panel = engine.with_period(inputs.panel, SPEC)
    cutpoints = dict(inputs.cutpoints or {})
    results: dict[str, list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = {"closing": [], "opening": []}
    losses: dict[str, list[float]] = {"per space": [], "pooled": []}
    for origin in (int(o) for o in options.origins.split(",")):
        frame = engine.origin_frame(panel, SPEC, origin, cutpoints, inputs.neighbours)
        for label in results:
            targets = [t for t in TARGETS.values() if t.demspaces and t.name.startswith(label)]
            print(f"origin {origin} {label}:", flush=True)
            for name, y, single, joint in _direction(frame, targets, cutpoints)["rows"]:
                if len(np.unique(y)) < 2:
                    continue
                results[label].append((y, single, joint))
                losses["per space"].append(_loss(y, single))
                losses["pooled"].append(_loss(y, joint))
                print(
                    f"  {name:<24} {len(y):5d} rows {int(y.sum()):4d} events  log loss per space "
                    f"{losses['per space'][-1]:.5f}  pooled {losses['pooled'][-1]:.5f}",
                    flush=True,
                )
    for label, rows in results.items():
        y = np.concatenate([r[0] for r in rows])
        for position, model in ((1, "per space"), (2, "pooled")):
            p = np.concatenate([r[position] for r in rows])
            print(
                f"{label:<8} {model:<10} hold-out PR-AUC {average_precision_score(y, p):.4f} "
                f"ROC-AUC {roc_auc_score(y, p):.4f} ({len(y)} rows, {int(y.sum())} events)"
            )
    for model, values in losses.items():
        print(f"mean hold-out log loss {model}: {np.mean(values):.5f} ({len(values)} fits)")


if __name__ == "__main__":
    main()
