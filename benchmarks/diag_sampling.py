"""Diagnostic (not a test, not a backtest): what sampling rows and columns, and averaging seeds, is worth.

Judged on inner windows only: per target, horizon and origin, the last three years of the training
rows are held out, the model is fitted on the years before them (making its own inner-window choices
inside those) and scored by log loss on the held-out years. Three variants of the main classifier:

* ``mean of 3 sampled seeds``: as the backtest and the live forecast of the conflict models publish it
  (rows and columns sampled, 80% each; the mean over seeds 0-2);
* ``1 sampled seed``: seed 0 only (what one seed would cost);
* ``no sampling``: every row and column, one model whatever the seed (v3.6's democratic-space models).

It prints each fit's hold-out log loss and, per group, the mean, the pooled hold-out PR-AUC (per
direction for the democratic spaces, per target otherwise) and the CPU time of the fits. Usage::

    .venv/bin/python benchmarks/diag_sampling.py --data-dir DIR [--origins 2008,2014,2020]
        [--targets spaces | incidence,war]
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from diag_inputs import SPEC, country_year, diagnostic_parser, hold_out_log_loss
from sklearn.base import clone
from sklearn.metrics import average_precision_score

from gbvs.forecasting import engine
from gbvs.forecasting.domain import TARGETS, Target, parse_target
from gbvs.forecasting.models.base import inner_split
from gbvs.forecasting.models.memory import CHOICES, REFITS, SCREENS

NO_SAMPLING = {"subsample": 1.0, "colsample_bytree": 1.0}
VARIANTS = ("mean of 3 sampled seeds", "1 sampled seed", "no sampling")


def _classifier(target: Target, seed: int, sampling: bool) -> Any:
    model = (
        engine.per_space_model(target, seed)
        if target.demspaces
        else engine.model_set(target, SPEC, seed)["lgbm"]
    )
    inner = model.estimator if target.demspaces else model  # SpaceBound wraps the classifier (v3.2-v3.7)
    inner.set_params(**({"subsample": 0.8, "colsample_bytree": 0.8} if sampling else NO_SAMPLING))
    return model


def _held_out(
    target: Target, seeds: tuple[int, ...], sampling: bool, data: tuple[Any, ...]
) -> tuple[Any, float]:
    X, y, periods, held = data
    for memory in (SCREENS, CHOICES, REFITS):  # each variant pays for its own choices
        memory.clear()
    started = time.process_time()
    probabilities = [
        clone(_classifier(target, seed, sampling))
        .fit(X[~held], y[~held], periods=periods[~held])
        .predict_proba(X[held])[:, 1]
        for seed in seeds
    ]
    return probabilities, time.process_time() - started


def main() -> None:
    """Print the hold-out log loss of each variant per fit and its mean and CPU per group."""
    parser = diagnostic_parser(__doc__)
    parser.add_argument("--targets", default="spaces", help="'spaces' (the 12 closing/opening) or names")
    options = parser.parse_args()
    names = (
        [n for n in TARGETS if TARGETS[n].demspaces]
        if options.targets == "spaces"
        else options.targets.split(",")
    )
    inputs, panel = country_year(options.data_dir, want_demspaces=True)
    losses: dict[str, list[float]] = {v: [] for v in VARIANTS}
    pooled: dict[tuple[str, str], list[tuple[np.ndarray, np.ndarray]]] = {}
    cpu = dict.fromkeys(VARIANTS, 0.0)
    for origin in (int(o) for o in options.origins.split(",")):
        frame = engine.origin_frame(panel, SPEC, origin, inputs.cutpoints, inputs.neighbours)
        for name in names:
            target = parse_target(name)
            for h in target.horizons(SPEC):
                X, y, periods = engine.training_set(frame, target, h, SPEC.key)
                held = inner_split(len(y), periods, 3)
                if len(np.unique(y[held])) < 2 or len(np.unique(y[~held])) < 2:
                    continue
                data = (X, y.astype(int), periods, held)
                sampled, sampled_cpu = _held_out(target, (0, 1, 2), True, data)
                single, single_cpu = _held_out(target, (0,), True, data)
                plain, plain_cpu = _held_out(target, (0,), False, data)
                found = dict(zip(VARIANTS, (np.mean(sampled, axis=0), single[0], plain[0]), strict=True))
                group = name.split("_")[0] if target.demspaces else name
                for variant, cost in zip(VARIANTS, (sampled_cpu, single_cpu, plain_cpu), strict=True):
                    losses[variant].append(hold_out_log_loss(y[held].astype(int), found[variant]))
                    pooled.setdefault((group, variant), []).append((y[held].astype(int), found[variant]))
                    cpu[variant] += cost
                line = "  ".join(f"{v}: {losses[v][-1]:.5f}" for v in VARIANTS)
                print(f"{origin} {name} h{h} ({int(held.sum())} rows)  {line}", flush=True)
    print(f"\n{len(losses[VARIANTS[0]])} fits of {options.targets}, origins {options.origins}:")
    for (group, variant), parts in sorted(pooled.items()):
        y_all = np.concatenate([part[0] for part in parts])
        p_all = np.concatenate([part[1] for part in parts])
        print(
            f"  {group:<12} {variant:<26} pooled hold-out PR-AUC {average_precision_score(y_all, p_all):.4f}"
        )
    for variant in VARIANTS:
        print(
            f"  {variant:<26} mean hold-out log loss {np.mean(losses[variant]):.5f}",
            f"  CPU {cpu[variant]:6.1f} s",
        )


if __name__ == "__main__":
    main()
