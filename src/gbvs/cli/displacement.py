"""``gbvs displacement``: forced displacement forecasts (issue 17): backtest, forecast, ranking, country."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from gbvs.cli.identity import AsUser, require
from gbvs.cli.options import LangOption, resolve_lang
from gbvs.cli.output import FormatOption, OutputFormat, echo, print_json
from gbvs.cli.texts import translator
from gbvs.config import load_settings
from gbvs.security.permissions import Permission
from gbvs.strategy.model import Lang

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
    lang: LangOption = None,
    as_user: AsUser = None,
) -> None:
    """Rolling-origin backtest, forecast years 2010-2023, against four baselines (needs forecast:run)."""
    from gbvs.forecasting.displacement.service import backtest

    settings = load_settings()
    require(settings, Permission.forecast_run, "displacement.backtest", "displacement", as_user)
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
    echo("\n".join(backtest_lines(summary, resolve_lang(lang))))


def backtest_lines(summary: Any, lang: Lang) -> list[str]:
    """The text output of ``gbvs displacement backtest``: where the report is, the run it is kept as and
    each model's scores, in ``lang``."""
    from gbvs.numbers import decimal

    _ = translator(lang)
    lines = [
        _("report: %(path)s") % {"path": f"{summary.report_dir}/report.md"},
        _("kept as run %(run)s (shown beside the ranking: gbvs displacement ranking, /ontheemding)")
        % {"run": summary.run_id},
    ]
    for _index, row in summary.scores.iterrows():
        figures = _("CRPS %(crps)s  MAE log1p %(mae)s  coverage 50%% %(c50)s  coverage 90%% %(c90)s") % {
            "crps": f"{decimal(row['crps'], lang, 1):>10}",
            "mae": decimal(row["mae_log1p"], lang, 3),
            "c50": decimal(row["coverage50"], lang, 2),
            "c90": decimal(row["coverage90"], lang, 2),
        }
        lines.append(f"  {row['target']:<16} h{row['horizon']} {row['model']:<18} {figures}")
    return lines


@displacement_app.command("forecast")
def forecast_cmd(
    seeds: Annotated[int, typer.Option("--seeds", min=1, max=MAX_SEEDS, help="Seeds pooled.")] = 3,
    revalidate: Annotated[
        bool,
        typer.Option(
            "--revalidate",
            help="Validate model against baselines again, even where a stored run did so for the same "
            "inputs.",
        ),
    ] = False,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
    as_user: AsUser = None,
) -> None:
    """Fit on everything published and forecast 1 and 2 years ahead; stored with provenance."""
    from dataclasses import asdict

    from gbvs.forecasting.displacement.service import forecast

    settings = load_settings()
    require(settings, Permission.forecast_run, "displacement.forecast", "displacement", as_user)
    summary = forecast(settings, seeds=seeds, revalidate=revalidate)
    if output_format is OutputFormat.json:
        print_json(asdict(summary))
        return
    echo("\n".join(forecast_lines(summary, resolve_lang(lang))))


def forecast_lines(summary: Any, lang: Lang) -> list[str]:
    """The text output of ``gbvs displacement forecast`` in ``lang``: the stored run with its provenance,
    then what the main model chose on its inner window at each fit (target, horizon, seed)."""
    from gbvs.forecasting.displacement.selection import Selection
    from gbvs.forecasting.displacement.skill import (
        BASELINE_NAMES,
        TARGET_NAMES,
        ahead,
        selection_text,
        validation_text,
    )
    from gbvs.numbers import decimal

    _ = translator(lang)
    lines = [
        _(
            "run %(run)s: %(rows)s forecasts, model %(model)s, training cutoff %(cutoff)s, data vintage "
            "%(vintage)s"
        )
        % {
            "run": summary.run_id,
            "rows": decimal(summary.rows, lang, 0),
            "model": summary.model_version,
            "cutoff": summary.training_cutoff,
            "vintage": summary.data_vintage,
        }
    ]
    for c in summary.choices:
        lines.append(
            "  "
            + _(
                "%(target)s, %(ahead)s, seed %(seed)s: candidate %(candidate)s, widening %(scale)s, share of "
                "past changes %(blend)s, bound %(bound)s"
            )
            % {
                "target": _(TARGET_NAMES.get(c["target"], c["target"])),
                "ahead": ahead(c["horizon"], _),
                "seed": c["seed"],
                "candidate": _(c["candidate"]),
                "scale": decimal(c["scale"], lang),
                "blend": decimal(c["blend"], lang),
                "bound": _(c["bound"]),
            }
        )
    if summary.baselines:
        names = ", ".join(_(BASELINE_NAMES.get(b, b)) for b in summary.baselines)
        lines.append(_("baselines kept beside the run: %(names)s") % {"names": names})
    lines.extend(selection_text(Selection.from_dict(s), _, lang) for s in summary.selection)
    if summary.selection:
        lines.append(validation_text(summary.run_id, summary.reused_from, _, lang))
    return lines


@displacement_app.command("ranking")
def ranking_cmd(
    horizon: Annotated[int, typer.Option("--horizon", min=1, max=2, help="Years ahead (1 or 2).")] = 1,
    limit: Annotated[int, typer.Option("--limit", min=1, max=500, help="Rows shown.")] = 25,
    output_format: Annotated[str, typer.Option("--format", "-f", help="text, json or csv.")] = "text",
    lang: LangOption = None,
    as_user: AsUser = None,
) -> None:
    """Origins ranked by forecast asylum applications in the Netherlands (goal 13)."""
    from gbvs.errors import InputError
    from gbvs.forecasting.displacement.views import ranking_csv, ranking_for

    if output_format not in ("text", "json", "csv"):
        raise InputError(f"format {output_format!r} is not supported; use text, json or csv")
    settings = load_settings()
    require(settings, Permission.forecast_read, "displacement.ranking", "displacement", as_user)
    language = resolve_lang(lang)
    view = ranking_for(settings, horizon, language if output_format == "text" else "en")
    if output_format == "json":
        print_json(view.as_dict(limit))
        return
    if output_format == "csv":
        echo(ranking_csv(view, limit).rstrip("\n"))
        return
    echo("\n".join(ranking_lines(view, limit, language)))


def ranking_lines(view: Any, limit: int, lang: Lang) -> list[str]:
    """The text ranking in ``lang``: its run, one line per origin, the backtest's skill and the caveat."""
    from gbvs.forecasting.displacement.views import LEFT_OUT
    from gbvs.numbers import decimal
    from gbvs.web.queries.displacement import CAVEAT

    _ = translator(lang)
    rows, run = view.rows[:limit], view.run
    lines = [
        _(
            "asylum applications in the Netherlands in %(period)s (median [5-95%%]); run %(run)s, model "
            "%(model)s, data up to %(cutoff)s, vintage %(vintage)s"
        )
        % {
            "period": rows[0].forecast_period if rows else "–",
            "run": run.run_id,
            "model": run.model_version,
            "cutoff": run.training_cutoff,
            "vintage": run.data_vintage,
        }
    ]
    for row in rows:
        last = "–" if row.last_value is None else decimal(row.last_value, lang, 0)
        interval = f"[{decimal(row.q05, lang, 0)}–{decimal(row.q95, lang, 0)}]"
        beside = (
            ""
            if row.baseline_q50 is None
            else "; "
            + _("baseline %(median)s [%(low)s–%(high)s]")
            % {
                "median": decimal(row.baseline_q50, lang, 0),
                "low": decimal(row.baseline_q05, lang, 0),
                "high": decimal(row.baseline_q95, lang, 0),
            }
        )
        lines.append(
            f"{row.rank:>3} {row.name[:24]:<24} {decimal(row.q50, lang, 0):>8} {interval} "
            + _("last %(value)s") % {"value": last}
            + beside
        )
    return [
        *lines,
        *view.selection_lines(_, lang),
        *view.baseline_lines(_, lang),
        *view.bound_lines(_, lang, limit),
        *view.skill_lines(_, lang),
        _(LEFT_OUT),
        _(CAVEAT),
    ]


def register(app: typer.Typer) -> None:
    """Add ``gbvs displacement``."""
    app.add_typer(displacement_app)
