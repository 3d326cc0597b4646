"""The strict delimited reader refuses the ways real files break, naming file, expectation and finding."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gbvs.errors import ParseError, SchemaMismatchError
from gbvs.sources.base import Column, FileRef, Located, TableSchema
from gbvs.sources.fetch import COMPUTED
from gbvs.sources.readers import load_table, read_columns, read_delimited, read_parquet

REQUIRED = ("conflict_id", "year", "intensity_level")
GOOD = "conflict_id,year,intensity_level\n1,2020,1\n2,2021,2\n"


def _write(tmp_path: Path, data: bytes, name: str = "acd.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_reads_a_good_file_as_text_columns(tmp_path: Path) -> None:
    frame = read_delimited(_write(tmp_path, GOOD.encode()), required=REQUIRED)
    assert list(frame.columns) == list(REQUIRED)
    assert frame["year"].tolist() == ["2020", "2021"]


@pytest.mark.parametrize(
    ("data", "error", "message"),
    [
        pytest.param(
            GOOD[:-5].encode(), ParseError, r"ends in the middle of a row.*truncated", id="truncated"
        ),
        pytest.param(GOOD.replace(",", ";").encode(), ParseError, r"semicolon-separated", id="semicolons"),
        pytest.param(GOOD.replace(",", "\t").encode(), ParseError, r"tab-separated", id="tabs"),
        pytest.param(
            b'conflict_id;year;intensity_level\n1;2020;1\n"2, Mali";2021;2\n',
            ParseError,
            r"semicolon-separated",
            id="semicolons-with-a-comma-in-a-value",  # was: "line 3 has 2 fields", as if truncated
        ),
        pytest.param(
            b"conflict_id,year\n1,2020\n", SchemaMismatchError, r"intensity_level.*missing", id="column"
        ),
        pytest.param(
            (GOOD + "3,2022\n").encode(), ParseError, r"line 4 has 2 fields but the header has 3", id="ragged"
        ),
        pytest.param(
            "conflict_id,year,intensity_level\nCôte,1,1\n".encode("latin-1"),
            ParseError,
            r"UTF-8.*offset",
            id="latin1",
        ),
        pytest.param(b"", ParseError, r"empty", id="empty"),
    ],
)
def test_refuses_broken_files(tmp_path: Path, data: bytes, error: type[Exception], message: str) -> None:
    path = _write(tmp_path, data)
    with pytest.raises(error, match=message) as raised:
        read_delimited(path, required=REQUIRED)
    assert str(path) in str(raised.value)


def test_reads_a_member_of_a_zip_archive(tmp_path: Path) -> None:
    archive = tmp_path / "acd.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("readme.txt", "codebook")
        handle.writestr("UcdpPrioConflict_v25_1.csv", GOOD)
    frame = read_delimited(archive, required=REQUIRED, member="*.csv")
    assert len(frame) == 2


def test_zip_without_the_member_says_what_it_holds(tmp_path: Path) -> None:
    archive = tmp_path / "acd.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("readme.txt", "codebook")
    with pytest.raises(ParseError, match=r"matching '\*\.csv'.*readme\.txt"):
        read_delimited(archive, required=REQUIRED, member="*.csv")


def _located_zip(path: Path) -> Located:
    ref = FileRef("ucdp", path.name, "25.1", member="*.csv")
    return Located(ref, path, "mirror", "0" * 64, COMPUTED)


ACD_SMALL = TableSchema("acd", tuple(Column(name, "int") for name in REQUIRED))


def test_file_named_zip_that_is_no_zip_is_refused_as_such(tmp_path: Path) -> None:
    path = _write(tmp_path, b"garbage\n", "ucdp-prio-acd-251-csv.zip")
    with pytest.raises(
        ParseError, match=r"ucdp-prio-acd-251-csv\.zip: expected a zip archive.*not a valid zip"
    ):
        load_table(_located_zip(path), ACD_SMALL)
    with pytest.raises(ParseError, match=r"expected a zip archive.*not a valid zip"):
        read_columns(_located_zip(path), ["year"], required=["year"])


def test_zipped_and_unzipped_copies_of_a_zip_ref_are_both_read(tmp_path: Path) -> None:
    archive = tmp_path / "ucdp-prio-acd-251-csv.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("UcdpPrioConflict_v25_1.csv", GOOD)
    plain = _write(tmp_path, GOOD.encode(), "UcdpPrioConflict_v25_1.csv")
    assert len(load_table(_located_zip(archive), ACD_SMALL)) == 2
    assert len(load_table(_located_zip(plain), ACD_SMALL)) == 2


def test_short_rows_are_padded_only_when_asked(tmp_path: Path) -> None:
    path = _write(tmp_path, b"a\tb\tc\n1\t2\n", "codes.tsv")
    frame = read_delimited(path, required=("a",), delimiter="\t", pad_short_rows=True)
    assert frame.iloc[0].tolist() == ["1", "2", ""]
    with pytest.raises(ParseError, match="line 2 has 2 fields"):
        read_delimited(path, required=("a",), delimiter="\t")


def test_damaged_parquet_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, b"PAR1 not really", "ged.parquet")
    with pytest.raises(ParseError, match=r"ged\.parquet.*Parquet"):
        read_parquet(path)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(-(10**9), 10**9), st.text(alphabet=st.characters(blacklist_categories=("Cs",)))
        ),
        min_size=1,
        max_size=20,
    )
)
def test_round_trips_any_quoted_text(rows: list[tuple[int, str]]) -> None:
    import csv
    import io
    import tempfile

    buffer = io.StringIO()
    csv.writer(buffer).writerows([("n", "text"), *rows])  # CRLF rows: fields with \r or \n are quoted
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rows.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
        frame = read_delimited(path, required=("n", "text"))
    assert frame["n"].tolist() == [str(n) for n, _ in rows]
    assert frame["text"].tolist() == [text for _, text in rows]
