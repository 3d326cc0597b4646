"""Diagnostic (not a test, not a backtest): which calibration of the democratic-space model gives the
lowest log loss on held-out years?

The democratic-space model (``engine.pooled_space_model``, since v3.8: one classifier per direction on the
stacked rows of the six spaces, no row or column sampling, the bound rule on the row's own space)
calibrates its raw score with Platt scaling fitted on the inner window (the last three training years).
v3.9 measured that the country-year conflict classifiers do better without a calibrator
(``diag_conflict_calibration.py``); the spaces were not part of that comparison, and on the test years their
forecasts run too low at the bottom and too high at the top (BACKTEST.md, v3.9). That was read on test
years, so any change is judged here, on inner windows only. Variants:

* ``current``: Platt scaling on the last three training years (v3.2-v3.9);
* ``no calibrator``: LightGBM's own probabilities;
* ``isotonic``: isotonic regression on the inner window instead of Platt scaling;
* ``five inner years``: Platt scaling and early stopping on the last five training years.

Per origin and direction, the last three years of the pooled training rows are held out; the model is
fitted on the years before them (making its own inner-window choices inside those) and scored on the
held-out rows of each space: 6 spaces x 2 directions x 3 origins = 36 scores per variant.

**Adoption rule, fixed before the first run (2026-12-04):** a variant replaces ``current`` if its mean
hold-out log loss over the 36 scores is at least 0.5% lower than ``current``'s and its mean Brier score is
not higher; of several such variants, the one with the lowest mean log loss. Otherwise the democratic-space
model keeps Platt scaling on three inner years. (Log loss first, as in every earlier choice for the spaces:
v3.4's screen, v3.6's sampling, v3.8's pooling.)

**Result (2026-12-04, a store built by ``gbvs ingest`` from ../shared/data, 2 min 56 s, 36 scores per
variant):** mean hold-out log loss / Brier: current **0.26012 / 0.07597**; no calibrator 0.26410 / 0.07664;
isotonic 0.27035 / 0.07644; five inner years 0.26344 / 0.07677. Pooled hold-out PR-AUC / ROC-AUC / ECE,
closing: current 0.4913 / 0.8301 / 0.0344, no calibrator 0.4906 / 0.8282 / 0.0436, isotonic 0.4750 / 0.8235
/ 0.0344, five inner years 0.4703 / 0.8199 / 0.0293; opening: 0.5284 / 0.8593 / 0.0116, 0.5310 / 0.8583 /
0.0144, 0.5117 / 0.8580 / 0.0095, 0.5213 / 0.8554 / 0.0116. No variant has a lower log loss than Platt
scaling on three inner years: **the democratic-space model keeps its calibration** (the ``current`` figures
equal ``diag_pooled_spaces.py``'s pooled model, run on another store built from the same mirror).

Printed: per origin, direction and variant the hold-out log loss and Brier score of each space; then per
variant the means, the pooled hold-out PR-AUC, ROC-AUC and bin-weighted ECE per direction, and CPU time.
Usage::

    .venv/bin/python benchmarks/diag_space_calibration.py --data-dir DIR [--origins 2008,2014,2020]
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from diag_inputs import SPEC, country_year, diagnostic_parser, hold_out_log_loss
from sklearn.base import clone
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

from gbvs.forecasting import engine
from gbvs.forecasting.domain import DEMSPACES_INDICES, TARGETS
from gbvs.forecasting.features import SPACE_NUMBER
from gbvs.forecasting.metrics import expected_calibration_error
from gbvs.forecasting.models.memory import CHOICES, REFITS, SCREENS

CLASSIFIER = "estimator__estimator__"
"""The prefix of the classifier's settings inside ``PooledSpaces(SpaceBound(LGBMBinary))``."""

VARIANTS: dict[str, dict[str, Any]] = {
    "current": {"calibration": "sigmoid"},
    "no calibrator": {"calibration": "none"},
    "isotonic": {"calibration": "isotonic"},
    "five inner years": {"calibration": "sigmoid", "inner_periods": 5},
}
DIRECTIONS = ("closing", "opening")


def _held_out(variant: str, direction: str, frame: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Held-out labels, space numbers and the variant's probabilities for one origin and direction, and
    the CPU time of its fit."""
    target = TARGETS[f"{direction}_electoral"]
    h = target.horizons(SPEC)[0]
    X, y, periods = engine.pooled_training_set(frame, target, h, SPEC.key)
    y = y.astype(int)
    before = periods <= periods.max() - 3
    for memory in (SCREENS, CHOICES, REFITS):  # each variant pays for its own choices
        memory.clear()
    settings = {CLASSIFIER + name: value for name, value in VARIANTS[variant].items()}
    started = time.process_time()
    model = clone(engine.pooled_space_model(target, 0)).set_params(**settings)
    model.fit(X[before], y[before], periods=periods[before])
    p = model.predict_proba(X[~before])[:, 1]
    seconds = time.process_time() - started
    return y[~before], X.loc[~before, SPACE_NUMBER].to_numpy(), p, seconds


def main() -> None:
    """Print each space's hold-out scores per variant, then the means and pooled scores per direction."""
    parser = diagnostic_parser(__doc__)
    options = parser.parse_args()
    inputs, panel = country_year(options.data_dir, want_demspaces=True)
    loss: dict[str, list[float]] = {v: [] for v in VARIANTS}
    brier: dict[str, list[float]] = {v: [] for v in VARIANTS}
    pooled: dict[tuple[str, str], list[tuple[np.ndarray, np.ndarray]]] = {}
    cpu = dict.fromkeys(VARIANTS, 0.0)
    for origin in (int(o) for o in options.origins.split(",")):
        frame = engine.origin_frame(panel, SPEC, origin, inputs.cutpoints, inputs.neighbours)
        for direction in DIRECTIONS:
            for variant in VARIANTS:
                y, spaces, p, seconds = _held_out(variant, direction, frame)
                cpu[variant] += seconds
                pooled.setdefault((variant, direction), []).append((y, p))
                line = []
                for number, index in enumerate(DEMSPACES_INDICES):
                    rows = spaces == number
                    if len(np.unique(y[rows])) < 2:
                        continue
                    loss[variant].append(hold_out_log_loss(y[rows], p[rows]))
                    brier[variant].append(float(brier_score_loss(y[rows], p[rows])))
                    line.append(f"{index} {loss[variant][-1]:.4f}/{brier[variant][-1]:.4f}")
                print(f"{origin} {direction} {variant:<16} " + "  ".join(line), flush=True)
    print(f"\n{len(loss['current'])} space scores per variant, origins {options.origins}:")
    for variant in VARIANTS:
        parts = [
            f"  {variant:<16} log loss {np.mean(loss[variant]):.5f}  Brier {np.mean(brier[variant]):.5f}"
            f"  CPU {cpu[variant]:6.1f} s"
        ]
        for direction in DIRECTIONS:
            y = np.concatenate([r[0] for r in pooled[(variant, direction)]])
            p = np.concatenate([r[1] for r in pooled[(variant, direction)]])
            parts.append(
                f"{direction} PR-AUC {average_precision_score(y, p):.4f} ROC-AUC {roc_auc_score(y, p):.4f}"
                f" ECE {expected_calibration_error(y, p):.4f}"
            )
        print("  ".join(parts))


if __name__ == "__main__":
    main()
