"""The battle-death hurdle (issue 11 point 4): P(deaths) x size quantiles, bounded by history."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from gbvs.errors import ForecastError
from gbvs.forecasting.models import HurdleCount
from gbvs.forecasting.models.hurdle import mixture_quantiles, recent_maximum
from gbvs.forecasting.models.lgbm import LGBMCount


def test_mixture_quantiles_put_the_no_deaths_share_at_zero_by_hand() -> None:
    levels = np.array([0.1, 0.5, 0.9])
    sizes = np.array([[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]])
    out = mixture_quantiles(np.array([0.3, 1.0]), sizes, levels, 10)
    # p = 0.3: u = 0.05 ... 0.95; the first 7 (u < 0.7) are "no deaths" (NaN here, 0 deaths later)
    assert np.isnan(out[0, :7]).all()
    # u = 0.75, 0.85, 0.95 -> conditional (u - 0.7) / 0.3 = 1/6, 1/2, 5/6 -> interpolated sizes
    assert out[0, 7:] == pytest.approx([1.0 + (1 / 6 - 0.1) / 0.4, 2.0, 2.0 + (5 / 6 - 0.5) / 0.4])
    # p = 1: the size's own quantile function, flat beyond the outer levels
    assert out[1, 0] == 1.0 and out[1, -1] == 3.0 and out[1, 5] == pytest.approx(2.0 + 0.05 / 0.4)


def test_recent_maximum_uses_the_history_and_its_lags_only() -> None:
    X = pd.DataFrame(
        {
            "log_brd": [0.0, 2.0, np.nan],
            "log_brd_lag1": [5.0, np.nan, np.nan],
            "log_brd_mean3": [9.0, 9.0, 9.0],
        }
    )
    assert recent_maximum(X, "log_brd").tolist() == [5.0, 2.0, 0.0]


def _panel(seed: int = 3, n_units: int = 40, years: int = 25) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Units with persistent conflict; wars' deaths vary over orders of magnitude, quiet units have none."""
    rng = np.random.default_rng(seed)
    rows, ys, periods = [], [], []
    for unit in range(n_units):
        scale = rng.uniform(3, 10)  # log deaths of this unit's wars
        deaths = 0.0
        for year in range(years):
            active = rng.random() < (0.8 if deaths > 0 else 0.05 + 0.3 * (unit % 2))
            new = float(np.round(np.expm1(scale + rng.normal(scale=0.7)))) if active else 0.0
            rows.append({"log_brd": np.log1p(deaths), "noise": rng.normal(), "odd": unit % 2})
            ys.append(new)
            periods.append(year)
            deaths = new
    return pd.DataFrame(rows), np.array(ys), np.array(periods)


def _model(**kwargs: object) -> HurdleCount:
    occurrence = (("n_estimators", 60),)
    return HurdleCount(occurrence=occurrence, n_estimators=60, learning_rate=0.1, n_samples=100, **kwargs)


def test_hurdle_follows_the_scikit_learn_contract_and_is_deterministic() -> None:
    X, y, periods = _panel()
    model = _model()
    params = model.get_params()
    fitted = clone(model).fit(X, y, periods=periods)
    assert fitted.get_params() == params
    samples = fitted.predict_samples(X.head(50))
    assert samples.shape == (50, 100) and (samples >= 0).all()
    again = clone(model).fit(X, y, periods=periods).predict_samples(X.head(50))
    assert np.array_equal(samples, again)
    assert np.array_equal(fitted.predict(X.head(5)), np.median(samples[:5], axis=1))


def test_share_of_zero_samples_is_the_occurrence_probability() -> None:
    X, y, periods = _panel()
    model = _model().fit(X, y, periods=periods)
    p = model.occurrence_.predict_proba(X)[:, 1]
    zeros = (model.predict_samples(X) == 0).mean(axis=1)
    # evenly spaced probabilities (i + 0.5) / 100: the zero share is 1 - p to within one sample
    assert np.abs(zeros - (1 - p)).max() <= 0.01 + 1e-9


def test_no_sample_exceeds_the_recent_maximum_plus_the_supported_escalation() -> None:
    X, y, periods = _panel()
    model = _model(bound_quantile=0.9).fit(X, y, periods=periods)
    samples = model.predict_samples(X)
    recent = recent_maximum(X, "log_brd")
    rise = np.where(recent > 0, model.bounds_[1], model.bounds_[0])
    cap = np.expm1(np.minimum(recent + rise, np.log1p(y.max())))
    assert (samples.max(axis=1) <= cap * (1 + 1e-9)).all()
    assert samples.max() <= y.max()


def test_a_quiet_unit_gets_no_war_sized_upper_quantile_unlike_the_residual_model() -> None:
    """The finding of issue 11: one regression on zeros and wars plus pooled residuals gave quiet or
    small-conflict rows 95% bounds far above anything in their history (Syria 2024 up to 113,761)."""
    X, y, periods = _panel()
    quiet = (X["log_brd"] == 0).to_numpy()
    hurdle = _model().fit(X, y, periods=periods).predict_samples(X[quiet])
    residual = (
        LGBMCount(n_samples=100, n_estimators=60, random_state=0).fit(X, y, periods).predict_samples(X[quiet])
    )
    onset_sizes = y[quiet & (y > 0)]
    hurdle_q95 = np.quantile(hurdle, 0.95, axis=1)
    residual_q95 = np.quantile(residual, 0.95, axis=1)
    assert np.median(hurdle_q95) <= np.quantile(onset_sizes, 0.99)
    assert np.median(hurdle_q95) < np.median(residual_q95)


def test_conformal_shifts_are_learnt_only_when_asked() -> None:
    X, y, periods = _panel()
    model = _model(conformal=True).fit(X, y, periods=periods)
    plain = _model(conformal=False).fit(X, y, periods=periods)
    assert np.any(model.shifts_ != 0) and np.all(plain.shifts_ == 0)


@pytest.mark.parametrize(
    ("settings", "message"),
    [({"levels": (0.5,)}, "at least two increasing"), ({"levels": (0.5, 0.2)}, "increasing"),
     ({"bound_quantile": 0.0}, "bound_quantile")],
)  # fmt: skip
def test_bad_settings_are_refused_with_the_fix(settings: dict[str, object], message: str) -> None:
    X, y, periods = _panel(n_units=4, years=6)
    with pytest.raises(ForecastError, match=message):
        _model(**settings).fit(X, y, periods=periods)


def test_negative_deaths_are_refused() -> None:
    X, y, periods = _panel(n_units=4, years=6)
    with pytest.raises(ForecastError, match="must not be negative"):
        _model().fit(X, -np.ones_like(y), periods=periods)


def _frozen_panel(years: int = 25, n_units: int = 40) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Every unit's deaths are the same each year: persistence is exact, no feature says more."""
    rng = np.random.default_rng(5)
    level = np.where(np.arange(n_units) % 3 == 0, 0.0, np.round(np.expm1(rng.uniform(3, 9, n_units))))
    rows = [
        {"log_brd": np.log1p(level[u]), "noise": rng.normal()} for _ in range(years) for u in range(n_units)
    ]
    y = np.tile(level, years)
    return pd.DataFrame(rows), y, np.repeat(np.arange(years), n_units)


def test_the_battle_death_model_pools_persistence_only_where_the_inner_window_says_so() -> None:
    from gbvs.forecasting.domain import UNIT_SPECS, Unit
    from gbvs.forecasting.engine import count_model

    model = count_model(UNIT_SPECS[Unit.country_year], "log_brd", seed=0, fast=True)
    # frozen deaths: persistence is exact on the inner window, so half the mixture goes to it
    X, y, periods = _frozen_panel()
    frozen = clone(model).fit(X, y, periods=periods)
    assert frozen.calibration_.blend == 0.5
    # deaths that jump each year between orders of magnitude: persistence helps little there (v3.7:
    # an eighth of the mixture at most, where its 50% and 90% intervals stay calibrated)
    X, y, periods = _panel()
    jumping = clone(model).fit(X, y, periods=periods)
    assert jumping.calibration_.blend <= 0.125
    samples = jumping.predict_samples(X.head(20))
    assert samples.shape == (20, 50) and (samples >= 0).all()
    assert list(jumping.contributions(X.head(3)).columns)[-1] == "bias"  # the hurdle's own explanation
