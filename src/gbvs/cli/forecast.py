"""The early-warning commands: ``gbvs backtest``, ``forecast``, ``watchlist`` and ``modelcard``."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Annotated

import typer

from gbvs.cli.identity import audited_run, require
from gbvs.cli.output import FormatOption, OutputFormat, echo, print_json
from gbvs.config import load_settings
from gbvs.countries import name_of_gwcode
from gbvs.security.permissions import Permission

MAX_SEEDS = 100
MAX_SEED = 2**31 - 1 - MAX_SEEDS  # seeds stay within the 32-bit range LightGBM and NumPy accept
MAX_JOBS = 64
UnitOption = Annotated[
    str, typer.Option("--unit", help="Unit of analysis: country-year (default), country-month or grid-month.")
]
TargetsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--targets",
        "-t",
        help="Targets to run (repeatable), e.g. incidence, war, battle_deaths, closing_electoral.",
    ),
]


def backtest_cmd(
    quick: Annotated[
        bool, typer.Option("--quick", help="Few origins, horizon 1, small models: a smoke run.")
    ] = False,
    seeds: Annotated[
        int | None,
        typer.Option(
            "--seeds", min=1, max=MAX_SEEDS, help="Seeds for the seeded models (default 3; 1 with --quick)."
        ),
    ] = None,
    targets: TargetsOption = None,
    unit: UnitOption = "country-year",
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Report folder (default: <data_dir>/reports/backtest-<unit>)."),
    ] = None,
    jobs: Annotated[
        int, typer.Option("--jobs", min=1, max=MAX_JOBS, help="Worker processes (origins in parallel).")
    ] = 2,
    horizons: Annotated[
        list[int] | None,
        typer.Option("--horizons", help="Only these horizons (repeatable), e.g. --horizons 1."),
    ] = None,
    output_format: FormatOption = OutputFormat.text,
) -> None:
    """Rolling-origin backtest from the store: writes report.md/json and charts (needs forecast:run)."""
    from dataclasses import asdict

    from gbvs.forecasting.service import backtest

    settings = load_settings()
    with audited_run(settings, Permission.forecast_run, "forecast.backtest", "forecast") as detail:
        summary = backtest(
            settings,
            unit=unit,
            targets=targets,
            seeds=seeds,
            quick=quick,
            out=out,
            progress=lambda m: echo(m, err=True),
            jobs=jobs,
            horizons=horizons,
        )
        detail.update(unit=unit, quick=quick, report=summary.report_dir.name)
    if output_format is OutputFormat.json:
        print_json(
            {
                "report_dir": str(summary.report_dir),
                "goals": [asdict(goal) for goal in summary.goals],
                "timings": summary.timings,
                "provenance": summary.provenance,
            }
        )
        return
    echo(f"report: {summary.report_dir}/report.md")
    for goal in summary.goals:
        verdict = "met" if goal.met else "NOT met"
        echo(f"  {goal.goal}: {goal.value:.3f} (goal {goal.target}) {verdict}")
    for stage, seconds in summary.timings.items():
        echo(f"  time {stage}: {seconds:.1f}s")


def forecast_cmd(
    targets: TargetsOption = None,
    unit: UnitOption = "country-year",
    seed: Annotated[
        int,
        typer.Option(
            "--seed", min=0, max=MAX_SEED, help="First seed of the model (same inputs + seeds = same output)."
        ),
    ] = 0,
    seeds: Annotated[
        int,
        typer.Option(
            "--seeds",
            min=1,
            max=MAX_SEEDS,
            help="Seeds averaged (seed, seed+1, ...); the spread is stored.",
        ),
    ] = 3,
    output_format: FormatOption = OutputFormat.text,
) -> None:
    """Fit on all data and forecast the next periods; stored in forecasts.duckdb (needs forecast:run)."""
    from dataclasses import asdict

    from gbvs.forecasting.service import forecast

    settings = load_settings()
    with audited_run(settings, Permission.forecast_run, "forecast.run", "forecast") as detail:
        summary = forecast(settings, unit=unit, targets=targets, seed=seed, seeds=seeds)
        detail.update(
            object_id=summary.run_id, rows=summary.rows, model_version=summary.model_version, unit=unit
        )
    if output_format is OutputFormat.json:
        print_json(asdict(summary))
        return
    last_seed = summary.seed + seeds - 1
    seed_text = f"seed {summary.seed}" if seeds == 1 else f"mean over seeds {summary.seed}-{last_seed}"
    echo(
        f"run {summary.run_id}: {summary.rows} forecasts, training cutoff "
        f"{summary.training_cutoff}, model {summary.model_version}, {seed_text}"
    )


def watchlist_cmd(
    region: Annotated[
        str | None, typer.Option("--region", help="Focus region id, e.g. sahel or ring_around_europe.")
    ] = None,
    by: Annotated[
        str, typer.Option("--by", help="Order by risk (default) or by change since the last run.")
    ] = "risk",
    output_format: Annotated[str, typer.Option("--format", "-f", help="text, json or csv.")] = "text",
) -> None:
    """Countries ranked by risk and by change since the previous forecast, with alerts."""
    from dataclasses import replace

    from gbvs.errors import InputError
    from gbvs.forecasting.queries import as_dict, watchlist
    from gbvs.forecasting.watchlist import load_rules
    from gbvs.store.forecasts import forecasts_path, open_forecasts

    if output_format not in ("text", "json", "csv"):
        raise InputError(f"format {output_format!r} is not supported; use text, json or csv")
    if by not in ("risk", "change"):
        raise InputError(f"--by {by!r} is not supported; use risk or change")
    settings = load_settings()
    require(settings, Permission.forecast_read, "forecast.read", "forecast")
    with open_forecasts(forecasts_path(settings)) as forecasts:
        result = watchlist(forecasts, rules=load_rules(settings.data_dir), region=region)
    if by == "change":
        ordered = sorted(
            result.entries, key=lambda e: (e.rank_change is None, e.rank_change or 0, e.rank_risk)
        )
        result = replace(result, entries=ordered)
    if output_format == "json":
        print_json(as_dict(result))
        return
    if output_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(
            ["rank", "rank_change", "gwcode", "p", "previous", "change", "status", "alerts", "summary"]
        )
        for e in result.entries:
            writer.writerow(
                [
                    e.rank_risk,
                    e.rank_change,
                    e.unit_key,
                    f"{e.p:.4f}",
                    e.previous,
                    e.change,
                    e.status,
                    "; ".join(e.alerts),
                    e.summary,
                ]
            )
        echo(buffer.getvalue().rstrip("\n"))
        return
    echo(
        f"watchlist {result.rules.target} h{result.rules.horizon} (run {result.latest.run_id}, "
        f"cutoff {result.latest.training_cutoff})"
    )
    for e in result.entries[:40]:
        change = "" if e.change is None else f" ({100 * e.change:+.0f} pts)"
        name = name_of_gwcode(int(e.unit_key)) or ""
        echo(
            f"{e.rank_risk:>3} {e.unit_key:>4} {name[:22]:<22} {e.p:6.1%}{change} {e.status} "
            f"{'; '.join(e.alerts)} - {e.summary}"
        )


def modelcard_cmd(
    model: Annotated[
        str, typer.Option("--model", help="lgbm, history_logit, persistence, zero or conflictology.")
    ] = "lgbm",
) -> None:
    """Print the model card (Markdown) with the latest stored backtest figures."""
    from gbvs.errors import NotFoundError, UnknownTargetError
    from gbvs.forecasting.modelcard import MODELS, model_card
    from gbvs.forecasting.queries import backtest_metrics
    from gbvs.store.forecasts import forecasts_path, open_forecasts

    if model not in MODELS:
        raise UnknownTargetError(f"model {model!r} does not exist; use one of: {', '.join(MODELS)}")
    try:
        settings = load_settings()
        require(settings, Permission.forecast_read, "forecast.read", "forecast")
        with open_forecasts(forecasts_path(settings)) as forecasts:
            report = backtest_metrics(forecasts)
    except NotFoundError:
        report = None
    if report is None:
        echo(model_card(model))
    else:
        echo(model_card(model, scores=report.scores, provenance=report.provenance))


def register(app: typer.Typer) -> None:
    """Add the forecasting commands."""
    app.command("backtest")(backtest_cmd)
    app.command("forecast")(forecast_cmd)
    app.command("watchlist")(watchlist_cmd)
    app.command("modelcard")(modelcard_cmd)
