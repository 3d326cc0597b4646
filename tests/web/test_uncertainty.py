"""The spread of a probability over the model's seeds, next to the probability (API and country page)."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest


def test_forecasts_carry_the_range_over_seeds(client: Any) -> None:
    body = client.get("/api/v1/forecasts?target=incidence&country=SYR").json()
    first = body["data"][0]
    assert first["p_low"] == pytest.approx(first["p"] - 0.03)
    assert first["p_high"] == pytest.approx(first["p"] + 0.04)
    assert first["p_sd"] == pytest.approx(0.02)
    war = client.get("/api/v1/forecasts?target=war&country=SYR").json()["data"][0]
    assert war["p_low"] is None and war["p_high"] is None  # a run without a spread says so


def test_csv_and_watchlist_carry_the_range(client: Any) -> None:
    rows = list(csv.DictReader(io.StringIO(client.get("/api/v1/forecasts?format=csv&target=incidence").text)))
    assert rows and all(row["p_low"] and row["p_high"] for row in rows)
    watch = client.get("/api/v1/watchlist").json()["data"]
    syria = next(row for row in watch if row["iso3"] == "SYR")
    assert syria["p_low"] < syria["p"] < syria["p_high"]


@pytest.mark.parametrize(
    ("lang", "header", "words"),
    [("nl", "Bereik over startwaarden", "tussen"), ("en", "Range over seeds", "between")],
)
def test_country_page_shows_the_range_as_text(client: Any, lang: str, header: str, words: str) -> None:
    html = client.get(f"/landen/SYR?lang={lang}").text
    assert header in html
    table = html[html.index('id="forecast-h"') : html.index('id="explanation-h"')]
    ranges = re.findall(r'<td class="num">(\d+)%–(\d+)%</td>', table)
    assert ("89", "96") in ranges  # p 92% (2024, horizon 1): 89%–96%
    explanation = html[html.index('id="explanation-h"') :]
    assert f"{words} 89%" in explanation
