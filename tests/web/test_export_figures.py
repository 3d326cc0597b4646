"""CSV and Excel exports write a float as its figure, without the noise of float arithmetic."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from openpyxl import load_workbook

from gbvs.web.api.common import csv_text
from gbvs.web.api.exportnotes import Reader
from gbvs.web.api.xlsx import xlsx_bytes

NOISY = 0.9600000000000001  # a p_high as the seeds' maximum came out of the arithmetic


def test_csv_writes_a_float_without_its_noise() -> None:
    rows = [{"p_high": NOISY, "p": 1 / 3, "n": 7, "big": 1.5e20, "tiny": 2.5e-7}]
    text = csv_text(rows, ["p_high", "p", "n", "big", "tiny"], Reader())
    assert text == "p_high,p,n,big,tiny\n0.96,0.333333333333333,7,1.5e+20,2.5e-07\n"


def test_xlsx_stores_a_float_without_its_noise() -> None:
    content = xlsx_bytes([{"p_high": NOISY, "p": 0.25}], ["p_high", "p"], [])
    data = load_workbook(io.BytesIO(content)).worksheets[0]
    assert (data["A2"].value, data["B2"].value) == (0.96, 0.25)


def test_the_figure_changes_only_by_the_noise() -> None:
    for value in (NOISY, 0.1 + 0.2, 1 / 3, 123456.789, 2.0**-30, 0.0, -0.6000000000000001):
        written = float(csv_text([{"v": value}], ["v"], Reader()).split("\n")[1])
        assert abs(written - value) <= 5e-15 * abs(value)


@pytest.mark.parametrize(
    "query",
    [
        "horizon=3",  # the test forecasts' 0.92 - 2 * 0.05 is 0.8200000000000001 in floats
        "target=war",  # 0.92 / 3 is 0.3066666666666667
    ],
)
def test_a_json_answer_writes_each_figure_as_its_csv_does(client: Any, query: str) -> None:
    path = f"/api/v1/risk-rankings?{query}"
    items = client.get(path).json()["data"]
    table = list(csv.DictReader(io.StringIO(client.get(f"{path}&format=csv").text)))
    compared = 0
    for item, row in zip(items, table, strict=True):
        for key, value in item.items():
            if isinstance(value, float) and key in row:
                assert json.dumps(value) == row[key], (key, value, row[key])
                compared += 1
    assert compared >= len(items)


def test_a_geojson_layer_writes_figures_without_noise(client: Any) -> None:
    body = client.get("/api/v1/risk-rankings?horizon=3&format=geojson").text
    assert "0.82" in body and "0.8200000000000001" not in body
