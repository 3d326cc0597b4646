"""Inputs of the forecasting engine, read from the analytical store that `gbvs ingest` builds.

The store is opened read-only through ``gbvs.store`` (the only code that knows it is DuckDB); the
panel is read whole into pandas, since feature engineering is model-side. Panels are then adapted
to the engine's column contract by :func:`prepare_panel` (pure).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from gbvs.config import Settings
from gbvs.countries import continent_members, iso3_to_gwcode
from gbvs.errors import StoreError, StoreNotBuiltError
from gbvs.forecasting.domain import DEMSPACES_INDICES, UnitSpec
from gbvs.forecasting.engine import with_period
from gbvs.forecasting.neighbours import country_neighbours, grid_neighbours, parse_geometry
from gbvs.store import open_store

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


def read_table(settings: Settings, name: str) -> pd.DataFrame:
    """The whole store table ``name`` as a DataFrame (StoreNotBuiltError / NotFoundError with the fix)."""
    with open_store(settings.resolved_store_path) as store:
        return pd.DataFrame(store.table(name).to_pandas())


def table_exists(settings: Settings, name: str) -> bool:
    """Whether the store has table ``name``."""
    with open_store(settings.resolved_store_path) as store:
        return store.has_table(name)


def provenance(settings: Settings, names: tuple[str, ...]) -> Provenance:
    """Source, version and vintage of the store tables ``names`` (from the store's provenance records)."""
    with open_store(settings.resolved_store_path) as store:
        records = [r for r in store.provenance() if r.table_name in names]
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
            f"panel {spec.store_table!r} has no 'conflict' column (nor 'ged_sb_best'); re-run `gbvs ingest` "
            "with the current panels"
        )
    return with_period(panel, spec)


def load_panel(settings: Settings, spec: UnitSpec) -> pd.DataFrame:
    """The panel of ``spec`` from the store, prepared for the engine."""
    if not table_exists(settings, spec.store_table):
        raise StoreNotBuiltError(
            f"the store has no table {spec.store_table!r}; run `gbvs ingest` to build the panels"
        )
    return prepare_panel(read_table(settings, spec.store_table), spec)


def load_cutpoints(settings: Settings) -> dict[str, float]:
    """DemSpaces cutpoints per V-Dem index (column ``up``; ``down`` is identical in v14)."""
    rows = read_table(settings, "demspaces_cutpoints")
    return {str(r["indicator"]): float(r["up"]) for _, r in rows.iterrows()}


def load_demspaces_forecasts(settings: Settings) -> pd.DataFrame:
    """DemSpaces v14 published forecasts (outcome, from_year, gwcode, p_up, p_same, p_down)."""
    return read_table(settings, "demspaces_forecasts")


def load_country_neighbours(settings: Settings) -> dict[int, tuple[int, ...]] | None:
    """gwcode neighbours from ``ne_admin0`` (codes from gbvs.countries); None when the table is absent."""
    if not table_exists(settings, "ne_admin0"):
        return None
    return country_neighbours_from(read_table(settings, "ne_admin0"))


def country_neighbours_from(shapes: pd.DataFrame) -> dict[int, tuple[int, ...]]:
    """Neighbours from Natural Earth rows (geometry and ISO3), Gleditsch-Ward codes from gbvs.countries."""
    to_gw = iso3_to_gwcode()
    geo_col = next(c for c in shapes.columns if c in ("geometry", "geom", "wkt", "wkb"))
    iso_col = next(c for c in ("iso3", "iso_a3_eh", "adm0_a3") if c in shapes.columns)
    iso = shapes[iso_col]
    geometries = [parse_geometry(g) for g in shapes[geo_col]]
    return country_neighbours(geometries, [to_gw.get(str(i)) for i in iso])


def neighbours_for(
    settings: Settings, spec: UnitSpec, panel: pd.DataFrame
) -> dict[int, tuple[int, ...]] | None:
    """Neighbour map for the unit: country borders, or adjacent grid cells for grid-month."""
    if spec.key == "priogrid_gid":
        return grid_neighbours(panel["priogrid_gid"].unique())
    return load_country_neighbours(settings)


def continents() -> dict[str, frozenset[int]]:
    """gwcodes per continent (``continent:<name>``), from gbvs.countries."""
    return {f"continent:{name}": members for name, members in continent_members().items()}
