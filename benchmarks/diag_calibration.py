"""Diagnostic (not a test, not a backtest): which inner-window rule should choose the battle-death
model's calibration?

The hurdle's spread (a widening on the log scale) and its share of persistence are chosen per fit on the
inner window (``engine.COUNT_CALIBRATIONS``: scales 0.8, 1, 1.25 and shares 0, 0.25, 0.5). Variants:

* ``current``: the lowest inner-window CRPS (v3.3-v3.6, shares in quarters);
* ``scales to 1.6`` / ``scales to 2``: the same rule on wider grids (2026-12-03: never chosen);
* ``coverage rule``: the lowest CRPS among the calibrations whose inner-window randomised-PIT coverage
  of the central 50% and 90% intervals lies in the goal's ranges (``metrics.COVERAGE_BANDS``; Gneiting,
  Balabdaoui & Raftery 2007, sharpness subject to calibration), the lowest CRPS where none does;
* ``coverage rule on eighths``: the same on shares 0, 1/8, ..., 1/2 (the engine's settings since v3.7).

Judged on inner windows only: per origin and horizon the last three years of the training rows are held
out, the model is fitted on the years before (making its own inner-window choice there) and scored on the
held-out years by CRPS, randomised-PIT coverage of the central 50% and 90% intervals and MSLE of the
median, at seed 0.

**Adoption rule, fixed before the coverage variants were run (2026-12-03):** a variant replaces the
current rule if, over the nine hold-out fits (origins 2008, 2014, 2020, h1-h3), its mean 50% coverage is
closer to 0.5 than the current rule's, its mean 90% coverage is inside 0.85-0.95 or no farther from 0.9,
and its mean CRPS and MSLE are each at most 1% above the current rule's; of several such variants, the
one with the lowest mean CRPS.

**Result (2026-12-03, the v3.6 benchmark store):** means over the nine fits, CRPS / 50% / 90% coverage /
MSLE: current 231.53 / 0.461 / 0.879 / 1.740; coverage rule 235.80 / 0.486 / 0.885 / 1.707 (CRPS +1.8%:
not adopted); coverage rule on eighths 229.92 / 0.476 / 0.883 / 1.720 (closer coverage, lower CRPS and
MSLE: adopted as v3.7, ``engine.COUNT_CALIBRATIONS`` and ``engine.COUNT_COVERAGE``). Usage::

    .venv/bin/python benchmarks/diag_calibration.py --data-dir DIR [--origins 2008,2014,2020]
"""

from __future__ import annotations

from typing import Any

import numpy as np
from diag_inputs import SPEC, country_year, diagnostic_parser
from sklearn.base import clone
from sklearn.metrics import mean_squared_log_error

from gbvs.forecasting import engine
from gbvs.forecasting.domain import TARGETS
from gbvs.forecasting.metrics import COVERAGE_BANDS, crps, pit_coverage
from gbvs.forecasting.models.base import inner_split
from gbvs.forecasting.models.choice import Calibration

TARGET = TARGETS["battle_deaths"]
BLENDS = (0.0, 0.25, 0.5)
SCALES = (0.8, 1.0, 1.25)
VARIANTS: dict[str, tuple[tuple[Calibration, ...], Any]] = {
    "current": (tuple(Calibration(s, b) for s in SCALES for b in BLENDS), None),
    "scales to 1.6": (tuple(Calibration(s, b) for s in (*SCALES, 1.6) for b in BLENDS), None),
    "scales to 2": (tuple(Calibration(s, b) for s in (*SCALES, 1.6, 2.0) for b in BLENDS), None),
    "coverage rule": (tuple(Calibration(s, b) for s in SCALES for b in BLENDS), COVERAGE_BANDS),
    "coverage rule on eighths": (engine.COUNT_CALIBRATIONS, engine.COUNT_COVERAGE),
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


def _held_out(variant: tuple[Any, Any], data: tuple[Any, ...]) -> tuple[Calibration, tuple[float, ...]]:
    X, y, periods, held = data
    grid, coverage = variant
    model = engine.model_set(TARGET, SPEC, 0)["lgbm"].set_params(calibrations=grid, coverage=coverage)
    fitted = clone(model).fit(X[~held], y[~held], periods=periods[~held])
    return fitted.calibration_, _scores(y[held], fitted.predict_samples(X[held]))


def main() -> None:
    """Print each fit's chosen calibration and hold-out scores per variant, and their means."""
    parser = diagnostic_parser(__doc__)
    parser.add_argument("--variants", default=",".join(VARIANTS), help="comma-separated names")
    options = parser.parse_args()
    inputs, panel = country_year(options.data_dir, want_demspaces=False)
    unknown = set(options.variants.split(",")) - set(VARIANTS)
    if unknown:
        parser.error(f"unknown variants {sorted(unknown)}; choose from {list(VARIANTS)}")
    chosen_variants = {name: VARIANTS[name] for name in options.variants.split(",")}
    found: dict[str, list[tuple[float, ...]]] = {name: [] for name in chosen_variants}
    for origin in (int(o) for o in options.origins.split(",")):
        frame = engine.origin_frame(panel, SPEC, origin, None, inputs.neighbours)
        for h in TARGET.horizons(SPEC):
            X, y, periods = engine.training_set(frame, TARGET, h, SPEC.key)
            data = (X, y.astype(float), periods, inner_split(len(y), periods, 3))
            for name, variant in chosen_variants.items():
                chosen, scores = _held_out(variant, data)
                found[name].append(scores)
                figures = " ".join(f"{s} {v:.3f}" for s, v in zip(SCORES, scores, strict=True))
                print(f"origin {origin} h{h} {name}: scale {chosen.scale} share {chosen.blend}: {figures}")
    for name, rows in found.items():
        means = np.mean(np.asarray(rows), axis=0)
        print(f"MEAN {name}: " + " ".join(f"{s} {v:.4f}" for s, v in zip(SCORES, means, strict=True)))


if __name__ == "__main__":
    main()
