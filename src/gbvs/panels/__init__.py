"""Panels built from the raw source tables: country-year, country-month, PRIO-GRID-month."""
