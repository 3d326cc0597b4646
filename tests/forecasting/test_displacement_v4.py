"""Displacement model v4 (issue 17): samples bounded by history, not by the training window's largest
value, so a country forecast near that value keeps its upper quantiles apart."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gbvs.forecasting.displacement.backtest import CALIBRATIONS, main_model
from gbvs.forecasting.displacement.models import BOUND_QUANTILE, HistoryBound, LastValueSpread, LGBMChange
from gbvs.forecasting.models.choice import widen

HISTORY = "d_asylum_nl"


def _series() -> tuple[pd.DataFrame, np.ndarray, np.ndarray, pd.DataFrame]:
    """40 origins over 2000-2015 (log1p random walks with a small upward drift) whose largest value
    is the last year of origin 0: training rows 2002-2014 (outcome the next year), forecast row
    origin 0 in 2015, at the training window's maximum."""
    rng = np.random.default_rng(7)
    years = np.arange(2000, 2016)
    frames = []
    for unit in range(40):
        start = rng.uniform(2.0, 7.0)
        steps = rng.normal(0.05, 0.4, len(years))
        frames.append(pd.DataFrame({"unit": unit, "period": years, "level": start + np.cumsum(steps)}))
    panel = pd.concat(frames, ignore_index=True)
    top = (panel["unit"] == 0) & (panel["period"] == 2015)
    panel.loc[top, "level"] = panel["level"].max() + 0.5
    by_unit = panel.groupby("unit")["level"]
    panel[HISTORY] = panel["level"]
    panel[f"{HISTORY}_lag1"] = by_unit.shift(1)
    panel[f"{HISTORY}_lag2"] = by_unit.shift(2)
    panel["y"] = np.expm1(by_unit.shift(-1))
    columns = [HISTORY, f"{HISTORY}_lag1", f"{HISTORY}_lag2"]
    train = panel[(panel["period"] >= 2002) & (panel["period"] <= 2014)]
    return train[columns], train["y"].to_numpy(), train["period"].to_numpy(), panel.loc[top, columns]


def _quantiles(samples: np.ndarray) -> dict[float, float]:
    return {q: float(np.quantile(samples[0], q)) for q in (0.25, 0.5, 0.75, 0.95)}


@pytest.mark.parametrize("model", [LGBMChange(history=HISTORY), LastValueSpread(history=HISTORY)],
                         ids=["lgbm", "past-changes"])  # fmt: skip
def test_upper_quantiles_do_not_collapse_at_the_training_maximum(model: object) -> None:
    X, y, periods, row = _series()
    assert np.isclose(np.expm1(row[HISTORY].iloc[0]), y.max())  # the row is at the training maximum
    fitted = model.fit(X, y, periods=periods)  # type: ignore[attr-defined]
    q = _quantiles(np.asarray(fitted.predict_samples(row)))
    assert q[0.95] > q[0.75] * 1.05  # v3: q0.75 == q0.95 == the training maximum
    assert q[0.95] > y.max()


def test_the_main_model_bounded_by_history_keeps_its_upper_quantiles_apart_at_the_training_maximum() -> None:
    X, y, periods, row = _series()
    by_history = [c for c in CALIBRATIONS if c.bound == BOUND_QUANTILE]  # v5 may also choose v3's bound
    fitted = main_model(HISTORY, seed=0).set_params(calibrations=by_history).fit(X, y, periods=periods)
    q = _quantiles(np.asarray(fitted.predict_samples(row)))
    assert q[0.25] < q[0.5] < q[0.75] < q[0.95]
    assert q[0.95] > y.max()


def test_the_history_bound_is_never_below_the_training_maximum_and_finite() -> None:
    X, y, _, row = _series()
    bound = HistoryBound(history=HISTORY).fit(X, y)
    caps = bound.max_log(pd.concat([X, row]))
    assert np.all(caps >= np.log1p(y.max()))  # never tighter than v3's bound
    assert np.all(np.isfinite(caps))
    rise = bound.rises_[1]
    assert 0 < rise < np.max(np.log1p(y) - X[HISTORY].to_numpy())  # the 99% quantile, not the largest rise
    assert np.isclose(bound.max_log(row)[0], row[HISTORY].iloc[0] + rise)


def test_widen_takes_one_bound_per_row() -> None:
    samples = np.expm1(np.array([[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]]))
    wide = widen(samples, 2.0, np.array([10.0, 3.5]))
    np.testing.assert_allclose(np.log1p(wide[0]), [0.0, 2.0, 4.0])
    np.testing.assert_allclose(np.log1p(wide[1]), [0.0, 2.0, 3.5])
