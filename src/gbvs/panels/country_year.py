"""``panel_country_year``: Gleditsch-Ward state-years with conflict measures and driver indicators.

Universe: the rows of ``gw_states`` (gwcode, year) from 1946 to the last year of the UCDP/PRIO ACD
table. A state whose last ``gw_states`` year is at most ``CARRY_FORWARD_YEARS`` before that year is
carried forward to it: ``gw_states`` is derived from sources that end earlier (EPR 2021, V-Dem 2022),
and states rarely end, while a state that really ended (Yugoslavia 2006) stops long before.

Conflict history rules:

- ``years_since_conflict`` = year - last year up to and including this one with ``conflict`` = 1;
  0 in a conflict year, null when the country had no conflict since 1946.
- ``onset`` = 1 when ``conflict`` = 1 this year and the country had no conflict in the two years
  before (t-1 and t-2), i.e. the previous conflict year is t-3 or earlier or there is none since
  1946. Left-censored: a conflict in 1946 or 1947 counts as an onset unless the panel shows one
  earlier, since 1944-1945 are not observed. Non-conflict years have ``onset`` = 0.
- ``onset_first`` = 1 in the first conflict year of the country in the panel (since 1946).

Battle deaths come twice, and each page says which it shows: ``brd_*`` (UCDP BRD, dyadic, split
evenly over a dyad's locations; where the conflict is the unit, and the battle-death forecasts' target)
and ``brd_located_*`` (where the fighting happened; where a page says where people died). Rules in
:mod:`gbvs.panels.conflict`.
"""

from __future__ import annotations

from typing import Any

import ibis
from ibis.expr.types import Table

from gbvs.drivers.mapping import load_mapping
from gbvs.panels import conflict
from gbvs.panels._common import FIRST_YEAR, as_int, read_table, year_range
from gbvs.panels.indicators import SOURCE_BUILDERS
from gbvs.store.tables import TableName

KEYS: tuple[str, ...] = ("gwcode", "year")
CARRY_FORWARD_YEARS = 3
CONFLICT_COLUMNS: tuple[str, ...] = (
    "conflict",
    "war",
    "n_conflicts",
    "brd_best",
    "brd_low",
    "brd_high",
    *conflict.LOCATED_COLUMNS,
    "nonstate_conflict",
    "years_since_conflict",
    "onset",
    "onset_first",
)


def left_join(left: Table, right: Table, keys: tuple[str, ...] = KEYS) -> Table:
    """Left join on equal-named ``keys``, keeping the left key columns only."""
    joined = left.left_join(right, list(keys))
    return joined.drop(*[f"{key}_right" for key in keys if f"{key}_right" in joined.columns])


def state_years(con: Any) -> Table:
    """``(gwcode, year)`` of the panel: ``gw_states`` from 1946 to the last ACD year (see module doc)."""
    gw = read_table(con, TableName.gw_states)
    gw = gw.select(gwcode=as_int(gw.gwcode), year=as_int(gw.year)).distinct()
    last = conflict.coverage_years(con, TableName.ucdp_acd).select(acd_last="last")
    ends = gw.group_by("gwcode").aggregate(own_last=gw.year.max()).cross_join(last)
    recent = ends.filter(ends.own_last >= ends.acd_last - CARRY_FORWARD_YEARS)
    carried = recent.select("gwcode", year=year_range(recent.own_last + 1, recent.acd_last))
    universe = gw.union(carried).cross_join(last)
    return universe.filter(universe.year.between(FIRST_YEAR, universe.acd_last)).select(*KEYS)


def conflict_measures(con: Any, universe: Table) -> Table:
    """Universe + conflict, war, n_conflicts, brd_*, brd_located_*, nonstate_conflict (no history yet);
    ``brd_located_*`` stay null when the store has no covariates table."""
    t = left_join(universe, conflict.state_based(con))
    t = left_join(t, conflict.battle_deaths(con))
    located = conflict.located_deaths(con)
    if located is None:
        t = t.mutate(**{name: ibis.null("float64") for name in conflict.LOCATED_COLUMNS})
    else:
        t = left_join(t, located)
    t = left_join(t, conflict.nonstate(con))
    brd = conflict.coverage_years(con, TableName.ucdp_brd).select(brd_first="first", brd_last="last")
    ns = conflict.coverage_years(con, TableName.ucdp_nonstate).select(ns_first="first", ns_last="last")
    t = t.cross_join(brd).cross_join(ns)
    return t.select(
        *KEYS,
        conflict=t.n_conflicts.notnull().cast("int64"),
        war=t.war.fill_null(0),
        n_conflicts=t.n_conflicts.fill_null(0),
        **{
            f"brd_{kind}": conflict.within(t.year, t.brd_first, t.brd_last, t[f"brd_{kind}"], 0.0)
            for kind in ("best", "low", "high")
        },
        **{name: t[name] for name in conflict.LOCATED_COLUMNS},
        nonstate_conflict=conflict.within(
            t.year, t.ns_first, t.ns_last, (t.nonstate_conflicts > 0).cast("int64"), 0
        ),
    )


def add_history(t: Table) -> Table:
    """Add ``years_since_conflict``, ``onset`` and ``onset_first`` (rules in the module doc)."""
    upto = ibis.window(group_by="gwcode", order_by="year", preceding=None, following=0)
    last_conflict = ibis.cases((t.conflict == 1, t.year), else_=ibis.null("int64")).max().over(upto)
    t = t.mutate(_last=last_conflict)
    t = t.mutate(_prev=t._last.lag().over(group_by="gwcode", order_by="year"))
    in_conflict = t.conflict == 1
    return t.mutate(
        years_since_conflict=t.year - t._last,
        onset=(in_conflict & (t._prev.isnull() | (t.year - t._prev > 2))).cast("int64"),
        onset_first=(in_conflict & t._prev.isnull()).cast("int64"),
    ).drop("_last", "_prev")


def driver_columns() -> list[str]:
    """The panel's driver indicator columns, in mapping order (conflict history excluded)."""
    return [item.column for item in load_mapping() if item.source_table in SOURCE_BUILDERS]


def build_country_year(con: Any) -> Table:
    """``panel_country_year``: keys, conflict columns, then the mapped driver indicators."""
    t = add_history(conflict_measures(con, state_years(con)))
    for source, build in SOURCE_BUILDERS.items():
        t = left_join(t, build(con)) if any(i.source_table == source for i in load_mapping()) else t
    return t.select(*KEYS, *CONFLICT_COLUMNS, *driver_columns()).order_by(list(KEYS))
