"""Derived tables (panels, features) that `gbvs ingest` materialises after the raw source tables.

The contract between the ingest pipeline (``gbvs.ingest``) and the panel code (``gbvs.panels``):
each ``DerivedTable`` names its output table, the store tables it reads, and a ``build`` function
that returns an Ibis expression over a backend connection. Ingest materialises them in list order
inside the new store file, so a failure leaves the previous store untouched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from gbvs.store.tables import TableName

BuildFn = Callable[[Any], Any]  # (ibis backend) -> ibis.Table


@dataclass(frozen=True)
class DerivedTable:
    """A table computed from other store tables with an Ibis expression."""

    name: str
    description: str
    depends_on: tuple[str, ...]
    build: BuildFn
    uses_when_present: tuple[str, ...] = ()
    """Input tables the build reads when the store has them (and leaves their columns empty otherwise)."""


def _epr(con: Any) -> Any:
    from gbvs.panels.epr import build_epr_country_year

    return build_epr_country_year(con)


def _country_year(con: Any) -> Any:
    from gbvs.panels.country_year import build_country_year

    return build_country_year(con)


def _country_year_wide(con: Any) -> Any:
    from gbvs.panels.country_year_wide import build_country_year_wide

    return build_country_year_wide(con)


def _country_month(con: Any) -> Any:
    from gbvs.panels.events import build_country_month

    return build_country_month(con)


def _priogrid_month(con: Any) -> Any:
    from gbvs.panels.events import build_priogrid_month

    return build_priogrid_month(con)


def _displacement(con: Any) -> Any:
    from gbvs.panels.displacement import build_displacement

    return build_displacement(con)


DERIVED_TABLES: list[DerivedTable] = [
    DerivedTable(
        name=TableName.epr_country_year,
        description="EPR ethnic exclusion per Gleditsch-Ward state-year (excluded/discriminated shares).",
        depends_on=(TableName.epr,),
        build=_epr,
    ),
    DerivedTable(
        name=TableName.panel_country_year,
        description="Gleditsch-Ward state-years 1946-: UCDP conflict history and driver indicators.",
        depends_on=(
            TableName.gw_states,
            TableName.ucdp_acd,
            TableName.ucdp_brd,
            TableName.ucdp_nonstate,
            TableName.vdem,
            TableName.polity5,
            TableName.gapminder,
            TableName.epr_country_year,
        ),
        build=_country_year,
        uses_when_present=(TableName.ucdp_acd_locations, TableName.poldat_country_year),
    ),
    DerivedTable(  # issue 11
        name=TableName.panel_country_year_wide,
        description="The country-year panel's keys with V-Dem v14 indicators, covariates, coups, state age.",
        depends_on=(
            TableName.panel_country_year,
            TableName.vdem_v14,
            TableName.poldat_country_year,
            TableName.ptcoups,
            TableName.ds_population,
            TableName.gw_state_age,
        ),
        build=_country_year_wide,
    ),
    DerivedTable(
        name=TableName.panel_country_month,
        description="Country-months from UCDP GED events: fatalities and events by type of violence.",
        depends_on=(TableName.ucdp_ged,),
        build=_country_month,
    ),
    DerivedTable(
        name=TableName.panel_priogrid_month,
        description="PRIO-GRID cell-months from UCDP GED events: fatalities and events by type.",
        depends_on=(TableName.ucdp_ged,),
        build=_priogrid_month,
    ),
    # forced displacement (issue 17)
    DerivedTable(
        name=TableName.panel_displacement,
        description="Forced displacement per Gleditsch-Ward origin-year from 1951 (UNHCR).",
        depends_on=(
            TableName.panel_country_year,
            TableName.unhcr_population,
            TableName.unhcr_flows,
            TableName.unhcr_idmc,
            TableName.unhcr_asylum_applications,
            TableName.unhcr_countries,
        ),
        build=_displacement,
    ),
]
"""Materialised in this order."""
