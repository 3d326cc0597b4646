"""The wide panel (issue 11): joined on the keys, V-Dem v14 unlagged with changes, covariates lagged."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gbvs.forecasting.data import join_wide
from gbvs.forecasting.domain import UNIT_SPECS, Unit
from gbvs.forecasting.features import SPACES_FAMILY, build_features, feature_families

SPEC = UNIT_SPECS[Unit.country_year]


def panel() -> pd.DataFrame:
    years = list(range(2000, 2006))
    return pd.DataFrame(
        {
            "gwcode": [678] * 6,
            "year": years,
            "period": years,
            "conflict": [0, 0, 1, 1, 0, 0],
            "brd_best": [0.0, 0.0, 30.0, 40.0, 0.0, 0.0],
            "vdem14_v2x_polyarchy": [0.30, 0.32, 0.25, 0.20, 0.21, 0.22],
            "cov_population": [10.0, 11.0, 12.0, 13.0, 14.0, 15.0],
        }
    )


def test_vdem_v14_enters_unlagged_with_one_and_three_year_changes() -> None:
    features = build_features(panel(), SPEC)
    assert features["vdem14_v2x_polyarchy"].tolist() == pytest.approx([0.30, 0.32, 0.25, 0.20, 0.21, 0.22])
    diff1 = features["vdem14_v2x_polyarchy_diff1"].tolist()
    assert np.isnan(diff1[0]) and diff1[1:] == pytest.approx([0.02, -0.07, -0.05, 0.01, 0.01])
    assert features["vdem14_v2x_polyarchy_diff3"].tolist()[3:] == pytest.approx([-0.10, -0.11, -0.03])
    families = feature_families(["vdem14_v2x_polyarchy_diff1"], {"vdem14_v2x_polyarchy": SPACES_FAMILY})
    assert families["vdem14_v2x_polyarchy_diff1"] == SPACES_FAMILY  # a change: its column's family


def test_covariates_enter_lagged_one_year() -> None:
    features = build_features(panel(), SPEC)
    lagged = features["cov_population"].tolist()
    assert np.isnan(lagged[0]) and lagged[1:] == [10.0, 11.0, 12.0, 13.0, 14.0]


def test_join_wide_adds_columns_on_the_keys_and_keeps_every_panel_row() -> None:
    base = pd.DataFrame({"gwcode": [678, 678, 2], "year": [1990, 1991, 1990], "conflict": [1, 0, 0]})
    wide = pd.DataFrame(
        {"gwcode": [678, 2], "year": [1990, 1990], "state_age": [73, 174], "conflict": [9, 9]}
    )
    joined = join_wide(base, wide)
    assert joined["state_age"].tolist()[0] == 73 and np.isnan(joined["state_age"].tolist()[1])
    assert joined["conflict"].tolist() == [1, 0, 0]  # the panel's own column wins


def test_join_wide_refuses_duplicate_keys() -> None:
    base = pd.DataFrame({"gwcode": [678], "year": [1990]})
    wide = pd.DataFrame({"gwcode": [678, 678], "year": [1990, 1990], "state_age": [1, 2]})
    with pytest.raises(pd.errors.MergeError):
        join_wide(base, wide)
