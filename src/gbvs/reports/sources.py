"""Loading the data the computed indicators read: store panel, backtest, provenance (I/O).

Returns named frames for :mod:`gbvs.reports.core.builtin` and the provenance every footnote cites.
A missing forecasts file or backtest is not an error: the skill indicator then says so.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from gbvs.catalogues import load_catalogs
from gbvs.config import Settings
from gbvs.errors import GBVSError, NoForecastRunError
from gbvs.forecasting.data import load_panel
from gbvs.forecasting.displacement.ranking import ASYLUM_TARGET
from gbvs.forecasting.displacement.service import UNIT
from gbvs.forecasting.displacement.skill import loss_text
from gbvs.forecasting.displacement.views import latest_backtest
from gbvs.forecasting.domain import UNIT_SPECS, Unit
from gbvs.forecasting.labels import add_demspaces_events
from gbvs.forecasting.queries import backtest_metrics
from gbvs.opinion.aggregate import shipped_aggregates
from gbvs.opinion.estimates import SuppressedGroup
from gbvs.opinion.polls import WAVE, TrendPoint, estimate_question, wave_trend
from gbvs.opinion.questionnaire import Comparability
from gbvs.opinion.reader import read_poll, shipped_definition
from gbvs.reports.core import builtin
from gbvs.reports.core.displacement_indicators import (
    DISPLACEMENT_PANEL,
    DISPLACEMENT_RUNS,
    FORECAST_HORIZON,
    forecast_totals,
)
from gbvs.reports.core.opinion_indicators import POLL_TRENDS, PUBLISHED_POLLS
from gbvs.store import open_store, reads
from gbvs.store.cache import file_version
from gbvs.store.forecasts import ForecastsReader, StoredRun, forecasts_path, open_forecasts
from gbvs.store.tables import TableName

CITED_TABLES: tuple[TableName, ...] = (
    TableName.panel_country_year,
    TableName.ucdp_acd,
    TableName.ucdp_brd,
    TableName.vdem,
    TableName.demspaces_cutpoints,
    # the context chapter's driver monitor and goal 13's displacement indicators
    TableName.polity5,
    TableName.epr_country_year,
    TableName.gapminder,
    TableName.unhcr_asylum_applications,
    TableName.panel_displacement,
)
"""The store tables the shipped computed indicators read (named in their footnotes)."""
TRUST_POLL = ("eb-trust-parliament-nl", "national_parliament", "1")
"""The poll trend read for ``goal8_trust_parliament`` (poll, question, answer)."""


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
        displacement = (
            reads.panel_frame(store, TableName.panel_displacement)
            if store.has_table(TableName.panel_displacement)
            else None
        )
    into.frames[builtin.PANEL] = add_demspaces_events(panel, cutpoints, key="gwcode")
    if displacement is not None:
        into.frames[DISPLACEMENT_PANEL] = displacement
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


def backtest_caveat(forecasts: ForecastsReader, run: StoredRun) -> dict[str, str] | None:
    """The displacement backtest's sentence on asylum applications in the Netherlands at the indicator's
    horizon where a baseline did better (:func:`~gbvs.forecasting.displacement.skill.loss_text`, the
    pages' text), in Dutch and English, from the latest backtest of ``run``'s model version; None where
    the forecasts beat or equal every baseline or no backtest scored that version."""
    try:
        stored = latest_backtest(forecasts, run.model_version)
    except NoForecastRunError:
        return None
    skill = stored.skill
    found = [t for t in skill.targets if (t.target, t.horizon) == (ASYLUM_TARGET, FORECAST_HORIZON)]
    if stored.run.model_version != run.model_version or not found:
        return None
    catalogs = load_catalogs()
    texts = {
        lang: loss_text(found[0], skill.first, skill.last, catalogs[lang].gettext, lang, skill.seeds)
        for lang in ("nl", "en")
    }
    return {lang: text for lang, text in texts.items() if text is not None} or None


def load_displacement_runs(settings: Settings, into: LoadedData) -> None:
    """Every stored displacement forecast run: provenance, the NL asylum totals per forecast year and the
    backtest's caveat on them (:func:`backtest_caveat`)."""
    path = forecasts_path(settings)
    if not path.is_file():
        return
    with open_forecasts(path) as forecasts:
        runs = [
            (run, forecasts.forecast_rows(run.run_id), backtest_caveat(forecasts, run))
            for run in forecasts.runs("forecast", UNIT)
        ]
    into.frames[DISPLACEMENT_RUNS] = [
        {
            "run_id": run.run_id,
            "created_at": str(run.created_at),
            "model_version": run.model_version,
            "training_cutoff": run.training_cutoff,
            "data_vintage": run.data_vintage,
            "totals": forecast_totals(rows),
            "backtest_caveat": caveat,
        }
        for run, rows, caveat in runs
    ]


def load_polls(settings: Settings, into: LoadedData) -> None:
    """The published polls GBVS ships, and the trust-in-parliament trend when its file is in the mirror."""
    into.frames[PUBLISHED_POLLS] = [
        {
            "id": poll.id,
            "fieldwork": poll.fieldwork,
            "sample_kind": str(poll.sample_kind),
            "caveat": {"nl": poll.caveat_nl, "en": poll.caveat_en},
            "source": poll.source,
            "results": [{"id": r.id, "percent": r.percent, "n": r.n} for r in poll.results],
        }
        for poll in shipped_aggregates()
    ]
    poll_id, question, answer = TRUST_POLL
    definition = shipped_definition(poll_id)
    try:
        data = read_poll(definition, settings.mirror)
    except GBVSError:
        return  # the file is not in the mirror: the indicator says "source not available"
    result = estimate_question(data, question, by=WAVE)
    into.frames[POLL_TRENDS] = {
        f"{poll_id}:{question}:{answer}": [
            {
                **_wave_row(point),
                "poll": poll_id,
                "sample_kind": str(definition.sample_kind),
                "source": definition.citation,
                "sha256": definition.sha256,
            }
            for point in wave_trend(result, answer).points
        ]
        + [
            {
                **suppressed_wave_row(group),
                "poll": poll_id,
                "sample_kind": str(definition.sample_kind),
                "source": definition.citation,
                "sha256": definition.sha256,
            }
            for group in result.suppressed
        ]
    }


def suppressed_wave_row(group: SuppressedGroup) -> dict[str, Any]:
    """A wave not estimated because its base is under the minimum: recorded with its base, so the
    report says why it has no figure (as the pages do) instead of "no poll"."""
    return {"year": int(group.group), "percent": None, "n": group.base, "suppressed": True}


def _wave_row(point: TrendPoint) -> dict[str, Any]:
    """One wave of a poll trend as the report records it: its share with interval and base, and
    whether it is comparable with the other waves as the poll definition says (with the definition's
    reason, in Dutch and English, when it is not or not known to be)."""
    e = point.estimate
    row: dict[str, Any] = {
        "year": int(e.group),
        "percent": 100 * e.share,
        "lower": 100 * e.lower,
        "upper": 100 * e.upper,
        "n": e.base,  # the wave's respondents in the base (don't know excluded)
        "count": e.count,  # those of them who trust parliament
        "comparability": point.comparable.value,
    }
    if point.comparable is not Comparability.comparable:
        row["comparability_reason"] = {"nl": point.wording.reason("nl"), "en": point.wording.reason("en")}
    return row


def data_version(settings: Settings) -> tuple[object, ...]:
    """What :func:`load_data` depends on: the versions of the store and forecasts files
    (:func:`gbvs.store.cache.file_version`) and the mirror folder. ``gbvs ingest`` and ``gbvs forecast``
    replace the files, so the version changes."""
    files = (settings.resolved_store_path, forecasts_path(settings))
    return (*((str(path), file_version(path)) for path in files), str(settings.mirror))


def copy_of(data: LoadedData) -> LoadedData:
    """A copy a build may add frames to without changing ``data`` (the frames themselves are shared)."""
    return LoadedData(
        frames=dict(data.frames),
        sources=list(data.sources),
        backtest_run=data.backtest_run,
        backtest_goals=list(data.backtest_goals),
    )


class DataCache:
    """The loaded data of the newest version, kept between builds of open periods (the web's report
    pages and API build an open period on every request)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: tuple[tuple[object, ...], LoadedData] | None = None

    def get(self, settings: Settings) -> LoadedData:
        """A copy of the data for the current version of the inputs (loaded when the version changed)."""
        version = data_version(settings)
        with self._lock:
            if self._kept is None or self._kept[0] != version:
                self._kept = (version, load_data(settings))
            return copy_of(self._kept[1])


DATA_CACHE = DataCache()
"""The process's cache of loaded report data (see :class:`DataCache`)."""


def load_data(settings: Settings) -> LoadedData:
    """Everything the computed indicators read from the store, the forecasts file and the polls."""
    loaded = LoadedData()
    load_store_data(settings.resolved_store_path, loaded)
    load_backtest(settings, loaded)
    load_displacement_runs(settings, loaded)
    load_polls(settings, loaded)
    return loaded
