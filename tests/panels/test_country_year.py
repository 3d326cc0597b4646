"""Country-year panel rules on tiny hand-made UCDP tables."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ibis
import pandas as pd
import pytest

from gbvs.errors import StoreNotBuiltError
from gbvs.panels.country_year import add_history, build_country_year, driver_columns
from gbvs.panels.epr import build_epr_country_year

YEARS = list(range(2000, 2009))


def acd(rows: list[tuple[int, int, str, int]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["conflict_id", "year", "gwno_loc", "intensity_level"])


ACD_ROWS = [
    (1, 2001, "645, 652", 1),
    (2, 2002, "652", 2),
    (2, 2002, "652", 1),  # never happens in UCDP, but war must be the max
    (3, 2006, "652", 1),
    (3, 2008, "652", 1),
    (4, 2010, "2", 1),
]


DriverTables = Callable[[list[int], list[int]], dict[str, pd.DataFrame]]


def tables(driver_tables: DriverTables, **overrides: pd.DataFrame) -> dict[str, pd.DataFrame]:
    base = {
        "gw_states": pd.DataFrame(
            [(g, y) for g in (2, 645, 652) for y in YEARS] + [(345, 2000), (345, 2001)],
            columns=["gwcode", "year"],
        ),
        "ucdp_acd": acd(ACD_ROWS),
        "ucdp_brd": pd.DataFrame(
            {
                "year": ["2001", "2008"],
                "gwno_loc": ["645, 652", "652"],
                "bd_best": ["100", "30"],
                "bd_low": ["80", "25"],
                "bd_high": ["120", "40"],
            }
        ),
        "ucdp_nonstate": pd.DataFrame({"conflict_id": [9], "year": [2003], "gwno_location": ["645"]}),
        **driver_tables([2, 652], YEARS),
    }
    return {**base, **overrides}


@pytest.fixture
def panel(make_tables: Any, driver_tables: DriverTables) -> pd.DataFrame:
    con = make_tables(**tables(driver_tables))
    con.create_table("epr_country_year", build_epr_country_year(con))
    return build_country_year(con).execute().set_index(["gwcode", "year"])


def test_conflict_is_counted_in_every_location_country(panel: pd.DataFrame) -> None:
    assert panel.loc[(645, 2001), "conflict"] == 1
    assert panel.loc[(652, 2001), "conflict"] == 1
    assert panel.loc[(2, 2001), "conflict"] == 0


def test_war_is_intensity_two_and_conflicts_are_distinct(panel: pd.DataFrame) -> None:
    assert panel.loc[(652, 2002), ["war", "n_conflicts"]].tolist() == [1, 1]
    assert panel.loc[(652, 2001), "war"] == 0


def test_battle_deaths_split_evenly_and_null_outside_coverage(panel: pd.DataFrame) -> None:
    assert panel.loc[(645, 2001), ["brd_best", "brd_low", "brd_high"]].tolist() == [50.0, 40.0, 60.0]
    assert panel.loc[(652, 2005), "brd_best"] == 0.0
    assert pd.isna(panel.loc[(652, 2000), "brd_best"])
    assert pd.isna(panel.loc[(652, 2009), "brd_best"])


def test_nonstate_is_null_outside_the_years_the_dataset_covers(panel: pd.DataFrame) -> None:
    assert panel.loc[(645, 2003), "nonstate_conflict"] == 1
    assert panel.loc[(652, 2003), "nonstate_conflict"] == 0
    assert pd.isna(panel.loc[(645, 2004), "nonstate_conflict"])


def test_years_since_conflict(panel: pd.DataFrame) -> None:
    syria = panel.loc[652, "years_since_conflict"]
    assert pd.isna(syria[2000])
    assert syria[[2001, 2002, 2003, 2005, 2006, 2007]].tolist() == [0, 0, 1, 3, 0, 1]


def test_onset_needs_two_peaceful_years_before(panel: pd.DataFrame) -> None:
    syria = panel.loc[652]
    assert syria.loc[syria.onset == 1].index.tolist() == [2001, 2006]  # 2008 follows 2006: gap of one year
    assert syria.loc[syria.onset_first == 1].index.tolist() == [2001]


def test_recent_states_are_carried_to_the_last_acd_year(panel: pd.DataFrame) -> None:
    assert panel.index.get_level_values("year").max() == 2010
    assert panel.loc[652].index.max() == 2010
    assert panel.loc[345].index.max() == 2001  # ended long before: not carried
    assert panel.loc[(2, 2010), "conflict"] == 1
    assert panel.loc[(2, 2010), "onset"] == 1


def test_driver_columns_are_joined_and_missing_stays_missing(panel: pd.DataFrame) -> None:
    assert set(driver_columns()) <= set(panel.columns)
    assert panel.loc[(652, 2000), "vdem_v2x_veracc_osp"] == 0.5
    assert pd.isna(panel.loc[(645, 2000), "vdem_v2x_veracc_osp"])
    assert panel.loc[(652, 2000), "gm_median_age_years"] == 7.0
    assert pd.isna(panel.loc[(652, 2001), "gm_median_age_years"])
    assert panel.loc[(652, 2004), "epr_discriminated_share"] == pytest.approx(0.3)
    assert pd.isna(panel.loc[(2, 2004), "epr_excluded_share"])


def test_location_table_is_used_when_present(make_tables: Any, driver_tables: DriverTables) -> None:
    locations = pd.DataFrame({"conflict_id": [1], "year": [2001], "gwno_loc": [2]})
    con = make_tables(**tables(driver_tables, ucdp_acd_locations=locations))
    con.create_table("epr_country_year", build_epr_country_year(con))
    panel = build_country_year(con).execute().set_index(["gwcode", "year"])
    assert panel.loc[(2, 2001), "conflict"] == 1
    assert panel.loc[(652, 2001), "conflict"] == 0


def test_missing_store_table_names_the_table_and_the_fix(
    make_tables: Any, driver_tables: DriverTables
) -> None:
    raw = tables(driver_tables)
    del raw["ucdp_brd"]
    con = make_tables(**raw)
    con.create_table("epr_country_year", build_epr_country_year(con))
    with pytest.raises(StoreNotBuiltError, match=r"'ucdp_brd'.*gbvs ingest"):
        build_country_year(con)


def onsets_of(conflict_years: set[int]) -> list[int]:
    """Onset years of one country 2000-2010 under the panel's own rule (``add_history``)."""
    years = range(2000, 2011)
    frame = pd.DataFrame({"gwcode": 1, "year": years, "conflict": [int(y in conflict_years) for y in years]})
    history = add_history(ibis.memtable(frame)).execute().sort_values("year")
    return history.loc[history.onset == 1, "year"].tolist()


def test_onset_boundary_a_gap_of_exactly_three_years_is_an_onset() -> None:
    # conflict 2001, peace 2002-2003, conflict 2004: previous conflict t-3, two peaceful years between
    assert onsets_of({2001, 2004}) == [2001, 2004]
    # conflict in 2001, peace 2002, conflict 2003: previous conflict t-2, not an onset
    assert onsets_of({2001, 2003}) == [2001]
    # t-4: an onset as well
    assert onsets_of({2001, 2005}) == [2001, 2005]


def test_located_battle_deaths_come_from_the_covariates_table_when_present(
    make_tables: Any, driver_tables: DriverTables
) -> None:
    located = pd.DataFrame(
        {
            "gwcode": [652, 645],
            "year": [2001, 2001],
            "brd_located_best": [90.0, 10.0],
            "brd_located_low": [70.0, 8.0],
            "brd_located_high": [110.0, 12.0],
        }
    )
    con = make_tables(**tables(driver_tables, poldat_country_year=located))
    con.create_table("epr_country_year", build_epr_country_year(con))
    panel = build_country_year(con).execute().set_index(["gwcode", "year"])
    assert panel.loc[(652, 2001), ["brd_located_best", "brd_located_low", "brd_located_high"]].tolist() == [
        90.0,
        70.0,
        110.0,
    ]
    assert panel.loc[(652, 2001), "brd_best"] == 50.0  # the dyadic series keeps its even split
    assert pd.isna(panel.loc[(652, 2002), "brd_located_best"])  # a year the table lacks stays missing


def test_located_battle_deaths_are_empty_columns_without_the_covariates_table(panel: pd.DataFrame) -> None:
    assert panel["brd_located_best"].isna().all() and panel["brd_located_high"].isna().all()


def test_located_battle_deaths_stay_empty_where_the_state_did_not_hold_todays_territory(
    make_tables: Any, driver_tables: DriverTables
) -> None:
    """poldat sums by today's borders: its 816 of 1963 is the war in South Vietnam, not North Vietnam's."""
    located = pd.DataFrame(
        {
            "gwcode": [816, 816, 817, 652],
            "year": [1963, 1980, 1963, 1963],
            "brd_located_best": [27564.0, 5.0, 0.0, 3.0],
            "brd_located_low": [1.0, 1.0, 0.0, 1.0],
            "brd_located_high": [1.0, 1.0, 0.0, 1.0],
        }
    )
    states = pd.DataFrame([(g, y) for g in (816, 817, 652) for y in (1963, 1980)], columns=["gwcode", "year"])
    acd_rows = acd([(5, 1963, "817", 2), (5, 1980, "652", 1)])
    con = make_tables(
        **tables(driver_tables, poldat_country_year=located, gw_states=states, ucdp_acd=acd_rows)
    )
    con.create_table("epr_country_year", build_epr_country_year(con))
    panel = build_country_year(con).execute().set_index(["gwcode", "year"])
    assert pd.isna(panel.loc[(816, 1963), "brd_located_best"])  # North Vietnam before unification
    assert pd.isna(panel.loc[(817, 1963), "brd_located_best"])  # South Vietnam has no today's territory
    assert panel.loc[(816, 1980), "brd_located_best"] == 5.0
    assert panel.loc[(652, 1963), "brd_located_best"] == 3.0
