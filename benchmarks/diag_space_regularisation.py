"""Diagnostic (not a test, not a backtest): does the pooled democratic-space model gain from more
regularisation or more randomness in its trees?

v3.10 gave the pooled model larger trees (``WIDER``: 31 leaves, 20 rows per leaf) and v3.11 more columns
(``own_parts``). Larger trees on about 42,000 rows can fit noise of the 128 screened columns; a random
forest, DemSpaces' own model, decorrelates its trees by sampling the columns of every split. Variants of
the classifier inside ``PooledSpaces(SpaceBound(LGBMBinary))`` (no row or column sampling per tree, v3.6):

* ``current`` (v3.11): the defaults (15 leaves, 20 rows, learning rate 0.1, up to 300 trees) and
  ``WIDER``, chosen per fit on the inner window;
* ``L2 10``: both candidates with an L2 penalty on the leaf values of 10 instead of 1;
* ``wider, columns per split``: ``WIDER`` choosing each split among a random half of the columns
  (LightGBM's ``feature_fraction_bynode``; seed 0 for every seed, as the inner choices);
* ``wider, extra trees``: ``WIDER`` with extremely randomised splits (one random threshold per feature).

Held out as ``diag_space_capacity.py`` and ``diag_space_parts.py`` held out (``diag_spaces_held_out.py``):
at origins 2005, 2008, 2011, 2014, 2017 and 2020 the pooled training rows' last three years are held out,
each variant fitted on the rows at least two years before them; 72 space scores per variant. No test year
is scored.

**Adoption rule, fixed before the first run (2026-12-05):** a variant replaces ``current`` if its mean
hold-out log loss over the 72 scores is at least 0.5% lower, its mean Brier score is not higher, and its
pooled hold-out PR-AUC is not lower in either direction; of several, the one with the lowest log loss.
Otherwise the democratic-space classifier stays as it is.

**Result (2026-12-05, a store built by ``gbvs ingest`` from ../shared/data, 8 min 22 s):** mean hold-out
log loss / Brier / CPU: **current 0.23930 / 0.06767 / 122 s** (as ``diag_space_parts``' v3.11 variant);
L2 10 0.24009 / 0.06810 / 137 s; wider, columns per split 0.24005 / 0.06818 / 114 s; wider, extra trees
0.24305 / 0.06882 / 99 s. Pooled hold-out PR-AUC / ROC-AUC / ECE, closing: 0.4789 / 0.8263 / 0.0187,
0.4542 / 0.8307 / 0.0144, 0.4736 / 0.8296 / 0.0188, 0.4618 / 0.8233 / 0.0155; opening: 0.4810 / 0.8399 /
0.0118, 0.4791 / 0.8385 / 0.0146, 0.4689 / 0.8399 / 0.0111, 0.4562 / 0.8343 / 0.0142. Every variant has a
higher log loss: **the democratic-space classifier stays as it is.**

Usage::

    .venv/bin/python benchmarks/diag_space_regularisation.py --data-dir DIR \
        [--origins 2005,2008,2011,2014,2017,2020]
"""

from __future__ import annotations

from diag_spaces_held_out import Variants, compare

from gbvs.forecasting.engine import WIDER

VARIANTS: Variants = {
    "current": {},
    "L2 10": {"reg_lambda": 10.0},
    "wider, columns per split": {"candidates": ((*WIDER, ("feature_fraction_bynode", 0.5)),)},
    "wider, extra trees": {"candidates": ((*WIDER, ("extra_trees", True)),)},
}


if __name__ == "__main__":
    compare(__doc__, VARIANTS)
