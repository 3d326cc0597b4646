"""``gbvs assessments``: the threat assessment (ch. 3) from the command line.

Method files are read from the package; scenarios, rounds, scores and dissent go through
:mod:`gbvs.db.services.assessments`, so the blind rule, authorization and the audit log are the
same as on the web. Values marked ``needs_review`` in the method are flagged wherever they print.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer

from gbvs.assessments import DEFAULT_METHOD, LIKELIHOOD, Method, available_methods, load_method, unconfirmed
from gbvs.assessments.diagram import risk_diagram_svg
from gbvs.cli.accounts import AsUser, acting
from gbvs.cli.options import LangOption, resolve_lang, row_id
from gbvs.cli.output import FormatOption, OutputFormat, echo, print_json, write_output
from gbvs.cli.texts import translator
from gbvs.db.assessment_models import LinkKind, ScenarioType
from gbvs.db.services import assessments as service
from gbvs.errors import InputError

assessments_app = typer.Typer(
    help="Threat assessment (ch. 3): methods, scenarios, Delphi scoring rounds, results."
)

REVIEW = "[needs_review]"
ScenarioId = Annotated[int, row_id("Scenario id (see `gbvs assessments list`).")]
MethodOption = Annotated[str, typer.Option("--method", help="Method id (see `gbvs assessments methods`).")]


def _flag(needs_review: bool) -> str:
    return f" {REVIEW}" if needs_review else ""


@assessments_app.command("methods")
def list_methods(output_format: FormatOption = OutputFormat.text) -> None:
    """The shipped methods, with how many of their values are unconfirmed."""
    rows = []
    for method_id in available_methods():
        method = load_method(method_id)
        rows.append(
            {
                "id": method.id,
                "version": method.version,
                "name": method.name.nl,
                "unconfirmed": len(unconfirmed(method)),
            }
        )
    if output_format is OutputFormat.json:
        print_json(rows)
        return
    for row in rows:
        echo(f"{row['id']}  v{row['version']}  {row['name']}  ({row['unconfirmed']} values {REVIEW})")


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
            f"{c.code}={c.value:g} {c.label.text(language)}{_flag(c.needs_review)}" for c in scale.classes
        )
        echo(f"\n{scale.name.text(language)}{_flag(scale.needs_review)}: {classes}")
    for weight_set in method.weight_sets:
        weights = ", ".join(f"{k}: {v:g}" for k, v in weight_set.weights.items())
        name = f"{weight_set.name.text(language)}){_flag(weight_set.needs_review)}"
        echo(f"\n{_('weight set')} {weight_set.id} ({name}: {weights}")
    items = unconfirmed(method)
    if items:
        echo("\n" + _("Unconfirmed values (%(n)s), to check against their source:") % {"n": len(items)})
        for item in items:
            echo(f"  {item.what.text(language)} ({item.entry}): {item.check_against}")


@assessments_app.command("seed")
def seed(as_user: AsUser = None, output_format: FormatOption = OutputFormat.text) -> None:
    """Add the six threats of ch. 3 as unscored draft scenarios (those not there yet)."""
    with acting(as_user) as (session, principal):
        created = service.seed_drafts(session, principal)
    if output_format is OutputFormat.json:
        print_json({"created": created})
        return
    echo(
        f"{len(created)} draft scenario(s) added"
        + (f": ids {', '.join(map(str, created))}" if created else "")
    )


@assessments_app.command("list")
def list_scenarios(as_user: AsUser = None, output_format: FormatOption = OutputFormat.text) -> None:
    """Every scenario with its threat, method and round status."""
    with acting(as_user) as (session, principal):
        rows = service.list_scenarios(session, principal)
    if output_format is OutputFormat.json:
        print_json([_scenario_json(row) for row in rows])
        return
    if not rows:
        echo("(none; add the drafts of ch. 3 with `gbvs assessments seed`)")
    for row in rows:
        rounds = f"round {row.rounds[-1].number} {row.rounds[-1].status}" if row.rounds else "draft"
        threats = ",".join(map(str, row.threats)) or "-"
        echo(f"{row.id:4}  threat {threats:3}  {row.method_id:11}  {rounds:15}  {row.title}")


def _scenario_json(view: service.ScenarioView) -> dict[str, Any]:
    data = asdict(view)
    data["status"] = view.status
    data["threats"] = list(view.threats)
    return data


@assessments_app.command("show")
def show(
    scenario_id: ScenarioId, as_user: AsUser = None, output_format: FormatOption = OutputFormat.text
) -> None:
    """One scenario: text, links, rounds and dissent."""
    with acting(as_user) as (session, principal):
        view = service.get_scenario(session, principal, scenario_id)
    if output_format is OutputFormat.json:
        print_json(_scenario_json(view))
        return
    echo(f"{view.id}. {view.title} ({view.kind}; method {view.method_id})\n\n{view.description}")
    for label, value in (("time horizon", view.time_horizon), ("assumptions", view.assumptions)):
        if value:
            echo(f"{label}: {value}")
    for link in view.links:
        echo(f"  {link.kind}: {link.value}" + (f" ({link.note})" if link.note else ""))
    for summary in view.rounds:
        echo(
            f"round {summary.number}: {summary.status}; submitted: {', '.join(summary.submitted) or 'nobody'}"
        )
    _echo_dissent(view.dissent)


def _echo_dissent(dissent: tuple[service.DissentView, ...]) -> None:
    for item in dissent:
        about = f" on {item.criterion}" if item.criterion else ""
        text = "(text shared with the scenario's panel)" if item.withheld else item.text
        echo(f"DISSENT {item.analyst}{about} (round {item.round_number or '-'}): {text}")


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
    """The scenario's panel: its owner's organisation and the invited ones."""
    with acting(as_user) as (session, principal):
        view = service.get_scenario(session, principal, scenario_id)
    if output_format is OutputFormat.json:
        print_json([asdict(member) for member in view.panel])
        return
    _ = translator(resolve_lang(lang))
    echo(_("Panel of scenario %(id)s (%(title)s):") % {"id": view.id, "title": view.title})
    for member in view.panel:
        who = member.organisation or _("accounts without an organisation")
        how = (
            _("owner")
            if member.owner
            else _("invited by %(who)s on %(date)s")
            % {"who": member.added_by, "date": f"{member.added_at:%Y-%m-%d}"}
        )
        echo(f"  {who}: {how}")


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
    description: Annotated[str, typer.Option("--description")] = "",
    horizon: Annotated[str, typer.Option("--horizon", help="Time horizon, e.g. '5 jaar'.")] = "",
    assumptions: Annotated[str, typer.Option("--assumptions")] = "",
    method: MethodOption = DEFAULT_METHOD,
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
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
    print_json({"id": scenario_id}) if output_format is OutputFormat.json else echo(
        f"scenario {scenario_id} created"
    )


@assessments_app.command("edit")
def edit(
    scenario_id: ScenarioId,
    title: Annotated[str | None, typer.Option("--title", help="New title (Dutch).")] = None,
    title_en: Annotated[str | None, typer.Option("--title-en", help="New title (English).")] = None,
    description: Annotated[str | None, typer.Option("--description")] = None,
    description_en: Annotated[str | None, typer.Option("--description-en")] = None,
    threat: Annotated[
        list[int] | None, typer.Option("--threat", min=1, max=6, help="Threat of ch. 3 (repeat; replaces).")
    ] = None,
    goal: Annotated[
        list[int] | None, typer.Option("--goal", min=1, max=13, help="Goal concerned (repeat; replaces).")
    ] = None,
    horizon: Annotated[str | None, typer.Option("--horizon", help="Time horizon.")] = None,
    assumptions: Annotated[str | None, typer.Option("--assumptions")] = None,
    add_evidence: Annotated[
        list[str] | None, typer.Option("--add-evidence", help="KIND=VALUE, e.g. document='NCTV DTN 60'.")
    ] = None,
    remove_evidence: Annotated[
        list[str] | None, typer.Option("--remove-evidence", help="KIND=VALUE of a link to remove.")
    ] = None,
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
) -> None:
    """Edit a draft scenario (needs assessments:manage): each edit is a new version; refused once
    a scoring round was opened."""
    change = service.ScenarioEdit(
        title=title,
        title_en=title_en,
        description=description,
        description_en=description_en,
        time_horizon=horizon,
        assumptions=assumptions,
        threats=tuple(threat) if threat else None,
        goals=tuple(goal) if goal else None,
        add_evidence=[(*_link(item, "--add-evidence"), "") for item in add_evidence or ()],
        remove_evidence=[_link(item, "--remove-evidence") for item in remove_evidence or ()],
    )
    with acting(as_user) as (session, principal):
        version = service.edit_scenario(session, principal, scenario_id, change)
    if output_format is OutputFormat.json:
        print_json({"id": scenario_id, "version": version})
    else:
        echo(f"scenario {scenario_id} edited: version {version}")


def _link(item: str, option: str) -> tuple[LinkKind, str]:
    kind, equals, value = item.partition("=")
    try:
        return LinkKind(kind.strip().lower()), value.strip() if equals else ""
    except ValueError:
        kinds = ", ".join(LinkKind)
        raise InputError(f"{option} {item[:60]!r} is not KIND=VALUE with KIND one of: {kinds}") from None


@assessments_app.command("history")
def history(
    scenario_id: ScenarioId, as_user: AsUser = None, output_format: FormatOption = OutputFormat.text
) -> None:
    """Every version of a scenario's text and links."""
    with acting(as_user) as (session, principal):
        versions = service.scenario_history(session, principal, scenario_id)
    if output_format is OutputFormat.json:
        print_json([asdict(v) for v in versions])
        return
    for v in versions:
        when = f"{v.changed_at:%Y-%m-%d %H:%M}"
        echo(f"v{v.version:<3} {when}  {v.change:<8} {v.changed_by}  {v.snapshot['title']}")


@assessments_app.command("revisions")
def revisions(
    scenario_id: ScenarioId, as_user: AsUser = None, output_format: FormatOption = OutputFormat.text
) -> None:
    """Every version of every analyst's scores: of closed rounds all, of an open round only your own."""
    with acting(as_user) as (session, principal):
        found = service.sheet_history(session, principal, scenario_id)
    if output_format is OutputFormat.json:
        print_json([asdict(sheet) | {"round": number} for number, sheet in found])
        return
    if not found:
        echo(f"scenario {scenario_id}: no scores you may see yet")
    for number, sheet in found:
        codes = ", ".join(f"{c}={code}" for c, (code, _) in sheet.scores.items())
        echo(
            f"round {number}  {sheet.analyst:<12} v{sheet.version}  {sheet.created_at:%Y-%m-%d %H:%M}  "
            f"likelihood {sheet.likelihood}; {codes}"
        )


@assessments_app.command("link")
def link(
    scenario_id: ScenarioId,
    kind: Annotated[LinkKind, typer.Argument(help="What the link points at.")],
    value: Annotated[str, typer.Argument(help="Its id or reference (signal/case/threat/goal: a number).")],
    note: Annotated[str, typer.Option("--note")] = "",
    as_user: AsUser = None,
) -> None:
    """Link evidence (signal, case, forecast, indicator, document) or a threat or goal to a scenario."""
    with acting(as_user) as (session, principal):
        service.add_evidence(session, principal, scenario_id, kind, value, note)
    echo(f"scenario {scenario_id}: {kind.value} {value} linked")


@assessments_app.command("open-round")
def open_round(scenario_id: ScenarioId, as_user: AsUser = None) -> None:
    """Open the next scoring round (round 1 is blind; needs assessments:manage)."""
    with acting(as_user) as (session, principal):
        number = service.open_round(session, principal, scenario_id)
    echo(f"scenario {scenario_id}: round {number} open")


@assessments_app.command("close-round")
def close_round(scenario_id: ScenarioId, as_user: AsUser = None) -> None:
    """Close the open round: the scores are revealed side by side (needs assessments:manage)."""
    with acting(as_user) as (session, principal):
        number = service.close_round(session, principal, scenario_id)
    echo(f"scenario {scenario_id}: round {number} closed; see `gbvs assessments round {scenario_id}`")


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
) -> None:
    """Score the open round (needs assessments:score); scoring again makes a new version."""
    parsed = _parse_scores(scores)
    with acting(as_user) as (session, principal):
        version = service.submit_scores(session, principal, scenario_id, (likelihood, why), parsed)
    echo(
        f"scenario {scenario_id}: your scores saved (version {version}); "
        "the others' scores show when the round closes"
    )


def _parse_scores(items: list[str]) -> dict[str, tuple[str, str]]:
    """The ``--score`` options by criterion; InputError when a criterion is given twice."""
    parsed: dict[str, tuple[str, str]] = {}
    for item in items:
        criterion, pair = _parse_score(item)
        if criterion in parsed:
            raise InputError(
                f"criterion {criterion} is given twice ({parsed[criterion][0]}, {pair[0]}); "
                "give each criterion once with --score"
            )
        parsed[criterion] = pair
    return parsed


def _parse_score(item: str) -> tuple[str, tuple[str, str]]:
    criterion, equals, rest = item.partition("=")
    code, colon, justification = rest.partition(":")
    if not equals or not colon:
        raise InputError(
            f"--score {item[:60]!r} is not CRITERION=CLASS:JUSTIFICATION; write e.g. 2.1=C:'reason'"
        )
    return criterion.strip(), (code.strip(), justification.strip())


@assessments_app.command("round")
def show_round(
    scenario_id: ScenarioId,
    number: Annotated[
        int | None, typer.Option("--round", min=1, max=1000, help="Round number (default last).")
    ] = None,
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
) -> None:
    """A round: while open only your own scores and who has submitted; once closed all, with the spread."""
    with acting(as_user) as (session, principal):
        view = service.round_view(session, principal, scenario_id, number)
        scenario_method = service.get_scenario(session, principal, scenario_id).method_id
    if output_format is OutputFormat.json:
        needs_review = load_method(scenario_method).impact_scale.needs_review
        extra = {
            "revealed": view.revealed,
            "needs_review": needs_review,
            "method_changed": view.method_changed,
            "reasons_withheld": view.reasons_withheld,
        }
        print_json(asdict(view) | extra)
        return
    summary = view.round
    echo(
        f"scenario {scenario_id}, round {summary.number}: {summary.status}; "
        f"method version {summary.method_version}; submitted: {', '.join(summary.submitted) or 'nobody'}"
    )
    if not view.revealed:
        echo("the others' scores are hidden until the round closes")
        if view.own is not None:
            echo(
                f"your scores (version {view.own.version}): likelihood {view.own.likelihood}; "
                + ", ".join(f"{c}={code}" for c, (code, _) in view.own.scores.items())
            )
    elif view.method_changed:
        echo(
            f"scored under method version {summary.method_version}; the method is now version "
            f"{view.method_version}, whose classes may mean other values: no median or range. Open a new "
            f"round to score under the current version (`gbvs assessments open-round {scenario_id}`)"
        )
        for sheet in view.sheets:
            listed = ", ".join(f"{c}={code}" for c, (code, _) in sheet.scores.items())
            echo(f"{sheet.analyst}: likelihood {sheet.likelihood}; {listed}")
    elif view.spread is not None:
        analysts = [sheet.analyst for sheet in view.sheets]
        echo(f"{'criterion':10} " + " ".join(f"{a[:8]:>8}" for a in analysts) + "   median  range")
        rows = [(LIKELIHOOD, {s.analyst: s.likelihood for s in view.sheets}, view.spread.likelihood)]
        rows += [
            (c, {s.analyst: s.scores[c][0] for s in view.sheets}, sp) for c, sp in view.spread.impact.items()
        ]
        for criterion, codes, spread in rows:
            cells = " ".join(f"{codes[a]:>8}" for a in analysts)
            echo(f"{criterion:10} {cells}   {spread.median:6g}  {spread.low:g}-{spread.high:g}")
        method = load_method(scenario_method)
        if method.impact_scale.needs_review:
            echo(
                f"{REVIEW} the class values behind the medians are unconfirmed; "
                f"see `gbvs assessments method {method.id}`"
            )
    _echo_dissent(view.dissent)


@assessments_app.command("dissent")
def dissent(
    scenario_id: ScenarioId,
    text: Annotated[str, typer.Argument(help="What you disagree with and why.")],
    criterion: Annotated[
        str | None, typer.Option("--criterion", help="A criterion id, or 'likelihood'.")
    ] = None,
    as_user: AsUser = None,
) -> None:
    """Record dissent; it stays visible in every output of the scenario (needs assessments:score)."""
    with acting(as_user) as (session, principal):
        service.record_dissent(session, principal, scenario_id, text, criterion)
    echo(f"scenario {scenario_id}: dissent recorded")


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
    iterations: Annotated[int, typer.Option("--iterations", min=1, max=100_000)] = 1000,
    seed: Annotated[int, typer.Option("--seed", min=0, max=2**31 - 1)] = 0,
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
) -> None:
    """Impact per interest and in total, ranks per weight set, sensitivity and the risk diagram
    (closed rounds only)."""
    weight_set = _weight_set_option(method, weights)
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
                    "other_method_version": [scenario.id for scenario, _ in view.other_version],
                }
            )
            return
        echo("no scenario of this method has a closed round under its current version yet")
        _echo_other_version(view)
        return
    if svg is not None:
        write_output(svg, diagram_svg(outcome.method, outcome.points[weight_set], weight_set), force)
    if output_format is OutputFormat.json:
        print_json(
            asdict(outcome)
            | {
                "method": outcome.method.label(),
                "rounds": {key: asdict(summary) for key, summary in view.rounds.items()},
                "other_method_version": [scenario.id for scenario, _ in view.other_version],
                "unconfirmed": [
                    asdict(item) | {"what": item.what.model_dump()} for item in unconfirmed(outcome.method)
                ],
            }
        )
        return
    _echo_results(outcome, view)


def _echo_results(outcome: Any, view: service.ResultsView) -> None:
    method: Method = outcome.method
    echo(
        f"method {method.label()}; {len(unconfirmed(method))} values {REVIEW} (see `gbvs assessments method`)"
    )
    for weight_set in method.weight_sets:
        echo(f"\nweight set {weight_set.id}{_flag(weight_set.needs_review)}")
        echo(
            f"{'rank':>4}  {'impact':>6}  {'own totals':>11}  {'kept (resample)':>15}  "
            f"{'kept (±1 class)':>15}  analysts  scenario"
        )
        points = {point.key: point for point in outcome.points[weight_set.id]}
        ordered = sorted(outcome.scenarios, key=lambda row: row.ranks[weight_set.id])
        for row in ordered:
            resampled = outcome.resampled[weight_set.id][row.key]
            moved = outcome.one_class[weight_set.id][row.key]
            own = points[row.key].impact
            outside = (
                " (impact outside every analyst's own total)" if points[row.key].outside_own_totals else ""
            )
            echo(
                f"{row.ranks[weight_set.id]:>4}  {row.impacts[weight_set.id].total:6.2f}  "
                f"{own.low:5.2f}-{own.high:5.2f}  {resampled.kept:15.0%}  {moved.kept:15.0%}  "
                f"{row.analysts:>8}  {row.key}. {row.label}{outside}"
            )
    echo("\nrounds behind these figures:")
    for scenario in view.scenarios:
        rd = view.rounds[str(scenario.id)]
        closed = rd.closed_at.isoformat(timespec="minutes") if rd.closed_at else "-"
        echo(
            f"  {scenario.id}. round {rd.number}, closed {closed} by {rd.closed_by}, method version "
            f"{rd.method_version}, analysts: {', '.join(rd.submitted)}"
        )
    for scenario in view.scenarios:
        _echo_dissent(scenario.dissent)
    _echo_other_version(view)
    if view.not_scored:
        echo(f"\nnot scored yet: {', '.join(str(s.id) for s in view.not_scored)}")


def _echo_other_version(view: service.ResultsView) -> None:
    if view.other_version:
        left_out = ", ".join(
            f"{s.id} (round {rd.number}, {rd.method_version})" for s, rd in view.other_version
        )
        echo(
            f"\nleft out, scored under another version of the method (score again in a new round): {left_out}"
        )


def diagram_svg(method: Method, points: Any, weight_set_id: str) -> str:
    """The risk diagram of ``points`` (impact under weight set ``weight_set_id``) with the method's class
    codes on the axes (Dutch labels)."""
    scale = method.likelihood_scales[0]
    review = f" ({REVIEW}: klassen en waarden onbevestigd)" if method.impact_scale.needs_review else ""
    return risk_diagram_svg(
        points,
        title=f"Risicodiagram, {method.name.nl}, gewichten: {method.weight_set(weight_set_id).name.nl}",
        description=(
            f"Impact tegen waarschijnlijkheid per scenario, met de spreiding van de analisten{review}; "
            f"methode {method.label()}, laatste gesloten ronde per scenario."
        ),
        axis_labels=("waarschijnlijkheid", "impact"),
        likelihood_ticks={c.value: c.code for c in scale.classes},
        impact_ticks={c.value: c.code for c in method.impact_scale.classes},
    )


def register(app: typer.Typer) -> None:
    """Add ``gbvs assessments``."""
    app.add_typer(assessments_app, name="assessments")
