"""The years a forecast is for, as pages and exports name them (the English review found a two-year
window of a democratic space labelled with its last year only)."""

from __future__ import annotations

import pytest

from gbvs.forecasting.domain import TARGETS


@pytest.mark.parametrize(
    ("target", "forecast_period", "horizon", "shown"),
    [
        ("incidence", 2024, 1, "2024"),
        ("incidence", 2026, 3, "2026"),  # a horizon of three years is one year, three years on
        ("closing_economic", 2025, 2, "2024–2025"),  # "at least once in t+1 .. t+2"
        ("opening_associational", 2024, 1, "2024"),  # a one-year horizon is one year
    ],
)
def test_a_window_is_named_by_the_years_it_spans(
    target: str, forecast_period: int, horizon: int, shown: str
) -> None:
    assert TARGETS[target].period_text(forecast_period, horizon) == shown
