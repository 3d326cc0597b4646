"""Diagnostic (not a test, not a backtest): should the democratic-space model average its two candidates
instead of choosing one?

Each fit of the pooled classifier (v3.10) chooses, on its inner window, between its defaults (15 leaves,
20 rows, learning rate 0.1, up to 300 trees) and ``WIDER`` (31 leaves, 20 rows, 0.05, up to 600 trees),
and publishes the one with the lower inner log loss. Two boosters of different shapes err differently; the
mean of their probabilities may beat either, and it does not depend on a choice made on three years.
Variants of the classifier inside ``PooledSpaces(SpaceBound(LGBMBinary))``:

* ``current`` (v3.11): the choice between the two;
* ``defaults only`` and ``wider only``: each candidate alone (with its own early stopping and Platt
  scaling on the inner window);
* ``average of both``: the mean of those two variants' probabilities.

Held out as ``diag_space_capacity.py`` held out (``diag_spaces_held_out.py``): at origins 2005, 2008, 2011,
2014, 2017 and 2020 the pooled training rows' last three years are held out, each variant fitted on the
rows at least two years before them; 72 space scores per variant. No test year is scored.

**Adoption rule, fixed before the first run (2026-12-05):** ``average of both`` replaces ``current`` if its
mean hold-out log loss over the 72 scores is at least 0.5% lower, its mean Brier score is not higher, and
its pooled hold-out PR-AUC is not lower in either direction, and the full country-year backtest then stays
within ten minutes. The single candidates are reported, not adopted (they are what ``current`` chooses
from). Otherwise the classifier keeps choosing.

**Result (2026-12-05, a store built by ``gbvs ingest`` from ../shared/data, 7 min 10 s):** mean hold-out
log loss / Brier / CPU: **current 0.23930 / 0.06767 / 124 s**; defaults only 0.24275 / 0.06892 / 65 s;
wider only 0.23905 / 0.06778 / 109 s; average of both 0.23905 / 0.06785 / 174 s (-0.10%, higher Brier).
Pooled hold-out PR-AUC / ROC-AUC / ECE, closing: 0.4789 / 0.8263 / 0.0187, 0.4611 / 0.8236 / 0.0180,
0.4769 / 0.8263 / 0.0197, 0.4751 / 0.8273 / 0.0168; opening: 0.4810 / 0.8399 / 0.0118, 0.4574 / 0.8355 /
0.0144, 0.4849 / 0.8429 / 0.0121, 0.4789 / 0.8415 / 0.0106. The rule is not met: **the classifier keeps
choosing.**

Usage::

    .venv/bin/python benchmarks/diag_space_average.py --data-dir DIR [--origins 2005,2008,2011,2014,2017,2020]
"""

from __future__ import annotations

from diag_spaces_held_out import AVERAGE, Variants, compare

from gbvs.forecasting.engine import WIDER

VARIANTS: Variants = {
    "current": {},
    "defaults only": {"candidates": ()},
    "wider only": {"candidates": (), **dict(WIDER)},
    "average of both": {AVERAGE: ("defaults only", "wider only")},
}


if __name__ == "__main__":
    compare(__doc__, VARIANTS)
