"""``gbvs cases``: signals grouped for a joint interpretation, and each organisation's assessment.

The same services as the web pages (:mod:`gbvs.db.services.cases`): a case outside your
need-to-know is "not found" (exit 5), and only the member signals you may see are shown.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from typing import Annotated, Any

import typer

from gbvs.cli.identity import AsUser, acting
from gbvs.cli.options import LangOption, PageOption, PageSizeOption, resolve_lang, row_id, row_id_option
from gbvs.cli.output import FormatOption, OutputFormat, print_json
from gbvs.cli.texts import Gettext, translator
from gbvs.db.services import cases as service
from gbvs.numbers import day
from gbvs.signals import vocabularies
from gbvs.signals.assessment import AssessmentInput
from gbvs.signals.markings import Distribution, parse_tlp
from gbvs.strategy.model import Lang

cases_app = typer.Typer(help="Cases: signals grouped for a joint interpretation by several organisations.")
CaseId = Annotated[int, row_id("The case's number.")]
SignalIds = Annotated[list[int], row_id_option("--signal", "A signal's number (repeat).")]
Likelihood = Annotated[
    str,
    typer.Option(
        "--likelihood", help="Estimative language, e.g. likely, very-likely, 'zeer waarschijnlijk'."
    ),
]
Confidence = Annotated[
    str, typer.Option("--confidence", help="low, moderate or high (laag, gemiddeld, hoog).")
]
Judgement = Annotated[str, typer.Option("--judgement", help="Your organisation's judgement, in words.")]
SuspectedActor = Annotated[str | None, typer.Option("--actor", help="Suspected actor (cyber operations).")]
Evidence = Annotated[str, typer.Option("--evidence", help="What the attribution rests on, in words.")]
DistributionOption = Annotated[
    Distribution,
    typer.Option(
        "--distribution",
        help="Who may read it: organisation (your own), sharing_group (with --group), all_organisations, "
        "public (everyone; TLP:CLEAR only).",
    ),
]
Goals = Annotated[
    list[int] | None,
    typer.Option("--goal", help="A goal of the strategy (1-13) the case concerns (repeat)."),
]
SponsorState = Annotated[
    str | None, typer.Option("--sponsor", help="A sponsoring state: ISO3 code or name (RUS, Rusland).")
]


@cases_app.command("create")
def create(
    title: Annotated[str, typer.Argument(help="The case's title.")],
    signal: SignalIds,
    tlp: Annotated[str, typer.Option("--tlp", help="The case's TLP marking.")] = "amber",
    distribution: DistributionOption = Distribution.organisation,
    group: Annotated[str | None, typer.Option("--group", help="Sharing group (with sharing_group).")] = None,
    recipient: Annotated[
        list[str] | None, typer.Option("--recipient", help="TLP:RED recipient (repeat).")
    ] = None,
    description: Annotated[str, typer.Option("--description", help="What the case is about.")] = "",
    goal: Goals = None,
    as_user: AsUser = None,
    lang: LangOption = None,
) -> None:
    """Create a case of your organisation grouping signals you may see, with the goals it concerns."""
    with acting(as_user) as (session, principal):
        case_id = service.create_case(
            session,
            principal,
            title=title,
            signal_ids=signal,
            tlp=parse_tlp(tlp),
            distribution=distribution,
            description=description,
            sharing_group=group,
            recipients=tuple(recipient or ()),
            goals=tuple(goal or ()),
        )
    typer.echo(_words(lang)("case %(id)s") % {"id": case_id} + f": {title}")


@cases_app.command("goals")
def set_goals(case_id: CaseId, goal: Goals = None, as_user: AsUser = None, lang: LangOption = None) -> None:
    """Set the strategy goals a case of your organisation concerns (no --goal: none)."""
    with acting(as_user) as (session, principal):
        numbers = service.set_goals(session, principal, case_id, tuple(goal or ()))
    _ = _words(lang)
    typer.echo(_("case %(id)s") % {"id": case_id} + ": " + goals_text(numbers, _))


def goals_text(numbers: Sequence[int], _: Gettext) -> str:
    """The goals of a case in words: their numbers, or that none were given."""
    if not numbers:
        return _("no strategy goals given")
    return _("goals %(numbers)s") % {"numbers": ", ".join(map(str, numbers))}


@cases_app.command("add-signal")
def add_signal(case_id: CaseId, signal: SignalIds, as_user: AsUser = None, lang: LangOption = None) -> None:
    """Add signals you may see to a case of your organisation."""
    with acting(as_user) as (session, principal):
        service.add_signals(session, principal, case_id, signal)
    _ = _words(lang)
    added = _("signals added: %(ids)s") % {"ids": ", ".join(map(str, signal))}
    typer.echo(_("case %(id)s") % {"id": case_id} + f": {added}")


@cases_app.command("assess")
def assess(
    case_id: CaseId,
    judgement: Judgement,
    likelihood: Likelihood,
    confidence: Confidence,
    actor: SuspectedActor = None,
    sponsor: SponsorState = None,
    evidence: Evidence = "",
    as_user: AsUser = None,
    lang: LangOption = None,
) -> None:
    """Add your organisation's assessment of a case (a new version; earlier ones stay)."""
    with acting(as_user) as (session, principal):
        given = AssessmentInput(judgement, likelihood, confidence, actor, sponsor, evidence)
        service.record_assessment(session, principal, given, case_id=case_id)
    _ = _words(lang)
    typer.echo(_("case %(id)s") % {"id": case_id} + ": " + _("assessment recorded"))


@cases_app.command("agree")
def agree(
    case_id: CaseId,
    judgement: Judgement,
    likelihood: Likelihood,
    confidence: Confidence,
    organisation: Annotated[list[str], typer.Option("--org", help="An organisation that agreed (repeat).")],
    as_user: AsUser = None,
    lang: LangOption = None,
) -> None:
    """Record the joint position of a case (by the case's owner), naming the organisations that agreed."""
    with acting(as_user) as (session, principal):
        given = AssessmentInput(judgement, likelihood, confidence)
        service.record_assessment(session, principal, given, case_id=case_id, joint_position_of=organisation)
        joint = service.get_case(session, principal, case_id).joint_position
    _ = _words(lang)
    recorded = _("joint position of %(orgs)s recorded") % {
        "orgs": ", ".join(joint.agreed_by) if joint else ""
    }
    typer.echo(_("case %(id)s") % {"id": case_id} + f": {recorded}")


@cases_app.command("show")
def show(
    case_id: CaseId,
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """A case: its signals you may see, each organisation's assessment and the joint position."""
    with acting(as_user) as (session, principal):
        case = service.get_case(session, principal, case_id)
    if output_format is OutputFormat.json:
        print_json(_plain(asdict(case)))
        return
    language = resolve_lang(lang)
    _ = translator(language)
    typer.echo(_("case %(id)s") % {"id": case.id} + f": {case.title} ({case.tlp}, {case.owner})")
    typer.echo("  " + goals_text(case.goals, _))
    for item in case.signals:
        when = day(item.reported_on, language)
        typer.echo(
            f"  {_('signal %(id)s') % {'id': item.id}}  {when}  {item.tlp}  {item.owner}  {item.title}"
        )
    for view in case.assessments:
        typer.echo("  " + assessment_text(view, language))
    if case.joint_position is None:
        typer.echo("  " + _("no joint position yet"))
    else:
        joint = case.joint_position
        agreed = _("joint position of %(orgs)s, agreed on %(day)s") % {
            "orgs": ", ".join(joint.agreed_by),
            "day": day(joint.created_at, language),
        }
        typer.echo(f"  {agreed}: {assessment_text(joint, language)}")


def assessment_text(view: service.AssessmentView, language: Lang) -> str:
    """One assessment in words of ``language``: who, which version of when, likelihood, confidence."""
    return translator(language)(
        "assessment of %(org)s, version %(version)s of %(day)s: %(likelihood)s (%(range)s), "
        "confidence %(confidence)s: %(judgement)s"
    ) % {
        "org": view.organisation,
        "version": view.version,
        "day": day(view.created_at, language),
        "likelihood": vocabularies.likelihood(view.likelihood).label(language).lower(),
        "range": view.likelihood_range,
        "confidence": vocabularies.confidence(view.confidence).label(language).lower(),
        "judgement": view.judgement,
    }


@cases_app.command("list")
def list_cases(
    goal: Annotated[
        int | None, typer.Option("--goal", help="Only cases of this goal of the strategy (1-13).")
    ] = None,
    page: PageOption = 1,
    page_size: PageSizeOption = 50,
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """The cases shared with you, newest first."""
    with acting(as_user) as (session, principal):
        items, total = service.list_cases(session, principal, page=page, page_size=page_size, goal=goal)
    if output_format is OutputFormat.json:
        print_json({"total": total, "page": page, "items": [_plain(asdict(item)) for item in items]})
        return
    _ = _words(lang)
    typer.echo(_("cases shared with you: %(n)s; page %(page)s") % {"n": total, "page": page})
    for item in items:
        shown = _("signals you may see: %(n)s") % {"n": item.signals}
        goals = goals_text(item.goals, _)
        typer.echo(f"{item.id:>7}  {item.tlp:<16} {item.owner:<8} {shown}  {item.title} ({goals})")


def _words(lang: str | None) -> Gettext:
    return translator(resolve_lang(lang))


def _plain(data: Any) -> Any:
    return json.loads(json.dumps(data, default=str))


def register(app: typer.Typer) -> None:
    """Add ``gbvs cases``."""
    app.add_typer(cases_app, name="cases")
