"""Every source GBVS ingests, declared in one place, in ingest order (dependencies first).

To add a dataset: write a module with a :class:`~gbvs.sources.base.Source` and add it here.
"""

from __future__ import annotations

from gbvs.errors import NotFoundError, said
from gbvs.sources import (
    codes,
    covariates,
    demspaces,
    epr,
    gapminder,
    naturalearth,
    polity,
    ucdp,
    unhcr,
    vdem,
    vdem_wide,
)
from gbvs.sources.base import Source

SOURCES: tuple[Source, ...] = (
    ucdp.ACD_SOURCE,
    ucdp.BRD_SOURCE,
    ucdp.NONSTATE_SOURCE,
    ucdp.GED_SOURCE,
    ucdp.CANDIDATE_SOURCE,
    vdem.SOURCE,
    polity.SOURCE,
    epr.SOURCE,
    gapminder.SOURCE,
    codes.SOURCE,
    codes.GW_SOURCE,
    naturalearth.SOURCE,
    demspaces.SOURCE,
    unhcr.SOURCE,  # forced displacement (issue 17)
    # early warning, second step (issue 11)
    vdem_wide.SOURCE,
    covariates.SOURCE,
)


def source_ids() -> tuple[str, ...]:
    """Ids of all registered sources, in ingest order."""
    return tuple(source.id for source in SOURCES)


def get_source(source_id: str) -> Source:
    """The source called ``source_id``; NotFoundError lists the valid ids."""
    for source in SOURCES:
        if source.id == source_id:
            return source
    raise NotFoundError(
        said(
            "unknown source %(source)s; choose one of: %(sources)s (`gbvs sources` lists them)",
            source=repr(source_id),
            sources=", ".join(source_ids()),
        )
    )


def table_owner(table: str) -> Source:
    """The source that writes store table ``table``."""
    for source in SOURCES:
        if table in source.table_names:
            return source
    raise NotFoundError(f"no source writes table {table!r}")
