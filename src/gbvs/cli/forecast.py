"""The early-warning commands: ``gbvs backtest``, ``forecast``, ``watchlist`` and ``modelcard``."""

from __future__ import annotations

import csv
import io
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from gbvs.cli.helptexts import help_with
from gbvs.cli.identity import AsUser, audited_run, require
from gbvs.cli.options import LangOption, region_id, resolve_lang
from gbvs.cli.output import FormatOption, OutputFormat, echo, print_json
from gbvs.cli.progress import step_bars
from gbvs.cli.texts import catalog, translator
from gbvs.config import load_settings
from gbvs.countries import name_of_gwcode
from gbvs.safetext import defused_row
from gbvs.security.permissions import Permission
from gbvs.strategy.model import Lang

if TYPE_CHECKING:
    from gbvs.forecasting.service import BacktestSummary, Goal

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
    as_user: AsUser = None,
) -> None:
    """Rolling-origin backtest from the store: writes report.md/json and charts (needs forecast:run)."""
    from dataclasses import asdict

    from gbvs.forecasting.report import QUICK_NOTE
    from gbvs.forecasting.service import backtest

    settings = load_settings()
    json_output = output_format is OutputFormat.json
    with (
        audited_run(settings, Permission.forecast_run, "forecast.backtest", "forecast", as_user) as detail,
        step_bars("backtest:", json_output) as steps,
    ):
        summary = backtest(
            settings,
            unit=unit,
            targets=targets,
            seeds=seeds,
            quick=quick,
            out=out,
            jobs=jobs,
            horizons=horizons,
            steps=steps,
        )
        detail.update(unit=unit, quick=quick, report=summary.report_dir.name)
    if output_format is OutputFormat.json:
        print_json(
            {
                "report_dir": str(summary.report_dir),
                "goals": [asdict(goal) for goal in summary.goals],
                "comparisons": [asdict(row) for row in summary.comparisons],
                "timings": summary.timings,
                "provenance": summary.provenance,
                "comparable": not quick,
                "note": QUICK_NOTE if quick else None,
            }
        )
        return
    if quick:
        echo(QUICK_NOTE)
    echo(f"report: {summary.report_dir}/report.md")
    for line in _goal_lines(summary):
        echo(line)
    for stage, seconds in summary.timings.items():
        echo(f"  time {stage}: {seconds:.1f}s")


def _goal_lines(summary: BacktestSummary) -> list[str]:
    """Each goal with its figure, verdict, interval and what it rests on; then the comparisons with the
    conflict-history baseline."""
    lines = []
    for goal in summary.goals:
        verdict = "met" if goal.met else "NOT met"
        lines.append(f"  {goal.goal}: {goal.value:.4g} (goal {goal.target}) {verdict}{_sampling(goal)}")
        if goal.rests_on:
            lines.append(f"    rests most on: {_rests(goal)}")
    if summary.comparisons:
        lines.append("against the conflict-history baseline (main model − baseline on the same rows):")
    for row in summary.comparisons:
        verdict = "ahead" if row.met else "NOT ahead"
        difference = "n/a" if row.difference is None else f"{row.difference:+.4g}"
        lines.append(f"  {row.goal}: {difference} {verdict}{_sampling(row)}")
    return lines


def _sampling(goal: Goal) -> str:
    """The goal's 95% interval and where it lies (", 95% interval [0.21, 0.39]: undecided"), or nothing
    for a goal without one (a quick run)."""
    if goal.low is None or goal.high is None:
        return ""
    of = " of the difference" if goal.interval_of == "difference" else ""
    return f", 95% interval{of} [{goal.low:.4g}, {goal.high:.4g}]: {goal.sampling}"


def _rests(goal: Goal) -> str:
    """What the goal's verdict rests on most, e.g. "without Ethiopia: +13 of the difference (no longer
    met); without the forecasts made in 2022: -40 of the difference (still met)"."""
    from gbvs.forecasting.goals import LEAVE_OUT_VERDICTS, left_out_words

    parts = []
    for rest in goal.rests_on:
        if rest.get("value_of") == "difference":
            value = f"{rest['value']:+.4g} of the difference"
        else:
            value = f"{rest['value']:.4g}"
        verdict = LEAVE_OUT_VERDICTS[(goal.met, bool(rest["met"]))]
        parts.append(f"{left_out_words(rest)}: {value} ({verdict})")
    return "; ".join(parts)


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
    lang: LangOption = None,
    as_user: AsUser = None,
) -> None:
    """Fit on all data and forecast the next periods; stored in forecasts.duckdb (needs forecast:run)."""
    from dataclasses import asdict

    from gbvs.forecasting.service import forecast

    settings = load_settings()
    with (
        audited_run(settings, Permission.forecast_run, "forecast.run", "forecast", as_user) as detail,
        step_bars("forecast:", output_format is OutputFormat.json) as steps,
    ):
        summary = forecast(settings, unit=unit, targets=targets, seed=seed, seeds=seeds, steps=steps)
        detail.update(
            object_id=summary.run_id, rows=summary.rows, model_version=summary.model_version, unit=unit
        )
    if output_format is OutputFormat.json:
        print_json(asdict(summary))
        return
    echo(run_line(summary, seeds, translator(resolve_lang(lang))))


def run_line(summary: Any, seeds: int, _: Any) -> str:
    """The stored run with its provenance, in the language of the catalogue function ``_``."""
    first, last = summary.seed, summary.seed + seeds - 1
    seed_text = (
        _("seed %(seed)s") % {"seed": first}
        if seeds == 1
        else _("mean over seeds %(first)s-%(last)s") % {"first": first, "last": last}
    )
    return _(
        "run %(run)s: %(rows)s forecasts, training cutoff %(cutoff)s, model %(model)s, %(seeds)s, data "
        "%(vintage)s"
    ) % {
        "run": summary.run_id,
        "rows": summary.rows,
        "cutoff": summary.training_cutoff,
        "model": summary.model_version,
        "seeds": seed_text,
        "vintage": summary.data_vintage,
    }


class WatchlistFormat(StrEnum):
    """Output formats of the watchlist."""

    text = "text"
    json = "json"
    csv = "csv"


class WatchlistOrder(StrEnum):
    """Orders of the watchlist."""

    risk = "risk"
    change = "change"


TEXT_ROWS = 40
"""Rows the text watchlist shows (json and csv give every row)."""


def watchlist_cmd(
    region: Annotated[
        str | None,
        typer.Option(
            "--region", help="Focus region id or name in any case, e.g. sahel, Sahel or ring_around_europe."
        ),
    ] = None,
    by: Annotated[
        WatchlistOrder,
        typer.Option(
            "--by", case_sensitive=False, help="Order by risk (default) or by change since the last run."
        ),
    ] = WatchlistOrder.risk,
    output_format: Annotated[
        WatchlistFormat, typer.Option("--format", "-f", case_sensitive=False, help="text, json or csv.")
    ] = WatchlistFormat.text,
    lang: LangOption = None,
    limit: Annotated[
        int,
        typer.Option(
            "--limit",
            min=1,
            help=help_with("Rows of the text list (default %(rows)s; json and csv: all).", rows=TEXT_ROWS),
        ),
    ] = TEXT_ROWS,
    as_user: AsUser = None,
) -> None:
    """Countries ranked by risk and by change since the previous forecast, with alerts (Dutch by default)."""
    from dataclasses import replace

    from gbvs.forecasting.queries import as_dict, specific_explanations, watchlist
    from gbvs.forecasting.watchlist import load_rules
    from gbvs.store.forecasts import forecasts_path, open_forecasts

    language = resolve_lang(lang)
    chosen_region = region_id(region, language) if region is not None else None
    settings = load_settings()
    require(settings, Permission.forecast_read, "forecast.read", "forecast", as_user)
    with open_forecasts(forecasts_path(settings)) as forecasts:
        result = watchlist(forecasts, rules=load_rules(settings.data_dir), region=chosen_region)
        specific = specific_explanations(forecasts)
    text = output_format is WatchlistFormat.text  # one line per country: the change is in its own column
    result = replace(result, entries=worded_entries(result, specific, language, change=not text))
    if by is WatchlistOrder.change:
        ordered = sorted(
            result.entries, key=lambda e: (e.rank_change is None, e.rank_change or 0, e.rank_risk)
        )
        result = replace(result, entries=ordered)
    if output_format is WatchlistFormat.json:
        print_json(watchlist_json(as_dict(result), language))
        return
    if output_format is WatchlistFormat.csv:
        _print_watchlist_csv(result, language)
        return
    for line in watchlist_lines(result, language, limit):
        echo(line)


def worded_entries(result: Any, specific: dict[Any, Any], lang: Lang, *, change: bool = True) -> list[Any]:
    """The watchlist's entries with their summary in ``lang``: what sets each country apart from the
    median country and (``change``) what moved since the previous run; the stored summary where the
    run has no contributions."""
    from dataclasses import replace

    from gbvs.forecasting.specific import describe
    from gbvs.web.queries.forecasts import wording

    words = wording(translator(lang), lang)
    key = (result.rules.target, result.rules.horizon)
    found = ((e, specific.get((e.unit_key, *key))) for e in result.entries)
    return [replace(e, summary=describe(x, words, change=change)) if x else e for e, x in found]


WATCHLIST_CSV_COLUMNS = (
    "rank",
    "rank_change",
    "gwcode",
    "p",
    "previous",
    "change",
    "status",
    "alerts",
    "alert_kinds",
    "summary",
)


def watchlist_json(document: dict[str, Any], lang: Lang) -> dict[str, Any]:
    """The watchlist as JSON, each entry's alerts as the API gives them: ``alerts`` in words in ``lang``,
    ``alert_details`` machine-readable (kind, threshold, change)."""
    from gbvs.forecasting.watchlist import Alert
    from gbvs.web.queries.forecasts import alert_worder

    worded = alert_worder(catalog(lang), lang)
    for entry in document["entries"]:
        details = entry.pop("alerts")
        entry["alerts"] = [worded(Alert(**detail)) for detail in details]
        entry["alert_details"] = details
    return document


def _print_watchlist_csv(result: Any, lang: Lang) -> None:
    """The watchlist as CSV, each row traceable: the country's ISO3 code, what it forecasts (target,
    horizon), the run it comes from and the run its change is measured from."""
    from gbvs.countries.identity import iso3_of
    from gbvs.web.queries.forecasts import PREVIOUS_RUN_COLUMN, RUN_COLUMNS, alert_worder

    worded = alert_worder(catalog(lang), lang)

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*WATCHLIST_CSV_COLUMNS, "iso3", "target", "horizon", *RUN_COLUMNS, PREVIOUS_RUN_COLUMN])
    run = [getattr(result.latest, name) for name in RUN_COLUMNS]
    previous = result.previous.run_id if result.previous else None
    for e in result.entries:
        alerts = ["; ".join(worded(a) for a in e.alerts), "; ".join(a.kind for a in e.alerts)]
        row = [e.rank_risk, e.rank_change, e.unit_key, f"{e.p:.4f}", e.previous, e.change, e.status, *alerts]
        about = [iso3_of(int(e.unit_key)), result.rules.target, result.rules.horizon, *run, previous]
        writer.writerow(defused_row([*row, e.summary, *about]))
    echo(buffer.getvalue().rstrip("\n"))


def watchlist_lines(result: Any, lang: Lang, limit: int) -> list[str]:
    """The text watchlist in ``lang``: a header, one line per country, and what was left out."""
    from gbvs.numbers import percent, signed
    from gbvs.web.queries.forecasts import STATUS_NAMES, alert_worder

    _ = translator(lang)
    worded = alert_worder(catalog(lang), lang)
    lines = [watchlist_header(result, lang)]
    for e in result.entries[:limit]:
        change = (
            ""
            if e.change is None
            else " (" + _("%(points)s pts") % {"points": signed(100 * e.change, lang, 0)} + ")"
        )
        name = name_of_gwcode(int(e.unit_key), lang) or ""
        status = _(STATUS_NAMES.get(e.status, e.status)) if e.status else ""
        shown = [worded(a) for a in e.alerts]
        summary = e.summary
        row = f"{e.rank_risk:>3} {e.unit_key:>4} {name[:22]:<22} {percent(e.p, lang):>4}{change}"
        lines.append(" ".join(part for part in (row, status, "; ".join(shown), "-", summary) if part))
    if len(result.entries) > limit:
        lines.append(
            _("%(shown)s of %(total)s countries shown; --limit N shows more, --format csv or json shows all")
            % {"shown": limit, "total": len(result.entries)}
        )
    return lines


def watchlist_header(result: Any, lang: Lang) -> str:
    """What the list forecasts and where it comes from: the run, when it was made, the model version,
    the training cutoff and the data vintage, and the run the changes are measured from."""
    from gbvs.numbers import day
    from gbvs.web.queries.forecasts import TARGET_NAMES

    _ = translator(lang)
    target = TARGET_NAMES.get(result.rules.target)
    latest, previous = result.latest, result.previous
    compared = (
        _("changes against run %(run)s of %(made)s")
        % {"run": previous.run_id, "made": day(previous.created_at, lang)}
        if previous
        else _("no previous run to compare with")
    )
    return _(
        "watchlist %(target)s, %(horizon)s year(s) ahead (run %(run)s of %(made)s, model %(model)s, "
        "training cutoff %(cutoff)s, data %(vintage)s; %(compared)s)"
    ) % {
        "target": _(target) if target else result.rules.target,
        "horizon": result.rules.horizon,
        "run": latest.run_id,
        "made": day(latest.created_at, lang),
        "model": latest.model_version,
        "cutoff": latest.training_cutoff,
        "vintage": latest.data_vintage,
        "compared": compared,
    }


class ModelCardFormat(StrEnum):
    """Output formats of the model card."""

    md = "md"
    text = "text"
    json = "json"


class ModelName(StrEnum):
    """The models with a model card (see :data:`gbvs.forecasting.modelcard.MODELS`)."""

    lgbm = "lgbm"
    history_logit = "history_logit"
    persistence = "persistence"
    zero = "zero"
    conflictology = "conflictology"


def modelcard_cmd(
    model: Annotated[
        ModelName, typer.Option("--model", case_sensitive=False, help="The model.")
    ] = ModelName.lgbm,
    output_format: Annotated[
        ModelCardFormat,
        typer.Option("--format", "-f", case_sensitive=False, help="md (Markdown; also: text) or json."),
    ] = ModelCardFormat.md,
    lang: LangOption = None,
    as_user: AsUser = None,
) -> None:
    """Print the model card (Markdown, Dutch by default; or JSON) with the latest stored backtest figures."""
    from gbvs.errors import NotFoundError
    from gbvs.forecasting.goals import figure_digits, goal_target
    from gbvs.forecasting.modelcard import model_card, model_card_data
    from gbvs.forecasting.queries import backtest_metrics
    from gbvs.numbers import decimal, exact
    from gbvs.store.forecasts import forecasts_path, open_forecasts
    from gbvs.web.labels import goal_text, target_name
    from gbvs.web.queries.forecasts import TARGET_NAMES

    language = resolve_lang(lang)
    try:
        settings = load_settings()
        require(settings, Permission.forecast_read, "forecast.read", "forecast", as_user)
        with open_forecasts(forecasts_path(settings)) as forecasts:
            report = backtest_metrics(forecasts)
    except NotFoundError:
        report = None
    if output_format is ModelCardFormat.json:
        print_json(model_card_data(model.value, report.as_dict() if report else None))
        return
    _ = translator(language)
    label = None if language == "en" else (lambda name: target_name(name, TARGET_NAMES, _))

    def goal_words(goal: dict[str, Any]) -> tuple[str, str]:
        threshold = goal_target(str(goal["target"]), lambda v: exact(v, language))
        return goal_text(str(goal["goal"]), _).text, threshold

    echo(
        model_card(
            model.value,
            report.as_dict() if report else None,
            gettext=_,
            target_label=label,
            number=lambda v: decimal(v, language, figure_digits(v)),
            goal_words=goal_words,
            count=lambda n: decimal(n, language, 0),
            lang=language,
        )
    )


def register(app: typer.Typer) -> None:
    """Add the forecasting commands."""
    app.command("backtest")(backtest_cmd)
    app.command("forecast")(forecast_cmd)
    app.command("watchlist")(watchlist_cmd)
    app.command("modelcard")(modelcard_cmd)
