"""Diagnostic (not a test, not a backtest): can the incidence and war classifiers be regularised better?

Issue 11 asks for an incidence Brier score of at most 0.039 at one year; v3.11 scores 0.0393 on the test
years. Larger trees made the hold-out Brier score worse (commit 14ec854). This diagnostic tries the other
direction and a narrower view. Variants of ``engine.classifier`` for incidence and war (LightGBM's own
probabilities, rows and columns sampled, the mean of seeds 0-2):

* ``current`` (v3.9-v3.11): the defaults (15 leaves, 20 rows per leaf, learning rate 0.1, up to 300 trees)
  and ``REGULARISED`` (7 leaves, 40 rows, 0.05, up to 600 trees), chosen per fit on the inner window;
* ``L2 10``: both candidates with an L2 penalty on the leaf values of 10 instead of 1;
* ``smaller too``: a third candidate of 4 leaves, 60 rows per leaf, learning rate 0.03, up to 1,000 trees
  and 60 rounds of early stopping;
* ``screen 32``: the 32 features with the largest gain instead of 64;
* ``extra trees``: ``REGULARISED`` with LightGBM's extremely randomised splits (one random threshold per
  feature).

Held out as ``diag_conflict_calibration.py`` held out (``diag_conflicts_held_out.py``): per origin, target
and horizon the training rows' last three years are held out, the variant is fitted on the years before
them; 18 fits (incidence and war, h1-h3, origins 2008, 2014 and 2020). No test year is scored.

**Adoption rule, fixed before the first run (2026-12-05):** a variant replaces ``current`` if, over the 18
hold-out fits, its mean Brier score is at least 0.5% lower than ``current``'s and its mean log loss is not
higher; of several such variants, the one with the lowest mean Brier score; and only if the full
country-year backtest then stays within ten minutes. Otherwise the conflict classifiers stay as they are.

**Result (2026-12-05, a store built by ``gbvs ingest`` from ../shared/data, 2 min 50 s):** means over the
18 fits, Brier / log loss / CPU: **current 0.03427 / 0.12347 / 37 s** (as ``diag_conflict_calibration``'s
``no calibrator``: the same model); L2 10 0.03480 / 0.12514 / 32 s; smaller too 0.03423 / 0.12352 / 40 s
(-0.12%); screen 32 0.03442 / 0.12469 / 22 s; extra trees 0.03415 / 0.12371 / 29 s (-0.35%, higher log
loss). Incidence at h1 alone (mean of its three fits): 0.03822, 0.03880, 0.03803, 0.03878, 0.03785. No
variant meets the rule: **the conflict classifiers stay as they are.**

Usage::

    .venv/bin/python benchmarks/diag_conflict_capacity.py --data-dir DIR [--origins 2008,2014,2020]
"""

from __future__ import annotations

from diag_conflicts_held_out import SEEDS, Variants, compare

from gbvs.forecasting.engine import REGULARISED

SMALLER = (
    ("num_leaves", 4),
    ("min_child_samples", 60),
    ("learning_rate", 0.03),
    ("n_estimators", 1000),
    ("early_stopping_rounds", 60),
)
VARIANTS: Variants = {
    "current": ({}, SEEDS),
    "L2 10": ({"reg_lambda": 10.0}, SEEDS),
    "smaller too": ({"candidates": (REGULARISED, SMALLER)}, SEEDS),
    "screen 32": ({"screen": 32}, SEEDS),
    "extra trees": ({"candidates": ((*REGULARISED, ("extra_trees", True)),)}, SEEDS),
}


if __name__ == "__main__":
    compare(__doc__, VARIANTS)
