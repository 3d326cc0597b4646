"""Sortable, filterable tables on the server: one helper for the pages where analysts scan tables.

A page declares its table's sortable columns (:class:`Column`: a key, how to read a row's value,
which direction a first click sorts in) and reads the request's ``sort`` parameter with
:meth:`Table.parse`. ``sort=value`` sorts ascending, ``sort=-value`` descending (the ``-`` prefix
of the Dutch API strategy's sort parameter; the watchlist and its API already call it ``sort``).

- Numbers sort as numbers, text by its folded form (case and accents ignored), and missing values
  (``None``, NaN, empty text) come last in both directions.
- An unknown key is always refused with 400 naming the allowed keys (:class:`InputError`), never
  silently ignored: a link that sorts wrongly without saying so would mislead the reader.
- :func:`table_view` gives the template the header links (each keeps the page's other query
  parameters, resets ``page`` and flips the direction of the sorted column) and the ``aria-sort``
  value of each column (WCAG 1.3.1); ``templates/tables.html`` renders them.
- Text filters use :func:`fold` and :func:`contains`, so "cote" finds "Côte d'Ivoire".

Sorting happens where the rows are: in Python for tables read from the store or the forecasts
file (:meth:`Table.apply`), in the SQL query for the signals register, whose order is part of the
authorized query (``gbvs.db.signal_queries``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlencode

from gbvs.errors import InputError
from gbvs.textmatch import fold

Row = TypeVar("Row")
SORT = "sort"
DESCENDING = "-"


@dataclass(frozen=True)
class Column:
    """A sortable column: ``value`` reads a row's value (``None`` when the rows are sorted elsewhere)."""

    key: str
    value: Callable[[Any], Any] | None = None
    descending_first: bool = False  # e.g. a risk or a count: the largest first on the first click


@dataclass(frozen=True)
class Sort:
    """The order asked for: a column key and a direction."""

    key: str
    descending: bool = False

    @property
    def param(self) -> str:
        """The value of the ``sort`` parameter that asks for this order."""
        return f"{DESCENDING if self.descending else ''}{self.key}"


class Table:
    """The sortable columns of one table and its default order."""

    def __init__(self, *columns: Column, default: Sort) -> None:
        self.columns = {column.key: column for column in columns}
        if default.key not in self.columns:
            raise ValueError(f"default sort key {default.key!r} is not a column")
        self.default = default

    @property
    def keys(self) -> tuple[str, ...]:
        """The allowed sort keys, in column order."""
        return tuple(self.columns)

    def parse(self, raw: str | None) -> Sort:
        """The order ``raw`` (a ``sort`` parameter) asks for; empty means the default order."""
        text = (raw or "").strip()
        if not text:
            return self.default
        descending = text.startswith(DESCENDING)
        key = text.removeprefix(DESCENDING)
        if key not in self.columns:
            raise InputError(
                f"sort key {key!r} is not a column of this table; use one of: {', '.join(self.keys)} "
                f"(with '-' in front for descending, e.g. sort=-{self.keys[-1]})"
            )
        return Sort(key, descending)

    def apply(self, rows: Iterable[Row], order: Sort) -> list[Row]:
        """``rows`` in ``order``: numbers as numbers, text folded, missing values last."""
        read = self.columns[order.key].value
        if read is None:
            raise ValueError(f"column {order.key!r} is sorted in the database, not here")
        present: list[tuple[Any, Row]] = []
        missing: list[tuple[Any, Row]] = []
        for row in rows:
            value = read(row)
            (missing if _missing(value) else present).append((_comparable(value), row))
        present.sort(key=lambda pair: pair[0], reverse=order.descending)  # stable: ties keep their order
        return [row for _, row in present] + [row for _, row in missing]


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return isinstance(value, str) and not value.strip()


def _comparable(value: Any) -> Any:
    return fold(value) if isinstance(value, str) else value


@dataclass(frozen=True)
class TableView:
    """What a template needs for the header of a sorted table."""

    order: Sort
    links: dict[str, str]

    def aria_sort(self, key: str) -> str | None:
        """``ascending`` or ``descending`` for the sorted column, else nothing (WCAG 1.3.1)."""
        if key != self.order.key:
            return None
        return "descending" if self.order.descending else "ascending"


def table_view(table: Table, order: Sort, path: str, params: Mapping[str, str]) -> TableView:
    """Header links for ``table`` at ``path``, keeping the request's other (non-empty) ``params``."""
    kept = {k: v for k, v in params.items() if k not in (SORT, "page") and v}
    links = {}
    for key, column in table.columns.items():
        descending = not order.descending if key == order.key else column.descending_first
        links[key] = f"{path}?{urlencode({**kept, SORT: Sort(key, descending).param})}"
    return TableView(order, links)
