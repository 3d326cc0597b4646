"""What the democratic-space diagnostics share: variants of the pooled classifier's settings, each fitted
and scored on held-out years of the pooled training rows, per space.

Per origin and direction, the pooled training rows' last three years are held out and each variant is
fitted on the rows before them (with ``embargo``, on the rows at least two years before the first of
them, so no training label shares a year with a held-out label; without, on every earlier row), then
scored per space on the held-out events. Printed: each space's hold-out log loss and Brier score per
variant, then per variant the mean log loss and Brier score over the space scores, the CPU time of its
fits and, per direction, the pooled hold-out PR-AUC, ROC-AUC and ECE. Used by ``diag_space_capacity.py``
and ``diag_space_calibration.py``.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from diag_inputs import (
    AVERAGE,
    SPEC,
    average_of,
    clear_memories,
    country_year,
    diagnostic_parser,
    hold_out_log_loss,
)
from sklearn.base import clone
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

from gbvs.forecasting import engine
from gbvs.forecasting.domain import DEMSPACES_INDICES, TARGETS
from gbvs.forecasting.features import SPACE_NUMBER
from gbvs.forecasting.metrics import expected_calibration_error

CLASSIFIER = "estimator__estimator__"
"""The prefix of the classifier's settings inside ``PooledSpaces(SpaceBound(LGBMBinary))``."""
DIRECTIONS = ("closing", "opening")
HELD_OUT = 3
"""Years held out at the end of each training set."""
ORIGINS = "2005,2008,2011,2014,2017,2020"
Variants = Mapping[str, Mapping[str, Any]]
"""Per variant, the classifier settings it sets (``LGBMBinary`` parameters) and, under ``WITHOUT``, the
prefixes of the pooled view's columns it leaves out; or, under ``AVERAGE``, the names of earlier variants
whose probabilities it averages (no fit of its own; its CPU time is theirs)."""
WITHOUT = "without"
WITHOUT_COLUMNS = "without columns"
"""Like :data:`WITHOUT`, but exact column names (a name that starts another, ``v2x_partip`` and
``v2x_partipdem``, leaves the other in)."""


def _held_out(
    settings: Mapping[str, Any], direction: str, frame: Any, embargo: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Held-out events, space numbers and the variant's probabilities for one origin and direction, and
    the CPU time of its fit."""
    target = TARGETS[f"{direction}_electoral"]
    X, y, periods = engine.pooled_training_set(frame, target, target.horizons(SPEC)[0], SPEC.key)
    y = y.astype(int)
    cut = periods.max() - HELD_OUT
    held, fit_rows = periods > cut, periods <= cut - (target.window - 1 if embargo else 0)
    clear_memories()
    started = time.process_time()
    exact = set(settings.get(WITHOUT_COLUMNS, ()))
    X = X.drop(columns=[c for c in X.columns if c.startswith(tuple(settings.get(WITHOUT, ()))) or c in exact])
    model = clone(engine.pooled_space_model(target, 0)).set_params(
        **{
            CLASSIFIER + name: value
            for name, value in settings.items()
            if name not in (WITHOUT, WITHOUT_COLUMNS)
        }
    )
    model.fit(X[fit_rows], y[fit_rows], periods=periods[fit_rows])
    p = model.predict_proba(X[held])[:, 1]
    return y[held], X.loc[held, SPACE_NUMBER].to_numpy(), p, time.process_time() - started


def compare(
    doc: str,
    variants: Variants,
    origins: str = ORIGINS,
    embargo: bool = True,
    parser: argparse.ArgumentParser | None = None,
    widen: Callable[[pd.DataFrame, argparse.Namespace], pd.DataFrame] | None = None,
) -> None:
    """Run the variants on the origins of the command line (default ``origins``) and print their scores;
    ``parser`` replaces the shared command line, ``widen`` adds columns to the store's panel."""
    options = (parser or diagnostic_parser(doc, origins=origins)).parse_args()
    inputs, panel = country_year(options.data_dir, want_demspaces=True)
    panel = widen(panel, options) if widen else panel
    loss: dict[str, list[float]] = {v: [] for v in variants}
    brier: dict[str, list[float]] = {v: [] for v in variants}
    pooled: dict[tuple[str, str], list[tuple[np.ndarray, np.ndarray]]] = {}
    cpu = dict.fromkeys(variants, 0.0)
    width = max(len(v) for v in variants)
    for origin in (int(o) for o in options.origins.split(",")):
        frame = engine.origin_frame(panel, SPEC, origin, inputs.cutpoints, inputs.neighbours)
        for direction in DIRECTIONS:
            fitted: dict[str, tuple[np.ndarray, float]] = {}
            for variant, settings in variants.items():
                if AVERAGE in settings:
                    p, seconds = average_of(fitted, settings[AVERAGE])
                else:
                    y, spaces, p, seconds = _held_out(settings, direction, frame, embargo)
                fitted[variant] = (p, seconds)
                cpu[variant] += seconds
                pooled.setdefault((variant, direction), []).append((y, p))
                line = []
                for number, index in enumerate(DEMSPACES_INDICES):
                    rows = spaces == number
                    if len(np.unique(y[rows])) < 2:
                        continue
                    loss[variant].append(hold_out_log_loss(y[rows], p[rows]))
                    brier[variant].append(float(brier_score_loss(y[rows], p[rows])))
                    line.append(f"{index} {loss[variant][-1]:.4f}/{brier[variant][-1]:.4f}")
                print(f"{origin} {direction} {variant:<{width}} " + "  ".join(line), flush=True)
    print_summary(list(variants), loss, brier, cpu, pooled, options.origins)


Pooled = dict[tuple[str, str], list[tuple[np.ndarray, np.ndarray]]]
"""Per variant and direction, the held-out events and probabilities of each origin."""


def print_summary(
    variants: list[str],
    loss: Mapping[str, list[float]],
    brier: Mapping[str, list[float]],
    cpu: Mapping[str, float],
    pooled: Pooled,
    origins: str,
) -> None:
    """Per variant, the mean log loss and Brier score over the space scores, the CPU time of its fits and,
    per direction, the pooled hold-out PR-AUC, ROC-AUC and ECE."""
    width = max(len(v) for v in variants)
    print(f"\n{len(loss[variants[0]])} space scores per variant, origins {origins}:")
    for variant in variants:
        parts = [
            f"  {variant:<{width}} log loss {np.mean(loss[variant]):.5f}  Brier {np.mean(brier[variant]):.5f}"
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
