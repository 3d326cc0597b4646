"""Diagnostic (not a test, not a backtest): would a wider choice of spreads help the battle-death model?

The hurdle's spread (a widening on the log scale) and its share of persistence are chosen per fit on the
inner window by CRPS (``engine.COUNT_CALIBRATIONS``: scales 0.8, 1, 1.25 and shares 0, 0.25, 0.5).
The 50% interval of the backtest covers fewer outcomes than it should, and the inner windows often pick
the largest scale on offer, so this script asks whether scales up to 1.6 or 2 would be chosen and what
they would give. Judged on inner windows only: per origin and horizon the last three years of the
training rows are held out, the model is fitted on the years before (making its own inner-window
choice there, from each grid) and scored on the held-out years by CRPS, randomised-PIT coverage of the
central 50% and 90% intervals and MSLE of the median, at seed 0. Usage::

    .venv/bin/python benchmarks/diag_calibration.py --data-dir DIR [--origins 2008,2014,2020]
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import clone
from sklearn.metrics import mean_squared_log_error

from gbvs.config import load_settings
from gbvs.forecasting import engine
from gbvs.forecasting.domain import TARGETS, parse_unit
from gbvs.forecasting.metrics import crps, pit_coverage
from gbvs.forecasting.models.base import inner_split
from gbvs.forecasting.models.choice import Calibration
from gbvs.forecasting.service import load_inputs
from gbvs.store import open_store

SPEC = parse_unit("country-year")
TARGET = TARGETS["battle_deaths"]
BLENDS = (0.0, 0.25, 0.5)
GRIDS: dict[str, tuple[Calibration, ...]] = {
    "current (scales to 1.25)": engine.COUNT_CALIBRATIONS,
    "scales to 1.6": tuple(Calibration(s, b) for s in (0.8, 1.0, 1.25, 1.6) for b in BLENDS),
    "scales to 2": tuple(Calibration(s, b) for s in (0.8, 1.0, 1.25, 1.6, 2.0) for b in BLENDS),
}
SCORES = ("crps", "pit50", "pit90", "msle")


def _scores(y: np.ndarray, samples: np.ndarray) -> tuple[float, ...]:
    median = np.clip(np.median(samples, axis=1), 0, None)
    return (
        float(np.mean(crps(y, samples))),
        float(np.mean(pit_coverage(y, samples, 0.5))),
        float(np.mean(pit_coverage(y, samples, 0.9))),
        float(mean_squared_log_error(y, median)),
    )


def _held_out(grid: tuple[Calibration, ...], data: tuple[Any, ...]) -> tuple[Calibration, tuple[float, ...]]:
    X, y, periods, held = data
    model = engine.model_set(TARGET, SPEC, 0)["lgbm"].set_params(calibrations=grid)
    fitted = clone(model).fit(X[~held], y[~held], periods=periods[~held])
    return fitted.calibration_, _scores(y[held], fitted.predict_samples(X[held]))


def main() -> None:
    """Print each fit's chosen calibration and hold-out scores per grid, and their means."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--origins", default="2008,2014,2020")
    options = parser.parse_args()
    os.environ["GBVS_DATA_DIR"] = str(options.data_dir)
    with open_store(load_settings().resolved_store_path) as store:
        inputs = load_inputs(store, SPEC, want_demspaces=False)
    panel = engine.with_period(inputs.panel, SPEC)
    found: dict[str, list[tuple[float, ...]]] = {name: [] for name in GRIDS}
    for origin in (int(o) for o in options.origins.split(",")):
        frame = engine.origin_frame(panel, SPEC, origin, None, inputs.neighbours)
        for h in TARGET.horizons(SPEC):
            X, y, periods = engine.training_set(frame, TARGET, h, SPEC.key)
            data = (X, y.astype(float), periods, inner_split(len(y), periods, 3))
            for name, grid in GRIDS.items():
                chosen, scores = _held_out(grid, data)
                found[name].append(scores)
                figures = " ".join(f"{s} {v:.3f}" for s, v in zip(SCORES, scores, strict=True))
                print(f"origin {origin} h{h} {name}: scale {chosen.scale} share {chosen.blend}: {figures}")
    for name, rows in found.items():
        means = np.mean(np.asarray(rows), axis=0)
        print(f"MEAN {name}: " + " ".join(f"{s} {v:.4f}" for s, v in zip(SCORES, means, strict=True)))


if __name__ == "__main__":
    main()
