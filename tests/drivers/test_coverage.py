"""Coverage and per-country gaps computed in the backend."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ibis
import pandas as pd
import pytest

from gbvs.errors import NotFoundError
from gbvs.panels.driver_coverage import country_gaps
from gbvs.store import open_store
from gbvs.store.coverage import column_coverage, missing_spans

NAN = float("nan")


def small_panel(con: Any) -> Any:
    frame = pd.DataFrame(
        {
            "gwcode": [1, 1, 1, 1, 1, 2, 2],
            "year": [2000, 2001, 2002, 2003, 2004, 2000, 2001],
            "a": [NAN, 1.0, NAN, NAN, 2.0, 3.0, NAN],
            "b": [NAN] * 7,
        }
    )
    return con.create_table("p", frame)


def test_column_coverage(con: Any) -> None:
    cov = column_coverage(small_panel(con), "gwcode", "year", ["a", "b"])
    assert (cov["a"].first, cov["a"].last, cov["a"].n_units) == (2000, 2004, 2)
    assert cov["a"].share_missing == pytest.approx(4 / 7)
    assert (cov["b"].first, cov["b"].n_units, cov["b"].share_missing) == (None, 0, 1.0)


def test_missing_spans_are_runs_of_years(con: Any) -> None:
    spans = missing_spans(small_panel(con), "gwcode", 1, "year", ["a", "b"]).execute()
    got = {c: list(zip(g["first"], g["last"], strict=True)) for c, g in spans.groupby("column")}
    assert got == {"a": [(2000, 2000), (2002, 2003)], "b": [(2000, 2004)]}


def test_unknown_country_names_the_code_and_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "store.duckdb"
    writer = ibis.duckdb.connect(str(path))
    writer.create_table(
        "panel_country_year", pd.DataFrame({"gwcode": [652], "year": [2000], "conflict": [1]})
    )
    writer.disconnect()
    with open_store(path) as store:
        with pytest.raises(NotFoundError, match=r"gwcode 999 .*652"):
            country_gaps(store, 999)
        assert country_gaps(store, 652)["conflict"] == []
