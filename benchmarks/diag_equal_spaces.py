"""Diagnostic (not a test, not a backtest): why do two spaces of one country get the same probability?

The live forecast gives some spaces of a country exactly the same closing (or opening) probability,
e.g. Senegal's individual and informational closing, both 72.09% from 2023. This script fits the live
democratic-space model of each direction (one pooled model per direction, as ``gbvs forecast`` does,
seed 0: the model samples nothing, so every seed gives it) at the last origin with V-Dem data, and sorts
every pair of spaces of one country and direction whose probabilities are equal into:

* **both at the bound**: both spaces are less than one cutpoint from the end of their scale, so the
  bound rule gives both the training rows' event rate there (``models.bounds.SpaceBound``);
* **same leaf in every tree**: the booster puts both rows in the same leaf of each of its trees (their
  own-space features differ, but not across any threshold the trees split on);
* **other**: anything else (a bug, if ever non-zero).

Result (2026-12-04, v3.9, the store of ``gbvs ingest`` from the mirror, origin 2023, 174 countries): closing
1,044 forecasts, 83 equal pairs (16 both at the bound, 67 same leaf in every tree of 68, 0 other), 102
forecasts share their probability with another space; opening 1,044 forecasts, 147 equal pairs (136 at
the bound, 11 same leaf in every tree of 67, 0 other), 111 forecasts. With v3.10's larger trees
(``engine.WIDER``): closing 25 equal pairs (16 at the bound, 9 same leaf in every tree of 285, 0 other),
30 forecasts; opening 187 (136 at the bound, 51 same leaf in every tree of 92, 0 other), 162 forecasts.
v3.11 (each space's own indicators): closing 41 equal pairs (16 at the bound, 25 same leaf in every tree
of 108, 0 other), 49 forecasts; opening 194 (136, 58 of 72 trees, 0 other), 160 forecasts.
Usage::

    .venv/bin/python benchmarks/diag_equal_spaces.py --data-dir DIR
"""

from __future__ import annotations

import argparse
import itertools
from pathlib import Path

import numpy as np
import pandas as pd
from diag_inputs import SPEC, country_year

from gbvs.forecasting import engine
from gbvs.forecasting.domain import TARGETS, Target
from gbvs.forecasting.live import last_origin
from gbvs.forecasting.pooling import direction_targets


def _per_space(frame: engine.OriginFrame, target: Target) -> tuple[dict[str, tuple], int]:
    """Per space of ``target``'s direction: probabilities, at-the-bound mask and leaf indices of the
    origin rows; and the booster's number of trees."""
    main = engine.pooled_space_model(target, 0)
    model, _ = engine.fit_predict(main, frame, target, target.horizons(SPEC)[0], SPEC.key)
    bound = model.estimator_  # the bound rule (models.bounds.SpaceBound) around the booster
    booster = bound.estimator_
    found = {}
    for space in direction_targets(target):
        X = engine.forecast_features(main, frame, space)
        found[space.name] = (
            model.predict_proba(X)[:, 1],
            X[bound.room].to_numpy(dtype=float) < bound.limit,
            booster.booster_.predict(X[booster.features_], pred_leaf=True),
        )
    return found, int(booster.n_trees_)


def _equal_pairs(per_space: dict[str, tuple]) -> pd.Series:
    """Counts of equal pairs by cause."""
    counts = pd.Series(0, index=["equal pairs", "both at the bound", "same leaf in every tree", "other"])
    for a, b in itertools.combinations(per_space, 2):
        (pa, bound_a, leaves_a), (pb, bound_b, leaves_b) = per_space[a], per_space[b]
        equal = pa == pb
        at_bound = equal & bound_a & bound_b
        same_leaves = equal & ~at_bound & (leaves_a == leaves_b).all(axis=1)
        counts += [equal.sum(), at_bound.sum(), same_leaves.sum(), (equal & ~at_bound & ~same_leaves).sum()]
    return counts


def main() -> None:
    """Print per direction the equal pairs by cause and how many forecasts share a probability."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data-dir", type=Path, required=True, help="a data folder with a built store")
    options = parser.parse_args()
    inputs, panel = country_year(options.data_dir, want_demspaces=True)
    for direction in ("closing", "opening"):
        target = TARGETS[f"{direction}_electoral"]
        origin = last_origin(panel, target)
        frame = engine.origin_frame(panel, SPEC, origin, inputs.cutpoints, inputs.neighbours)
        per_space, trees = _per_space(frame, target)
        p = {name: values[0] for name, values in per_space.items()}
        sharing = sum(int((np.sum([p[o] == p[s] for o in p if o != s], axis=0) > 0).sum()) for s in p)
        counts = _equal_pairs(per_space)
        print(
            f"{direction} from {origin}: {sum(len(v) for v in p.values())} forecasts, {trees} trees; "
            + ", ".join(f"{k} {int(v)}" for k, v in counts.items())
            + f"; {sharing} forecasts share their probability with another space"
        )


if __name__ == "__main__":
    main()
