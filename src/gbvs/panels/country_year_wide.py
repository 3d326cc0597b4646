"""``panel_country_year_wide``: the country-year panel's keys with V-Dem v14 indicators and covariates.

Issue 11. One row per ``panel_country_year`` row (``gwcode``, ``year``), left-joined with

- the kept V-Dem v14 variables (:data:`gbvs.sources.vdem_wide.KEPT`) as ``vdem14_<name>``; V-Dem units
  without a Gleditsch-Ward code (territories) are left out, and units sharing a code in a year are
  averaged (none do in v14, the mean only guarantees one row per key);
- poldat's covariates as ``cov_<name>`` (its *located* battle deaths are conflict columns of
  ``panel_country_year``, ``brd_located_*``);
- Powell-Thyne coups (``pt_*``, ``years_since_last_pt_*``), DemSpaces' population (``pop_thousands``)
  and the age of the state (``state_age``).

Kept apart from ``panel_country_year`` so the driver mapping and its panel stay as they are; the
forecasting engine joins the two on the keys. Missing stays missing.
"""

from __future__ import annotations

from typing import Any

from ibis.expr.types import Table

from gbvs.panels._common import as_float, as_int, read_table
from gbvs.sources.covariates import COUPS_KEPT, POLDAT_KEPT
from gbvs.sources.vdem_wide import KEPT as VDEM_KEPT
from gbvs.sources.vdem_wide import ONSET_KEPT
from gbvs.store.tables import TableName

KEYS: tuple[str, ...] = ("gwcode", "year")
VDEM_PREFIX = "vdem14_"
COVARIATE_PREFIX = "cov_"


def wide_columns() -> list[str]:
    """The panel's columns after the keys, in order (the V-Dem variables kept for conflict onsets last,
    :data:`gbvs.sources.vdem_wide.ONSET_KEPT`)."""
    return [
        *(f"{VDEM_PREFIX}{name}" for name in VDEM_KEPT if name not in ONSET_KEPT),
        *(f"{COVARIATE_PREFIX}{name}" for name in POLDAT_KEPT),
        *COUPS_KEPT,
        "pop_thousands",
        "state_age",
        *(f"{VDEM_PREFIX}{name}" for name in ONSET_KEPT),
    ]


def _keyed(table: Table) -> Table:
    return table.mutate(gwcode=as_int(table.gwcode), year=as_int(table.year))


def _vdem(con: Any) -> Table:
    t = _keyed(read_table(con, TableName.vdem_v14))
    t = t.filter(t.gwcode.notnull())
    return t.group_by(list(KEYS)).aggregate(**{f"{VDEM_PREFIX}{n}": as_float(t[n]).mean() for n in VDEM_KEPT})


def _poldat(con: Any) -> Table:
    t = _keyed(read_table(con, TableName.poldat_country_year))
    return t.select(
        *KEYS,
        **{f"{COVARIATE_PREFIX}{n}": as_float(t[n]) for n in POLDAT_KEPT},
    )


def _coups(con: Any) -> Table:
    t = _keyed(read_table(con, TableName.ptcoups))
    return t.select(*KEYS, **{n: as_float(t[n]) for n in COUPS_KEPT})


def _population(con: Any) -> Table:
    t = _keyed(read_table(con, TableName.ds_population))
    return t.select(*KEYS, pop_thousands=as_float(t["pop"]))


def _state_age(con: Any) -> Table:
    t = _keyed(read_table(con, TableName.gw_state_age))
    return t.select(*KEYS, state_age=as_int(t.state_age))


def build_country_year_wide(con: Any) -> Table:
    """``panel_country_year_wide`` (see the module doc)."""
    base = read_table(con, TableName.panel_country_year)
    t = base.select(gwcode=as_int(base.gwcode), year=as_int(base.year))
    for part in (_vdem(con), _poldat(con), _coups(con), _population(con), _state_age(con)):
        joined = t.left_join(part, list(KEYS))
        t = joined.drop(*[f"{key}_right" for key in KEYS if f"{key}_right" in joined.columns])
    return t.select(*KEYS, *wide_columns()).order_by(list(KEYS))
