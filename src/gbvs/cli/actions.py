"""``gbvs actions``: early action (goal 1) from the command line: cases, decisions, the response gap.

The commands go through the same services as the web app (:mod:`gbvs.actions.service`), so
authorization and the audit log are the same; they act as the user of ``--as`` (or the OS owner).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from typing import Annotated

import typer

from gbvs.actions import service, warning
from gbvs.actions.alerts import alerts_of, rules_in_force, watched_runs
from gbvs.actions.names import AUDIENCE_NAMES, STATUS_NAMES
from gbvs.actions.outcomes import observed_at
from gbvs.actions.workflow import Choice, parse_audience, parse_origin, parse_status
from gbvs.cli import actions_words as text
from gbvs.cli.actions_words import Words, words_of
from gbvs.cli.helptexts import help_with
from gbvs.cli.identity import AsUser, acting, require
from gbvs.cli.options import (
    COUNTRY_HELP,
    LangOption,
    country_iso3,
    parse_day,
    region_id,
    resolve_lang,
    row_id,
    row_id_option,
)
from gbvs.cli.output import FormatOption, OutputFormat, echo, print_json
from gbvs.config import load_settings
from gbvs.errors import InputError, NoForecastRunError
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
    title: Annotated[
        str,
        typer.Option(
            "--title", help=help_with("A short title (1-%(most)s characters).", most=service.TITLE_MAX)
        ),
    ],
    country: Annotated[
        list[str] | None,
        typer.Option(
            "--country",
            help=help_with("Another country concerned; repeat. %(country)s", country=COUNTRY_HELP),
        ),
    ] = None,
    goal: Annotated[
        list[int] | None, typer.Option("--goal", help="A strategy goal concerned (1-13; repeat).")
    ] = None,
    region: Annotated[
        str | None,
        typer.Option(
            "--region", help="Focus region id or name in any case, e.g. sahel (default: the country's)."
        ),
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
    lang: LangOption = None,
) -> None:
    """Open an early-action case; the forecast it answers is frozen into the record."""
    kind = parse_origin(origin)
    wanted = parse_audience(audience) if audience else None
    countries = [country_iso3(code) for code in country or []]
    region = region_id(region, resolve_lang(lang)) if region is not None else None
    with (
        _forecasts(required=kind.value in ("alert", "displacement")) as forecasts,
        acting(as_user) as (session, principal),
    ):
        case_id = service.open_case(
            session, principal, forecasts=forecasts, rules=load_rules(load_settings().data_dir), origin=kind,
            reference=reference, title=title, countries=countries, goals=goal or [], region=region,
            description=description, audience=wanted, sharing_group=group,
        )  # fmt: skip
    w = _words(lang)
    _done(output_format, {"id": case_id}, w("opened early-action case %(id)s", id=case_id))


@actions_app.command("list")
def list_cases(
    status: Status = None,
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """The cases, newest first; overdue follow-ups are flagged."""
    wanted = parse_status(status) if status else None
    with acting(as_user) as (session, principal):
        cases = service.list_cases(session, principal, status=wanted)
    if output_format is OutputFormat.json:
        print_json([asdict(c) for c in cases])
        return
    w = _words(lang)
    if not cases:
        echo(text.empty_board(w, wanted.value if wanted else None))
    for case in cases:
        echo(text.board_line(w, case))


@actions_app.command("show")
def show(
    case_id: CaseId,
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """One case in full: the frozen warning, options, decisions, follow-ups and outcome."""
    with acting(as_user) as (session, principal):
        view = service.get_case(session, principal, case_id)
    if output_format is OutputFormat.json:
        print_json(asdict(view))
        return
    with _forecasts(required=False) as forecasts:
        newer = warning.newer_run(forecasts, view.warning, load_rules(load_settings().data_dir))
    for line in text.case_lines(_words(lang), view, newer):
        echo(line)


@actions_app.command("history")
def history(
    case_id: CaseId,
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """Every version of a case."""
    with acting(as_user) as (session, principal):
        versions = service.case_history(session, principal, case_id)
    if output_format is OutputFormat.json:
        print_json([asdict(v) for v in versions])
        return
    w = _words(lang)
    for v in versions:
        echo(text.history_line(w, v))


@actions_app.command("option")
def add_option(
    case_id: CaseId,
    instrument: Annotated[
        str, typer.Option("--instrument", help="Strategy instrument id (`gbvs strategy show`).")
    ],
    description: Annotated[str, typer.Option("--description", help="What would be done.")],
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """Add an option considered, with an instrument of the strategy."""
    with acting(as_user) as (session, principal):
        option_id = service.add_option(
            session, principal, case_id, instrument=instrument, description=description
        )
    said = _words(lang)("option %(option)s added to case %(case)s", option=option_id, case=case_id)
    _done(output_format, {"id": option_id}, said)


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
    lang: LangOption = None,
) -> None:
    """Move a case in the workflow open → options → decided → follow-up → closed ('decided' only
    through `decide`)."""
    new = parse_status(status)
    with acting(as_user) as (session, principal):
        service.move(session, principal, case_id, new, outcome=outcome, reason=reason)
    w = _words(lang)
    said = w("case %(case)s is now ‘%(status)s’", case=case_id, status=w.name(STATUS_NAMES, new.value))
    _done(output_format, {"id": case_id, "status": new.value}, said)


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
    lang: LangOption = None,
) -> None:
    """Change who may read a case (its own organisation only)."""
    wanted = parse_audience(audience)
    with acting(as_user) as (session, principal):
        service.share(session, principal, case_id, wanted, group)
    w = _words(lang)
    readers = w.name(AUDIENCE_NAMES, wanted.value) + (f" ({group})" if group else "")
    said = w("case %(case)s is now readable by: %(readers)s", case=case_id, readers=readers)
    _done(output_format, {"id": case_id, "audience": wanted.value}, said)


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
    lang: LangOption = None,
) -> None:
    """Record the decision: the option taken, or a reasoned decision not to act."""
    w = _words(lang)
    if no_action and option is not None:
        raise InputError(w("give either --option ID (act) or --no-action with --reasoning, not both"))
    choice = Choice.no_action if no_action else Choice.act
    with acting(as_user) as (session, principal):
        decision = service.decide(
            session, principal, case_id, choice=choice, option_id=option, reasoning=reasoning
        )
    said = w("decision %(decision)s recorded on case %(case)s", decision=decision, case=case_id)
    _done(output_format, {"id": decision}, said)


@actions_app.command("follow-up")
def follow_up(
    case_id: CaseId,
    due: Annotated[str, typer.Option("--due", help="Date of the follow-up (YYYY-MM-DD).")],
    note: Annotated[str, typer.Option("--note", help="What to check.")] = "",
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """Plan a follow-up date (after the decision)."""
    w = _words(lang)
    due_on = parse_day(due, "--due", w)
    with acting(as_user) as (session, principal):
        item = service.add_follow_up(session, principal, case_id, due_on=due_on, note=note)
    _done(
        output_format, {"id": item}, w("follow-up %(item)s planned on case %(case)s", item=item, case=case_id)
    )


@actions_app.command("follow-up-done")
def follow_up_done(
    case_id: CaseId,
    follow_up_id: Annotated[int, row_id("The follow-up id.")],
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """Mark a follow-up as done."""
    with acting(as_user) as (session, principal):
        service.complete_follow_up(session, principal, case_id, follow_up_id)
    said = _words(lang)("follow-up %(item)s of case %(case)s done", item=follow_up_id, case=case_id)
    _done(output_format, {"id": follow_up_id}, said)


@actions_app.command("alerts")
def alerts(
    as_user: AsUser = None, output_format: FormatOption = OutputFormat.text, lang: LangOption = None
) -> None:
    """Every watchlist alert since the first stored forecast run (the references cases open from)."""
    settings = load_settings()
    require(settings, Permission.actions_read, "actions.alerts", "action_case", as_user)
    in_force = rules_in_force(settings.data_dir)
    with _forecasts(required=True) as forecasts:
        assert forecasts is not None
        runs = watched_runs(forecasts, in_force.rules)
        found = alerts_of(runs, in_force.rules)
    if output_format is OutputFormat.json:
        print_json([asdict(a) | {"reference": a.reference} for a in found])
        return
    w = _words(lang)
    for a in found:
        echo(text.alert_line(w, a))
    if not found:
        echo(text.no_alerts(w, len(runs), in_force))


@actions_app.command("gap")
def gap(
    as_user: AsUser = None, output_format: FormatOption = OutputFormat.text, lang: LangOption = None
) -> None:
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
    w = _words(lang)
    for line in [*text.gap_lines(w, report), *text.provenance_lines(w, report, found)]:
        echo(line)


def _words(lang: LangOption) -> Words:
    """The words of ``--lang`` (default: GBVS_LANGUAGE, else Dutch)."""
    return words_of(resolve_lang(lang))


def _done(output_format: OutputFormat, data: dict[str, object], said: str) -> None:
    if output_format is OutputFormat.json:
        print_json(data)
    else:
        echo(said)


def register(app: typer.Typer) -> None:
    """Add ``gbvs actions``."""
    app.add_typer(actions_app, name="actions")
