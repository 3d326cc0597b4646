"""Text that leaves GBVS for a terminal or a spreadsheet cannot act as a command there."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from gbvs.safetext import defuse_formula, defused_row
from gbvs.web.api.xlsx import xlsx_bytes


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+31 20 123", "'+31 20 123"),
        ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-3.5", "-3.5"),
        ("+1e-3", "+1e-3"),
        (".5", ".5"),
        ("Mali", "Mali"),
        ("a=b", "a=b"),
        ("", ""),
        (-3.5, -3.5),
        (None, None),
    ],
)
def test_defuse_formula(given: object, expected: object) -> None:
    assert defuse_formula(given) == expected


def test_defused_row_keeps_the_shape_of_the_row() -> None:
    assert defused_row({"t": "=x", "n": 2}) == {"t": "'=x", "n": 2}
    assert defused_row(["@x", 1.5, None]) == ["'@x", 1.5, None]


def test_xlsx_stores_text_that_looks_like_a_formula_as_text() -> None:
    """openpyxl makes a string that starts with ``=`` a formula; a filter in a shared link would run."""
    link = '=HYPERLINK("http://example.org","x")'
    content = xlsx_bytes([{"name": link, "p": 0.5}], ["name", "p"], [("filter country", link)])
    data, about = load_workbook(io.BytesIO(content)).worksheets
    assert (data["A2"].value, data["A2"].data_type) == (link, "s")
    assert (about["B2"].value, about["B2"].data_type) == (link, "s")
    assert data["B2"].value == 0.5


def test_api_csv_defuses_text_and_keeps_numbers() -> None:
    from gbvs.web.api.common import csv_text
    from gbvs.web.api.exportnotes import Reader

    assert csv_text([{"name": "@evil", "p": -0.5}], ["name", "p"], Reader()) == "name,p\n'@evil,-0.5\n"
