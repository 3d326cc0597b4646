"""Polity5's codes for years without a regular regime (-66, -77, -88) are no values."""

from __future__ import annotations

from typing import Any

import pandas as pd

from gbvs.drivers.mapping import indicators_from
from gbvs.panels.indicators import polity_indicators


def test_special_codes_leave_factional_and_interregnum_polity2_empty(make_tables: Any) -> None:
    years = [2012, 2013, 2014, 2015, 2016]
    polity = pd.DataFrame({"ccode": 679, "year": years})
    for item in indicators_from("polity5"):
        polity[item.source_column] = 1.0
    polity["parcomp"] = [3, 2, -77, -66, -88]
    polity["polity"] = [3, 3, -77, -66, -88]
    polity["polity2"] = [3.0, 3.0, 0.0, None, -2.0]  # as Polity5 publishes them
    panel = polity_indicators(make_tables(polity5=polity)).execute().set_index("year").sort_index()
    assert panel["polity_factional"].tolist()[:2] == [1, 0]
    assert panel.loc[2014:2016, "polity_factional"].isna().all()
    assert panel.loc[2013, "polity_polity2"] == 3.0
    assert panel.loc[2014:2015, "polity_polity2"].isna().all()  # interregnum and occupation: no score
    assert panel.loc[2016, "polity_polity2"] == -2.0  # a transition keeps Polity5's prorated score
    assert set(panel.index) == set(years) and (panel["gwcode"] == 678).all()
