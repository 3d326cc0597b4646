"""``gbvs signals`` and ``gbvs sharing-groups``: the signals register from the command line.

The commands go through the same services as the web app (:mod:`gbvs.db.services.signals`), so
need-to-know, authorization and the audit log are the same; they act as the user of ``--as``.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from gbvs.cli.accounts import AsUser, acting
from gbvs.cli.options import COUNTRY_HELP, PageOption, PageSizeOption, country_iso3, row_id
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
from gbvs.config import load_settings
from gbvs.countries.matching import iso2_to_iso3
from gbvs.db.services import signals as service
from gbvs.db.signal_queries import SignalFilter
from gbvs.errors import InputError
from gbvs.safetext import defused_row
from gbvs.signals import stix
from gbvs.signals.markings import Distribution, parse_classification, parse_tlp
from gbvs.signals.misp import misp_event
from gbvs.signals.model import SignalDraft, SignalKind
from gbvs.signals.public_data import cfr_drafts, euvsdisinfo_drafts
from gbvs.sources.base import ParseContext, Source
from gbvs.sources.fetch import Fetcher
from gbvs.sources.signals_public import CFR_SOURCE, EUVSDISINFO_SOURCE

signals_app = typer.Typer(help="The signals register: interference, cyber operations, disinformation, crime.")
groups_app = typer.Typer(help="Sharing groups: named sets of organisations a signal can be shared with.")


class PublicSource(StrEnum):
    """The public datasets ``gbvs signals import`` knows."""

    cfr = "cfr"
    euvsdisinfo = "euvsdisinfo"


class ExportFormat(StrEnum):
    """Export formats."""

    stix = "stix"
    misp = "misp"
    csv = "csv"


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
    typer.Option("--country", help=f"A country involved. {COUNTRY_HELP}"),
]
Organisation = Annotated[str | None, typer.Option("--organisation", help="Owner organisation code.")]
From = Annotated[str | None, typer.Option("--from", help="Reported on or after (YYYY-MM-DD).")]
To = Annotated[str | None, typer.Option("--to", help="Reported on or before (YYYY-MM-DD).")]


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option} {value!r} is not a date; write it as YYYY-MM-DD") from None


def _filter(
    text: str,
    kind: SignalKind | None,
    threat: int | None,
    goal: int | None,
    country: str | None,
    organisation: str | None,
    reported_from: str | None,
    reported_to: str | None,
) -> SignalFilter:
    return SignalFilter(
        text=text,
        kind=kind,
        threat=threat,
        goal=goal,
        country=country_iso3(country) if country else None,
        organisation=organisation.upper() if organisation else None,
        reported_from=_day(reported_from, "--from"),
        reported_to=_day(reported_to, "--to"),
    )


@signals_app.command("import")
def import_public(
    source: PublicSource, as_user: AsUser = None, output_format: FormatOption = OutputFormat.text
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
    typer.echo(
        f"{plugin.title}: {summary.read} read, {summary.added} added, "
        f"{summary.already_present} already present ({plugin.licence}; cite: {plugin.citation})"
    )


def _no_stored_tables(name: str) -> Any:
    raise InputError(f"the signal sources read no stored table ({name!r})")


@signals_app.command("import-stix")
def import_stix(
    path: Path,
    tlp: Annotated[str | None, typer.Option("--tlp", help="TLP when the bundle carries none.")] = None,
    distribution: Annotated[Distribution, typer.Option("--distribution")] = Distribution.organisation,
    group: Annotated[
        str | None, typer.Option("--group", help="Sharing group (with --distribution sharing_group).")
    ] = None,
    recipient: Annotated[
        list[str] | None, typer.Option("--recipient", help="TLP:RED recipient (repeat).")
    ] = None,
    as_user: AsUser = None,
) -> None:
    """Import a STIX 2.1 bundle as one signal of your organisation (its objects and markings kept)."""
    bundle = read_input(path, "STIX bundle", "give the path of a STIX 2.1 bundle (.json)")
    document = stix.read_bundle(bundle, path.name)
    with acting(as_user) as (session, principal):
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
        )
        result = service.import_stix(session, principal, draft, objects, path.name)
    typer.echo(f"signal {result.signal_id}: {draft.title} ({draft.tlp.label}, {result.stored} STIX objects)")
    if result.left_out:
        typer.echo(
            f"{result.left_out} object(s) GBVS makes itself left out (GBVS's identity and definitions, "
            "organisations' identities, countries' locations): every export carries this installation's own"
        )


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
    page: PageOption = 1,
    page_size: PageSizeOption = 50,
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
) -> None:
    """The signals shared with you, newest first (search with --text)."""
    wanted = _filter(text, kind, threat, goal, country, organisation, reported_from, reported_to)
    with acting(as_user) as (session, principal):
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
    count = f"{result.total}" if result.total_is_exact else f"more than {result.total:,}"
    typer.echo(f"{count} signal(s) shared with you; page {result.page}")
    for item in result.items:
        typer.echo(
            f"{item.id:>7}  {item.reported_on}  {item.tlp:<16} {item.owner:<8} "
            f"{item.kind.value:<20} {item.title}"
        )


@signals_app.command("search")
def search(
    words: Annotated[str, typer.Argument(help="Words to find in title and description.")],
    kind: Kind = None,
    threat: Threat = None,
    country: Country = None,
    organisation: Organisation = None,
    page: PageOption = 1,
    page_size: PageSizeOption = 50,
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
) -> None:
    """Full-text search in the signals shared with you (the same as `signals list --text`)."""
    if not words.strip():
        raise InputError("give the words to search for, e.g. gbvs signals search MH17")
    list_signals(
        text=words,
        kind=kind,
        threat=threat,
        goal=None,
        country=country,
        organisation=organisation,
        reported_from=None,
        reported_to=None,
        page=page,
        page_size=page_size,
        as_user=as_user,
        output_format=output_format,
    )


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
        typer.echo(f"signal {row.id}: now {row.tlp.label}, {row.distribution.value}")


@signals_app.command("show")
def show(
    signal_id: SignalId,
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
) -> None:
    """One signal shared with you (others are "not found")."""
    with acting(as_user) as (session, principal):
        row = service.get_signal(session, principal, signal_id)
        draft = service.draft_of(row)
    data = {"id": signal_id, **_plain(draft)}
    if output_format is OutputFormat.json:
        print_json(data)
        return
    for key, value in data.items():
        if value not in (None, "", [], {}):
            typer.echo(f"{key:>18}: {value}")


def _plain(draft: SignalDraft) -> dict[str, Any]:
    data = asdict(draft)
    plain: dict[str, Any] = json.loads(json.dumps(data, default=str))
    return plain


@signals_app.command("stats")
def statistics(
    by: Annotated[str, typer.Option("--by", help=f"One of: {', '.join(service.STATISTICS)}.")] = "threat",
    text: Text = "",
    kind: Kind = None,
    country: Country = None,
    as_user: AsUser = None,
    output_format: FormatOption = OutputFormat.text,
) -> None:
    """Counts of the signals shared with you, by threat, goal, kind, country, quarter or organisation."""
    wanted = _filter(text, kind, None, None, country, None, None, None)
    with acting(as_user) as (session, principal):
        counts = service.signal_statistics(session, principal, wanted, by)
    if output_format is OutputFormat.json:
        print_json([{by: key, "count": count} for key, count in counts])
        return
    for key, count in counts:
        typer.echo(f"{key:<24} {count:>8}")


@signals_app.command("export")
def export(
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
    export_format: Annotated[
        ExportFormat, typer.Option("--format", help="stix, misp or csv.")
    ] = ExportFormat.stix,
    text: Text = "",
    kind: Kind = None,
    country: Country = None,
    organisation: Organisation = None,
    as_user: AsUser = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the --output file if it exists.")] = False,
) -> None:
    """Export the signals shared with you (and matching the filters): STIX 2.1 bundle, MISP event or CSV."""
    refuse_existing(output, force)
    wanted = _filter(text, kind, None, None, country, organisation, None, None)
    with acting(as_user) as (session, principal):
        if export_format is ExportFormat.stix:
            content = json.dumps(
                service.export_stix(session, principal, wanted), indent=1, ensure_ascii=False
            )
        else:
            drafts = service.export_drafts(session, principal, wanted, export_format.value)
            content = (
                _csv(drafts)
                if export_format is ExportFormat.csv
                else misp_event("GBVS signals export", drafts, on=date.today())
            )
    write_output(output, content, replace=force)
    typer.echo(f"wrote {output} ({export_format.value})")


def _csv(drafts: list[SignalDraft]) -> str:
    buffer = io.StringIO()
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
    for draft in drafts:
        row = _plain(draft)
        cells = [";".join(map(str, v)) if isinstance(v, list) else v for v in (row[c] for c in columns)]
        writer.writerow(defused_row(cells))
    return buffer.getvalue()


@groups_app.command("create")
def create_group(
    name: str,
    organisation: Annotated[list[str], typer.Option("--org", help="Member organisation code (repeat).")],
    description: str = "",
    as_user: AsUser = None,
) -> None:
    """Create a sharing group of organisations."""
    with acting(as_user) as (session, principal):
        group_id = service.create_sharing_group(session, principal, name, organisation, description)
    typer.echo(f"sharing group {name!r} ({group_id}): {', '.join(organisation)}")


@groups_app.command("list")
def list_groups(as_user: AsUser = None) -> None:
    """The sharing groups your organisation is in: the ones you can share a signal or case with."""
    with acting(as_user) as (session, principal):
        names = service.sharing_group_names(session, principal)
    echo("\n".join(clean(name) for name in names) if names else "your organisation is in no sharing group")


def register(app: typer.Typer) -> None:
    """Add ``gbvs signals`` and ``gbvs sharing-groups``."""
    app.add_typer(signals_app, name="signals")
    app.add_typer(groups_app, name="sharing-groups")
