"""Where a panel column's values come from: the source tables behind it, and the GBVS table that
computes them when they are not the source's own values.

A driver indicator names one store table (``source_table`` in :mod:`gbvs.drivers`). When that table is
itself derived by GBVS (``epr_country_year``, from EPR's group periods), the figures must cite the
dataset it is derived from (EPR Core 2021), not GBVS's table: :func:`origin_tables` follows the
registry's inputs down to the source tables, and :func:`deriving_table` says which GBVS table computed
the values, so a page can add "derived by GBVS".
"""

from __future__ import annotations

from gbvs.drivers.mapping import Indicator
from gbvs.panels.registry import DERIVED_TABLES
from gbvs.store.tables import TableName


def _derived() -> dict[str, tuple[str, ...]]:
    return {d.name: (*d.depends_on, *d.uses_when_present) for d in DERIVED_TABLES}


def origin_tables(table: str) -> tuple[str, ...]:
    """The source tables behind ``table``: the table itself for a source's table; for a table GBVS
    derives (:data:`gbvs.panels.registry.DERIVED_TABLES`), its inputs' origins, in order, each once."""
    inputs = _derived().get(table)
    if inputs is None:
        return (table,)
    found: list[str] = []
    for name in inputs:
        found += [origin for origin in origin_tables(name) if origin not in found]
    return tuple(found)


def deriving_table(indicator: Indicator) -> str | None:
    """The GBVS table that computes the indicator's values from its source, or None when the panel holds
    the source's value as published.

    That is the indicator's source table when GBVS derives it (EPR's shares in ``epr_country_year``), or
    the country-year panel when the panel computes the column from another source column (``conflict``
    from UCDP's conflict locations, ``brd_best`` summed over dyads, ``polity_factional`` from Polity's
    ``parcomp``): a column named after its source column (``gm_<column>``, ``vdem_<column>``) is copied.
    """
    if indicator.source_table in _derived():
        return indicator.source_table
    if not indicator.column.endswith(indicator.source_column):
        return TableName.panel_country_year
    return None
