"""Panels built from the raw source tables: country-year, country-month, PRIO-GRID-month."""

from gbvs.panels._common import read_table

__all__ = ["read_table"]
