"""``gbvs displacement``: forced displacement forecasts (issue 17): backtest, forecast, ranking, country."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Annotated

import typer

from gbvs.cli.identity import require
from gbvs.cli.output import FormatOption, OutputFormat, echo, print_json
from gbvs.config import load_settings
from gbvs.security.permissions import Permission

MAX_SEEDS = 20
displacement_app = typer.Typer(
    name="displacement",
    help="Forced displacement early warning: new displacement and asylum applications in the Netherlands.",
    no_args_is_help=True,
)


@displacement_app.command("backtest")
def backtest_cmd(
    quick: Annotated[bool, typer.Option("--quick", help="Forecast years 2020-2023 and one seed.")] = False,
    seeds: Annotated[
        int | None, typer.Option("--seeds", min=1, max=MAX_SEEDS, help="Seeds (default 3; 1 with --quick).")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Report folder (default: <data_dir>/reports/backtest-displacement)."),
    ] = None,
    output_format: FormatOption = OutputFormat.text,
) -> None:
    """Rolling-origin backtest, forecast years 2010-2023, against four baselines (needs forecast:run)."""
    from gbvs.forecasting.displacement.service import backtest

    settings = load_settings()
    require(settings, Permission.forecast_run, "displacement.backtest", "displacement")
    summary = backtest(settings, quick=quick, seeds=seeds, out=out, progress=lambda m: echo(m, err=True))
    if output_format is OutputFormat.json:
        print_json(
            {
                "report_dir": str(summary.report_dir),
                "scores": summary.scores.to_dict(orient="records"),
                "timings": summary.timings,
                "data_vintage": summary.vintage,
                "run_id": summary.run_id,
            }
        )
        return
    echo(f"report: {summary.report_dir}/report.md")
    echo(f"kept as run {summary.run_id} (shown beside the ranking: gbvs displacement ranking, /ontheemding)")
    for _, row in summary.scores.iterrows():
        echo(
            f"  {row['target']:<16} h{row['horizon']} {row['model']:<18} CRPS {row['crps']:>10,.1f}  "
            f"MAE log1p {row['mae_log1p']:.3f}  cover50 {row['coverage50']:.2f}  "
            f"cover90 {row['coverage90']:.2f}"
        )


@displacement_app.command("forecast")
def forecast_cmd(
    seeds: Annotated[int, typer.Option("--seeds", min=1, max=MAX_SEEDS, help="Seeds pooled.")] = 3,
    output_format: FormatOption = OutputFormat.text,
) -> None:
    """Fit on everything published and forecast 1 and 2 years ahead; stored with provenance."""
    from dataclasses import asdict

    from gbvs.forecasting.displacement.service import forecast

    settings = load_settings()
    require(settings, Permission.forecast_run, "displacement.forecast", "displacement")
    summary = forecast(settings, seeds=seeds)
    if output_format is OutputFormat.json:
        print_json(asdict(summary))
        return
    echo(
        f"run {summary.run_id}: {summary.rows} forecasts, training cutoff {summary.training_cutoff}, "
        f"model {summary.model_version}"
    )
    for c in summary.choices:
        echo(
            f"  {c['target']} h{c['horizon']} seed {c['seed']}: {c['candidate']}, widening {c['scale']:g}, "
            f"share of past changes {c['blend']:g}, bound {c['bound']}"
        )


@displacement_app.command("ranking")
def ranking_cmd(
    horizon: Annotated[int, typer.Option("--horizon", min=1, max=2, help="Years ahead (1 or 2).")] = 1,
    limit: Annotated[int, typer.Option("--limit", min=1, max=500, help="Rows shown.")] = 25,
    output_format: Annotated[str, typer.Option("--format", "-f", help="text, json or csv.")] = "text",
) -> None:
    """Origins ranked by forecast asylum applications in the Netherlands (goal 13)."""
    from gbvs.errors import InputError
    from gbvs.forecasting.displacement.views import NOT_APPLICATIONS, ranking_csv, ranking_for

    if output_format not in ("text", "json", "csv"):
        raise InputError(f"format {output_format!r} is not supported; use text, json or csv")
    settings = load_settings()
    require(settings, Permission.forecast_read, "displacement.ranking", "displacement")
    view = ranking_for(settings, horizon, "en")
    rows = view.rows[:limit]
    if output_format == "json":
        print_json(view.as_dict(limit))
        return
    if output_format == "csv":
        echo(ranking_csv(view, limit).rstrip("\n"))
        return
    buffer = io.StringIO()
    run = view.run
    period = rows[0].forecast_period if rows else "-"
    buffer.write(
        f"asylum applications in the Netherlands in {period} (median [5-95%]); run {run.run_id}, model "
        f"{run.model_version}, data up to {run.training_cutoff}, vintage {run.data_vintage}\n"
    )
    for row in rows:
        buffer.write(
            f"{row.rank:>3} {row.name[:24]:<24} {row.q50:>8,.0f} [{row.q05:,.0f}-{row.q95:,.0f}] "
            f"last {row.last_value if row.last_value is not None else 'n/a'}\n"
        )
    for line in view.skill_lines():
        buffer.write(line + "\n")
    buffer.write(NOT_APPLICATIONS + "\n")
    echo(buffer.getvalue().rstrip("\n"))


def register(app: typer.Typer) -> None:
    """Add ``gbvs displacement``."""
    app.add_typer(displacement_app)
