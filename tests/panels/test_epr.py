"""EPR group-periods spread over years and summed per state-year."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from gbvs.panels.epr import build_epr_country_year


def test_excluded_and_discriminated_shares(make_tables: Any) -> None:
    epr = pd.DataFrame(
        {
            "gwid": [652, 652, 652, 652, 652],
            "from": [2000, 2000, 2000, 2003, 2004],
            "to": [2004, 2004, 2002, 2004, 2005],
            "groupid": [1, 2, 3, 3, 2],
            "size": [0.6, 0.3, 0.1, 0.1, 0.3],
            "status": ["DOMINANT", "POWERLESS", "DISCRIMINATED", "SELF-EXCLUSION", "POWERLESS"],
        }
    )
    panel = build_epr_country_year(make_tables(epr=epr)).execute().set_index("year")
    assert sorted(panel.index.tolist()) == [2000, 2001, 2002, 2003, 2004, 2005]
    assert panel.loc[2000, "excluded_share"] == pytest.approx(0.4)
    assert panel.loc[2000, "discriminated_share"] == pytest.approx(0.1)
    assert panel.loc[2003, "discriminated_share"] == 0.0
    assert panel.loc[2003, "n_excluded_groups"] == 2
    assert panel.loc[2004, "n_groups"] == 3
    assert panel.loc[2004, "excluded_share"] == pytest.approx(0.4)  # overlapping period counted once


def test_shares_do_not_depend_on_the_order_the_groups_are_added_in(make_tables: Any) -> None:
    sizes = [0.1, 0.2, 0.097, 0.3, 0.0031]  # 0.1 + 0.2 != 0.3 in floating point
    epr = pd.DataFrame(
        {
            "gwid": 2,
            "from": 2000,
            "to": 2000,
            "groupid": range(len(sizes)),
            "size": sizes,
            "status": "POWERLESS",
        }
    )
    shares = {
        build_epr_country_year(make_tables(epr=epr.iloc[order])).execute()["excluded_share"].iloc[0]
        for order in ([0, 1, 2, 3, 4], [4, 3, 2, 1, 0], [2, 0, 4, 1, 3])
    }
    assert shares == {0.7001}  # exactly, whatever the order of the sum


def test_a_year_of_state_collapse_has_no_exclusion_measures_not_zero(make_tables: Any) -> None:
    """EPR codes Somalia 1991-2004 STATE COLLAPSE: nobody is excluded from a central power then."""
    epr = pd.DataFrame(
        {
            "gwid": [520, 520, 520],
            "from": [1988, 1991, 2005],
            "to": [1990, 2004, 2006],
            "groupid": [1, 1, 1],
            "size": [1.0, 1.0, 1.0],
            "status": ["MONOPOLY", "STATE COLLAPSE", "DOMINANT"],
        }
    )
    panel = build_epr_country_year(make_tables(epr=epr)).execute().set_index("year")
    collapse = panel.loc[1995, ["excluded_share", "discriminated_share", "n_excluded_groups"]]
    assert collapse.isna().all()
    assert panel.loc[1995, "n_groups"] == 1
    assert panel.loc[1990, ["excluded_share", "n_excluded_groups"]].tolist() == [0.0, 0]
    assert panel.loc[2005, "excluded_share"] == 0.0
