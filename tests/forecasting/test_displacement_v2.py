"""Displacement model v2 (issue 17): out-of-sample conflict forecasts as inputs, and the spread
calibrated on the inner window (widening, pooling with the past-changes baseline)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gbvs.forecasting.displacement.backtest import CALIBRATIONS, choice_facts, fit_forecast, model_set
from gbvs.forecasting.displacement.conflict_inputs import conflict_columns, conflict_forecasts
from gbvs.forecasting.displacement.features import origin_features
from gbvs.forecasting.displacement.models import LastValue, LastValueSpread
from gbvs.forecasting.displacement.targets import TARGETS
from gbvs.forecasting.domain import UNIT_SPECS, Unit
from gbvs.forecasting.features import build_features
from gbvs.forecasting.metrics import crps, pit_coverage
from gbvs.forecasting.models.choice import Calibration, InnerWindowChoice, pool, widen

from .test_displacement import _scramble_future, with_displacement


@pytest.fixture
def panel(country_year_panel: pd.DataFrame) -> pd.DataFrame:
    return with_displacement(country_year_panel)


def _forecasts(panel: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    cut = panel.sort_values(["gwcode", "period"]).reset_index(drop=True)
    features = build_features(cut, UNIT_SPECS[Unit.country_year])
    return cut, conflict_forecasts(cut, features, (1, 2), first_year=2005)


def test_each_years_conflict_forecast_uses_only_what_was_published_by_then(panel: pd.DataFrame) -> None:
    year = 2008
    cut, before = _forecasts(panel)
    _, after = _forecasts(_scramble_future(panel, year))
    upto = (cut["period"] >= 2005) & (cut["period"] <= year)
    pd.testing.assert_frame_equal(before[upto], after[upto])  # later years changed nothing up to 2008
    later = cut["period"] > year
    assert not before[later].equals(after[later])  # ... and they are not computed from one fixed model
    assert before.loc[cut["period"] < 2005].isna().all().all()


def test_conflict_forecasts_are_probabilities_and_ordered_quantiles(panel: pd.DataFrame) -> None:
    cut, found = _forecasts(panel)
    assert list(found.columns) == conflict_columns((1, 2))
    rows = found[cut["period"] >= 2005]
    for h in (1, 2):
        p = rows[f"cf_p_h{h}"]
        assert p.between(0, 1).all() and p.notna().all()
        assert (rows[f"cf_brd_q90_h{h}"] >= rows[f"cf_brd_q50_h{h}"]).all()
        assert (rows[f"cf_brd_q50_h{h}"] >= 0).all()
    in_conflict = cut.loc[rows.index, "conflict"] == 1
    assert rows.loc[in_conflict, "cf_p_h1"].mean() > rows.loc[~in_conflict, "cf_p_h1"].mean()


def test_origin_features_carry_the_conflict_forecasts(panel: pd.DataFrame) -> None:
    cut, features = origin_features(panel, 2012)
    assert set(conflict_columns((1, 2))) <= set(features.columns)
    assert features.loc[cut["period"] == 2012, "cf_p_h1"].notna().all()


def test_widen_keeps_the_median_and_pool_mixes_in_the_other_distribution() -> None:
    samples = np.expm1(np.array([[1.0, 2.0, 3.0, 4.0, 5.0]]))
    wide = widen(samples, 2.0, max_log=100.0)
    assert np.log1p(wide) == pytest.approx(np.array([[-1.0, 1.0, 3.0, 5.0, 7.0]]).clip(0.0))
    assert widen(samples, 1.0, 100.0) is samples
    bounded = widen(samples, 2.0, max_log=6.0)
    assert np.log1p(bounded).max() == pytest.approx(6.0)
    main = np.zeros((1, 4))
    other = np.full((1, 4), 10.0)
    assert pool(main, other, 0.5).tolist() == [[0.0, 0.0, 10.0, 10.0]]
    assert pool(main, other, 0.0) is main


def test_the_choice_widens_a_spread_learnt_on_calmer_years() -> None:
    rng = np.random.default_rng(3)
    periods = np.repeat(np.arange(1990, 2020), 60)
    level = rng.uniform(2, 8, len(periods))
    noise = np.where(periods >= 2008, 1.0, 0.2)  # the years before the inner window are calm
    y = np.expm1(np.clip(level + rng.normal(0, 1, len(periods)) * noise, 0, None))
    X = pd.DataFrame({"d_asylum_nl": level})
    choice = InnerWindowChoice(
        (LastValueSpread(history="d_asylum_nl"),),
        calibrations=[Calibration(s, 0.0) for s in (1.0, 1.5, 2.0, 3.0)],
    )
    choice.fit(X, y, periods=periods)
    assert choice.calibration_.scale > 1.0
    plain = InnerWindowChoice((LastValueSpread(history="d_asylum_nl"),)).fit(X, y, periods=periods)
    assert plain.calibration_ == Calibration()
    assert choice.predict_samples(X[:5]).shape == (5, 50)


def test_the_choice_pools_with_the_spread_baseline_when_the_inner_window_says_so() -> None:
    rng = np.random.default_rng(4)
    periods = np.repeat(np.arange(2000, 2020), 40)
    level = rng.uniform(2, 8, len(periods))
    y = np.expm1(np.clip(level + rng.normal(0, 0.7, len(periods)), 0, None))
    X = pd.DataFrame({"d_asylum_nl": level})
    choice = InnerWindowChoice(
        (LastValue(history="d_asylum_nl"),),  # a point mass: any spread helps its CRPS
        calibrations=[Calibration(1.0, b) for b in (0.0, 0.5)],
        spread=LastValueSpread(history="d_asylum_nl"),
    )
    choice.fit(X, y, periods=periods)
    assert choice.calibration_.blend == 0.5
    samples = choice.predict_samples(X[:3])
    assert (samples.std(axis=1) > 0).all()


def test_the_inner_window_may_publish_the_baseline_itself() -> None:
    """v3: a share of 1 is a candidate, so a model the baseline beats on the inner window gives way."""
    rng = np.random.default_rng(4)
    periods = np.repeat(np.arange(2000, 2020), 40)
    level = rng.uniform(2, 8, len(periods))
    y = np.expm1(np.clip(level + rng.normal(0, 0.7, len(periods)), 0, None))
    X = pd.DataFrame({"d_asylum_nl": level})
    spread = LastValueSpread(history="d_asylum_nl")
    choice = InnerWindowChoice(
        (LastValue(history="d_asylum_nl"),),
        calibrations=[Calibration(1.0, b) for b in (0.0, 0.5, 1.0)],
        spread=spread,
    ).fit(X, y, periods=periods)
    assert choice.calibration_.blend == 1.0
    baseline = choice.spread_.predict_samples(X[:3])
    levels = (0.05, 0.5, 0.95)  # the baseline's distribution, read at the mixture's sample count
    published = np.quantile(choice.predict_samples(X[:3]), levels, axis=1)
    assert np.allclose(published, np.quantile(baseline, levels, axis=1), rtol=0.1)
    assert 1.0 in {c.blend for c in CALIBRATIONS}


def test_the_main_model_reports_what_it_chose(panel: pd.DataFrame) -> None:
    cut, features = origin_features(panel, 2012)
    target = TARGETS["new_displacement"]
    fitted, rows = fit_forecast(model_set(target, 1, 0)["lgbm"], cut, features, target, 1, 2012)
    facts = choice_facts(fitted)
    assert facts["chosen"] in (0.0, 1.0, 2.0) and facts["scale"] >= 1.0 and 0 <= facts["blend"] <= 1.0
    assert np.isfinite(facts["inner_cf"]) and np.isfinite(facts["inner_no_cf"])
    assert len(rows) and np.isnan(choice_facts(LastValue())["chosen"])


def _inner_figures(X: pd.DataFrame, y: np.ndarray, periods: np.ndarray, scale: float) -> tuple[float, float]:
    """Hand-made: the 50% PIT coverage and CRPS of a calibration on the last three years, from the
    baseline fitted on the years before (what the choice is meant to compare)."""
    inner = periods >= periods.max() - 2
    fitted = LastValueSpread(history="d_asylum_nl").fit(X[~inner], y[~inner], periods=periods[~inner])
    samples = widen(fitted.predict_samples(X[inner]), scale, float(np.log1p(y[~inner].max())))
    return float(np.mean(pit_coverage(y[inner], samples, 0.5))), float(np.mean(crps(y[inner], samples)))


def test_the_coverage_rule_takes_the_lowest_crps_among_calibrated_choices_only() -> None:
    rng = np.random.default_rng(5)
    periods = np.repeat(np.arange(1990, 2020), 60)
    level = rng.uniform(2, 8, len(periods))
    noise = np.where(periods >= 2017, 1.0, 0.25)
    y = np.expm1(np.clip(level + rng.normal(0, 1, len(periods)) * noise, 0, None))
    X = pd.DataFrame({"d_asylum_nl": level})
    scales = (1.0, 2.0, 4.0, 6.0, 8.0)
    figures = {s: _inner_figures(X, y, periods, s) for s in scales}
    by_crps = min(scales, key=lambda s: figures[s][1])
    wide = (figures[by_crps][0] + 0.08, 1.0)  # only wider calibrations than the CRPS's choice qualify
    qualifying = [s for s in scales if wide[0] <= figures[s][0] <= wide[1]]
    assert qualifying and by_crps not in qualifying  # the data make the two rules disagree

    def choose(coverage: dict[float, tuple[float, float]] | None) -> float:
        model = InnerWindowChoice(
            (LastValueSpread(history="d_asylum_nl"),),
            calibrations=[Calibration(s, 0.0) for s in scales],
            coverage=coverage,
        )
        return float(model.fit(X, y, periods=periods).calibration_.scale)

    assert choose(None) == by_crps
    assert choose({0.5: wide}) == min(qualifying, key=lambda s: figures[s][1])
    assert choose({0.5: (0.999, 1.0)}) == by_crps  # none calibrated: the lowest CRPS, as without a rule
