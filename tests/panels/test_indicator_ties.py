"""Two Gapminder geos on one Gleditsch-Ward code: the same row wins whatever the storage order."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

from gbvs.drivers.mapping import indicators_from
from gbvs.panels.indicators import gapminder_indicators

DriverTables = Callable[[list[int], list[int]], dict[str, pd.DataFrame]]


@pytest.mark.parametrize("geos", [["yug", "scg"], ["scg", "yug"]])
def test_gapminder_tie_on_one_gwcode_keeps_the_first_geo(
    make_tables: Any, driver_tables: DriverTables, geos: list[str]
) -> None:
    column = indicators_from("gapminder")[0]
    gapminder = pd.DataFrame({"geo": geos, "time": [2000, 2000]})
    for item in indicators_from("gapminder"):
        gapminder[item.source_column] = [1.0 if geo == "scg" else 2.0 for geo in geos]
    con = make_tables(gapminder=gapminder, country_codes=driver_tables([2], [2000])["country_codes"])
    result = gapminder_indicators(con).execute()
    assert result[["gwcode", "year"]].values.tolist() == [[345, 2000]]
    assert result[column.column].tolist() == [1.0]  # "scg" sorts before "yug"
