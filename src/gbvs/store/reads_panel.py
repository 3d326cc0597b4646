"""Named, typed reads of the country-year and displacement panels for the web pages, the API and the CLI.

Each takes an open :class:`~gbvs.store.reader.Store` and keyword arguments, runs one query in the
store and returns dataclasses, plain typed values or (for reads whose columns the caller chooses)
:data:`PanelRow` records. Missing values come back as ``None``, never NaN. The web app caches the
results per store version (``StoreGateway.cached``); these functions do no caching themselves.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import ibis
import pandas as pd

from gbvs.store.reader import Store, no_panel
from gbvs.store.tables import TableName

COUNTRY_YEAR = TableName.panel_country_year
WIDE = TableName.panel_country_year_wide
DISPLACEMENT = TableName.panel_displacement
CONFLICT_COLUMNS: tuple[str, ...] = (
    "year", "conflict", "war", "n_conflicts", "brd_best", "brd_low", "brd_high", "brd_located_best",
    "brd_located_low", "brd_located_high", "onset",
)  # fmt: skip
DISPLACEMENT_COLUMNS: tuple[str, ...] = (
    "year", "displaced_abroad", "refugees", "displaced_in_nl", "new_outflows", "idps", "asylum_nl",
    "asylum_eu",
)  # fmt: skip

PanelRow = dict[str, Any]
"""One panel row: column name -> value (``None`` where the panel has no value)."""


@dataclass(frozen=True)
class ConflictYear:
    """One year of a country's conflict history (UCDP, via ``panel_country_year``): battle deaths by
    conflict (``brd_*``, dyadic) and where the fighting happened (``brd_located_*``)."""

    year: int
    conflict: int | None
    war: int | None
    n_conflicts: int | None
    brd_best: float | None
    brd_low: float | None
    brd_high: float | None
    brd_located_best: float | None
    brd_located_low: float | None
    brd_located_high: float | None
    onset: int | None


@dataclass(frozen=True)
class DisplacementYear:
    """One year of displacement from a country of origin (``panel_displacement``; persons, applications)."""

    year: int
    displaced_abroad: float | None
    refugees: float | None
    displaced_in_nl: float | None
    new_outflows: float | None
    idps: float | None
    asylum_nl: float | None
    asylum_eu: float | None


# --- the country-year panel -----------------------------------------------------------------------


def require_country_year(store: Store) -> None:
    """StoreNotBuiltError naming ``panel_country_year`` and ``gbvs ingest`` when the store lacks it.

    (The other reads raise NotFoundError listing the store's tables, as :meth:`Store.table` does.)
    """
    if not store.has_table(COUNTRY_YEAR):
        raise no_panel(COUNTRY_YEAR)


def panel_columns(store: Store) -> tuple[str, ...]:
    """The columns of ``panel_country_year``, in stored order, then those of the wide panel it lacks
    (V-Dem v14 and covariates; the driver monitor reads two of them)."""
    columns = tuple(store.table(COUNTRY_YEAR).columns)
    wide = tuple(store.table(WIDE).columns) if store.has_table(WIDE) else ()
    return columns + tuple(c for c in wide if c not in columns)


def _panel(store: Store, columns: tuple[str, ...] | list[str]) -> Any:
    """``panel_country_year``, left-joined on its keys with the wide panel's columns among ``columns`` that
    it lacks (the wide panel has one row per country-year row; a column neither has is left out)."""
    panel = store.table(COUNTRY_YEAR)
    if not store.has_table(WIDE):
        return panel
    wide = store.table(WIDE)
    extra = [c for c in dict.fromkeys(columns) if c not in panel.columns and c in wide.columns]
    if not extra:
        return panel
    right = wide.select(*extra, _gwcode=wide.gwcode, _year=wide.year)
    joined = panel.left_join(right, (panel.gwcode == right._gwcode) & (panel.year == right._year))
    return joined.drop("_gwcode", "_year")


def last_year_by_country(store: Store) -> dict[int, int]:
    """Gleditsch-Ward code -> the last year the country-year panel holds for that state."""
    panel = store.table(COUNTRY_YEAR)
    rows = _records(panel.group_by("gwcode").aggregate(last=panel["year"].max()))
    return {int(row["gwcode"]): int(row["last"]) for row in rows}


def conflict_history(store: Store, *, gwcode: int) -> list[ConflictYear]:
    """The country's conflict incidence and battle deaths by year (a column the panel lacks is None)."""
    panel = store.table(COUNTRY_YEAR)
    present = [name for name in CONFLICT_COLUMNS if name in panel.columns]
    rows = panel.filter(panel["gwcode"] == ibis.literal(gwcode)).select(present).order_by("year")
    return [
        ConflictYear(**{name: _clean(row.get(name)) for name in CONFLICT_COLUMNS}) for row in _records(rows)
    ]


def country_rows(store: Store, *, gwcode: int, wide: tuple[str, ...] = ()) -> list[PanelRow]:
    """Every column of the country-year panel for one country, by year, followed by those of ``wide`` that
    only the wide panel has (its driver indicators; a column neither panel has is left out)."""
    panel = _panel(store, wide)
    rows = panel.filter(panel["gwcode"] == ibis.literal(gwcode)).order_by("year")
    return [{key: _clean(value) for key, value in row.items()} for row in _records(rows)]


def country_series(store: Store, *, gwcode: int, columns: tuple[str, ...]) -> list[PanelRow]:
    """``year`` and those of ``columns`` the panel has, for one country by year (values as stored)."""
    panel = _panel(store, columns)
    present = [c for c in columns if c in panel.columns]
    rows = panel.filter(panel["gwcode"] == ibis.literal(gwcode)).select("year", *present).order_by("year")
    return _records(rows)


def country_frame(store: Store, *, gwcode: int, columns: tuple[str, ...], since: int) -> pd.DataFrame:
    """``gwcode``, ``year`` and ``columns`` (all panel columns) for one country from ``since``, by year."""
    panel = _panel(store, columns)
    rows = panel.filter((panel.gwcode == gwcode) & (panel.year >= since)).select("gwcode", "year", *columns)
    return pd.DataFrame(rows.order_by("year").execute())


def indicator_years(store: Store, *, column: str) -> list[int]:
    """Years in which panel column ``column`` has at least one value, newest first."""
    panel = _panel(store, [column])
    years = panel.filter(panel[column].notnull()).select("year").distinct().order_by(ibis.desc("year"))
    return [int(row["year"]) for row in _records(years)]


def indicator_coverage(store: Store, *, column: str) -> list[tuple[int, int, int]]:
    """``(year, states with a value of column, states in the panel)`` for every year with a value, newest
    first."""
    panel = _panel(store, [column])
    counts = panel.group_by("year").aggregate(n=panel[column].count(), total=panel.gwcode.nunique())
    rows = _records(counts.filter(counts.n > 0).order_by(ibis.desc("year")))
    return [(int(row["year"]), int(row["n"]), int(row["total"])) for row in rows]


def indicator_values(store: Store, *, column: str, year: int) -> list[tuple[int, float]]:
    """(gwcode, value) of panel column ``column`` in ``year``, for the countries with a value."""
    panel = _panel(store, [column])
    rows = panel.filter(panel["year"] == ibis.literal(year), panel[column].notnull()).select("gwcode", column)
    values = [(int(row["gwcode"]), float(row[column])) for row in _records(rows)]
    return [(gwcode, value) for gwcode, value in values if not math.isnan(value)]


def indicator_missing(store: Store, *, column: str, year: int) -> list[int]:
    """Gleditsch-Ward codes of the states in the panel in ``year`` that have no value of ``column``."""
    panel = _panel(store, [column])
    rows = panel.filter(panel["year"] == ibis.literal(year), panel[column].isnull()).select("gwcode")
    return sorted(int(row["gwcode"]) for row in _records(rows))


def latest_values(
    store: Store, *, gwcodes: tuple[int, ...], columns: tuple[str, ...]
) -> dict[int, dict[str, tuple[int, float]]]:
    """gwcode -> column -> (year, value) of the most recent value (columns the panel lacks are left out)."""
    panel = _panel(store, columns)
    present = [c for c in columns if c in panel.columns]
    rows = panel.filter(panel["gwcode"].isin(list(gwcodes))).select("gwcode", "year", *present)
    result: dict[int, dict[str, tuple[int, float]]] = {}
    for row in _records(rows.order_by("year")):
        for column in present:
            value = _clean(row[column])
            if value is not None:
                result.setdefault(int(row["gwcode"]), {})[column] = (int(row["year"]), float(value))
    return result


def conflict_by_country(store: Store, *, year: int) -> dict[int, int]:
    """Gleditsch-Ward code -> state-based armed conflict (0/1) in ``year`` (countries with a value)."""
    panel = store.table(COUNTRY_YEAR)
    rows = panel.filter(panel["year"] == year, panel["conflict"].notnull()).select("gwcode", "conflict")
    return {int(row["gwcode"]): int(row["conflict"]) for row in _records(rows)}


# --- the displacement panel (issue 17) ------------------------------------------------------------


def has_displacement(store: Store) -> bool:
    """Whether the store holds ``panel_displacement`` (the UNHCR files were ingested)."""
    return store.has_table(DISPLACEMENT)


def displacement_history(store: Store, *, gwcode: int, since: int) -> list[DisplacementYear]:
    """The origin's displacement by year from ``since``."""
    t = store.table(DISPLACEMENT)
    rows = t.filter((t.gwcode == ibis.literal(gwcode)) & (t.year >= since)).order_by("year")
    return [
        DisplacementYear(**{k: _clean(row[k]) for k in DISPLACEMENT_COLUMNS})
        for row in _records(rows.select(*DISPLACEMENT_COLUMNS))
    ]


def asylum_nl_by_origin(store: Store, *, year: int) -> dict[int, float | None]:
    """Gleditsch-Ward code of origin -> asylum applications in the Netherlands in ``year``."""
    t = store.table(DISPLACEMENT)
    rows = t.filter(t.year == year).select("gwcode", "asylum_nl")
    return {int(r["gwcode"]): _clean(r["asylum_nl"]) for r in _records(rows)}


def _records(expression: Any) -> list[PanelRow]:
    return list(expression.to_pyarrow().to_pylist())


def _clean(value: Any) -> Any:
    """NaN becomes None, so callers see a missing value."""
    if isinstance(value, float) and math.isnan(value):
        return None
    return value
