"""Nothing published after the origin may reach a model: scrambling the future leaves forecasts unchanged."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gbvs.forecasting.domain import TARGETS, UNIT_SPECS, Unit
from gbvs.forecasting.engine import fit_predict, model_set, origin_frame, training_set

SPEC = UNIT_SPECS[Unit.country_year]
ORIGIN = 2012


def _scramble_future(panel: pd.DataFrame, origin: int) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    out = panel.copy()
    later = out["period"] > origin
    for column in out.columns:
        if column in ("gwcode", "year", "period"):
            continue
        values = out.loc[later, column].to_numpy(copy=True)
        out.loc[later, column] = rng.permutation(values) if column != "conflict" else 1 - values
    return out


@pytest.mark.parametrize(
    "target", ["incidence", "war", "battle_deaths", "closing_electoral", "opening_economic"]
)
def test_future_values_do_not_change_forecasts(
    country_year_panel: pd.DataFrame,
    cutpoints: dict[str, float],
    ring_neighbours: dict[int, tuple[int, ...]],
    target: str,
) -> None:
    scrambled = _scramble_future(country_year_panel, ORIGIN)
    assert not scrambled.equals(country_year_panel)
    t = TARGETS[target]
    for h in t.horizons(SPEC)[-1:]:  # the longest horizon: the most future rows to leak from
        model = model_set(t, SPEC, 0, fast=True)["lgbm"]
        _, clean = fit_predict(
            model, origin_frame(country_year_panel, SPEC, ORIGIN, cutpoints, ring_neighbours), t, h, "gwcode"
        )
        _, dirty = fit_predict(
            model, origin_frame(scrambled, SPEC, ORIGIN, cutpoints, ring_neighbours), t, h, "gwcode"
        )
        pd.testing.assert_frame_equal(
            clean.drop(columns="samples", errors="ignore"), dirty.drop(columns="samples", errors="ignore")
        )


def test_training_rows_have_outcomes_published_by_the_origin(country_year_panel: pd.DataFrame) -> None:
    frame = origin_frame(country_year_panel, SPEC, ORIGIN)
    for h in (1, 2, 3):
        _, _, periods = training_set(frame, TARGETS["incidence"], h, "gwcode")
        assert periods.max() + h <= ORIGIN
        assert periods.max() + h == ORIGIN  # and the most recent known outcome is used
    assert frame.panel["period"].max() == ORIGIN
