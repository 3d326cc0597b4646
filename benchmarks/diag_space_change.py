"""Diagnostic (not a test, not a backtest): does a regression on *how far* a space's index moves add to
the democratic-space classifier, which only learns *whether* it crossed its cutpoint?

The pooled classifier (v3.11-v3.15) learns from each row's label: an opening or closing of its own space
within two years, about one row in ten. A row whose index fell by 0.9 cutpoints is a non-event to it, like
one that did not move. A regression on the size of the largest move within the two years, in units of the
space's cutpoint (closing: the largest fall below this year's value, opening: the largest rise; negative
when the index moved the other way; clipped to [-2, 4]), learns from every row's magnitude. Variants, per
origin and direction, on the pooled rows of ``diag_spaces_held_out.py`` (the last three training years held
out, fits on the rows at least two years before them, 72 space scores):

* ``current``: the classifier as published (``engine.pooled_space_model``, seed 0);
* ``change regression``: LightGBM regression (the classifier's default tree settings: 15 leaves, 20 rows,
  learning rate 0.05, 300 trees, 80% of rows and columns per tree, seed 0) on the pooled view, its output
  turned into a probability by a logistic regression of the label on it, fitted on the last three years
  of the fit rows with the regression trained on the years at least two before them, then the regression
  refitted on all fit rows; rows at the bound (room below one cutpoint) get the fit rows' event rate there,
  as the classifier's bound rule does;
* ``mean of both``: the mean of the two probabilities.

**Adoption rule, fixed before the first run (2026-12-06):** ``mean of both`` (or, if it fails,
``change regression``) joins the published model if its mean hold-out log loss over the 72 space scores is
at least 0.5% lower than ``current``'s, its mean Brier score is not higher and its pooled hold-out PR-AUC is
not lower in either direction (both qualify: the one with the lower log loss); the full country-year
backtest must then stay within ten minutes. Otherwise the classifier stays as it is.

**Result (2026-12-06, the store the README's first command built from ../shared/data at commit
``aa4c023``; 28 min beside other work):** mean hold-out log loss / Brier over the 72 space scores:
**current 0.24114 / 0.06826**; change regression 0.26308 / 0.07227; mean of both 0.24190 (+0.3%) /
0.06803. Pooled hold-out PR-AUC / ROC-AUC / ECE, closing: 0.4699 / 0.8234 / 0.0188, 0.4163 / 0.7658 /
0.0158, 0.4752 / 0.8209 / 0.0097; opening: 0.4711 / 0.8374 / 0.0158, 0.4071 / 0.7868 / 0.0176, 0.4700 /
0.8332 / 0.0108. The rule is not met (the mean's log loss is higher, its opening PR-AUC lower): **the
classifier stays as it is.** The regression alone ranks clearly worse than the classifier; averaged with
it, it calibrates better (ECE halved) and ranks no better. How far an index moved short of its cutpoint
does not tell the model more about the next crossing than the features already do.

Usage::

    .venv/bin/python benchmarks/diag_space_change.py --data-dir DIR [--origins 2005,2008,2011,2014,2017,2020]
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
from diag_inputs import SPEC, clear_memories, country_year, diagnostic_parser, hold_out_log_loss
from diag_spaces_held_out import DIRECTIONS, HELD_OUT, ORIGINS, Pooled, print_summary
from lightgbm import LGBMRegressor
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss

from gbvs.forecasting import engine
from gbvs.forecasting.domain import DEMSPACES_INDICES, TARGETS
from gbvs.forecasting.features import SPACE_NUMBER
from gbvs.forecasting.labels import _lead
from gbvs.forecasting.pooling import direction_targets, pooled_room, pooled_view, space_index

VARIANTS = ("current", "change regression", "mean of both")
CLIP = (-2.0, 4.0)
REGRESSOR = LGBMRegressor(
    n_estimators=300, learning_rate=0.05, num_leaves=15, min_child_samples=20, subsample=0.8,
    subsample_freq=1, colsample_bytree=0.8, random_state=0, verbose=-1,
)  # fmt: skip


def largest_move(panel: pd.DataFrame, index: str, cutpoint: float, down: bool, window: int) -> pd.Series:
    """Per row, the largest move of ``index`` within the next ``window`` years in cutpoints (closing: the
    largest fall, opening: the largest rise), clipped to :data:`CLIP`; NaN where a year is unknown."""
    moves = pd.concat(
        [_lead(panel, index, SPEC.key, step) - panel[index] for step in range(1, window + 1)], axis=1
    )
    largest = -moves.min(axis=1, skipna=False) if down else moves.max(axis=1, skipna=False)
    return (largest / cutpoint).clip(*CLIP)


def pooled_rows(
    frame: engine.OriginFrame, direction: str
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, np.ndarray]:
    """The classifier's pooled training rows with each row's largest move (``engine.pooled_training_set``
    plus the continuous target, same rows in the same order)."""
    first = TARGETS[f"{direction}_electoral"]
    horizon = first.horizons(SPEC)[0]
    parts, moves = [], []
    for target in (t for t in direction_targets(first) if t.event in frame.panel.columns):
        X, y, periods = engine.training_set(frame, target, horizon, SPEC.key)
        index = space_index(target)
        move = largest_move(
            frame.panel, index, float(frame.cutpoints[index]), direction == "closing", target.window
        )
        parts.append((pooled_view(X, target, frame.cutpoints), y, periods))
        moves.append(move.loc[X.index].to_numpy())
    X = pd.concat([p[0] for p in parts], ignore_index=True)
    return (
        X,
        np.concatenate([p[1] for p in parts]),
        np.concatenate([p[2] for p in parts]),
        np.concatenate(moves),
    )


def regression_probability(
    X: pd.DataFrame,
    y: np.ndarray,
    move: np.ndarray,
    periods: np.ndarray,
    X_new: pd.DataFrame,
    room: str,
    window: int,
) -> np.ndarray:
    """The ``change regression`` variant's probabilities for ``X_new`` (see the module's docstring)."""
    cut = periods.max() - HELD_OUT
    inner_fit = (periods <= cut - (window - 1)) & np.isfinite(move)
    inner_cal = periods > cut
    inner = clone(REGRESSOR).fit(X[inner_fit], move[inner_fit])
    platt = LogisticRegression(C=1e6).fit(inner.predict(X[inner_cal]).reshape(-1, 1), y[inner_cal])
    known = np.isfinite(move)
    full = clone(REGRESSOR).fit(X[known], move[known])
    p = platt.predict_proba(full.predict(X_new).reshape(-1, 1))[:, 1]
    at_bound = X[room].to_numpy(dtype=float) < 1.0
    if at_bound.any():
        p[X_new[room].to_numpy(dtype=float) < 1.0] = (y[at_bound].sum() + 0.5) / (at_bound.sum() + 1.0)
    return p


def main() -> None:
    options = diagnostic_parser(__doc__, origins=ORIGINS).parse_args()
    inputs, panel = country_year(options.data_dir, want_demspaces=True)
    loss: dict[str, list[float]] = {v: [] for v in VARIANTS}
    brier: dict[str, list[float]] = {v: [] for v in VARIANTS}
    pooled: Pooled = {}
    cpu = dict.fromkeys(VARIANTS, 0.0)
    for origin in (int(o) for o in options.origins.split(",")):
        frame = engine.origin_frame(panel, SPEC, origin, inputs.cutpoints, inputs.neighbours)
        for direction in DIRECTIONS:
            target = TARGETS[f"{direction}_electoral"]
            X, y, periods, move = pooled_rows(frame, direction)
            y = y.astype(int)
            cut = periods.max() - HELD_OUT
            held, fit_rows = periods > cut, periods <= cut - (target.window - 1)
            clear_memories()
            started = time.process_time()
            model = clone(engine.pooled_space_model(target, 0)).fit(
                X[fit_rows], y[fit_rows], periods=periods[fit_rows]
            )
            probabilities = {"current": model.predict_proba(X[held])[:, 1]}
            cpu["current"] += time.process_time() - started
            started = time.process_time()
            probabilities["change regression"] = regression_probability(
                X[fit_rows].reset_index(drop=True), y[fit_rows], move[fit_rows], periods[fit_rows], X[held],
                pooled_room(target), target.window,
            )  # fmt: skip
            cpu["change regression"] += time.process_time() - started
            probabilities["mean of both"] = (
                probabilities["current"] + probabilities["change regression"]
            ) / 2
            cpu["mean of both"] = cpu["current"] + cpu["change regression"]
            spaces = X.loc[held, SPACE_NUMBER].to_numpy()
            for variant, p in probabilities.items():
                pooled.setdefault((variant, direction), []).append((y[held], p))
                line = []
                for number, index in enumerate(DEMSPACES_INDICES):
                    rows = spaces == number
                    if len(np.unique(y[held][rows])) < 2:
                        continue
                    loss[variant].append(hold_out_log_loss(y[held][rows], p[rows]))
                    brier[variant].append(float(brier_score_loss(y[held][rows], p[rows])))
                    line.append(f"{index} {loss[variant][-1]:.4f}/{brier[variant][-1]:.4f}")
                print(f"{origin} {direction} {variant:<17} " + "  ".join(line), flush=True)
    print_summary(list(VARIANTS), loss, brier, cpu, pooled, options.origins)


if __name__ == "__main__":
    main()
