"""Country code crosswalks to Gleditsch-Ward codes (tables from gbvs.countries)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from gbvs.panels.codes import gapminder_geo_to_gw, iso3_to_gw, polity_gwcode


def test_polity_codes_are_recoded_within_their_years(con: Any) -> None:
    frame = pd.DataFrame({"ccode": [255, 255, 679, 818, 652], "year": [1995, 1900, 2000, 1980, 2000]})
    t = con.create_table("p", frame)
    got = t.select(gw=polity_gwcode(t.ccode, t.year)).execute()["gw"].tolist()
    assert got == [260, 255, 678, 816, 652]


def test_gapminder_geo_matches_iso3_with_gleditsch_ward_exceptions(con: Any) -> None:
    got = con.execute(gapminder_geo_to_gw()).set_index("geo")["gwcode"]
    assert got["syr"] == 652
    assert got["vnm"] == 816  # country_converter has 817 (South Vietnam)
    assert got["yem"] == 678  # country_converter has 680 (South Yemen)
    assert got["ussr"] == 365
    assert "pse" not in got.index  # Palestine has no Gleditsch-Ward code


def test_iso3_table_has_one_current_code_per_country(con: Any) -> None:
    pairs = con.execute(iso3_to_gw())
    assert pairs["iso3"].is_unique
    assert dict(zip(pairs["iso3"], pairs["gwcode"], strict=True))["CZE"] == 316
