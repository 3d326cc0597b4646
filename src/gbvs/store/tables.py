"""Every table GBVS stores, named once: the analytical store's tables and the forecasts file's tables.

Code outside :mod:`gbvs.store` refers to a table only through these members (they are strings, so
they can be passed wherever a table name is expected). This module has no imports beyond the
standard library, so source plugins and panel builders can use it without opening anything.
"""

from __future__ import annotations

from enum import StrEnum


class TableName(StrEnum):
    """Tables of the analytical store (``store.duckdb``), written only by ``gbvs ingest``."""

    # raw tables, one or more per source plugin (gbvs.sources)
    ucdp_acd = "ucdp_acd"
    ucdp_acd_locations = "ucdp_acd_locations"
    ucdp_brd = "ucdp_brd"
    ucdp_nonstate = "ucdp_nonstate"
    ucdp_ged = "ucdp_ged"
    ucdp_ged_candidate = "ucdp_ged_candidate"
    vdem = "vdem"
    polity5 = "polity5"
    epr = "epr"
    gapminder = "gapminder"
    gapminder_concepts = "gapminder_concepts"
    gapminder_geo = "gapminder_geo"
    country_codes = "country_codes"
    gw_states = "gw_states"
    ne_admin0 = "ne_admin0"
    demspaces_forecasts = "demspaces_forecasts"
    demspaces_cutpoints = "demspaces_cutpoints"
    demspaces_scores = "demspaces_scores"
    # forced displacement (issue 17, gbvs.sources.unhcr)
    unhcr_population = "unhcr_population"
    unhcr_flows = "unhcr_flows"
    unhcr_asylum_applications = "unhcr_asylum_applications"
    unhcr_idmc = "unhcr_idmc"
    unhcr_countries = "unhcr_countries"
    # early warning, second step (issue 11): V-Dem v14 indicators and country-year covariates
    vdem_v14 = "vdem_v14"
    poldat_country_year = "poldat_country_year"
    ptcoups = "ptcoups"
    ds_population = "ds_population"
    gw_state_age = "gw_state_age"
    # derived tables (gbvs.panels.registry)
    epr_country_year = "epr_country_year"
    panel_country_year = "panel_country_year"
    panel_country_month = "panel_country_month"
    panel_priogrid_month = "panel_priogrid_month"
    panel_displacement = "panel_displacement"  # forced displacement (issue 17)
    panel_country_year_wide = "panel_country_year_wide"  # issue 11
    # bookkeeping
    provenance = "_gbvs_tables"
    layout = "_gbvs_store_layout"


class ForecastTable(StrEnum):
    """Tables of the forecasts file (``forecasts.duckdb``), written by ``gbvs forecast`` / ``backtest``."""

    runs = "runs"
    forecasts = "forecasts"
    backtest_reports = "backtest_reports"
    schema_version = "_gbvs_schema_version"
