"""STIX 2.1 in and out: a signal as a STIX report, and a STIX bundle as a signal.

Pure (no files, no database): JSON text or dicts in, dicts out. Validation uses the OASIS
``stix2-validator``; markings use the TLP 2.0 marking definitions OASIS published (ids in
:mod:`gbvs.signals.markings`). GBVS's own fields (kind, threats, goals, Admiralty code,
distribution, countries, techniques) travel in a property extension defined by
:data:`EXTENSION_DEFINITION`, so the objects validate without custom-property warnings (the
validator's only warning is check 103: the ids GBVS derives are UUIDv5, on purpose).

- Export: :func:`signal_objects` gives a ``report`` (with the owner's ``identity`` and the
  ``location`` of each country as ``object_refs``), the objects an imported signal brought with it,
  and every marking definition they refer to; :func:`bundle` wraps objects in a bundle.
- Export provenance: :func:`provenance_objects` gives the ``note`` GBVS's own identity writes on the
  exported reports, naming who exported the bundle when, from which register and version, with which
  filters and under whose need-to-know (the lines of the CSV export), marked as the most restrictive
  exported object.
- Import: :func:`read_bundle` validates a bundle and :func:`draft_from_bundle` makes one signal of
  it, keeping every object (and its markings) for the export, except those GBVS makes itself
  (:func:`without_made`) and the provenance notes of a GBVS export (:func:`without_export_notes`).
"""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from stix2.v21 import Note
from stix2validator import ValidationOptions, validate_instance
from stix2validator.errors import ValidationError

from gbvs.errors import InputError, Said, StateConflictError, Words, said
from gbvs.languages import N_
from gbvs.signals.markings import (
    STIX_TLP1_MARKINGS,
    STIX_TLP_MARKINGS,
    Classification,
    Distribution,
    Tlp,
    check_classification,
    parse_classification,
    parse_tlp,
)
from gbvs.signals.model import SignalDraft, SignalKind

NAMESPACE = uuid.UUID("7d8a3c5e-4b1f-5c2a-9e6d-0a1b2c3d4e5f")
"""Namespace of GBVS's deterministic STIX ids (uuid5 of a stable key)."""

TLP2_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
PREDEFINED = frozenset({TLP2_EXTENSION})
"""Ids an export refers to without carrying the object: the extension definition of TLP 2.0, which
OASIS publishes with the TLP 2.0 markings (every consumer of those markings knows it)."""
TLP2_CREATED = "2022-10-01T00:00:00.000Z"
TLP1_CREATED = "2017-01-20T00:00:00.000Z"
TLP1_WORDS = {Tlp.clear: "white", Tlp.green: "green", Tlp.amber: "amber", Tlp.red: "red"}
GBVS_CREATED = "2026-12-01T00:00:00.000Z"
MAX_BUNDLE_BYTES = 20_000_000
MAX_BUNDLE_OBJECTS = 10_000
CYBER_TYPES = frozenset(
    {
        "indicator",
        "malware",
        "intrusion-set",
        "attack-pattern",
        "infrastructure",
        "tool",
        "vulnerability",
        "observed-data",
        "malware-analysis",
    }
)
ATTACK_SOURCES = frozenset({"mitre-attack", "mitre-ics-attack", "mitre-mobile-attack"})
"""The ``source_name`` of an ``external_references`` entry that gives an attack pattern's MITRE ATT&CK id
(ATT&CK's STIX data writes ``mitre-attack``; older ICS and Mobile objects ``mitre-ics-attack`` and
``mitre-mobile-attack``)."""
TITLE_TYPES = ("report", "campaign", "intrusion-set", "threat-actor", "malware", "indicator", "grouping")


def _stix_id(kind: str, key: str) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, key)}"


GBVS_IDENTITY: dict[str, Any] = {
    "type": "identity",
    "spec_version": "2.1",
    "id": _stix_id("identity", "gbvs"),
    "created": GBVS_CREATED,
    "modified": GBVS_CREATED,
    "name": "GBVS signals register",
    "identity_class": "system",
}

EXTENSION_ID = _stix_id("extension-definition", "gbvs-signal-v1")
EXTENSION_DEFINITION: dict[str, Any] = {
    "type": "extension-definition",
    "spec_version": "2.1",
    "id": EXTENSION_ID,
    "created": GBVS_CREATED,
    "modified": GBVS_CREATED,
    "created_by_ref": GBVS_IDENTITY["id"],
    "name": "GBVS signal",
    "description": (
        "GBVS signals register fields: kind, strategy threats and goals, Admiralty code, "
        "distribution, actor and target countries (ISO 3166 alpha-3), techniques, classification."
    ),
    "schema": "https://gbvs.example.invalid/stix/gbvs-signal-v1 (documented in src/gbvs/signals/stix.py)",
    "version": "1.0.0",
    "extension_types": ["property-extension"],
}


def tlp_marking(level: Tlp) -> dict[str, Any]:
    """The TLP 2.0 marking-definition object for ``level``, as OASIS published it."""
    return {
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": STIX_TLP_MARKINGS[level],
        "created": TLP2_CREATED,
        "name": level.label,
        "extensions": {TLP2_EXTENSION: {"extension_type": "property-extension", "tlp_2_0": level.value}},
    }


def tlp1_marking(marking_id: str) -> dict[str, Any]:
    """The TLP 1.0 marking-definition object the STIX 2.1 specification predefines under ``marking_id``."""
    word = TLP1_WORDS[STIX_TLP1_MARKINGS[marking_id]]
    return {
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": marking_id,
        "created": TLP1_CREATED,
        "definition_type": "tlp",
        "name": f"TLP:{word.upper()}",
        "definition": {"tlp": word},
    }


def classification_marking(level: Classification) -> dict[str, Any]:
    """A statement marking for a Dutch state classification above 'ongerubriceerd'."""
    return {
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": _stix_id("marking-definition", f"classification:{level.value}"),
        "created": GBVS_CREATED,
        "name": level.value,
        "definition_type": "statement",
        "definition": {"statement": f"Rubricering: {level.value.replace('_', ' ')}"},
    }


@dataclass(frozen=True)
class ExportSignal:
    """What the export needs of a stored signal: its draft, id, times and the objects it brought."""

    draft: SignalDraft
    stix_id: str
    owner_name: str
    created: datetime
    modified: datetime
    objects: tuple[dict[str, Any], ...] = ()
    assessments: tuple[ExportAssessment, ...] = ()


def _timestamp(moment: datetime | date) -> str:
    if not isinstance(moment, datetime):
        moment = datetime(moment.year, moment.month, moment.day, tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def owner_identity_id(organisation: str) -> str:
    """The STIX id of the ``identity`` GBVS makes for organisation ``organisation`` (a code)."""
    return _stix_id("identity", f"organisation:{organisation}")


def location_id(iso3: str) -> str:
    """The STIX id of the ``location`` GBVS makes for country ``iso3``."""
    return _stix_id("location", f"country:{iso3}")


def organisation_identity(organisation: str, name: str) -> dict[str, Any]:
    """The ``identity`` GBVS makes for organisation ``organisation`` (a code) called ``name``."""
    return {
        "type": "identity",
        "spec_version": "2.1",
        "id": owner_identity_id(organisation),
        "created": GBVS_CREATED,
        "modified": GBVS_CREATED,
        "name": name,
        "identity_class": "organization",
    }


def made_objects(organisations: Mapping[str, str], iso2: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    """The identities (``organisations``: code to name) and country locations GBVS makes, by id: an
    export adds those its objects refer to (:func:`bundle`), whether or not it holds a signal of theirs."""
    made = [organisation_identity(code, name) for code, name in organisations.items()]
    made += [_location(iso3, code) for iso3, code in iso2.items()]
    return {obj["id"]: obj for obj in made}


def _location(iso3: str, iso2: str) -> dict[str, Any]:
    return {
        "type": "location",
        "spec_version": "2.1",
        "id": location_id(iso3),
        "created": GBVS_CREATED,
        "modified": GBVS_CREATED,
        "name": iso3,
        "country": iso2,
    }


def _extension(draft: SignalDraft) -> dict[str, Any]:
    """GBVS's fields; STIX allows neither nulls nor empty lists, so those are left out."""
    fields = {
        "extension_type": "property-extension",
        "kind": draft.kind.value,
        "threats": list(draft.threats),
        "goals": list(draft.goals),
        "admiralty": f"{draft.reliability.upper()}{draft.credibility}",
        "distribution": draft.distribution.value,
        "sharing_group": draft.sharing_group,
        "actor_countries": list(draft.actor_countries),
        "target_countries": list(draft.target_countries),
        "techniques": list(draft.techniques),
        "sectors": list(draft.sectors),
        "classification": draft.classification.value,
        "source": draft.source,
    }
    return {key: value for key, value in fields.items() if value not in (None, [], "")}


def signal_objects(signal: ExportSignal, iso2: dict[str, str]) -> list[dict[str, Any]]:
    """The STIX objects of one signal: report, owner, locations, brought objects, the current
    assessments as notes (:func:`assessment_note`), markings."""
    draft = signal.draft
    markings = signal_markings(draft)
    owner = organisation_identity(draft.owner_organisation, signal.owner_name)
    countries = dict.fromkeys((*draft.actor_countries, *draft.target_countries))
    locations = [_location(code, iso2[code]) for code in countries if code in iso2]
    brought = [obj["id"] for obj in signal.objects if obj["type"] != "marking-definition"]
    refs = [owner["id"], *(obj["id"] for obj in locations), *brought]
    report: dict[str, Any] = {
        "type": "report",
        "spec_version": "2.1",
        "id": signal.stix_id,
        "created": _timestamp(signal.created),
        "modified": _timestamp(signal.modified),
        "created_by_ref": owner["id"],
        "name": draft.title,
        "published": _timestamp(draft.reported_on),
        "report_types": ["threat-report"],
        "object_refs": list(dict.fromkeys(refs)),
        "object_marking_refs": markings,
        "extensions": {EXTENSION_ID: _extension(draft)},
    }
    if draft.description:
        report["description"] = draft.description
    if draft.references:
        report["external_references"] = [
            {"source_name": draft.source or "reference", "url": ref.url} for ref in draft.references
        ]
    marked = [dict(obj, object_marking_refs=markings) for obj in (owner, *locations)]
    notes = [assessment_note(assessment, markings) for assessment in signal.assessments]
    return [report, *marked, *(_brought(obj, draft.tlp, markings) for obj in signal.objects), *notes]


def provenance_objects(
    lines: Sequence[tuple[str, Any]],
    exported_at: datetime,
    reports: Sequence[str],
    objects: Sequence[dict[str, Any]],
) -> list[dict[str, Any]]:
    """The provenance of an export as STIX: a ``note`` by GBVS's own identity (with that identity) on the
    exported ``reports`` (on GBVS's identity when there are none, as STIX wants a note to be about
    something), its ``content`` the export's ``lines`` (name, value) as ``name: value`` lines, made at
    ``exported_at`` and marked as the most restrictive of the exported ``objects`` (their highest TLP,
    TLP:CLEAR when there are none, and their highest classification above 'ongerubriceerd'). Its id is
    new in every export (an export is an event); an import leaves it out (:func:`without_export_notes`).
    Made with the ``stix2`` library, which checks the note's properties."""
    markings = [STIX_TLP_MARKINGS[bundle_tlp(objects) or Tlp.clear]]
    classification = bundle_classification([*objects, *_classification_markings()])
    if classification is not Classification.ongerubriceerd:
        markings.append(classification_marking(classification)["id"])
    note = Note(
        id=f"note--{uuid.uuid4()}",
        created=_timestamp(exported_at),
        modified=_timestamp(exported_at),
        created_by_ref=GBVS_IDENTITY["id"],
        content="\n".join(f"{name}: {value}" for name, value in lines),
        object_refs=list(dict.fromkeys(reports)) or [GBVS_IDENTITY["id"]],
        object_marking_refs=markings,
        allow_custom=False,
    )
    made: dict[str, Any] = json.loads(note.serialize())
    return [made, copy.deepcopy(GBVS_IDENTITY)]


def _classification_markings() -> list[dict[str, Any]]:
    """GBVS's classification marking definitions (an export's objects refer to them by id)."""
    return [classification_marking(level) for level in Classification]


def is_export_note(obj: Mapping[str, Any]) -> bool:
    """Whether ``obj`` is the provenance note of a GBVS export (:func:`provenance_objects`): a ``note``
    by GBVS's own identity. Assessments leave as notes by their organisation's identity."""
    return obj.get("type") == "note" and obj.get("created_by_ref") == GBVS_IDENTITY["id"]


def without_export_notes(
    objects: Sequence[dict[str, Any]],
) -> tuple[tuple[dict[str, Any], ...], tuple[dict[str, Any], ...]]:
    """``objects`` split into those to keep and the provenance notes of a GBVS export: such a note says
    who exported that bundle when, not what happened, and every export makes its own, so an import leaves
    it out and a bundle exported and imported again stores what it stored before."""
    kept = tuple(obj for obj in objects if not is_export_note(obj))
    return kept, tuple(obj for obj in objects if is_export_note(obj))


CONFIDENCE_SCALE = {"low": 15, "moderate": 50, "high": 85}
"""Confidence in an analytic judgement (estimative language) as STIX ``confidence``: the "None, Low,
Med, High" scale of STIX 2.1, appendix A (Low 15, Med 50, High 85)."""


@dataclass(frozen=True)
class ExportAssessment:
    """An organisation's current assessment of a signal, as the export needs it: ``first`` is when
    its first version was recorded (the note's ``created``), ``recorded`` when this version was."""

    signal_stix_id: str
    organisation: str
    judgement: str
    likelihood: str
    likelihood_range: str
    confidence: str
    suspected_actor: str | None
    sponsor_state: str | None
    evidence: str
    joint_position: bool
    version: int
    first: datetime
    recorded: datetime


def assessment_note(assessment: ExportAssessment, markings: Sequence[str]) -> dict[str, Any]:
    """An assessment as a STIX 2.1 ``note`` on the signal's report, by its organisation's ``identity``
    and marked as its signal (``markings``). A note, not an ``opinion``: STIX's opinion is agreement or
    disagreement with the correctness of another producer's object; an assessment adds analysis (a
    judgement, its likelihood, attribution), which is what the specification says a note is for. One
    note per organisation and report (its id derived from both), a new assessment version a new
    version of the note."""
    kind = "joint position" if assessment.joint_position else "assessment"
    abstract = (
        f"{kind} by {assessment.organisation}: {assessment.likelihood} ({assessment.likelihood_range}), "
        f"{assessment.confidence} confidence"
    )
    lines = [assessment.judgement]
    if assessment.suspected_actor:
        lines.append(f"Suspected actor: {assessment.suspected_actor}")
    if assessment.sponsor_state:
        lines.append(f"Sponsor state: {assessment.sponsor_state}")
    if assessment.evidence:
        lines.append(f"Evidence: {assessment.evidence}")
    note: dict[str, Any] = {
        "type": "note",
        "spec_version": "2.1",
        "id": _stix_id("note", f"{assessment.signal_stix_id}|{kind}|{assessment.organisation}"),
        "created": _timestamp(assessment.first),
        "modified": _timestamp(assessment.recorded),
        "created_by_ref": owner_identity_id(assessment.organisation),
        "abstract": abstract,
        "content": "\n".join(lines),
        "object_refs": [assessment.signal_stix_id],
        "object_marking_refs": list(markings),
    }
    if assessment.confidence in CONFIDENCE_SCALE:
        note["confidence"] = CONFIDENCE_SCALE[assessment.confidence]
    return note


def signal_markings(draft: SignalDraft) -> list[str]:
    """The marking definitions of a signal's report: its TLP, and its classification above
    'ongerubriceerd'."""
    markings = [STIX_TLP_MARKINGS[draft.tlp]]
    if draft.classification is not Classification.ongerubriceerd:
        markings.append(classification_marking(draft.classification)["id"])
    return markings


def _brought(obj: dict[str, Any], level: Tlp, markings: Sequence[str]) -> dict[str, Any]:
    """A brought object as exported: marked at least as its signal; a marking definition as it came."""
    return obj if obj["type"] == "marking-definition" else at_least(obj, level, markings)


def at_least(obj: dict[str, Any], level: Tlp, markings: Sequence[str]) -> dict[str, Any]:
    """``obj`` (an object a bundle brought) marked at least as its signal: a TLP marking below
    ``level``, or none, gives way to the signal's ``markings`` (TLP and classification), so an export
    never shares an object wider than the signal it came with. Other markings are kept."""
    known = _tlp_levels()
    refs = list(obj.get("object_marking_refs", []))
    own = [known[ref] for ref in refs if ref in known]
    if not own or max(tlp.rank for tlp in own) < level.rank:
        refs = [ref for ref in refs if ref not in known] + [STIX_TLP_MARKINGS[level]]
    refs += [ref for ref in markings if ref not in known and ref not in refs]
    changed = dict(obj, object_marking_refs=refs)
    if "granular_markings" in obj:
        changed["granular_markings"] = [_granular_at_least(item, level) for item in obj["granular_markings"]]
    return changed if changed != obj else obj


def _granular_at_least(item: dict[str, Any], level: Tlp) -> dict[str, Any]:
    """A granular marking whose TLP is below ``level`` raised to it (the selectors kept)."""
    found = _tlp_levels().get(item.get("marking_ref", ""))
    if found is None or found.rank >= level.rank:
        return item
    return dict(item, marking_ref=STIX_TLP_MARKINGS[level])


def _tlp_levels() -> dict[str, Tlp]:
    """Every TLP marking-definition id GBVS reads (TLP 2.0, and TLP 1.0 as its 2.0 level)."""
    return {marking_id: level for level, marking_id in STIX_TLP_MARKINGS.items()} | STIX_TLP1_MARKINGS


def bundle(
    objects: Iterable[dict[str, Any]], made: Mapping[str, dict[str, Any]] | None = None
) -> dict[str, Any]:
    """A self-contained STIX bundle of ``objects`` with every marking and definition they use.

    Two versions of one object (the same id) give the newest (:func:`newest`). An object another
    refers to that GBVS makes (``made``: :func:`made_objects`, e.g. the identity of the organisation
    that created a report a signal brought) is added, so every reference resolves in the bundle. The
    bundle's id is derived from its objects' ids, an export's provenance note left out (every export
    makes a new one), so two exports of the same objects have the same id."""
    unique = newest(objects)
    for ref in sorted({ref for obj in unique.values() for ref in references(obj)} - set(unique)):
        if made and ref in made:
            unique[ref] = made[ref]
    used = {ref for obj in unique.values() for ref in _marking_refs(obj)}
    for level, marking_id in STIX_TLP_MARKINGS.items():
        if marking_id in used:
            unique.setdefault(marking_id, tlp_marking(level))
    for marking_id in STIX_TLP1_MARKINGS:
        if marking_id in used:
            unique.setdefault(marking_id, tlp1_marking(marking_id))
    for classification in Classification:
        marking = classification_marking(classification)
        if marking["id"] in used:
            unique.setdefault(marking["id"], marking)
    if any(EXTENSION_ID in obj.get("extensions", {}) for obj in unique.values()):
        # copies: a caller that changes its bundle must not change every later export
        unique.setdefault(GBVS_IDENTITY["id"], copy.deepcopy(GBVS_IDENTITY))
        unique.setdefault(EXTENSION_ID, copy.deepcopy(EXTENSION_DEFINITION))
    ids = sorted(unique)
    named = [key for key in ids if not is_export_note(unique[key])]  # the same objects, the same id
    return {
        "type": "bundle",
        "id": f"bundle--{uuid.uuid5(NAMESPACE, '|'.join(named))}",
        "objects": [unique[key] for key in ids],
    }


def newest(objects: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """``objects`` by id; of two versions of one object (STIX versioning: the same id) the one with
    the latest ``modified`` (on a tie, or for objects without versions, the last)."""
    unique: dict[str, dict[str, Any]] = {}
    for obj in objects:
        held = unique.get(obj["id"])
        if held is None or not is_older(obj, held):
            unique[obj["id"]] = obj
    return unique


def version(obj: Mapping[str, Any]) -> datetime | None:
    """When ``obj``'s version was made (its ``modified``), None for objects without versions (SCOs)."""
    modified = obj.get("modified")
    return datetime.fromisoformat(modified) if isinstance(modified, str) else None


def version_key(obj: Mapping[str, Any]) -> str:
    """``obj``'s ``modified`` as written, the version the index of held objects files it under
    (``signal_stix_object``); empty for objects without versions."""
    modified = obj.get("modified")
    return modified if isinstance(modified, str) else ""


def is_older(obj: Mapping[str, Any], than: Mapping[str, Any]) -> bool:
    """Whether ``obj`` is an older version than ``than`` (of the same object)."""
    mine, theirs = version(obj), version(than)
    return mine is not None and theirs is not None and mine < theirs


def references(obj: Any) -> Iterator[str]:
    """Every id ``obj`` refers to: its ``*_ref`` and ``*_refs`` properties at any depth (granular
    markings, extensions, embedded lists) and the extension definitions its ``extensions`` name."""
    if isinstance(obj, list):
        for item in obj:
            yield from references(item)
        return
    if not isinstance(obj, dict):
        return
    for key, value in obj.items():
        if key == "extensions" and isinstance(value, dict):
            yield from (name for name in value if name.startswith("extension-definition--"))
        if key.endswith("_ref") and isinstance(value, str):
            yield value
        elif key.endswith("_refs") and isinstance(value, list):
            yield from (ref for ref in value if isinstance(ref, str))
        else:
            yield from references(value)


def dangling(objects: Sequence[dict[str, Any]], elsewhere: Collection[str] = ()) -> list[tuple[str, str]]:
    """(object id, id it refers to) for each reference of ``objects`` that resolves neither among them
    nor to an id in ``elsewhere``."""
    present = {obj["id"] for obj in objects}
    return [
        (obj["id"], ref)
        for obj in objects
        for ref in dict.fromkeys(references(obj))
        if ref not in present and ref not in elsewhere
    ]


def _marking_refs(obj: dict[str, Any]) -> list[str]:
    refs = list(obj.get("object_marking_refs", []))
    refs += [item["marking_ref"] for item in obj.get("granular_markings", []) if "marking_ref" in item]
    return refs


def validate(document: dict[str, Any], label: str) -> None:
    """Validate a STIX 2.1 document with stix2-validator; the error names the object and the rule."""
    try:
        results = validate_instance(document, ValidationOptions(version="2.1"))
    except ValidationError as exc:  # the validator raises instead of reporting for some shapes
        raise InputError(
            said(
                "%(label)s: not valid STIX 2.1: %(problem)s; fix this and import again",
                label=label,
                problem=exc,
            )
        ) from None
    if not results.is_valid:
        problems = "; ".join(str(error) for error in list(results.errors)[:3])
        raise InputError(
            said(
                "%(label)s: not valid STIX 2.1: %(problems)s; fix these objects and import again",
                label=label,
                problems=problems,
            )
        )


def read_bundle(text: str | bytes, label: str) -> dict[str, Any]:
    """Parse and validate a STIX 2.1 bundle from JSON text; clear errors for anything else."""
    if len(text) > MAX_BUNDLE_BYTES:
        raise InputError(
            said(
                "%(label)s: %(size)s bytes; bundles up to %(limit)s bytes are accepted: split it",
                label=label,
                size=f"{len(text):,}",
                limit=f"{MAX_BUNDLE_BYTES:,}",
            )
        )
    try:
        document = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(
            said(
                "%(label)s: not JSON (%(problem)s); export it again as a STIX 2.1 bundle",
                label=label,
                problem=exc,
            )
        ) from exc
    except RecursionError:
        raise InputError(
            said(
                "%(label)s: JSON nested too deeply to read (no STIX object nests so deep); export it again "
                "as a STIX 2.1 bundle",
                label=label,
            )
        ) from None
    if not isinstance(document, dict) or document.get("type") != "bundle":
        found = document.get("type") if isinstance(document, dict) else type(document).__name__
        raise InputError(
            said(
                "%(label)s: expected a STIX bundle (type 'bundle'), found %(found)s",
                label=label,
                found=repr(found),
            )
        )
    if not document.get("objects"):
        raise InputError(said("%(label)s: the bundle has no objects; nothing to import", label=label))
    _check_objects(document["objects"], label)
    _refuse_nul(document, label)
    validate(document, label)
    _refuse_one_version_twice(document["objects"], label)
    return document


def _refuse_nul(document: Any, label: str) -> None:
    """Refuse a text holding NUL (``\\u0000``): no person types it, a terminal hides it, and PostgreSQL
    cannot store it (the import would end in a database error instead of this message)."""
    stack: list[tuple[str, Any]] = [("", document)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, str) and "\x00" in value:
            raise InputError(
                said(
                    "%(label)s: %(where)s holds a NUL character (\\u0000), which no STIX text has; remove it "
                    "and export the bundle again",
                    label=label,
                    where=where or "(bundle)",
                )
            )
        if isinstance(value, Mapping):
            stack.extend((f"{where}.{key}" if where else str(key), key) for key in value)  # names too
            stack.extend((f"{where}.{key}" if where else str(key), item) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend((f"{where}[{index}]", item) for index, item in enumerate(value))


def _refuse_one_version_twice(objects: Sequence[dict[str, Any]], label: str) -> None:
    """Refuse a bundle holding one object (id) in one version (``modified``) with two contents: a STIX
    version is one content, and GBVS would store both and export whichever came last."""
    seen: dict[tuple[str, Any], dict[str, Any]] = {}
    for obj in objects:
        found = seen.setdefault((obj["id"], obj.get("modified")), obj)
        if found != obj:
            raise InputError(
                said(
                    "%(label)s: object %(object)s appears twice in version %(version)s with different "
                    "content; a version has one content: leave one out, or give the changed one a later "
                    "'modified'",
                    label=label,
                    object=obj["id"],
                    version=obj.get("modified", "(none)"),
                )
            )


def _check_objects(objects: Any, label: str) -> None:
    """The bundle's ``objects``: a list of at most :data:`MAX_BUNDLE_OBJECTS` objects, each with a
    ``type`` and an ``id`` (the validator stops with a crash, not a report, on anything else)."""
    if not isinstance(objects, list):
        raise InputError(
            said(
                "%(label)s: the bundle's 'objects' is a %(found)s, not a list; export it again as a STIX 2.1 "
                "bundle",
                label=label,
                found=type(objects).__name__,
            )
        )
    if len(objects) > MAX_BUNDLE_OBJECTS:
        raise InputError(
            said(
                "%(label)s: %(count)s objects; bundles of up to %(limit)s objects are accepted (validating "
                "takes about 3 ms an object): split it",
                label=label,
                count=f"{len(objects):,}",
                limit=f"{MAX_BUNDLE_OBJECTS:,}",
            )
        )
    for index, obj in enumerate(objects):
        if not (
            isinstance(obj, dict) and isinstance(obj.get("type"), str) and isinstance(obj.get("id"), str)
        ):
            shown = json.dumps(obj)[:60]
            raise InputError(
                said(
                    "%(label)s: object %(number)s (%(shown)s) is not a STIX object with a 'type' and an "
                    "'id'; fix it or leave it out",
                    label=label,
                    number=index + 1,
                    shown=shown,
                )
            )


@dataclass(frozen=True)
class Held:
    """A version of an object a stored signal holds (brought by the bundle it was imported from):
    ``signal_id`` holds it, ``held_in`` keeps its content (``signal_id``, or the signal it links to)."""

    obj: dict[str, Any]
    signal_id: int
    held_in: int


@dataclass(frozen=True)
class Versions:
    """A bundle's objects against the versions stored signals hold (STIX versioning: the same id is
    the same object, ``modified`` its version): ``new`` to store (never held, or newer than held);
    ``again`` the same version held already (left out; id to the version held); ``newer`` the newer
    versions among ``new`` (id to the signal holding the older one, which keeps it)."""

    new: tuple[dict[str, Any], ...]
    again: dict[str, Held]
    newer: dict[str, int]


def sort_versions(objects: Sequence[dict[str, Any]], held: Mapping[str, Held], label: str) -> Versions:
    """``objects`` sorted against the ``held`` versions; an older version than the one held, and a
    held version with other content, are refused naming the held one; a bundle that is all held
    already is refused as imported already (nothing would be stored)."""
    new: list[dict[str, Any]] = []
    again: dict[str, Held] = {}
    newer: dict[str, int] = {}
    for obj in objects:
        found = held.get(obj["id"])
        if found is None:
            new.append(obj)
        elif is_older(found.obj, obj):
            new.append(obj)
            newer[obj["id"]] = found.signal_id
        else:
            _refuse_older_or_changed(obj, found, label)
            again[obj["id"]] = found
    if not new:
        where = ", ".join(str(n) for n in sorted({found.signal_id for found in again.values()}))
        raise StateConflictError(
            said(
                "%(label)s: imported already: its %(count)s object(s) are held, in the same version, by "
                "signal(s) %(signals)s; nothing new to import",
                label=label,
                count=len(again),
                signals=where,
            )
        )
    return Versions(tuple(new), again, newer)


def link_identical(
    objects: Sequence[dict[str, Any]], unseen: Mapping[str, Sequence[Held]]
) -> tuple[tuple[dict[str, Any], ...], dict[str, Held]]:
    """``objects`` split into copies to store and links: an object identical to a version that a
    signal the importer may not see holds (``unseen``, by id) is kept as a link to that version
    instead of a second copy. The importer is told both as stored (docs/security.md): a link must not
    tell them that a signal they may not see exists."""
    copies: list[dict[str, Any]] = []
    links: dict[str, Held] = {}
    for obj in objects:
        same = next((found for found in unseen.get(obj["id"], ()) if found.obj == obj), None)
        if same is None:
            copies.append(obj)
        else:
            links[obj["id"]] = same
    return tuple(copies), links


def _refuse_older_or_changed(obj: dict[str, Any], found: Held, label: str) -> None:
    """Refuse ``obj`` when it is older than the ``found`` version, or the same version changed."""
    held_at = found.obj.get("modified", "no version")
    if is_older(obj, found.obj):
        raise StateConflictError(
            said(
                "%(label)s: object %(object)s is version %(version)s, older than version %(held)s that "
                "signal %(signal)s holds; leave it out, or import a bundle with the newer version",
                label=label,
                object=obj["id"],
                version=obj["modified"],
                held=held_at,
                signal=found.signal_id,
            )
        )
    if obj != found.obj:
        raise InputError(
            said(
                "%(label)s: object %(object)s differs from version %(held)s that signal %(signal)s holds, "
                "under the same version; a changed STIX object needs a later 'modified': ask its producer "
                "for the new version",
                label=label,
                object=obj["id"],
                held=held_at,
                signal=found.signal_id,
            )
        )


def check_resolves(objects: Sequence[dict[str, Any]], made: Collection[str], label: str) -> None:
    """Refuse ``objects`` whose references resolve neither among them nor to an object GBVS makes
    (``made``, the TLP markings, :data:`PREDEFINED`): an export of them would not be self-contained."""
    known = {*made, *_tlp_levels(), *PREDEFINED}
    missing = dangling(objects, known)
    if missing:
        shown = "; ".join(f"{obj} -> {ref}" for obj, ref in missing[:3])
        raise InputError(
            said(
                "%(label)s: %(count)s reference(s) to objects the bundle does not hold (object -> missing "
                "id, at most three): %(shown)s; add those objects to the bundle (or leave the references "
                "out) and import again",
                label=label,
                count=len(missing),
                shown=shown,
            )
        )


def without_made(
    objects: Sequence[dict[str, Any]], made: Collection[str]
) -> tuple[tuple[dict[str, Any], ...], tuple[dict[str, Any], ...]]:
    """``objects`` split into those to keep and those whose id is one GBVS makes itself (``made``:
    :func:`made_ids`). A bundle another GBVS exported carries such objects; GBVS makes its own in every
    export, so a brought one is left out rather than standing in for GBVS's under the same id."""
    kept = tuple(obj for obj in objects if obj["id"] not in made)
    return kept, tuple(obj for obj in objects if obj["id"] in made)


def made_ids(organisations: Iterable[str], countries: Iterable[str]) -> frozenset[str]:
    """The ids of the objects of fixed kinds GBVS makes in exports (a signal's report aside): its
    identity, its extension, the TLP and classification markings, each organisation's identity and
    each country's location."""
    fixed = {GBVS_IDENTITY["id"], EXTENSION_ID, *STIX_TLP_MARKINGS.values()}
    fixed |= {classification_marking(level)["id"] for level in Classification}
    fixed |= {owner_identity_id(code) for code in organisations}
    return frozenset(fixed | {location_id(code) for code in countries})


def bundle_tlp(objects: Sequence[dict[str, Any]]) -> Tlp | None:
    """The most restrictive TLP marking on any object (TLP 1.0 markings read as TLP 2.0, and the
    bundle's own TLP marking definitions as theirs: :func:`defined_tlp`), if any."""
    known = _tlp_levels() | defined_tlp(objects)
    levels = [known[ref] for obj in objects for ref in _marking_refs(obj) if ref in known]
    return max(levels, key=lambda level: level.rank) if levels else None


def bundle_classification(objects: Sequence[dict[str, Any]]) -> Classification:
    """The highest Dutch state classification a marking on any object states: GBVS's own statement
    markings (:func:`classification_marking`), or a statement such as ``Rubricering: Stg. Geheim`` or
    ``Departementaal Vertrouwelijk``; 'ongerubriceerd' when none does."""
    stated = {obj["id"]: level for obj in objects if (level := _classification_stated(obj)) is not None}
    levels = [stated[ref] for obj in objects for ref in _marking_refs(obj) if ref in stated]
    order = list(Classification)
    return max(levels, key=order.index, default=Classification.ongerubriceerd)


def _classification_stated(obj: dict[str, Any]) -> Classification | None:
    definition = obj.get("definition")
    if obj["type"] != "marking-definition" or not isinstance(definition, dict):
        return None
    statement = definition.get("statement")
    if not isinstance(statement, str):
        return None
    try:
        return parse_classification(statement.strip().removeprefix("Rubricering:"))
    except InputError:
        return None


def defined_tlp(objects: Sequence[dict[str, Any]]) -> dict[str, Tlp]:
    """The bundle's marking definitions that say they are TLP under an id other than OASIS's, by id:
    a TLP 2.0 extension's ``tlp_2_0``, else a name such as ``TLP:RED`` (the validator refuses only
    TLP 1.0 definitions under other ids). Read so, a bundle marked that way is never "unmarked"."""
    found: dict[str, Tlp] = {}
    for obj in objects:
        if obj["type"] != "marking-definition":
            continue
        extension = obj.get("extensions", {}).get(TLP2_EXTENSION, {})
        level = _tlp_named(extension.get("tlp_2_0")) or _tlp_named(obj.get("name"), prefixed=True)
        if level is not None:
            found[obj["id"]] = level
    return found


def _tlp_named(text: Any, *, prefixed: bool = False) -> Tlp | None:
    """``text`` as a TLP level (with ``prefixed``: only when written ``TLP:...``), else None."""
    if not isinstance(text, str) or (prefixed and not text.strip().upper().startswith("TLP:")):
        return None
    try:
        return parse_tlp(text)
    except InputError:
        return None


@dataclass(frozen=True)
class UnlinkedTechnique:
    """An ATT&CK id an attack pattern of a bundle names that the signal does not link: ``retired`` when
    the bundle marks the pattern revoked or deprecated, else unknown to the ATT&CK catalogue GBVS reads."""

    object_id: str
    technique: str
    retired: bool


@dataclass(frozen=True)
class AttackIds:
    """The ATT&CK ids of a bundle's attack patterns: ``linked`` (known, current) and ``unlinked``."""

    linked: tuple[str, ...]
    unlinked: tuple[UnlinkedTechnique, ...]


def unlinked_warning(item: UnlinkedTechnique, label: str) -> Words:
    """What the importer of bundle ``label`` is told about an ATT&CK id the signal does not link, and
    what to do (catalogue words: the command line and the API say them in the reader's language)."""
    values = {"label": label, "object": item.object_id, "technique": item.technique}
    if item.retired:
        return said(
            "%(label)s: attack pattern %(object)s names ATT&CK id %(technique)s, which its producer "
            "revoked or deprecated; not linked as a technique: link its successor with the signal's "
            "techniques if it applies",
            **values,
        )
    return said(
        "%(label)s: attack pattern %(object)s names ATT&CK id %(technique)s, which the ATT&CK "
        "catalogue GBVS reads does not know; not linked as a technique: check the id "
        "(ATT&CK ids read like T1566 or T1566.001)",
        **values,
    )


def attack_ids(objects: Sequence[dict[str, Any]], known: Collection[str]) -> AttackIds:
    """The MITRE ATT&CK ids (``T1566``, ``T1566.001``) of the ``attack-pattern`` objects, from their
    ``external_references`` (:data:`ATTACK_SOURCES`), sorted against the ``known`` technique ids
    (:func:`gbvs.signals.known.technique_names`): a current pattern with a known id is linked; a
    revoked or deprecated pattern, or an id the catalogue does not know, is named as not linked."""
    linked: dict[str, None] = {}
    unlinked: dict[tuple[str, str], UnlinkedTechnique] = {}
    for obj in objects:
        if obj["type"] != "attack-pattern":
            continue
        retired = bool(obj.get("revoked") or obj.get("x_mitre_deprecated"))
        for technique in _attack_references(obj):
            if not retired and technique in known:
                linked[technique] = None
            else:
                unlinked[(obj["id"], technique)] = UnlinkedTechnique(obj["id"], technique, retired)
    return AttackIds(tuple(linked), tuple(unlinked.values()))


def _attack_references(obj: dict[str, Any]) -> list[str]:
    """The ATT&CK ids among ``obj``'s external references, upper case."""
    references = obj.get("external_references")
    found: list[str] = []
    for reference in references if isinstance(references, list) else ():
        external = reference.get("external_id") if isinstance(reference, dict) else None
        if isinstance(external, str) and external.strip() and reference.get("source_name") in ATTACK_SOURCES:
            found.append(external.strip().upper())
    return found


def _title(objects: Sequence[dict[str, Any]], label: str) -> tuple[str, str]:
    for kind in TITLE_TYPES:
        named = [obj for obj in objects if obj["type"] == kind and obj.get("name")]
        if named:
            return str(named[0]["name"])[:300], str(named[0].get("description", ""))
    return f"STIX bundle {label}"[:300], ""


def draft_from_bundle(
    document: dict[str, Any],
    *,
    label: str,
    owner_organisation: str,
    reported_on: date,
    tlp: Tlp | None,
    distribution: Distribution,
    sharing_group: str | None = None,
    red_recipients: tuple[str, ...] = (),
    iso3: dict[str, str] | None = None,
    techniques: Collection[str] = (),
) -> tuple[SignalDraft, tuple[dict[str, Any], ...]]:
    """One signal for a validated bundle, with the bundle's objects (markings kept) for the export.

    The objects include the bundle's own marking definitions (a statement, a TLP under another id),
    so the markings that refer to them resolve in an export; the TLP markings GBVS writes itself
    (:func:`bundle`) are left out.

    The signal's TLP is the most restrictive marking in the bundle; ``tlp`` is used only when the
    bundle carries none (and then it must be given: GBVS does not guess a marking). The signal links
    the ATT&CK ids of the bundle's attack patterns that ``techniques`` (the known ids) holds
    (:func:`attack_ids`, which also names those it does not link).
    """
    tlp_ids = _tlp_levels()
    objects = tuple(obj for obj in document["objects"] if obj["id"] not in tlp_ids)
    described, _ = without_export_notes(objects)  # an export's provenance is no part of the signal
    marked = bundle_tlp(document["objects"])
    level = marked or tlp
    if level is None:
        raise InputError(
            said(
                "%(label)s: the bundle carries no TLP marking; say which TLP applies (e.g. --tlp amber)",
                label=label,
            )
        )
    if tlp is not None and marked is not None and tlp.rank < marked.rank:
        raise InputError(
            said(
                "%(label)s: the bundle is marked %(marked)s; importing it as %(given)s would lower the "
                "marking: only its owner may do that",
                label=label,
                marked=marked.label,
                given=tlp.label,
            )
        )
    classification = bundle_classification(document["objects"])
    try:
        check_classification(classification)
    except InputError as refusal:
        raise InputError(said("%(label)s: %(refusal)s", label=label, refusal=Said(refusal))) from None
    title, description = _title(described, label)
    types = {obj["type"] for obj in described if obj["type"] != "marking-definition"}
    countries = [obj.get("country", "") for obj in described if obj["type"] == "location"]
    codes = iso3 or {}
    draft = SignalDraft(
        title=title,
        kind=SignalKind.cyber_operation if types & CYBER_TYPES else SignalKind.other,
        observed_on=None,
        reported_on=reported_on,
        owner_organisation=owner_organisation,
        tlp=level,
        classification=classification,
        distribution=distribution,
        sharing_group=sharing_group,
        red_recipients=red_recipients,
        description=description,
        target_countries=tuple(dict.fromkeys(codes[c.upper()] for c in countries if c.upper() in codes)),
        techniques=attack_ids(objects, techniques).linked,
        source="stix",
        extra={"stix_types": ",".join(sorted(types))},
    )
    return draft, objects


IMPORT_LINES: tuple[tuple[str, str, str], ...] = (
    (
        "left_out",
        "left_out_ids",
        N_(
            "objects GBVS makes itself left out: %(n)s (GBVS's identity and definitions, organisations' "
            "identities, countries' locations): every export carries this installation's own"
        ),
    ),
    (
        "export_notes",
        "export_note_ids",
        N_(
            "provenance notes of a GBVS export left out: %(n)s (who exported the bundle when, from which "
            "register and under whose need-to-know): they describe that export, not the signal"
        ),
    ),
    (
        "already_imported",
        "already_imported_ids",
        N_("objects left out as imported already (the same version): %(n)s"),
    ),
    (
        "newer_versions",
        "newer_version_ids",
        N_("newer versions of objects a signal holds, stored with this one: %(n)s"),
    ),
)
"""What an import did beside storing the objects, as ``gbvs signals import-stix`` and the import page
(``/signalen/stix-bundel``) say it: the names of the count and of the objects' ids in
:class:`gbvs.db.services.signals.StixImport`, and its line (``%(n)s``: the count); a line whose count
is 0 is not said."""
