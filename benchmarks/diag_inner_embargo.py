"""Diagnostic (not a test, not a backtest): should the democratic-space model's inner window leave out the
year before it, as the backtest does?

A democratic-space label spans two years (an opening or closing in ``t+1`` or ``t+2``). The backtest is
honest about it: at origin ``o`` it trains on rows ``t <= o - 2``, whose labels are known at ``o``, and
forecasts from ``o``. The model's own inner window is not: it holds out the last three training years and
fits its early-stopping booster and its Platt scaling on the rows just before them, so the last of those
rows (``t = cut``, label years ``cut+1`` and ``cut+2``) shares the year ``cut+2`` with the first inner
row's label (``cut+2``, ``cut+3``). That is DemSpaces' protocol in small (BACKTEST.md): a country's
closing in ``cut+2`` is in the training labels and in the inner labels, so the inner window rewards trees
and a calibration that are sharper than the backtest can be, which would show on the test years as
forecasts too high at the top (BACKTEST.md, v3.9: 74% forecast, 65% observed).

``LGBMBinary(embargo=1)`` drops the last training year before the inner window from the inner fit (not
from the refit on all rows), so no inner label shares a year with a training label. Variants: ``current``
(``embargo=0``, v3.2-v3.9) and ``embargo 1``.

Held out here as the backtest would: per origin and direction, the pooled training rows' last three years
are held out and each variant is fitted on the rows at least two years before the first of them (an
embargo of one year here too, the same rows for both variants), then scored on the held-out rows' events,
per space, at origins 2005, 2008, 2011, 2014, 2017 and 2020: 72 scores per variant.

**Adoption rule, fixed before the first run (2026-12-04):** the inner window follows the backtest's own
protocol unless that makes the forecasts worse: ``embargo 1`` is adopted for the democratic-space model if
its mean hold-out log loss over the 72 scores is not higher than ``current``'s and its mean Brier score is
not higher either. Otherwise the model keeps its inner window as it is.

**Result (2026-12-04, a store built by ``gbvs ingest`` from ../shared/data, 72 scores per variant; the
machine shared with other jobs, CPU 119 s and 96 s):** mean hold-out log loss / Brier: current **0.24329**
/ 0.06905, embargo 1 0.24360 / **0.06892**; pooled hold-out PR-AUC / ROC-AUC / ECE, closing: current 0.4522
/ 0.8229 / 0.0187, embargo 1 0.4599 / 0.8185 / 0.0173; opening: current 0.4683 / 0.8337 / 0.0150, embargo 1
0.4583 / 0.8308 / 0.0156. The log loss is higher (+0.13%): **not adopted**; the inner window stays as it is.
The shared label year does not make the inner choices measurably worse. (With the honest outer split used
here the held-out PR-AUC is 0.45-0.47, against 0.49-0.53 in ``diag_pooled_spaces.py``, whose held-out years
share a label year with its training rows; other origins, so not a like-for-like comparison.)

Usage::

    .venv/bin/python benchmarks/diag_inner_embargo.py --data-dir DIR [--origins 2005,2008,2011,2014,2017,2020]
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from diag_inputs import SPEC, country_year, diagnostic_parser, hold_out_log_loss
from sklearn.base import clone
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

from gbvs.forecasting import engine
from gbvs.forecasting.domain import DEMSPACES_INDICES, TARGETS
from gbvs.forecasting.features import SPACE_NUMBER
from gbvs.forecasting.metrics import expected_calibration_error
from gbvs.forecasting.models.memory import CHOICES, REFITS, SCREENS

CLASSIFIER = "estimator__estimator__"
"""The prefix of the classifier's settings inside ``PooledSpaces(SpaceBound(LGBMBinary))``."""
VARIANTS: dict[str, int] = {"current": 0, "embargo 1": 1}
DIRECTIONS = ("closing", "opening")
HELD_OUT = 3
"""Years held out at the end of each training set."""


def _held_out(variant: str, direction: str, frame: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Held-out events, space numbers and the variant's probabilities for one origin and direction, and
    the CPU time of its fit."""
    target = TARGETS[f"{direction}_electoral"]
    X, y, periods = engine.pooled_training_set(frame, target, target.horizons(SPEC)[0], SPEC.key)
    y = y.astype(int)
    cut = periods.max() - HELD_OUT
    held, fit_rows = periods > cut, periods <= cut - (target.window - 1)
    for memory in (SCREENS, CHOICES, REFITS):  # each variant pays for its own choices
        memory.clear()
    started = time.process_time()
    model = clone(engine.pooled_space_model(target, 0)).set_params(
        **{CLASSIFIER + "embargo": VARIANTS[variant]}
    )
    model.fit(X[fit_rows], y[fit_rows], periods=periods[fit_rows])
    p = model.predict_proba(X[held])[:, 1]
    return y[held], X.loc[held, SPACE_NUMBER].to_numpy(), p, time.process_time() - started


def main() -> None:
    """Print each space's hold-out log loss per variant, then the means and pooled scores per direction."""
    options = diagnostic_parser(__doc__, origins="2005,2008,2011,2014,2017,2020").parse_args()
    inputs, panel = country_year(options.data_dir, want_demspaces=True)
    loss: dict[str, list[float]] = {v: [] for v in VARIANTS}
    brier: dict[str, list[float]] = {v: [] for v in VARIANTS}
    pooled: dict[tuple[str, str], list[tuple[np.ndarray, np.ndarray]]] = {}
    cpu = dict.fromkeys(VARIANTS, 0.0)
    for origin in (int(o) for o in options.origins.split(",")):
        frame = engine.origin_frame(panel, SPEC, origin, inputs.cutpoints, inputs.neighbours)
        for direction in DIRECTIONS:
            for variant in VARIANTS:
                y, spaces, p, seconds = _held_out(variant, direction, frame)
                cpu[variant] += seconds
                pooled.setdefault((variant, direction), []).append((y, p))
                line = []
                for number, index in enumerate(DEMSPACES_INDICES):
                    rows = spaces == number
                    if len(np.unique(y[rows])) < 2:
                        continue
                    loss[variant].append(hold_out_log_loss(y[rows], p[rows]))
                    brier[variant].append(float(brier_score_loss(y[rows], p[rows])))
                    line.append(f"{index} {loss[variant][-1]:.4f}")
                print(f"{origin} {direction} {variant:<10} " + "  ".join(line), flush=True)
    print(f"\n{len(loss['current'])} space scores per variant, origins {options.origins}:")
    for variant in VARIANTS:
        parts = [
            f"  {variant:<10} log loss {np.mean(loss[variant]):.5f}  Brier {np.mean(brier[variant]):.5f}"
            f"  CPU {cpu[variant]:6.1f} s"
        ]
        for direction in DIRECTIONS:
            y = np.concatenate([r[0] for r in pooled[(variant, direction)]])
            p = np.concatenate([r[1] for r in pooled[(variant, direction)]])
            parts.append(
                f"{direction} PR-AUC {average_precision_score(y, p):.4f} ROC-AUC {roc_auc_score(y, p):.4f}"
                f" ECE {expected_calibration_error(y, p):.4f}"
            )
        print("  ".join(parts))


if __name__ == "__main__":
    main()
