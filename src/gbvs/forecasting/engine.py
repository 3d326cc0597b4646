"""One fit-and-forecast step at one origin: the code path shared by the backtest and the live forecast.

:func:`origin_frame` cuts the panel at the origin *before* anything is computed from it (events,
features, labels), so no value published after the origin can reach a model; the leakage test
checks exactly this by scrambling everything after the origin.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone

from gbvs.errors import ForecastError
from gbvs.forecasting.domain import Target, TargetKind, UnitSpec
from gbvs.forecasting.features import build_features, history_columns
from gbvs.forecasting.labels import add_demspaces_events, label, room_column
from gbvs.forecasting.metrics import COVERAGE_BANDS
from gbvs.forecasting.models import (
    Calibration,
    ConflictologyBootstrap,
    HistoryLogit,
    HurdleCount,
    InnerWindowChoice,
    LGBMBinary,
    LGBMCount,
    MeanOfClassifiers,
    PersistenceCount,
    PersistenceModel,
    PooledSpaces,
    SpaceBound,
    ZeroCount,
    ZeroModel,
)
from gbvs.forecasting.models.base import seed_free
from gbvs.forecasting.models.memory import CHOICE_SEED
from gbvs.forecasting.pooling import direction, direction_targets, pooled_room, pooled_view

QUANTILES: tuple[float, ...] = (0.05, 0.25, 0.5, 0.75, 0.95)
MAIN_MODELS = frozenset({"lgbm"})
SEEDED_MODELS = frozenset({"lgbm", "conflictology"})
REGULARISED: tuple[tuple[str, object], ...] = (
    ("num_leaves", 7),
    ("min_child_samples", 40),
    ("learning_rate", 0.05),
    ("n_estimators", 600),
    ("early_stopping_rounds", 40),
)
"""Second hyper-parameter candidate of the binary LightGBM (smaller trees, more of them, slower
learning). Each fit picks between it and the defaults on its own inner window (lowest log loss),
never on the test years."""

WIDER: tuple[tuple[str, object], ...] = (
    ("num_leaves", 31),
    ("min_child_samples", 20),
    ("learning_rate", 0.05),
    ("n_estimators", 600),
    ("early_stopping_rounds", 40),
)
"""Second candidate of the democratic-space classifier since v3.10, in place of :data:`REGULARISED`
(larger trees, more of them, slower learning): the pooled model of a direction has about 42,000 rows,
and with trees of 7 or 15 leaves two spaces of a country often fell into the same leaf of every tree.
Chosen on inner windows only by a rule fixed beforehand (``benchmarks/diag_space_capacity.py``; the
pooled training rows' last three years held out at origins 2005, 2008, 2011, 2014, 2017 and 2020, 72
space scores): mean hold-out log loss 0.24074 against 0.24329 (-1.05%; lower in 50 of the 72 scores),
Brier 0.06826 against 0.06905, hold-out PR-AUC closing 0.4766 against 0.4522 and opening 0.4726
against 0.4683; offering both candidates scored 0.24088 at 19% more CPU."""

DEMSPACES_CANDIDATES: tuple[tuple[tuple[str, object], ...], ...] = (WIDER,)
"""The candidates the democratic-space classifier chooses from besides its defaults (v3.10)."""
CONFLICT_CANDIDATES: tuple[tuple[tuple[str, object], ...], ...] = (REGULARISED,)
"""The settings the conflict classifiers use besides their defaults (since v2): the grid-month classifiers
and the battle-death hurdle's occurrence part (a classifier like the incidence model's) choose between the
defaults and these on their inner window; the country-year incidence and war models average a booster of
each (:func:`main_classifier`, v3.12)."""


CONFLICT_SCREEN = 64
"""Features each country-year conflict model keeps (incidence, war, battle deaths; v3.2): the 64 with the
largest gain in a screening booster on the training rows before the inner window (see
:mod:`gbvs.forecasting.models.lgbm`). Chosen on inner windows only (seed 0, h1, BACKTEST.md): mean inner
log loss of incidence 0.1376 with 64 features, 0.1382 with 128, 0.1384 with all 373 (origins 2008, 2011,
2014, 2020); war 0.0633 / 0.0635 / 0.0615 (2008, 2014, 2020); each fit 3-4 times cheaper."""

DEMSPACES_SCREEN = 128
"""Features each democratic-space model keeps (v3.4). Chosen on inner windows only (seed 0, the 12
closing/opening targets at origins 2008, 2014 and 2020, BACKTEST.md): mean inner log loss 0.26271 with
all 445 columns, 0.26299 with 64, 0.26194 with 128 (lower than all in 22 of the 36 fits); CPU time of
the 36 fits 189 s, 77 s and 113 s. Checked again for the pooled model with v3.10's larger trees (commit
a2d583c, diag_space_screen.py, 72 held-out space scores): 256 features or all lowered the hold-out log
loss by at most 0.23% and the closing PR-AUC too, so 128 stays."""


DEMSPACES_SAMPLING: tuple[tuple[str, float], ...] = (("subsample", 1.0), ("colsample_bytree", 1.0))
"""The democratic-space classifier boosts on every row and every screened column (v3.6): no sampling,
so its seeds give one model, fitted once and recalled (:data:`gbvs.forecasting.models.memory.REFITS`).
Chosen on inner windows only (the 12 closing/opening targets at origins 2008, 2014 and 2020, each
training set's last three years held out, BACKTEST.md): mean hold-out log loss 0.27049 against 0.27107
for the mean of three sampled seeds (one sampled seed: 0.27395), at 20% less CPU. The conflict models
keep their sampling: without it incidence and war lost 0.0027 (0.12810 against 0.12542)."""


CONFLICT_CALIBRATION = "none"
"""How the country-year conflict classifiers (incidence, war) turn their raw score into a probability
(v3.9): LightGBM's own probability (its objective is the log loss), no Platt scaling on the inner window.
Chosen on inner windows only by a rule fixed beforehand (``benchmarks/diag_conflict_calibration.py``; the
18 fits of incidence and war at h1-h3, origins 2008, 2014 and 2020, each training set's last three years
held out): mean hold-out Brier 0.03427 against 0.03472 with Platt scaling (log loss 0.12347 against
0.12527); isotonic regression 0.03657, Platt scaling on five inner years 0.03432, five seeds 0.03468.
The democratic-space classifiers, the hurdle's occurrence part and the grid-month unit keep Platt
scaling (they were not part of that comparison)."""


def binary_calibration(target: Target, spec: UnitSpec) -> str:
    """The calibration of ``target``'s main classifier on ``spec``: :data:`CONFLICT_CALIBRATION` for the
    country-year conflict targets, Platt scaling (``"sigmoid"``) elsewhere."""
    return "sigmoid" if target.demspaces or spec.monthly else CONFLICT_CALIBRATION


def feature_screen(target: Target, spec: UnitSpec) -> int:
    """How many features the main model of ``target`` keeps (0 = all); the grid-month unit keeps all."""
    if spec.monthly:
        return 0
    return DEMSPACES_SCREEN if target.demspaces else CONFLICT_SCREEN


QUICK: tuple[tuple[str, Any], ...] = (
    ("n_estimators", 80),
    ("learning_rate", 0.1),
    ("early_stopping_rounds", 10),
)
"""Settings of the small models of a quick (smoke) run."""


@dataclass(frozen=True)
class OriginFrame:
    """A panel cut at an origin, with its events and features (and the DemSpaces cutpoints its events
    were coded with). ``fits`` keeps the models fitted on rows shared by several targets (the pooled
    democratic-space model of a direction) for the other targets of the same origin."""

    origin: int
    panel: pd.DataFrame
    features: pd.DataFrame
    cutpoints: Mapping[str, float] | None = None
    fits: dict[tuple[str, ...], Any] = field(default_factory=dict, compare=False, repr=False)


def with_period(panel: pd.DataFrame, spec: UnitSpec) -> pd.DataFrame:
    """Add the integer ``period`` column and sort by key and period."""
    if spec.key not in panel.columns:
        raise ForecastError(f"panel has no key column {spec.key!r} for unit {spec.unit.value}")
    out = panel.copy()
    if "period" not in out.columns:
        if spec.monthly and "month_id" in out.columns:
            out["period"] = out["month_id"].astype(int)
        elif spec.monthly:
            out["period"] = out["year"].astype(int) * 12 + out["month"].astype(int) - 1
        else:
            out["period"] = out["year"].astype(int)
    return out.sort_values([spec.key, "period"]).reset_index(drop=True)


def origin_frame(
    panel: pd.DataFrame,
    spec: UnitSpec,
    origin: int,
    cutpoints: Mapping[str, float] | None = None,
    neighbours: Mapping[int, Sequence[int]] | None = None,
) -> OriginFrame:
    """Cut ``panel`` (with ``period``) at ``origin`` and compute events and features on what is left."""
    cut = panel[panel["period"] <= origin].reset_index(drop=True)
    if cut.empty:
        raise ForecastError(f"no panel rows at or before origin {origin}; choose a later origin")
    if cutpoints:
        cut = add_demspaces_events(cut, dict(cutpoints), spec.key)
    return OriginFrame(
        origin, cut, build_features(cut, spec, neighbours), dict(cutpoints) if cutpoints else None
    )


def model_set(
    target: Target, spec: UnitSpec, seed: int, fast: bool = False, screen: int | None = None
) -> dict[str, Any]:
    """Baselines and the main model for a target (unfitted, clonable); ``screen`` overrides
    :func:`feature_screen` (the benchmark compares 0, every feature, with the default)."""
    history, decay = history_columns(target.event, spec)
    screen = feature_screen(target, spec) if screen is None else screen
    if target.kind is TargetKind.counts:
        return {
            "zero": ZeroCount(),
            "persistence": PersistenceCount(history=history),
            "conflictology": ConflictologyBootstrap(history=history, random_state=seed),
            "lgbm": count_model(spec, history, seed, fast, screen),
        }
    return {
        "zero": ZeroModel(),
        "persistence": PersistenceModel(history=history),
        "history_logit": HistoryLogit(history=history, decay=decay),
        "lgbm": main_classifier(target, spec, seed, fast, screen),
    }


def main_classifier(target: Target, spec: UnitSpec, seed: int, fast: bool, screen: int) -> Any:
    """The main model of a binary target: the pooled democratic-space model; in a quick run and for the
    grid-month unit one booster choosing among its candidates (:func:`classifier`); for the country-year
    incidence and war models (v3.12) the mean of a booster with the defaults and one of each of
    :data:`CONFLICT_CANDIDATES`, each with its own feature screen, early stopping and calibration
    (:class:`~gbvs.forecasting.models.MeanOfClassifiers`), instead of the one with the lower inner-window
    log loss (v2-v3.11). Chosen on inner windows only by a rule fixed beforehand
    (``benchmarks/diag_conflict_average.py``; the 18 fits of incidence and war at h1-h3, origins 2008, 2014
    and 2020, each training set's last three years held out): mean hold-out Brier 0.034099 against 0.034272
    (-0.505%), log loss 0.12288 against 0.12347, at 48% more CPU for these fits."""
    if target.demspaces:
        return pooled_space_model(target, seed, fast, screen)
    calibration = binary_calibration(target, spec)
    if fast or spec.monthly:
        return classifier(target, seed, fast, screen, calibration)
    return MeanOfClassifiers(
        tuple(
            LGBMBinary(calibration=calibration, random_state=seed, screen=screen).set_params(**dict(settings))
            for settings in ((), *CONFLICT_CANDIDATES)
        )
    )


def classifier(
    target: Target, seed: int, fast: bool, screen: int, calibration: str = "sigmoid"
) -> LGBMBinary:
    """The main binary classifier: quick settings, or the defaults with a second candidate
    (:data:`DEMSPACES_CANDIDATES` or :data:`CONFLICT_CANDIDATES`); the democratic-space classifier
    without sampling (:data:`DEMSPACES_SAMPLING`); ``calibration`` as :func:`binary_calibration` gives it."""
    sampling: dict[str, Any] = dict(DEMSPACES_SAMPLING) if target.demspaces else {}
    if fast:
        return LGBMBinary(
            calibration=calibration, random_state=seed, screen=screen, **sampling, **dict(QUICK)
        )
    return LGBMBinary(
        calibration=calibration,
        random_state=seed,
        candidates=DEMSPACES_CANDIDATES if target.demspaces else CONFLICT_CANDIDATES,
        screen=screen,
        **sampling,
    )


def per_space_model(
    target: Target, seed: int, fast: bool = False, screen: int = DEMSPACES_SCREEN
) -> SpaceBound:
    """A democratic-space target's model of v3.2-v3.7, trained on its own space's rows (kept for the
    diagnostics that compare it with the pooled model)."""
    return SpaceBound(classifier(target, seed, fast, screen), room=room_column(target.event))


def pooled_space_model(
    target: Target, seed: int, fast: bool = False, screen: int = DEMSPACES_SCREEN
) -> PooledSpaces:
    """The democratic-space model since v3.8: one per direction, trained on the rows of the six spaces
    (:mod:`gbvs.forecasting.pooling`), with the bound rule on the row's own space."""
    return PooledSpaces(SpaceBound(classifier(target, seed, fast, screen), room=pooled_room(target)))


COUNT_CALIBRATIONS: tuple[Calibration, ...] = tuple(
    Calibration(scale, blend) for scale in (0.8, 1.0, 1.25) for blend in (0.0, 0.125, 0.25, 0.375, 0.5)
)
"""What the battle-death model may choose on its inner window (v3.3): its spread on the log scale times
0.8, 1 or 1.25, pooled with a share of persistence (a point mass at this year's deaths) of 0 to 50% in
eighths (v3.7; v3.3-v3.6 in quarters). (1, 0) is the hurdle as it is; any other pair is kept only where
it is the best on the years before the origin by :data:`COUNT_COVERAGE`'s rule."""
COUNT_COVERAGE: dict[float, tuple[float, float]] = COVERAGE_BANDS
"""Since v3.7 the battle-death model's calibration is the lowest-CRPS one among those whose 50% and 90%
randomised-PIT coverage on the inner window lies in the goal's ranges (the lowest CRPS where none does);
chosen on inner windows only by a rule fixed beforehand (``benchmarks/diag_calibration.py``)."""


def count_model(spec: UnitSpec, history: str, seed: int, fast: bool, screen: int = 0) -> Any:
    """The main battle-death model: for yearly units the hurdle (issue 11), whose occurrence part is the
    incidence model's settings in one booster choosing among :data:`CONFLICT_CANDIDATES` (the incidence
    model averages a booster of each since v3.12, :func:`main_classifier`), with Platt scaling (see
    :data:`CONFLICT_CALIBRATION`), with its spread and its share of persistence chosen on the inner
    window (:data:`COUNT_CALIBRATIONS`, at one seed for all seeds, v3.5); the grid-month unit keeps the
    residual LightGBM (the hurdle is not yet backtested there)."""
    boost: dict[str, Any] = dict(QUICK) if fast else {}
    if spec.monthly:
        return LGBMCount(random_state=seed, **boost)
    hurdle = HurdleCount(
        occurrence=tuple(boost.items()),
        occurrence_candidates=() if fast else CONFLICT_CANDIDATES,
        history=history,
        random_state=seed,
        screen=screen,
        **boost,
    )
    return InnerWindowChoice(
        candidates=(hurdle,),
        calibrations=COUNT_CALIBRATIONS,
        spread=PersistenceCount(history=history),
        search_seed=CHOICE_SEED,
        coverage=COUNT_COVERAGE,
    )


def training_set(
    frame: OriginFrame, target: Target, horizon: int, key: str
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Rows whose outcome at ``horizon`` was known at the origin: features, labels and periods."""
    y = label(frame.panel, target, horizon, key)
    known = y.notna() & (frame.panel["period"] + horizon <= frame.origin)
    if not known.any():
        raise ForecastError(
            f"no training rows for target {target.name!r}, horizon {horizon} at origin {frame.origin}; "
            "the panel has too little history before this origin"
        )
    return frame.features[known], y[known].to_numpy(), frame.panel.loc[known, "period"].to_numpy()


def forecast_rows(frame: OriginFrame) -> pd.Series:
    """Mask of the rows forecasts are made from: the origin period itself."""
    return frame.panel["period"] == frame.origin


def forecast_features(model: Any, frame: OriginFrame, target: Target) -> pd.DataFrame:
    """What ``model`` forecasts ``target`` from: the origin rows' features, in a pooled model's view."""
    X_new = frame.features[forecast_rows(frame)]
    return pooled_view(X_new, target, frame.cutpoints) if isinstance(model, PooledSpaces) else X_new


def pooled_training_set(
    frame: OriginFrame, target: Target, horizon: int, key: str
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """The training rows of every space of ``target``'s direction, stacked, each in its own space's
    view (:func:`gbvs.forecasting.pooling.pooled_view`) with its own space's label; the same rule of
    what was known at the origin as :func:`training_set`."""
    targets = [t for t in direction_targets(target) if t.event in frame.panel.columns]
    parts = [(t, training_set(frame, t, horizon, key)) for t in targets]
    X = pd.concat([pooled_view(X, t, frame.cutpoints) for t, (X, _, _) in parts], ignore_index=True)
    y = np.concatenate([y for _, (_, y, _) in parts])
    periods = np.concatenate([periods for _, (_, _, periods) in parts])
    return X, y, periods


def _pooled_fit(model: PooledSpaces, frame: OriginFrame, target: Target, horizon: int, key: str) -> Any:
    """The pooled model of ``target``'s direction at this origin and horizon, fitted once per setting
    (and once for all seeds when the seed changes nothing) and kept in ``frame.fits``."""
    same_for_all_seeds = seed_free(model)
    settings = tuple(
        f"{name}={value!r}"
        for name, value in sorted(model.get_params(deep=True).items())
        if name != "estimator"
        and not name.endswith("__estimator")
        and not (same_for_all_seeds and name.endswith("random_state"))
    )
    memo = ("pooled", direction(target), str(horizon), *settings)
    if memo not in frame.fits:
        X, y, periods = pooled_training_set(frame, target, horizon, key)
        frame.fits[memo] = clone(model).fit(X, y, periods=periods)
    return frame.fits[memo]


def fit_predict(
    model: Any,
    frame: OriginFrame,
    target: Target,
    horizon: int,
    key: str,
    training: tuple[pd.DataFrame, np.ndarray, np.ndarray] | None = None,
) -> tuple[Any, pd.DataFrame]:
    """Fit a clone of ``model`` on the origin's training rows (``training`` when the caller already took
    them with :func:`training_set`, for several models) and forecast from the origin rows. A pooled
    democratic-space model is fitted on :func:`pooled_training_set` instead, once per origin, direction
    and horizon (the other targets of the direction reuse the fit)."""
    if isinstance(model, PooledSpaces):
        fitted = _pooled_fit(model, frame, target, horizon, key)
    else:
        X, y, periods = training if training is not None else training_set(frame, target, horizon, key)
        fitted = clone(model).fit(X, y, periods=periods)
    rows = forecast_rows(frame)
    out = frame.panel.loc[rows, [key, "period"]].reset_index(drop=True)
    X_new = forecast_features(model, frame, target)
    if target.kind is TargetKind.counts:
        samples = fitted.predict_samples(X_new)
        for q in QUANTILES:
            out[f"q{q:g}"] = np.quantile(samples, q, axis=1)
        out["samples"] = list(samples)
    else:
        out["p"] = fitted.predict_proba(X_new)[:, 1]
    return fitted, out
