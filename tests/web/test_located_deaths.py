"""Issue 11 point 1: battle deaths where the fighting happened beside the deaths by conflict.

The test store (``storebuilder``) gives Syria dyadic deaths of 3,000 in 2022 and 4,000 in 2023, and
located deaths of 60% of them up to 2022 (none for 2023, as in the real covariates table).
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest


def test_country_page_shows_both_series_and_says_which_is_which(client: Any) -> None:
    html = client.get("/landen/SYR?lang=en").text
    assert "Battle deaths where the fighting happened" in html and "Battle deaths by conflict" in html
    assert "split evenly over the countries it is located in" in html  # the caption says which is which
    row_2022 = next(r for r in html.split("<tr>") if '<th scope="row">2022</th>' in r and "1,800" in r)
    assert "1,620–2,160" in row_2022 and "3,000" in row_2022  # located 1,800 (low-high), dyadic 3,000
    row_2023 = next(r for r in html.split("<tr>") if '<th scope="row">2023</th>' in r and "4,000" in r)
    assert re.search(r"<td>–</td><td>–</td>\s*<td>4,000</td>", row_2023)  # no located value yet


def test_country_page_chart_has_a_line_per_series(client: Any) -> None:
    html = client.get("/landen/SYR?lang=nl").text
    figure = html.split('id="history-h"')[1].split("</figure>")[0]
    assert figure.count('<polyline class="line"') == 2
    assert "Gevechtsdoden waar gevochten werd" in figure and "Gevechtsdoden per conflict" in figure


def test_conflict_history_api_has_both_series_and_their_sources(client: Any) -> None:
    body = client.get("/api/v1/countries/SYR/conflict-history?pageSize=100").json()
    years = {row["year"]: row for row in body["data"]}
    assert years[2022]["brd_located_best"] == pytest.approx(1800.0) and years[2022]["brd_best"] == 3000.0
    assert years[2023]["brd_located_best"] is None and years[2023]["brd_best"] == 4000.0
    rows = list(
        csv.DictReader(io.StringIO(client.get("/api/v1/countries/SYR/conflict-history?format=csv").text))
    )
    assert "brd_located_best" in rows[0] and "brd_best" in rows[0]


@pytest.mark.parametrize(
    ("column", "label"),
    [
        ("brd_located_best", "Battle deaths where the fighting happened (best estimate)"),
        ("brd_best", "Battle-related deaths by conflict (best estimate)"),
    ],
)
def test_driver_monitor_offers_both_series_under_their_own_names(
    client: Any, column: str, label: str
) -> None:
    html = client.get(f"/drijvers?indicator={column}&lang=en").text
    assert f'<option value="{column}" selected>{label}' in html


def test_driver_monitor_shows_located_deaths_in_their_last_year(client: Any) -> None:
    html = client.get("/drijvers?indicator=brd_located_best&lang=en").text
    assert '<option value="2022" selected>' in html and '<option value="2023"' not in html
