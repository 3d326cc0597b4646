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

Held out as ``diag_inner_embargo`` held out (commit cbaf885; ``diag_spaces_held_out.py``): per origin and
direction, the pooled training rows' last three years are held out and each variant is fitted on the rows
at least two years before the first of them, then scored per space on the held-out events, at origins
2005, 2008, 2011, 2014, 2017 and 2020: 72 scores per variant. No test year is scored.

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

from diag_spaces_held_out import compare

from gbvs.forecasting.engine import REGULARISED, WIDER

VARIANTS = {
    "current": {"candidates": (REGULARISED,)},
    "wider too": {"candidates": (REGULARISED, WIDER)},
    "wider for regularised": {"candidates": (WIDER,)},
}


if __name__ == "__main__":
    compare(__doc__, VARIANTS)
