"""Diagnostic (not a test, not a backtest): which calibration of the conflict classifiers (incidence,
war) gives the lowest Brier score on held-out years?

The conflict classifiers (``engine.classifier``: LightGBM, rows and columns sampled, published as the
mean over seeds 0-2) calibrate their raw score with Platt scaling fitted on the inner window. Variants:

* ``current``: Platt scaling on the last three training years, the mean of three seeds;
* ``no calibrator``: LightGBM's own probabilities (its objective is the log loss), three seeds;
* ``isotonic``: isotonic regression on the inner window instead of Platt scaling, three seeds;
* ``five inner years``: Platt scaling and early stopping on the last five training years, three seeds;
* ``five seeds``: as ``current``, the mean of seeds 0-4 (costs two refits more per fit).

Judged on inner windows only: per target, horizon and origin, the last three years of the training
rows are held out, the model is fitted on the years before them (making its own inner-window choices
inside those) and scored on the held-out years by Brier score and log loss.

**Adoption rule, fixed before the run (2026-12-04):** a variant replaces ``current`` if, over the 18
hold-out fits (incidence and war, h1-h3, origins 2008, 2014 and 2020), its mean Brier score is at
least 0.5% lower than ``current``'s and its mean log loss is not higher; of several such variants, the
one with the lowest mean Brier score; ``five seeds`` only if the full country-year backtest stays within
ten minutes with it. Otherwise the conflict classifiers stay as they are.

**Result (2026-12-04, the v3.8 benchmark store, 2 min 30 s):** means over the 18 fits, Brier / log
loss / CPU: current 0.03472 / 0.12527 / 54 s; no calibrator **0.03427** / 0.12347 / 40 s (-1.3%, lower
log loss: adopted as v3.9, ``engine.CONFLICT_CALIBRATION``); isotonic 0.03657 / 0.15923; five inner years
0.03432 / 0.12462 (also qualified, higher Brier); five seeds 0.03468 / 0.12502 (-0.1%). Incidence at h1
alone, the mean of its three fits: current 0.03793, no calibrator 0.03822 (the rule pools all 18).
The variants set ``calibration`` themselves, so the script compares the same models after the change.
Usage::

    .venv/bin/python benchmarks/diag_conflict_calibration.py --data-dir DIR [--origins 2008,2014,2020]
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from diag_inputs import SPEC, country_year, diagnostic_parser, hold_out_log_loss
from sklearn.base import clone
from sklearn.metrics import brier_score_loss

from gbvs.forecasting import engine
from gbvs.forecasting.domain import Target, parse_target
from gbvs.forecasting.models.base import inner_split
from gbvs.forecasting.models.memory import CHOICES, REFITS, SCREENS

TARGETS = ("incidence", "war")
VARIANTS: dict[str, tuple[dict[str, Any], tuple[int, ...]]] = {
    "current": ({"calibration": "sigmoid"}, (0, 1, 2)),
    "no calibrator": ({"calibration": "none"}, (0, 1, 2)),
    "isotonic": ({"calibration": "isotonic"}, (0, 1, 2)),
    "five inner years": ({"inner_periods": 5}, (0, 1, 2)),
    "five seeds": ({"calibration": "sigmoid"}, (0, 1, 2, 3, 4)),
}


def _held_out(target: Target, variant: str, data: tuple[Any, ...]) -> tuple[np.ndarray, float]:
    """The variant's mean held-out probability over its seeds and the CPU time of its fits."""
    settings, seeds = VARIANTS[variant]
    X, y, periods, held = data
    for memory in (SCREENS, CHOICES, REFITS):  # each variant pays for its own choices
        memory.clear()
    started = time.process_time()
    probabilities = [
        clone(engine.classifier(target, seed, False, engine.CONFLICT_SCREEN))
        .set_params(**settings)
        .fit(X[~held], y[~held], periods=periods[~held])
        .predict_proba(X[held])[:, 1]
        for seed in seeds
    ]
    return np.mean(probabilities, axis=0), time.process_time() - started


def main() -> None:
    """Print each fit's hold-out Brier score per variant, then the means, log loss and CPU time."""
    parser = diagnostic_parser(__doc__)
    options = parser.parse_args()
    inputs, panel = country_year(options.data_dir, want_demspaces=False)
    brier: dict[str, list[float]] = {v: [] for v in VARIANTS}
    loss: dict[str, list[float]] = {v: [] for v in VARIANTS}
    cpu = dict.fromkeys(VARIANTS, 0.0)
    for origin in (int(o) for o in options.origins.split(",")):
        frame = engine.origin_frame(panel, SPEC, origin, None, inputs.neighbours)
        for name in TARGETS:
            target = parse_target(name)
            for h in target.horizons(SPEC):
                X, y, periods = engine.training_set(frame, target, h, SPEC.key)
                y = y.astype(int)
                held = inner_split(len(y), periods, 3)
                data = (X, y, periods, held)
                for variant in VARIANTS:
                    p, seconds = _held_out(target, variant, data)
                    brier[variant].append(float(brier_score_loss(y[held], p)))
                    loss[variant].append(hold_out_log_loss(y[held], p))
                    cpu[variant] += seconds
                line = "  ".join(f"{v}: {brier[v][-1]:.5f}" for v in VARIANTS)
                print(f"{origin} {name} h{h} ({int(held.sum())} rows) Brier  {line}", flush=True)
    print(f"\n{len(brier['current'])} fits, origins {options.origins}; means over the fits:")
    for variant in VARIANTS:
        h1 = [b for i, b in enumerate(brier[variant]) if i % 6 == 0]  # incidence h1 of each origin
        print(
            f"  {variant:<18} Brier {np.mean(brier[variant]):.5f}  log loss {np.mean(loss[variant]):.5f}"
            f"  incidence h1 Brier {np.mean(h1):.5f}  CPU {cpu[variant]:6.1f} s"
        )


if __name__ == "__main__":
    main()
