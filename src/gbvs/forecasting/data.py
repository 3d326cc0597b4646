"""Inputs of the forecasting engine, read from the analytical store that `gbvs ingest` builds.

The caller opens the store once (read-only, through ``gbvs.store``, the only code that knows it is
DuckDB) and passes it in; the store's named reads (:mod:`gbvs.store.reads`) return frames. The
panel is read whole into pandas, since feature engineering is model-side. Panels are then adapted
to the engine's column contract by :func:`prepare_panel` (pure).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from gbvs.countries import continent_members, iso3_to_gwcode
from gbvs.errors import StoreError
from gbvs.forecasting.domain import DEMSPACES_INDICES, Unit, UnitSpec
from gbvs.forecasting.engine import with_period
from gbvs.forecasting.neighbours import country_neighbours, grid_neighbours, parse_geometry
from gbvs.store import Store, reads
from gbvs.store.tables import TableName

MONTHLY_CONFLICT_THRESHOLD = 1.0
"""Monthly units: a unit-month "has conflict" with at least one state-based death (GED ``sb``),
as ViEWS codes its monthly targets; 25 deaths is a yearly threshold."""


@dataclass(frozen=True)
class Provenance:
    """Where the inputs came from: store tables with source version and vintage."""

    tables: dict[str, dict[str, str]]

    @property
    def vintage(self) -> str:
        """One string naming the data vintage of the inputs (sorted table=version@vintage)."""
        parts = [
            f"{name}={info.get('version', '?')}@{info.get('vintage', '?')}"
            for name, info in self.tables.items()
        ]
        return "; ".join(sorted(parts)) or "unknown"


@dataclass(frozen=True)
class VintagePart:
    """One input table of a data vintage: its source version and the last year it covers."""

    table: str
    version: str
    vintage: str


def vintage_parts(vintage: str) -> list[VintagePart]:
    """The parts of a :attr:`Provenance.vintage` string; ``[]`` for a string in another form
    (a run stored by another version, or "unknown"), which a reader then shows as it is."""
    parts = []
    for piece in vintage.split("; "):
        table, equals, rest = piece.partition("=")
        version, at, year = rest.rpartition("@")
        if not (equals and at and table.isidentifier()):
            return []
        parts.append(VintagePart(table, version, year))
    return parts


PANELS: dict[Unit, TableName] = {
    Unit.country_year: TableName.panel_country_year,
    Unit.country_month: TableName.panel_country_month,
    Unit.grid_month: TableName.panel_priogrid_month,
}
"""The store panel each unit of analysis is forecast from."""


def provenance(store: Store, spec: UnitSpec) -> Provenance:
    """Source, version and vintage of the store tables a forecast for ``spec`` is made from."""
    sources = reads.EVENT_SOURCES if spec.monthly else reads.COUNTRY_YEAR_SOURCES
    records = reads.provenance_of(store, (PANELS[spec.unit], *sources))
    keep = ("source_id", "version", "vintage", "ingested_at", "sha256")
    return Provenance({r.table_name: {k: str(getattr(r, k)) for k in keep} for r in records})


def prepare_panel(raw: pd.DataFrame, spec: UnitSpec) -> pd.DataFrame:
    """Adapt a store panel to the engine: canonical V-Dem names, monthly conflict columns, ``period``."""
    panel = raw.rename(columns={f"vdem_{i}": i for i in DEMSPACES_INDICES if f"vdem_{i}" in raw.columns})
    if spec.monthly and "conflict" not in panel.columns and "ged_sb_best" in panel.columns:
        panel = panel.assign(
            conflict=(panel["ged_sb_best"] >= MONTHLY_CONFLICT_THRESHOLD).astype(int),
            brd_best=panel["ged_sb_best"].astype(float),
        )
    if "conflict" not in panel.columns:
        raise StoreError(
            f"panel {str(PANELS[spec.unit])!r} has no 'conflict' column (nor 'ged_sb_best'); "
            "re-run `gbvs ingest` with the current panels"
        )
    return with_period(panel, spec)


def load_panel(store: Store, spec: UnitSpec) -> pd.DataFrame:
    """The panel of ``spec`` from the store, prepared for the engine (country-year: with the wide panel)."""
    raw = reads.panel_frame(store, PANELS[spec.unit])
    if spec.unit is Unit.country_year and store.has_table(TableName.panel_country_year_wide):
        raw = join_wide(raw, reads.panel_frame(store, TableName.panel_country_year_wide))
    return prepare_panel(raw, spec)


def join_wide(panel: pd.DataFrame, wide: pd.DataFrame) -> pd.DataFrame:
    """The country-year panel with the wide panel's columns (V-Dem v14, covariates; issue 11) on its keys."""
    keys = ["gwcode", "year"]
    extra = [c for c in wide.columns if c not in panel.columns]
    return panel.merge(wide[keys + extra], on=keys, how="left", validate="one_to_one")


def load_country_neighbours(store: Store) -> dict[int, tuple[int, ...]] | None:
    """gwcode neighbours from ``ne_admin0`` (codes from gbvs.countries); None when the table is absent."""
    shapes = reads.country_shapes(store)
    return None if shapes is None else country_neighbours_from(shapes)


def country_neighbours_from(shapes: pd.DataFrame) -> dict[int, tuple[int, ...]]:
    """Neighbours from Natural Earth rows (geometry and ISO3), Gleditsch-Ward codes from gbvs.countries."""
    to_gw = iso3_to_gwcode()
    geo_col = next(c for c in shapes.columns if c in ("geometry", "geom", "wkt", "wkb"))
    iso_col = next(c for c in ("iso3", "iso_a3_eh", "adm0_a3") if c in shapes.columns)
    iso = shapes[iso_col]
    geometries = [parse_geometry(g) for g in shapes[geo_col]]
    return country_neighbours(geometries, [to_gw.get(str(i)) for i in iso])


def neighbours_for(store: Store, spec: UnitSpec, panel: pd.DataFrame) -> dict[int, tuple[int, ...]] | None:
    """Neighbour map for the unit: country borders, or adjacent grid cells for grid-month."""
    if spec.key == "priogrid_gid":
        return grid_neighbours(panel["priogrid_gid"].unique())
    return load_country_neighbours(store)


def continents() -> dict[str, frozenset[int]]:
    """gwcodes per continent (``continent:<name>``), from gbvs.countries."""
    return {f"continent:{name}": members for name, members in continent_members().items()}
