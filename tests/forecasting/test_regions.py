"""Focus regions come from the strategy, Gleditsch-Ward codes from gbvs.countries; never silently empty."""

from __future__ import annotations

import pandas as pd
import pytest

from gbvs.errors import NotFoundError
from gbvs.forecasting.evaluation import _subsets
from gbvs.forecasting.regions import FOCUS_REGIONS, check_region, region_members
from gbvs.strategy import Strategy, load_strategy


def test_every_focus_region_has_members() -> None:
    members = region_members()
    assert set(members) == set(FOCUS_REGIONS)
    assert all(members.values())


def test_backtest_middle_east_subset_includes_yemen() -> None:
    # regression: the strategy gave Yemen 680 (South Yemen), so the panel's 678 rows were not scored
    rows = pd.DataFrame({"gwcode": [678, 678, 652, 2], "target": "incidence", "onset_subset": False})
    subsets = _subsets(rows, region_members(), "gwcode")
    assert subsets["region:middle_east"]["gwcode"].tolist() == [678, 678, 652]
    assert 678 in check_region("middle_east", region_members())


def test_a_region_without_countries_is_an_error_naming_it() -> None:
    shipped = load_strategy()
    data = shipped.model_dump()
    data["regions"] = [r for r in data["regions"] if r["id"] != "caribbean"]
    data["goals"] = [
        {**g, "places": [p for p in g["places"] if p.get("region") != "caribbean"]} for g in data["goals"]
    ]
    with pytest.raises(NotFoundError, match="caribbean"):
        region_members(Strategy.model_validate(data))
