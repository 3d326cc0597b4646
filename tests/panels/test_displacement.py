"""panel_displacement: the counting rules on tiny tables, and UNHCR's published facts on the mirror."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from gbvs.panels.displacement import build_displacement, lodged
from gbvs.store.tables import TableName

PLACES = ["year", "coo_name", "coo", "coo_iso", "coa_name", "coa", "coa_iso"]


def _place(year: int, origin: str, asylum: str) -> list[object]:
    return [float(year), origin, origin, origin, asylum, asylum, asylum]


def _tables() -> dict[str, pd.DataFrame]:
    panel = pd.DataFrame(
        {"gwcode": [652] * 4 + [2] * 4 + [345] * 4 + [347] * 4, "year": [1999, 2000, 2001, 2002] * 4}
    )  # 347: Kosovo, under its own code only in the test (the Gleditsch-Ward list has it from 2008)
    population = pd.DataFrame(
        [
            [*_place(2000, "SYR", "NLD"), 10.0, 5.0, 99.0, 1.0],
            [*_place(2000, "SYR", "DEU"), 100.0, None, 0.0, None],
            [*_place(2000, "XXA", "NLD"), 7.0, 7.0, 0.0, 0.0],  # stateless: no Gleditsch-Ward origin
            [*_place(2001, "SYR", "TUR"), 1000.0, 0.0, 0.0, 0.0],
            [*_place(2002, "USA", "CAN"), 3.0, 0.0, 0.0, 0.0],
            [*_place(2000, "SRB", "DEU"), 40.0, 0.0, 0.0, 0.0],  # UNHCR's SRB in 2000: Yugoslavia (345)
        ],
        columns=[*PLACES, "refugees", "asylum_seekers", "idps", "oip"],
    )
    flows = pd.DataFrame(
        [[*_place(2001, "SYR", "TUR"), 900.0, 50.0, float("nan"), float("nan")]],
        columns=[*PLACES, "refugees", "asylum_seekers", "refugee_like", "oip"],
    )
    idmc = pd.DataFrame(
        [[*_place(1999, "UNK", "UNK"), 9e6], [*_place(2001, "SYR", "SYR"), 5000.0]],  # a world total first
        columns=[*PLACES, "total"],
    )
    apps = pd.DataFrame(
        [
            [*_place(2001, "SYR", "NLD"), "G", "N", "FI", "P", 30.0],
            [*_place(2001, "SYR", "NLD"), "G", "R", "RA", "P", 2.0],
            [*_place(2001, "SYR", "NLD"), "G", "A", "AR", "P", 500.0],  # an appeal: not lodged
            [*_place(2001, "SYR", "DEU"), "G", "N", "FI", "P", 70.0],
            [*_place(2001, "SYR", "GBR"), "G", "N", "FI", "P", 1000.0],  # outside the EU+
            [*_place(2002, "USA", "DEU"), "G", "N", "FI", "C", 4.0],
        ],
        columns=[*PLACES, "procedure_type", "app_type", "dec_level", "app_pc", "applied"],
    )
    listed = pd.DataFrame({"iso_code": ["SYR", "USA", "SRB", "NLD", "DEU", "TUR", "CAN", "GBR"]})  # no XKX
    return {
        TableName.panel_country_year: panel,
        TableName.unhcr_countries: listed,
        TableName.unhcr_population: population,
        TableName.unhcr_flows: flows,
        TableName.unhcr_idmc: idmc,
        TableName.unhcr_asylum_applications: apps,
    }


def test_counting_rules(make_tables: Any) -> None:
    con = make_tables(**{str(k): v for k, v in _tables().items()})
    panel = build_displacement(con).execute().set_index(["gwcode", "year"])
    syria = panel.loc[652]
    assert syria.loc[2000, "displaced_abroad"] == 116  # 10 + 5 + 1 in NL, 100 in Germany (blanks are 0)
    assert syria.loc[2000, "refugees"] == 110
    assert syria.loc[2000, "displaced_in_nl"] == 16
    assert syria.loc[2001, "displaced_abroad"] == 1000
    assert syria.loc[2002, "displaced_abroad"] == 0  # no rows for Syria inside the covered years
    assert syria.loc[2001, "new_outflows"] == 950
    assert syria.loc[2001, "idps"] == 5000
    assert pd.isna(syria.loc[2000, "idps"]), "the world total of 1999 does not make countries' IDPs 0"
    assert panel.loc[(345, 2000), "displaced_abroad"] == 40, "SRB is Yugoslavia's code until 2005"
    assert pd.isna(panel.loc[(347, 2001), "displaced_abroad"]), (
        "UNHCR files Kosovo under Serbia: unknown, not 0"
    )
    assert panel.loc[(2, 2001), "displaced_abroad"] == 0  # a listed country without rows: 0
    assert syria.loc[2001, "asylum_nl"] == 32  # new + repeated; the appeal left out
    assert syria.loc[2001, "asylum_eu"] == 102  # NL + Germany; the United Kingdom is not in the EU+
    assert panel.loc[(2, 2002), "asylum_eu"] == 4  # cases count too
    assert pd.isna(syria.loc[1999, "displaced_abroad"])  # before the table's first year: unknown
    assert pd.isna(syria.loc[2000, "asylum_nl"])
    assert min(panel.index.get_level_values("year")) >= 1951


@pytest.mark.integration
def test_unhcr_published_facts(panel_store: Any) -> None:
    apps = lodged(panel_store)
    nl = (
        apps.filter(apps._coa == "NLD").group_by(apps.year.cast("int64").name("y")).aggregate(n=apps._n.sum())
    )
    totals = nl.execute().set_index("y")["n"]
    assert totals.loc[2023] == 39_680
    assert totals.loc[2022] == 36_986
    t = panel_store.table(str(TableName.panel_displacement))
    syria = t.filter(t.gwcode == 652).execute().set_index("year")
    assert syria.loc[2023, "refugees"] == 6_355_788
    assert syria.loc[2015, "asylum_nl"] == 18_731
    assert syria.loc[2023, "asylum_nl"] == 13_109
    assert syria.loc[2023, "idps"] == 7_248_000
    assert syria.loc[2009, "idps"] == 433_000 and pd.isna(
        syria.loc[2008, "idps"]
    )  # IDMC by country from 2009
    yugoslavia = t.filter(t.gwcode == 345).execute().set_index("year")
    assert yugoslavia.loc[1999, "new_outflows"] == 990_247  # Kosovo, filed by UNHCR under SRB
    assert pd.isna(yugoslavia.loc[2006, "new_outflows"])  # 2006 is filed as Serbia (340), not as 345
    kosovo = t.filter(t.gwcode == 347).execute().set_index("year")
    assert kosovo["displaced_abroad"].isna().all()  # inside "Serbia and Kosovo: S/RES/1244"
    assert syria.loc[2013, "new_outflows"] > 2_000_000  # the exodus of 2013
    year = t.filter(t.year == 2023).execute()
    assert 1_000_000 < year["asylum_eu"].sum() < 1_300_000  # EUAA: about 1.14 million in the EU+ in 2023
