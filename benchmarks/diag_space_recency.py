"""Diagnostic (not a test, not a backtest): should the democratic-space model weigh recent years more?

Trained as DemSpaces trains (every row before the forecast year, outcomes coded on the whole series), a
forest gains 0.12-0.14 PR-AUC (BACKTEST.md, "what DemSpaces' protocol is worth"): partly outcomes not
known at the origin, partly, perhaps, the most recent rows, which come from the regime the forecast years
belong to. The honest share of that: weigh the rows that are known by their age. Variants of the
classifier inside ``PooledSpaces(SpaceBound(LGBMBinary))``:

* ``current`` (v3.11): every training row weighs the same;
* ``half-life 10`` / ``half-life 20``: a row's weight halves every 10 / 20 years back from the last
  training year (``LGBMBinary(recency=...)``, ``lgbm.recency_weights``; mean weight 1). The inner-window
  loss, the Platt scaling and the feature screen weigh rows equally.

Held out as ``diag_space_capacity.py`` held out (``diag_spaces_held_out.py``): at origins 2005, 2008, 2011,
2014, 2017 and 2020 the pooled training rows' last three years are held out, each variant fitted on the
rows at least two years before them; 72 space scores per variant. No test year is scored.

**Adoption rule, fixed before the first run (2026-12-05):** a variant replaces ``current`` if its mean
hold-out log loss over the 72 scores is at least 0.5% lower, its mean Brier score is not higher, and its
pooled hold-out PR-AUC is not lower in either direction; of both, the one with the lower log loss.
Otherwise every row keeps the same weight.

**Result (2026-12-05, a store built by ``gbvs ingest`` from ../shared/data, 5 min 10 s):** mean hold-out
log loss / Brier / CPU: **current 0.23930 / 0.06767 / 119 s**; half-life 10 0.24260 / 0.06862 / 93 s;
half-life 20 0.24284 / 0.06880 / 98 s. Pooled hold-out PR-AUC / ROC-AUC / ECE, closing: 0.4789 / 0.8263 /
0.0187, 0.4693 / 0.8256 / 0.0204, 0.4653 / 0.8241 / 0.0221; opening: 0.4810 / 0.8399 / 0.0118, 0.4696 /
0.8356 / 0.0155, 0.4691 / 0.8347 / 0.0169. Weighing recent years more makes every score worse: **every
row keeps the same weight.** So what DemSpaces' protocol gives a model is not the recency of its rows but
their outcomes, which were not known at the origin.

Usage::

    .venv/bin/python benchmarks/diag_space_recency.py --data-dir DIR [--origins 2005,2008,2011,2014,2017,2020]
"""

from __future__ import annotations

from diag_spaces_held_out import Variants, compare

VARIANTS: Variants = {
    "current": {},
    "half-life 10": {"recency": 10.0},
    "half-life 20": {"recency": 20.0},
}


if __name__ == "__main__":
    compare(__doc__, VARIANTS)
