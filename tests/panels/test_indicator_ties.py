"""Gapminder geos on one Gleditsch-Ward code: each geo only in its years, merged column by column."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

from gbvs.drivers.mapping import indicators_from
from gbvs.panels.indicators import gapminder_indicators

DriverTables = Callable[[list[int], list[int]], dict[str, pd.DataFrame]]
FLOOD = "gm_flood_affected_annual_number"
DENSITY = "gm_population_density_per_square_km"


def _gapminder(rows: list[tuple[str, int, float | None, float | None]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["geo", "time", "flood", "density"])
    for item in indicators_from("gapminder"):
        frame[item.source_column] = None
    frame["flood_affected_annual_number"] = frame.pop("flood")
    frame["population_density_per_square_km"] = frame.pop("density")
    return frame.astype({c: "float64" for c in frame.columns if c not in ("geo", "time")})


def _panel(make_tables: Any, driver_tables: DriverTables, rows: list[Any]) -> pd.DataFrame:
    codes = driver_tables([2], [2000])["country_codes"]
    con = make_tables(gapminder=_gapminder(rows), country_codes=codes)
    return gapminder_indicators(con).execute().set_index(["gwcode", "year"]).sort_index()


@pytest.mark.parametrize("order", [1, -1])
def test_a_historical_entity_counts_only_in_its_years_and_a_zero_never_overrides_a_value(
    make_tables: Any, driver_tables: DriverTables, order: int
) -> None:
    rows = [
        ("yug", 1964, 240017.0, None),  # Yugoslavia's floods (EM-DAT)
        ("scg", 1964, 0.0, None),  # Serbia and Montenegro did not exist: not used
        ("yug", 1995, 0.0, None),  # Yugoslavia no longer existed: not used
        ("scg", 1995, 500.0, None),
        ("ussr", 1987, 36110.0, None),
        ("rus", 1987, 0.0, 9.0),  # today's Russia is not the USSR of 1987
        ("ussr", 1995, 0.0, None),
        ("rus", 1995, 10.0, 8.5),
    ][::order]
    panel = _panel(make_tables, driver_tables, rows)
    assert panel.loc[(345, 1964), FLOOD] == 240017.0
    assert panel.loc[(345, 1995), FLOOD] == 500.0
    assert panel.loc[(365, 1987), FLOOD] == 36110.0
    assert pd.isna(panel.loc[(365, 1987), DENSITY])  # empty, not today's Russia's
    assert panel.loc[(365, 1995), [FLOOD, DENSITY]].tolist() == [10.0, 8.5]


def test_west_germany_does_not_take_present_day_germany_before_unification(
    make_tables: Any, driver_tables: DriverTables
) -> None:
    rows = [("deu", 1970, 0.0, 222.0), ("deu_west", 1970, 0.0, None), ("deu", 1995, 1.0, 235.0)]
    panel = _panel(make_tables, driver_tables, rows)
    assert panel.loc[(260, 1970), FLOOD] == 0.0
    assert pd.isna(panel.loc[(260, 1970), DENSITY])
    assert panel.loc[(260, 1995), DENSITY] == 235.0


@pytest.mark.parametrize("geos", [["kos", "xkx"], ["xkx", "kos"]])
def test_two_geos_of_one_state_year_merge_column_by_column(
    make_tables: Any, driver_tables: DriverTables, geos: list[str]
) -> None:
    """Kosovo: ISO3 ``xkx`` and Gapminder's ``kos`` are both 347; each column takes the first value, and
    the present-day country's before the historical entity's, whatever the storage order."""
    values = {"xkx": (0.0, None), "kos": (7.0, 160.0)}
    panel = _panel(make_tables, driver_tables, [(geo, 2010, *values[geo]) for geo in geos])
    assert panel.loc[(347, 2010), [FLOOD, DENSITY]].tolist() == [7.0, 160.0]
