"""Neighbours from polygons, grid-month leakage, and explanations summed into driver families."""

from __future__ import annotations

import numpy as np
import pandas as pd

from gbvs.forecasting.data import country_neighbours_from
from gbvs.forecasting.domain import TARGETS, UNIT_SPECS, Unit
from gbvs.forecasting.engine import fit_predict, model_set, origin_frame
from gbvs.forecasting.explain import family_contributions, summary
from gbvs.forecasting.features import feature_families
from gbvs.forecasting.neighbours import grid_neighbours


def test_country_neighbours_from_natural_earth_rows() -> None:
    shapes = pd.DataFrame(
        {
            "iso_a3_eh": ["YEM", "SAU", "ISL", "-99"],
            "geometry": [
                "POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))",
                "POLYGON ((1 0, 2 0, 2 1, 1 1, 1 0))",  # shares the edge x = 1 with YEM
                "POLYGON ((5 5, 6 5, 6 6, 5 6, 5 5))",  # an island
                "POLYGON ((0 1, 1 1, 1 2, 0 2, 0 1))",  # no code: skipped
            ],
        }
    )
    # Yemen is 678 (gbvs.countries), not country_converter's 680 (South Yemen)
    assert country_neighbours_from(shapes) == {678: (670,), 670: (678,), 395: ()}


def test_grid_month_forecasts_ignore_the_future(grid_panel: pd.DataFrame) -> None:
    spec = UNIT_SPECS[Unit.grid_month]
    origin = 430
    scrambled = grid_panel.copy()
    later = scrambled["period"] > origin
    rng = np.random.default_rng(1)
    for column in ("ged_sb_best", "conflict", "brd_best"):
        scrambled.loc[later, column] = rng.permutation(scrambled.loc[later, column].to_numpy())
    neighbours = grid_neighbours(grid_panel["priogrid_gid"].unique())
    target = TARGETS["incidence"]
    model = model_set(target, spec, 0, fast=True)["lgbm"]
    _, clean = fit_predict(
        model, origin_frame(grid_panel, spec, origin, None, neighbours), target, 12, "priogrid_gid"
    )
    _, dirty = fit_predict(
        model, origin_frame(scrambled, spec, origin, None, neighbours), target, 12, "priogrid_gid"
    )
    pd.testing.assert_frame_equal(clean, dirty)


def test_contributions_sum_into_families_and_read_as_a_sentence(country_year_panel: pd.DataFrame) -> None:
    spec = UNIT_SPECS[Unit.country_year]
    frame = origin_frame(country_year_panel, spec, 2015)
    target = TARGETS["incidence"]
    fitted, _ = fit_predict(model_set(target, spec, 0, fast=True)["lgbm"], frame, target, 1, "gwcode")
    X = frame.features[frame.panel["period"] == 2015]
    families = feature_families(list(X.columns), {"gm_driver_x": "poverty_inequality"})
    assert (
        families["conflict_decay_2"] == "conflict_history"
        and families["v2xcl_rol"] == "illegitimate_governance"
    )
    raw = fitted.contributions(X)
    summed = family_contributions(raw, families)
    assert np.allclose(summed.sum(axis=1), raw.drop(columns="bias").sum(axis=1))
    assert summary({"conflict_history": 1.2, "exclusion_minorities": 0.4, "other": 0.01}) == (
        "risk up mainly from conflict history and exclusion of minorities"
    )
    assert summary({"conflict_history": -0.5}).startswith("risk down")


def test_parse_geometry_accepts_store_encodings() -> None:
    import shapely

    from gbvs.forecasting.neighbours import parse_geometry

    square = shapely.from_wkt("POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))")
    assert parse_geometry(None) is None
    for encoded in (square.wkt, shapely.to_wkb(square), shapely.to_geojson(square)):
        assert shapely.equals(parse_geometry(encoded), square)
