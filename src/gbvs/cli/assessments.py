"""``gbvs assessments``: the threat assessment (ch. 3) from the command line.

Method files are read from the package; scenarios, rounds, scores and dissent go through
:mod:`gbvs.db.services.assessments`, so the blind rule, authorization and the audit log are the
same as on the web. Values marked ``needs_review`` in the method are flagged wherever they print.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from gbvs.assessments import (
    DEFAULT_METHOD,
    LIKELIHOOD,
    Method,
    available_methods,
    load_method,
    subject_msgid,
    unconfirmed,
)
from gbvs.assessments.diagram import risk_diagram_svg
from gbvs.cli.identity import AsUser, acting
from gbvs.cli.options import LangOption, resolve_lang, row_id
from gbvs.cli.output import FormatOption, OutputFormat, echo, print_json, write_output
from gbvs.cli.texts import Gettext, catalog, translator
from gbvs.db.assessment_models import (
    COORDINATORS_SCORE,
    LINK_KIND_NAMES,
    VERSION_CHANGE_NAMES,
    LinkKind,
    ScenarioType,
)
from gbvs.db.services import assessments as service
from gbvs.db.types import utcnow
from gbvs.errors import InputError
from gbvs.numbers import day, decimal, dutch_moment, moment, percent, time_left
from gbvs.strategy.model import Lang

assessments_app = typer.Typer(
    help="Threat assessment (ch. 3): methods, scenarios, Delphi scoring rounds, results."
)

REVIEW = "[needs_review]"
ScenarioId = Annotated[int, row_id("Scenario id (see `gbvs assessments list`).")]
MethodOption = Annotated[str, typer.Option("--method", help="Method id (see `gbvs assessments methods`).")]
DEADLINE_HELP = (
    "When scoring stops, in Dutch time: 'YYYY-MM-DD HH:MM' (or ISO 8601 with its offset); a score sent "
    "later is refused, the round stays open until you close it"
)
DeadlineOption = Annotated[str | None, typer.Option("--deadline", help=DEADLINE_HELP)]
RoundOption = Annotated[
    int | None, typer.Option("--round", min=1, max=1000, help="Round number (default last).")
]


def _flag(needs_review: bool) -> str:
    return f" {REVIEW}" if needs_review else ""


@assessments_app.command("methods")
def list_methods(output_format: FormatOption = OutputFormat.text, lang: LangOption = None) -> None:
    """The shipped methods, with how many of their values are unconfirmed."""
    language = resolve_lang(lang)
    rows = []
    for method_id in available_methods():
        method = load_method(method_id)
        rows.append(
            {
                "id": method.id,
                "version": method.version,
                "name": method.name.text(language),
                "unconfirmed": len(unconfirmed(method)),
            }
        )
    if output_format is OutputFormat.json:
        print_json(rows)
        return
    _ = translator(language)
    for row in rows:
        unsure = _("unconfirmed values: %(n)s") % {"n": row["unconfirmed"]}
        echo(f"{row['id']}  v{row['version']}  {row['name']}  ({unsure} {REVIEW})")


@assessments_app.command("method")
def show_method(
    method_id: Annotated[str, typer.Argument(help="Method id.")] = DEFAULT_METHOD,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """A method: interests, criteria, scales and weight sets; unconfirmed values are flagged."""
    method = load_method(method_id)
    if output_format is OutputFormat.json:
        print_json(method.model_dump(mode="json"))
        return
    language = resolve_lang(lang)
    _ = translator(language)
    echo(f"{method.name.text(language)} ({method.label()}); {_('aggregation')}: {method.aggregation.method}")
    for interest in method.interests:
        echo(f"\n{interest.name.text(language)}{_flag(interest.needs_review)}")
        for criterion in (c for c in method.criteria if c.interest == interest.id):
            echo(f"  {criterion.id:5} {criterion.name.text(language)}{_flag(criterion.needs_review)}")
    for scale in (method.impact_scale, *method.likelihood_scales):
        classes = ", ".join(
            f"{c.code}={decimal(c.value, language)} {c.label.text(language)}{_flag(c.needs_review)}"
            for c in scale.classes
        )
        echo(f"\n{scale.name.text(language)}{_flag(scale.needs_review)}: {classes}")
    for weight_set in method.weight_sets:
        weights = ", ".join(f"{k}: {decimal(v, language)}" for k, v in weight_set.weights.items())
        name = f"{weight_set.name.text(language)}){_flag(weight_set.needs_review)}"
        echo(f"\n{_('weight set')} {weight_set.id} ({name}: {weights}")
    items = unconfirmed(method)
    if items:
        echo("\n" + _("Unconfirmed values (%(n)s), to check against their source:") % {"n": len(items)})
        for item in items:
            echo(f"  {item.what.text(language)} ({item.entry}): {item.check_against}")


@assessments_app.command("seed")
def seed(
    as_user: AsUser = None, output_format: FormatOption = OutputFormat.text, lang: LangOption = None
) -> None:
    """Add the six threats of ch. 3 as unscored draft scenarios (those not there yet)."""
    with acting(as_user) as (session, principal):
        created = service.seed_drafts(session, principal)
    if output_format is OutputFormat.json:
        print_json({"created": created})
        return
    _ = translator(resolve_lang(lang))
    if created:
        echo(_("draft scenarios added: %(n)s (ids %(ids)s)") % {"n": len(created), "ids": _ids(created)})
    else:
        echo(_("draft scenarios added: %(n)s") % {"n": 0})


def _ids(ids: list[int]) -> str:
    return ", ".join(map(str, ids))


STATUS_WORDS = {"draft": "draft", "open": "open", "closed": "closed"}
"""A scenario's or round's status as stored, and its message id (the catalogues hold the words)."""


def _status(status: str, _: Gettext) -> str:
    """A round's status (or 'draft') in the output language."""
    return _(STATUS_WORDS[status]) if status in STATUS_WORDS else status


@assessments_app.command("list")
def list_scenarios(
    as_user: AsUser = None, output_format: FormatOption = OutputFormat.text, lang: LangOption = None
) -> None:
    """Every scenario with its threat, method and round status."""
    with acting(as_user) as (session, principal):
        rows = service.list_scenarios(session, principal)
    if output_format is OutputFormat.json:
        print_json([_scenario_json(row) for row in rows])
        return
    language = resolve_lang(lang)
    _ = translator(language)
    if not rows:
        echo(_("(none; add the drafts of ch. 3 with `gbvs assessments seed`)"))
    for row in rows:
        last = row.rounds[-1] if row.rounds else None
        status = _("round %(n)s") % {"n": last.number} + f" {_status(last.status, _)}" if last else _("draft")
        threats = ", ".join(f"§3.{number}" for number in row.threats) or "-"
        title = _title(row, language)
        echo(f"{row.id:4}  {_('threat')} {threats:10}  {row.method_id:11}  {status:15}  {title}")


def _title(view: service.ScenarioView, language: str) -> str:
    """The scenario's title in ``language`` (the Dutch one where it has no English title)."""
    return view.title_en if language == "en" and view.title_en else view.title


def _scenario_json(view: service.ScenarioView) -> dict[str, Any]:
    data = asdict(view)
    data["status"] = view.status
    data["threats"] = list(view.threats)
    return data


@assessments_app.command("show")
def show(
    scenario_id: ScenarioId,
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """One scenario: text, links, rounds, dissent and its panel; to who manages it also who on the panel
    has not scored the open round yet."""
    now = utcnow()
    with acting(as_user) as (session, principal):
        view = service.get_scenario(session, principal, scenario_id)
        left_out = _off_panel(session, principal, view)
        missing = service.not_scored_to_chase(session, principal, view)
    if output_format is OutputFormat.json:
        print_json(_with_not_scored(_scenario_json(view), missing))
        return
    language = resolve_lang(lang)
    _ = translator(language)
    kind = _("malicious (threat)") if view.kind == ScenarioType.threat else _("non-malicious (hazard)")
    method = _("method %(id)s") % {"id": view.method_id}
    description = view.description_en if language == "en" and view.description_en else view.description
    echo(f"{view.id}. {_title(view, language)} ({kind}; {method})\n\n{description}")
    for label, value in ((_("Time horizon"), view.time_horizon), (_("Assumptions"), view.assumptions)):
        if value:
            echo(f"{label}: {value}")
    for link in view.links:
        echo(f"  {_(LINK_KIND_NAMES[link.kind])}: {link.value}" + (f" ({link.note})" if link.note else ""))
    for summary in view.rounds:
        echo(_round_line(summary, _, language, now))
    _echo_not_scored(missing, _)
    _echo_dissent(view.dissent, _)
    echo("")
    _echo_panel(view, left_out, language)


def _round_line(summary: service.RoundSummary, _: Gettext, language: Lang, now: datetime) -> str:
    who = ", ".join(summary.submitted) or _("nobody")
    line = _("round %(n)s: %(status)s; submitted: %(who)s") % {
        "n": summary.number,
        "status": _status(summary.status, _),
        "who": who,
    }
    return "\n".join(
        [
            f"{line}; {_(COORDINATORS_SCORE[summary.coordinators_score])}",
            *_round_facts(summary, _, language, now),
        ]
    )


def _round_facts(summary: service.RoundSummary, _: Gettext, language: Lang, now: datetime) -> list[str]:
    """The round's deadline with the time left at ``now`` (the command's clock), and each reopening (who,
    when, why), as lines."""
    lines = []
    if summary.deadline is not None:
        values = {
            "when": moment(summary.deadline, language),
            "left": time_left(summary.deadline, now, language),
        }
        late = summary.status == "open" and summary.past_deadline(now)
        lines.append(
            "  "
            + (
                _("deadline %(when)s (%(left)s): passed, scores are refused")
                if late
                else _("deadline %(when)s (%(left)s)")
            )
            % values
        )
    for item in summary.reopenings:
        values = {"who": item.reopened_by, "when": moment(item.reopened_at, language), "why": item.reason}
        lines.append("  " + _("reopened on %(when)s by %(who)s: %(why)s") % values)
    return lines


NotScored = tuple[str, ...] | None
"""Who on the panel has not scored the open round yet; None for who is not told (see
:func:`gbvs.db.services.assessments.not_scored_to_chase`)."""


def _with_not_scored(data: dict[str, Any], missing: NotScored) -> dict[str, Any]:
    """``data`` with ``not_scored`` for who is told; for everyone else without the key (an empty list
    would say every panel member has scored), as ``scorers_off_panel``."""
    return data if missing is None else data | {"not_scored": list(missing)}


def _echo_not_scored(missing: NotScored, _: Gettext) -> None:
    """The line of the round page: who on the panel has not scored the open round yet."""
    if missing is not None:
        echo(f"{_('Not scored yet')}: {', '.join(missing) or _('nobody: every panel member has scored')}.")


def _deadline(value: str | None, _: Gettext) -> datetime | None:
    """The ``--deadline`` typed, as a moment; InputError naming the value and the form."""
    if value is None:
        return None
    try:
        return dutch_moment(value)
    except ValueError:
        message = _("--deadline %(value)s is not a moment; write it as YYYY-MM-DD HH:MM (Dutch time)")
        raise InputError(message % {"value": repr(value)}) from None


def _echo_dissent(dissent: tuple[service.DissentView, ...], _: Gettext) -> None:
    for item in dissent:
        text = _("(text shared with the scenario's panel)") if item.withheld else item.text
        values = {"analyst": item.analyst, "round": item.round_number or "-", "text": text}
        if item.criterion:
            line = _("DISSENT %(analyst)s on %(criterion)s (round %(round)s): %(text)s")
            values["criterion"] = _(subject_msgid(item.criterion))
        else:
            line = _("DISSENT %(analyst)s (round %(round)s): %(text)s")
        echo(line % values)


panel_app = typer.Typer(
    help="A scenario's panel: the organisations whose analysts score it and read its justifications."
)
assessments_app.add_typer(panel_app, name="panel")
OrganisationArgument = Annotated[
    str, typer.Argument(help="Organisation code, e.g. DEF (see `gbvs orgs list`).")
]


@panel_app.command("list")
def panel_list(
    scenario_id: ScenarioId,
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """The scenario's panel: its owner's organisation and the invited ones; to those who manage the
    scenario also its earlier scorers the panel leaves out."""
    with acting(as_user) as (session, principal):
        view = service.get_scenario(session, principal, scenario_id)
        left_out = _off_panel(session, principal, view)
    if output_format is OutputFormat.json:
        print_json(_panel_json(view, left_out))
        return
    _echo_panel(view, left_out, resolve_lang(lang))


OffPanel = list[service.OffPanelScorer] | None
"""A scenario's earlier scorers off its panel; None for who does not manage it (they are not told)."""


def _off_panel(session: Any, principal: Any, view: service.ScenarioView) -> OffPanel:
    """The scenario's earlier scorers off its panel, for who manages it (nobody else is told)."""
    return service.scorers_off_panel(session, principal, view.id) if view.managed_by(principal) else None


def _panel_json(view: service.ScenarioView, left_out: OffPanel) -> dict[str, Any]:
    """The panel as JSON; the earlier scorers it leaves out only for who manages the scenario, as in
    the text (for everyone else the key is absent: an empty list would say nobody is left out)."""
    data: dict[str, Any] = {"scenario": view.id, "panel": [asdict(member) for member in view.panel]}
    if left_out is not None:
        data["scorers_off_panel"] = [asdict(scorer) for scorer in left_out]
    return data


def _echo_panel(view: service.ScenarioView, left_out: OffPanel, lang: Lang) -> None:
    """The panel as ``gbvs assessments panel list`` and ``show`` print it."""
    _ = translator(lang)
    echo(_("Panel of scenario %(id)s (%(title)s):") % {"id": view.id, "title": view.title})
    for member in view.panel:
        who = member.organisation or _("accounts without an organisation")
        how = (
            _("owner")
            if member.owner
            else _("invited by %(who)s on %(date)s")
            % {"who": member.added_by, "date": day(member.added_at.date(), lang)}
        )
        echo(f"  {who}: {how}")
    if left_out:
        echo(_("Scored in an earlier round, not on the panel (they cannot score it now):"))
    for scorer in left_out or []:
        why = (
            _("no organisation: an admin can give the account one on the panel")
            if scorer.organisation is None
            else _("%(org)s is not on the panel: invite it to let them score") % {"org": scorer.organisation}
        )
        echo(f"  {scorer.analyst} ({_('round %(n)s') % {'n': scorer.last_round}}): {why}")


@panel_app.command("add")
def panel_add(
    scenario_id: ScenarioId,
    organisation: OrganisationArgument,
    as_user: AsUser = None,
    lang: LangOption = None,
) -> None:
    """Invite an organisation to the scenario's panel (the scenario's coordinator; audited)."""
    with acting(as_user) as (session, principal):
        code = service.add_panel_member(session, principal, scenario_id, organisation)
    _ = translator(resolve_lang(lang))
    echo(_("%(org)s is now on the panel of scenario %(id)s") % {"org": code, "id": scenario_id})


@panel_app.command("remove")
def panel_remove(
    scenario_id: ScenarioId,
    organisation: OrganisationArgument,
    as_user: AsUser = None,
    lang: LangOption = None,
) -> None:
    """Take an organisation off the scenario's panel (refused while its analysts have a sheet in the
    open round; its sheets in closed rounds stay)."""
    with acting(as_user) as (session, principal):
        code = service.remove_panel_member(session, principal, scenario_id, organisation)
    _ = translator(resolve_lang(lang))
    echo(_("%(org)s is no longer on the panel of scenario %(id)s") % {"org": code, "id": scenario_id})


@assessments_app.command("create")
def create(
    title: Annotated[str, typer.Option("--title", help="Title (Dutch).")],
    kind: Annotated[
        ScenarioType, typer.Option("--kind", help="hazard (non-malicious) or threat (malicious).")
    ],
    threat: Annotated[
        list[int] | None, typer.Option("--threat", min=1, max=6, help="Threat of ch. 3.")
    ] = None,
    goal: Annotated[list[int] | None, typer.Option("--goal", min=1, max=13, help="Goal concerned.")] = None,
    description: Annotated[
        str, typer.Option("--description", help="What happens in the scenario (Dutch).")
    ] = "",
    horizon: Annotated[str, typer.Option("--horizon", help="Time horizon, e.g. '5 jaar'.")] = "",
    assumptions: Annotated[str, typer.Option("--assumptions", help="The scenario's assumptions.")] = "",
    method: MethodOption = DEFAULT_METHOD,
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """Create a scenario (needs assessments:manage)."""
    data = service.ScenarioInput(
        title=title,
        kind=kind,
        description=description,
        method_id=method,
        time_horizon=horizon,
        assumptions=assumptions,
        threats=tuple(threat or ()),
        goals=tuple(goal or ()),
    )
    with acting(as_user) as (session, principal):
        scenario_id = service.create_scenario(session, principal, data)
    if output_format is OutputFormat.json:
        print_json({"id": scenario_id})
    else:
        echo(translator(resolve_lang(lang))("scenario %(id)s created") % {"id": scenario_id})


@assessments_app.command("edit")
def edit(
    scenario_id: ScenarioId,
    title: Annotated[str | None, typer.Option("--title", help="New title (Dutch).")] = None,
    title_en: Annotated[str | None, typer.Option("--title-en", help="New title (English).")] = None,
    description: Annotated[str | None, typer.Option("--description", help="New description (Dutch).")] = None,
    description_en: Annotated[
        str | None, typer.Option("--description-en", help="New description (English).")
    ] = None,
    threat: Annotated[
        list[int] | None, typer.Option("--threat", min=1, max=6, help="Threat of ch. 3 (repeat; replaces).")
    ] = None,
    goal: Annotated[
        list[int] | None, typer.Option("--goal", min=1, max=13, help="Goal concerned (repeat; replaces).")
    ] = None,
    horizon: Annotated[str | None, typer.Option("--horizon", help="Time horizon.")] = None,
    assumptions: Annotated[str | None, typer.Option("--assumptions", help="New assumptions.")] = None,
    add_evidence: Annotated[
        list[str] | None, typer.Option("--add-evidence", help="KIND=VALUE, e.g. document='NCTV DTN 60'.")
    ] = None,
    remove_evidence: Annotated[
        list[str] | None, typer.Option("--remove-evidence", help="KIND=VALUE of a link to remove.")
    ] = None,
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """Edit a draft scenario (needs assessments:manage): each edit is a new version; refused once
    a scoring round was opened."""
    _ = translator(resolve_lang(lang))
    change = service.ScenarioEdit(
        title=title,
        title_en=title_en,
        description=description,
        description_en=description_en,
        time_horizon=horizon,
        assumptions=assumptions,
        threats=tuple(threat) if threat else None,
        goals=tuple(goal) if goal else None,
        add_evidence=[(*_link(item, "--add-evidence", _), "") for item in add_evidence or ()],
        remove_evidence=[_link(item, "--remove-evidence", _) for item in remove_evidence or ()],
    )
    with acting(as_user) as (session, principal):
        version = service.edit_scenario(session, principal, scenario_id, change)
    if output_format is OutputFormat.json:
        print_json({"id": scenario_id, "version": version})
    else:
        echo(_("scenario %(id)s edited: version %(v)s") % {"id": scenario_id, "v": version})


def _link(item: str, option: str, _: Gettext) -> tuple[LinkKind, str]:
    kind, equals, value = item.partition("=")
    try:
        return LinkKind(kind.strip().lower()), value.strip() if equals else ""
    except ValueError:
        refusal = _("%(option)s %(item)s is not KIND=VALUE with KIND one of: %(kinds)s")
        values = {"option": option, "item": repr(item[:60]), "kinds": ", ".join(LinkKind)}
        raise InputError(refusal % values) from None


@assessments_app.command("history")
def history(
    scenario_id: ScenarioId,
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """Every version of a scenario's text and links."""
    with acting(as_user) as (session, principal):
        versions = service.scenario_history(session, principal, scenario_id)
    if output_format is OutputFormat.json:
        print_json([asdict(v) for v in versions])
        return
    language = resolve_lang(lang)
    _ = translator(language)
    for v in versions:
        change = _(VERSION_CHANGE_NAMES[v.change]) if v.change in VERSION_CHANGE_NAMES else v.change
        when = moment(v.changed_at, language)
        echo(f"v{v.version:<3} {when}  {change}  {v.changed_by}  {v.snapshot['title']}")


def _codes(scores: Any) -> str:
    """A sheet's classes: ``2.1=C, 2.2=A``."""
    return ", ".join(f"{criterion}={code}" for criterion, (code, _why) in scores.items())


@assessments_app.command("revisions")
def revisions(
    scenario_id: ScenarioId,
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """Every version of every analyst's scores: of closed rounds all, of an open round only your own."""
    with acting(as_user) as (session, principal):
        found = service.sheet_history(session, principal, scenario_id)
    if output_format is OutputFormat.json:
        print_json([asdict(sheet) | {"round": number} for number, sheet in found])
        return
    language = resolve_lang(lang)
    _ = translator(language)
    if not found:
        echo(_("scenario %(id)s: no scores you may see yet") % {"id": scenario_id})
    for number, sheet in found:
        round_name = _("round %(n)s") % {"n": number}
        likelihood = _("likelihood %(code)s") % {"code": sheet.likelihood}
        echo(
            f"{round_name}  {sheet.analyst:<12} v{sheet.version}  {moment(sheet.created_at, language)}  "
            f"{likelihood}; {_codes(sheet.scores)}"
        )


@assessments_app.command("link")
def link(
    scenario_id: ScenarioId,
    kind: Annotated[LinkKind, typer.Argument(help="What the link points at.")],
    value: Annotated[str, typer.Argument(help="Its id or reference (signal/case/threat/goal: a number).")],
    note: Annotated[str, typer.Option("--note", help="Why it is linked (optional).")] = "",
    as_user: AsUser = None,
    lang: LangOption = None,
) -> None:
    """Link evidence (signal, case, forecast, indicator, document) or a threat or goal to a scenario."""
    with acting(as_user) as (session, principal):
        service.add_evidence(session, principal, scenario_id, kind, value, note)
    _ = translator(resolve_lang(lang))
    echo(
        _("scenario %(id)s: %(kind)s %(value)s linked")
        % {"id": scenario_id, "kind": kind.value, "value": value}
    )


@assessments_app.command("open-round")
def open_round(
    scenario_id: ScenarioId,
    coordinators_score: Annotated[
        bool,
        typer.Option(
            "--coordinators-score",
            help="Coordinators and admins score in this round too (default: analysts only, as the NRB "
            "method keeps the coordinator who runs a round apart from the experts who score it)",
        ),
    ] = False,
    deadline: DeadlineOption = None,
    as_user: AsUser = None,
    lang: LangOption = None,
) -> None:
    """Open the next scoring round (round 1 is blind; needs assessments:manage)."""
    language = resolve_lang(lang)
    _ = translator(language)
    when, now = _deadline(deadline, _), utcnow()
    with acting(as_user) as (session, principal):
        number = service.open_round(session, principal, scenario_id, coordinators_score, when, now)
        summary = service.get_scenario(session, principal, scenario_id).rounds[-1]
    echo(_("scenario %(id)s: round %(n)s open") % {"id": scenario_id, "n": number})
    echo(_(COORDINATORS_SCORE[coordinators_score]))
    for line in _round_facts(summary, _, language, now):
        echo(line.strip())


@assessments_app.command("deadline")
def set_deadline(
    scenario_id: ScenarioId,
    deadline: DeadlineOption = None,
    remove: Annotated[
        bool, typer.Option("--remove", help="Remove the deadline: the round takes scores until it closes")
    ] = False,
    as_user: AsUser = None,
    lang: LangOption = None,
) -> None:
    """Set, move or remove the deadline of the open round (needs assessments:manage; audited)."""
    language = resolve_lang(lang)
    _ = translator(language)
    if (deadline is None) == (not remove):
        raise InputError(_("give either --deadline YYYY-MM-DD HH:MM or --remove"))
    when, now = _deadline(deadline, _), utcnow()
    with acting(as_user) as (session, principal):
        number = service.set_deadline(session, principal, scenario_id, when, now=now)
        summary = service.get_scenario(session, principal, scenario_id).rounds[-1]
    echo(_("scenario %(id)s: round %(n)s") % {"id": scenario_id, "n": number})
    for line in _round_facts(summary, _, language, now) or ["  " + _("no deadline")]:
        echo(line.strip())


@assessments_app.command("reopen-round")
def reopen_round(
    scenario_id: ScenarioId,
    reason: Annotated[
        str,
        typer.Option("--reason", help="Why the round is opened again (required; shown on the round page)"),
    ],
    number: RoundOption = None,
    deadline: DeadlineOption = None,
    as_user: AsUser = None,
    lang: LangOption = None,
) -> None:
    """Open a closed round again: its scores stay, blind until it closes (needs assessments:manage)."""
    language = resolve_lang(lang)
    _ = translator(language)
    when, now = _deadline(deadline, _), utcnow()
    with acting(as_user) as (session, principal):
        opened = service.reopen_round(session, principal, scenario_id, reason, number, when, now)
        summary = service.get_scenario(session, principal, scenario_id).rounds[opened - 1]
    echo(_("scenario %(id)s: round %(n)s open again") % {"id": scenario_id, "n": opened})
    for line in _round_facts(summary, _, language, now):
        echo(line.strip())


@assessments_app.command("close-round")
def close_round(scenario_id: ScenarioId, as_user: AsUser = None, lang: LangOption = None) -> None:
    """Close the open round: the scores are revealed side by side (needs assessments:manage)."""
    with acting(as_user) as (session, principal):
        number = service.close_round(session, principal, scenario_id)
    _ = translator(resolve_lang(lang))
    echo(
        _("scenario %(id)s: round %(n)s closed; see `gbvs assessments round %(id)s`")
        % {"id": scenario_id, "n": number}
    )


@assessments_app.command("score")
def score(
    scenario_id: ScenarioId,
    likelihood: Annotated[str, typer.Option("--likelihood", help="Likelihood class, e.g. C.")],
    why: Annotated[str, typer.Option("--why", help="Justification of the likelihood class.")],
    scores: Annotated[
        list[str],
        typer.Option("--score", help="CRITERION=CLASS:JUSTIFICATION, once per criterion, e.g. 2.1=C:'...'."),
    ],
    as_user: AsUser = None,
    lang: LangOption = None,
) -> None:
    """Score the open round (needs assessments:score); scoring again makes a new version."""
    _ = translator(resolve_lang(lang))
    parsed = _parse_scores(scores, _)
    with acting(as_user) as (session, principal):
        version = service.submit_scores(
            session, principal, scenario_id, (likelihood, why), parsed, now=utcnow()
        )
    echo(
        _("scenario %(id)s: your scores saved (version %(v)s); the others' scores show when the round closes")
        % {"id": scenario_id, "v": version}
    )


def _parse_scores(items: list[str], _: Gettext) -> dict[str, tuple[str, str]]:
    """The ``--score`` options by criterion; InputError when a criterion is given twice."""
    parsed: dict[str, tuple[str, str]] = {}
    for item in items:
        criterion, pair = _parse_score(item, _)
        if criterion in parsed:
            refusal = _(
                "criterion %(criterion)s is given twice (%(first)s, %(second)s); give each criterion once "
                "with --score"
            )
            raise InputError(
                refusal % {"criterion": criterion, "first": parsed[criterion][0], "second": pair[0]}
            )
        parsed[criterion] = pair
    return parsed


def _parse_score(item: str, _: Gettext) -> tuple[str, tuple[str, str]]:
    criterion, equals, rest = item.partition("=")
    code, colon, justification = rest.partition(":")
    if not equals or not colon:
        refusal = _("--score %(item)s is not CRITERION=CLASS:JUSTIFICATION; write e.g. 2.1=C:'reason'")
        raise InputError(refusal % {"item": repr(item[:60])})
    return criterion.strip(), (code.strip(), justification.strip())


@assessments_app.command("round")
def show_round(
    scenario_id: ScenarioId,
    number: Annotated[
        int | None, typer.Option("--round", min=1, max=1000, help="Round number (default last).")
    ] = None,
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """A round: while open only your own scores and who has submitted (to who manages the scenario also
    who on the panel has not scored yet); once closed all, with the spread."""
    now = utcnow()
    with acting(as_user) as (session, principal):
        view = service.round_view(session, principal, scenario_id, number)
        scenario = service.get_scenario(session, principal, scenario_id)
        missing = service.not_scored_to_chase(session, principal, scenario, number)
    scenario_method = scenario.method_id
    if output_format is OutputFormat.json:
        needs_review = load_method(scenario_method).impact_scale.needs_review
        extra = {
            "revealed": view.revealed,
            "needs_review": needs_review,
            "method_changed": view.method_changed,
            "reasons_withheld": view.reasons_withheld,
        }
        print_json(_with_not_scored(asdict(view) | extra, missing))
        return
    language = resolve_lang(lang)
    _ = translator(language)
    summary = view.round
    heading = _("scenario %(id)s, round %(n)s: %(status)s; method version %(version)s; submitted: %(who)s")
    echo(
        heading
        % {
            "id": scenario_id,
            "n": summary.number,
            "status": _status(summary.status, _),
            "version": summary.method_version,
            "who": ", ".join(summary.submitted) or _("nobody"),
        }
    )
    echo(_(COORDINATORS_SCORE[summary.coordinators_score]))
    for line in _round_facts(summary, _, language, now):
        echo(line.strip())
    _echo_not_scored(missing, _)
    if not view.revealed:
        _echo_blind(view, _)
    elif view.method_changed:
        _echo_other_method(view, _)
    elif view.spread is not None:
        _echo_spread(view, load_method(scenario_method), language, _)
    _echo_dissent(view.dissent, _)


def _echo_blind(view: service.RoundView, _: Gettext) -> None:
    echo(_("the others' scores are hidden until the round closes"))
    if view.own is not None:
        echo(
            _("your scores (version %(v)s): likelihood %(code)s; %(codes)s")
            % {"v": view.own.version, "code": view.own.likelihood, "codes": _codes(view.own.scores)}
        )


def _echo_other_method(view: service.RoundView, _: Gettext) -> None:
    echo(
        _(
            "scored under method version %(then)s; the method is now version %(now)s, whose classes may "
            "mean other values: no median or range. Open a new round to score under the current version "
            "(`gbvs assessments open-round %(id)s`)"
        )
        % {"then": view.round.method_version, "now": view.method_version, "id": view.scenario_id}
    )
    for sheet in view.sheets:
        likelihood = _("likelihood %(code)s") % {"code": sheet.likelihood}
        echo(f"{sheet.analyst}: {likelihood}; {_codes(sheet.scores)}")


def _echo_spread(view: service.RoundView, method: Method, lang: Lang, _: Gettext) -> None:
    assert view.spread is not None
    analysts = [sheet.analyst for sheet in view.sheets]
    columns = " ".join(f"{a[:8]:>8}" for a in analysts)
    rows = [(LIKELIHOOD, {s.analyst: s.likelihood for s in view.sheets}, view.spread.likelihood)]
    rows += [
        (c, {s.analyst: s.scores[c][0] for s in view.sheets}, sp) for c, sp in view.spread.impact.items()
    ]
    width = max(10, len(_("criterion")), *(len(_(subject_msgid(row[0]))) for row in rows))
    echo(f"{_('criterion'):{width}} {columns}   {_('median'):>6}  {_('range')}")
    for criterion, codes, spread in rows:
        cells = " ".join(f"{codes[a]:>8}" for a in analysts)
        low, high = decimal(spread.low, lang), decimal(spread.high, lang)
        median = decimal(spread.median, lang)
        echo(f"{_(subject_msgid(criterion)):{width}} {cells}   {median:>6}  {low}-{high}")
    if method.impact_scale.needs_review:
        echo(
            f"{REVIEW} "
            + _("the class values behind the medians are unconfirmed; see `gbvs assessments method %(id)s`")
            % {"id": method.id}
        )


@assessments_app.command("dissent")
def dissent(
    scenario_id: ScenarioId,
    text: Annotated[str, typer.Argument(help="What you disagree with and why.")],
    criterion: Annotated[
        str | None, typer.Option("--criterion", help="A criterion id, or 'likelihood'.")
    ] = None,
    as_user: AsUser = None,
    lang: LangOption = None,
) -> None:
    """Record dissent; it stays visible in every output of the scenario (needs assessments:score)."""
    with acting(as_user) as (session, principal):
        service.record_dissent(session, principal, scenario_id, text, criterion)
    echo(translator(resolve_lang(lang))("scenario %(id)s: dissent recorded") % {"id": scenario_id})


def _weight_set_option(method_id: str, weights: str | None) -> str:
    """The id of the ``--weights`` weight set of ``method_id`` (its first when not given); a usage error
    naming the valid ids otherwise."""
    method = load_method(method_id)
    if weights is None:
        return method.weight_sets[0].id
    try:
        return method.weight_set(weights.strip().lower()).id
    except KeyError as error:
        raise typer.BadParameter(str(error.args[0]), param_hint="--weights") from None


@assessments_app.command("results")
def results(
    method: MethodOption = DEFAULT_METHOD,
    iterations: Annotated[
        int, typer.Option("--iterations", min=1, max=100_000, help="Resampling draws of the sensitivity.")
    ] = 1000,
    seed: Annotated[
        int,
        typer.Option(
            "--seed", min=0, max=2**31 - 1, help="Seed of the draws (the same seed, the same result)."
        ),
    ] = 0,
    svg: Annotated[
        Path | None, typer.Option("--svg", help="Also write the risk diagram to this file.")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing --svg file.")] = False,
    weights: Annotated[
        str | None,
        typer.Option("--weights", help="Weight set of the --svg risk diagram (default: the first)."),
    ] = None,
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """Impact per interest and in total, ranks per weight set, sensitivity and the risk diagram
    (closed rounds only)."""
    weight_set = _weight_set_option(method, weights)
    language = resolve_lang(lang)
    _ = translator(language)
    with acting(as_user) as (session, principal):
        view = service.results(session, principal, method, iterations, seed)
    outcome = view.results
    if outcome is None:
        if output_format is OutputFormat.json:
            print_json(
                {
                    "method": load_method(method).label(),
                    "scenarios": [],
                    "not_scored": [scenario.id for scenario in view.not_scored],
                    "other_method_version": [scenario.id for scenario, _round in view.other_version],
                }
            )
            return
        echo(_("no scenario of this method has a closed round under its current version yet"))
        _echo_other_version(view, _)
        return
    if svg is not None:
        write_output(
            svg,
            diagram_svg(outcome.method, outcome.points[weight_set], weight_set, language, _closed_days(view)),
            force,
        )
    if output_format is OutputFormat.json:
        print_json(
            asdict(outcome)
            | {
                "method": outcome.method.label(),
                "rounds": {key: asdict(summary) for key, summary in view.rounds.items()},
                "other_method_version": [scenario.id for scenario, _round in view.other_version],
                "unconfirmed": [
                    asdict(item) | {"what": item.what.model_dump()} for item in unconfirmed(outcome.method)
                ],
            }
        )
        return
    _echo_results(outcome, view, language, _)


def _echo_results(outcome: Any, view: service.ResultsView, lang: Lang, _: Gettext) -> None:
    method: Method = outcome.method
    unsure = _("unconfirmed values: %(n)s") % {"n": len(unconfirmed(method))}
    echo(
        _("method %(id)s") % {"id": method.label()}
        + f"; {unsure} {REVIEW} "
        + _("(see `gbvs assessments method`)")
    )
    for weight_set in method.weight_sets:
        echo(f"\n{_('weight set')} {weight_set.id}{_flag(weight_set.needs_review)}")
        echo(
            f"{_('rank'):>4}  {_('impact'):>6}  {_('own totals'):>11}  {_('kept (resample)'):>15}  "
            f"{_('kept (±1 class)'):>15}  {_('analysts')}  {_('scenario')}"
        )
        _echo_ranking(outcome, weight_set.id, lang, _)
    echo("\n" + _("rounds behind these figures:"))
    for scenario in view.scenarios:
        rd = view.rounds[str(scenario.id)]
        closed = moment(rd.closed_at, lang)
        line = _(
            "round %(n)s, closed %(closed)s by %(who)s, method version %(version)s, analysts: %(analysts)s"
        ) % {
            "n": rd.number,
            "closed": closed,
            "who": rd.closed_by,
            "version": rd.method_version,
            "analysts": ", ".join(rd.submitted),
        }
        if rd.reopened:
            count = len(rd.reopenings)
            reopened = catalog(lang).ngettext(
                "reopened %(n)s time before it closed", "reopened %(n)s times before it closed", count
            )
            line += "; " + reopened % {"n": count}
        echo(f"  {scenario.id}. {line}")
    for scenario in view.scenarios:
        _echo_dissent(scenario.dissent, _)
    _echo_other_version(view, _)
    if view.not_scored:
        echo("\n" + _("not scored yet: %(ids)s") % {"ids": ", ".join(str(s.id) for s in view.not_scored)})


def _echo_ranking(outcome: Any, weight_set_id: str, lang: Lang, _: Gettext) -> None:
    """One weight set's ranking: impact, the analysts' own totals and how often the rank is kept, with
    the figures written as the results page writes them."""
    points = {point.key: point for point in outcome.points[weight_set_id]}
    for row in sorted(outcome.scenarios, key=lambda row: row.ranks[weight_set_id]):
        resampled = outcome.resampled[weight_set_id][row.key]
        moved = outcome.one_class[weight_set_id][row.key]
        own = points[row.key].impact
        outside = (
            " " + _("(impact outside every analyst's own total)")
            if points[row.key].outside_own_totals
            else ""
        )
        impact = decimal(row.impacts[weight_set_id].total, lang, 2)
        low, high = decimal(own.low, lang, 2), decimal(own.high, lang, 2)
        kept, kept_moved = percent(resampled.kept, lang), percent(moved.kept, lang)
        echo(
            f"{row.ranks[weight_set_id]:>4}  {impact:>6}  {low:>5}-{high:>5}  {kept:>15}  {kept_moved:>15}  "
            f"{row.analysts:>8}  {row.key}. {row.label}{outside}"
        )


def _echo_other_version(view: service.ResultsView, _: Gettext) -> None:
    if view.other_version:
        left_out = ", ".join(
            f"{s.id} (" + _("round %(n)s") % {"n": rd.number} + f", {rd.method_version})"
            for s, rd in view.other_version
        )
        echo(
            "\n"
            + _("left out, scored under another version of the method (score again in a new round): %(ids)s")
            % {"ids": left_out}
        )


def _closed_days(view: service.ResultsView) -> list[str]:
    """The days (UTC) the rounds behind the figures closed: the data's vintage."""
    return sorted({rd.closed_at.date().isoformat() for rd in view.rounds.values() if rd.closed_at})


def diagram_svg(
    method: Method, points: Any, weight_set_id: str, language: Lang = "nl", closed_days: Sequence[str] = ()
) -> str:
    """The risk diagram of ``points`` (impact under weight set ``weight_set_id``) with the method's class
    codes on the axes, its words in ``language``; its description names the source, the method's version
    and the days the rounds behind it closed (``closed_days``, the data's vintage)."""
    _ = translator(language)
    scale = method.likelihood_scales[0]
    review = (
        f" ({REVIEW}: " + _("classes and values unconfirmed") + ")" if method.scales_unconfirmed() else ""
    )
    names = {
        "method": method.name.text(language),
        "weights": method.weight_set(weight_set_id).name.text(language),
    }
    return risk_diagram_svg(
        points,
        title=_("Risk diagram, %(method)s, weights: %(weights)s") % names,
        description=_(
            "Impact against likelihood per scenario, with the analysts' spread%(review)s; method "
            "%(method)s, last closed round per scenario."
        )
        % {"review": review, "method": method.label()}
        + " "
        + _("Source: GBVS threat assessment; data vintage: rounds closed on %(days)s.")
        % {"days": ", ".join(closed_days) or "-"},
        axis_labels=(_("likelihood"), _("impact")),
        likelihood_ticks={c.value: c.code for c in scale.classes},
        impact_ticks={c.value: c.code for c in method.impact_scale.classes},
    )


def register(app: typer.Typer) -> None:
    """Add ``gbvs assessments``."""
    app.add_typer(assessments_app, name="assessments")
