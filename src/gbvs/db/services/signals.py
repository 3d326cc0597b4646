"""The signals register's services: create, import, read, search, count and export under need-to-know.

Every function takes the acting :class:`~gbvs.security.Principal`, authorizes through the one
layer (:func:`gbvs.db.audit.authorize_audited`) and records what it did in the audit log, reads
included. What a principal may *see* is decided in the SQL (:func:`gbvs.db.signal_queries.visible_to`),
so a signal outside their need-to-know is "not found" (never "forbidden") and is never counted.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import astuple, dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import chain, islice
from typing import Any

from sqlalchemy import Integer, String, func, insert, literal, select
from sqlalchemy.orm import Session, selectinload

from gbvs.countries.matching import iso3_to_iso2
from gbvs.db.audit import authorize_audited, record, record_not_found
from gbvs.db.models import AuditLog, Organisation, OrganisationKind, Outcome
from gbvs.db.paging import page_problem
from gbvs.db.services.lookup import organisation_by_code
from gbvs.db.services.register_version import register_version
from gbvs.db.sharing import addressable_user_ids, usable_group_id, usable_names
from gbvs.db.signal_bulk import search_index_deferred
from gbvs.db.signal_models import (
    Assessment,
    SharingGroup,
    SharingGroupMember,
    Signal,
    SignalCountry,
    SignalLink,
    SignalRecipient,
    SignalStixObject,
)
from gbvs.db.signal_queries import (
    SignalFilter,
    SignalOrder,
    current_signal_assessments,
    filter_clauses,
    visible_signals,
    visible_to,
)
from gbvs.db.signal_search import printable
from gbvs.db.types import utcnow
from gbvs.errors import NONE, InputError, NotFoundError, Said, Term, Terms, said
from gbvs.safetext import escape_controls
from gbvs.security.permissions import Permission
from gbvs.security.principal import Principal
from gbvs.signals import stix, vocabularies
from gbvs.signals.markings import (
    Classification,
    Distribution,
    Tlp,
    check_change,
    check_classification,
    check_consistent,
    check_group,
)
from gbvs.signals.model import Reference, SignalDraft, SignalKind
from gbvs.signals.public_data import PUBLIC_OWNER

COUNT_CAP = 1_000
IMPORT_CHUNK = 2_000
BULK_THRESHOLD = IMPORT_CHUNK
"""An import of more signals than this indexes them for search in one statement (migration 0024)."""
CLOCK_LEEWAY = timedelta(minutes=5)
"""How far the clock may have been set back between storing a signal and auditing it."""


@dataclass(frozen=True)
class SignalSummary:
    """A signal as lists show it."""

    id: int
    title: str
    kind: SignalKind
    reported_on: date
    owner: str
    tlp: str
    countries: tuple[str, ...]


@dataclass(frozen=True)
class SignalPage:
    """One page of signals the reader may see, and how many there are in all.

    ``total`` is exact up to :data:`COUNT_CAP`; above it ``total_is_exact`` is False and the page
    says "more than COUNT_CAP" (counting every match of a broad query would cost more than the page
    itself; exact counts per threat, kind or quarter come from :func:`signal_statistics`).
    """

    items: tuple[SignalSummary, ...]
    total: int
    total_is_exact: bool
    page: int
    page_size: int


@dataclass(frozen=True)
class StixImport:
    """What an import of a STIX bundle did: the new signal, how many objects it keeps, how many
    objects GBVS makes itself it left out (every export carries this installation's own), how many
    it left out as imported already (the same version, held by a signal one may see) and how many
    of those it keeps are newer versions of objects a signal holds (which keeps its older one).
    ``stored`` counts an object kept as a link to the identical one a signal one may not see holds
    as stored, as it is to the importer (docs/security.md)."""

    signal_id: int
    stored: int
    left_out: int
    already_imported: int = 0
    newer_versions: int = 0
    left_out_ids: tuple[str, ...] = ()
    """The STIX ids of the objects GBVS makes itself that were left out (``left_out`` of them)."""
    already_imported_ids: tuple[str, ...] = ()
    """The STIX ids of the objects left out as imported already (``already_imported`` of them)."""
    newer_version_ids: tuple[str, ...] = ()
    """The STIX ids of the newer versions stored (``newer_versions`` of them)."""
    export_notes: int = 0
    """The provenance notes of a GBVS export left out (:func:`gbvs.signals.stix.without_export_notes`)."""
    export_note_ids: tuple[str, ...] = ()
    """The STIX ids of those notes."""


@dataclass(frozen=True)
class ImportSummary:
    """What an import did."""

    source: str
    read: int
    added: int
    already_present: int


def _stix_id() -> str:
    return f"report--{uuid.uuid4()}"


def _signal_row(
    draft: SignalDraft, owner_id: int, author_id: int | None, group_id: int | None
) -> dict[str, Any]:
    now = datetime.now(UTC)
    detail = {
        "references": [{"url": ref.url, "title": ref.title} for ref in draft.references],
        "extra": dict(draft.extra),
        "sectors": list(draft.sectors),
    }
    return {
        "stix_id": _stix_id(),
        "title": draft.title,
        "description": draft.description,
        "kind": draft.kind,
        "observed_on": draft.observed_on,
        "reported_on": draft.reported_on,
        "owner_organisation_id": owner_id,
        "author_id": author_id,
        "reliability": draft.reliability,
        "credibility": draft.credibility,
        "classification": draft.classification,
        "tlp": draft.tlp,
        "distribution": draft.distribution,
        "sharing_group_id": group_id,
        "source": draft.source,
        "external_id": draft.external_id,
        "detail": detail,
        "created_at": now,
        "modified_at": now,
    }


def _child_rows(signal_id: int, draft: SignalDraft) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    countries = [
        {"signal_id": signal_id, "role": role, "iso3": code}
        for role, codes in (("actor", draft.actor_countries), ("target", draft.target_countries))
        for code in dict.fromkeys(codes)
    ]
    values = (
        [("threat", str(n)) for n in draft.threats]
        + [("goal", str(n)) for n in draft.goals]
        + [("technique", t) for t in draft.techniques]
        + [("sector", s[:64]) for s in draft.sectors]
        + [("tag", t) for t in draft.tags]
    )
    links = [{"signal_id": signal_id, "kind": kind, "value": value} for kind, value in dict.fromkeys(values)]
    return countries, links


def store_drafts(
    session: Session,
    drafts: Sequence[SignalDraft],
    *,
    owner_id: int,
    author_id: int | None,
    group_id: int | None = None,
    objects: tuple[dict[str, Any], ...] = (),
    held: Mapping[str, stix.Held] | None = None,
) -> list[int]:
    """Insert signals with their countries and links in bulk; return the new ids in order. ``held``:
    the brought objects kept as links, by id, to the version held (``signal_stix_object`` files both)."""
    rows = [_signal_row(draft, owner_id, author_id, group_id) for draft in drafts]
    for row in rows:
        if objects:
            row["detail"]["stix_objects"] = list(objects)
        if held:
            row["detail"]["stix_held"] = {key: found.held_in for key, found in held.items()}
    ids = list(session.scalars(insert(Signal).returning(Signal.id, sort_by_parameter_order=True), rows))
    countries: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    filed: list[dict[str, Any]] = []
    for signal_id, draft in zip(ids, drafts, strict=True):
        more_countries, more_links = _child_rows(signal_id, draft)
        countries += more_countries
        links += more_links
        filed += _filed_objects(signal_id, objects, held or {})
    if countries:
        session.execute(insert(SignalCountry), countries)
    if links:
        session.execute(insert(SignalLink), links)
    if filed:
        session.execute(insert(SignalStixObject), filed)
    return ids


def store_many(
    session: Session,
    drafts: Iterable[SignalDraft],
    *,
    owner_id: int,
    author_id: int | None,
    group_id: int | None = None,
) -> int:
    """Store ``drafts`` (:func:`store_drafts`) in chunks of :data:`IMPORT_CHUNK`; return how many. More
    than :data:`BULK_THRESHOLD` are indexed for search in one statement after they are all stored
    (:func:`gbvs.db.signal_bulk.search_index_deferred`), fewer by the trigger on each new signal."""
    chunks = _chunks(drafts)
    first = list(next(chunks, ()))
    second = list(next(chunks, ()))
    if not first:
        return 0
    if len(first) + len(second) <= BULK_THRESHOLD:
        ids = store_drafts(session, first + second, owner_id=owner_id, author_id=author_id, group_id=group_id)
        return len(ids)
    with search_index_deferred(session) as ids:
        for chunk in chain([first, second], chunks):
            ids += store_drafts(session, chunk, owner_id=owner_id, author_id=author_id, group_id=group_id)
    return len(ids)


def _chunks(drafts: Iterable[SignalDraft]) -> Iterator[list[SignalDraft]]:
    items = iter(drafts)
    while chunk := list(islice(items, IMPORT_CHUNK)):
        yield chunk


def _filed_objects(
    signal_id: int, objects: Sequence[dict[str, Any]], held: Mapping[str, stix.Held]
) -> list[dict[str, Any]]:
    """The rows of ``signal_stix_object`` for a signal keeping ``objects`` and linking to ``held``."""
    where = {(obj["id"], stix.version_key(obj)): signal_id for obj in objects}
    where |= {(key, stix.version_key(found.obj)): found.held_in for key, found in held.items()}
    return [
        {"stix_id": key, "version": version, "signal_id": signal_id, "held_in": held_in}
        for (key, version), held_in in where.items()
    ]


def _own_organisation(principal: Principal) -> str:
    if principal.organisation_code is None:
        raise InputError(
            said(
                "user %(user)s belongs to no organisation; signals are owned by an organisation: %(next)s",
                user=principal.named(),
                next=Said(InputError(principal.organisation_next_step())),
            )
        )
    return principal.organisation_code


def create_signal(session: Session, principal: Principal, draft: SignalDraft) -> int:
    """Store a new signal of the principal's own organisation; TLP:RED recipients are usernames."""
    own = _own_organisation(principal)
    authorize_audited(
        session, principal, Permission.signals_write, "signals.create", "signal", organisation=own
    )
    return _store_signal(session, principal, own, draft, (), {})


def import_stix(
    session: Session,
    principal: Principal,
    draft: SignalDraft,
    objects: Sequence[dict[str, Any]],
    label: str = "the STIX bundle",
) -> StixImport:
    """Store an imported STIX bundle as a signal of the principal's own organisation, keeping the
    ``objects`` it brought (with their markings) for the export; ``label`` names the bundle in errors.

    An object with the id of a signal's report is refused (in an export it would stand in for that
    report), and so is a bundle whose references do not resolve (an export must be self-contained);
    objects GBVS makes itself (a bundle another GBVS exported carries them) are left out
    (:func:`gbvs.signals.stix.without_made`) and counted. Objects signals one may see hold already
    are sorted by version (:func:`gbvs.signals.stix.sort_versions`): the same version is left out
    and counted (the new signal names where it is, so its exports still carry it), a newer one is
    stored, an older one refused; nothing is stored when anything is refused. An object identical
    to one only signals one may not see hold is kept as a link to it, and told as stored
    (:func:`gbvs.signals.stix.link_identical`): the answer is the same as if no such signal existed.
    The audit entry ``signals.create`` keeps the answer (counts and ids), the bundle's ``label`` and the
    ATT&CK ids not linked, for the importer to read again (:func:`stix_import_result`).
    """
    own = _own_organisation(principal)
    authorize_audited(
        session, principal, Permission.signals_write, "signals.create", "signal", organisation=own
    )
    _refuse_taken_reports(session, principal, objects, label)
    made = _made_ids(session)
    stix.check_resolves(objects, made, label)
    kept, left_out = stix.without_made(objects, made)
    kept, export_notes = stix.without_export_notes(kept)
    seen, unseen = _held_versions(session, principal, kept)
    versions = stix.sort_versions(kept, seen, label)
    copies, linked = stix.link_identical(versions.new, unseen)
    counts = {
        "stix_objects": len(versions.new),
        "stix_left_out": len(left_out),
        "stix_already_imported": len(versions.again),
        "stix_newer_versions": len(versions.newer),
        "stix_export_notes": len(export_notes),
    }
    ids = {
        "stix_left_out_ids": [obj["id"] for obj in left_out],
        "stix_already_imported_ids": list(versions.again),
        "stix_newer_version_ids": list(versions.newer),
        "stix_export_note_ids": [obj["id"] for obj in export_notes],
    }
    unlinked = stix.attack_ids(objects, draft.techniques).unlinked
    told = {"stix_label": label, "stix_unlinked": [list(astuple(item)) for item in unlinked]}
    held = versions.again | linked
    signal_id = _store_signal(session, principal, own, draft, copies, counts | ids | told, held)
    return _stix_import(signal_id, counts | ids)


def _stix_import(signal_id: int, detail: Mapping[str, Any]) -> StixImport:
    """The :class:`StixImport` an audit entry ``signals.create`` of an import keeps in its ``detail``
    (an entry of an import recorded before its ids were kept has the counts only)."""
    return StixImport(
        signal_id,
        int(detail.get("stix_objects", 0)),
        int(detail.get("stix_left_out", 0)),
        int(detail.get("stix_already_imported", 0)),
        int(detail.get("stix_newer_versions", 0)),
        left_out_ids=tuple(detail.get("stix_left_out_ids", ())),
        already_imported_ids=tuple(detail.get("stix_already_imported_ids", ())),
        newer_version_ids=tuple(detail.get("stix_newer_version_ids", ())),
        export_notes=int(detail.get("stix_export_notes", 0)),
        export_note_ids=tuple(detail.get("stix_export_note_ids", ())),
    )


@dataclass(frozen=True)
class StoredStixImport:
    """An import of a STIX bundle as it was told to its importer: the signal it made (as they may see
    it now), what became of the bundle's objects and the ATT&CK ids the signal does not link."""

    signal: Signal
    result: StixImport
    label: str
    unlinked: tuple[stix.UnlinkedTechnique, ...]


def stix_import_result(session: Session, principal: Principal, signal_id: int) -> StoredStixImport:
    """The import that made signal ``signal_id``, for the importer to read again (the page
    ``/signalen/stix-bundel/{id}`` a successful import redirects to, so a reload imports nothing).

    Built from what the import stored, not from the request or server memory: the signal, and the
    audit entry ``signals.create`` of its import, which keeps the counts and ids of the objects (and
    the bundle's name and the ATT&CK ids not linked) beside who imported it, in the tamper-evident
    log that is the import's record; no table of its own is needed. Only the importer may read it,
    and only while the signal is shared with them: what an import says was worked out against the
    importer's need-to-know (objects held by signals they may see), so it is not theirs to show to
    another reader of the signal. Any other id is "not found", as :func:`get_signal` says it.
    """
    action = "signals.stix_import.read"
    authorize_audited(session, principal, Permission.signals_read, action, "signal", signal_id)
    signal = session.scalar(
        select(Signal)
        .where(
            Signal.id == signal_id,
            Signal.source == "stix",
            Signal.author_id == principal.user_id,
            visible_to(principal),
        )
        .options(*_DETAIL_LOADS)
    )
    entry = None if signal is None else _created_entry(session, principal, signal)
    if signal is None or entry is None:
        record_not_found(session, principal, action, "signal", signal_id)
    record(session, principal, action, "signal", signal_id, {"found": True})
    unlinked = tuple(stix.UnlinkedTechnique(*item) for item in entry.detail.get("stix_unlinked", ()))
    label = str(entry.detail.get("stix_label", signal.title))
    return StoredStixImport(signal, _stix_import(signal_id, entry.detail), label, unlinked)


def _created_entry(session: Session, principal: Principal, signal: Signal) -> AuditLog | None:
    """The audit entry of ``principal``'s successful ``signals.create`` of ``signal``: found by the
    indexed actor and time (an entry is written after its signal's row, in the same transaction; with
    :data:`CLOCK_LEEWAY` for a clock set back between), so reading it does not scan the whole log."""
    return session.scalar(
        select(AuditLog)
        .where(
            AuditLog.actor == principal.username[:64],
            AuditLog.at >= signal.created_at - CLOCK_LEEWAY,
            AuditLog.action == "signals.create",
            AuditLog.object_type == "signal",
            AuditLog.object_id == str(signal.id),
            AuditLog.outcome == Outcome.success,
        )
        .order_by(AuditLog.seq)
        .limit(1)
    )


def _held_versions(
    session: Session, principal: Principal, objects: Sequence[dict[str, Any]]
) -> tuple[dict[str, stix.Held], dict[str, list[stix.Held]]]:
    """The versions signals hold of ``objects``, found in ``signal_stix_object`` by id: the newest
    held by a signal ``principal`` may see (by id), and every version held by a signal they may not see."""
    wanted = sorted({obj["id"] for obj in objects})
    rows: list[tuple[SignalStixObject, bool]] = []
    for start in range(0, len(wanted), IMPORT_CHUNK):
        query = (
            select(SignalStixObject, visible_to(principal).label("visible"))
            .join(Signal, Signal.id == SignalStixObject.signal_id)
            .where(SignalStixObject.stix_id.in_(wanted[start : start + IMPORT_CHUNK]))
            .order_by(SignalStixObject.signal_id)
        )
        rows += [(filed, bool(visible)) for filed, visible in session.execute(query)]
    content = _held_content(session, {filed.held_in for filed, _ in rows}, set(wanted))
    seen: dict[str, stix.Held] = {}
    unseen: dict[str, list[stix.Held]] = {}
    for filed, visible in rows:
        obj = content.get((filed.held_in, filed.stix_id, filed.version))
        if obj is None:
            continue
        found = stix.Held(obj, filed.signal_id, filed.held_in)
        if not visible:
            unseen.setdefault(filed.stix_id, []).append(found)
        elif filed.stix_id not in seen or not stix.is_older(obj, seen[filed.stix_id].obj):
            seen[filed.stix_id] = found
    return seen, unseen


def _held_content(
    session: Session, signal_ids: set[int], wanted: set[str]
) -> dict[tuple[int, str, str], dict[str, Any]]:
    """The ``wanted`` objects that ``signal_ids`` keep, by (signal, id, version)."""
    ordered = sorted(signal_ids)
    content: dict[tuple[int, str, str], dict[str, Any]] = {}
    for start in range(0, len(ordered), IMPORT_CHUNK):
        chunk = ordered[start : start + IMPORT_CHUNK]
        for signal_id, detail in session.execute(
            select(Signal.id, Signal.detail).where(Signal.id.in_(chunk))
        ):
            for obj in detail.get("stix_objects", ()):
                if obj["id"] in wanted:
                    content[(signal_id, obj["id"], stix.version_key(obj))] = obj
    return content


def _store_signal(
    session: Session,
    principal: Principal,
    own: str,
    draft: SignalDraft,
    objects: tuple[dict[str, Any], ...],
    detail: dict[str, Any],
    held: Mapping[str, stix.Held] | None = None,
) -> int:
    """Store the signal of an authorized principal of organisation ``own`` (with the STIX ``objects``
    it brought, and the versions held of those it keeps as links, ``held``) and audit it, with
    ``detail``."""
    if draft.owner_organisation != own:
        raise InputError(
            said(
                "a signal is owned by the author's organisation (%(own)s), not '%(given)s'",
                own=own,
                given=draft.owner_organisation,
            )
        )
    recipients = addressable_user_ids(session, principal, draft.red_recipients)
    owner = organisation_by_code(session, own)
    group_id = usable_group_id(session, principal, draft.sharing_group)
    (signal_id,) = store_drafts(
        session,
        [draft],
        owner_id=owner.id,
        author_id=principal.user_id,
        group_id=group_id,
        objects=objects,
        held=held,
    )
    if recipients:
        session.execute(insert(SignalRecipient), [{"signal_id": signal_id, "user_id": r} for r in recipients])
    markings = {"tlp": draft.tlp.value, "distribution": draft.distribution.value, "kind": draft.kind.value}
    record(session, principal, "signals.create", "signal", signal_id, markings | detail)
    return signal_id


def _refuse_taken_reports(
    session: Session, principal: Principal, objects: Sequence[dict[str, Any]], label: str
) -> None:
    """Refuse a brought object with the id of a signal's report: in an export holding both, it would
    stand in for that report. The message names the signal only when ``principal`` may see it."""
    ids = [obj["id"] for obj in objects if obj["id"].startswith("report--")]
    taken = session.execute(select(Signal.id, Signal.stix_id).where(Signal.stix_id.in_(ids)).limit(1)).first()
    if taken is None:
        return
    seen = session.scalar(select(Signal.id).where(Signal.id == taken.id, visible_to(principal)))
    which = (
        said("the report of signal %(signal)s", signal=seen)
        if seen is not None
        else said("an existing object")
    )
    raise InputError(
        said(
            "%(label)s: object %(object)s is the id of an object GBVS makes (%(which)s), which it would "
            "stand in for in exports; a bundle exported from this installation is here already, so leave "
            "it out; otherwise give the object a new id and import again",
            label=label,
            object=taken.stix_id,
            which=Said(InputError(which)),
        )
    )


def _made_ids(session: Session) -> frozenset[str]:
    """The ids of the objects of fixed kinds this installation makes in exports (:func:`stix.made_ids`)."""
    return stix.made_ids(session.scalars(select(Organisation.code)), iso3_to_iso2())


def _public_owner(session: Session) -> Organisation:
    found = session.scalar(select(Organisation).where(Organisation.code == PUBLIC_OWNER))
    if found is None:
        found = Organisation(
            code=PUBLIC_OWNER,
            name_nl="Openbare bronnen",
            name_en="Public sources",
            kind=OrganisationKind.other,
        )
        session.add(found)
        session.flush()
    return found


def import_public(
    session: Session, principal: Principal, source_id: str, drafts: Iterable[SignalDraft]
) -> ImportSummary:
    """Add public-data signals (TLP:CLEAR) that are not there yet, matched on (source, external id)."""
    authorize_audited(session, principal, Permission.signals_import, "signals.import", "signal", source_id)
    owner = _public_owner(session)
    present = set(session.scalars(select(Signal.external_id).where(Signal.source == source_id)))
    read = 0

    def new_drafts() -> Iterator[SignalDraft]:
        nonlocal read
        for draft in drafts:
            read += 1
            if draft.external_id not in present:
                present.add(draft.external_id)
                yield draft

    added = store_many(session, new_drafts(), owner_id=owner.id, author_id=None)
    summary = ImportSummary(source_id, read, added, read - added)
    record(session, principal, "signals.import", "signal", source_id, summary.__dict__)
    return summary


def list_signals(
    session: Session,
    principal: Principal,
    wanted: SignalFilter,
    *,
    page: int = 1,
    page_size: int = 50,
    order: SignalOrder = SignalOrder(),
) -> SignalPage:
    """A page of the signals ``principal`` may see that match ``wanted``, in ``order`` (and the total)."""
    if (problem := page_problem(page, page_size)) is not None:
        raise InputError(problem)
    action = "signals.search" if wanted.text.strip() else "signals.list"
    authorize_audited(session, principal, Permission.signals_read, action, "signal")
    _check_filter(session, principal, wanted)
    dialect = session.get_bind().dialect.name
    counted = visible_signals(principal, wanted, dialect).order_by(None).with_only_columns(Signal.id)
    capped = counted.limit(max(COUNT_CAP + 1, page * page_size + 1))
    total = session.scalar(select(func.count()).select_from(capped.subquery())) or 0
    exact = total <= COUNT_CAP
    # A search with more visible matches than COUNT_CAP walks the newest-first index (text_match).
    # The choice rests on what the reader may see; the count reads only the full-text hits of the
    # reader's audiences (FTS5 on SQLite, prefixed words on PostgreSQL), so a search's time does not
    # grow with matches one cannot see (gbvs.db.signal_search; docs/security.md, residual channels).
    broad = dialect == "sqlite" and bool(printable(wanted.text).split()) and not exact
    query = visible_signals(principal, wanted, dialect, broad_text=broad, order=order)
    rows = session.scalars(
        query.options(selectinload(Signal.owner), selectinload(Signal.countries))
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    items = tuple(summary_of(row) for row in rows)
    record(session, principal, action, "signal", None, {"filter": _filter_detail(wanted), "total": total})
    return SignalPage(items, total if exact else COUNT_CAP, exact, page, page_size)


def _check_filter(session: Session, principal: Principal, wanted: SignalFilter) -> None:
    """Refuse a suspected actor no current assessment of a signal ``principal`` may see names, and a
    sponsor state that is no country GBVS knows, naming the value and the valid ones (the filter would
    otherwise answer "nothing found" to a typo)."""
    if wanted.sponsor_state and wanted.sponsor_state not in iso3_to_iso2():
        raise InputError(
            said(
                "sponsor state %(value)s is no ISO3 code of a country GBVS knows; give a code such as RUS or "
                "CHN (the countries are listed by `gbvs drivers` and on /landen)",
                value=repr(wanted.sponsor_state),
            )
        )
    if wanted.suspected_actor:
        named = _suspected_actors(session, principal)
        if wanted.suspected_actor.strip().lower() not in {name.lower() for name in named}:
            raise InputError(
                said(
                    "no assessment of a signal you may see names suspected actor %(value)s; the suspected "
                    "actors named: %(actors)s (filter on one of these, or leave the suspected actor empty)",
                    value=repr(wanted.suspected_actor),
                    actors=Terms(named),
                )
            )


def _suspected_actors(session: Session, principal: Principal) -> list[str]:
    """The suspected actors the current assessments of the signals ``principal`` may see name, sorted."""
    current, is_current = current_signal_assessments()
    query = (
        select(current.suspected_actor)
        .join(Signal, Signal.id == current.signal_id)
        .where(visible_to(principal), is_current, current.suspected_actor.is_not(None))
        .distinct()
    )
    return sorted({name for name in session.scalars(query) if name}, key=str.lower)


def _filter_detail(wanted: SignalFilter) -> dict[str, Any]:
    return {key: str(value) for key, value in wanted.__dict__.items() if value not in (None, "")}


def summary_of(row: Signal) -> SignalSummary:
    countries = tuple(dict.fromkeys(country.iso3 for country in row.countries))
    return SignalSummary(
        row.id, row.title, row.kind, row.reported_on, row.owner.code, row.tlp.label, countries
    )


def get_signal(session: Session, principal: Principal, signal_id: int) -> Signal:
    """One signal the principal may see; NotFoundError (never a refusal) for any other id."""
    authorize_audited(session, principal, Permission.signals_read, "signals.read", "signal", signal_id)
    found = session.scalar(
        select(Signal).where(Signal.id == signal_id, visible_to(principal)).options(*_DETAIL_LOADS)
    )
    if found is None:
        record_not_found(session, principal, "signals.read", "signal", signal_id)
    record(session, principal, "signals.read", "signal", signal_id, {"found": True})
    return found


_DETAIL_LOADS = (
    selectinload(Signal.countries),
    selectinload(Signal.links),
    selectinload(Signal.owner),
    selectinload(Signal.sharing_group),
    selectinload(Signal.recipients).selectinload(SignalRecipient.user),
)
STATISTICS = ("kind", "threat", "goal", "country", "quarter", "organisation")


def signal_statistics(
    session: Session, principal: Principal, wanted: SignalFilter, by: str
) -> list[tuple[str, int]]:
    """Counts of the visible signals matching ``wanted``, grouped ``by`` one of :data:`STATISTICS`."""
    if by not in STATISTICS:
        raise InputError(
            said(
                "cannot count signals by '%(by)s'; choose one of: %(known)s",
                by=by,
                known=", ".join(STATISTICS),
            )
        )
    authorize_audited(session, principal, Permission.signals_read, "signals.statistics", "signal")
    _check_filter(session, principal, wanted)
    dialect = session.get_bind().dialect.name
    where = [visible_to(principal), *filter_clauses(wanted, dialect, principal)]
    key = _statistic_key(by, dialect)
    query = select(key, func.count(func.distinct(Signal.id))).select_from(Signal)
    if by in ("threat", "goal"):
        query = query.join(SignalLink, (SignalLink.signal_id == Signal.id) & (SignalLink.kind == by))
    elif by == "country":
        query = query.join(SignalCountry, SignalCountry.signal_id == Signal.id)
    elif by == "organisation":
        query = query.join(Organisation, Organisation.id == Signal.owner_organisation_id)
    rows = session.execute(query.where(*where).group_by(key).order_by(key))
    result = [(str(value), int(count)) for value, count in rows]
    record(
        session, principal, "signals.statistics", "signal", None, {"by": by, "filter": _filter_detail(wanted)}
    )
    return result


def _statistic_key(by: str, dialect: str) -> Any:
    if by == "kind":
        return Signal.kind
    if by in ("threat", "goal"):
        return SignalLink.value
    if by == "country":
        return SignalCountry.iso3
    if by == "organisation":
        return Organisation.code
    return _quarter(dialect)


def _quarter(dialect: str) -> Any:
    """``2019-Q3`` of the reported date, in the dialect's date functions."""
    day = Signal.reported_on
    if dialect == "postgresql":
        return func.to_char(day, "YYYY") + literal("-Q") + func.to_char(day, "Q")
    month = func.cast(func.strftime("%m", day), Integer)
    return func.strftime("%Y", day) + literal("-Q") + func.cast((month + 2) // 3, String)


About = Callable[[Sequence[tuple[str, Any]], int], Sequence[tuple[str, Any]]]
"""What an edge makes of an export's provenance (name, value) and its number of signals: the lines the
file says about itself, labelled in the reader's language with the filters of the request and the day
(:func:`gbvs.web.api.exportnotes.about_lines`, as for the CSV)."""


def _unlabelled(provenance: Sequence[tuple[str, Any]], count: int) -> list[tuple[str, Any]]:
    """The lines of an export's provenance as they are (English names), for a caller that labels none."""
    return [*provenance, ("rows", count)]


def export_stix(
    session: Session,
    principal: Principal,
    wanted: SignalFilter,
    *,
    limit: int = 10_000,
    about: About = _unlabelled,
) -> dict[str, Any]:
    """A STIX 2.1 bundle of the visible signals matching ``wanted`` (markings included), with the
    export's provenance as a note (:func:`gbvs.signals.stix.provenance_objects`; ``about`` its lines)."""
    authorize_audited(session, principal, Permission.signals_read, "signals.export", "signal")
    _check_filter(session, principal, wanted)
    dialect = session.get_bind().dialect.name
    rows = session.scalars(
        visible_signals(principal, wanted, dialect).options(*_DETAIL_LOADS).limit(limit)
    ).all()
    document = _stix_bundle(session, principal, rows, about)
    record(session, principal, "signals.export", "signal", None, {"format": "stix", "count": len(rows)})
    return document


def export_stix_of(
    session: Session,
    principal: Principal,
    signal_ids: Sequence[int],
    *,
    scope: str,
    about: About = _unlabelled,
) -> dict[str, Any]:
    """A STIX 2.1 bundle of those of ``signal_ids`` the principal may see (one signal, a case's members),
    with the export's provenance as :func:`export_stix` gives it."""
    authorize_audited(session, principal, Permission.signals_read, "signals.export", "signal", scope)
    rows = session.scalars(
        select(Signal)
        .where(Signal.id.in_(list(signal_ids)), visible_to(principal))
        .options(*_DETAIL_LOADS)
        .order_by(Signal.reported_on.desc(), Signal.id.desc())
    ).all()
    record(session, principal, "signals.export", "signal", scope, {"format": "stix", "count": len(rows)})
    return _stix_bundle(session, principal, rows, about)


def _stix_bundle(
    session: Session, principal: Principal, rows: Sequence[Signal], about: About
) -> dict[str, Any]:
    """The self-contained STIX bundle of ``rows`` (the caller chose and authorized them): each with
    the objects it brought, those it left out as imported already taken from the signal holding them,
    the identities and locations GBVS makes that any of them refers to, and the export's provenance
    (:func:`_export_provenance`, the lines ``about`` makes of it) as GBVS's note on the reports."""
    made = _made_ids(session)
    iso2 = iso3_to_iso2()
    held = _held_objects(session, rows)
    assessments = _export_assessments(session, rows)
    objects: list[dict[str, Any]] = []
    for row in rows:
        objects += stix.signal_objects(_export_signal(row, made, held, assessments.get(row.id, ())), iso2)
    exported_at = utcnow().replace(microsecond=0)  # the note's time as its lines write it
    lines = about(_export_provenance(session, principal, exported_at), len(rows))
    objects += stix.provenance_objects(lines, exported_at, [row.stix_id for row in rows], objects)
    names = {code: name for code, name in session.execute(select(Organisation.code, Organisation.name_en))}
    return stix.bundle(objects, stix.made_objects(names, iso2))


def current_assessments(rows: Sequence[Assessment]) -> list[Assessment]:
    """Of the versions in ``rows``, the current ones: those no other row supersedes."""
    superseded = {row.supersedes_id for row in rows}
    return [row for row in rows if row.id not in superseded]


def _export_assessments(
    session: Session, rows: Sequence[Signal]
) -> dict[int, tuple[stix.ExportAssessment, ...]]:
    """The current assessments of ``rows`` by signal, for the export: every organisation's assessment
    of a signal is read by whoever may read the signal (``signals show``), so the caller's choice of
    ``rows`` is the need-to-know of these too."""
    stix_ids = {row.id: row.stix_id for row in rows}
    versions: list[Assessment] = []
    for start in range(0, len(stix_ids), IMPORT_CHUNK):
        chunk = sorted(stix_ids)[start : start + IMPORT_CHUNK]
        query = select(Assessment).where(Assessment.signal_id.in_(chunk)).order_by(Assessment.id)
        versions += session.scalars(query.options(selectinload(Assessment.organisation))).all()
    first: dict[tuple[int | None, int, bool], datetime] = {}
    for row in versions:
        key = (row.signal_id, row.organisation_id, row.is_joint_position)
        first[key] = min(first.get(key, row.created_at), row.created_at)
    found: dict[int, list[stix.ExportAssessment]] = {}
    for row in current_assessments(versions):
        assert row.signal_id is not None
        key = (row.signal_id, row.organisation_id, row.is_joint_position)
        found.setdefault(row.signal_id, []).append(
            _export_assessment(row, stix_ids[row.signal_id], first[key])
        )
    return {signal_id: tuple(items) for signal_id, items in found.items()}


def _export_assessment(row: Assessment, signal_stix_id: str, first: datetime) -> stix.ExportAssessment:
    chance = vocabularies.likelihood(row.likelihood)
    return stix.ExportAssessment(
        signal_stix_id=signal_stix_id,
        organisation=row.organisation.code,
        judgement=row.judgement,
        likelihood=row.likelihood,
        likelihood_range=f"{chance.low}-{chance.high}%",
        confidence=row.confidence,
        suspected_actor=row.suspected_actor,
        sponsor_state=row.sponsor_state,
        evidence=row.evidence,
        joint_position=row.is_joint_position,
        version=row.version,
        first=first,
        recorded=row.created_at,
    )


def _held_objects(session: Session, rows: Sequence[Signal]) -> dict[tuple[int, str], dict[str, Any]]:
    """The objects ``rows`` left out as imported already, by (holding signal, id), from the signals
    holding them. They are the versions the importer brought (same id, same ``modified``, the same
    content: :func:`gbvs.signals.stix.sort_versions`), so they leave with the importer's signal at its
    marking whoever may see the holding signal now."""
    wanted = {(holder, key) for row in rows for key, holder in row.detail.get("stix_held", {}).items()}
    holders = {holder for holder, _ in wanted}
    if not holders:
        return {}
    found: dict[tuple[int, str], dict[str, Any]] = {}
    for signal_id, detail in session.execute(select(Signal.id, Signal.detail).where(Signal.id.in_(holders))):
        for obj in detail.get("stix_objects", ()):
            if (signal_id, obj["id"]) in wanted:
                found[(signal_id, obj["id"])] = obj
    return found


@dataclass(frozen=True)
class SignalExport:
    """The drafts of an export and its provenance (name, value): which register and version, who
    exported it when, and the need-to-know it was read under; an edge labels the lines in the reader's
    language (:func:`gbvs.web.api.exportnotes.about_lines`), the filters with them."""

    drafts: list[SignalDraft]
    provenance: tuple[tuple[str, Any], ...]


def export_drafts(
    session: Session, principal: Principal, wanted: SignalFilter, export_format: str, *, limit: int = 10_000
) -> SignalExport:
    """The visible signals matching ``wanted`` as drafts, for CSV and MISP exports (audited), with the
    export's provenance."""
    authorize_audited(session, principal, Permission.signals_read, "signals.export", "signal")
    _check_filter(session, principal, wanted)
    dialect = session.get_bind().dialect.name
    rows = session.scalars(
        visible_signals(principal, wanted, dialect).options(*_DETAIL_LOADS).limit(limit)
    ).all()
    record(
        session, principal, "signals.export", "signal", None, {"format": export_format, "count": len(rows)}
    )
    return SignalExport([draft_of(row) for row in rows], _export_provenance(session, principal, utcnow()))


def _export_provenance(
    session: Session, principal: Principal, exported_at: datetime
) -> tuple[tuple[str, Any], ...]:
    """Where an export of the register comes from and whose need-to-know chose its rows (taken at
    ``exported_at``): the one source of the provenance of every export format."""
    groups = usable_names(session, principal)
    scope = said(
        "only the signals %(who)s may read: public ones, their own, those named to them at TLP:RED and, "
        "below TLP:RED, those of organisation %(organisation)s, of its sharing groups (%(groups)s) and "
        "those shared with all organisations",
        who=principal.describe(),
        organisation=principal.organisation_code or Term(NONE),
        groups=", ".join(groups) or Term(NONE),
    )
    return (
        ("source", Term("GBVS signals register (each signal's own source in its row)")),
        ("source_version", register_version(session)),
        ("exported at (UTC)", exported_at.isoformat(timespec="seconds")),
        ("exported by", principal.describe()),
        ("need-to-know", Said.of(scope)),
    )


def draft_of(row: Signal) -> SignalDraft:
    """The stored signal back as a draft (for exports)."""
    links: dict[str, list[str]] = {}
    for link in row.links:
        links.setdefault(link.kind, []).append(link.value)
    countries: dict[str, list[str]] = {"actor": [], "target": []}
    for country in row.countries:
        countries[country.role].append(country.iso3)
    return SignalDraft(
        title=row.title,
        kind=row.kind,
        observed_on=row.observed_on,
        reported_on=row.reported_on,
        owner_organisation=row.owner.code,
        tlp=row.tlp,
        distribution=row.distribution,
        description=row.description,
        reliability=row.reliability,
        credibility=row.credibility,
        classification=row.classification,
        sharing_group=row.sharing_group.name if row.sharing_group else None,
        red_recipients=tuple(recipient.user.username for recipient in row.recipients),
        actor_countries=tuple(countries["actor"]),
        target_countries=tuple(countries["target"]),
        threats=tuple(int(v) for v in links.get("threat", [])),
        goals=tuple(int(v) for v in links.get("goal", [])),
        techniques=tuple(links.get("technique", [])),
        tags=tuple(links.get("tag", [])),
        references=tuple(
            Reference(ref["url"], ref.get("title", "")) for ref in row.detail.get("references", [])
        ),
        source=row.source,
        external_id=row.external_id,
    )


def _export_signal(
    row: Signal,
    made: frozenset[str],
    held: dict[tuple[int, str], dict[str, Any]],
    assessments: tuple[stix.ExportAssessment, ...] = (),
) -> stix.ExportSignal:
    """``row`` for the export, with the brought objects it left out as imported already (``held``:
    :func:`_held_objects`); a brought object with the id of one GBVS makes (stored before imports left
    those out) gives way to GBVS's own."""
    brought = list(row.detail.get("stix_objects", ()))
    brought += [
        held[(holder, key)]
        for key, holder in row.detail.get("stix_held", {}).items()
        if (holder, key) in held
    ]
    objects, _ = stix.without_made(brought, made)
    return stix.ExportSignal(
        draft_of(row), row.stix_id, row.owner.name_en, row.created_at, row.modified_at, objects, assessments
    )


def create_sharing_group(
    session: Session, principal: Principal, name: str, organisations: Sequence[str], description: str = ""
) -> int:
    """A new sharing group of organisations (admins manage groups; they gain no access by it)."""
    authorize_audited(
        session, principal, Permission.orgs_manage, "sharing_groups.create", "sharing_group", name
    )
    if not name.strip() or len(name) > 64 or escape_controls(name) != name:
        raise InputError(
            said(
                "sharing group name %(name)s must be 1-64 characters without control characters",
                name=repr(name[:70]),
            )
        )
    if session.scalar(select(SharingGroup.id).where(SharingGroup.name == name)) is not None:
        raise InputError(said("sharing group '%(name)s' already exists; choose another name", name=name))
    members = [organisation_by_code(session, code) for code in organisations]
    group = SharingGroup(name=name, description=description)
    group.members = [SharingGroupMember(organisation_id=org.id) for org in members]
    session.add(group)
    session.flush()
    record(
        session,
        principal,
        "sharing_groups.create",
        "sharing_group",
        group.id,
        {"name": name, "members": list(organisations)},
    )
    return group.id


@dataclass(frozen=True)
class MarkingChange:
    """A new marking for a signal; ``reason`` is required when it lowers the TLP (and is audited)."""

    tlp: Tlp
    distribution: Distribution | None = None
    sharing_group: str | None = None
    recipients: tuple[str, ...] = ()
    classification: Classification | None = None
    reason: str = ""


def _new_group(
    session: Session, principal: Principal, found: Signal, distribution: Distribution, name: str | None
) -> int | None:
    """The group a re-marked signal is shared with: the one named, else (still shared with a group)
    the one it has. Its current group stays usable even if the owner is not in it (shared before the
    rule that one shares only with one's own groups)."""
    if name is None and distribution is Distribution.sharing_group:
        return found.sharing_group_id
    return usable_group_id(session, principal, name, keep=found.sharing_group_id)


def change_marking(session: Session, principal: Principal, signal_id: int, change: MarkingChange) -> Signal:
    """Change a signal's marking: only its owner's organisation; lowering needs a reason.

    A signal outside the principal's need-to-know is "not found"; one they see but do not own is
    refused (:func:`gbvs.signals.markings.check_change`), and both attempts are audited.
    """
    action = "signals.mark"
    authorize_audited(session, principal, Permission.signals_write, action, "signal", signal_id)
    found = session.scalar(
        select(Signal).where(Signal.id == signal_id, visible_to(principal)).options(*_DETAIL_LOADS)
    )
    if found is None:
        record_not_found(session, principal, action, "signal", signal_id)
    old, distribution = found.tlp, change.distribution or found.distribution
    classification = change.classification or found.classification
    try:
        check_classification(classification)
        check_change(
            old=old,
            new=change.tlp,
            by_owner=principal.organisation_id == found.owner_organisation_id,
            reason=change.reason,
        )
        check_consistent(change.tlp, distribution, len(change.recipients))
        group_id = _new_group(session, principal, found, distribution, change.sharing_group)
        check_group(distribution, group_id is not None)
        recipients = addressable_user_ids(session, principal, change.recipients)
    except (InputError, NotFoundError) as refusal:
        session.rollback()
        detail = {"from": old.value, "to": change.tlp.value}
        record(session, principal, action, "signal", signal_id, detail, Outcome.denied, str(refusal))
        session.commit()
        raise
    found.tlp, found.distribution, found.classification = change.tlp, distribution, classification
    found.sharing_group_id, found.modified_at = group_id, datetime.now(UTC)
    found.recipients = [SignalRecipient(signal_id=signal_id, user_id=user_id) for user_id in recipients]
    session.flush()
    detail = {
        "from": old.value,
        "to": change.tlp.value,
        "distribution": distribution.value,
        "classification": classification.value,
        "reason": change.reason.strip(),
    }
    record(session, principal, action, "signal", signal_id, detail)
    return found


def sharing_group_names(session: Session, principal: Principal) -> list[str]:
    """The sharing groups one's organisation is in (the choice on the new-signal form)."""
    authorize_audited(session, principal, Permission.signals_read, "sharing_groups.list", "sharing_group")
    return usable_names(session, principal)


def is_visible(session: Session, principal: Principal, signal_id: int) -> bool:
    """Whether the principal may still read a signal (after they changed its marking, say); not audited,
    since it shows nothing of the signal."""
    authorize_audited(session, principal, Permission.signals_read, "signals.read", "signal", signal_id)
    found = session.scalar(select(Signal.id).where(Signal.id == signal_id, visible_to(principal)))
    return found is not None
