"""The published forecast (the main model's probability averaged over its seeds) is scored as its own row."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score, brier_score_loss

from gbvs.forecasting.evaluation import SEED_MEAN, over_seeds, score_table, with_seed_mean


def _pred() -> pd.DataFrame:
    y = np.array([1, 0, 1, 0, 0, 1])
    seeds = {0: [0.9, 0.6, 0.3, 0.2, 0.1, 0.8], 1: [0.5, 0.2, 0.7, 0.4, 0.3, 0.6]}
    rows = [
        pd.DataFrame(
            {
                "gwcode": [2, 20, 40, 70, 90, 100],
                "period": 2015,
                "p": p,
                "y": y,
                "model": "lgbm",
                "seed": seed,
                "target": "incidence",
                "horizon": 1,
                "origin": 2015,
                "onset_subset": [False, True, False, True, True, False],
                "kind": "binary",
            }
        )
        for seed, p in seeds.items()
    ]
    baseline = rows[0].assign(model="persistence", p=[1.0, 0, 1.0, 0, 0, 0])
    return pd.concat([*rows, baseline], ignore_index=True)


def test_the_seed_mean_is_one_more_model_on_the_same_rows() -> None:
    pred = _pred()
    out = with_seed_mean(pred, "gwcode")
    published = out[out["model"] == SEED_MEAN].sort_values("gwcode")
    assert len(published) == 6 and set(published["seed"]) == {0}
    assert np.allclose(published["p"], [0.7, 0.4, 0.5, 0.3, 0.2, 0.7])
    assert published["y"].tolist() == [1, 0, 1, 0, 0, 1]
    assert len(out) == len(pred) + 6  # the seeds' own rows stay
    scores = over_seeds(score_table(out, "gwcode", {}))
    row = scores[(scores["model"] == SEED_MEAN) & (scores["subset"] == "all")].iloc[0]
    mean_p = published["p"].to_numpy()
    assert row["ap_mean"] == average_precision_score(published["y"], mean_p)
    assert np.isclose(row["brier_mean"], brier_score_loss(published["y"], mean_p))
    assert row["seeds"] == 1
    per_seed = scores[(scores["model"] == "lgbm") & (scores["subset"] == "all")].iloc[0]
    assert per_seed["seeds"] == 2 and per_seed["brier_mean"] > row["brier_mean"]  # averaging helps here


def test_one_seed_or_counts_only_add_nothing() -> None:
    pred = _pred()
    one = pred[pred["seed"] == 0]
    assert with_seed_mean(one, "gwcode").equals(one)
    counts = pred.assign(kind="counts")
    assert with_seed_mean(counts, "gwcode").equals(counts)
