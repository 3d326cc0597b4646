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

from diag_conflicts_held_out import SEEDS, Variants, compare

VARIANTS: Variants = {
    "current": ({"calibration": "sigmoid"}, SEEDS),
    "no calibrator": ({"calibration": "none"}, SEEDS),
    "isotonic": ({"calibration": "isotonic"}, SEEDS),
    "five inner years": ({"calibration": "sigmoid", "inner_periods": 5}, SEEDS),
    "five seeds": ({"calibration": "sigmoid"}, (0, 1, 2, 3, 4)),
}


if __name__ == "__main__":
    compare(__doc__, VARIANTS)
