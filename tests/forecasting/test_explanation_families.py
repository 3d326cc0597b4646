"""The forecasts' explanations name the strategy's drivers: every model feature has a driver family, the
V-Dem v14 variables each the driver they measure (§2.2), and the filing changes no forecast figure."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from gbvs.drivers.families import FAMILY_LABELS, OTHER
from gbvs.drivers.vdem_v14 import VDEM_V14_DRIVERS, Family, UnfiledVariableError, vdem_v14_drivers
from gbvs.forecasting.domain import TARGETS, UNIT_SPECS, Unit
from gbvs.forecasting.engine import origin_frame
from gbvs.forecasting.features import VDEM_WIDE_PREFIX, feature_families
from gbvs.forecasting.live import forecast_target
from gbvs.forecasting.service import driver_families
from gbvs.panels.country_year_wide import VDEM_PREFIX, wide_columns
from gbvs.sources.vdem_wide import KEPT

SPEC = UNIT_SPECS[Unit.country_year]

EXPECTED = {  # V-Dem v14 variable -> the driver of §2.2 it measures
    "v2cacamps": "polarisation",  # political polarisation: the monitor's driver indicator
    "v2caviol": "polarisation",
    "v2x_gender": "position_of_women",  # women's political empowerment: the monitor's driver indicator
    "v2x_gencl": "position_of_women",
    "v2elfrfair": "illegitimate_governance",  # elections
    "v2mecenefm": "illegitimate_governance",  # media censorship
    "v2csreprss": "illegitimate_governance",  # civil society repression
    "v2juhcind": "illegitimate_governance",  # judiciary
    "v2clkill": "illegitimate_governance",  # political killings
    "v2x_corr": "illegitimate_governance",  # corruption
    "v2clsocgrp": "exclusion_minorities",  # social group equality in civil liberties
    "e_pechmor": "poverty_inequality",
}


def wide_panel(country_year_panel: pd.DataFrame) -> pd.DataFrame:
    """The generated panel with every column of the real wide panel (V-Dem v14, covariates, coups)."""
    rng = np.random.default_rng(11)
    columns = {name: rng.normal(size=len(country_year_panel)) for name in wide_columns()}
    return pd.concat([country_year_panel, pd.DataFrame(columns, index=country_year_panel.index)], axis=1)


def test_every_kept_vdem_variable_is_filed_under_one_driver() -> None:
    drivers = vdem_v14_drivers()
    assert list(drivers) == list(KEPT)
    assert set(drivers.values()) <= set(FAMILY_LABELS)
    assert VDEM_WIDE_PREFIX == VDEM_PREFIX
    # the monitor's two V-Dem indicators are filed by the driver mapping, not a second time here
    assert "v2cacamps" not in VDEM_V14_DRIVERS and "v2x_gender" not in VDEM_V14_DRIVERS


def test_a_variable_filed_twice_or_nowhere_is_named() -> None:
    filed: dict[str, Family] = {**VDEM_V14_DRIVERS, "v2cacamps": "illegitimate_governance", "v2xyz": "other"}
    del filed["v2elfrfair"]
    with pytest.raises(UnfiledVariableError) as raised:
        vdem_v14_drivers(filed)
    message = str(raised.value)
    assert "no driver: ['v2elfrfair']" in message and "twice" in message and "['v2cacamps']" in message
    assert "not kept" in message and "['v2xyz']" in message


def test_every_model_feature_has_a_family_and_vdem_features_their_driver(
    country_year_panel: pd.DataFrame,
) -> None:
    frame = origin_frame(wide_panel(country_year_panel), SPEC, 2015)
    families = feature_families(list(frame.features.columns), driver_families())
    assert set(families) == set(frame.features.columns)
    assert set(families.values()) <= set(FAMILY_LABELS)
    vdem = {feature: family for feature, family in families.items() if feature.startswith(VDEM_PREFIX)}
    assert len(vdem) == 3 * len(KEPT)  # each variable with its 1- and 3-year changes
    unclaimed = {feature for feature, family in vdem.items() if family == OTHER}
    assert unclaimed == {f"{VDEM_PREFIX}e_total_resources_income_pc{s}" for s in ("", "_diff1", "_diff3")}
    for name, driver in EXPECTED.items():
        for suffix in ("", "_diff1", "_diff3"):
            assert families[f"{VDEM_PREFIX}{name}{suffix}"] == driver, (name, suffix)
    assert families["gm_driver_x"] == OTHER and families["conflict_decay_2"] == "conflict_history"


def test_the_filing_changes_the_explanation_not_the_forecast(country_year_panel: pd.DataFrame) -> None:
    """The same forecast with every V-Dem v14 feature unfiled (as before) and filed by its driver."""
    panel = country_year_panel.assign(
        **{
            f"{VDEM_PREFIX}v2cacamps": country_year_panel["gm_driver_x"].fillna(0.0) * 1.3,
            f"{VDEM_PREFIX}v2x_gender": 1.0 - country_year_panel["v2x_veracc_osp"],
        }
    )
    filed = driver_families()
    unfiled = {column: family for column, family in filed.items() if not column.startswith(VDEM_PREFIX)}
    target = TARGETS["incidence"]
    before = forecast_target(panel, SPEC, target, (0, 1), unfiled)
    after = forecast_target(panel, SPEC, target, (0, 1), filed)
    figures = ["unit_key", "horizon", "p", "p_min", "p_max", "p_sd"]
    pd.testing.assert_frame_equal(before[figures], after[figures])
    explained = [json.loads(text) for text in after["families"]]
    assert all("polarisation" in row and "position_of_women" in row for row in explained)
    assert not any("polarisation" in json.loads(text) for text in before["families"])
    totals = [sum(json.loads(text).values()) for text in before["families"]]
    assert totals == pytest.approx([sum(row.values()) for row in explained], abs=1e-5)
