"""Model or baseline: which forecast is published, chosen on the inner window only (pure).

For a target and horizon at origin ``o``, the candidates (the main model and the baselines with a
distribution, :data:`SELECTABLE`) are scored on the last :data:`INNER_YEARS` forecast years whose
outcome was published by ``o`` (forecast years ``o - INNER_YEARS + 1`` to ``o``): rolling origins inside
the training window, each forecast made with only the data of its own origin, as the backtest makes
them. The candidate with the lowest mean CRPS there is published; a tie goes to the main model. Rows
after ``o`` are dropped before anything is scored, so the test years are never read.

The backtest (:func:`selected_rows`) and the live forecast (``service.live_rows``) choose with the same
:func:`select`; the backtest's extra forecast years before its first test year (``DisplacementPlan.
inner_years``) give its first origins their inner years.

A live run keeps its validation with the :class:`ValidationKey` it depends on; a later live run with the
same key reuses it (:func:`reusable_validation`) instead of forecasting the inner years again.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import pandas as pd

from gbvs.forecasting.displacement.backtest import MAIN_MODEL, SEEDED

INNER_YEARS = 3
"""Forecast years of the inner window, as the main model's own inner window (``inner_periods``)."""
SELECTABLE: tuple[str, ...] = (MAIN_MODEL, "last_value_spread", "history")
"""The forecasts that may be published: the main model and the baselines that give a distribution
(last year's value and the short trend are point forecasts, without the spread a forecast must have)."""
SELECTED = "selected"
"""The backtest's name for the published forecast (per origin the candidate :func:`select` chose)."""


@dataclass(frozen=True)
class Selection:
    """What was published for one target and horizon at one origin, and why: each candidate's mean
    CRPS on the inner forecast years (``inner_crps``; a candidate without rows there is left out)."""

    target: str
    horizon: int
    origin: int
    chosen: str
    inner_years: tuple[int, ...]
    inner_crps: dict[str, float]

    @property
    def baseline_chosen(self) -> bool:
        """Whether a baseline, not the main model, is published."""
        return self.chosen != MAIN_MODEL

    def as_dict(self) -> dict[str, Any]:
        """Plain data for a run's config and the API."""
        return {**asdict(self), "inner_years": list(self.inner_years)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Selection:
        """A selection kept in a run's config."""
        return cls(
            target=str(data["target"]),
            horizon=int(data["horizon"]),
            origin=int(data["origin"]),
            chosen=str(data["chosen"]),
            inner_years=tuple(int(y) for y in data["inner_years"]),
            inner_crps={str(k): float(v) for k, v in dict(data["inner_crps"]).items()},
        )


def inner_forecast_years(origin: int, years: int = INNER_YEARS) -> tuple[int, ...]:
    """The forecast years scored at ``origin``: the last ``years`` whose outcome was published by then."""
    return tuple(range(origin - years + 1, origin + 1))


def select(
    rows: pd.DataFrame,
    target: str,
    horizon: int,
    origin: int,
    candidates: Sequence[str] = SELECTABLE,
    years: int = INNER_YEARS,
) -> Selection:
    """The candidate with the lowest mean CRPS on the inner forecast years of ``origin`` among scored
    backtest ``rows`` (columns target, horizon, model, forecast_period, crps); rows after ``origin``
    are dropped first. Without inner rows the main model is kept (nothing to choose on)."""
    inner = inner_forecast_years(origin, years)
    known = rows[rows["forecast_period"] <= origin]
    mine = known[
        (known["target"] == target)
        & (known["horizon"] == horizon)
        & known["forecast_period"].isin(inner)
        & known["model"].isin(candidates)
    ]
    means = mine.groupby("model")["crps"].mean()
    scored = {name: float(means[name]) for name in candidates if name in means.index}
    chosen = MAIN_MODEL
    if MAIN_MODEL in scored and min(scored.values()) < scored[MAIN_MODEL]:
        chosen = min(scored, key=lambda name: scored[name])
    return Selection(target, horizon, origin, chosen, inner, scored)


def selected_rows(
    rows: pd.DataFrame, first: int, seeds: Sequence[int], years: int = INNER_YEARS
) -> pd.DataFrame:
    """The backtest's published forecasts (model :data:`SELECTED`): per target, horizon and origin whose
    forecast year is ``first`` or later, the rows of the candidate :func:`select` chose at that origin,
    once per seed (an unseeded baseline's rows repeated for each), with ``selected_model`` naming it."""
    parts = []
    tests = rows[rows["forecast_period"] >= first]
    for (target, horizon, origin), _ in tests.groupby(["target", "horizon", "origin"], sort=False):
        choice = select(rows, str(target), int(str(horizon)), int(str(origin)), years=years)
        at = rows[
            (rows["target"] == target)
            & (rows["horizon"] == horizon)
            & (rows["origin"] == origin)
            & (rows["model"] == choice.chosen)
        ]
        for seed in seeds:
            own = at[at["seed"] == seed] if choice.chosen in SEEDED else at
            parts.append(own.assign(model=SELECTED, seed=seed, selected_model=choice.chosen))
    return pd.concat(parts, ignore_index=True) if parts else rows.iloc[0:0]


def selections(rows: pd.DataFrame, origin: int, years: int = INNER_YEARS) -> list[Selection]:
    """For a live run at ``origin``: one :func:`select` per target and horizon of ``rows`` (the scored
    inner-window forecasts of ``service.inner_validation``)."""
    keys = rows[["target", "horizon"]].drop_duplicates().itertuples(index=False)
    return [select(rows, str(t), int(h), origin, years=years) for t, h in keys]


def published_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Per target, horizon and origin of the backtest's :data:`SELECTED` rows, the candidate published
    (columns target, horizon, origin, selected_model), for the report."""
    chosen = rows[rows["model"] == SELECTED]
    if chosen.empty:
        return pd.DataFrame(columns=["target", "horizon", "origin", "selected_model"])
    keys = ["target", "horizon", "origin"]
    return chosen.drop_duplicates(keys)[[*keys, "selected_model"]].sort_values(keys).reset_index(drop=True)


@dataclass(frozen=True)
class ValidationKey:
    """Everything a live run's validation depends on: the data (vintage), the model version, the origin
    and the configuration (targets, horizons, seeds, candidates, inner years). Two runs with equal keys
    make the same choice; any difference asks for a new validation."""

    model_version: str
    data_vintage: str
    origin: int
    targets: tuple[str, ...]
    horizons: tuple[int, ...]
    seeds: tuple[int, ...]
    candidates: tuple[str, ...] = SELECTABLE
    inner_years: int = INNER_YEARS

    def as_dict(self) -> dict[str, Any]:
        """Plain data for a run's config (lists, as JSON reads them back)."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ValidationKey:
        """A key kept in a run's config."""
        return cls(
            model_version=str(data["model_version"]),
            data_vintage=str(data["data_vintage"]),
            origin=int(data["origin"]),
            targets=tuple(str(t) for t in data["targets"]),
            horizons=tuple(int(h) for h in data["horizons"]),
            seeds=tuple(int(s) for s in data["seeds"]),
            candidates=tuple(str(c) for c in data["candidates"]),
            inner_years=int(data["inner_years"]),
        )


@dataclass(frozen=True)
class Validation:
    """A validation and where it was made: the run (``run_id``, ``created_at``) that forecast the inner
    years, its key and its choices. A run that reuses it keeps this run's id and date."""

    key: ValidationKey
    run_id: str
    created_at: datetime
    selections: tuple[Selection, ...]

    def as_config(self) -> dict[str, Any]:
        """The ``validation`` entry of a run's config (the choices themselves are its ``selection``)."""
        return {"key": self.key.as_dict(), "run_id": self.run_id, "created_at": self.created_at.isoformat()}

    def reused_in(self, run_id: str) -> dict[str, str] | None:
        """For run ``run_id`` publishing these choices: where they were made (``run_id``, ``created_at``)
        when another run made them, None when this run did."""
        if run_id == self.run_id:
            return None
        return {"run_id": self.run_id, "created_at": self.created_at.isoformat()}


def validation_of(run: Any) -> Validation | None:
    """The validation kept in stored run ``run``'s config (``validation`` and ``selection``); none for a
    run made before validations were kept with their key, or with a config that cannot be read."""
    try:
        config = json.loads(run.config or "{}")
        kept = config["validation"]
        key = ValidationKey.from_dict(kept["key"])
        made = datetime.fromisoformat(str(kept["created_at"]))
        chosen = tuple(Selection.from_dict(item) for item in config["selection"])
        return Validation(key, str(kept["run_id"]), made, chosen)
    except (ValueError, KeyError, TypeError):
        return None


def reusable_validation(runs: Iterable[Any], key: ValidationKey) -> Validation | None:
    """The newest validation among stored live ``runs`` (newest first) made for exactly ``key``: the
    run's own model version, data vintage and training cutoff equal the key's too, and its choices
    cover every target and horizon of the key. None when there is none: the inner years are forecast."""
    wanted = {(t, h) for t in key.targets for h in key.horizons}
    for run in runs:
        own = (run.model_version, run.data_vintage, run.training_cutoff)
        if own != (key.model_version, key.data_vintage, key.origin):
            continue
        found = validation_of(run)
        if (
            found is not None
            and found.key == key
            and {(s.target, s.horizon) for s in found.selections} == wanted
        ):
            return found
    return None
