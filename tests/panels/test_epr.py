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
