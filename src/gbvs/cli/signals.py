"""``gbvs signals`` and ``gbvs sharing-groups``: the signals register from the command line.

The commands go through the same services as the web app (:mod:`gbvs.db.services.signals`), so
need-to-know, authorization and the audit log are the same; they act as the user of ``--as``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from gbvs.cli.cases import (
    Confidence,
    DistributionOption,
    Evidence,
    Judgement,
    Likelihood,
    SponsorState,
    SuspectedActor,
    assessment_text,
)
from gbvs.cli.helptexts import help_with
from gbvs.cli.identity import AsUser, acting
from gbvs.cli.options import (
    COUNTRY_HELP,
    LangOption,
    PageOption,
    PageSizeOption,
    country_iso3,
    parse_day,
    resolve_lang,
    row_id,
)
from gbvs.cli.output import (
    FormatOption,
    OutputFormat,
    clean,
    echo,
    print_json,
    read_input,
    refuse_existing,
    write_output,
)
from gbvs.cli.texts import Gettext, answering_in, translator
from gbvs.config import load_settings
from gbvs.countries.matching import iso2_to_iso3
from gbvs.db.services import cases as case_service
from gbvs.db.services import signals as service
from gbvs.db.signal_queries import SignalFilter
from gbvs.errors import InputError, Term, in_words, said
from gbvs.numbers import day, decimal
from gbvs.safetext import defused_row
from gbvs.signals import stix
from gbvs.signals.assessment import AssessmentInput
from gbvs.signals.form import parse_signal
from gbvs.signals.known import vocabulary as signal_vocabulary
from gbvs.signals.markings import Distribution, parse_classification, parse_tlp
from gbvs.signals.misp import misp_event
from gbvs.signals.model import SignalDraft, SignalKind, kind_name
from gbvs.signals.public_data import cfr_drafts, euvsdisinfo_drafts
from gbvs.sources.base import ParseContext, Source
from gbvs.sources.fetch import Fetcher
from gbvs.sources.signals_public import CFR_SOURCE, EUVSDISINFO_SOURCE
from gbvs.strategy.model import Lang

signals_app = typer.Typer(help="The signals register: interference, cyber operations, disinformation, crime.")
groups_app = typer.Typer(help="Sharing groups: named sets of organisations a signal can be shared with.")

STIX_BUNDLE = Term("STIX bundle")
"""The file ``import-stix`` reads, named in an error in the reader's language."""


class PublicSource(StrEnum):
    """The public datasets ``gbvs signals import`` knows."""

    cfr = "cfr"
    euvsdisinfo = "euvsdisinfo"


class ExportFormat(StrEnum):
    """Export formats."""

    stix = "stix"
    misp = "misp"
    csv = "csv"


DATE_FIELDS = frozenset({"observed_on", "reported_on"})
"""The fields of a signal that are dates (``signals show`` writes them the way of the language)."""

PUBLIC: dict[PublicSource, tuple[Source, Any]] = {
    PublicSource.cfr: (CFR_SOURCE, cfr_drafts),
    PublicSource.euvsdisinfo: (EUVSDISINFO_SOURCE, euvsdisinfo_drafts),
}

Text = Annotated[str, typer.Option("--text", help="Words to find in title and description.")]
Kind = Annotated[SignalKind | None, typer.Option("--kind", help="Only this kind of signal.")]
SignalId = Annotated[int, row_id("The signal's number.")]
Threat = Annotated[int | None, typer.Option("--threat", min=1, max=6, help="Strategy threat 1-6 (ch. 3).")]
Goal = Annotated[int | None, typer.Option("--goal", min=1, max=13, help="Strategy goal 1-13.")]
Country = Annotated[
    str | None,
    typer.Option("--country", help=help_with("A country involved. %(country)s", country=COUNTRY_HELP)),
]
Organisation = Annotated[str | None, typer.Option("--organisation", help="Owner organisation code.")]
Technique = Annotated[
    str | None, typer.Option("--technique", help="A DISARM or ATT&CK technique id, e.g. T0049 or T1566.001.")
]
Tag = Annotated[str | None, typer.Option("--tag", help="A tag, e.g. a MISP machine tag.")]
TlpFilter = Annotated[
    str | None, typer.Option("--tlp", help="Only this TLP marking, e.g. amber or amber+strict.")
]
ActorFilter = Annotated[
    str | None,
    typer.Option(
        "--actor", help="A suspected actor an organisation's current assessment names (any case), e.g. APT28."
    ),
]
SponsorFilter = Annotated[
    str | None,
    typer.Option(
        "--sponsor",
        help=help_with(
            "A sponsor state an assessment names, or an actor country of the signal. %(country)s",
            country=COUNTRY_HELP,
        ),
    ),
]
From = Annotated[str | None, typer.Option("--from", help="Reported on or after (YYYY-MM-DD).")]
To = Annotated[str | None, typer.Option("--to", help="Reported on or before (YYYY-MM-DD).")]


def _day(value: str | None, option: str, _: Gettext) -> date | None:
    return None if value is None else parse_day(value, option, _)


def _filter(
    text: str,
    kind: SignalKind | None,
    threat: int | None,
    goal: int | None,
    country: str | None,
    organisation: str | None,
    reported_from: str | None,
    reported_to: str | None,
    _: Gettext,
    *,
    technique: str | None = None,
    tag: str | None = None,
    tlp: str | None = None,
    actor: str | None = None,
    sponsor: str | None = None,
) -> SignalFilter:
    return SignalFilter(
        text=text,
        kind=kind,
        threat=threat,
        goal=goal,
        country=country_iso3(country) if country else None,
        technique=technique.strip().upper() or None if technique else None,
        tag=tag.strip() or None if tag else None,
        organisation=organisation.upper() if organisation else None,
        tlp=parse_tlp(tlp) if tlp else None,
        reported_from=_day(reported_from, "--from", _),
        reported_to=_day(reported_to, "--to", _),
        suspected_actor=actor.strip() or None if actor else None,
        sponsor_state=country_iso3(sponsor) if sponsor else None,
    )


@signals_app.command("import")
def import_public(
    source: PublicSource,
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """Import a public dataset from the mirror (CFR cyber operations, EUvsDisinfo) as TLP:CLEAR signals."""
    plugin, to_drafts = PUBLIC[source]
    settings = load_settings()
    fetcher = Fetcher(settings.mirror, settings.cache_dir, settings.allow_download)
    files = {item.key: fetcher.locate(plugin.id, item) for item in plugin.inputs}
    (frame,) = plugin.parse(ParseContext(files, _no_stored_tables)).values()
    drafts = list(to_drafts(frame))
    with acting(as_user) as (session, principal):
        summary = service.import_public(session, principal, plugin.id, drafts)
    if output_format is OutputFormat.json:
        print_json(asdict(summary))
        return
    language = resolve_lang(lang)
    _ = translator(language)
    counts = {key: decimal(value, language, 0) for key, value in asdict(summary).items() if key != "source"}
    line = _("%(read)s read, %(added)s added, %(already_present)s already present") % counts
    cite = _("cite: %(citation)s") % {"citation": plugin.citation}
    typer.echo(f"{plugin.title}: {line} ({plugin.licence}; {cite})")


def _no_stored_tables(name: str) -> Any:
    raise InputError(f"the signal sources read no stored table ({name!r})")


@signals_app.command("import-stix")
def import_stix(
    path: Path,
    tlp: Annotated[str | None, typer.Option("--tlp", help="TLP when the bundle carries none.")] = None,
    distribution: DistributionOption = Distribution.organisation,
    group: Annotated[
        str | None, typer.Option("--group", help="Sharing group (with --distribution sharing_group).")
    ] = None,
    recipient: Annotated[
        list[str] | None, typer.Option("--recipient", help="TLP:RED recipient (repeat).")
    ] = None,
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """Import a STIX 2.1 bundle as one signal of your organisation (its objects and markings kept); with
    --format json the fields of the API's answer (POST /api/v1/signals/stix-bundles) in snake_case."""
    language = resolve_lang(lang)
    bundle = read_input(path, STIX_BUNDLE, said("give the path of a STIX 2.1 bundle (.json)"))
    with answering_in(language):
        document = stix.read_bundle(bundle, path.name)
    known = signal_vocabulary(load_settings().mirror).techniques
    with answering_in(language), acting(as_user) as (session, principal):
        draft, objects = stix.draft_from_bundle(
            document,
            label=path.name,
            owner_organisation=principal.organisation_code or "-",
            reported_on=date.today(),
            tlp=parse_tlp(tlp) if tlp else None,
            distribution=distribution,
            sharing_group=group,
            red_recipients=tuple(recipient or ()),
            iso3=iso2_to_iso3(),
            techniques=known,
        )
        result = service.import_stix(session, principal, draft, objects, path.name)
        if output_format is OutputFormat.json:  # the signal as stored, as the API answers it
            draft = service.draft_of(service.get_signal(session, principal, result.signal_id))
    unlinked = stix.attack_ids(objects, known).unlinked
    if output_format is OutputFormat.json:
        print_json(_stix_import_json(result, draft, unlinked, path.name, language))
        return
    _print_stix_import(result, draft, language)
    _warn_unlinked(unlinked, path.name, language)


def _stix_import_json(
    result: service.StixImport,
    stored: SignalDraft,
    unlinked: tuple[stix.UnlinkedTechnique, ...],
    label: str,
    language: str,
) -> dict[str, Any]:
    """The fields of the API's answer to an import (``StixImportResult``), in snake_case."""
    _ = translator("en" if language == "en" else "nl")
    warnings = [
        {
            "object_id": item.object_id,
            "technique": item.technique,
            "retired": item.retired,
            "message": in_words(stix.unlinked_warning(item, label), _),
        }
        for item in unlinked
    ]
    return {
        "signal": {"id": result.signal_id, **_plain(stored)},
        "stored_objects": result.stored,
        "left_out": result.left_out,
        "left_out_ids": list(result.left_out_ids),
        "already_imported": result.already_imported,
        "already_imported_ids": list(result.already_imported_ids),
        "newer_versions": result.newer_versions,
        "newer_version_ids": list(result.newer_version_ids),
        "export_notes": result.export_notes,
        "export_note_ids": list(result.export_note_ids),
        "warnings": warnings,
    }


def _warn_unlinked(unlinked: tuple[stix.UnlinkedTechnique, ...], label: str, language: str) -> None:
    """Name each ATT&CK id of the bundle the signal does not link, and why (on stderr)."""
    _ = translator("en" if language == "en" else "nl")
    for item in unlinked:
        line = in_words(stix.unlinked_warning(item, label), _)
        typer.secho(_("warning: %(message)s") % {"message": line}, err=True)


def _print_stix_import(result: service.StixImport, draft: SignalDraft, language: str) -> None:
    _ = translator("en" if language == "en" else "nl")
    stored = _("STIX objects: %(n)s") % {"n": decimal(result.stored, language, 0)}
    typer.echo(
        _("signal %(id)s") % {"id": result.signal_id} + f": {draft.title} ({draft.tlp.label}, {stored})"
    )
    for name, ids, line in stix.IMPORT_LINES:
        count = getattr(result, name)
        if count:
            typer.echo(_(line) % {"n": decimal(count, language, 0)})
            for object_id in getattr(result, ids):
                typer.echo(f"  {object_id}")


@signals_app.command("list")
def list_signals(
    text: Text = "",
    kind: Kind = None,
    threat: Threat = None,
    goal: Goal = None,
    country: Country = None,
    organisation: Organisation = None,
    reported_from: From = None,
    reported_to: To = None,
    technique: Technique = None,
    tag: Tag = None,
    tlp: TlpFilter = None,
    actor: ActorFilter = None,
    sponsor: SponsorFilter = None,
    page: PageOption = 1,
    page_size: PageSizeOption = 50,
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """The signals shared with you, newest first (search with --text)."""
    language = resolve_lang(lang)
    _ = translator(language)
    wanted = _filter(
        text,
        kind,
        threat,
        goal,
        country,
        organisation,
        reported_from,
        reported_to,
        _,
        technique=technique,
        tag=tag,
        tlp=tlp,
        actor=actor,
        sponsor=sponsor,
    )
    with answering_in(language), acting(as_user) as (session, principal):
        result = service.list_signals(session, principal, wanted, page=page, page_size=page_size)
    if output_format is OutputFormat.json:
        print_json(
            {
                "total": result.total,
                "totalIsExact": result.total_is_exact,
                "page": result.page,
                "items": [asdict(i) for i in result.items],
            }
        )
        return
    total = decimal(result.total, language, 0)
    count = total if result.total_is_exact else _("more than %(n)s") % {"n": total}
    typer.echo(_("signals shared with you: %(n)s; page %(page)s") % {"n": count, "page": result.page})
    for item in result.items:
        typer.echo(
            f"{item.id:>7}  {day(item.reported_on, language):<18} {item.tlp:<16} {item.owner:<8} "
            f"{kind_name(item.kind, language):<34} {item.title}"
        )


@signals_app.command("search")
def search(
    words: Annotated[str, typer.Argument(help="Words to find in title and description.")],
    kind: Kind = None,
    threat: Threat = None,
    goal: Goal = None,
    country: Country = None,
    organisation: Organisation = None,
    reported_from: From = None,
    reported_to: To = None,
    technique: Technique = None,
    tag: Tag = None,
    tlp: TlpFilter = None,
    actor: ActorFilter = None,
    sponsor: SponsorFilter = None,
    page: PageOption = 1,
    page_size: PageSizeOption = 50,
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """Full-text search in the signals shared with you (the same as `signals list --text`)."""
    if not words.strip():
        _ = translator(resolve_lang(lang))
        raise InputError(_("give the words to search for, e.g. gbvs signals search MH17"))
    list_signals(
        text=words,
        kind=kind,
        threat=threat,
        goal=goal,
        country=country,
        organisation=organisation,
        reported_from=reported_from,
        reported_to=reported_to,
        technique=technique,
        tag=tag,
        tlp=tlp,
        actor=actor,
        sponsor=sponsor,
        page=page,
        page_size=page_size,
        as_user=as_user,
        output_format=output_format,
        lang=lang,
    )


CREATE_OPTIONS: dict[str, str] = {
    "title": "TITLE",
    "description": "--description",
    "kind": "--kind",
    "observedOn": "--observed",
    "reportedOn": "--reported",
    "tlp": "--tlp",
    "distribution": "--distribution",
    "sharingGroup": "--group",
    "recipients": "--recipient",
    "classification": "--classification",
    "reliability": "--reliability",
    "credibility": "--credibility",
    "actorCountries": "--actor",
    "targetCountries": "--target",
    "threats": "--threat",
    "goals": "--goal",
    "techniques": "--technique",
    "sectors": "--sector",
    "tags": "--tag",
}
"""The option of ``gbvs signals create`` for each field of the form and the API
(:data:`gbvs.signals.form.FIELDS`), to name it in an error."""


@signals_app.command("create")
def create(  # the form's fields, one option each (checked by the form's parser)
    title: Annotated[str, typer.Argument(help="The signal's title.")],
    kind: Annotated[SignalKind, typer.Option("--kind", help="The kind of signal.")],
    description: Annotated[str, typer.Option("--description", help="What was observed.")] = "",
    reported: Annotated[str, typer.Option("--reported", help="Reported on (YYYY-MM-DD; today).")] = "",
    observed: Annotated[str, typer.Option("--observed", help="Observed on (YYYY-MM-DD).")] = "",
    tlp: Annotated[str, typer.Option("--tlp", help="TLP marking, e.g. amber or amber+strict.")] = "amber",
    distribution: DistributionOption = Distribution.organisation,
    group: Annotated[str, typer.Option("--group", help="Sharing group (with sharing_group).")] = "",
    recipient: Annotated[
        list[str] | None, typer.Option("--recipient", help="TLP:RED recipient (repeat).")
    ] = None,
    classification: Annotated[
        str, typer.Option("--classification", help="e.g. departementaal_vertrouwelijk.")
    ] = "",
    reliability: Annotated[
        str, typer.Option("--reliability", help="Admiralty source reliability A-F.")
    ] = "f",
    credibility: Annotated[str, typer.Option("--credibility", help="Admiralty credibility 1-6.")] = "6",
    actor: Annotated[
        list[str] | None, typer.Option("--actor", help="Actor country: ISO3 or name (repeat).")
    ] = None,
    target: Annotated[
        list[str] | None, typer.Option("--target", help="Target country: ISO3 or name (repeat).")
    ] = None,
    threat: Annotated[
        list[str] | None, typer.Option("--threat", help="Strategy threat number (repeat).")
    ] = None,
    goal: Annotated[list[str] | None, typer.Option("--goal", help="Strategy goal number (repeat).")] = None,
    technique: Annotated[
        list[str] | None,
        typer.Option("--technique", help="DISARM or ATT&CK technique id, e.g. T0049 (repeat)."),
    ] = None,
    sector: Annotated[list[str] | None, typer.Option("--sector", help="Sector concerned (repeat).")] = None,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", help="Tag, e.g. a MISP machine tag (repeat).")
    ] = None,
    as_user: AsUser = None,
    lang: LangOption = None,
) -> None:
    """Register a signal of your organisation; checked like the web form and POST /api/v1/signals."""
    fields = {
        "title": [title],
        "description": [description],
        "kind": [kind.value],
        "reportedOn": [reported],
        "observedOn": [observed],
        "tlp": [tlp],
        "distribution": [distribution.value],
        "sharingGroup": [group],
        "recipients": recipient or [],
        "classification": [classification],
        "reliability": [reliability],
        "credibility": [credibility],
        "actorCountries": actor or [],
        "targetCountries": target or [],
        "threats": threat or [],
        "goals": goal or [],
        "techniques": technique or [],
        "sectors": sector or [],
        "tags": tag or [],
    }
    known = signal_vocabulary(load_settings().mirror)
    _ = translator(resolve_lang(lang))
    with acting(as_user) as (session, principal):
        owner = principal.organisation_code or "-"
        parsed = parse_signal(fields, owner=owner, today=date.today(), known=known)
        if parsed.draft is None:
            problems = "; ".join(
                f"{CREATE_OPTIONS[e.field]}: {e.message if e.words is None else in_words(e.words, _)}"
                for e in parsed.errors
            )
            raise InputError(_("the signal was not stored: %(problems)s") % {"problems": problems})
        signal_id = service.create_signal(session, principal, parsed.draft)
    typer.echo(_("signal %(id)s") % {"id": signal_id} + f": {parsed.draft.title} ({parsed.draft.tlp.label})")


@signals_app.command("mark")
def mark(
    signal_id: SignalId,
    tlp: Annotated[str, typer.Option("--tlp", help="The new TLP marking, e.g. amber or TLP:GREEN.")],
    reason: Annotated[
        str, typer.Option("--reason", help="Why; required when lowering the marking (kept in the audit log).")
    ] = "",
    distribution: Annotated[
        Distribution | None, typer.Option("--distribution", help="New distribution (default: unchanged).")
    ] = None,
    group: Annotated[str | None, typer.Option("--group", help="Sharing group (with sharing_group).")] = None,
    recipient: Annotated[
        list[str] | None, typer.Option("--recipient", help="TLP:RED recipient (repeat).")
    ] = None,
    classification: Annotated[
        str | None, typer.Option("--classification", help="e.g. departementaal_vertrouwelijk.")
    ] = None,
    as_user: AsUser = None,
    lang: LangOption = None,
) -> None:
    """Change a signal's marking: only its owner's organisation; lowering it needs --reason."""
    change = service.MarkingChange(
        tlp=parse_tlp(tlp),
        distribution=distribution,
        sharing_group=group,
        recipients=tuple(recipient or ()),
        classification=parse_classification(classification) if classification else None,
        reason=reason,
    )
    with acting(as_user) as (session, principal):
        row = service.change_marking(session, principal, signal_id, change)
        _ = translator(resolve_lang(lang))
        now = _("now %(tlp)s, %(distribution)s") % {
            "tlp": row.tlp.label,
            "distribution": row.distribution.value,
        }
        typer.echo(_("signal %(id)s") % {"id": row.id} + f": {now}")


@signals_app.command("show")
def show(
    signal_id: SignalId,
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """One signal shared with you (others are "not found") with each organisation's current assessment;
    text output writes its dates the way of --lang."""
    with acting(as_user) as (session, principal):
        row = service.get_signal(session, principal, signal_id)
        draft = service.draft_of(row)
        assessments = case_service.signal_assessments(session, principal, signal_id)
    data = {"id": signal_id, **_plain(draft)}
    if output_format is OutputFormat.json:
        print_json(
            data | {"assessments": json.loads(json.dumps([asdict(a) for a in assessments], default=str))}
        )
        return
    language = resolve_lang(lang)
    for key, value in data.items():
        if value not in (None, "", [], {}):
            shown = day(value, language) if key in DATE_FIELDS else value
            typer.echo(f"{key:>18}: {shown}")
    for view in assessments:
        typer.echo(f"{'':>18}  {assessment_text(view, language)}")


@signals_app.command("assess")
def assess(
    signal_id: SignalId,
    judgement: Judgement,
    likelihood: Likelihood,
    confidence: Confidence,
    actor: SuspectedActor = None,
    sponsor: SponsorState = None,
    evidence: Evidence = "",
    as_user: AsUser = None,
    lang: LangOption = None,
) -> None:
    """Add your organisation's assessment of a signal (a new version; earlier ones stay). A joint
    position is agreed on a case (`gbvs cases agree`)."""
    with acting(as_user) as (session, principal):
        given = AssessmentInput(judgement, likelihood, confidence, actor, sponsor, evidence)
        case_service.record_assessment(session, principal, given, signal_id=signal_id)
    _ = translator(resolve_lang(lang))
    typer.echo(_("signal %(id)s") % {"id": signal_id} + ": " + _("assessment recorded"))


def _plain(draft: SignalDraft) -> dict[str, Any]:
    data = asdict(draft)
    plain: dict[str, Any] = json.loads(json.dumps(data, default=str))
    return plain


@signals_app.command("stats")
def statistics(
    by: Annotated[
        str,
        typer.Option("--by", help=help_with("One of: %(choices)s.", choices=", ".join(service.STATISTICS))),
    ] = "threat",
    text: Text = "",
    kind: Kind = None,
    threat: Threat = None,
    goal: Goal = None,
    country: Country = None,
    organisation: Organisation = None,
    reported_from: From = None,
    reported_to: To = None,
    technique: Technique = None,
    tag: Tag = None,
    tlp: TlpFilter = None,
    actor: ActorFilter = None,
    sponsor: SponsorFilter = None,
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """Counts of the signals shared with you, by threat, goal, kind, country, quarter or organisation."""
    language = resolve_lang(lang)
    wanted = _filter(
        text,
        kind,
        threat,
        goal,
        country,
        organisation,
        reported_from,
        reported_to,
        translator(language),
        technique=technique,
        tag=tag,
        tlp=tlp,
        actor=actor,
        sponsor=sponsor,
    )
    with answering_in(language), acting(as_user) as (session, principal):
        counts = service.signal_statistics(session, principal, wanted, by)
    if output_format is OutputFormat.json:
        print_json([{by: key, "count": count} for key, count in counts])
        return
    for key, count in counts:
        shown = kind_name(key, language) if by == "kind" else key
        typer.echo(f"{shown:<34} {decimal(count, language, 0):>8}")


@signals_app.command("export")
def export(
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
    export_format: Annotated[
        ExportFormat, typer.Option("--format", help="stix, misp or csv.")
    ] = ExportFormat.stix,
    text: Text = "",
    kind: Kind = None,
    threat: Threat = None,
    goal: Goal = None,
    country: Country = None,
    organisation: Organisation = None,
    reported_from: From = None,
    reported_to: To = None,
    technique: Technique = None,
    tag: Tag = None,
    tlp: TlpFilter = None,
    actor: ActorFilter = None,
    sponsor: SponsorFilter = None,
    as_user: AsUser = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the --output file if it exists.")] = False,
    lang: LangOption = None,
) -> None:
    """Export the signals shared with you (and matching the filters): STIX 2.1 bundle, MISP event or CSV."""
    refuse_existing(output, force)
    language = resolve_lang(lang)
    _ = translator(language)
    wanted = _filter(
        text,
        kind,
        threat,
        goal,
        country,
        organisation,
        reported_from,
        reported_to,
        _,
        technique=technique,
        tag=tag,
        tlp=tlp,
        actor=actor,
        sponsor=sponsor,
    )
    with answering_in(language), acting(as_user) as (session, principal):
        if export_format is ExportFormat.stix:
            document = service.export_stix(session, principal, wanted, about=_labelled(wanted, language))
            content = json.dumps(document, indent=1, ensure_ascii=False)
        else:
            found = service.export_drafts(session, principal, wanted, export_format.value)
            about = _labelled(wanted, language)(found.provenance, len(found.drafts))
            content = (
                _csv(found, about)
                if export_format is ExportFormat.csv
                else misp_event("GBVS signals export", found.drafts, on=date.today(), about=about)
            )
    write_output(output, content, replace=force)
    typer.echo(_("wrote %(path)s (%(format)s)") % {"path": output, "format": export_format.value})


def _labelled(wanted: SignalFilter, language: Lang) -> service.About:
    """What an export says about itself, as the web's downloads and the consultation export say it:
    register and version, who exported it when, the need-to-know, the filters, the day and the rows,
    labelled in ``language`` (the CSV's ``#`` lines, the MISP comment, the STIX provenance note)."""
    from gbvs.web.api.exportnotes import Reader, about_lines
    from gbvs.web.downloads import dutch_day

    asked = tuple((name, str(value)) for name, value in asdict(wanted).items() if value not in (None, ""))
    reader = Reader(translator(language), dutch_day(), asked)
    return lambda provenance, count: about_lines(provenance, count, reader)


def _csv(found: service.SignalExport, about: Sequence[tuple[str, Any]]) -> str:
    """The export as CSV: first ``about`` as ``#`` lines (the CSVW comment prefix), then the signals,
    each with its own source."""
    from gbvs.web.api.common import write_comments

    buffer = io.StringIO()
    write_comments(buffer, about)
    columns = (
        "title",
        "kind",
        "reported_on",
        "owner_organisation",
        "tlp",
        "actor_countries",
        "target_countries",
        "threats",
        "goals",
        "source",
    )
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for draft in found.drafts:
        row = _plain(draft)
        cells = [";".join(map(str, v)) if isinstance(v, list) else v for v in (row[c] for c in columns)]
        writer.writerow(defused_row(cells))
    return buffer.getvalue()


@groups_app.command("create")
def create_group(
    name: str,
    organisation: Annotated[list[str], typer.Option("--org", help="Member organisation code (repeat).")],
    description: Annotated[str, typer.Option("--description", help="What the group is for.")] = "",
    as_user: AsUser = None,
    lang: LangOption = None,
) -> None:
    """Create a sharing group of organisations."""
    with acting(as_user) as (session, principal):
        group_id = service.create_sharing_group(session, principal, name, organisation, description)
    _ = translator(resolve_lang(lang))
    made = _("sharing group %(name)s (%(id)s)") % {"name": repr(name), "id": group_id}
    typer.echo(f"{made}: {', '.join(organisation)}")


@groups_app.command("list")
def list_groups(as_user: AsUser = None, lang: LangOption = None) -> None:
    """The sharing groups your organisation is in: the ones you can share a signal or case with."""
    with acting(as_user) as (session, principal):
        names = service.sharing_group_names(session, principal)
    _ = translator(resolve_lang(lang))
    none = _(
        "your organisation is in no sharing group; an admin makes one with "
        "`gbvs sharing-groups create NAME --org CODE --org CODE`"
    )
    echo("\n".join(clean(name) for name in names) if names else none)


def register(app: typer.Typer) -> None:
    """Add ``gbvs signals`` and ``gbvs sharing-groups``."""
    app.add_typer(signals_app, name="signals")
    app.add_typer(groups_app, name="sharing-groups")
