"""What a model learns on its inner window does not depend on its seed (v3.4 screen, v3.5 choices).

The seeds of a model share the feature screen, the candidate, the number of trees and the calibrator
(and the hurdle's size trees, shifts and calibration); they differ only in the refit on all rows. The
per-process memory that lets a backtest make those choices once is only a cache: a fit with an empty
memory gives the same model as one that recalls.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gbvs.forecasting.domain import TARGETS, UNIT_SPECS, Unit
from gbvs.forecasting.engine import model_set, origin_frame, training_set
from gbvs.forecasting.models import HurdleCount, LGBMBinary, PersistenceCount
from gbvs.forecasting.models.choice import Calibration, InnerWindowChoice
from gbvs.forecasting.models.lgbm import samples
from gbvs.forecasting.models.memory import CHOICES, REFITS, SCREENS, Memory, data_key

SPEC = UNIT_SPECS[Unit.country_year]


@pytest.fixture(autouse=True)
def _empty_memories() -> None:
    SCREENS.clear()
    CHOICES.clear()
    REFITS.clear()


def _data(panel: pd.DataFrame, target: str) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    frame = origin_frame(panel, SPEC, 2015)
    return training_set(frame, TARGETS[target], 1, "gwcode")


REGULARISED = (("num_leaves", 7), ("learning_rate", 0.05), ("n_estimators", 120))


def test_the_screen_depends_on_the_data_not_on_the_seed_or_on_what_was_screened_before(
    country_year_panel: pd.DataFrame,
) -> None:
    X, y, periods = _data(country_year_panel, "incidence")
    seeds = [
        LGBMBinary(n_estimators=60, screen=8, random_state=s).fit(X, y, periods=periods) for s in (0, 1, 2)
    ]
    assert seeds[0].features_ == seeds[1].features_ == seeds[2].features_  # one screen for every seed
    assert len(SCREENS) == 1  # fitted once, then remembered
    SCREENS.clear()
    CHOICES.clear()
    fresh = LGBMBinary(n_estimators=60, screen=8, random_state=2).fit(X, y, periods=periods)
    assert fresh.features_ == seeds[2].features_  # remembering changes nothing
    assert np.array_equal(fresh.predict_proba(X), seeds[2].predict_proba(X))
    flipped = LGBMBinary(n_estimators=60, screen=8).fit(X, 1 - y, periods=periods)
    shuffled_labels = np.random.default_rng(1).permutation(y)
    other = LGBMBinary(n_estimators=60, screen=8).fit(X, shuffled_labels, periods=periods)
    assert len(SCREENS) == 3  # other labels are other screens, not a stale hit
    assert set(other.features_) <= set(X.columns) and set(flipped.features_) <= set(X.columns)


def test_the_seeds_of_a_classifier_share_its_inner_choices_and_differ_in_the_refit(
    country_year_panel: pd.DataFrame,
) -> None:
    X, y, periods = _data(country_year_panel, "incidence")
    seeds = [
        LGBMBinary(n_estimators=80, random_state=s, candidates=(REGULARISED,)).fit(X, y, periods=periods)
        for s in (0, 1, 2)
    ]
    assert len(CHOICES) == 1  # one inner search for the three seeds
    assert seeds[0].chosen_ == seeds[1].chosen_ == seeds[2].chosen_
    assert seeds[0].n_trees_ == seeds[1].n_trees_ == seeds[2].n_trees_
    slopes = {float(m.calibrator_.coef_[0, 0]) for m in seeds}
    assert len(slopes) == 1  # one calibrator ...
    assert seeds[0].calibrator_ is not seeds[1].calibrator_  # ... recalled as a copy, not shared
    p = [m.predict_proba(X)[:, 1] for m in seeds]
    assert not np.array_equal(p[0], p[1]) and not np.array_equal(p[1], p[2])  # each seed refits its own
    CHOICES.clear()
    fresh = LGBMBinary(n_estimators=80, random_state=1, candidates=(REGULARISED,)).fit(X, y, periods=periods)
    assert np.array_equal(fresh.predict_proba(X), seeds[1].predict_proba(X))  # recalling changes nothing
    LGBMBinary(n_estimators=80, candidates=(REGULARISED,)).fit(X, 1 - y, periods=periods)
    LGBMBinary(n_estimators=80, learning_rate=0.2, candidates=(REGULARISED,)).fit(X, y, periods=periods)
    assert len(CHOICES) == 3  # other labels or other settings are other choices, not a stale hit


def _deaths() -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(5)
    rows, ys, periods = [], [], []
    for unit in range(40):
        deaths = 0.0
        for year in range(25):
            active = rng.random() < (0.8 if deaths > 0 else 0.05 + 0.3 * (unit % 2))
            new = float(np.round(np.expm1(rng.uniform(3, 9)))) if active else 0.0
            rows.append({"log_brd": np.log1p(deaths), "noise": rng.normal(), "odd": unit % 2})
            ys.append(new)
            periods.append(year)
            deaths = new
    return pd.DataFrame(rows), np.array(ys), np.array(periods)


def _battle_deaths(seed: int, search_seed: int | None = 0) -> InnerWindowChoice:
    hurdle = HurdleCount(
        occurrence=(("n_estimators", 40),), n_estimators=40, learning_rate=0.1, random_state=seed
    )
    return InnerWindowChoice(
        candidates=(hurdle,),
        calibrations=(Calibration(1.0, 0.0), Calibration(1.25, 0.0), Calibration(1.0, 0.5)),
        spread=PersistenceCount(history="log_brd"),
        search_seed=search_seed,
    )


def test_the_seeds_of_the_battle_death_model_share_its_search_trees_and_shifts() -> None:
    X, y, periods = _deaths()
    seeds = [_battle_deaths(s).fit(X, y, periods=periods) for s in (0, 1, 2)]
    assert {(m.chosen_, m.calibration_) for m in seeds} == {(seeds[0].chosen_, seeds[0].calibration_)}
    assert seeds[0].inner_crps_ == seeds[1].inner_crps_ == seeds[2].inner_crps_
    hurdles = [m.estimator_ for m in seeds]
    assert np.array_equal(hurdles[0].shifts_, hurdles[2].shifts_)
    assert [b.current_iteration() for b in hurdles[0].sizes_] == [
        b.current_iteration() for b in hurdles[2].sizes_
    ]
    samples = [m.predict_samples(X) for m in seeds]
    assert not np.array_equal(samples[0], samples[2])  # the refits differ by seed
    remembered = len(CHOICES)
    CHOICES.clear()
    SCREENS.clear()
    fresh = _battle_deaths(2).fit(X, y, periods=periods)
    assert len(CHOICES) == remembered == 5  # the search, its hurdle's two choices, the final hurdle's two
    assert np.array_equal(fresh.predict_samples(X), samples[2])  # recalling changes nothing


def test_without_a_search_seed_each_seed_searches_at_its_own_seed() -> None:
    X, y, periods = _deaths()
    _battle_deaths(1, search_seed=None).fit(X, y, periods=periods)
    searched_at_seed_1 = len(CHOICES)
    CHOICES.clear()
    _battle_deaths(1, search_seed=0).fit(X, y, periods=periods)
    assert len(CHOICES) == searched_at_seed_1 + 1  # only the seeded search is remembered as a whole


def test_the_memory_is_bounded_and_hands_out_copies() -> None:
    memory = Memory(size=2)
    calls: list[str] = []
    first = memory.recall("a", lambda: calls.append("a") or [1])
    first.append(2)
    assert memory.recall("a", lambda: calls.append("a") or [9]) == [1]  # a copy was changed, not the entry
    memory.recall("b", lambda: [2])
    memory.recall("c", lambda: [3])
    assert len(memory) == 2 and calls == ["a"]
    assert memory.recall("a", lambda: calls.append("a") or [1]) == [1] and calls == ["a", "a"]  # evicted


def test_a_memory_of_size_zero_remembers_nothing_and_still_answers() -> None:
    memory = Memory(size=0)
    assert memory.recall("a", lambda: [1]) == [1] and memory.recall("a", lambda: [2]) == [2]
    assert len(memory) == 0


def test_the_key_changes_with_every_part_of_the_data() -> None:
    X = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, np.nan]})
    y = np.array([0.0, 1.0])
    base = data_key("s", X, y)
    assert base == data_key("s", X.copy(), y.copy())
    assert base != data_key("t", X, y)
    assert base != data_key("s", X.rename(columns={"b": "c"}), y)
    assert base != data_key("s", X.set_axis([5, 6]), y)
    assert base != data_key("s", X, y[::-1])
    assert base != data_key("s", X, y, None)


def test_a_classifier_that_samples_nothing_is_one_model_for_every_seed(
    country_year_panel: pd.DataFrame,
) -> None:
    X, y, periods = _data(country_year_panel, "incidence")
    unsampled = {"subsample": 1.0, "colsample_bytree": 1.0, "n_estimators": 60}
    seeds = [LGBMBinary(random_state=s, **unsampled).fit(X, y, periods=periods) for s in (0, 1, 2)]
    assert seeds[0].seed_free() and not LGBMBinary(n_estimators=60).seed_free()
    assert len(REFITS) == 1  # fitted once, recalled by the other seeds
    assert np.array_equal(seeds[0].predict_proba(X), seeds[2].predict_proba(X))
    REFITS.clear()
    CHOICES.clear()
    fresh = LGBMBinary(random_state=7, **unsampled).fit(X, y, periods=periods)
    assert np.array_equal(fresh.predict_proba(X), seeds[1].predict_proba(X))  # recalling changes nothing
    sampled = [LGBMBinary(random_state=s, n_estimators=60).fit(X, y, periods=periods) for s in (0, 1)]
    assert len(REFITS) == 1  # a sampling model is never recalled across seeds
    assert not np.array_equal(sampled[0].predict_proba(X), sampled[1].predict_proba(X))


def test_only_the_democratic_space_models_give_up_sampling() -> None:
    spaces = model_set(TARGETS["closing_electoral"], SPEC, 1)[
        "lgbm"
    ].estimator.estimator  # PooledSpaces(SpaceBound(classifier))
    conflict = model_set(TARGETS["incidence"], SPEC, 1)["lgbm"]  # MeanOfClassifiers (v3.12)
    assert (spaces.subsample, spaces.colsample_bytree) == (1.0, 1.0)
    assert [(m.subsample, m.colsample_bytree) for m in conflict.estimators] == [(0.8, 0.8)] * 2
    assert model_set(TARGETS["closing_electoral"], SPEC, 1)["lgbm"].seed_free()
    assert not conflict.seed_free()


def test_a_candidate_that_samples_makes_the_seed_matter() -> None:
    unsampled = {"subsample": 1.0, "colsample_bytree": 1.0}
    assert LGBMBinary(**unsampled, candidates=((("num_leaves", 7),),)).seed_free()
    assert not LGBMBinary(**unsampled, candidates=((("colsample_bytree", 0.5),),)).seed_free()
    assert not LGBMBinary(**unsampled, candidates=((("subsample", 0.7),),)).seed_free()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"subsample": 1.0, "subsample_freq": 1, "colsample_bytree": 1.0}, False),
        ({"subsample": 0.8, "subsample_freq": 0, "colsample_bytree": 1.0}, False),  # bagging off
        ({"subsample": 0.8, "subsample_freq": 1, "colsample_bytree": 1.0}, True),
        ({"subsample": 1.0, "subsample_freq": 1, "colsample_bytree": 0.5}, True),
    ],
)
def test_what_counts_as_sampling(params: dict[str, float], expected: bool) -> None:
    assert samples(params) is expected


def test_the_key_of_a_frame_of_mixed_columns_reads_values_not_pointers() -> None:
    X = pd.DataFrame({"a": [1.0, 2.0], "name": ["x", "y"]})
    assert data_key("s", X) == data_key("s", X.copy(deep=True))
    assert data_key("s", X) != data_key("s", X.assign(name=["x", "z"]))
    assert data_key("s", X) != data_key("s", X.assign(a=[1.0, 3.0]))


def test_the_key_tells_a_column_s_dtype_and_order() -> None:
    X = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 4.0]})
    assert data_key("s", X) != data_key("s", X.astype({"a": "float32", "b": "float32"}))
    assert data_key("s", X) != data_key("s", X[["b", "a"]])
    assert data_key("s", X) != data_key("s", X.T.T.rename(columns={"a": "b", "b": "a"}))
