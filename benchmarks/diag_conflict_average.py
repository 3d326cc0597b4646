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

**Result (2026-12-05, a store built by ``gbvs ingest`` from ../shared/data, 1 min 40 s; the means printed to
six places in a second, identical run, since the first printed five and the difference sat at the rule's
edge):** means over the 18 fits, Brier / log loss / CPU: current 0.034272 / 0.123472 / 36 s; defaults
only 0.034330 / 0.123916 / 21 s; regularised only 0.034312 / 0.123598 / 32 s; **average of both 0.034099 /
0.122877 / 53 s** (-0.505%, lower log loss). Incidence at h1 alone (mean of its three fits): 0.03822,
0.03843, 0.03865, 0.03835 (the rule pools all 18). The rule is met, narrowly: adopted as v3.12
(``engine.main_classifier``, ``models/mean.py``), the full country-year backtest then taking
526.7 s (v3.11: 426.2 s).

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
