"""The I/O edge of the displacement forecasts: read the store, run the backtest or the live forecast,
write the report and the forecasts file. Orchestration only; the modules it calls are pure.
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

import numpy as np
import pandas as pd

from gbvs import __version__
from gbvs.config import Settings
from gbvs.errors import InputError, StoreNotBuiltError, said
from gbvs.forecasting import data
from gbvs.forecasting.displacement import note
from gbvs.forecasting.displacement.backtest import (
    BOUND_NAMES,
    CANDIDATES,
    MAIN_MODEL,
    SEEDED,
    DisplacementPlan,
    fit_forecast,
    model_set,
    named_choice,
    run_displacement_backtest,
)
from gbvs.forecasting.displacement.features import origin_features
from gbvs.forecasting.displacement.scores import bound_table, choice_table, score_table
from gbvs.forecasting.displacement.selection import (
    INNER_YEARS,
    SELECTABLE,
    Selection,
    Validation,
    ValidationKey,
    published_table,
    reusable_validation,
    selected_rows,
    selections,
)
from gbvs.forecasting.displacement.skill import BASELINE_PREFIX, BASELINES
from gbvs.forecasting.displacement.targets import (
    BACKTEST_YEARS,
    HORIZONS,
    QUANTILES,
    QUICK_YEARS,
    SEEDS,
    TARGETS,
    DisplacementTarget,
    check_displacement_horizon,
    parse_displacement_target,
)
from gbvs.forecasting.domain import UNIT_SPECS, Unit
from gbvs.store import Store, open_store, reads
from gbvs.store.forecasts import StoredRun, forecasts_path, open_forecasts, writing_forecasts
from gbvs.store.tables import TableName

Progress = Callable[[str], None]
UNIT = "origin-year"
"""How displacement runs are labelled in the forecasts file (runs.unit)."""
BASELINE_KIND = "baseline"
"""The kind of the runs that keep a baseline's live forecast beside a forecast run (:func:`baseline_run`)."""
MODEL_KIND = "model"
"""The kind of the run that keeps the main model's own live forecast beside a forecast run
(:func:`model_run`)."""
MODEL_VERSION = f"gbvs-{__version__}/displacement-lgbm-v6"
"""v6: per target and horizon the forecast published is the main model's or a baseline's, whichever
scored the lower CRPS in the validation on the last years before the origin (``selection``); the main
model itself is v5's. v5: the inner window chooses the bound too (``backtest.BOUNDS``: the training
maximum, or the history bound at rise quantile 0.90 or 0.99), as it chooses the candidate, widening and
mixture. v4:
samples bounded by history (``models.HistoryBound``: the training maximum or the row's recent maximum
plus the rise the training rows support, whichever is larger), no longer by the training maximum alone.
v3: the inner window may give the past-changes baseline up to the whole mixture (``CALIBRATIONS``),
trained on the panel with year-aware origins and IDPs unknown before 2009."""
SOURCES: tuple[TableName, ...] = (
    TableName.panel_displacement,
    TableName.unhcr_population,
    TableName.unhcr_flows,
    TableName.unhcr_asylum_applications,
    TableName.unhcr_idmc,
    *reads.COUNTRY_YEAR_SOURCES,
)


@dataclass(frozen=True)
class DisplacementInputs:
    """The joined country-year and displacement panel, neighbours and provenance."""

    panel: pd.DataFrame
    neighbours: dict[int, tuple[int, ...]] | None
    vintage: str


def load_inputs(store: Store) -> DisplacementInputs:
    """Country-year panel (conflict, drivers) joined with ``panel_displacement``, from 1946."""
    if not store.has_table(TableName.panel_displacement):
        raise StoreNotBuiltError(
            said(
                "the store has no table 'panel_displacement': the UNHCR files were not in the mirror when "
                "`gbvs ingest` ran; put displacement/ (see ../shared/data/SOURCES-wave3.md) into GBVS_MIRROR "
                "and run `gbvs ingest` again"
            )
        )
    spec = UNIT_SPECS[Unit.country_year]
    conflict = data.load_panel(store, spec)
    displacement = reads.panel_frame(store, TableName.panel_displacement)
    panel = conflict.merge(displacement, on=["gwcode", "year"], how="left")
    records = reads.provenance_of(store, SOURCES)
    vintage = "; ".join(sorted(f"{r.table_name}={r.version}@{r.vintage}" for r in records))
    return DisplacementInputs(panel, data.load_country_neighbours(store), vintage)


def read_inputs(settings: Settings) -> DisplacementInputs:
    """Open the store once and read the inputs."""
    with open_store(settings.resolved_store_path) as store:
        return load_inputs(store)


@dataclass(frozen=True)
class DisplacementBacktestSummary:
    """What a displacement backtest wrote and measured."""

    report_dir: Path
    scores: pd.DataFrame
    timings: dict[str, float]
    vintage: str
    run_id: str
    """The run the backtest is kept as in the forecasts file (what the pages and the API show)."""


def backtest(
    settings: Settings,
    *,
    quick: bool = False,
    seeds: int | None = None,
    out: Path | None = None,
    progress: Progress | None = None,
) -> DisplacementBacktestSummary:
    """Run the rolling-origin backtest (forecast years 2010-2023; quick: 2020-2023, one seed), write
    ``report.md`` and ``report.json`` into ``out`` (default ``<data_dir>/reports/backtest-displacement``)
    and keep the scores in the forecasts file, where the pages and the API read them
    (:func:`store_backtest`)."""
    started = time.perf_counter()
    count = seeds if seeds is not None else (1 if quick else len(SEEDS))
    if count < 1:
        raise InputError(f"number of seeds {count} is not valid; use 1 or more (the full backtest uses 3)")
    inputs = read_inputs(settings)
    first, last = QUICK_YEARS if quick else BACKTEST_YEARS
    plan = DisplacementPlan(tuple(TARGETS.values()), HORIZONS, first - INNER_YEARS, last, tuple(range(count)))
    result = run_displacement_backtest(inputs.panel, plan, inputs.neighbours, progress)
    timings = {**result.timings}
    step = time.perf_counter()
    rows = with_selected(result.rows, first, plan.seeds)
    scores = score_table(rows)
    choices = choice_table(rows, MAIN_MODEL, CANDIDATES, BOUND_NAMES)
    bounds = bound_table(rows, MAIN_MODEL, BOUND_NAMES)
    timings["scoring"] = time.perf_counter() - step
    timings["total"] = time.perf_counter() - started
    folder = out or settings.data_dir / "reports" / "backtest-displacement"
    folder.mkdir(parents=True, exist_ok=True)
    facts = note.RunFacts(first, last, count, inputs.vintage, MODEL_VERSION, timings)
    published = published_table(rows)
    (folder / "report.md").write_text(
        note.render(scores, facts, choices, bounds, published), encoding="utf-8"
    )
    payload = {
        "scores": scores.to_dict(orient="records"),
        "choices": choices.to_dict(orient="records"),
        "bounds": bounds.to_dict(orient="records"),
        "published": published.to_dict(orient="records"),
        "facts": facts.as_dict(),
        "quick": quick,
    }
    (folder / "report.json").write_text(json.dumps(payload, indent=2, default=str), encoding="utf-8")
    stored = store_backtest(settings, payload)
    return DisplacementBacktestSummary(folder, scores, timings, inputs.vintage, stored.run_id)


def with_selected(rows: pd.DataFrame, first: int, seeds: Sequence[int]) -> pd.DataFrame:
    """The backtest's rows of forecast years ``first`` on, with the published forecasts
    (:func:`~gbvs.forecasting.displacement.selection.selected_rows`, chosen on the inner years, which the
    plan forecasts before ``first`` and which are not scored here)."""
    tests = rows[rows["forecast_period"] >= first]
    return pd.concat([tests, selected_rows(rows, first, seeds)], ignore_index=True)


def store_backtest(settings: Settings, payload: dict[str, Any]) -> StoredRun:
    """Keep a backtest's report (``scores``, ``choices``, ``facts``, ``quick``) in the forecasts file as a
    run of kind ``backtest`` for the displacement unit, with its model version and data vintage (as
    ``gbvs backtest`` keeps the conflict backtest's), so the ranking page, the country section, the API
    and the CLI can show the forecasts' skill beside them."""
    facts = payload["facts"]
    run = StoredRun(
        run_id=f"displacement-backtest-{uuid.uuid4().hex[:12]}",
        kind="backtest",
        created_at=datetime.now(UTC).replace(tzinfo=None),
        unit=UNIT,
        model="all",
        model_version=str(facts["model_version"]),
        training_cutoff=None,
        data_vintage=str(facts["vintage"]),
        seed=None,
        config=json.dumps(
            {
                "first": facts["first"],
                "last": facts["last"],
                "seeds": facts["seeds"],
                "quick": payload["quick"],
            }
        ),
    )
    with writing_forecasts(forecasts_path(settings)) as forecasts:
        forecasts.add_run(run)
        forecasts.add_backtest_report(run.run_id, json.dumps(payload, default=str))
    return run


@dataclass(frozen=True)
class DisplacementForecastSummary:
    """A stored live displacement forecast run."""

    run_id: str
    training_cutoff: int
    rows: int
    model_version: str
    data_vintage: str
    seeds: list[int]
    choices: list[dict[str, Any]]
    """What the main model chose on its inner window at each fit (``backtest.named_choice``), also in
    the run's config."""
    baselines: list[str]
    """The baselines whose live forecasts were kept beside the run (runs of kind :data:`BASELINE_KIND`)."""
    selection: list[dict[str, Any]] = field(default_factory=list)
    """Per target and horizon, the forecast published and each candidate's inner-window CRPS
    (:class:`~gbvs.forecasting.displacement.selection.Selection`), also in the run's config."""
    reused_from: dict[str, str] | None = None
    """Where the validation was reused from (``run_id``, ``created_at``) when a stored run had made it
    for the same data vintage, model version, configuration and origin; None when this run made it. Also
    in the run's config (``validation``)."""


@dataclass(frozen=True)
class LiveRows:
    """The published forecast rows (``table``: per target and horizon those of the forecast the inner
    window chose, ``selections``), what the main model chose at each fit (target, horizon, seed), the
    baselines' forecast rows (``baselines``: the same columns and a ``model`` column) and the main
    model's own rows (``model``, also where a baseline's are published)."""

    table: pd.DataFrame
    choices: list[dict[str, Any]]
    baselines: pd.DataFrame
    model: pd.DataFrame
    selections: list[Selection]


def model_rows(
    name: str,
    cut: pd.DataFrame,
    features: pd.DataFrame,
    target: DisplacementTarget,
    horizon: int,
    seeds: Sequence[int],
) -> tuple[pd.DataFrame, list[Any]]:
    """Model ``name`` of :func:`~gbvs.forecasting.displacement.backtest.model_set` fitted at the cut's last
    year as the backtest fits it (:func:`fit_forecast`, once per seed for a seeded model, once otherwise):
    the quantiles of its samples pooled over those fits, and the fitted models."""
    origin = int(cut["period"].max())
    draws, fits, keys = [], [], None
    for seed in seeds if name in SEEDED else seeds[:1]:
        fitted, out = fit_forecast(
            model_set(target, horizon, seed)[name], cut, features, target, horizon, origin
        )
        fits.append(fitted)
        draws.append(np.vstack(out["samples"].to_list()))
        keys = out[["gwcode", "period"]]
    assert keys is not None
    pooled = np.hstack(draws)
    frame = pd.DataFrame(
        {
            "unit_key": keys["gwcode"].to_numpy(),
            "origin": origin,
            "target": target.name,
            "horizon": check_displacement_horizon(horizon),
            "forecast_period": origin + horizon,
        }
    )
    for q in QUANTILES:
        frame[f"q{round(q * 100):02d}"] = np.quantile(pooled, q, axis=1)
    return frame, fits


def inner_validation(
    panel: pd.DataFrame,
    neighbours: dict[int, tuple[int, ...]] | None,
    targets: Sequence[DisplacementTarget],
    seeds: Sequence[int],
    horizons: Sequence[int] = HORIZONS,
) -> list[Selection]:
    """Model or baseline per target and horizon at the panel's last year ``o``, by rolling origins inside
    the training window: the candidates (:data:`~gbvs.forecasting.displacement.selection.SELECTABLE`)
    forecast the last inner years up to ``o`` as the backtest does, each from its own origin, and are
    scored on outcomes published by ``o``. The panel is cut at ``o`` first: nothing later is read."""
    origin = int(panel["period"].max())
    known = panel[panel["period"] <= origin]
    plan = DisplacementPlan(
        tuple(targets), tuple(horizons), origin - INNER_YEARS + 1, origin, tuple(seeds), models=SELECTABLE
    )
    rows = run_displacement_backtest(known, plan, neighbours).rows
    return selections(rows, origin)


def live_rows(
    panel: pd.DataFrame,
    neighbours: dict[int, tuple[int, ...]] | None,
    targets: Sequence[str],
    seeds: Sequence[int],
    validated: Sequence[Selection] | None = None,
) -> LiveRows:
    """Forecast rows from the last observed year: the main model's samples pooled over ``seeds``, with
    its inner-window choices (candidate, widening, mixture, bound) per fit, and each baseline the backtest
    compares it with (:data:`~gbvs.forecasting.displacement.skill.BASELINES`), fitted the same way; per
    target and horizon the forecast published is the one :func:`inner_validation` chose, or the one of
    ``validated`` (a stored validation for the same inputs, :func:`stored_validation`)."""
    origin = int(panel["period"].max())
    cut, features = origin_features(panel, origin, neighbours)
    if validated is None:
        validated = inner_validation(
            panel, neighbours, [parse_displacement_target(n) for n in targets], seeds
        )
    chosen = {(s.target, s.horizon): s for s in validated}
    frames: list[pd.DataFrame] = []
    published: list[pd.DataFrame] = []
    choices: list[dict[str, Any]] = []
    baselines: list[pd.DataFrame] = []
    for name in targets:
        target = parse_displacement_target(name)
        for h in HORIZONS:
            frame, fits = model_rows(MAIN_MODEL, cut, features, target, h, seeds)
            choices.extend(
                {"target": target.name, "horizon": h, "seed": seed, **named_choice(fitted)}
                for seed, fitted in zip(seeds, fits, strict=True)
            )
            frames.append(frame)
            beside = {
                baseline: model_rows(baseline, cut, features, target, h, seeds)[0] for baseline in BASELINES
            }
            baselines.extend(rows.assign(model=baseline) for baseline, rows in beside.items())
            published.append({MAIN_MODEL: frame, **beside}[chosen[(target.name, h)].chosen])
    return LiveRows(
        pd.concat(published, ignore_index=True),
        choices,
        pd.concat(baselines, ignore_index=True),
        pd.concat(frames, ignore_index=True),
        [chosen[(parse_displacement_target(n).name, h)] for n in targets for h in HORIZONS],
    )


def baseline_run(run: StoredRun, baseline: str, seeds: Sequence[int]) -> StoredRun:
    """The run a baseline's live forecast is kept as: kind :data:`BASELINE_KIND`, the forecast run's data
    (training cutoff, data vintage), as version the baseline's rule (:func:`baseline_version`, not the
    model's: the baseline is no version of the model) and, in its config, the forecast run it stands
    beside (``forecast_run``), the baseline's name and the seeds pooled."""
    used = list(seeds) if baseline in SEEDED else list(seeds)[:1]
    return replace(
        run,
        run_id=f"{run.run_id}-{baseline}",
        kind=BASELINE_KIND,
        model=baseline,
        model_version=baseline_version(baseline),
        config=json.dumps({"forecast_run": run.run_id, "baseline": baseline, "seeds": used}),
    )


def baseline_version(baseline: str) -> str:
    """What a baseline run keeps as its version: ``baseline/<name>``, the rule
    (:data:`~gbvs.forecasting.displacement.skill.BASELINE_RULES`), never the model's version."""
    return f"{BASELINE_PREFIX}{baseline}"


def model_run(run: StoredRun) -> StoredRun:
    """The run the main model's own live forecast is kept as beside forecast run ``run`` (kind
    :data:`MODEL_KIND`, the model's version and training cutoff): where the inner window publishes a
    baseline's forecast for a target and horizon, the model's is kept here, so nothing is lost."""
    return replace(
        run,
        run_id=f"{run.run_id}-{MAIN_MODEL}",
        kind=MODEL_KIND,
        config=json.dumps({"forecast_run": run.run_id, "model": MAIN_MODEL}),
    )


def forecast(
    settings: Settings,
    *,
    targets: Sequence[str] | None = None,
    seeds: int = len(SEEDS),
    revalidate: bool = False,
) -> DisplacementForecastSummary:
    """Fit on everything published, forecast 1 and 2 years ahead, store the run with provenance (the
    main model's inner-window choices in its config) and, beside it, each baseline's forecast as a run
    of its own (:func:`baseline_run`), so the pages can show the baseline where the backtest found it
    better. The validation (model or baseline) of a stored run with the same inputs is reused unless
    ``revalidate`` (:func:`forecast_inputs`)."""
    if seeds < 1:
        raise InputError(f"number of seeds {seeds} is not valid; use 1 or more (the backtest uses 3)")
    names = [parse_displacement_target(name).name for name in targets or TARGETS]
    return forecast_inputs(settings, read_inputs(settings), names, seeds, revalidate=revalidate)


def validation_key(inputs: DisplacementInputs, targets: Sequence[str], seeds: Sequence[int]) -> ValidationKey:
    """What a live run's validation on ``inputs`` depends on (its origin: the panel's last year)."""
    origin = int(inputs.panel["period"].max())
    return ValidationKey(MODEL_VERSION, inputs.vintage, origin, tuple(targets), HORIZONS, tuple(seeds))


def stored_validation(settings: Settings, key: ValidationKey) -> Validation | None:
    """The newest validation kept in the forecasts file for exactly ``key``
    (:func:`~gbvs.forecasting.displacement.selection.reusable_validation`); none without a file."""
    path = forecasts_path(settings)
    if not path.is_file():
        return None
    with open_forecasts(path) as forecasts:
        return reusable_validation(forecasts.runs("forecast", UNIT), key)


def forecast_inputs(
    settings: Settings,
    inputs: DisplacementInputs,
    names: Sequence[str],
    seeds: int,
    *,
    revalidate: bool = False,
) -> DisplacementForecastSummary:
    """:func:`forecast` on inputs already read: where a stored run validated the same key
    (:func:`validation_key`: data vintage, model version, configuration, origin) and ``revalidate`` is
    not asked, its choices are published again and the run's config says from which run and date
    (``validation``); otherwise the inner years are forecast and this run is the validation's."""
    seed_list = list(range(seeds))
    key = validation_key(inputs, names, seed_list)
    reused = None if revalidate else stored_validation(settings, key)
    live = live_rows(
        inputs.panel, inputs.neighbours, names, seed_list, None if reused is None else reused.selections
    )
    table = live.table
    cutoff = int(table["origin"].max())
    run_id = f"displacement-{uuid.uuid4().hex[:12]}"
    created = datetime.now(UTC).replace(tzinfo=None)
    validation = reused or Validation(key, run_id, created, tuple(live.selections))
    run = StoredRun(
        run_id=run_id,
        kind="forecast",
        created_at=created,
        unit=UNIT,
        model=MAIN_MODEL,
        model_version=MODEL_VERSION,
        training_cutoff=cutoff,
        data_vintage=inputs.vintage,
        seed=0,
        config=json.dumps(
            {
                "targets": list(names),
                "seeds": seed_list,
                "choices": live.choices,
                "selection": [s.as_dict() for s in live.selections],
                "validation": validation.as_config(),
            }
        ),
    )
    with writing_forecasts(forecasts_path(settings)) as forecasts:
        forecasts.add_run(run)
        forecasts.add_forecasts(run.run_id, table)
        forecasts.add_run(model_run(run))
        forecasts.add_forecasts(model_run(run).run_id, live.model)
        for baseline, rows in live.baselines.groupby("model", sort=False):
            kept = baseline_run(run, str(baseline), seed_list)
            forecasts.add_run(kept)
            forecasts.add_forecasts(kept.run_id, rows.drop(columns="model"))
    return DisplacementForecastSummary(
        run.run_id, cutoff, len(table), MODEL_VERSION, inputs.vintage, seed_list, live.choices,
        list(dict.fromkeys(live.baselines["model"])), [s.as_dict() for s in live.selections],
        validation.reused_in(run.run_id),
    )  # fmt: skip


def summary_payload(summary: Any) -> dict[str, Any]:
    """A summary as plain JSON-ready data."""
    return {k: (str(v) if isinstance(v, Path) else v) for k, v in summary.__dict__.items() if k != "scores"}
