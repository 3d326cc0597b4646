"""Battle-death predictive samples stay within what the training window has seen."""

from __future__ import annotations

import numpy as np
import pandas as pd

from gbvs.forecasting.models.lgbm import LGBMCount


def test_samples_never_exceed_the_largest_training_count() -> None:
    rng = np.random.default_rng(1)
    n = 600
    X = pd.DataFrame({"war": rng.integers(0, 2, n), "noise": rng.normal(size=n)})
    # heavy-tailed deaths: wars vary over four orders of magnitude, so log residuals are large
    y = np.where(X["war"] == 1, np.exp(rng.uniform(3, 11, n)), rng.integers(0, 30, n)).round()
    periods = np.repeat(np.arange(n // 50), 50)
    model = LGBMCount(n_samples=200, n_estimators=50, random_state=0).fit(X, y, periods)
    samples = model.predict_samples(X)
    assert samples.max() <= y.max() * (1 + 1e-9)
    assert (samples >= 0).all()
    # the cap binds only in the tail: most war rows still get a wide distribution
    wars = samples[X["war"].to_numpy() == 1]
    assert np.median(np.quantile(wars, 0.95, axis=1) / np.quantile(wars, 0.05, axis=1)) > 10
