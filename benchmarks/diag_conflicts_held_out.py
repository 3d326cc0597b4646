"""What the conflict-classifier diagnostics share: variants of the incidence and war classifiers
(``engine.classifier``), each fitted and scored on held-out years of the training rows.

Per origin, target (incidence, war) and horizon (1-3), the last three years of the training rows are
held out; each variant is fitted on the years before them (making its own inner-window choices inside
those) at each of its seeds, and its mean probability over the seeds is scored on the held-out years by
Brier score and log loss. Printed: each fit's hold-out Brier score per variant, then per variant the means
over the fits, incidence at h1 alone and the CPU time of its fits. Used by ``diag_conflict_calibration.py``,
``diag_conflict_capacity.py`` and ``diag_conflict_average.py``.

A variant sets the settings of one booster choosing among its candidates (``engine.classifier``: the
published model of v2-v3.11). Since v3.12 the published model is the mean of two such boosters
(``engine.main_classifier``), which ``diag_conflict_average.py`` builds as its ``average of both``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
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
from sklearn.metrics import brier_score_loss

from gbvs.forecasting import engine
from gbvs.forecasting.domain import Target, parse_target
from gbvs.forecasting.models.base import inner_split

TARGETS = ("incidence", "war")
HELD_OUT = 3
"""Years held out at the end of each training set."""
SEEDS = (0, 1, 2)
"""The seeds a published forecast averages (the backtest's three)."""
Variants = Mapping[str, tuple[Mapping[str, Any], Sequence[int]]]
"""Per variant, the classifier settings it sets (``LGBMBinary`` parameters) and the seeds it averages; or,
with settings ``{AVERAGE: names}``, the earlier variants whose probabilities it averages (no fit of its
own; its CPU time is theirs)."""


def seed_mean(
    model_at: Callable[[int], Any], seeds: Sequence[int], data: tuple[Any, ...], fit_rows: Any, rows: Any
) -> tuple[np.ndarray, float]:
    """The mean over ``seeds`` of the probabilities of ``model_at(seed)`` fitted on ``fit_rows`` of
    ``data`` (features, labels, periods) for its ``rows``, and the CPU time of the fits (which pay for
    their own screens and choices)."""
    X, y, periods = data
    clear_memories()
    started = time.process_time()
    probabilities = [
        clone(model_at(seed))
        .fit(X[fit_rows], y[fit_rows], periods=periods[fit_rows])
        .predict_proba(X[rows])[:, 1]
        for seed in seeds
    ]
    return np.mean(probabilities, axis=0), time.process_time() - started


def _held_out(
    target: Target, settings: Mapping[str, Any], seeds: Sequence[int], data: tuple[Any, ...]
) -> tuple[np.ndarray, float]:
    """The variant's mean held-out probability over its seeds and the CPU time of its fits."""
    X, y, periods, held = data
    calibration = engine.binary_calibration(target, SPEC)  # as the backtest fits it

    def model_at(seed: int) -> Any:
        return engine.classifier(target, seed, False, engine.CONFLICT_SCREEN, calibration).set_params(
            **settings
        )

    return seed_mean(model_at, seeds, (X, y, periods), ~held, held)


@dataclass(frozen=True)
class HeldOut:
    """One training set of an origin, target and horizon, its last :data:`HELD_OUT` years held out."""

    origin: int
    target: Target
    h: int
    X: pd.DataFrame
    y: np.ndarray
    periods: np.ndarray
    held: np.ndarray
    at_peace: np.ndarray
    """Rows without conflict in their own year (the onset rows of issue 11 point 3)."""

    @property
    def data(self) -> tuple[Any, np.ndarray, np.ndarray]:
        """Features, labels and periods, as :func:`seed_mean` takes them."""
        return self.X, self.y, self.periods


def held_out_sets(data_dir: Path, origins: str, targets: Sequence[str] = TARGETS) -> Iterator[HeldOut]:
    """The conflict diagnostics' training sets: per origin (comma-separated), target and horizon, the
    backtest's training rows with 0/1 labels and their last three years marked ``held``."""
    inputs, panel = country_year(data_dir, want_demspaces=False)
    for origin in (int(o) for o in origins.split(",")):
        frame = engine.origin_frame(panel, SPEC, origin, None, inputs.neighbours)
        for name in targets:
            target = parse_target(name)
            for h in target.horizons(SPEC):
                X, y, periods = engine.training_set(frame, target, h, SPEC.key)
                held = inner_split(len(y), periods, HELD_OUT)
                at_peace = frame.panel.loc[X.index, "conflict"].to_numpy() == 0
                yield HeldOut(origin, target, h, X, y.astype(int), periods, held, at_peace)


def compare(doc: str, variants: Variants) -> None:
    """Run the variants on the origins of the command line and print their scores."""
    options = diagnostic_parser(doc).parse_args()
    brier: dict[str, list[float]] = {v: [] for v in variants}
    loss: dict[str, list[float]] = {v: [] for v in variants}
    first_year: dict[str, list[float]] = {v: [] for v in variants}
    cpu = dict.fromkeys(variants, 0.0)
    width = max(len(v) for v in variants)
    for fit in held_out_sets(options.data_dir, options.origins):
        y, held = fit.y, fit.held
        fitted: dict[str, tuple[np.ndarray, float]] = {}
        for variant, (settings, seeds) in variants.items():
            if AVERAGE in settings:
                p, seconds = average_of(fitted, settings[AVERAGE])
            else:
                p, seconds = _held_out(fit.target, settings, seeds, (fit.X, y, fit.periods, held))
            fitted[variant] = (p, seconds)
            brier[variant].append(float(brier_score_loss(y[held], p)))
            loss[variant].append(hold_out_log_loss(y[held], p))
            if fit.target.name == "incidence" and fit.h == 1:
                first_year[variant].append(brier[variant][-1])
            cpu[variant] += seconds
        line = "  ".join(f"{v}: {brier[v][-1]:.5f}" for v in variants)
        print(f"{fit.origin} {fit.target.name} h{fit.h} ({int(held.sum())} rows) Brier  {line}", flush=True)
    first = next(iter(variants))
    print(f"\n{len(brier[first])} fits, origins {options.origins}; means over the fits:")
    for variant in variants:
        print(
            f"  {variant:<{width}} Brier {np.mean(brier[variant]):.6f}  log loss {np.mean(loss[variant]):.6f}"
            f"  incidence h1 Brier {np.mean(first_year[variant]):.5f}  CPU {cpu[variant]:6.1f} s"
        )
