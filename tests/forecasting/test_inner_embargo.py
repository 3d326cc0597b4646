"""The inner window's embargo: rows whose labels share years with the inner window's are left out of the
inner fit, as the backtest leaves them out of training."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gbvs.errors import ForecastError
from gbvs.forecasting.models import LGBMBinary
from gbvs.forecasting.models.base import before_inner, inner_split

PERIODS = np.array([2000, 2000, 2001, 2002, 2003, 2004, 2005, 2006, 2006, 2007])


def test_without_an_embargo_every_row_before_the_inner_window_trains() -> None:
    inner = inner_split(len(PERIODS), PERIODS, 3)  # 2005-2007
    assert list(PERIODS[inner]) == [2005, 2006, 2006, 2007]
    assert np.array_equal(before_inner(PERIODS, inner, 0), ~inner)


def test_an_embargo_of_one_leaves_out_the_year_before_the_inner_window() -> None:
    """A two-year label of 2004 (2005-2006) shares 2006 with the label of 2005 (2006-2007); 2003's
    (2004-2005) shares nothing with it."""
    inner = inner_split(len(PERIODS), PERIODS, 3)
    assert list(PERIODS[before_inner(PERIODS, inner, 1)]) == [2000, 2000, 2001, 2002, 2003]
    assert list(PERIODS[before_inner(PERIODS, inner, 2)]) == [2000, 2000, 2001, 2002]


def test_without_periods_there_is_nothing_to_embargo() -> None:
    inner = inner_split(10, None, 3)
    assert np.array_equal(before_inner(None, inner, 1), ~inner)


def test_a_negative_embargo_is_refused_with_the_fix() -> None:
    with pytest.raises(ForecastError, match="must be 0 or a number of periods"):
        before_inner(PERIODS, inner_split(len(PERIODS), PERIODS, 3), -1)


def _leaky_rows() -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Ten years of 200 rows; the label follows the feature, except in the year before the last three,
    where it is the opposite: an inner fit that trains on that year learns a worse model."""
    rng = np.random.default_rng(0)
    periods = np.repeat(np.arange(2000, 2010), 200)
    x = rng.uniform(0, 1, len(periods))
    y = (rng.uniform(0, 1, len(periods)) < x).astype(int)
    flipped = periods == 2006
    y[flipped] = 1 - y[flipped]
    return pd.DataFrame({"x": x, "noise": rng.uniform(0, 1, len(periods))}), y, periods


def test_the_inner_fit_leaves_out_the_embargoed_year() -> None:
    X, y, periods = _leaky_rows()
    settings = {"n_estimators": 60, "learning_rate": 0.1, "early_stopping_rounds": 10}
    plain = LGBMBinary(**settings).fit(X, y, periods=periods)
    embargoed = LGBMBinary(embargo=1, **settings).fit(X, y, periods=periods)
    assert embargoed.inner_loss_ < plain.inner_loss_  # the flipped year no longer trains the inner fit
