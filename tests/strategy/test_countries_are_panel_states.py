"""Every country the strategy names is a Gleditsch-Ward state of the real panels in the strategy period."""

from __future__ import annotations

from typing import Any

import pytest

from gbvs.store import Store
from gbvs.strategy import Strategy

pytestmark = pytest.mark.integration


def test_strategy_countries_are_states_in_the_panel_in_its_period(
    shipped: Strategy, ingested_store: Any
) -> None:
    period = shipped.strategy.period
    with Store(ingested_store.path) as store:
        panel = store.table("panel_country_year")
        rows = panel.filter(panel.year.between(period.start, period.end)).select("gwcode", "year").to_pandas()
    present = set(zip(rows["gwcode"].astype(int), rows["year"].astype(int), strict=True))
    years = range(period.start, period.end + 1)
    missing = [
        f"{c.iso3}/{c.gwcode}/{y}" for c in shipped.countries for y in years if (c.gwcode, y) not in present
    ]
    assert not missing, f"strategy countries that are no panel state in that year: {missing}"
    assert (678, period.end) in present  # Yemen
