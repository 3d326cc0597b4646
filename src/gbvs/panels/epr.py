"""EPR group-periods -> ``epr_country_year``: political exclusion of ethnic groups per (gwcode, year).

Each EPR row is one group in one state over a period ``from..to`` (inclusive). It is spread over its
years, then summed per state-year. Excluded = status POWERLESS, DISCRIMINATED or SELF-EXCLUSION;
``size`` is the group's share of the population (0-1). A state-year in which a group has status STATE
COLLAPSE (no central power to be excluded from: Somalia 1991-2004, Liberia 1990-1996, Afghanistan
1993-1996, Lebanon 1976-1991, Sierra Leone, Chad 1979) has no exclusion measures: they stay empty, not 0.
"""

from __future__ import annotations

from typing import Any

import ibis
from ibis.expr.types import Table

from gbvs.panels._common import as_float, as_int, read_table, year_range
from gbvs.store.tables import TableName

EXCLUDED_STATUSES: tuple[str, ...] = ("POWERLESS", "DISCRIMINATED", "SELF-EXCLUSION")
STATE_COLLAPSE = "STATE COLLAPSE"
SHARE_DECIMALS = 6
"""Population shares are rounded after summing: a parallel engine adds a state's groups in any order,
and float sums in another order differ in the last bit (0.297 vs 0.29699999999999993), which made two
ingests of the same mirror differ and moved forecasts slightly. EPR gives sizes to 3-4 decimals."""


def epr_group_years(con: Any) -> Table:
    """``(gwcode, year, groupid, size, status)``: one row per group-year (overlapping periods kept once)."""
    epr = read_table(con, TableName.epr)
    rows = epr.select(
        gwcode=as_int(epr.gwid),
        year=year_range(as_int(epr["from"]), as_int(epr["to"])),
        groupid=as_int(epr.groupid),
        size=as_float(epr["size"]),
        status=epr.status.cast("string").strip().upper(),
    )
    rank = ibis.row_number().over(group_by=[rows.gwcode, rows.year, rows.groupid], order_by=rows.status)
    return rows.mutate(_rank=rank).filter(lambda t: t._rank == 0).drop("_rank")


def build_epr_country_year(con: Any) -> Table:
    """``epr_country_year``: excluded and discriminated population shares and group counts (empty in a
    year of state collapse, see the module doc)."""
    g = epr_group_years(con)
    excluded = g.status.isin(EXCLUDED_STATUSES)
    discriminated = g.status == "DISCRIMINATED"
    collapsed = (g.status == STATE_COLLAPSE).cast("int64").max() == 1

    def unless_collapsed(value: Any) -> Any:
        return ibis.cases((collapsed, ibis.null(value.type())), else_=value)

    return g.group_by(["gwcode", "year"]).aggregate(
        excluded_share=unless_collapsed(g["size"].sum(where=excluded).fill_null(0.0).round(SHARE_DECIMALS)),
        discriminated_share=unless_collapsed(
            g["size"].sum(where=discriminated).fill_null(0.0).round(SHARE_DECIMALS)
        ),
        n_excluded_groups=unless_collapsed(excluded.cast("int64").sum()),
        n_groups=g.groupid.nunique(),
    )
