"""The I/O edge of forecasting: read the store, run backtest / live forecast, write report and forecasts file.

Orchestration only. What to run is decided by :mod:`gbvs.forecasting.planning`, the report's
text by :mod:`gbvs.forecasting.report`, and the reading and writing of files by :mod:`gbvs.store`
(opened once per run). The CLI and the web app call these; the modules they call are pure.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from gbvs import __version__
from gbvs.config import Settings
from gbvs.errors import InputError
from gbvs.forecasting import data, planning
from gbvs.forecasting.backtest import Steps, main_model_forecasts, run_backtests
from gbvs.forecasting.domain import Unit, UnitSpec, parse_unit
from gbvs.forecasting.engine import OriginFrame
from gbvs.forecasting.evaluation import (
    backtest_intervals,
    demspaces_comparison,
    demspaces_rows,
    over_seeds,
    pit_histograms,
    reliability_curves,
    score_table,
    space_reliability,
    with_seed_mean,
)
from gbvs.forecasting.features import VDEM_WIDE_PREFIX
from gbvs.forecasting.live import forecast_target
from gbvs.forecasting.modelcard import model_card
from gbvs.forecasting.regions import region_members
from gbvs.forecasting.report import ReportInput, RunFacts, backtest_notes, grid_month_section, write_report
from gbvs.forecasting.specific import FAMILIES_KEY, families_fingerprint
from gbvs.store import Store, open_store, reads
from gbvs.store.forecasts import StoredRun, forecasts_path, writing_forecasts

Progress = Callable[[str], None]
MODEL_VERSION = f"gbvs-{__version__}/lgbm-calibrated-v3.15"
"""v3.1: battle deaths as a hurdle (issue 11 point 4); v3.2: the conflict models screen their features
(issue 11 point 3) and the democratic-space targets' bound rule (``models/bounds.py``, point 2); v3.3:
the battle-death hurdle's spread and share of persistence are chosen on the inner window
(``engine.COUNT_CALIBRATIONS``); v3.4: the democratic-space models screen their features too
(``engine.DEMSPACES_SCREEN``) and the screen is the same for every seed; v3.5: so are the choices made
on the inner window (candidate, trees, calibrator, the hurdle's size trees and shifts and its calibration,
``models/memory.py``): the seeds differ only in the refit on all rows; v3.6: the democratic-space
classifier samples neither rows nor columns (``engine.DEMSPACES_SAMPLING``), so its seeds are one model;
v3.7: the battle-death calibration is the lowest-CRPS one whose inner-window PIT coverage is in the
goal's ranges, with shares of persistence in eighths (``engine.COUNT_COVERAGE``); v3.8: one
democratic-space model per direction, trained on the six spaces' rows (``forecasting/pooling.py``);
v3.9: the country-year incidence and war classifiers publish LightGBM's own probabilities, without
Platt scaling (``engine.CONFLICT_CALIBRATION``); v3.10: the democratic-space classifier's second
candidate has larger trees (``engine.WIDER``) instead of smaller ones; v3.11: each row of the pooled
democratic-space model also sees a summary of its own space's V-Dem indicators (``pooling.own_parts``);
v3.12: the country-year incidence and war models publish the mean of two boosters' probabilities (the
defaults and ``engine.REGULARISED``) instead of choosing one on the inner window (``engine.main_classifier``,
``models/mean.py``); v3.13: the same features, in another order: the battle deaths where the fighting
happened (``brd_located_*``) are columns of ``panel_country_year`` instead of the wide panel, and LightGBM's
column sampling sees the features in the panel's order; v3.14: nine more V-Dem v14 variables that studies of
conflict onset use (political violence, polarisation, mobilisation, electoral violence, election years,
group equality in civil liberties; ``sources.vdem_wide.ONSET_KEPT``, after every v3.13 column), chosen on
inner windows (``benchmarks/diag_onset_vdem.py``); v3.15: the same model on panels that no longer put 0 or
another state's values where data are missing (located battle deaths only for state-years with today's
borders, Gapminder's historical countries in their own years, Polity's no-regime codes and EPR's state
collapse empty)."""
LIVE_SEEDS = planning.LIVE_SEEDS


@dataclass(frozen=True)
class Goal:
    """One goal of the issue with the main model's figure and whether it is met; from a full backtest
    also the figure's 95% interval (of the difference to the baseline where ``interval_of`` says so) and
    where it lies (``sampling``: met, missed, undecided; :mod:`gbvs.forecasting.goals`), and what the
    verdict rests on most (``rests_on``: :func:`gbvs.forecasting.goals.rests_on`)."""

    goal: str
    value: float
    target: str
    met: bool
    interval_of: str | None = None
    low: float | None = None
    high: float | None = None
    sampling: str | None = None
    rests_on: list[dict[str, Any]] = field(default_factory=list)
    baseline: str | None = None
    """For a goal against a baseline: the baseline model, its figure and main model − baseline."""
    baseline_value: float | None = None
    difference: float | None = None


@dataclass(frozen=True)
class BacktestSummary:
    """What a backtest wrote: its report folder, the goals, time per stage, provenance, the report JSON."""

    report_dir: Path
    goals: list[Goal]
    timings: dict[str, float]
    provenance: dict[str, Any]
    report: dict[str, Any]
    comparisons: list[Goal] = field(default_factory=list)
    """Point 3's threshold goals as paired comparisons with the conflict-history baseline (full runs)."""


@dataclass(frozen=True)
class ForecastSummary:
    """A stored live forecast run: its id, training cutoff, size and provenance."""

    run_id: str
    training_cutoff: int
    rows: int
    model_version: str
    data_vintage: str
    seed: int
    seeds: list[int]


def driver_families() -> dict[str, str]:
    """Panel column -> driver family: the shipped driver mapping's columns (``gbvs.drivers``), the engine's
    names of its V-Dem space columns (without ``vdem_``), and every V-Dem v14 column of the wide panel
    under the driver it measures (:func:`gbvs.drivers.vdem_v14.vdem_v14_drivers`; their 1- and 3-year
    changes follow them, :func:`gbvs.forecasting.features.feature_families`). The one mapping the
    explanations use; it changes no model output."""
    from gbvs.drivers import load_mapping
    from gbvs.drivers.vdem_v14 import vdem_v14_drivers

    mapping: dict[str, str] = {item.column: str(item.driver) for item in load_mapping()}
    mapping.update({c.removeprefix("vdem_"): d for c, d in list(mapping.items()) if c.startswith("vdem_")})
    mapping.update({f"{VDEM_WIDE_PREFIX}{name}": d for name, d in vdem_v14_drivers().items()})
    return mapping


@dataclass
class Inputs:
    """Panel and side data for one unit, read from the store in one go."""

    spec: UnitSpec
    panel: pd.DataFrame
    cutpoints: dict[str, float] | None
    neighbours: dict[int, tuple[int, ...]] | None
    provenance: data.Provenance
    continents: dict[str, frozenset[int]]
    published: pd.DataFrame
    """DemSpaces' own published forecasts (empty unless DemSpaces targets run)."""


def load_inputs(store: Store, spec: UnitSpec, *, want_demspaces: bool) -> Inputs:
    """Read the unit's panel, cutpoints and published DemSpaces forecasts (when needed) and neighbours."""
    panel = data.load_panel(store, spec)
    demspaces = want_demspaces and not spec.monthly
    return Inputs(
        spec=spec,
        panel=panel,
        cutpoints=reads.demspaces_cutpoints(store) if demspaces else None,
        neighbours=data.neighbours_for(store, spec, panel),
        provenance=data.provenance(store, spec),
        continents=data.continents() if not spec.monthly else {},
        published=reads.demspaces_forecasts(store) if demspaces else pd.DataFrame(),
    )


def backtest(
    settings: Settings,
    *,
    unit: str = Unit.country_year.value,
    targets: Sequence[str] | None = None,
    seeds: int | None = None,
    quick: bool = False,
    out: Path | None = None,
    progress: Progress | None = None,
    jobs: int = 1,
    horizons: Sequence[int] | None = None,
    steps: Steps | None = None,
) -> BacktestSummary:
    """Run the backtest for ``unit`` from the store and write the report (and store it)."""
    started = time.perf_counter()
    spec = parse_unit(unit)
    chosen = planning.choose_targets(targets, spec)
    chosen_horizons = planning.check_horizons(horizons, chosen, spec)
    seed_list = planning.backtest_seeds(seeds, quick)
    with open_store(settings.resolved_store_path) as store:
        inputs = load_inputs(store, spec, want_demspaces=any(t.demspaces for t in chosen))
    timings = {"load store": time.perf_counter() - started}
    runs = []
    for plan in planning.backtest_plans(spec, chosen, seed_list, quick=quick, jobs=jobs):
        plan = replace(plan, horizons=chosen_horizons) if chosen_horizons else plan
        runs.append((plan, inputs.cutpoints if any(t.demspaces for t in plan.targets) else None))
    result = run_backtests(inputs.panel, runs, inputs.neighbours, progress, steps)
    timings.update(result.timings)
    pred = result.predictions
    folder = out or settings.data_dir / "reports" / f"backtest-{spec.unit.name}"
    payload = _report(settings, inputs, pred, timings, quick, folder, started, jobs)
    kept = None if spec.monthly else main_model_forecasts(pred, spec.key)  # the countries' track record
    _store_backtest(settings, spec, payload, kept)
    return BacktestSummary(
        report_dir=folder,
        goals=[Goal(**goal) for goal in payload["goals"]],
        timings=payload["timings"],
        provenance=payload["provenance"],
        report=payload,
        comparisons=[Goal(**row) for row in payload.get("comparisons", [])],
    )


def _report(
    settings: Settings,
    inputs: Inputs,
    pred: pd.DataFrame,
    timings: dict[str, float],
    quick: bool,
    folder: Path,
    started: float,
    jobs: int = 1,
) -> dict[str, Any]:
    step = time.perf_counter()
    spec = inputs.spec
    regions = {**region_members(), **inputs.continents} if not spec.monthly else {}
    published = with_seed_mean(pred, spec.key)
    scores = over_seeds(score_table(published, spec.key, regions, jobs))
    spaces = demspaces_rows(published, inputs.published) if inputs.cutpoints else pd.DataFrame()
    comparison = demspaces_comparison(spaces)
    timings["metrics"] = time.perf_counter() - step
    intervals = None
    if not quick and not spec.monthly:  # the goals are judged on the full country-year run
        step = time.perf_counter()
        intervals = backtest_intervals(pred, spaces, spec.key, jobs=jobs)
        timings["intervals"] = time.perf_counter() - step
    facts = RunFacts(spec.unit, spec.monthly, quick, inputs.neighbours is not None, bool(regions))
    report_input = ReportInput(
        title=f"GBVS backtest ({spec.unit.value}{', quick' if quick else ''})",
        scores=scores,
        demspaces=comparison,
        curves=reliability_curves(pred, "incidence", 1),
        timings=timings,
        provenance={
            "data_vintage": inputs.provenance.vintage,
            "model_version": MODEL_VERSION,
            "unit": spec.unit.value,
        },
        notes=backtest_notes(facts),
        extra_sections=_grid_month_section(settings) if spec.unit is Unit.country_year else [],
        pit=pit_histograms(pred, "battle_deaths", 1),
        space_curves=space_reliability(pred),
        intervals=intervals.goals if intervals else {},
        left_out=intervals.left_out if intervals else {},
        demspaces_differences=intervals.demspaces_differences if intervals else pd.DataFrame(),
    )
    timings["total"] = time.perf_counter() - started
    payload = write_report(report_input, folder)
    for model in sorted(set(pred["model"])):
        (folder / f"modelcard-{model}.md").write_text(model_card(model, payload), encoding="utf-8")
    return payload


def _grid_month_section(settings: Settings) -> list[tuple[str, pd.DataFrame]]:
    """The latest Syria grid-month backtest (its own report), shown beside the country-year figures."""
    path = settings.data_dir / "reports" / f"backtest-{Unit.grid_month.name}" / "report.json"
    if not path.is_file():
        return []
    payload = json.loads(path.read_text(encoding="utf-8"))
    return [grid_month_section(payload, path.parent.name, data.PANELS[Unit.grid_month])]


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _store_backtest(
    settings: Settings, spec: UnitSpec, payload: dict[str, Any], rows: pd.DataFrame | None
) -> None:
    run = StoredRun(
        run_id=f"backtest-{uuid.uuid4().hex[:12]}",
        kind="backtest",
        created_at=_now(),
        unit=spec.unit.value,
        model="all",
        model_version=MODEL_VERSION,
        training_cutoff=None,
        data_vintage=payload["provenance"]["data_vintage"],
        seed=None,
        config=json.dumps({"title": payload["title"]}),
    )
    with writing_forecasts(forecasts_path(settings)) as forecasts:
        forecasts.add_run(run)
        forecasts.add_backtest_report(run.run_id, json.dumps(payload, default=str))
        if rows is not None and len(rows):
            forecasts.add_forecasts(run.run_id, rows)


def forecast(
    settings: Settings,
    *,
    unit: str = Unit.country_year.value,
    targets: Sequence[str] | None = None,
    seed: int = 0,
    seeds: int = LIVE_SEEDS,
    steps: Steps | None = None,
) -> ForecastSummary:
    """Fit on all data, forecast the periods after the last observed one, store the run; returns a summary.

    The main model runs with ``seeds`` seeds ``seed, seed + 1, ...`` (as many as the backtest scores);
    the stored probability is their mean, with its spread over the seeds.
    """
    if seeds < 1:
        raise InputError(f"number of seeds {seeds} is not valid; use 1 or more (the backtest uses 3)")
    spec = parse_unit(unit)
    chosen = planning.choose_targets(targets, spec)
    with open_store(settings.resolved_store_path) as store:
        inputs = load_inputs(store, spec, want_demspaces=any(t.demspaces for t in chosen))
    families = driver_families()
    seed_list = tuple(range(seed, seed + seeds))
    rows = []
    frames: dict[int, OriginFrame] = {}  # one per origin, shared by the run's targets
    for number, target in enumerate(chosen, start=1):
        rows.append(
            forecast_target(
                inputs.panel, spec, target, seed_list, families, inputs.cutpoints, inputs.neighbours, frames
            )
        )
        if steps:
            steps("targets", number, len(chosen))
    table = pd.concat(rows, ignore_index=True)
    cutoff = int(table["origin"].max())
    run = StoredRun(
        run_id=f"forecast-{uuid.uuid4().hex[:12]}",
        kind="forecast",
        created_at=_now(),
        unit=spec.unit.value,
        model="lgbm",
        model_version=MODEL_VERSION,
        training_cutoff=cutoff,
        data_vintage=inputs.provenance.vintage,
        seed=seed,
        config=json.dumps(
            {
                "targets": [t.name for t in chosen],
                "seeds": list(seed_list),
                FAMILIES_KEY: families_fingerprint(families),
            }
        ),
    )
    with writing_forecasts(forecasts_path(settings)) as forecasts:
        forecasts.add_run(run)
        forecasts.add_forecasts(run.run_id, table)
    return ForecastSummary(
        run_id=run.run_id,
        training_cutoff=cutoff,
        rows=len(table),
        model_version=MODEL_VERSION,
        data_vintage=inputs.provenance.vintage,
        seed=seed,
        seeds=list(seed_list),
    )
