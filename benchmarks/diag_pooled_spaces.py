"""Diagnostic (not a test, not a backtest): one model per direction for the six democratic spaces?

Today each of the twelve closing/opening targets has its own classifier, trained on about 7,000
country-years with a few hundred events. Transitions in different spaces share much of their dynamics
(a closing of the electoral space often comes with one of the informational space), so a model trained
on the rows of all six spaces of a direction sees six times the events. This script asks whether that
pooled model forecasts better, judged on inner windows only: per origin, the last three years of the
training rows are held out, both models are fitted on the years before (each making its own inner
choices there) and scored on the held-out years.

* ``per space`` (``engine.per_space_model``, v3.2-v3.7): ``SpaceBound`` around the classifier without
  sampling, screen of 128 features, a regularised candidate, on the target's own rows;
* ``pooled`` (``engine.pooled_space_model``, since v3.8): the same classifier fitted once per direction
  on the stacked rows of the six spaces (``engine.pooled_training_set``). Each row keeps every feature
  and adds its own space's features under generic names (``own``, ``own_diff1``, ``ds_room_down_own``,
  ...; the differences also in units of the space's cutpoint) and the space's number; the bound rule
  reads ``ds_room_<direction>_own`` (``forecasting/pooling.py``).

Printed: per origin and target the hold-out log loss of both; then per direction the pooled hold-out
PR-AUC and ROC-AUC of both over all fits, and the mean log loss.

**Rule fixed before the first run (2026-12-03):** the pooled model is worth building into the engine
if, over origins 2008, 2014 and 2020, its mean hold-out log loss is lower than the per-space models'
and its hold-out PR-AUC is higher for both closing and opening.

**Result (2026-12-03, the v3.6 benchmark store, 36 fits per model, identical in two runs):** mean
hold-out log loss per space 0.27049, pooled **0.26012** (lower in 26 of the 36 fits); hold-out PR-AUC /
ROC-AUC, closing (9,072 rows, 1,098 events): per space 0.4402 / 0.8206, pooled **0.4913 / 0.8301**;
opening (950 events): per space 0.4826 / 0.8526, pooled **0.5284 / 0.8593**; CPU of the fits at one
seed: pooled 11-16 s per origin and direction against 13-18 s for the six per-space models. The rule is
met: the engine's democratic-space model is pooled since v3.8. Usage::

    .venv/bin/python benchmarks/diag_pooled_spaces.py --data-dir DIR [--origins 2008,2014,2020]
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from diag_inputs import SPEC, country_year, diagnostic_parser, hold_out_log_loss
from sklearn.base import clone
from sklearn.metrics import average_precision_score, roc_auc_score

from gbvs.forecasting import engine
from gbvs.forecasting.domain import DEMSPACES_INDICES, TARGETS, Target
from gbvs.forecasting.features import SPACE_NUMBER
from gbvs.forecasting.pooling import direction_targets, space_index


def _direction(frame: Any, target: Target) -> list[tuple[str, np.ndarray, np.ndarray, np.ndarray]]:
    """Per target of ``target``'s direction, the held-out labels and both models' probabilities."""
    h = target.horizons(SPEC)[0]
    X, y, periods = engine.pooled_training_set(frame, target, h, SPEC.key)
    cut = periods.max() - 3
    before = periods <= cut
    started = time.process_time()
    pooled = clone(engine.pooled_space_model(target, 0)).fit(X[before], y[before], periods=periods[before])
    pooled_cpu = time.process_time() - started
    found, per_space_cpu = [], 0.0
    for space in direction_targets(target):
        X_s, y_s, periods_s = engine.training_set(frame, space, h, SPEC.key)
        held = periods_s > cut
        started = time.process_time()
        single = (
            clone(engine.per_space_model(space, 0))
            .fit(X_s[~held], y_s[~held], periods=periods_s[~held])
            .predict_proba(X_s[held])[:, 1]
        )
        per_space_cpu += time.process_time() - started
        rows = (X[SPACE_NUMBER] == DEMSPACES_INDICES.index(space_index(space))).to_numpy() & ~before
        joint = pooled.predict_proba(X[rows])[:, 1]
        assert np.array_equal(y[rows], y_s[held].astype(int))  # the same rows, in the same order
        found.append((space.name, y_s[held].astype(int), single, joint))
    print(f"    CPU: per space {per_space_cpu:.1f} s, pooled {pooled_cpu:.1f} s", flush=True)
    return found


def main() -> None:
    """Print both models' hold-out scores per fit, per direction and overall."""
    parser = diagnostic_parser(__doc__)
    options = parser.parse_args()
    inputs, panel = country_year(options.data_dir, want_demspaces=True)
    results: dict[str, list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = {"closing": [], "opening": []}
    losses: dict[str, list[float]] = {"per space": [], "pooled": []}
    for origin in (int(o) for o in options.origins.split(",")):
        frame = engine.origin_frame(panel, SPEC, origin, inputs.cutpoints, inputs.neighbours)
        for label in results:
            print(f"origin {origin} {label}:", flush=True)
            for name, y, single, joint in _direction(frame, TARGETS[f"{label}_electoral"]):
                if len(np.unique(y)) < 2:
                    continue
                results[label].append((y, single, joint))
                losses["per space"].append(hold_out_log_loss(y, single))
                losses["pooled"].append(hold_out_log_loss(y, joint))
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
