"""Diagnostic (not a test, not a backtest): do the parts of a space tell the pooled model more?

Issue 11 point 2 expects the sub-indicators of a space (elections, media, civil society, judiciary, ...)
to move before the space's index crosses its cutpoint. The pooled democratic-space model (v3.8, one per
direction) sees every kept V-Dem v14 indicator as a feature of the country-year, the same for all six
spaces, and its own space only through the index itself (``own``, ``own_diff1``, ...). The variant adds,
per row, a summary of its own space's parts (``pooling.SPACE_PARTS``, ``pooling.own_parts``): their mean
level, mean 1- and 3-year change and smallest and largest 1-year change (``own_parts``,
``own_parts_diff1``, ``own_parts_diff3``, ``own_parts_min_diff1``, ``own_parts_max_diff1``).

* ``current`` (v3.10): the pooled view without the ``own_parts`` columns;
* ``own parts``: with them (they then compete in the screen of 128 features like every other column).

Held out as ``diag_space_capacity.py`` held out (``diag_spaces_held_out.py``): at origins 2005, 2008,
2011, 2014, 2017 and 2020, the pooled training rows' last three years held out, each variant fitted on the
rows at least two years before them; 72 space scores per variant. No test year is scored.

**Adoption rule, fixed before the first run (2026-12-04):** ``own parts`` replaces ``current`` if its mean
hold-out log loss over the 72 scores is at least 0.5% lower, its mean Brier score is not higher, and its
pooled hold-out PR-AUC is not lower in either direction. Otherwise the parts' summary is taken out again.

**Result (2026-12-04, a store built by ``gbvs ingest`` from ../shared/data, 72 scores per variant):** mean
hold-out log loss / Brier / CPU: current 0.24074 / 0.06826 / 119 s (as ``diag_space_capacity``'s v3.10
variant: the same model), **own parts 0.23930 / 0.06767 / 110 s** (-0.60%; lower in 45 of the 72 scores);
pooled hold-out PR-AUC / ROC-AUC / ECE, closing: 0.4766 / 0.8261 / 0.0194 against **0.4789 / 0.8263 /
0.0187**; opening: 0.4726 / 0.8363 / 0.0173 against **0.4810 / 0.8399 / 0.0118**. The rule is met:
adopted as v3.11 (``pooling.own_parts`` in every pooled view).

Usage::

    .venv/bin/python benchmarks/diag_space_parts.py --data-dir DIR [--origins 2005,2008,2011,2014,2017,2020]
"""

from __future__ import annotations

from diag_spaces_held_out import WITHOUT, compare

from gbvs.forecasting.features import OWN_SPACE
from gbvs.forecasting.pooling import PARTS

VARIANTS = {
    "current": {WITHOUT: (f"{OWN_SPACE}_{PARTS}",)},
    "own parts": {},
}


if __name__ == "__main__":
    compare(__doc__, VARIANTS)
