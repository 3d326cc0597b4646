"""Labels: leads at t+h, battle-death coverage, and the DemSpaces ERT-lite events and next-two-year rule."""

from __future__ import annotations

import numpy as np
import pandas as pd

from gbvs.forecasting.domain import TARGETS
from gbvs.forecasting.labels import add_demspaces_events, episode_events, label


def _panel(values: list[int], years: list[int] | None = None) -> pd.DataFrame:
    years = years or list(range(2000, 2000 + len(values)))
    return pd.DataFrame({"gwcode": 1, "year": years, "period": years, "conflict": values})


def test_label_is_the_value_h_periods_later() -> None:
    panel = _panel([0, 1, 0, 1])
    assert label(panel, TARGETS["incidence"], 1, "gwcode").tolist()[:3] == [1, 0, 1]
    assert np.isnan(label(panel, TARGETS["incidence"], 1, "gwcode").iloc[3])
    assert label(panel, TARGETS["incidence"], 3, "gwcode").iloc[0] == 1


def test_label_does_not_jump_over_a_gap() -> None:
    panel = _panel([1, 0, 1], years=[2000, 2001, 2005])
    assert np.isnan(label(panel, TARGETS["incidence"], 1, "gwcode").iloc[1])


def test_battle_deaths_before_1989_are_unknown() -> None:
    panel = pd.DataFrame(
        {
            "gwcode": 1,
            "year": [1986, 1987, 1988, 1989],
            "conflict": 1,
            "brd_best": [np.nan, np.nan, np.nan, 30.0],
        }
    )
    panel["period"] = panel["year"]
    got = label(panel, TARGETS["battle_deaths"], 1, "gwcode")
    assert np.isnan(got.iloc[0]) and got.iloc[2] == 30.0


def test_episode_coder_one_year_and_two_year_changes() -> None:
    # cutpoint 0.1: a jump of 0.12 in one year; later two yearly steps of 0.06 (each > 0.01)
    # = 0.12 over two years
    x = np.array([0.5, 0.5, 0.5, 0.62, 0.62, 0.62, 0.68, 0.74, 0.74, 0.74])
    up = episode_events(x, 0.1, "up")
    assert np.isnan(up[0]) and np.isnan(up[1]) and np.isnan(up[-1])
    assert up[3] == 1
    assert up[6] == 1 and up[7] == 1
    assert up[4] == 0 and up[8] == 0
    down = episode_events(x, 0.1, "down")
    assert np.nansum(down) == 0


def test_next_two_years_window_and_state_end_rule() -> None:
    years = list(range(2000, 2010))
    values = [0.5, 0.5, 0.5, 0.5, 0.5, 0.3, 0.3, 0.3, 0.3, 0.3]
    a = pd.DataFrame({"gwcode": 1, "year": years, "v2x_veracc_osp": values})
    b = pd.DataFrame({"gwcode": 2, "year": years[:5], "v2x_veracc_osp": [0.5] * 5})  # state ends in 2004
    panel = pd.concat([a, b], ignore_index=True).assign(period=lambda d: d["year"])
    panel = add_demspaces_events(panel, {"v2x_veracc_osp": 0.1}, "gwcode")
    assert panel.loc[(panel.gwcode == 1) & (panel.year == 2005), "ds_down_v2x_veracc_osp"].item() == 1
    y = label(panel, TARGETS["closing_electoral"], 2, "gwcode")
    one = y[panel.gwcode == 1].tolist()
    assert one[3] == 1 and one[4] == 1 and one[5] == 0  # closing in 2005 is within t+1..t+2 of 2003 and 2004
    assert np.isnan(one[-1]) and np.isnan(one[-2])  # the panel ends: not yet known
    two = y[panel.gwcode == 2].tolist()
    assert two[-1] == 0  # the state ended well before the panel's last year: coded 0, as DemSpaces does


def test_two_year_window_is_unknown_after_the_event_series_ends() -> None:
    # V-Dem ends a year before the conflict panel (2022 vs 2023): the window of 2021 (2022-2023)
    # is not observed, so it is unknown, not "no event" (DemSpaces censors at its own last year)
    years = list(range(2015, 2024))
    values = [0.5] * 8 + [np.nan]
    panel = pd.DataFrame({"gwcode": 1, "year": years, "period": years, "v2x_veracc_osp": values})
    panel = add_demspaces_events(panel, {"v2x_veracc_osp": 0.1}, "gwcode")
    y = label(panel, TARGETS["closing_electoral"], 2, "gwcode")
    by_year = dict(zip(years, y.tolist(), strict=True))
    assert by_year[2020] == 0
    assert np.isnan(by_year[2021]) and np.isnan(by_year[2022]) and np.isnan(by_year[2023])
