"""Diagnostic (not a test, not a backtest): which calibration of the democratic-space model gives the
lowest log loss on held-out years?

The democratic-space model (``engine.pooled_space_model``, since v3.8: one classifier per direction on the
stacked rows of the six spaces, no row or column sampling, the bound rule on the row's own space)
calibrates its raw score with Platt scaling fitted on the inner window (the last three training years).
v3.9 measured that the country-year conflict classifiers do better without a calibrator
(``diag_conflict_calibration.py``); the spaces were not part of that comparison, and on the test years their
forecasts run too low at the bottom and too high at the top (BACKTEST.md, v3.9). That was read on test
years, so any change is judged here, on inner windows only. Variants:

* ``current``: Platt scaling on the last three training years (v3.2-v3.10; the result below is of v3.9's
  candidates, before v3.10's larger trees);
* ``no calibrator``: LightGBM's own probabilities;
* ``isotonic``: isotonic regression on the inner window instead of Platt scaling;
* ``five inner years``: Platt scaling and early stopping on the last five training years.

Per origin and direction, the last three years of the pooled training rows are held out; the model is
fitted on the years before them (making its own inner-window choices inside those) and scored on the
held-out rows of each space (``diag_spaces_held_out.py`` without its embargo): 6 spaces x 2 directions x
3 origins = 36 scores per variant.

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

from diag_spaces_held_out import compare

VARIANTS = {
    "current": {"calibration": "sigmoid"},
    "no calibrator": {"calibration": "none"},
    "isotonic": {"calibration": "isotonic"},
    "five inner years": {"calibration": "sigmoid", "inner_periods": 5},
}


if __name__ == "__main__":
    compare(__doc__, VARIANTS, origins="2008,2014,2020", embargo=False)
