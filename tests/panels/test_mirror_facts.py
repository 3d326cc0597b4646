"""Published facts checked on panels built from the real mirror data."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

pytestmark = pytest.mark.integration


def country(panel_store: Any, gwcode: int) -> pd.DataFrame:
    t = panel_store.table("panel_country_year")
    return t.filter(t.gwcode == gwcode).execute().set_index("year")


def test_syria_in_conflict_2011_2023_at_war_except_2021_2022(panel_store: Any) -> None:
    syria = country(panel_store, 652).loc[2011:2023]
    assert syria.index.tolist() == list(range(2011, 2024))
    assert (syria["conflict"] == 1).all()
    assert syria.loc[syria.war == 0].index.tolist() == [2021, 2022]
    assert syria.loc[2011, "onset"] == 1


def test_netherlands_is_a_conflict_location_only_in_1962(panel_store: Any) -> None:
    netherlands = country(panel_store, 210)
    assert netherlands.loc[netherlands.conflict == 1].index.tolist() == [1962]
    assert netherlands.index.max() == 2023
    assert netherlands.loc[2023, "years_since_conflict"] == 2023 - 1962


def test_2023_has_the_59_conflicts_of_the_acd_file_all_located(panel_store: Any) -> None:
    acd = panel_store.table("ucdp_acd").execute()
    in_2023 = acd[acd["year"].astype(int) == 2023]
    assert in_2023["conflict_id"].nunique() == 59
    located = {int(c) for codes in in_2023["gwno_loc"].astype(str) for c in codes.split(",")}
    panel = panel_store.table("panel_country_year")
    conflict_2023 = panel.filter((panel.year == 2023) & (panel.conflict == 1)).execute()
    assert set(conflict_2023["gwcode"]) == located


def test_syria_battle_deaths_match_ucdp(panel_store: Any) -> None:
    syria = country(panel_store, 652)
    assert syria.loc[2019, "brd_best"] == 7379
    assert syria.loc[2023, "brd_best"] == 1504
    assert pd.isna(syria.loc[1988, "brd_best"])


def test_driver_values_are_joined_from_their_sources(panel_store: Any) -> None:
    syria, netherlands = country(panel_store, 652), country(panel_store, 210)
    assert syria.loc[2018, "polity_polity2"] == -9
    assert netherlands.loc[2018, "polity_polity2"] == 10
    assert syria.loc[2010, "epr_discriminated_share"] > 0  # Kurds discriminated until 2011
    assert syria.loc[2018, "epr_excluded_share"] > 0.5  # Sunni Arabs powerless, Kurds self-excluded
    assert syria.loc[2010, "gm_gdppercapita_us_inflation_adjusted"] > 0
    assert 0 < syria.loc[2020, "vdem_v2x_veracc_osp"] < 0.3


def test_syria_ged_subset_adds_up_to_the_published_total(panel_store: Any) -> None:
    for name in ("panel_country_month", "panel_priogrid_month"):
        t = panel_store.table(name)
        totals = t.aggregate(best=t.ged_best.sum(), sb=t.ged_sb_best.sum(), ns=t.ged_ns_best.sum()).execute()
        assert totals["best"].iloc[0] == pytest.approx(112_337)
    ged = panel_store.table("ucdp_ged")
    sb = ged.filter(ged.type_of_violence == 1).best.sum().execute()
    assert totals["sb"].iloc[0] == pytest.approx(sb)


def test_country_month_is_dense_over_the_syria_period(panel_store: Any) -> None:
    months = panel_store.table("panel_country_month").execute().sort_values("month_id")
    assert set(months["gwcode"]) == {652}
    assert months["month_id"].tolist() == list(range(months["month_id"].min(), months["month_id"].max() + 1))
    assert months["month_id"].min() == (2016 - 1980) * 12 + 1
