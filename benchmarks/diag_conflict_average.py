"""Diagnostic (not a test, not a backtest): should the incidence and war classifiers average their two
candidates instead of choosing one?

Each fit of the incidence and war classifiers chooses, on its inner window (70-100 events), between its
defaults (15 leaves, 20 rows, learning rate 0.1, up to 300 trees) and ``REGULARISED`` (7 leaves, 40 rows,
0.05, up to 600 trees). A choice made on so few events is noisy; the mean of both boosters' probabilities
does not depend on it. Variants of ``engine.classifier`` (LightGBM's own probabilities, rows and columns
sampled, the mean of seeds 0-2):

* ``current`` (v3.9-v3.11): the choice between the two;
* ``defaults only`` and ``regularised only``: each candidate alone;
* ``average of both``: the mean of those two variants' probabilities.

Held out as ``diag_conflict_calibration.py`` held out (``diag_conflicts_held_out.py``): per origin, target
and horizon the training rows' last three years are held out, the variant is fitted on the years before
them; 18 fits (incidence and war, h1-h3, origins 2008, 2014 and 2020). No test year is scored.

**Adoption rule, fixed before the first run (2026-12-05):** ``average of both`` replaces ``current`` if,
over the 18 hold-out fits, its mean Brier score is at least 0.5% lower than ``current``'s and its mean log
loss is not higher, and the full country-year backtest then stays within ten minutes. The single
candidates are reported, not adopted. Otherwise the classifiers keep choosing.

Usage::

    .venv/bin/python benchmarks/diag_conflict_average.py --data-dir DIR [--origins 2008,2014,2020]
"""

from __future__ import annotations

from diag_conflicts_held_out import AVERAGE, SEEDS, Variants, compare

from gbvs.forecasting.engine import REGULARISED

VARIANTS: Variants = {
    "current": ({}, SEEDS),
    "defaults only": ({"candidates": ()}, SEEDS),
    "regularised only": ({"candidates": (), **dict(REGULARISED)}, SEEDS),
    "average of both": ({AVERAGE: ("defaults only", "regularised only")}, ()),
}


if __name__ == "__main__":
    compare(__doc__, VARIANTS)
