"""``gbvs actions``: early action (goal 1) from the command line: cases, decisions, the response gap.

The commands go through the same services as the web app (:mod:`gbvs.actions.service`), so
authorization and the audit log are the same; they act as the user of ``--as`` (or the OS owner).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import date
from typing import Annotated, Any

import typer

from gbvs.actions import service, warning
from gbvs.actions.alerts import RulesInForce, alerts_of, rules_in_force, watched_runs
from gbvs.actions.gap import RESPONSE_WEEKS
from gbvs.actions.outcomes import observed_at
from gbvs.actions.views import CaseView, GapReport
from gbvs.actions.workflow import Choice, parse_audience, parse_origin, parse_status
from gbvs.cli.accounts import AsUser
from gbvs.cli.identity import acting, require
from gbvs.cli.options import COUNTRY_HELP, country_iso3, row_id, row_id_option
from gbvs.cli.output import FormatOption, OutputFormat, clean, echo, print_json
from gbvs.config import load_settings
from gbvs.countries import iso3_of
from gbvs.errors import InputError, NoForecastRunError
from gbvs.forecasting.queries import RunInfo
from gbvs.forecasting.watchlist import load_rules
from gbvs.security.permissions import Permission
from gbvs.store.forecasts import ForecastsReader, forecasts_path, open_forecasts

actions_app = typer.Typer(help="Early action (goal 1): from a warning to a recorded decision.")

CaseId = Annotated[int, row_id("The case number.")]
Status = Annotated[
    str | None, typer.Option("--status", help="Only cases in this status (open, options, ...).")
]


@contextmanager
def _forecasts(required: bool) -> Iterator[ForecastsReader | None]:
    try:
        reader = open_forecasts(forecasts_path(load_settings()))
    except NoForecastRunError:
        if required:
            raise
        yield None
        return
    with reader:
        yield reader


def _day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option} {value!r} is not a date; write it as YYYY-MM-DD") from None


@actions_app.command("open")
def open_case(
    origin: Annotated[
        str,
        typer.Option(
            "--from", help="What the case answers: alert, country, signal-case, scenario, displacement."
        ),
    ],
    reference: Annotated[
        str,
        typer.Option(
            "--ref",
            help="RUN_ID:GWCODE (alert, displacement forecast), ISO3 (country), or the case/scenario id.",
        ),
    ],
    title: Annotated[str, typer.Option("--title", help=f"A short title (1-{service.TITLE_MAX} characters).")],
    country: Annotated[
        list[str] | None,
        typer.Option("--country", help=f"Another country concerned; repeat. {COUNTRY_HELP}"),
    ] = None,
    goal: Annotated[
        list[int] | None, typer.Option("--goal", help="A strategy goal concerned (1-13; repeat).")
    ] = None,
    region: Annotated[
        str | None, typer.Option("--region", help="Focus region id (default: the country's).")
    ] = None,
    description: Annotated[str, typer.Option("--description", help="What the warning is about.")] = "",
    audience: Annotated[
        str | None,
        typer.Option(
            "--audience",
            help="Who may read it besides you and your organisation: organisation, sharing-group, "
            "all-organisations (default; for a signal case: that case's sharing group if your "
            "organisation is in it, else your organisation).",
        ),
    ] = None,
    group: Annotated[
        str | None, typer.Option("--group", help="The sharing group (with --audience sharing-group).")
    ] = None,
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
) -> None:
    """Open an early-action case; the forecast it answers is frozen into the record."""
    kind = parse_origin(origin)
    wanted = parse_audience(audience) if audience else None
    countries = [country_iso3(code) for code in country or []]
    with (
        _forecasts(required=kind.value in ("alert", "displacement")) as forecasts,
        acting(as_user) as (session, principal),
    ):
        case_id = service.open_case(
            session, principal, forecasts=forecasts, rules=load_rules(load_settings().data_dir), origin=kind,
            reference=reference, title=title, countries=countries, goals=goal or [], region=region,
            description=description, audience=wanted, sharing_group=group,
        )  # fmt: skip
    _done(output_format, {"id": case_id}, f"opened early-action case {case_id}")


@actions_app.command("list")
def list_cases(
    status: Status = None, as_user: AsUser = None, output_format: FormatOption = OutputFormat.text
) -> None:
    """The cases, newest first; overdue follow-ups are flagged."""
    wanted = parse_status(status) if status else None
    with acting(as_user) as (session, principal):
        cases = service.list_cases(session, principal, status=wanted)
    if output_format is OutputFormat.json:
        print_json([asdict(c) for c in cases])
        return
    if not cases:
        echo(_no_cases(wanted.value if wanted else None))
    for case in cases:
        late = f"  OVERDUE {case.overdue_days} d" if case.overdue_days else ""
        echo(f"{case.id:>5}  {case.status:<10} {','.join(case.countries):<12} {clean(case.title)}{late}")


def _no_cases(status: str | None) -> str:
    """What an empty board means and what to do next."""
    if status:
        return f"no early-action cases in status {status!r}; `gbvs actions list` shows them all"
    return (
        "no early-action cases yet (or none shared with you); open one from an alert: `gbvs actions alerts` "
        "lists them, then `gbvs actions open --from alert --ref RUN_ID:GWCODE --title TITLE`"
    )


@actions_app.command("show")
def show(case_id: CaseId, as_user: AsUser = None, output_format: FormatOption = OutputFormat.text) -> None:
    """One case in full: the frozen warning, options, decisions, follow-ups and outcome."""
    with acting(as_user) as (session, principal):
        view = service.get_case(session, principal, case_id)
    if output_format is OutputFormat.json:
        print_json(asdict(view))
        return
    with _forecasts(required=False) as forecasts:
        newer = warning.newer_run(forecasts, view.warning, load_rules(load_settings().data_dir))
    _print_case(view, newer)


@actions_app.command("history")
def history(case_id: CaseId, as_user: AsUser = None, output_format: FormatOption = OutputFormat.text) -> None:
    """Every version of a case."""
    with acting(as_user) as (session, principal):
        versions = service.case_history(session, principal, case_id)
    if output_format is OutputFormat.json:
        print_json([asdict(v) for v in versions])
        return
    for v in versions:
        when = f"{v.changed_at:%Y-%m-%d %H:%M}"
        why = f"  why: {clean(v.why)}" if v.why else ""
        echo(f"v{v.version:<3} {when}  {v.status:<10} {v.change:<18} {clean(v.changed_by)}{why}")


@actions_app.command("option")
def add_option(
    case_id: CaseId,
    instrument: Annotated[
        str, typer.Option("--instrument", help="Strategy instrument id (`gbvs strategy show`).")
    ],
    description: Annotated[str, typer.Option("--description", help="What would be done.")],
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
) -> None:
    """Add an option considered, with an instrument of the strategy."""
    with acting(as_user) as (session, principal):
        option_id = service.add_option(
            session, principal, case_id, instrument=instrument, description=description
        )
    _done(output_format, {"id": option_id}, f"option {option_id} added to case {case_id}")


@actions_app.command("status")
def move(
    case_id: CaseId,
    status: Annotated[str, typer.Argument(help="open, options, decided, follow-up or closed.")],
    outcome: Annotated[str, typer.Option("--outcome", help="What came of it (needed to close).")] = "",
    reason: Annotated[
        str, typer.Option("--reason", help="Why (needed to withdraw a decision or reopen a closed case).")
    ] = "",
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
) -> None:
    """Move a case in the workflow open → options → decided → follow-up → closed ('decided' only
    through `decide`)."""
    new = parse_status(status)
    with acting(as_user) as (session, principal):
        service.move(session, principal, case_id, new, outcome=outcome, reason=reason)
    _done(output_format, {"id": case_id, "status": new.value}, f"case {case_id} is now {new.value!r}")


@actions_app.command("share")
def share(
    case_id: CaseId,
    audience: Annotated[
        str, typer.Option("--audience", help="organisation, sharing-group or all-organisations.")
    ],
    group: Annotated[
        str | None, typer.Option("--group", help="The sharing group (with --audience sharing-group).")
    ] = None,
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
) -> None:
    """Change who may read a case (its own organisation only)."""
    wanted = parse_audience(audience)
    with acting(as_user) as (session, principal):
        service.share(session, principal, case_id, wanted, group)
    _done(
        output_format, {"id": case_id, "audience": wanted.value}, f"case {case_id} is now for {wanted.value}"
    )


@actions_app.command("decide")
def decide(
    case_id: CaseId,
    option: Annotated[int | None, row_id_option("--option", "The option taken (id).")] = None,
    no_action: Annotated[
        bool, typer.Option("--no-action", help="Decide not to act (give --reasoning).")
    ] = False,
    reasoning: Annotated[str, typer.Option("--reasoning", help="Why.")] = "",
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
) -> None:
    """Record the decision: the option taken, or a reasoned decision not to act."""
    if no_action and option is not None:
        raise InputError("give either --option ID (act) or --no-action with --reasoning, not both")
    choice = Choice.no_action if no_action else Choice.act
    with acting(as_user) as (session, principal):
        decision = service.decide(
            session, principal, case_id, choice=choice, option_id=option, reasoning=reasoning
        )
    _done(output_format, {"id": decision}, f"decision {decision} recorded on case {case_id}")


@actions_app.command("follow-up")
def follow_up(
    case_id: CaseId,
    due: Annotated[str, typer.Option("--due", help="Date of the follow-up (YYYY-MM-DD).")],
    note: Annotated[str, typer.Option("--note", help="What to check.")] = "",
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
) -> None:
    """Plan a follow-up date (after the decision)."""
    with acting(as_user) as (session, principal):
        item = service.add_follow_up(session, principal, case_id, due_on=_day(due, "--due"), note=note)
    _done(output_format, {"id": item}, f"follow-up {item} planned on case {case_id}")


@actions_app.command("follow-up-done")
def follow_up_done(
    case_id: CaseId,
    follow_up_id: Annotated[int, row_id("The follow-up id.")],
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
) -> None:
    """Mark a follow-up as done."""
    with acting(as_user) as (session, principal):
        service.complete_follow_up(session, principal, case_id, follow_up_id)
    _done(output_format, {"id": follow_up_id}, f"follow-up {follow_up_id} of case {case_id} done")


@actions_app.command("alerts")
def alerts(output_format: FormatOption = OutputFormat.text) -> None:
    """Every watchlist alert since the first stored forecast run (the references cases open from)."""
    settings = load_settings()
    require(settings, Permission.actions_read, "actions.alerts", "action_case")
    in_force = rules_in_force(settings.data_dir)
    with _forecasts(required=True) as forecasts:
        assert forecasts is not None
        runs = watched_runs(forecasts, in_force.rules)
        found = alerts_of(runs, in_force.rules)
    if output_format is OutputFormat.json:
        print_json([asdict(a) | {"reference": a.reference} for a in found])
        return
    for a in found:
        echo(
            f"{a.reference:<28} {a.iso3 or a.gwcode!s:<4} p={a.p:.2f}  {'; '.join(x.text for x in a.alerts)}"
        )
    if not found:
        echo(_no_alerts(len(runs), in_force))


def _no_alerts(runs: int, in_force: RulesInForce) -> str:
    """Why there are no alerts: too few runs of the watchlist's target, or none crossed the rules."""
    r = in_force.rules
    what = f"{r.target}, {r.horizon} year(s) ahead"
    if runs < 2:
        return (
            f"no alerts: they compare two forecast runs of the watchlist's target ({what}) and there "
            f"{'is' if runs == 1 else 'are'} {runs}; run `gbvs forecast` again after new data"
        )
    source = "shipped rules" if in_force.source == "shipped" else f"rules changed by {in_force.file}"
    return (
        f"no alerts: in none of the {runs} forecast runs of {what} did a country cross "
        f"{r.threshold:.0%} or change by {r.jump * 100:g} percentage point(s) or more against the run "
        f"before ({source})"
    )


@actions_app.command("gap")
def gap(as_user: AsUser = None, output_format: FormatOption = OutputFormat.text) -> None:
    """The warning-response gap: alerts without a case, and the time to decision per region."""
    settings = load_settings()
    with _forecasts(required=True) as forecasts, acting(as_user) as (session, principal):
        rules = load_rules(settings.data_dir)
        outcomes = observed_at(settings.resolved_store_path, rules.target)
        report = service.gap_report(session, principal, forecasts, rules, outcomes=outcomes)
    found = rules_in_force(settings.data_dir)
    if output_format is OutputFormat.json:
        print_json(
            asdict(report) | {"rules_source": found.source, "rules_overridden": list(found.overridden)}
        )
        return
    _print_gap(report)
    _print_provenance(report, found)


def _print_gap(report: GapReport) -> None:
    since = f"{report.first_run_at[:16]} UTC" if report.first_run_at else "–"
    echo(f"{report.runs} forecast run(s) since {since}; {len(report.rows)} alert(s)")
    weeks = f"in {RESPONSE_WEEKS} weeks"
    head = (
        f"{'region':<26} {'alerts':>6} {'case':>5} {'decided':>8} {weeks:>11} {'no case':>8} "
        f"{'median days':>12}"
    )
    echo(f"{head}  conflict observed")
    for r in report.regions:
        days = "–" if r.median_days_to_decision is None else f"{r.median_days_to_decision:.1f}"
        seen = f"{r.observed} of {r.outcomes_known} known" if r.outcomes_known else "unknown"
        row = (
            f"{r.region:<26} {r.alerts:>6} {r.answered:>5} {r.decided:>8} {r.decided_in_time:>11} "
            f"{r.unanswered:>8} {days:>12}"
        )
        echo(f"{row}  {seen}")
    for note in report.notes:
        echo(f"note: {note}")


def _print_provenance(report: GapReport, found: RulesInForce) -> None:
    r = found.rules
    source = (
        "as shipped (watchlist.yaml)"
        if found.source == "shipped"
        else f"changed by {found.file}: {', '.join(found.overridden)}"
    )
    echo(
        f"alert rules: {r.target}, {r.horizon} year(s) ahead, threshold {r.threshold:.0%}, jump "
        f"{r.jump * 100:g} percentage point(s), watch from {r.watch_from:.0%}; {source}"
    )
    for run in report.run_infos:
        echo(
            f"  run {run.run_id}: {run.created_at[:16]} UTC, model {run.model_version}, training cutoff "
            f"{run.training_cutoff}, data {run.data_vintage}"
        )
    if report.run_infos:
        echo(
            f"no data before the first run ({report.run_infos[0].created_at[:10]}): not the same as no alerts"
        )


def _print_case(view: CaseView, newer: RunInfo | None) -> None:
    s = view.summary
    echo(f"case {s.id}: {clean(s.title)}  [{s.status}, version {s.version}]")
    where = f"countries {', '.join(s.countries)}; region {s.region or '–'}"
    echo(f"from {s.origin_kind} {clean(s.origin_ref)}; {where}")
    echo(f"opened by {clean(s.opened_by)} on {s.opened_at:%Y-%m-%d %H:%M} UTC; goals {list(view.goals)}")
    shared = f" ({clean(view.sharing_group)})" if view.sharing_group else ""
    echo(f"owner {view.owner or '–'}; readable by: {view.audience}{shared}")
    _print_warning(view.warning, newer)
    instruments = {o.id: o.instrument for o in view.options}
    for option in view.options:
        echo(f"  option {option.id}: [{option.instrument}] {clean(option.description)}")
    for d in view.decisions:
        who = f"by {clean(d.decided_by)} on {d.decided_at:%Y-%m-%d %H:%M} UTC"
        state = "" if d.in_force else " (withdrawn)"
        what = (
            f"act with option {d.option_id} [{instruments.get(d.option_id or 0, '?')}]"
            if d.choice == Choice.act
            else "not to act"
        )
        echo(f"  decision {d.id}{state}: {what} {who}; why: {clean(d.reasoning)}")
    for f in view.follow_ups:
        state = f"done {f.done_on}" if f.done_on else ("OVERDUE" if f.overdue else "pending")
        echo(f"  follow-up {f.id}: {f.due_on} {state} {clean(f.note)}")
    if view.outcome:
        echo(f"outcome: {clean(view.outcome)}")


def _print_warning(frozen: dict[str, Any], newer: RunInfo | None) -> None:
    """The frozen warning: its run's provenance, the alert and the watched target's probabilities,
    and whether a newer run exists (the case keeps this one)."""
    run = frozen.get("run")
    if not run:
        echo(f"warning: {frozen.get('note', '')}")
        return
    echo(
        f"warning frozen from run {run['run_id']}: model {run['model_version']}, training cutoff "
        f"{run['training_cutoff']}, data {run['data_vintage']}"
    )
    alert = frozen.get("alert")
    if alert:
        before = "–" if alert["previous"] is None else f"{alert['previous']:.0%}"
        echo(f"alert: {'; '.join(alert['alerts'])} ({before} → {alert['p']:.0%})")
    rules = frozen.get("rules") or {}
    watched = (rules.get("target"), rules.get("horizon"))
    for country in frozen.get("countries", []):
        name = iso3_of(country["gwcode"]) or country["gwcode"]
        for f in country["forecasts"]:
            if (f["target"], f["horizon"]) == watched and f["p"] is not None:
                echo(f"  {name}: {f['target']} {f['forecast_period']} {f['p']:.0%}")
    if newer:
        echo(
            f"a newer forecast run exists ({newer.run_id} of {newer.created_at[:16]} UTC, model "
            f"{newer.model_version}); this case keeps the forecast it was opened with"
        )


def _done(output_format: OutputFormat, data: dict[str, object], text: str) -> None:
    if output_format is OutputFormat.json:
        print_json(data)
    else:
        echo(text)


def register(app: typer.Typer) -> None:
    """Add ``gbvs actions``."""
    app.add_typer(actions_app, name="actions")
