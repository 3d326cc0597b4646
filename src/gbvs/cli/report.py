"""``gbvs report``: results chain, reported values, periods and the progress report to parliament.

The commands go through the same services as the web app (:mod:`gbvs.reports`), so authorization
and the audit log are the same; they act as the OS owner of the data folder or the user of ``--as``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from gbvs.cli.identity import AsUser, acting
from gbvs.cli.options import LangOption, Language, resolve_lang, row_id
from gbvs.cli.output import FormatOption, OutputFormat, clean, echo, path_kind, print_json, shown
from gbvs.cli.texts import Gettext, translator
from gbvs.config import load_settings
from gbvs.db.report_models import DraftStatus
from gbvs.db.types import MAX_ROW_ID
from gbvs.errors import InputError
from gbvs.languages import N_
from gbvs.numbers import day, exact
from gbvs.reports import records, service, workflow
from gbvs.reports.release_owners import RELEASE_KINDS
from gbvs.reports.render import GoalNames, SourceNames
from gbvs.strategy.model import Lang

report_app = typer.Typer(
    help="Implementation monitoring and the biennial (two-yearly) progress report to parliament."
)


def _period_form(label: str) -> str:
    """``--period`` written as a period (YYYY-YYYY): a malformed one is wrong input (exit 4, as the API's
    400), before a command looks for it (a well-formed period that does not exist is exit 5)."""
    records.parse_period(label)
    return label


Period = Annotated[
    str, typer.Option("--period", callback=_period_form, help="Reporting period, e.g. 2018-2019.")
]
Output = Annotated[
    Path | None, typer.Option("--output", help="Folder for the files (default: <data_dir>/reports/<period>).")
]


def _words(lang: Language | str | None) -> Gettext:
    """The messages of a command in ``--lang`` (default: GBVS_LANGUAGE, else Dutch)."""
    return translator(resolve_lang(lang))


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option} {value!r} is not a date; write it as YYYY-MM-DD") from None


def goal_names_of_the_pages() -> GoalNames:
    """Backtest goals named as on /modelprestaties ("gewapend conflict, 1 jaar vooruit, alle landjaren:
    Gemiddelde precisie"), from the pages' catalogues; a goal they do not know stays as stored."""
    from gbvs.web.i18n import load_catalogs
    from gbvs.web.labels import goal_text

    catalogs = load_catalogs()
    return lambda goal, lang: goal_text(goal, catalogs[lang].gettext).text


def source_names_of_the_pages() -> SourceNames:
    """Sources' titles and notes as the pages write them ("lokale datakopie (mirror) beperkt tot
    1946-2023 ..."), from the pages' catalogues; a text they do not know stays as stored."""
    from gbvs.web.i18n import load_catalogs
    from gbvs.web.sourcetexts import source_text

    catalogs = load_catalogs()

    def shown(text: str, lang: str) -> str:
        written = source_text(text, catalogs[lang].gettext)
        return written.text + written.suffix

    return shown


@report_app.command("build")
def build_cmd(
    period: Period,
    output: Output = None,
    formats: Annotated[
        str, typer.Option("--formats", help="Comma-separated: html,pdf,docx.")
    ] = "html,pdf,docx",
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            help="Comma-separated languages of the report: nl,en (default nl); the first is also the "
            "language of the messages (default: GBVS_LANGUAGE, else nl).",
        ),
    ] = None,
    templates: Annotated[
        Path | None,
        typer.Option("--templates", help="Folder with adjusted templates (report.html.j2, report.css)."),
    ] = None,
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
) -> None:
    """Build the report of a period in HTML, PDF and DOCX (a frozen period: from its snapshot)."""
    settings = load_settings()
    folder = output or settings.data_dir / "reports" / f"voortgang-{period}"
    if templates is not None and path_kind(templates, "--templates") != "folder":
        raise InputError(
            f"--templates {shown(templates)} is not a folder; copy src/gbvs/reports/templates there"
        )
    with acting(as_user) as (session, principal):
        produced = service.produce(
            settings,
            session,
            principal,
            period,
            folder,
            formats=_split(formats),
            languages=_split(lang or "nl"),
            templates=templates,
            goal_names=goal_names_of_the_pages(),
            source_names=source_names_of_the_pages(),
        )
    if output_format is OutputFormat.json:
        print_json(
            {
                "content_hash": produced.content_hash,
                "frozen": produced.frozen,
                "files": [str(p) for p in produced.files],
                "left_out": produced.left_out,
                "timings": produced.timings,
            }
        )
        return
    _ = _words(next(iter(_split(lang or "")), None))
    kind = _("frozen snapshot") if produced.frozen else _("draft")
    echo(
        _("period %(period)s (%(kind)s), hash %(hash)s")
        % {"period": period, "kind": kind, "hash": produced.content_hash}
    )
    for path in produced.files:
        echo(f"  {clean(path)}")
    if produced.left_out:
        echo(
            _("%(n)s item(s) left out as not public: %(command)s")
            % {"n": produced.left_out, "command": f"`gbvs report openbaarheidstoets --period {period}`"}
        )


@report_app.command("freeze")
def freeze_cmd(
    period: Period,
    supersede: Annotated[
        bool,
        typer.Option(
            "--supersede", help="Replace the period's frozen report (a correction; needs --reason)."
        ),
    ] = False,
    early: Annotated[
        bool, typer.Option("--early", help="Freeze before the period's last day (needs --reason).")
    ] = False,
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why: shown in the report and kept in its hash.")
    ] = None,
    as_user: AsUser = None,
    lang: LangOption = None,
) -> None:
    """Freeze a period: keep its inputs, outputs and content hash (the coordinator).

    A frozen period is not frozen again: a correction is `--supersede --reason "..."`, and the new
    report says which version it replaces and why. Before the period's end: `--early --reason "..."`."""
    if (supersede or early) and reason is None:
        raise InputError(f"{'--supersede' if supersede else '--early'} needs --reason: say why")
    if reason is not None and not (supersede or early):
        raise InputError(
            "--reason goes with --supersede or --early; a first freeze after the period needs none"
        )
    with acting(as_user) as (session, principal):
        built = service.freeze_period(
            load_settings(),
            session,
            principal,
            period,
            supersede_reason=reason if supersede else None,
            early_reason=reason if early else None,
        )
    replaced = (built.snapshot["inputs"].get("freeze") or {}).get("supersedes")
    _ = _words(lang)
    echo(_("period %(period)s frozen, hash %(hash)s") % {"period": period, "hash": built.content_hash})
    if replaced:
        echo("  " + _(REPLACES) % {"hash": replaced["content_hash"], "reason": clean(replaced["reason"])})


@report_app.command("verify")
def verify_cmd(period: Period, as_user: AsUser = None, lang: LangOption = None) -> None:
    """Check every frozen snapshot of a period: stored against its hash (exit 7 if one was altered), and
    a rebuild from its recorded inputs with this version of GBVS (reported; the frozen reports keep
    their stored outputs). The last one listed is the report as published."""
    with acting(as_user) as (session, principal):
        results = service.verify_period(session, principal, period)
    altered, language = [], resolve_lang(lang)
    for result in results:
        echo("\n".join(_verified_lines(result, period, language)))
        if not result.intact:
            altered.append(str(result.snapshot_id))
    if altered:
        from gbvs.errors import DatabaseError

        raise DatabaseError(
            f"frozen snapshot(s) {', '.join(altered)} of {period} no longer match their stored hash: their "
            "inputs or outputs were altered in the database; restore the report_snapshot rows from a backup"
        )


REPLACES = "replaces %(hash)s (%(reason)s)"
"""A correction names the frozen report it replaces and why (freeze and verify)."""


def _verified_lines(result: service.Verification, period: str, lang: Lang) -> list[str]:
    """One verified snapshot: who froze it when (the day written the language's way), what it replaces,
    both hashes and the verdict."""
    _ = translator(lang)
    lines = [
        _("snapshot %(id)s (%(role)s, %(day)s by %(who)s)")
        % {
            "id": result.snapshot_id,
            "role": _("published") if result.current else _("superseded"),
            "day": day(result.created_on, lang),
            "who": clean(result.created_by),
        }
    ]
    if result.supersedes:
        lines.append("  " + _(REPLACES) % {"hash": result.supersedes, "reason": clean(result.reason or "")})
    lines += ["  " + _("stored  %(hash)s") % {"hash": result.stored}]
    lines += ["  " + _("rebuilt %(hash)s") % {"hash": result.rebuilt}]
    if not result.intact:
        return [*lines, "  " + _("ALTERED: no longer matches its stored hash")]
    if result.identical:
        return [*lines, "  " + _("identical")]
    return [
        *lines,
        "  "
        + _(
            "intact, but this version of GBVS computes %(period)s differently from the same inputs (the code "
            "changed since it was frozen); the frozen report keeps the outputs and hash it was frozen with"
        )
        % {"period": period},
    ]


@report_app.command("openbaarheidstoets")
@report_app.command("disclosure-check")
def toets_cmd(
    period: Period,
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """What was left out of the public report and why (openbaarheidstoets; for the coordinator)."""
    with acting(as_user) as (session, principal):
        rows = service.public_toets(load_settings(), session, principal, period)
    if output_format is OutputFormat.json:
        print_json(rows)
        return
    echo(
        _words(lang)("%(n)s item(s) left out of the report of %(period)s")
        % {"n": len(rows), "period": period}
    )
    for row in rows:
        echo(
            f"  {clean(row['kind'])} {clean(row['id'])} [{clean(row['owner'])}] "
            f"{clean(row['title'])}: {clean(row['reason'])}"
        )


@report_app.command("seed")
def seed_cmd(as_user: AsUser = None, lang: LangOption = None) -> None:
    """Add the shipped results chain (indicator definitions; no invented values).

    Indicators already there keep their values; one whose name nobody changed gets the name this
    version ships (as a new version); a name a coordinator set is kept.
    """
    with acting(as_user) as (session, principal):
        outcome = records.seed_results_chain(session, principal)
    added, renamed = outcome.added, outcome.renamed
    _ = _words(lang)
    echo(_("added %(n)s indicator(s)") % {"n": len(added)} + (f": {', '.join(added)}" if added else ""))
    if renamed:
        echo(
            _("gave %(n)s indicator(s) the name this version ships: %(keys)s")
            % {"n": len(renamed), "keys": ", ".join(renamed)}
        )


@report_app.command("release")
def release_cmd(
    kind: Annotated[str, typer.Option("--kind", help="signal, reported_value, contribution or scenario.")],
    item_id: Annotated[str, typer.Option("--id", help="The item's id (e.g. the scenario number).")],
    reason: Annotated[str, typer.Option("--reason", help="Why the owner agreed to publish it.")],
    as_user: AsUser = None,
    lang: LangOption = None,
) -> None:
    """Record that the owner released an item for publication in the report (coordinator)."""
    service.check_choices([kind], RELEASE_KINDS, "--kind")
    with acting(as_user) as (session, principal):
        row = records.release(session, principal, kind, item_id, reason)
    echo(
        _words(lang)("released %(kind)s %(id)s for publication (%(organisation)s)")
        % {"kind": clean(row.kind), "id": clean(row.item_id), "organisation": clean(row.organisation)}
    )


@report_app.command("indicators")
def indicators_cmd(
    as_user: AsUser = None, output_format: FormatOption = OutputFormat.text, lang: LangOption = None
) -> None:
    """The current version of every indicator."""
    with acting(as_user) as (session, principal):
        rows = [records.indicator_dict(r) for r in records.current_indicators(session, principal)]
    if output_format is OutputFormat.json:
        print_json(rows)
        return
    goal = _words(lang)("goal")
    for row in rows:
        echo(
            f"{goal} {row['goal']:>2}  {clean(row['key']):<34} v{row['version']}  "
            f"{row['method']:<8} {clean(row['name'])}"
        )


@report_app.command("indicator-set")
def indicator_set_cmd(
    key: Annotated[str, typer.Argument(help="Indicator key (see `gbvs report indicators`).")],
    target: Annotated[float | None, typer.Option("--target", help="Target value.")] = None,
    target_year: Annotated[int | None, typer.Option("--target-year", help="Year of the target.")] = None,
    baseline: Annotated[float | None, typer.Option("--baseline", help="Baseline value.")] = None,
    baseline_year: Annotated[
        int | None, typer.Option("--baseline-year", help="Year of the baseline.")
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="Why it changed.")] = None,
    name: Annotated[str | None, typer.Option("--name", help="Dutch name (the report's words).")] = None,
    name_en: Annotated[str | None, typer.Option("--name-en", help="English name.")] = None,
    as_user: AsUser = None,
    lang: LangOption = None,
) -> None:
    """Change an indicator: a new version (frozen reports keep the version they used)."""
    changes = {
        k: v
        for k, v in {
            "target_value": target,
            "target_year": target_year,
            "baseline_value": baseline,
            "baseline_year": baseline_year,
            "note": note,
            "name": name,
            "name_en": name_en,
        }.items()
        if v is not None
    }
    if not changes:
        raise InputError(
            "nothing to change; give --target, --target-year, --baseline, --baseline-year, --note, "
            "--name or --name-en"
        )
    blank = [
        option for option, v in (("--name", name), ("--name-en", name_en)) if v is not None and not v.strip()
    ]
    if blank:
        raise InputError(f"{' and '.join(blank)} cannot be empty; give the indicator's name in words")
    with acting(as_user) as (session, principal):
        row = records.change_indicator(session, principal, key, **changes)
    echo(_words(lang)("indicator %(key)s is now version %(version)s") % {"key": key, "version": row.version})


@report_app.command("value-add")
def value_add_cmd(
    key: Annotated[str, typer.Argument(help="Key of a reported indicator.")],
    period: Annotated[str, typer.Option("--period", help="Year the value is for, e.g. 2019.")],
    value: Annotated[float, typer.Option("--value", help="The value.")],
    measured_on: Annotated[str, typer.Option("--measured-on", help="Date of measurement (YYYY-MM-DD).")],
    evidence: Annotated[str, typer.Option("--evidence", help="Reference to the document or system.")],
    tlp: Annotated[str, typer.Option("--tlp", help="Marking: clear (public) or green/amber/red.")] = "clear",
    corrects: Annotated[
        int | None,
        typer.Option(
            "--corrects", min=1, max=MAX_ROW_ID, help="Id of the value of the same year this one corrects."
        ),
    ] = None,
    reason: Annotated[str, typer.Option("--reason", help="With --corrects: why that value was wrong.")] = "",
    as_user: AsUser = None,
    lang: LangOption = None,
) -> None:
    """Enter a value of a reported indicator (with evidence; you are recorded as the person).

    A year has one value; a second one corrects it (--corrects ID --reason ...): both stay stored, the
    report uses the correction and says it was corrected."""
    entry = records.ValueEntry(
        key, period, value, _day(measured_on, "--measured-on"), evidence, tlp.lower(), corrects, reason
    )
    with acting(as_user) as (session, principal):
        row = records.add_reported_value(session, principal, entry)
    language = resolve_lang(lang)
    _ = translator(language)
    corrected = ", " + _("corrects value id %(id)s") % {"id": corrects} if corrects is not None else ""
    echo(
        _("recorded %(key)s %(period)s = %(value)s (value id %(id)s%(corrected)s)")
        % {
            "key": key,
            "period": period,
            "value": exact(value, language, 6),
            "id": row.id,
            "corrected": corrected,
        }
    )


@report_app.command("action-save")
def action_save_cmd(
    key: Annotated[str, typer.Argument(help="Action key (the same key saves a new version).")],
    goal: Annotated[int, typer.Option("--goal", min=1, max=13, help="Strategy goal 1-13.")],
    title: Annotated[str, typer.Option("--title", help="What is done (Dutch).")],
    owner: Annotated[str, typer.Option("--owner", help="Responsible organisation code, e.g. DEF.")],
    starts_on: Annotated[str, typer.Option("--starts-on", help="Start date (YYYY-MM-DD).")],
    status: Annotated[
        str, typer.Option("--status", help="planned, ongoing, completed or stopped.")
    ] = "planned",
    framework: Annotated[str | None, typer.Option("--framework", help="Policy framework id.")] = None,
    title_en: Annotated[
        str, typer.Option("--title-en", help="What is done (English; without it English pages show --title).")
    ] = "",
    as_user: AsUser = None,
    lang: LangOption = None,
) -> None:
    """Add an action that carries out a goal, or a new version of it."""
    start = _day(starts_on, "--starts-on")
    entry = records.ActionEntry(key, goal, title, owner.upper(), start, status, framework, title_en=title_en)
    with acting(as_user) as (session, principal):
        row = records.save_action(session, principal, entry)
    echo(_words(lang)("action %(key)s saved as version %(version)s") % {"key": key, "version": row.version})


NO_PERIODS = N_("no reporting period yet; `gbvs report build --period 2018-2019` makes the first")
"""What an empty list of periods means, and the step that makes the first."""


@report_app.command("periods")
def periods_cmd(
    as_user: AsUser = None, output_format: FormatOption = OutputFormat.text, lang: LangOption = None
) -> None:
    """The reporting periods and whether they are frozen; the text gives the first and last day the
    language's way ("1 januari 2018 – 31 december 2019"), JSON as ISO dates."""
    with acting(as_user) as (session, principal):
        rows = [
            {
                "label": r.label,
                "status": r.status.value,
                "starts_on": str(r.starts_on),
                "ends_on": str(r.ends_on),
            }
            for r in records.periods(session, principal)
        ]
    if output_format is OutputFormat.json:
        print_json(rows)
        return
    language = resolve_lang(lang)
    _ = translator(language)
    if not rows:
        echo(_(NO_PERIODS))
        return
    names = [_(records.PERIOD_STATUS_NAMES[row["status"]]) for row in rows]
    width = max(map(len, names), default=0)
    for row, name in zip(rows, names, strict=True):
        span = f"{day(row['starts_on'], language)} – {day(row['ends_on'], language)}"
        echo(f"{row['label']:<12} {name:<{width}} {span}")


draft_app = typer.Typer(
    help="The report's workflow: draft, contributions, comments, review, approval, publication."
)
DraftId = Annotated[int, row_id("Draft id (see `gbvs report draft list`).")]


@draft_app.command("create")
def draft_create(period: Period, as_user: AsUser = None, lang: LangOption = None) -> None:
    """Start a draft of a period's report."""
    with acting(as_user) as (session, principal):
        row = records.period(session, principal, period, create=True)
        draft = workflow.create_draft(session, principal, row)
    echo(_words(lang)("draft %(id)s of %(period)s created") % {"id": draft.id, "period": period})


@draft_app.command("list")
def draft_list(
    as_user: AsUser = None, output_format: FormatOption = OutputFormat.text, lang: LangOption = None
) -> None:
    """The drafts and their status."""
    with acting(as_user) as (session, principal):
        rows = [
            {"id": d.id, "period_id": d.period_id, "status": d.status.value, "created_by": d.created_by}
            for d in workflow.drafts(session, principal)
        ]
    if output_format is OutputFormat.json:
        print_json(rows)
        return
    _ = _words(lang)
    names = [_(workflow.DRAFT_STATUS_NAMES[str(row["status"])]) for row in rows]
    width = max(map(len, names), default=0)
    for row, name in zip(rows, names, strict=True):
        echo(f"{row['id']:>4}  {name:<{width}}  {clean(row['created_by'])}")


@draft_app.command("show")
def draft_show(draft_id: DraftId, as_user: AsUser = None) -> None:
    """A draft with every contribution version, comment and step (who wrote what, when)."""
    with acting(as_user) as (session, principal):
        data = workflow.view(session, principal, draft_id).as_dict()
    print_json(data)


@draft_app.command("contribute")
def draft_contribute(
    draft_id: DraftId,
    goal: Annotated[int, typer.Option("--goal", min=1, max=13, help="Strategy goal 1-13.")],
    text: Annotated[str, typer.Option("--text", help="The ministry's text for the goal.")],
    tlp: Annotated[str, typer.Option("--tlp", help="clear (public) or green/amber/red.")] = "clear",
    as_user: AsUser = None,
    lang: LangOption = None,
) -> None:
    """Add your ministry's text for a goal (a new version of its earlier text)."""
    with acting(as_user) as (session, principal):
        row = workflow.contribute(session, principal, draft_id, goal, text, tlp.lower())
    echo(
        _words(lang)("contribution v%(version)s of %(organisation)s on goal %(goal)s recorded")
        % {"version": row.version, "organisation": row.organisation, "goal": goal}
    )


@draft_app.command("comment")
def draft_comment(
    draft_id: DraftId,
    text: Annotated[str, typer.Option("--text", help="The comment.")],
    goal: Annotated[int | None, typer.Option("--goal", min=1, max=13, help="On this goal.")] = None,
    on_text: Annotated[
        int | None,
        typer.Option(
            "--on-text",
            min=1,
            max=MAX_ROW_ID,
            help="On this ministry's text (its id in `draft show`): its ministry reads an AMBER comment.",
        ),
    ] = None,
    tlp: Annotated[
        str | None,
        typer.Option(
            "--tlp",
            help="green (every reader of the draft), amber (your ministry, or the text's) or red (you); "
            "default green, or on a text the text's marking.",
        ),
    ] = None,
    as_user: AsUser = None,
    lang: LangOption = None,
) -> None:
    """Comment on a draft; others read it under its marking, as contributions."""
    with acting(as_user) as (session, principal):
        row = workflow.comment(
            session, principal, draft_id, text, goal, tlp.lower() if tlp else None, on_text=on_text
        )
    echo(_words(lang)("comment %(id)s recorded (TLP:%(tlp)s)") % {"id": row.id, "tlp": row.tlp.upper()})


@draft_app.command("move")
def draft_move(
    draft_id: DraftId,
    to: Annotated[DraftStatus, typer.Option("--to", help="review, draft, approved or published.")],
    note: Annotated[str, typer.Option("--note", help="Why.")] = "",
    early: Annotated[
        bool,
        typer.Option(
            "--early", help="Publish before the period's last day; --note says why (in the report)."
        ),
    ] = False,
    as_user: AsUser = None,
    lang: LangOption = None,
) -> None:
    """Move a draft a step; publishing (the coordinator) freezes the period (once: a correction is
    `gbvs report freeze --supersede`)."""
    settings = load_settings()
    with acting(as_user) as (session, principal):
        draft = service.move_draft(settings, session, principal, draft_id, to, note, early=early)
    _ = _words(lang)
    status = _(workflow.DRAFT_STATUS_NAMES[draft.status])
    echo(_("draft %(id)s is now %(status)s") % {"id": draft_id, "status": status})


def register(app: typer.Typer) -> None:
    """Add ``gbvs report``."""
    app.add_typer(report_app, name="report")
    report_app.add_typer(draft_app, name="draft")
