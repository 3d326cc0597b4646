"""GED events -> ``panel_country_month`` and ``panel_priogrid_month``, built the way ViEWS does.

- Months are numbered as in ViEWS: ``month_id`` 1 = January 1980 (``(year - 1980) * 12 + month``).
- An event whose ``date_start`` and ``date_end`` fall in different months counts in every month it
  spans; its deaths (``best``) are split evenly over those months, so totals are kept. Its event
  count is 1 in each month it spans (the number of events active in the month).
- Measures by UCDP type of violence: state-based (1, ``sb``), non-state (2, ``ns``), one-sided
  (3, ``os``). ``ged_best`` is the sum over the three.
- ``panel_country_month`` is dense: every country (GED ``country_id``, a Gleditsch-Ward code) that
  has at least one event, times every month from the first to the last month with events; months
  without events have 0 (GED records all events it knows, so no event means zero, not missing).
- ``panel_priogrid_month`` is dense in the same way over the PRIO-GRID cells (``priogrid_gid``)
  that have at least one event; cells without any event are not listed (sparse over the globe).
"""

from __future__ import annotations

from typing import Any

from ibis.expr.types import Table

from gbvs.panels._common import as_float, as_int, read_table, year_range
from gbvs.store.tables import TableName

VIOLENCE_TYPES: dict[str, int] = {"sb": 1, "ns": 2, "os": 3}
"""UCDP type_of_violence codes; GED has no other values, so totals are the sum over these three."""
BASE_YEAR = 1980


def month_id(year: Any, month: Any) -> Any:
    """ViEWS month number: 1 = January 1980."""
    return (year - BASE_YEAR) * 12 + month


def month_year(mid: Any) -> Any:
    """Calendar year of a ViEWS ``month_id``."""
    return BASE_YEAR + (mid - 1) // 12


def month_of_year(mid: Any) -> Any:
    """Calendar month (1-12) of a ViEWS ``month_id``."""
    return (mid - 1) % 12 + 1


def month_id_of(day: Any) -> Any:
    """int64 ``month_id`` of a date or timestamp column (text is cast to date first).

    Year and month are taken from the column itself (no cast of a timestamp to date, which is a
    pass over every event) and widened to int64, so both backends give the same type (``year()``
    is BIGINT on DuckDB, INT on Spark).
    """
    day = _as_date(day)
    return month_id(day.year().cast("int64"), day.month().cast("int64"))


def event_months(events: Table, unit: str, unit_column: str) -> Table:
    """``(<unit>, type_of_violence, best, month_id)``: one row per event-month, deaths split evenly.

    Most events lie within one month: they take a plain projection; only the others go through the
    month range and its unnest (a list per row). The two branches are separate scans of the events,
    not one shared subquery: a shared subquery makes DuckDB materialise every event first.
    """
    columns = {
        unit: as_int(events[unit_column]),
        "type_of_violence": as_int(events.type_of_violence),
        "best": as_float(events.best),
    }
    first, last = month_id_of(events.date_start), month_id_of(events.date_end)
    single = events.filter(first == last).select(**columns, month_id=first)
    multi = events.filter(first != last).select(**columns, first=first, last=last)
    multi = multi.select(
        unit,
        "type_of_violence",
        best=multi.best / (multi["last"] - multi["first"] + 1).cast("float64"),
        month_id=year_range(multi["first"], multi["last"]),
    )
    return single.union(multi, distinct=False)


def measures(rows: Table, unit: str) -> Table:
    """Deaths and event counts per (unit, month_id) by type of violence (deaths null where none).

    Filtered aggregates (``SUM(...) FILTER (WHERE ...)`` on DuckDB) are cheaper than sums of
    ``CASE`` expressions; ``finish`` turns their nulls into 0.
    """
    metrics: dict[str, Any] = {}
    for name, code in VIOLENCE_TYPES.items():
        of_type = rows.type_of_violence == code
        metrics[f"ged_{name}_best"] = rows.best.sum(where=of_type)
        metrics[f"ged_{name}_events"] = rows.count(where=of_type)
    return rows.group_by([unit, "month_id"]).aggregate(**metrics)


def event_span(events: Table, unit: str, unit_column: str) -> tuple[Table, Table]:
    """The units with events, and every ``month_id`` from the first event month to the last.

    Taken from the events themselves (cheap scans), not from the aggregate, so the backend does not
    compute the aggregate more than once. The month of the earliest start is the earliest month (a
    month number never decreases with the date), so only two dates are converted, not every event's.
    """
    units = events.select(**{unit: as_int(events[unit_column])}).distinct()
    days = events.select(start=_as_date(events.date_start), end=_as_date(events.date_end))
    span = days.aggregate(first=days.start.min(), last=days.end.max())
    span = span.select(first=month_id_of(span.first), last=month_id_of(span["last"]))
    return units, span.select(month_id=year_range(span["first"], span["last"]))


def _as_date(day: Any) -> Any:
    """A date or timestamp column as is; text cast to date."""
    return day if day.type().is_temporal() else day.cast("date")


def finish(table: Table, unit: str) -> Table:
    """Key columns, year and month, the per-type measures (null -> 0) and their totals."""
    values = {c: table[c].fill_null(0) for c in table.columns if c.startswith("ged_")}
    return table.select(
        unit,
        year=month_year(table.month_id),
        month=month_of_year(table.month_id),
        month_id=table.month_id,
        **values,
        ged_best=_total(values, "best"),
        ged_events=_total(values, "events"),
    )


def densify(sparse: Table, units: Table, months: Table, unit: str) -> Table:
    """Every unit times every month; months without events get 0."""
    return finish(units.cross_join(months).left_join(sparse, [unit, "month_id"]), unit)


def _total(values: dict[str, Any], measure: str) -> Any:
    """Sum of ``ged_<type>_<measure>`` over the violence types."""
    columns = [values[f"ged_{name}_{measure}"] for name in VIOLENCE_TYPES]
    total = columns[0]
    for column in columns[1:]:
        total = total + column
    return total


def build_event_panel(events: Table, unit: str, unit_column: str, dense: bool = True) -> Table:
    """Event panel of ``events`` over ``unit`` (from ``unit_column``) and months (unordered).

    ``dense=False`` keeps only the unit-months with events (what a sparse store would hold).
    """
    sparse = measures(event_months(events, unit, unit_column), unit)
    if not dense:
        return finish(sparse, unit)
    units, months = event_span(events, unit, unit_column)
    return densify(sparse, units, months, unit)


def build_country_month(con: Any) -> Table:
    """``panel_country_month`` from the store's ``ucdp_ged`` table."""
    panel = build_event_panel(read_table(con, TableName.ucdp_ged), "gwcode", "country_id")
    return panel.order_by(["gwcode", "month_id"])  # small: ordered for readers


def build_priogrid_month(con: Any) -> Table:
    """``panel_priogrid_month`` from the store's ``ucdp_ged`` table (unordered: sorting costs at scale)."""
    return build_event_panel(read_table(con, TableName.ucdp_ged), "priogrid_gid", "priogrid_gid")
