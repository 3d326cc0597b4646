"""The ruler itself: every score in ``forecasting.metrics`` against hand-computed values or scikit-learn.

Hand values are worked out in the comments on a few rows; bin-edge probabilities (0, 0.1, 0.5, 1)
check that the reliability bins and their counts follow one rule (scikit-learn's right-closed bins).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.calibration import calibration_curve

from gbvs.forecasting import metrics
from gbvs.forecasting.metrics import (
    bin_counts,
    binary_scores,
    count_scores,
    crps,
    expected_calibration_error,
    interval_bounds,
    interval_coverage,
    interval_score,
    pit_coverage,
    reliability,
)

# scikit-learn's documented example: AP 0.8333, ROC-AUC 0.75
Y = np.array([0, 0, 1, 1])
P = np.array([0.1, 0.4, 0.35, 0.8])


def test_average_precision_and_roc_auc_by_hand() -> None:
    scores = binary_scores(Y, P)
    # ranked 0.8 (1), 0.4 (0), 0.35 (1), 0.1 (0): precision 1 at recall 0.5, 2/3 at recall 1
    assert scores["ap"] == pytest.approx(0.5 * 1 + 0.5 * 2 / 3)
    # positive above negative in 3 of the 4 pairs (0.35 < 0.4)
    assert scores["roc_auc"] == pytest.approx(0.75)
    assert (scores["n"], scores["positives"]) == (4, 2)


def test_brier_and_log_loss_by_hand() -> None:
    scores = binary_scores(Y, P)
    assert scores["brier"] == pytest.approx((0.1**2 + 0.4**2 + 0.65**2 + 0.2**2) / 4)
    expected = -(math.log(0.9) + math.log(0.6) + math.log(0.35) + math.log(0.8)) / 4
    assert scores["log_loss"] == pytest.approx(expected)


def test_ranking_scores_are_undefined_with_one_class_only() -> None:
    scores = binary_scores(np.array([0, 0, 0]), np.array([0.1, 0.2, 0.3]))
    assert math.isnan(scores["ap"]) and math.isnan(scores["roc_auc"])
    assert scores["brier"] == pytest.approx((0.01 + 0.04 + 0.09) / 3)


def test_ece_with_probabilities_on_a_bin_edge() -> None:
    # 0.5 sits on the edge of (0.4, 0.5] and (0.5, 0.6]: it belongs to the lower bin (scikit-learn's rule).
    # bin (0.4, 0.5]: p 0.5 and 0.45, observed 1/2, mean forecast 0.475, gap 0.025, 2 rows
    # bin (0.5, 0.6]: p 0.55, observed 0, gap 0.55, 1 row -> ECE = (2 * 0.025 + 0.55) / 3 = 0.200
    y, p = np.array([1, 0, 0]), np.array([0.5, 0.55, 0.45])
    assert expected_calibration_error(y, p) == pytest.approx(0.200)
    assert binary_scores(y, p)["ece"] == pytest.approx(0.200)


def test_ece_is_weighted_by_bin_counts_and_does_not_break_on_edges() -> None:
    # bins [0, 0.1]: p 0.1, y 0 (gap 0.1); (0.4, 0.5]: p 0.5, 0.5, y 0, 1 (gap 0); (0.5, 0.6]: p 0.55, y 1
    # (gap 0.45). Weighted: (0.1 + 0 + 0.45) / 4 = 0.1375; unweighted it would be 0.55 / 3 = 0.183.
    y, p = np.array([0, 1, 1, 0]), np.array([0.5, 0.5, 0.55, 0.1])
    assert expected_calibration_error(y, p) == pytest.approx(0.1375)


def test_reliability_curve_matches_scikit_learn_with_its_counts() -> None:
    y = np.array([0, 1, 1, 0, 1, 0, 1])
    p = np.array([0.0, 0.1, 0.5, 0.5, 0.55, 0.95, 1.0])
    curve = reliability(y, p)
    observed, predicted = calibration_curve(y, p, n_bins=10, strategy="uniform")
    assert curve["observed"] == pytest.approx(observed.tolist())
    assert curve["predicted"] == pytest.approx(predicted.tolist())
    # [0, 0.1]: 0.0 and 0.1; (0.4, 0.5]: 0.5, 0.5; (0.5, 0.6]: 0.55; (0.9, 1]: 0.95, 1.0
    assert curve["count"] == [2, 2, 1, 2]
    assert curve["observed"] == pytest.approx([0.5, 0.5, 1.0, 0.5])
    assert bin_counts(p).tolist() == [2, 0, 0, 0, 2, 1, 0, 0, 0, 2]


def test_crps_of_an_ensemble_by_hand() -> None:
    # y = 3, samples 1, 2, 4, 10: E|X - y| = 11/4; E|X - X'| over all 16 ordered pairs = 58/16;
    # CRPS = 2.75 - 1.8125 = 0.9375 (|y - mean| would be 1.25)
    # y = 0, every sample 5: a point forecast, CRPS = |5 - 0| = 5
    # y = 2, samples 0 and 4: E|X - y| = 2, E|X - X'| = 8/4 = 2, CRPS = 1 (|y - mean| would be 0)
    observed = np.array([3.0, 0.0, 2.0])
    samples = np.array([[1.0, 2.0, 4.0, 10.0], [5.0, 5.0, 5.0, 5.0], [0.0, 4.0, 0.0, 4.0]])
    assert crps(observed, samples).tolist() == pytest.approx([0.9375, 5.0, 1.0])


def test_crps_in_chunks_equals_one_pass_over_all_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(5)
    observed = rng.poisson(3.0, size=23).astype(float)
    samples = rng.poisson(3.0, size=(23, 7)).astype(float)
    whole = crps(observed, samples)
    monkeypatch.setattr(metrics, "CRPS_CHUNK_ROWS", 5)  # 23 rows: four chunks of 5 and one of 3
    chunked = crps(observed, samples)
    assert chunked.shape == (23,)
    assert chunked.tolist() == whole.tolist()
    assert chunked[[0, 4, 5, 22]].tolist() == [crps(observed[[i]], samples[[i]])[0] for i in (0, 4, 5, 22)]


def test_count_scores_msle_of_the_median_by_hand() -> None:
    observed = np.array([0.0, math.e - 1, 9.0])
    median = np.array([math.e - 1, math.e - 1, -3.0])  # a negative median is clipped to 0
    scores = count_scores(observed, median, np.array([1.0, 2.0, 6.0]))
    # (log1p 0 - log1p(e - 1))^2 = 1; 0; (log 10 - log 1)^2
    assert scores["msle"] == pytest.approx((1 + 0 + math.log(10) ** 2) / 3)
    assert scores["crps"] == pytest.approx(3.0)
    assert (scores["n"], scores["positives"]) == (3, 2)


def test_interval_coverage_counts_observations_inside_central_intervals() -> None:
    samples = np.tile(np.arange(0.0, 101.0), (4, 1))  # 0..100: central 50% = [25, 75], 90% = [5, 95]
    assert interval_bounds(samples, 0.5)[0].tolist() == [25.0] * 4
    assert interval_bounds(samples, 0.9)[1].tolist() == [95.0] * 4
    observed = np.array([25.0, 80.0, 4.0, 50.0])  # on the lower bound counts as inside
    assert interval_coverage(observed, samples, 0.5) == pytest.approx(2 / 4)
    assert interval_coverage(observed, samples, 0.9) == pytest.approx(3 / 4)


def test_pit_coverage_by_hand_splits_ties_on_an_atom() -> None:
    samples = np.tile([0.0, 0.0, 0.0, 0.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0], (4, 1))
    observed = np.array([0.0, 7.0, 5.5, 20.0])
    # y = 0: PIT uniform on [F(0-), F(0)] = [0, 0.4]; [0.25, 0.75] overlaps 0.15 of it -> 0.375,
    #        [0.05, 0.95] overlaps 0.35 -> 0.875.
    # y = 7: [0.6, 0.7] lies inside both bands -> 1.  y = 5.5: no tie, PIT 0.5 -> 1.  y = 20: PIT 1 -> 0.
    assert pit_coverage(observed, samples, 0.5).tolist() == pytest.approx([0.375, 1.0, 1.0, 0.0])
    assert pit_coverage(observed, samples, 0.9).tolist() == pytest.approx([0.875, 1.0, 1.0, 0.0])
    # bounds included, the same year with 0 deaths is simply covered: interval [0, 7.75] at 50%
    assert interval_coverage(observed[:1], samples[:1], 0.5) == 1.0


def test_pit_coverage_is_nominal_for_a_calibrated_mostly_zero_forecast() -> None:
    rng = np.random.default_rng(7)
    n, draws = 4000, 200
    p_any = rng.uniform(0.05, 0.5, n)  # chance of any deaths; sizes lognormal given deaths

    def draw(size: int, chance: np.ndarray = p_any) -> np.ndarray:
        any_deaths = rng.uniform(size=(n, size)) < chance[:, None]
        return np.where(any_deaths, np.round(np.exp(rng.normal(4.0, 1.5, (n, size)))) + 1, 0.0)

    samples, observed = draw(draws), draw(1)[:, 0]  # outcomes from the forecast's own distribution
    for level in (0.5, 0.9):
        assert float(pit_coverage(observed, samples, level).mean()) == pytest.approx(level, abs=0.02)
    assert interval_coverage(observed, samples, 0.5) > 0.7  # bounds included: every quiet year counts
    alarmist = draw(draws, np.minimum(2 * p_any, 1.0))  # twice the true chance of any deaths
    assert float(pit_coverage(observed, alarmist, 0.5).mean()) < 0.45  # miscalibration shows
    assert float(pit_coverage(observed, alarmist, 0.9).mean()) < 0.86


def test_interval_score_by_hand() -> None:
    # interval [25, 75] at level 0.5 (alpha 0.5): width 50, plus 2/alpha per unit outside
    samples = np.tile(np.arange(0.0, 101.0), (2, 1))
    scores = interval_score(np.array([50.0, 80.0]), samples, 0.5)
    assert scores.tolist() == pytest.approx([50.0, 50.0 + (2 / 0.5) * 5])


def test_interval_level_outside_zero_one_is_refused() -> None:
    with pytest.raises(ValueError, match=r"interval level 1\.5"):
        interval_coverage(np.array([1.0]), np.array([[1.0, 2.0]]), 1.5)
    with pytest.raises(ValueError, match=r"interval level 1\.5"):
        pit_coverage(np.array([1.0]), np.array([[1.0, 2.0]]), 1.5)
