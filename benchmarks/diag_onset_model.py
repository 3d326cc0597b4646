"""Diagnostic (not a test, not a backtest): should the incidence forecast of a country at peace come from a
model trained on countries at peace only?

Issue 11 point 3 asks for an onset AP of at least 0.30 at one year: the incidence forecast scored on the
rows without conflict at the origin. One incidence model (v3.12: the mean of two boosters) serves both the
rows in conflict, where persistence dominates, and the rows at peace, where an onset is rare (63 in 1,984
test rows) and its signs differ. Variants:

* ``current`` (v3.12): ``engine.main_classifier`` for incidence, trained on every row, for every row;
* ``separate onset model``: the same model, but the rows at peace at the origin get the forecast of a
  second copy trained only on the training rows at peace (the rows in conflict keep the first).

Held out as the other conflict diagnostics held out: per origin and horizon the training rows' last three
years are held out and each variant fitted on the years before them, at seeds 0-2 (the mean of their
probabilities, as published); incidence h1-h3 at origins 2008, 2014 and 2020: 9 fits. No test year is
scored. Printed per fit and as means: the hold-out log loss and AP of the rows at peace, and the Brier
score of all rows.

**Adoption rule, fixed before the first run (2026-12-05):** ``separate onset model`` replaces ``current``
if, over the 9 fits, the mean hold-out log loss of the rows at peace is at least 1% lower and the mean
Brier score of all rows is not higher, and the full country-year backtest then stays within ten minutes.
Otherwise one model serves every row.

**Result (2026-12-05, a store built by ``gbvs ingest`` from ../shared/data, 3 min 10 s beside a test run):**
means over the 9 fits (13-24 onsets each among 418-442 rows at peace), log loss at peace / AP at peace /
Brier of all rows / CPU: **current 0.124448 / 0.3958 / 0.047350 / 32 s**; separate onset model 0.126554 /
0.3937 / 0.047857 / 24 s (+1.7% log loss, higher Brier; better in 3 of the 9 fits). The rule is not met:
**one model serves every row.** Trained on the rows at peace alone, the model loses what the rows in
conflict teach about the same drivers.

Usage::

    .venv/bin/python benchmarks/diag_onset_model.py --data-dir DIR [--origins 2008,2014,2020]
"""

from __future__ import annotations

from typing import Any

import numpy as np
from diag_conflicts_held_out import SEEDS, held_out_sets, seed_mean
from diag_inputs import SPEC, diagnostic_parser, hold_out_log_loss
from sklearn.metrics import average_precision_score, brier_score_loss

from gbvs.forecasting import engine

VARIANTS = ("current", "separate onset model")


def main() -> None:
    """Print each fit's scores per variant, then the means and CPU time."""
    options = diagnostic_parser(__doc__).parse_args()
    scores: dict[str, dict[str, list[float]]] = {
        v: {"peace loss": [], "peace AP": [], "Brier": []} for v in VARIANTS
    }
    cpu = dict.fromkeys(VARIANTS, 0.0)
    for fit in held_out_sets(options.data_dir, options.origins, ("incidence",)):

        def main_incidence(seed: int, target: Any = fit.target) -> Any:
            return engine.main_classifier(target, SPEC, seed, False, engine.CONFLICT_SCREEN)

        y, held, peace = fit.y, fit.held, fit.at_peace
        p, seconds = seed_mean(main_incidence, SEEDS, fit.data, ~held, held)
        cpu["current"] += seconds
        separate = p.copy()
        separate[peace[held]], seconds = seed_mean(
            main_incidence, SEEDS, fit.data, ~held & peace, held & peace
        )
        cpu["separate onset model"] += seconds
        at_peace = peace[held]
        line = []
        for variant, q in zip(VARIANTS, (p, separate), strict=True):
            scores[variant]["peace loss"].append(hold_out_log_loss(y[held][at_peace], q[at_peace]))
            scores[variant]["peace AP"].append(float(average_precision_score(y[held][at_peace], q[at_peace])))
            scores[variant]["Brier"].append(float(brier_score_loss(y[held], q)))
            line.append(
                f"{variant}: peace log loss {scores[variant]['peace loss'][-1]:.5f} AP "
                f"{scores[variant]['peace AP'][-1]:.4f} Brier {scores[variant]['Brier'][-1]:.5f}"
            )
        onsets = int(y[held][at_peace].sum())
        print(
            f"{fit.origin} h{fit.h} ({int(at_peace.sum())} rows at peace, {onsets} onsets)  "
            + "  ".join(line)
        )
    print(f"\nmeans over {len(scores['current']['Brier'])} fits, origins {options.origins}:")
    for variant in VARIANTS:
        means = "  ".join(f"{name} {np.mean(values):.6f}" for name, values in scores[variant].items())
        print(f"  {variant:<21} {means}  CPU {cpu[variant]:6.1f} s")


if __name__ == "__main__":
    main()
