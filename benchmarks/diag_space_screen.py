"""Diagnostic (not a test, not a backtest): with larger trees, should the democratic-space model keep more
features, or grow larger trees still?

v3.10 gave the pooled democratic-space classifier trees of up to 31 leaves (``engine.WIDER``, chosen on
inner windows by ``diag_space_capacity.py``). Its screen of 128 features (``engine.DEMSPACES_SCREEN``)
was chosen in v3.4 for per-space models with smaller trees on a sixth of the rows. Variants (the
classifier's settings; everything else as in v3.10):

* ``current`` (v3.10): screen 128, candidate ``WIDER``;
* ``screen 256``: the 256 features with the largest gain in the screening booster;
* ``every feature``: no screen (about 470 columns with the own-space ones);
* ``63 leaves``: screen 128, a candidate like ``WIDER`` with 63 leaves.

Held out as ``diag_space_capacity.py`` held out (``diag_spaces_held_out.py``): at origins 2005, 2008,
2011, 2014, 2017 and 2020, the pooled training rows' last three years held out, each variant fitted on the
rows at least two years before them; 72 space scores per variant. No test year is scored.

**Adoption rule, fixed before the first run (2026-12-04):** a variant replaces ``current`` if its mean
hold-out log loss over the 72 scores is at least 0.5% lower, its mean Brier score is not higher, and its
pooled hold-out PR-AUC is not lower in either direction; of several, the one with the lowest log loss;
and only if the full country-year backtest stays within ten minutes with it. Otherwise v3.10 stays.

**Result (2026-12-04, a store built by ``gbvs ingest`` from ../shared/data; CPU shared with a CI run):**
mean hold-out log loss / Brier / CPU: current 0.24074 / 0.06826 / 122 s (as in ``diag_space_capacity``:
the same model), screen 256 0.24031 / 0.06801 / 188 s, every feature 0.24018 / 0.06799 / 280 s, 63
leaves 0.24089 / 0.06832 / 104 s; pooled hold-out PR-AUC / ROC-AUC / ECE, closing: 0.4766 / 0.8261 /
0.0194, 0.4722 / 0.8269 / 0.0181, 0.4702 / 0.8268 / 0.0161, 0.4700 / 0.8241 / 0.0180; opening: 0.4726 /
0.8363 / 0.0173, 0.4773 / 0.8363 / 0.0138, 0.4770 / 0.8373 / 0.0149, 0.4743 / 0.8352 / 0.0177. No variant
lowers the log loss by 0.5% (at most 0.23%, with every feature, at 2.3 times the CPU), and the three
others lower closing PR-AUC: **none adopted**; v3.10 stays.

Usage::

    .venv/bin/python benchmarks/diag_space_screen.py --data-dir DIR [--origins 2005,2008,2011,2014,2017,2020]
"""

from __future__ import annotations

from diag_spaces_held_out import compare

from gbvs.forecasting.engine import DEMSPACES_SCREEN, WIDER

LEAVES_63 = tuple((name, 63 if name == "num_leaves" else value) for name, value in WIDER)

VARIANTS = {
    "current": {"screen": DEMSPACES_SCREEN, "candidates": (WIDER,)},
    "screen 256": {"screen": 256, "candidates": (WIDER,)},
    "every feature": {"screen": 0, "candidates": (WIDER,)},
    "63 leaves": {"screen": DEMSPACES_SCREEN, "candidates": (LEAVES_63,)},
}


if __name__ == "__main__":
    compare(__doc__, VARIANTS)
