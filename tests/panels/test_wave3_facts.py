"""Real facts of the wave-3 sources (issue 11): V-Dem v14, DemSpaces v14 outcomes, covariates."""

from __future__ import annotations

from typing import Any

import pytest

from gbvs.store.tables import TableName

pytestmark = pytest.mark.integration

GW_TABLES = (
    TableName.vdem,
    TableName.vdem_v14,
    TableName.poldat_country_year,
    TableName.ptcoups,
    TableName.ds_population,
    TableName.gw_state_age,
    TableName.panel_country_year,
    TableName.panel_country_year_wide,
)


def _rows(store: Any, table: str, **where: int) -> Any:
    t = store.table(str(table))
    for column, value in where.items():
        t = t.filter(t[column] == value)
    return t.execute()


def test_denmark_2019_electoral_democracy_is_0_914_in_vdem_v14(panel_store: Any) -> None:
    raw = _rows(panel_store, TableName.vdem_v14, country_id=158, year=2019)  # V-Dem's id of Denmark
    assert raw["country_text_id"].tolist() == ["DNK"] and raw["gwcode"].tolist() == [390]
    assert raw["v2x_polyarchy"].tolist() == [pytest.approx(0.914)]
    wide = _rows(panel_store, TableName.panel_country_year_wide, gwcode=390, year=2019)
    assert wide["vdem14_v2x_polyarchy"].tolist() == [pytest.approx(0.914)]


@pytest.mark.parametrize("table", GW_TABLES)
def test_yemen_is_678_from_1990_in_every_table(panel_store: Any, table: str) -> None:
    t = panel_store.table(str(table))
    years = t.filter(t.gwcode == 678).year.execute()
    assert 1990 in set(years) and 2000 in set(years), table
    assert t.filter((t.gwcode == 680) & (t.year > 1990)).count().execute() == 0, table
    assert t.filter(t.gwcode == 679).count().execute() == 0, table


def test_germany_serbia_sudan_carry_their_gleditsch_ward_codes(panel_store: Any) -> None:
    t = panel_store.table(str(TableName.vdem_v14))
    codes = t.select("country_text_id", "year", "gwcode").execute().set_index(["country_text_id", "year"])
    assert codes.loc[("DEU", 1985), "gwcode"] == 260 and codes.loc[("DDR", 1985), "gwcode"] == 265
    assert codes.loc[("SRB", 2005), "gwcode"] == 345 and codes.loc[("SRB", 2006), "gwcode"] == 340
    assert codes.loc[("SSD", 2015), "gwcode"] == 626 and codes.loc[("SDN", 2015), "gwcode"] == 625
    assert codes.loc[("VNM", 1970), "gwcode"] == 816 and codes.loc[("VDR", 1970), "gwcode"] == 817
    for territory in ("PSE", "PSG", "SML", "ZZB", "HKG"):
        assert codes.loc[territory, "gwcode"].isna().all(), territory


def test_demspaces_outcomes_run_to_2023_from_v14(panel_store: Any) -> None:
    vdem = panel_store.table(str(TableName.vdem))
    assert vdem.year.max().execute() == 2023
    usa_1968 = _rows(panel_store, TableName.vdem, gwcode=2, year=1968)
    assert usa_1968["v2x_veracc_osp"].tolist() == [pytest.approx(0.846)]  # v14; the v13-era file has 0.847


def test_located_battle_deaths_put_the_war_in_ukraine_not_russia(panel_store: Any) -> None:
    panel = panel_store.table(str(TableName.panel_country_year))
    columns = ["gwcode", "brd_located_best", "brd_best"]
    rows = panel.filter(panel.year == 2022).select(*columns).execute().set_index("gwcode")
    assert rows.loc[369, "brd_located_best"] == 81497 and rows.loc[365, "brd_located_best"] == 57
    assert rows.loc[365, "brd_best"] == 45861.5  # the dyadic series splits the war over both
    syria = _rows(panel_store, TableName.panel_country_year, gwcode=652, year=2019)
    assert syria["brd_located_best"].tolist() == [7541]
    assert panel.filter(panel.year == 2023).brd_located_best.count().execute() == 0  # none for 2023
    assert "brd_located_best" not in panel_store.table(str(TableName.panel_country_year_wide)).columns


def test_covariates_population_coups_and_state_age(panel_store: Any) -> None:
    rows = _rows(panel_store, TableName.panel_country_year_wide, gwcode=390, year=2019)
    assert rows["pop_thousands"].tolist() == [5772.0] and rows["state_age"].tolist() == [204]
    assert rows["cov_population"].tolist() == [pytest.approx(5.922442)]
    coups = _rows(panel_store, TableName.ptcoups, gwcode=432, year=2012)  # Mali, March 2012
    assert coups["pt_coup"].tolist() == [1.0]
