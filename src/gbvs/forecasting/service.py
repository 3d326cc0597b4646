"""The I/O edge of forecasting: read the store, run backtest / live forecast, write report and forecasts file.

The CLI and the web app call these; the modules they call are pure.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from gbvs import __version__
from gbvs.config import Settings
from gbvs.errors import InputError
from gbvs.forecasting import data, storage
from gbvs.forecasting.backtest import BacktestPlan, run_backtest
from gbvs.forecasting.domain import (
    CONFLICT_TARGETS,
    DEMSPACES_TARGETS,
    MONTHLY_TARGETS,
    TARGETS,
    Target,
    Unit,
    UnitSpec,
    check_horizon,
    parse_target,
    parse_unit,
)
from gbvs.forecasting.evaluation import demspaces_comparison, over_seeds, reliability_curves, score_table
from gbvs.forecasting.live import forecast_target
from gbvs.forecasting.modelcard import model_card
from gbvs.forecasting.regions import region_members
from gbvs.forecasting.report import ReportInput, write_report

Progress = Callable[[str], None]
MODEL_VERSION = f"gbvs-{__version__}/lgbm-calibrated-v2"
LIVE_SEEDS = 3
"""Seeds of the live forecast: as many as the backtest scores, so the spread shown is the measured one."""
CONFLICT_YEARS = (2010, 2023)
DEMSPACES_YEARS = (2005, 2021)
SYRIA_MONTHS = ((2018, 1), (2019, 12))
STORE_TABLES = (
    "panel_country_year",
    "ucdp_acd",
    "ucdp_brd",
    "vdem",
    "gapminder",
    "epr",
    "demspaces_forecasts",
)


def driver_families() -> dict[str, str]:
    """Panel column -> driver family, from the shipped driver mapping (``gbvs.drivers``)."""
    from gbvs.drivers import load_mapping

    mapping: dict[str, str] = {item.column: str(item.driver) for item in load_mapping()}
    mapping.update({c.removeprefix("vdem_"): d for c, d in list(mapping.items()) if c.startswith("vdem_")})
    return mapping


def choose_targets(names: Sequence[str] | None, spec: UnitSpec) -> tuple[Target, ...]:
    """Targets by name (all for the unit when empty); UnknownTargetError for unknown names."""
    if names:
        chosen = tuple(parse_target(n) for n in names)
    elif spec.monthly:
        chosen = tuple(TARGETS[n] for n in MONTHLY_TARGETS)
    else:
        chosen = (*CONFLICT_TARGETS, *DEMSPACES_TARGETS)
    if spec.monthly:
        bad = [t.name for t in chosen if t.name not in MONTHLY_TARGETS]
        if bad:
            from gbvs.errors import UnknownTargetError

            raise UnknownTargetError(
                f"targets {bad} are yearly only; monthly units ({spec.unit.value}) support "
                f"{list(MONTHLY_TARGETS)}"
            )
    return chosen


def check_horizons(
    horizons: Sequence[int] | None, targets: tuple[Target, ...], spec: UnitSpec
) -> tuple[int, ...] | None:
    """Requested horizons, each valid for at least one target; UnknownTargetError otherwise."""
    if not horizons:
        return None
    for h in horizons:
        if not any(h in t.horizons(spec) for t in targets):
            check_horizon(targets[0], spec, h)  # raises with the valid range
    return tuple(horizons)


@dataclass
class Inputs:
    """Panel and side data for one unit."""

    spec: UnitSpec
    panel: pd.DataFrame
    cutpoints: dict[str, float] | None
    neighbours: dict[int, tuple[int, ...]] | None
    provenance: data.Provenance


def load_inputs(settings: Settings, spec: UnitSpec, want_demspaces: bool) -> Inputs:
    """Read the unit's panel, cutpoints (when needed) and neighbours from the store."""
    panel = data.load_panel(settings, spec)
    cutpoints = data.load_cutpoints(settings) if want_demspaces and not spec.monthly else None
    neighbours = data.neighbours_for(settings, spec, panel)
    sources = ("ucdp_ged",) if spec.monthly else STORE_TABLES
    return Inputs(spec, panel, cutpoints, neighbours, data.provenance(settings, (spec.store_table, *sources)))


def _plans(
    spec: UnitSpec, targets: tuple[Target, ...], seeds: tuple[int, ...], quick: bool, jobs: int = 1
) -> list[BacktestPlan]:
    if spec.monthly:
        (fy, fm), (ly, lm) = SYRIA_MONTHS
        first, last = _month_id(fy, fm), _month_id(ly, lm)
        horizons = (1, 3, 6, 12) if quick else None
        return [BacktestPlan(spec, targets, first, last, seeds, horizons, fast=True, n_jobs=jobs)]
    plans = []
    conflict = tuple(t for t in targets if not t.demspaces)
    spaces = tuple(t for t in targets if t.demspaces)
    first, last = (2018, 2023) if quick else CONFLICT_YEARS
    if conflict:
        conflict_horizons = (1,) if quick else None
        plans.append(
            BacktestPlan(spec, conflict, first, last, seeds, conflict_horizons, fast=quick, n_jobs=jobs)
        )
    if spaces:
        # forecast "periods" of a two-year window target are origin + 2; origins 2005..2021
        ds_first, ds_last = (2016, 2021) if quick else DEMSPACES_YEARS
        plans.append(
            BacktestPlan(spec, spaces, ds_first + 2, ds_last + 2, seeds, None, fast=quick, n_jobs=jobs)
        )
    return plans


def _month_id(year: int, month: int) -> int:
    from gbvs.panels.events import month_id

    return int(month_id(year, month))


def backtest(
    settings: Settings,
    unit: str = Unit.country_year.value,
    targets: Sequence[str] | None = None,
    seeds: int | None = None,
    quick: bool = False,
    out: Path | None = None,
    progress: Progress | None = None,
    jobs: int = 1,
    horizons: Sequence[int] | None = None,
) -> dict[str, Any]:
    """Run the backtest for ``unit`` from the store and write the report; returns the report JSON."""
    started = time.perf_counter()
    spec = parse_unit(unit)
    chosen = choose_targets(targets, spec)
    chosen_horizons = check_horizons(horizons, chosen, spec)
    seed_list = tuple(range(max(1, seeds if seeds is not None else (1 if quick else 3))))
    inputs = load_inputs(settings, spec, any(t.demspaces for t in chosen))
    timings = {"load store": time.perf_counter() - started}
    preds = []
    for plan in _plans(spec, chosen, seed_list, quick, jobs):
        plan = replace(plan, horizons=chosen_horizons) if chosen_horizons else plan
        cutpoints = inputs.cutpoints if any(t.demspaces for t in plan.targets) else None
        result = run_backtest(inputs.panel, plan, cutpoints, inputs.neighbours, progress)
        preds.append(result.predictions)
        for stage, seconds in result.timings.items():
            timings[stage] = timings.get(stage, 0.0) + seconds
    return _report(settings, inputs, pd.concat(preds, ignore_index=True), timings, quick, out, started)


def _report(
    settings: Settings,
    inputs: Inputs,
    pred: pd.DataFrame,
    timings: dict[str, float],
    quick: bool,
    out: Path | None,
    started: float,
) -> dict[str, Any]:
    step = time.perf_counter()
    spec = inputs.spec
    regions = {**region_members(), **data.continents()} if not spec.monthly else {}
    scores = over_seeds(score_table(pred, spec.key, regions))
    published = data.load_demspaces_forecasts(settings) if inputs.cutpoints else pd.DataFrame()
    comparison = demspaces_comparison(pred, published) if inputs.cutpoints else pd.DataFrame()
    timings["metrics"] = time.perf_counter() - step
    notes = _notes(spec, inputs, regions, quick)
    prov = {
        "data_vintage": inputs.provenance.vintage,
        "model_version": MODEL_VERSION,
        "unit": spec.unit.value,
    }
    report_input = ReportInput(
        title=f"GBVS backtest ({spec.unit.value}{', quick' if quick else ''})",
        scores=scores,
        demspaces=comparison,
        curves=reliability_curves(pred, "incidence", 1),
        timings=timings,
        provenance=prov,
        notes=notes,
        extra_sections=_grid_month_section(settings) if spec.unit is Unit.country_year else [],
    )
    folder = out or settings.data_dir / "reports" / f"backtest-{spec.unit.name}"
    timings["total"] = time.perf_counter() - started
    payload = write_report(report_input, folder)
    for model in sorted(set(pred["model"])):
        (folder / f"modelcard-{model}.md").write_text(model_card(model, payload), encoding="utf-8")
    _store_backtest(settings, spec, payload)
    payload["report_dir"] = str(folder)
    return payload


def _grid_month_section(settings: Settings) -> list[tuple[str, pd.DataFrame]]:
    """The latest Syria grid-month backtest (its own report), shown beside the country-year figures."""
    path = settings.data_dir / "reports" / f"backtest-{Unit.grid_month.name}" / "report.json"
    if not path.is_file():
        return []
    payload = json.loads(path.read_text(encoding="utf-8"))
    scores = pd.DataFrame(payload["scores"])
    shown = scores[(scores["subset"] == "all") & scores["horizon"].isin([1, 3, 6, 12])]
    parts = str(payload["provenance"]["data_vintage"]).split("; ")
    vintage = next((v for v in parts if v.startswith("panel_priogrid_month")), "vintage unknown")
    title = f"Syria grid-month backtest 2018-2019 (from {path.parent.name}, {vintage})"
    return [(title, shown.reset_index(drop=True))]


def _notes(spec: UnitSpec, inputs: Inputs, regions: dict[str, frozenset[int]], quick: bool) -> list[str]:
    notes = [
        "Data lag: a forecast from origin o is made in mid o+1, when UCDP has published year o "
        "(V-Dem: March o+1); "
        "training rows need their outcome at t+h <= o. Driver indicators enter lagged one year "
        "(publication lag).",
        "Expanding window; hyper-parameters (number of trees, calibration) are chosen on the last 3 "
        "periods of "
        "each training window only; the test years are never used for choices.",
        "Onset subset: rows with no conflict at the origin (y_t = 0).",
    ]
    if inputs.neighbours is None:
        notes.append("Neighbour features are absent: the store has no ne_admin0 table.")
    if quick:
        notes.append("QUICK run: fewer forecast years, horizon 1 only for conflict targets, smaller models.")
    if spec.unit is Unit.grid_month:
        notes.append(
            "Grid-month: the store's GED is UCDP's Syria release (2016-2019), so this is a "
            "Syria-only backtest "
            "over 2018-2019; conflict = at least one state-based death in the cell-month."
        )
    notes.append(
        "DemSpaces: targets coded with their ERT-lite rule (min_f 0.1) and v14 cutpoints; origin "
        "2021 cannot be "
        "scored with V-Dem data to 2022 (the two-year window needs 2023)."
    )
    return notes


def _store_backtest(settings: Settings, spec: UnitSpec, payload: dict[str, Any]) -> None:
    run_id = f"backtest-{uuid.uuid4().hex[:12]}"
    run = pd.DataFrame(
        [
            {
                "run_id": run_id,
                "kind": "backtest",
                "created_at": datetime.now(UTC).replace(tzinfo=None),
                "unit": spec.unit.value,
                "model": "all",
                "model_version": MODEL_VERSION,
                "training_cutoff": None,
                "data_vintage": payload["provenance"]["data_vintage"],
                "seed": None,
                "config": json.dumps({"title": payload["title"]}),
            }
        ]
    )
    with storage.writing(settings) as con:
        storage.append(con, "runs", run)
        storage.append(
            con,
            "backtest_reports",
            pd.DataFrame([{"run_id": run_id, "report": json.dumps(payload, default=str)}]),
        )


def forecast(
    settings: Settings,
    unit: str = Unit.country_year.value,
    targets: Sequence[str] | None = None,
    seed: int = 0,
    seeds: int = LIVE_SEEDS,
) -> dict[str, Any]:
    """Fit on all data, forecast the periods after the last observed one, store the run; returns a summary.

    The main model runs with ``seeds`` seeds ``seed, seed + 1, ...`` (as many as the backtest scores);
    the stored probability is their mean, with its spread over the seeds.
    """
    if seeds < 1:
        raise InputError(f"number of seeds {seeds} is not valid; use 1 or more (the backtest uses 3)")
    spec = parse_unit(unit)
    chosen = choose_targets(targets, spec)
    inputs = load_inputs(settings, spec, any(t.demspaces for t in chosen))
    families = driver_families()
    seed_list = tuple(range(seed, seed + seeds))
    rows = [
        forecast_target(inputs.panel, spec, t, seed_list, families, inputs.cutpoints, inputs.neighbours)
        for t in chosen
    ]
    table = pd.concat(rows, ignore_index=True)
    cutoff = int(table["origin"].max())
    run_id = f"forecast-{uuid.uuid4().hex[:12]}"
    run = pd.DataFrame(
        [
            {
                "run_id": run_id,
                "kind": "forecast",
                "created_at": datetime.now(UTC).replace(tzinfo=None),
                "unit": spec.unit.value,
                "model": "lgbm",
                "model_version": MODEL_VERSION,
                "training_cutoff": cutoff,
                "data_vintage": inputs.provenance.vintage,
                "seed": seed,
                "config": json.dumps({"targets": [t.name for t in chosen], "seeds": list(seed_list)}),
            }
        ]
    )
    with storage.writing(settings) as con:
        storage.append(con, "runs", run)
        storage.append(con, "forecasts", table.assign(run_id=run_id))
    return {
        "run_id": run_id,
        "training_cutoff": cutoff,
        "rows": len(table),
        "model_version": MODEL_VERSION,
        "data_vintage": inputs.provenance.vintage,
        "seed": seed,
        "seeds": list(seed_list),
    }
