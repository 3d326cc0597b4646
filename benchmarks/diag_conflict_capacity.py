"""Diagnostic (not a test, not a backtest): would larger trees help the conflict classifiers too?

v3.10 gave the democratic-space classifier a candidate of larger trees (``engine.WIDER``: 31 leaves,
learning rate 0.05, up to 600 trees) in place of the regularised one (``engine.REGULARISED``: 7 leaves),
chosen on inner windows (``diag_space_capacity.py``). The conflict classifiers (incidence, war; about
7,000 country-years, the 64 screened features, rows and columns sampled, LightGBM's own probability since
v3.9) still choose between their defaults (15 leaves) and the regularised candidate. Variants of the
candidates each fit chooses from on its inner window (lowest inner log loss):

* ``current`` (v2-v3.10): the defaults and ``REGULARISED``;
* ``larger too``: the defaults, ``REGULARISED`` and ``WIDER``;
* ``larger for regularised``: the defaults and ``WIDER``.

Held out as ``diag_conflict_calibration`` held out (the v3.9 choice): per target, horizon and origin,
the last three years of the training rows are held out, the model (mean of seeds 0-2) is fitted on the
years before them and scored on the held-out years by Brier score and log loss; incidence and war,
h1-h3, origins 2008, 2014 and 2020: 18 fits. No test year is scored.

**Adoption rule, fixed before the first run (2026-12-04):** a variant replaces ``current`` if, over the
18 fits, its mean Brier score is at least 0.5% lower than ``current``'s and its mean log loss is not
higher; of two such variants, the one with the lower mean Brier score; and only if the full
country-year backtest stays within ten minutes with it. Otherwise the conflict classifiers keep their
candidates.

**Result (2026-12-04, a store built by ``gbvs ingest`` from ../shared/data; CPU shared with a CI run):**
means over the 18 fits, Brier / log loss / incidence h1 Brier / CPU: current 0.03427 / 0.12347 / 0.03822
/ 35 s (as ``diag_conflict_calibration``'s "no calibrator": the same model), larger too 0.03471 / 0.12519
/ 0.03839 / 44 s, larger for regularised 0.03484 / 0.12568 / 0.03878 / 42 s. Both variants are worse
(+1.3% and +1.7% Brier): **not adopted**; the conflict classifiers keep their candidates.

Usage::

    .venv/bin/python benchmarks/diag_conflict_capacity.py --data-dir DIR [--origins 2008,2014,2020]
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
from gbvs.forecasting.engine import REGULARISED, WIDER
from gbvs.forecasting.models.base import inner_split
from gbvs.forecasting.models.memory import CHOICES, REFITS, SCREENS

TARGETS = ("incidence", "war")
SEEDS = (0, 1, 2)
VARIANTS: dict[str, tuple[Any, ...]] = {
    "current": (REGULARISED,),
    "larger too": (REGULARISED, WIDER),
    "larger for regularised": (WIDER,),
}


def _held_out(target: Target, variant: str, data: tuple[Any, ...]) -> tuple[np.ndarray, float]:
    """The variant's mean held-out probability over its seeds and the CPU time of its fits."""
    X, y, periods, held = data
    for memory in (SCREENS, CHOICES, REFITS):  # each variant pays for its own choices
        memory.clear()
    started = time.process_time()
    probabilities = [
        clone(engine.classifier(target, seed, False, engine.CONFLICT_SCREEN, engine.CONFLICT_CALIBRATION))
        .set_params(candidates=VARIANTS[variant])
        .fit(X[~held], y[~held], periods=periods[~held])
        .predict_proba(X[held])[:, 1]
        for seed in SEEDS
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
            f"  {variant:<24} Brier {np.mean(brier[variant]):.5f}  log loss {np.mean(loss[variant]):.5f}"
            f"  incidence h1 Brier {np.mean(h1):.5f}  CPU {cpu[variant]:6.1f} s"
        )


if __name__ == "__main__":
    main()
