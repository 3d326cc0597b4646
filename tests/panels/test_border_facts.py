"""Real facts: sources that use today's borders (poldat, Gapminder's present-day countries) are not given to
states of other borders, and Gapminder's historical entities keep their own figures (driver review)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

pytestmark = pytest.mark.integration


def _panel(store: Any, *columns: str) -> pd.DataFrame:
    t = store.table("panel_country_year")
    return t.select("gwcode", "year", *columns).execute().set_index(["gwcode", "year"])


def test_located_deaths_of_split_or_merged_states_stay_empty(panel_store: Any) -> None:
    panel = _panel(panel_store, "conflict", "brd_located_best")
    # poldat's 816 of 1963 (27,564) is the war in South Vietnam; its 678 of 1986 South Yemen's civil war
    assert panel.loc[(816, 1963), "conflict"] == 0 and pd.isna(panel.loc[(816, 1963), "brd_located_best"])
    assert panel.loc[(678, 1986), "conflict"] == 0 and pd.isna(panel.loc[(678, 1986), "brd_located_best"])
    assert pd.isna(panel.loc[(625, 1997), "brd_located_best"])  # Sudan without South Sudan's share
    assert pd.isna(panel.loc[(345, 1991), "brd_located_best"])  # Yugoslavia
    assert panel.loc[(625, 2015), "brd_located_best"] > 0  # today's Sudan keeps its series


def test_gapminder_historical_entities_keep_their_figures(panel_store: Any) -> None:
    panel = _panel(panel_store, "gm_flood_affected_annual_number", "gm_population_density_per_square_km")
    assert panel.loc[(345, 1964), "gm_flood_affected_annual_number"] == 240017  # Gapminder `yug`
    assert panel.loc[(365, 1987), "gm_flood_affected_annual_number"] == 36110  # Gapminder `ussr`
    assert pd.isna(panel.loc[(260, 1970), "gm_population_density_per_square_km"])  # not today's Germany
    assert panel.loc[(260, 2000), "gm_population_density_per_square_km"] > 200


def test_no_regime_codes_and_state_collapse_are_empty_not_zero(panel_store: Any) -> None:
    panel = _panel(panel_store, "polity_factional", "polity_polity2", "epr_excluded_share")
    # Yemen: Polity5 parcomp/polity -77 (interregnum) from 2014; polity2 0 as published
    assert panel.loc[(678, 2013), "polity_factional"] == 1
    assert panel.loc[(678, 2014), ["polity_factional", "polity_polity2"]].isna().all()
    assert pd.isna(panel.loc[(520, 1995), "epr_excluded_share"])  # Somalia: EPR STATE COLLAPSE
    assert panel.loc[(520, 2010), "epr_excluded_share"] >= 0
