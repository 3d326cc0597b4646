"""Small Ibis helpers shared by the panel builders (no I/O beyond the backend given)."""

from __future__ import annotations

from typing import Any

import ibis
from ibis.common.exceptions import TableNotFound
from ibis.expr.types import Table

from gbvs.errors import StoreNotBuiltError, said

FIRST_YEAR = 1946
"""First year of the country-year panel (start of the UCDP/PRIO Armed Conflict Dataset)."""


def has_table(con: Any, name: str) -> bool:
    """Whether the backend holds a table called ``name``.

    Asks for the table itself: Ibis 12's DuckDB ``list_tables`` calls ``fetch_arrow_table``, which
    DuckDB 2 no longer has on connections.
    """
    try:
        con.table(str(name))
    except TableNotFound:
        return False
    return True


def read_table(con: Any, name: str) -> Table:
    """The store table ``name``, or an error that says to run ``gbvs ingest``."""
    if not has_table(con, name):
        raise StoreNotBuiltError(
            said(
                "store table %(table)s is missing; it is needed to build the panels. "
                "Run `gbvs ingest` to (re)build the store.",
                table=repr(name),
            )
        )
    return con.table(str(name))


def as_float(value: Any) -> Any:
    """Cast a column that may be stored as text or number to float64 (blank text becomes null)."""
    if value.type().is_numeric() or value.type().is_boolean():
        return value.cast("float64")
    return value.cast("string").strip().nullif("").cast("float64")


def as_int(value: Any) -> Any:
    """Cast a column that may be stored as text, float or int to int64 (blank text becomes null)."""
    if value.type().is_integer():
        return value.cast("int64")
    return as_float(value).cast("int64")


def explode_codes(table: Table, codes: str, name: str = "gwcode") -> Table:
    """``table`` with one row per code of its UCDP multi-code field ``codes`` (``"645, 652"``), as int
    column ``name``.

    The unnest is a select item of its own and the cast comes in the next step: Spark allows a
    generator only as a top-level select item (``UNSUPPORTED_GENERATOR.NESTED_IN_EXPRESSIONS``).
    """
    split = table.mutate(**{name: table[codes].cast("string").split(",").unnest()})
    return split.mutate(**{name: as_int(split[name])})


def count_codes(codes: Any) -> Any:
    """How many codes a UCDP multi-code field lists (``"645, 652"`` -> 2)."""
    return codes.cast("string").split(",").length()


def year_range(first: Any, last: Any) -> Any:
    """An unnest of the integers ``first..last`` (inclusive), one row each."""
    return ibis.range(first, last + 1).unnest()
