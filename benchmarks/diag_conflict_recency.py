"""Diagnostic (not a test, not a backtest): should the incidence and war classifiers weigh recent years
more?

Conflict changes with the times (the end of the Cold War, the wars after 2011), and the classifiers weigh a
training row of 1990 as much as one of last year. Variants of ``engine.classifier`` for incidence and war
(LightGBM's own probabilities, rows and columns sampled, the mean of seeds 0-2):

* ``current`` (v3.9-v3.11): every training row weighs the same;
* ``half-life 10`` / ``half-life 20``: a row's weight halves every 10 / 20 years back from the last training
  year (``LGBMBinary(recency=...)``, ``lgbm.recency_weights``; mean weight 1). The inner-window loss and
  the feature screen weigh rows equally.

Held out as ``diag_conflict_calibration.py`` held out (``diag_conflicts_held_out.py``): per origin, target
and horizon the training rows' last three years are held out, the variant is fitted on the years before
them; 18 fits (incidence and war, h1-h3, origins 2008, 2014 and 2020). No test year is scored.

**Adoption rule, fixed before the first run (2026-12-05):** a variant replaces ``current`` if, over the 18
hold-out fits, its mean Brier score is at least 0.5% lower than ``current``'s and its mean log loss is not
higher; of both, the one with the lower mean Brier score. Otherwise every row keeps the same weight.

**Result (2026-12-05, a store built by ``gbvs ingest`` from ../shared/data, 1 min 50 s):** means over the
18 fits, Brier / log loss / CPU: **current 0.03427 / 0.12347 / 36 s**; half-life 10 0.03451 / 0.12503 /
27 s; half-life 20 0.03427 / 0.12360 / 27 s. Incidence at h1 alone: 0.03822, 0.04000, 0.03929. No variant
meets the rule: **every row keeps the same weight.**

Usage::

    .venv/bin/python benchmarks/diag_conflict_recency.py --data-dir DIR [--origins 2008,2014,2020]
"""

from __future__ import annotations

from diag_conflicts_held_out import SEEDS, Variants, compare

VARIANTS: Variants = {
    "current": ({}, SEEDS),
    "half-life 10": ({"recency": 10.0}, SEEDS),
    "half-life 20": ({"recency": 20.0}, SEEDS),
}


if __name__ == "__main__":
    compare(__doc__, VARIANTS)
