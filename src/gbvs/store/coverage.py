"""Coverage of store columns, computed in the store: years, units, share missing, gaps per unit.

:func:`table_coverage`, :func:`unit_gaps` and :func:`unit_span` are the named reads (they take an open
:class:`~gbvs.store.reader.Store`); :func:`column_coverage` and :func:`missing_spans` are the Ibis
expressions behind them, usable on any Ibis table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ibis
from ibis.expr.types import Table

from gbvs.store.reader import Store


@dataclass(frozen=True)
class Coverage:
    """How well one column is filled."""

    column: str
    first: int | None
    last: int | None
    n_units: int
    share_missing: float

    def as_dict(self) -> dict[str, Any]:
        """Plain dict for JSON output."""
        return {
            "first": self.first,
            "last": self.last,
            "n_units": self.n_units,
            "share_missing": round(self.share_missing, 4),
        }


def column_coverage(table: Table, unit: str, time: str, columns: list[str]) -> dict[str, Coverage]:
    """Per column: first/last ``time`` with a value, number of ``unit`` values, share of null rows."""
    metrics: dict[str, Any] = {"_rows": table.count()}
    for i, column in enumerate(columns):
        present = table[column].notnull()
        metrics[f"f{i}"] = table[time].min(where=present)
        metrics[f"l{i}"] = table[time].max(where=present)
        metrics[f"u{i}"] = table[unit].nunique(where=present)
        metrics[f"n{i}"] = present.cast("int64").sum()
    row = table.aggregate(**metrics).execute().iloc[0]
    rows = int(row["_rows"])
    return {
        column: Coverage(
            column=column,
            first=_int_or_none(row[f"f{i}"]),
            last=_int_or_none(row[f"l{i}"]),
            n_units=int(row[f"u{i}"]),
            share_missing=1.0 - (_int_or_none(row[f"n{i}"]) or 0) / rows if rows else 1.0,
        )
        for i, column in enumerate(columns)
    }


def missing_spans(table: Table, unit: str, unit_value: int, time: str, columns: list[str]) -> Table:
    """``(column, first, last)``: runs of consecutive ``time`` values where a column is null for one unit.

    Gaps-and-islands in the backend: within each column, consecutive missing years share the value
    ``time - row_number()``.
    """
    rows = table.filter(table[unit] == unit_value).select(
        time, **{c: table[c].isnull().cast("int64") for c in columns}
    )
    long = rows.pivot_longer(ibis.selectors.cols(*columns), names_to="column", values_to="missing")
    missing = long.filter(long.missing == 1)
    rank = ibis.row_number().over(group_by=missing.column, order_by=missing[time])
    islands = missing.mutate(_island=missing[time] - rank)
    spans = islands.group_by(["column", "_island"]).aggregate(
        first=islands[time].min(), last=islands[time].max()
    )
    return spans.select("column", "first", "last").order_by(["column", "first"])


def table_coverage(
    store: Store, *, table: str, unit: str, time: str, columns: tuple[str, ...]
) -> dict[str, Coverage]:
    """:func:`column_coverage` of those ``columns`` that ``table`` has (empty when the table is absent)."""
    if not store.has_table(table):
        return {}
    stored = store.table(table)
    return column_coverage(stored, unit, time, [c for c in columns if c in stored.columns])


def unit_span(store: Store, *, table: str, unit: str, unit_value: int, time: str) -> tuple[int, int] | None:
    """First and last ``time`` of one unit in ``table`` (None when the unit has no rows)."""
    stored = store.table(table)
    rows = stored.filter(stored[unit] == unit_value)
    frame = rows.aggregate(n=rows.count(), first=rows[time].min(), last=rows[time].max()).execute()
    if not int(frame["n"].iloc[0]):
        return None
    return int(frame["first"].iloc[0]), int(frame["last"].iloc[0])


def unit_gaps(
    store: Store, *, table: str, unit: str, unit_value: int, time: str, columns: tuple[str, ...]
) -> dict[str, list[tuple[int, int]]]:
    """Per column of ``columns`` that ``table`` has: the runs ``(first, last)`` of ``time`` with no value."""
    stored = store.table(table)
    present = [c for c in columns if c in stored.columns]
    spans = missing_spans(stored, unit, unit_value, time, present).execute()
    gaps: dict[str, list[tuple[int, int]]] = {column: [] for column in present}
    for column, first, last in spans.itertuples(index=False):
        gaps[column].append((int(first), int(last)))
    return gaps


def _int_or_none(value: Any) -> int | None:
    try:
        return None if value is None or value != value else int(value)
    except (TypeError, ValueError):
        return None
