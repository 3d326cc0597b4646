"""Country-month and PRIO-GRID-month panels from generated GED-shaped events."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gbvs.panels.events import build_country_month, build_priogrid_month, month_id


def events(rows: list[tuple[int, int, int, date, date, int]]) -> pd.DataFrame:
    frame = pd.DataFrame(
        rows, columns=["country_id", "priogrid_gid", "type_of_violence", "date_start", "date_end", "best"]
    )
    frame["date_start"] = pd.to_datetime(frame["date_start"])
    frame["date_end"] = pd.to_datetime(frame["date_end"])
    return frame


def test_month_id_follows_views() -> None:
    assert month_id(1980, 1) == 1
    assert month_id(2016, 1) == 433
    assert month_id(2019, 12) == 480


def test_deaths_of_an_event_spanning_months_are_split_evenly(make_tables: Any) -> None:
    con = make_tables(ucdp_ged=events([(652, 100, 1, date(2016, 1, 31), date(2016, 3, 2), 30)]))
    panel = build_country_month(con).execute()
    assert panel["month"].tolist() == [1, 2, 3]
    assert panel["ged_sb_best"].tolist() == [10.0, 10.0, 10.0]
    assert panel["ged_sb_events"].tolist() == [1, 1, 1]


def test_country_month_is_dense_with_true_zeros(make_tables: Any) -> None:
    rows = [
        (652, 100, 1, date(2016, 1, 5), date(2016, 1, 5), 4),
        (652, 100, 2, date(2016, 1, 6), date(2016, 1, 6), 3),
        (645, 200, 3, date(2016, 4, 1), date(2016, 4, 1), 2),
    ]
    panel = build_country_month(make_tables(ucdp_ged=events(rows))).execute().set_index(["gwcode", "month"])
    assert len(panel) == 2 * 4
    by_type = ["ged_sb_best", "ged_ns_best", "ged_os_best", "ged_best"]
    assert panel.loc[(652, 1), by_type].tolist() == [4, 3, 0, 7]
    assert panel.loc[(652, 4), "ged_os_best"] == 0
    assert panel.loc[(645, 4), ["ged_os_best", "ged_os_events", "ged_events"]].tolist() == [2, 1, 1]
    assert panel.loc[(645, 1), "ged_events"] == 0


def test_priogrid_month_keys_on_cells(make_tables: Any) -> None:
    rows = [
        (652, 100, 1, date(2016, 1, 5), date(2016, 1, 5), 4),
        (652, 101, 1, date(2016, 2, 5), date(2016, 2, 5), 6),
    ]
    panel = build_priogrid_month(make_tables(ucdp_ged=events(rows))).execute()
    assert sorted(panel["priogrid_gid"].unique().tolist()) == [100, 101]
    assert len(panel) == 4
    assert panel.groupby("priogrid_gid")["ged_sb_best"].sum().to_dict() == {100: 4, 101: 6}


def _event_rows() -> Any:
    day = st.dates(min_value=date(2000, 1, 1), max_value=date(2001, 12, 31))
    row = st.tuples(
        st.sampled_from([2, 652]),
        st.integers(1, 5),
        st.sampled_from([1, 2, 3]),
        day,
        st.integers(0, 120),
        st.integers(0, 500),
    )
    return st.lists(row, min_size=1, max_size=30)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=_event_rows())
def test_totals_by_type_are_kept(make_tables: Any, rows: list[tuple[int, int, int, date, int, int]]) -> None:
    full = [(c, g, t, start, start + pd.Timedelta(days=span), best) for c, g, t, start, span, best in rows]
    frame = events(full)
    con = make_tables(ucdp_ged=frame)
    for panel in (build_country_month(con).execute(), build_priogrid_month(con).execute()):
        for name, code in (("sb", 1), ("ns", 2), ("os", 3)):
            expected = frame.loc[frame.type_of_violence == code, "best"].sum()
            assert panel[f"ged_{name}_best"].sum() == pytest.approx(expected)
        assert (panel["ged_best"] >= 0).all()


def test_sparse_panel_keeps_only_months_with_events(make_tables: Any) -> None:
    from gbvs.panels.events import build_event_panel

    rows = [
        (652, 100, 1, date(2016, 1, 5), date(2016, 1, 5), 4),
        (652, 101, 2, date(2016, 3, 5), date(2016, 3, 5), 6),
    ]
    con = make_tables(ucdp_ged=events(rows))
    panel = build_event_panel(con.table("ucdp_ged"), "priogrid_gid", "priogrid_gid", dense=False).execute()
    assert sorted(zip(panel["priogrid_gid"], panel["month"], strict=True)) == [(100, 1), (101, 3)]
    cell = panel.set_index("priogrid_gid").loc[101]
    assert cell[["ged_ns_best", "ged_sb_best", "ged_best"]].tolist() == [6, 0, 6]
