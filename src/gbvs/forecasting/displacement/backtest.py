"""Rolling-origin backtest of the displacement forecasts, with the conflict models' origin rules (pure).

For every forecast year ``P`` in the plan and horizon ``h``, the origin is ``P - h``: the panel is
cut at the origin, features are computed on what is left, the models train on rows whose outcome
was published by then (:func:`gbvs.forecasting.domain.label_known_by`) and forecast from the
origin's rows. Truth comes from the full panel. Seeded models run once per seed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from gbvs.errors import ForecastError
from gbvs.forecasting.displacement.features import KEY, origin_features
from gbvs.forecasting.displacement.models import (
    BOUND_QUANTILE,
    HistoryBound,
    HistoryOnly,
    LastValue,
    LastValueSpread,
    LGBMChange,
    ShortTrend,
    WithoutConflictForecasts,
)
from gbvs.forecasting.displacement.targets import QUANTILES, DisplacementTarget
from gbvs.forecasting.domain import label_known_by
from gbvs.forecasting.metrics import crps
from gbvs.forecasting.models.choice import Calibration, InnerWindowChoice
from gbvs.languages import N_

Progress = Callable[[str], None]
MAIN_MODEL = "lgbm"
SEEDED = frozenset({"lgbm", "history"})
REGULARISED: dict[str, Any] = {"num_leaves": 7, "min_child_samples": 40, "reg_lambda": 10.0}
"""Second candidate of the main model (smaller, more regularised trees); each fit picks between it and
the defaults on its own inner window (lower CRPS), never on the test years."""
BOUNDS: tuple[float | None, ...] = (None, 0.90, BOUND_QUANTILE)
"""The bounds the main model's inner window chooses from (v5), as ``Calibration.bound``: the training
window's largest value (v3), and :class:`HistoryBound` at rise quantiles 0.90 and 0.99 (v4's). The
loosest is ``BOUND_QUANTILE``, the candidates' own bound, so none of them is cut before it is chosen."""
BOUND_NAMES: tuple[str, ...] = (
    N_("training maximum"),
    N_("history, rise q0.90"),
    N_("history, rise q0.99"),
)
"""The names of ``BOUNDS``, in its order (for the report; message ids of the catalogues for the CLI)."""
CALIBRATIONS: tuple[Calibration, ...] = tuple(
    Calibration(scale, blend, bound)
    for bound in BOUNDS
    for scale in (1.0, 1.25, 1.5, 2.0)
    for blend in (0.0, 0.25, 0.5, 0.75, 1.0)
)
"""Bounds, widenings of the main model's spread and shares of the past-changes baseline in its mixture;
each fit picks one on its own inner window with the candidate (v2). v3 lets the share reach the whole
mixture: where the past-changes baseline forecasts better on the inner window (asylum applications in
the Netherlands lost to it over 2010-2023 in v2), the published forecast may be that baseline. v5 lets
it choose the bound too (``BOUNDS``): v4's bound alone scored worse than v3's on every target."""
CANDIDATES: tuple[str, ...] = (N_("default"), N_("regularised"), N_("default, no conflict forecasts"))
"""The main model's candidates, in the order of ``InnerWindowChoice.candidates`` (for the note; message
ids of the catalogues for the CLI)."""


def main_model(history: str, seed: int) -> InnerWindowChoice:
    """The main model (v2): LightGBM on the change with or without the conflict forecasts, two tree
    settings, bounded, calibrated and pooled with the past-changes baseline as the inner window says
    (the bound: v5, ``BOUNDS``)."""
    change = LGBMChange(history=history, random_state=seed)
    return InnerWindowChoice(
        (
            change,
            LGBMChange(history=history, random_state=seed, **REGULARISED),
            WithoutConflictForecasts(change),
        ),
        calibrations=CALIBRATIONS,
        spread=LastValueSpread(history=history),
        bound=HistoryBound(history=history),
    )


def model_set(target: DisplacementTarget, horizon: int, seed: int) -> dict[str, Any]:
    """The baselines and the main model for one target and horizon (unfitted)."""
    history = f"d_{target.column}"
    return {
        "last_value": LastValue(history=history),
        "last_value_spread": LastValueSpread(history=history),
        "trend": ShortTrend(history=history, horizon=horizon),
        "history": HistoryOnly(LGBMChange(history=history, random_state=seed)),
        MAIN_MODEL: main_model(history, seed),
    }


@dataclass(frozen=True)
class DisplacementPlan:
    """Targets, horizons, forecast years and seeds of a backtest."""

    targets: tuple[DisplacementTarget, ...]
    horizons: tuple[int, ...]
    first: int
    last: int
    seeds: tuple[int, ...] = (0,)
    models: tuple[str, ...] | None = None

    def origins(self) -> list[int]:
        """Every origin the plan needs, in time order."""
        return sorted({p - h for h in self.horizons for p in range(self.first, self.last + 1)})


@dataclass
class DisplacementBacktest:
    """Scored forecast rows (one per model, seed, target, horizon, country) and seconds per stage."""

    rows: pd.DataFrame
    timings: dict[str, float] = field(default_factory=dict)


def labels(panel: pd.DataFrame, column: str, horizon: int) -> pd.Series:
    """``column`` at ``t + h`` for every row ``t`` (NaN where that year is not in ``panel``)."""
    later = panel[[KEY, "period", column]].assign(period=panel["period"] - horizon)
    merged = panel[[KEY, "period"]].merge(later, on=[KEY, "period"], how="left")
    return pd.Series(merged[column].to_numpy(dtype=float), index=panel.index)


def training_rows(
    cut: pd.DataFrame, features: pd.DataFrame, target: DisplacementTarget, horizon: int, origin: int
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Rows whose outcome at ``horizon`` was published by ``origin`` and whose history is observed."""
    y = labels(cut, target.column, horizon)
    known = (
        y.notna()
        & cut["period"].map(lambda t: label_known_by(int(t), horizon, origin))
        & features[f"d_{target.column}"].notna()
        & (cut["period"] >= target.first_year)
    )
    if not known.any():
        raise ForecastError(
            f"no training rows for displacement target {target.name!r}, horizon {horizon} at origin "
            f"{origin}; the UNHCR series starts in {target.first_year}: choose a later origin"
        )
    return features[known], y[known].to_numpy(), cut.loc[known, "period"].to_numpy()


def forecast_mask(
    cut: pd.DataFrame, features: pd.DataFrame, target: DisplacementTarget, origin: int
) -> pd.Series:
    """Rows forecast from: the origin year, where the target's own series is observed."""
    return (cut["period"] == origin) & features[f"d_{target.column}"].notna()


def fit_forecast(
    model: Any,
    cut: pd.DataFrame,
    features: pd.DataFrame,
    target: DisplacementTarget,
    horizon: int,
    origin: int,
) -> tuple[Any, pd.DataFrame]:
    """Fit ``model`` at ``origin`` and return it with the forecast rows (quantiles and samples)."""
    X, y, periods = training_rows(cut, features, target, horizon, origin)
    fitted = model.fit(X, y, periods=periods)
    rows = forecast_mask(cut, features, target, origin)
    samples = np.asarray(fitted.predict_samples(features[rows]))
    out = cut.loc[rows, [KEY, "period"]].reset_index(drop=True)
    for q in QUANTILES:
        out[f"q{q:g}"] = np.quantile(samples, q, axis=1) if len(out) else []
    out["samples"] = list(samples)
    return fitted, out


def choice_facts(fitted: Any) -> dict[str, float]:
    """What the main model chose at one fit: candidate index, widening, share of the spread baseline,
    bound (index in ``BOUNDS``), and the best inner-window CRPS with and without the conflict forecasts
    (NaN for other models)."""
    if not isinstance(fitted, InnerWindowChoice):
        return dict.fromkeys(CHOICE_COLUMNS, float("nan"))
    inner = fitted.inner_crps_
    with_cf = [v for v, name in zip(inner, CANDIDATES, strict=False) if "no conflict" not in name]
    without = [v for v, name in zip(inner, CANDIDATES, strict=False) if "no conflict" in name]
    return {
        "chosen": float(fitted.chosen_),
        "scale": fitted.calibration_.scale,
        "blend": fitted.calibration_.blend,
        "bound": float(BOUNDS.index(fitted.calibration_.bound)),
        "inner_cf": min(with_cf) if with_cf else float("nan"),
        "inner_no_cf": min(without) if without else float("nan"),
    }


def named_choice(fitted: InnerWindowChoice) -> dict[str, Any]:
    """What the main model chose at one fit, by name: candidate, widening, share of the spread baseline
    and bound (a live run's provenance)."""
    facts = choice_facts(fitted)
    return {
        "candidate": CANDIDATES[int(facts["chosen"])],
        "scale": facts["scale"],
        "blend": facts["blend"],
        "bound": BOUND_NAMES[int(facts["bound"])],
    }


CHOICE_COLUMNS: tuple[str, ...] = ("chosen", "scale", "blend", "bound", "inner_cf", "inner_no_cf")


def _origin_rows(
    panel: pd.DataFrame, plan: DisplacementPlan, origin: int, neighbours: Mapping[int, Sequence[int]] | None,
    timings: dict[str, float],
) -> list[pd.DataFrame]:  # fmt: skip
    started = time.perf_counter()
    cut, features = origin_features(panel, origin, neighbours)
    timings["features"] = timings.get("features", 0.0) + time.perf_counter() - started
    out = []
    for target in plan.targets:
        for h in plan.horizons:
            if not plan.first <= origin + h <= plan.last:
                continue
            started = time.perf_counter()
            for name in plan.models or tuple(model_set(target, h, 0)):
                for seed in plan.seeds if name in SEEDED else plan.seeds[:1]:
                    model = model_set(target, h, seed)[name]
                    fitted, rows = fit_forecast(model, cut, features, target, h, origin)
                    out.append(
                        rows.assign(
                            model=name, seed=seed, target=target.name, horizon=h, origin=origin,
                            **choice_facts(fitted),
                        )
                    )  # fmt: skip
            stage = f"fit {target.name}"
            timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - started
    return out


def _attach_truth(pred: pd.DataFrame, panel: pd.DataFrame, plan: DisplacementPlan) -> pd.DataFrame:
    parts = []
    for (name, h), group in pred.groupby(["target", "horizon"], sort=False):
        target = next(t for t in plan.targets if t.name == name)
        truth = panel[[KEY, "period"]].assign(y=labels(panel, target.column, int(str(h))))
        parts.append(group.merge(truth, on=[KEY, "period"], how="left"))
    joined = pd.concat(parts, ignore_index=True)
    joined = joined[joined["y"].notna()].reset_index(drop=True)
    joined["forecast_period"] = joined["origin"] + joined["horizon"]
    samples = np.vstack(joined["samples"].to_list())
    return joined.drop(columns=["samples"]).assign(crps=crps(joined["y"].to_numpy(), samples))


def run_displacement_backtest(
    panel: pd.DataFrame,
    plan: DisplacementPlan,
    neighbours: Mapping[int, Sequence[int]] | None = None,
    progress: Progress | None = None,
) -> DisplacementBacktest:
    """Run ``plan`` on ``panel`` (country-years with ``period`` and the displacement columns)."""
    panel = panel.sort_values([KEY, "period"]).reset_index(drop=True)
    last = int(panel["period"].max())
    timings: dict[str, float] = {}
    started = time.perf_counter()
    rows: list[pd.DataFrame] = []
    for origin in (o for o in plan.origins() if o <= last):
        rows.extend(_origin_rows(panel, plan, origin, neighbours, timings))
        if progress:
            progress(f"origin {origin}: done")
    timings["fitting (wall)"] = time.perf_counter() - started
    if not rows:
        raise ForecastError(
            f"the displacement backtest has no forecast rows for years {plan.first}-{plan.last}; the panel "
            f"ends in {last}: choose forecast years up to {last}"
        )
    return DisplacementBacktest(_attach_truth(pd.concat(rows, ignore_index=True), panel, plan), timings)
