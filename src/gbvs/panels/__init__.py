"""Panels built from the raw source tables: country-year, country-month, PRIO-GRID-month.

The builders read the tables the ingest hands them; code that reads the built panels for the CLI or
the web uses the store's named reads (:mod:`gbvs.store.reads_panel`), not these builders' helpers.
"""
