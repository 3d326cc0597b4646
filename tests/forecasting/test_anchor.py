"""DemSpaces v14 beside GBVS (issue 11 point 5): outcomes of their forecasts, side by side with ours."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gbvs.forecasting.anchor import published_outcomes, published_rows, side_by_side


def _published(years: range) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "outcome": "v2xcs_ccsi",
            "from_year": list(years),
            "for_years": [f"{y + 1} - {y + 2}" for y in years],
            "gwcode": 310,
            "p_up": 0.1,
            "p_same": 0.6,
            "p_down": 0.3,
        }
    )


def _series() -> pd.DataFrame:
    """Associational space flat at 0.8, then a fall of 0.2 in 2016 (a closing), flat again to 2020."""
    years = np.arange(2005, 2021)
    values = np.where(years < 2016, 0.8, 0.6)
    return pd.DataFrame({"gwcode": 310, "year": years, "v2xcs_ccsi": values})


def test_outcome_is_whether_the_space_closed_or_opened_in_the_two_years_after() -> None:
    out = published_outcomes(_published(range(2012, 2020)), _series(), {"v2xcs_ccsi": 0.05})
    closing = out[out["direction"] == "closing"].set_index("from_year")["outcome"]
    opening = out[out["direction"] == "opening"].set_index("from_year")["outcome"]
    # the 2016 fall is inside the windows of 2014 (2015-16) and 2015 (2016-17), not 2013's or 2016's
    assert closing.loc[[2013, 2014, 2015, 2016]].tolist() == [0.0, 1.0, 1.0, 0.0]
    assert opening.loc[[2014, 2015]].tolist() == [0.0, 0.0]
    assert np.isnan(closing.loc[2019])  # 2020-2021: 2021 is not observed
    assert set(out["space"]) == {"associational"}
    assert out.loc[out["direction"] == "closing", "p"].eq(0.3).all()


def test_side_by_side_pairs_their_latest_with_ours_and_gives_the_difference() -> None:
    past = published_outcomes(_published(range(2018, 2021)), _series(), {"v2xcs_ccsi": 0.05})
    ours = pd.DataFrame({"target": ["closing_associational"], "origin": [2021], "p": [0.5]})
    rows = side_by_side(past, ours).set_index("direction")
    assert rows.loc["closing", "from_year"] == 2020 and rows.loc["closing", "gbvs_origin"] == 2021
    assert rows.loc["closing", "difference"] == pytest.approx(0.2)
    assert np.isnan(rows.loc["opening", "gbvs_p"]) and rows.loc["opening", "p"] == pytest.approx(0.1)


def test_no_published_forecast_gives_an_empty_table() -> None:
    assert published_outcomes(_published(range(0)), _series(), {"v2xcs_ccsi": 0.05}).empty


def test_side_by_side_of_many_countries_takes_each_countrys_latest_year_and_pairs_by_country() -> None:
    """Denmark (390) stops a year earlier than Poland (290): each keeps its own latest forecast, and our
    forecast of one country is never paired with DemSpaces' forecast of another."""
    published = pd.concat(
        [_published(range(2018, 2021)).assign(gwcode=290), _published(range(2018, 2020)).assign(gwcode=390)]
    )
    ours = pd.DataFrame(
        {
            "gwcode": [290, 390],
            "target": ["closing_associational"] * 2,
            "origin": [2021, 2021],
            "p": [0.5, 0.1],
        }
    )
    rows = side_by_side(published_rows(published), ours, by=("gwcode",))
    closing = rows[rows["direction"] == "closing"].set_index("gwcode")
    assert closing["from_year"].to_dict() == {290: 2020, 390: 2019}
    assert closing["difference"].to_dict() == pytest.approx({290: 0.2, 390: -0.2})
    assert len(rows) == 4  # two countries x two directions, one row each
