"""Displacement model v5 (issue 11 / goal 13): the inner window chooses the samples' bound (the training
window's largest value as up to v3, or the history bound at rise quantile 0.90 or 0.99) by the CRPS it
chooses the other settings by, and the backtest report says which bound each fit took."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gbvs.forecasting.displacement import note
from gbvs.forecasting.displacement.backtest import BOUND_NAMES, BOUNDS, CALIBRATIONS, choice_facts, main_model
from gbvs.forecasting.displacement.models import BOUND_QUANTILE, HistoryBound, LastValueSpread
from gbvs.forecasting.displacement.scores import bound_table, choice_table
from gbvs.forecasting.models.choice import Calibration, InnerWindowChoice

HISTORY = "d_asylum_nl"
CHOICES = (Calibration(bound=0.99), Calibration(bound=None), Calibration(bound=0.90))
"""Neither the first nor the last is the right answer in both worlds below."""


def _series(turn: bool) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """30 origins over 2000-2020 whose log1p level rises about 0.3 a year; with ``turn`` every origin
    falls 0.5 a year from 2018, so the inner window's outcomes (2018-2020, the last three training
    years 2017-2019 one year on) stay below the largest value of the years before. Without it they
    rise past that value."""
    rng = np.random.default_rng(3)
    years = np.arange(2000, 2021)
    frames = []
    for unit in range(30):
        steps = rng.normal(0.3, 0.1, len(years))
        if turn:
            steps[years >= 2018] = -0.5 + rng.normal(0.0, 0.05, int((years >= 2018).sum()))
        frames.append(
            pd.DataFrame({"unit": unit, "period": years, "level": rng.uniform(2, 6) + np.cumsum(steps)})
        )
    panel = pd.concat(frames, ignore_index=True)
    by_unit = panel.groupby("unit")["level"]
    panel[HISTORY] = panel["level"]
    panel[f"{HISTORY}_lag1"] = by_unit.shift(1)
    panel[f"{HISTORY}_lag2"] = by_unit.shift(2)
    panel["y"] = np.expm1(by_unit.shift(-1))
    train = panel[panel["period"] <= 2019]
    return (
        train[[HISTORY, f"{HISTORY}_lag1", f"{HISTORY}_lag2"]],
        train["y"].to_numpy(),
        train["period"].to_numpy(),
    )


def _choice() -> InnerWindowChoice:
    return InnerWindowChoice(
        (LastValueSpread(history=HISTORY),), calibrations=CHOICES, bound=HistoryBound(HISTORY)
    )


def test_the_training_maximum_is_chosen_where_the_inner_years_stay_below_it() -> None:
    X, y, periods = _series(turn=True)
    fitted = _choice().fit(X, y, periods=periods)
    assert fitted.calibration_.bound is None
    assert fitted.bound_ is None
    assert np.asarray(fitted.predict_samples(X)).max() <= y.max() * (1 + 1e-9)  # v3's bound


def test_a_history_bound_is_chosen_where_the_inner_years_rise_past_the_training_maximum() -> None:
    X, y, periods = _series(turn=False)
    fitted = _choice().fit(X, y, periods=periods)
    assert fitted.calibration_.bound in (0.90, 0.99)
    assert fitted.bound_.quantile == fitted.calibration_.bound  # the refit keeps the chosen bound
    assert np.asarray(fitted.predict_samples(X)).max() > y.max()


def test_a_quantile_bound_without_a_bound_to_take_it_is_refused() -> None:
    X, y, periods = _series(turn=False)
    with pytest.raises(ValueError, match=r"quantiles \[0.9, 0.99\] but no bound"):
        InnerWindowChoice((LastValueSpread(history=HISTORY),), calibrations=CHOICES).fit(
            X, y, periods=periods
        )


def test_the_main_model_chooses_among_the_three_bounds_and_says_which() -> None:
    assert BOUNDS == (None, 0.90, BOUND_QUANTILE) and len(BOUND_NAMES) == len(BOUNDS)
    assert {c.bound for c in CALIBRATIONS} == set(BOUNDS)
    X, y, periods = _series(turn=True)
    fitted = main_model(HISTORY, seed=0).fit(X, y, periods=periods)
    facts = choice_facts(fitted)
    assert BOUNDS[int(facts["bound"])] == fitted.calibration_.bound


def test_the_report_gives_the_share_of_each_bound_and_the_bound_at_each_origin() -> None:
    fits = [
        (origin, seed, bound)
        for origin, bounds in ((2015, (0, 0, 2)), (2016, (1, 1, 1)))
        for seed, bound in enumerate(bounds)
    ]
    rows = pd.DataFrame(
        [
            {"model": "lgbm", "target": "asylum_nl", "horizon": 1, "origin": o, "seed": s, "chosen": 0,
             "scale": 1.0, "blend": 0.0, "bound": float(b), "inner_cf": 1.0, "inner_no_cf": 2.0}
            for o, s, b in fits
        ]
    )  # fmt: skip
    choices = choice_table(rows, "lgbm", ("default",), BOUND_NAMES)
    assert choices.loc[0, "bound training maximum"] == pytest.approx(2 / 6)
    assert choices.loc[0, "bound history, rise q0.90"] == pytest.approx(3 / 6)
    assert choices.loc[0, "bound history, rise q0.99"] == pytest.approx(1 / 6)
    bounds = bound_table(rows, "lgbm", BOUND_NAMES)
    assert bounds["bounds"].tolist() == [
        ["training maximum", "training maximum", "history, rise q0.99"],
        ["history, rise q0.90"] * 3,
    ]
    table = note.bounds_table(bounds)
    assert "| 2015 | training maximum; training maximum; history, rise q0.99 |" in table
    assert "history, rise q0.90 |" in note.choices_table(choices).splitlines()[0]


def test_the_live_forecast_keeps_the_bound_each_fit_chose(country_year_panel: pd.DataFrame) -> None:
    """A live run's provenance says which bound (and candidate, widening, mixture) each fit took."""
    from tests.forecasting.test_displacement import with_displacement

    from gbvs.forecasting.displacement.service import live_rows

    live = live_rows(with_displacement(country_year_panel), None, ["asylum_nl"], [0])
    assert [(c["target"], c["horizon"], c["seed"]) for c in live.choices] == [
        ("asylum_nl", 1, 0),
        ("asylum_nl", 2, 0),
    ]
    assert all(c["bound"] in BOUND_NAMES and c["candidate"] for c in live.choices)
    assert set(live.table["horizon"]) == {1, 2}


def test_widening_and_pooling_keep_the_samples_within_the_chosen_bound() -> None:
    """The spread baseline pooled into the mixture has its own (history) bound; the mixture keeps the
    one the inner window chose, here the training maximum, however wide and however much pooled."""
    X, y, periods = _series(turn=False)  # rising: the spread baseline reaches past the training maximum
    spread = LastValueSpread(history=HISTORY).fit(X, y)
    assert np.asarray(spread.predict_samples(X)).max() > y.max()
    fitted = InnerWindowChoice(
        (LastValueSpread(history=HISTORY),),
        calibrations=(Calibration(2.0, 1.0, None), Calibration(2.0, 0.5, None)),
        spread=LastValueSpread(history=HISTORY),
        bound=HistoryBound(HISTORY),
    ).fit(X, y, periods=periods)
    assert fitted.calibration_.blend > 0 and fitted.calibration_.bound is None
    assert np.asarray(fitted.predict_samples(X)).max() <= y.max() * (1 + 1e-9)


def test_one_candidate_with_one_calibration_keeps_that_calibrations_history_bound() -> None:
    """With nothing to search the inner window is skipped, but the calibration given is still the one
    applied: its history bound (here tighter than the candidate's own), not the training maximum."""
    X, y, periods = _series(turn=False)  # rising: the history bound reaches past the training maximum
    given = Calibration(bound=0.90)
    fitted = InnerWindowChoice(
        (LastValueSpread(history=HISTORY),), calibrations=(given,), bound=HistoryBound(HISTORY)
    ).fit(X, y, periods=periods)
    assert fitted.calibration_ == given and fitted.inner_crps_ == []
    limit = np.expm1(HistoryBound(HISTORY, quantile=0.90).fit(X, y).max_log(X))[:, None]
    raw = np.asarray(LastValueSpread(history=HISTORY).fit(X, y, periods=periods).predict_samples(X))
    assert (raw > limit).any()  # the bound given cuts the candidate's samples
    samples = np.asarray(fitted.predict_samples(X))
    assert (samples <= limit * (1 + 1e-9)).all()
    assert samples.max() > y.max()


def test_a_fit_without_a_search_forecasts_as_a_search_that_chose_the_same_calibration() -> None:
    """Bound, widening and mixture: one calibration alone gives what a search restricted to it gives
    (two copies of the candidate make it search; it keeps the first of equal scores)."""
    X, y, periods = _series(turn=False)
    given = Calibration(1.5, 0.5, 0.90)

    def fit(candidates: int) -> InnerWindowChoice:
        return InnerWindowChoice(
            (LastValueSpread(history=HISTORY),) * candidates,
            calibrations=(given,),
            spread=LastValueSpread(history=HISTORY, n_bins=2),
            bound=HistoryBound(HISTORY),
        ).fit(X, y, periods=periods)

    alone, searched = fit(1), fit(2)
    assert len(searched.inner_crps_) == 2 and (searched.chosen_, searched.calibration_) == (0, given)
    assert alone.calibration_ == given
    assert np.array_equal(alone.predict_samples(X), searched.predict_samples(X))
    assert not np.array_equal(alone.predict_samples(X), alone.estimator_.predict_samples(X))


def test_a_choice_without_candidates_or_calibrations_is_refused() -> None:
    X, y, periods = _series(turn=False)
    with pytest.raises(
        ValueError, match="at least one candidate and one calibration; got 1 candidates and 0"
    ):
        InnerWindowChoice((LastValueSpread(history=HISTORY),), calibrations=()).fit(X, y, periods=periods)
    with pytest.raises(ValueError, match="got 0 candidates and 1 calibrations"):
        InnerWindowChoice(()).fit(X, y, periods=periods)
