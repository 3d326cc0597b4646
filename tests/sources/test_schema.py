"""Typing and checking parsed frames against declared schemas."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gbvs.errors import SchemaMismatchError
from gbvs.sources.base import Column, TableSchema, max_date, max_year
from gbvs.sources.schema import cast_frame, check_frame, to_arrow

SCHEMA = TableSchema(
    "t",
    (
        Column("id", "int", nullable=False),
        Column("year", "int", nullable=False, min=1946, max=2100),
        Column("level", "int", allowed=frozenset({1, 2})),
        Column("deaths", "float", min=0),
        Column("start", "date"),
        Column("flag", "bool"),
        Column("extra", "str", optional=True),
    ),
    key=("id", "year"),
    min_rows=2,
    vintage=max_year("year"),
)


def _text(**columns: list[str]) -> pd.DataFrame:
    base = {"id": ["1", "2"], "YEAR": ["2020", "2021"], "level": ["1", "2"], "deaths": ["0", "12.5"]}
    base |= {"start": ["2020-01-31", ""], "flag": ["TRUE", "false"]}
    if "year" in columns:
        base["YEAR"] = columns.pop("year")
    return pd.DataFrame(base | columns, dtype="string")


def test_casts_declared_types_and_lowercases_names() -> None:
    frame = cast_frame(_text(), SCHEMA, "f.csv")
    assert list(frame.columns) == ["id", "year", "level", "deaths", "start", "flag"]
    assert frame["year"].tolist() == [2020, 2021]
    assert frame["start"].tolist()[0] == dt.date(2020, 1, 31) and frame["start"].tolist()[1] is None
    assert frame["flag"].tolist() == [True, False]
    table = to_arrow(frame, SCHEMA)
    assert table.schema.field("start").type == pa.date32()
    assert table.schema.field("deaths").type == pa.float64()
    check_frame(frame, SCHEMA, "f.csv")
    assert SCHEMA.vintage is not None and SCHEMA.vintage(frame) == "2021"


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        pytest.param(
            {"year": ["2020", "twenty"]},
            r"'year' must hold whole numbers, found 'twenty' in data row 2",
            id="int",
        ),
        pytest.param({"year": ["2020", "2020.5"]}, r"whole numbers", id="fraction"),
        pytest.param({"deaths": ["1", "many"]}, r"'deaths' must hold numbers", id="float"),
        pytest.param(
            {"start": ["29-05-1997", ""]}, r"dates as yyyy-mm-dd, found '29-05-1997'", id="spreadsheet-date"
        ),
        pytest.param({"flag": ["maybe", "true"]}, r"true/false", id="bool"),
    ],
)
def test_type_errors_name_column_value_and_row(columns: dict[str, list[str]], message: str) -> None:
    with pytest.raises(SchemaMismatchError, match=message):
        cast_frame(_text(**columns), SCHEMA, "f.csv")


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        pytest.param({"level": ["1", "3"]}, r"'level' holds 3 .*values \{1, 2\}", id="allowed"),
        pytest.param({"year": ["1800", "2021"]}, r"'year' holds 1800.*range \[1946, 2100\]", id="range"),
        pytest.param({"deaths": ["-1", "0"]}, r"'deaths' holds -1", id="negative"),
        pytest.param({"id": ["", "2"]}, r"'id' is empty in data row 1", id="null"),
        pytest.param(
            {"id": ["1", "1"], "YEAR": ["2020", "2020"]},
            r"not unique: 2 rows share a key, e.g. id=1, year=2020",
            id="key",
        ),
    ],
)
def test_checks_ranges_nulls_and_keys(columns: dict[str, list[str]], message: str) -> None:
    frame = cast_frame(_text(**columns), SCHEMA, "f.csv")
    with pytest.raises(SchemaMismatchError, match=message) as raised:
        check_frame(frame, SCHEMA, "f.csv")
    assert raised.value.args[0].startswith("f.csv: ")


def test_duplicate_column_names_are_refused() -> None:
    with pytest.raises(SchemaMismatchError, match=r"column 'year' appears twice"):
        cast_frame(_text(**{"Year": ["2020", "2021"]}), SCHEMA, "f.csv")


def test_too_few_rows_looks_truncated() -> None:
    frame = cast_frame(_text().iloc[:1], SCHEMA, "f.csv")
    with pytest.raises(SchemaMismatchError, match=r"1 rows, expected at least 2.*truncated"):
        check_frame(frame, SCHEMA, "f.csv")


def test_missing_required_column_lists_what_was_found() -> None:
    with pytest.raises(
        SchemaMismatchError, match=r"expects column\(s\) level but they are missing; found: id"
    ):
        cast_frame(_text().drop(columns=["level"]), SCHEMA, "f.csv")


def test_parquet_dates_and_numbers_are_accepted() -> None:
    frame = pd.DataFrame(
        {"id": [1, 2], "year": [2016, 2016], "level": [1, 1], "deaths": [0.0, 2.0], "flag": [True, False]}
    )
    frame["start"] = pd.to_datetime(["2016-01-01", "2016-02-01"])
    cast = cast_frame(frame, SCHEMA, "g.parquet")
    assert cast["start"].tolist() == [dt.date(2016, 1, 1), dt.date(2016, 2, 1)]
    assert max_date("start")(cast) == "2016-02-01"


@given(st.lists(st.one_of(st.none(), st.integers(-(2**53), 2**53)), min_size=2, max_size=30))
def test_integers_survive_text_and_arrow(values: list[int | None]) -> None:
    schema = TableSchema("n", (Column("n", "int"),))
    text = pd.DataFrame({"n": ["" if v is None else str(v) for v in values]}, dtype="string")
    table = to_arrow(cast_frame(text, schema, "n.csv"), schema)
    assert table.column("n").to_pylist() == values


GW_TABLE = TableSchema(
    "conflicts",
    (
        Column("year", "int"),
        Column("gwno_loc", "str", codes="ucdp"),
        Column("gwno_a", "int", codes="gw"),
    ),
)


def _conflicts(years: list[int], locations: list[str], sides: list[int]) -> pd.DataFrame:
    frame = pd.DataFrame({"year": years, "gwno_loc": locations, "gwno_a": sides})
    return cast_frame(frame, GW_TABLE, "acd.csv")


def test_gleditsch_ward_codes_of_states_pass() -> None:
    check_frame(_conflicts([1948, 2023], ["751", "645, 652"], [750, 652]), GW_TABLE, "acd.csv")


def test_a_code_of_no_state_is_refused_naming_file_row_column_and_code() -> None:
    frame = _conflicts([2023, 2023, 2023], ["652", "645, 653", "653"], [652, 652, 652])
    with pytest.raises(
        SchemaMismatchError,
        match=r"acd\.csv: column 'gwno_loc' holds 653 in data row 2 \(year 2023\), 2 row\(s\).*"
        r"653 is not a Gleditsch-Ward state code.*correct the code.*gleditsch_ward\.yaml",
    ):
        check_frame(frame, GW_TABLE, "acd.csv")


def test_a_state_outside_its_years_is_refused() -> None:
    frame = _conflicts([2005], ["625"], [626])
    with pytest.raises(
        SchemaMismatchError, match=r"'gwno_a' holds 626 in data row 1 \(year 2005\).*from 2011"
    ):
        check_frame(frame, GW_TABLE, "acd.csv")


def test_a_code_that_is_not_a_number_is_refused() -> None:
    with pytest.raises(SchemaMismatchError, match=r"'gwno_loc' must hold Gleditsch-Ward codes.*'Syria'"):
        check_frame(_conflicts([2023], ["652, Syria"], [652]), GW_TABLE, "acd.csv")
