"""Country code crosswalks to Gleditsch-Ward codes."""

from __future__ import annotations

from typing import Any

import pandas as pd

from gbvs.panels.codes import gapminder_geo_to_gw, polity_gwcode


def test_polity_codes_are_recoded_within_their_years(con: Any) -> None:
    frame = pd.DataFrame({"ccode": [255, 255, 679, 818, 652], "year": [1995, 1900, 2000, 1980, 2000]})
    t = con.create_table("p", frame)
    got = t.select(gw=polity_gwcode(t.ccode, t.year)).execute()["gw"].tolist()
    assert got == [260, 255, 678, 816, 652]


def test_gapminder_geo_matches_iso3_with_corrections(con: Any) -> None:
    frame = pd.DataFrame({"iso3": ["SYR", "VNM", "PSE"], "gwcode": ["652.0", "817", ""]})
    codes = con.create_table("cc", frame)
    got = gapminder_geo_to_gw(codes).execute().set_index("geo")["gwcode"]
    assert got["syr"] == 652
    assert got["vnm"] == 816
    assert got["ussr"] == 365
    assert "pse" not in got.index
