"""Diagnostic (not a test, not a backtest): can the democratic-space model draw finer distinctions?

The pooled model of each direction (v3.8) boosts trees of 15 leaves (or its regularised candidate of 7,
chosen per fit on the inner window) on about 42,000 rows, six times the rows a per-space model had. Two
spaces of one country often land in the same leaf of every tree (``diag_equal_spaces.py``: 67 of 83
equal closing pairs), so the model separates spaces coarsely. Variants of the candidates each fit chooses
from on its inner window (lowest inner log loss):

* ``current`` (v3.2-v3.9): the defaults (15 leaves, 20 rows per leaf, learning rate 0.1, up to 300
  trees) and ``REGULARISED`` (7 leaves, 40 rows, 0.05, up to 600 trees);
* ``wider too``: those two and ``WIDER`` (31 leaves, 20 rows, 0.05, up to 600 trees, 40 rounds of early
  stopping);
* ``wider for regularised``: the defaults and ``WIDER`` (as costly as ``current`` in candidates).

Held out as ``diag_inner_embargo`` held out (commit cbaf885): per origin and direction, the pooled
training rows' last three years are held out and each variant is fitted on the rows at least two years
before the first of them, then scored per space on the held-out events, at origins 2005, 2008, 2011,
2014, 2017 and 2020: 72 scores per variant. No test year is scored.

**Adoption rule, fixed before the first run (2026-12-04):** a variant replaces ``current`` if its mean
hold-out log loss over the 72 scores is at least 0.5% lower, its mean Brier score is not higher, and its
pooled hold-out PR-AUC is not lower in either direction; if both variants pass, the one with the lower
log loss. Otherwise the candidates stay as they are.

**Result (2026-12-04, a store built by ``gbvs ingest`` from ../shared/data, 72 scores per variant):** mean
hold-out log loss / Brier: current 0.24329 / 0.06905 (as in ``diag_inner_embargo``: the same rows), wider
too 0.24088 / 0.06834, **wider for regularised 0.24074 / 0.06826** (-1.05%; lower than current in 50 of
the 72 scores); pooled hold-out PR-AUC / ROC-AUC / ECE, closing: 0.4522 / 0.8229 / 0.0187, 0.4707 / 0.8258
/ 0.0179, **0.4766 / 0.8261 / 0.0194**; opening: 0.4683 / 0.8337 / 0.0150, 0.4721 / 0.8371 / 0.0169,
**0.4726 / 0.8363 / 0.0173**; CPU 104 s, 124 s, 99 s. Both variants pass the rule; ``wider for
regularised`` has the lower log loss and is adopted (v3.10, ``engine.DEMSPACES_CANDIDATES``).

Usage::

    .venv/bin/python benchmarks/diag_space_capacity.py --data-dir DIR \
        [--origins 2005,2008,2011,2014,2017,2020]
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
from gbvs.forecasting.engine import REGULARISED, WIDER
from gbvs.forecasting.features import SPACE_NUMBER
from gbvs.forecasting.metrics import expected_calibration_error
from gbvs.forecasting.models.memory import CHOICES, REFITS, SCREENS

CLASSIFIER = "estimator__estimator__"
"""The prefix of the classifier's settings inside ``PooledSpaces(SpaceBound(LGBMBinary))``."""
VARIANTS: dict[str, tuple[Any, ...]] = {
    "current": (REGULARISED,),
    "wider too": (REGULARISED, WIDER),
    "wider for regularised": (WIDER,),
}
DIRECTIONS = ("closing", "opening")
HELD_OUT = 3
"""Years held out at the end of each training set."""


def _held_out(variant: str, direction: str, frame: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Held-out events, space numbers and the variant's probabilities for one origin and direction, and
    the CPU time of its fit."""
    target = TARGETS[f"{direction}_electoral"]
    X, y, periods = engine.pooled_training_set(frame, target, target.horizons(SPEC)[0], SPEC.key)
    y = y.astype(int)
    cut = periods.max() - HELD_OUT
    held, fit_rows = periods > cut, periods <= cut - (target.window - 1)
    for memory in (SCREENS, CHOICES, REFITS):  # each variant pays for its own choices
        memory.clear()
    started = time.process_time()
    model = clone(engine.pooled_space_model(target, 0)).set_params(
        **{CLASSIFIER + "candidates": VARIANTS[variant]}
    )
    model.fit(X[fit_rows], y[fit_rows], periods=periods[fit_rows])
    p = model.predict_proba(X[held])[:, 1]
    return y[held], X.loc[held, SPACE_NUMBER].to_numpy(), p, time.process_time() - started


def main() -> None:
    """Print each space's hold-out log loss per variant, then the means and pooled scores per direction."""
    options = diagnostic_parser(__doc__, origins="2005,2008,2011,2014,2017,2020").parse_args()
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
                    line.append(f"{index} {loss[variant][-1]:.4f}")
                print(f"{origin} {direction} {variant:<22} " + "  ".join(line), flush=True)
    print(f"\n{len(loss['current'])} space scores per variant, origins {options.origins}:")
    for variant in VARIANTS:
        parts = [
            f"  {variant:<22} log loss {np.mean(loss[variant]):.5f}  Brier {np.mean(brier[variant]):.5f}"
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
