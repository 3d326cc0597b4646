"""Loading the data the computed indicators read: store panel, backtest, provenance (I/O).

Returns named frames for :mod:`gbvs.reports.core.builtin` and the provenance every footnote cites.
A missing forecasts file or backtest is not an error: the skill indicator then says so.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from gbvs.config import Settings
from gbvs.errors import NoForecastRunError
from gbvs.forecasting.data import load_panel
from gbvs.forecasting.domain import UNIT_SPECS, Unit
from gbvs.forecasting.labels import add_demspaces_events
from gbvs.forecasting.queries import backtest_metrics
from gbvs.reports.core import builtin
from gbvs.store import open_store, reads
from gbvs.store.forecasts import forecasts_path, open_forecasts
from gbvs.store.tables import TableName

CITED_TABLES: tuple[TableName, ...] = (
    TableName.panel_country_year,
    TableName.ucdp_acd,
    TableName.ucdp_brd,
    TableName.vdem,
    TableName.demspaces_cutpoints,
)
"""The store tables the shipped computed indicators read (named in their footnotes)."""


@dataclass
class LoadedData:
    """Named frames for the indicator definitions, and where they came from."""

    frames: dict[str, Any] = field(default_factory=dict)
    sources: list[dict[str, Any]] = field(default_factory=list)
    backtest_run: dict[str, Any] | None = None
    backtest_goals: list[dict[str, Any]] = field(default_factory=list)


def load_store_data(store_path: Path, into: LoadedData) -> None:
    """The country-year panel with DemSpaces closing events, and the cited tables' provenance."""
    with open_store(store_path) as store:
        panel = load_panel(store, UNIT_SPECS[Unit.country_year])
        cutpoints = reads.demspaces_cutpoints(store)
        records = reads.provenance_of(store, CITED_TABLES)
    into.frames[builtin.PANEL] = add_demspaces_events(panel, cutpoints, key="gwcode")
    into.sources = [
        {
            "table": r.table_name,
            "source_id": r.source_id,
            "title": r.title,
            "version": r.version,
            "vintage": r.vintage,
            "sha256": r.sha256,
            "citation": r.citation,
        }
        for r in records
    ]


def load_backtest(settings: Settings, into: LoadedData) -> None:
    """The latest country-year backtest (its scores and the run's model version and cutoff), if any."""
    path = forecasts_path(settings)
    if not path.is_file():
        return
    try:
        with open_forecasts(path) as forecasts:
            report = backtest_metrics(forecasts, unit=str(Unit.country_year))
    except NoForecastRunError:
        return
    into.frames[builtin.BACKTEST] = report.as_dict()
    run = asdict(report.run)
    into.backtest_run = {key: None if value is None else str(value) for key, value in run.items()}
    into.backtest_goals = [
        {"goal": g.get("goal"), "value": g.get("value"), "target": g.get("target"), "met": g.get("met")}
        for g in report.goals
    ]


def load_data(settings: Settings) -> LoadedData:
    """Everything the computed indicators read from the store and the forecasts file."""
    loaded = LoadedData()
    load_store_data(settings.resolved_store_path, loaded)
    load_backtest(settings, loaded)
    return loaded
