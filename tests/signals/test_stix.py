"""STIX 2.1 in and out: exports validate, markings are kept, the OASIS examples round-trip."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from gbvs.countries.matching import iso2_to_iso3, iso3_to_iso2
from gbvs.errors import InputError
from gbvs.signals import stix
from gbvs.signals.markings import STIX_TLP_MARKINGS, Classification, Distribution, Tlp
from gbvs.signals.model import SignalDraft, SignalKind

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
_BUNDLE_HEAD = '{"type": "bundle", "id": "bundle--6b2a4f0e-6b8e-4d0c-9a53-3f4e1d8b9c01", "objects": ['


def _draft(**changes: Any) -> SignalDraft:
    fields: dict[str, Any] = {
        "title": "Spear phishing against a ministry",
        "kind": SignalKind.cyber_operation,
        "observed_on": date(2024, 3, 1),
        "reported_on": date(2024, 3, 4),
        "owner_organisation": "NCTV",
        "tlp": Tlp.amber,
        "distribution": Distribution.all_organisations,
        "actor_countries": ("RUS",),
        "target_countries": ("NLD",),
        "threats": (2,),
        "goals": (6,),
        "reliability": "b",
        "credibility": "2",
        "classification": Classification.departementaal_vertrouwelijk,
    }
    return SignalDraft(**(fields | changes))


def _export(draft: SignalDraft, objects: tuple[dict[str, Any], ...] = ()) -> dict[str, Any]:
    signal = stix.ExportSignal(
        draft, "report--6b2a4f0e-6b8e-4d0c-9a53-3f4e1d8b9c01", "NCTV", NOW, NOW, objects
    )
    return stix.bundle(stix.signal_objects(signal, iso3_to_iso2()))


def test_an_exported_signal_is_valid_stix_with_its_markings() -> None:
    document = _export(_draft())
    stix.validate(document, "export")
    by_type: dict[str, list[dict[str, Any]]] = {}
    for obj in document["objects"]:
        by_type.setdefault(obj["type"], []).append(obj)
    (report,) = by_type["report"]
    assert report["object_marking_refs"][0] == STIX_TLP_MARKINGS[Tlp.amber]
    assert {obj["country"] for obj in by_type["location"]} == {"RU", "NL"}
    names = {obj.get("name") for obj in by_type["marking-definition"]}
    assert names == {"TLP:AMBER", "departementaal_vertrouwelijk"}
    extension = report["extensions"][stix.EXTENSION_ID]
    assert extension["admiralty"] == "B2" and extension["goals"] == [6]
    assert by_type["extension-definition"][0]["id"] == stix.EXTENSION_ID


def test_validation_rejects_a_broken_object_naming_it() -> None:
    document = _export(_draft())
    report = next(obj for obj in document["objects"] if obj["type"] == "report")
    report["id"] = "report--not-a-uuid"
    with pytest.raises(InputError, match="report--not-a-uuid"):
        stix.validate(document, "export")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("{not json", "not JSON"),
        ('{"type": "indicator"}', "expected a STIX bundle"),
        (
            '{"type": "bundle", "id": "bundle--6b2a4f0e-6b8e-4d0c-9a53-3f4e1d8b9c01", "objects": []}',
            "no objects",
        ),
        ("[1, 2]", "found 'list'"),
        (
            _BUNDLE_HEAD + '{"type": "note", "x": ' + "[" * 100_000 + "]" * 100_000 + "}]}",
            "nested too deeply",
        ),
        (_BUNDLE_HEAD + "1, 2]}", r"object 1 \(1\) is not a STIX object"),
        (
            _BUNDLE_HEAD + '{"id": "note--6b2a4f0e-6b8e-4d0c-9a53-3f4e1d8b9c01"}]}',
            "object 1 .* with a 'type'",
        ),
        (_BUNDLE_HEAD[:-1] + '{"a": 1}}', "'objects' is a dict, not a list"),
        (_BUNDLE_HEAD + '{"type": "note", "id": 7}]}', "object 1 .* and an 'id'"),
    ],
)
def test_malformed_bundles_get_a_clear_error(text: str, problem: str) -> None:
    with pytest.raises(InputError, match=problem):
        stix.read_bundle(text, "upload.json")


def test_an_oversized_bundle_is_refused_before_parsing() -> None:
    with pytest.raises(InputError, match="split it"):
        stix.read_bundle(b" " * (stix.MAX_BUNDLE_BYTES + 1), "huge.json")


def test_a_bundle_of_too_many_objects_is_refused_before_validating() -> None:
    """Validating takes about 3 ms an object: 20,000 objects (4 MB) kept the command busy a minute."""
    note = '{"type": "note", "id": "note--6b2a4f0e-6b8e-4d0c-9a53-3f4e1d8b9c01"}'
    text = _BUNDLE_HEAD + ", ".join([note] * (stix.MAX_BUNDLE_OBJECTS + 1)) + "]}"
    with pytest.raises(InputError, match="10,001 objects; bundles of up to 10,000 objects"):
        stix.read_bundle(text, "many.json")


def test_a_tlp_marking_the_bundle_defines_under_its_own_id_counts() -> None:
    """A marking definition with the TLP 2.0 extension under an id other than OASIS's passes the
    validator; the bundle was read as unmarked, so `--tlp clear` imported a TLP:RED bundle as CLEAR."""
    own_red = "marking-definition--0f2c1e9a-5d3b-4c7e-8a1f-2b3c4d5e6f70"
    document = _export(_draft(tlp=Tlp.green, classification=Classification.ongerubriceerd))
    for obj in document["objects"]:
        if obj["type"] == "report":
            obj["object_marking_refs"] = [own_red]
    document["objects"].append(
        {
            "type": "marking-definition",
            "spec_version": "2.1",
            "id": own_red,
            "created": stix.TLP2_CREATED,
            "name": "TLP:RED",
            "extensions": {stix.TLP2_EXTENSION: {"extension_type": "property-extension", "tlp_2_0": "red"}},
        }
    )
    stix.validate(document, "own-red.json")
    assert stix.bundle_tlp(document["objects"]) is Tlp.red
    with pytest.raises(InputError, match="marked TLP:RED; importing it as TLP:CLEAR would lower"):
        stix.draft_from_bundle(
            document,
            label="own-red.json",
            owner_organisation="MIVD",
            reported_on=date(2026, 12, 1),
            tlp=Tlp.clear,
            distribution=Distribution.public,
        )


def _examples(mirror: Path) -> list[Path]:
    folder = mirror / "signals" / "stix" / "oasis-examples"
    return sorted(path for path in folder.rglob("*.json") if json.loads(path.read_text())["type"] == "bundle")


@pytest.mark.integration
def test_oasis_examples_round_trip_through_import_and_export(mirror: Path) -> None:
    examples = _examples(mirror)
    assert len(examples) >= 18
    for path in examples:
        document = stix.read_bundle(path.read_bytes(), path.name)
        marked = stix.bundle_tlp(document["objects"])
        level = marked or Tlp.green
        draft, objects = stix.draft_from_bundle(
            document,
            label=path.name,
            owner_organisation="MIVD",
            reported_on=date(2026, 12, 1),
            tlp=None if marked else Tlp.green,
            iso3=iso2_to_iso3(),
            distribution=Distribution.public if level is Tlp.clear else Distribution.organisation,
            red_recipients=("mivd.analyst",) if level is Tlp.red else (),
        )
        assert draft.tlp is level
        exported = _export(draft, objects)
        stix.validate(exported, f"export of {path.name}")
        out = {obj["id"]: obj for obj in exported["objects"]}
        assert stix.dangling(exported["objects"], stix.PREDEFINED) == [], path.name
        for obj in objects:
            shown = out[obj["id"]]
            if obj["type"] == "marking-definition":  # the bundle's own, as it came
                assert shown == obj, f"{path.name}: {obj['id']} changed on the way through"
                continue
            assert _unmarked(shown) == _unmarked(obj), f"{path.name}: {obj['id']} changed on the way through"
            kept = set(obj.get("object_marking_refs", [])) - set(STIX_TLP_MARKINGS.values())
            assert kept <= set(shown["object_marking_refs"]), f"{path.name}: {obj['id']} lost a marking"
            shown_level = stix.bundle_tlp([shown])
            assert shown_level is not None and shown_level.rank >= level.rank, f"{path.name}: {obj['id']}"


def _unmarked(obj: dict[str, Any]) -> dict[str, Any]:
    """``obj`` without its markings (an export raises those to its signal's)."""
    return {
        key: value for key, value in obj.items() if key not in ("object_marking_refs", "granular_markings")
    }


@pytest.mark.integration
def test_a_marked_bundle_keeps_its_marking_and_cannot_be_lowered(mirror: Path) -> None:
    path = mirror / "signals/stix/oasis-examples/cti-documentation/using-marking-definitions.json"
    document = stix.read_bundle(path.read_bytes(), path.name)
    marked = stix.bundle_tlp(document["objects"])
    assert marked is not None
    draft, _ = stix.draft_from_bundle(
        document,
        label=path.name,
        owner_organisation="MIVD",
        reported_on=date(2026, 12, 1),
        tlp=None,
        distribution=Distribution.organisation if marked is not Tlp.clear else Distribution.public,
        red_recipients=("mivd.analyst",) if marked is Tlp.red else (),
    )
    assert draft.tlp is marked
    if marked.rank > 0:
        with pytest.raises(InputError, match="would lower the marking"):
            stix.draft_from_bundle(
                document,
                label=path.name,
                owner_organisation="MIVD",
                reported_on=date(2026, 12, 1),
                tlp=Tlp.clear,
                distribution=Distribution.public,
            )


def test_an_unmarked_bundle_needs_an_explicit_tlp() -> None:
    document = _export(_draft())
    unmarked = {
        **document,
        "objects": [
            {key: value for key, value in obj.items() if key != "object_marking_refs"}
            for obj in document["objects"]
            if obj["type"] not in ("marking-definition",)
        ],
    }
    with pytest.raises(InputError, match="carries no TLP marking"):
        stix.draft_from_bundle(
            unmarked,
            label="x.json",
            owner_organisation="MIVD",
            reported_on=date(2026, 12, 1),
            tlp=None,
            distribution=Distribution.all_organisations,
        )


def test_a_case_exports_as_a_misp_event_that_pymisp_loads() -> None:
    from pymisp import MISPEvent

    from gbvs.signals.misp import misp_event

    drafts = [_draft(), _draft(title="Second signal", tlp=Tlp.green, references=())]
    text = misp_event("Case: phishing wave", drafts, on=date(2026, 12, 1))
    event = MISPEvent()
    event.load(text)
    assert event.info == "Case: phishing wave"
    assert "tlp:amber" in {tag.name for tag in event.tags}
    texts = [attribute.value for attribute in event.attributes if attribute.type == "text"]
    assert len(texts) == 2 and texts[1] == "Second signal"
    first_tags = {tag.name for tag in event.attributes[0].tags}
    assert 'admiralty-scale:source-reliability="b"' in first_tags


def test_a_brought_object_leaves_marked_at_least_as_its_signal_never_lower() -> None:
    """Below the signal's TLP (also a granular marking) it is raised; above, it stays; other markings
    stay, and the signal's classification is added."""
    statement = "marking-definition--0f2c1e9a-5d3b-4c7e-8a1f-2b3c4d5e6f71"
    tool = {
        "type": "tool",
        "spec_version": "2.1",
        "id": "tool--0f2c1e9a-5d3b-4c7e-8a1f-2b3c4d5e6f72",
        "created": "2024-03-01T00:00:00.000Z",
        "modified": "2024-03-01T00:00:00.000Z",
        "name": "nachtvlinder",
        "description": "loader",
        "object_marking_refs": [STIX_TLP_MARKINGS[Tlp.green], statement],
        "granular_markings": [{"marking_ref": STIX_TLP_MARKINGS[Tlp.clear], "selectors": ["description"]}],
    }
    classified = stix.classification_marking(Classification.departementaal_vertrouwelijk)["id"]
    markings = [STIX_TLP_MARKINGS[Tlp.amber], classified]
    raised = stix.at_least(tool, Tlp.amber, markings)
    assert raised["object_marking_refs"] == [statement, STIX_TLP_MARKINGS[Tlp.amber], classified]
    assert raised["granular_markings"] == [
        {"marking_ref": STIX_TLP_MARKINGS[Tlp.amber], "selectors": ["description"]}
    ]
    red = dict(tool, object_marking_refs=[STIX_TLP_MARKINGS[Tlp.red]], granular_markings=[])
    assert stix.at_least(red, Tlp.amber, markings)["object_marking_refs"] == [
        STIX_TLP_MARKINGS[Tlp.red],
        classified,
    ]


def test_an_imported_bundle_keeps_its_classification_and_state_secrets_are_refused() -> None:
    """A bundle marked Departementaal Vertrouwelijk (GBVS's statement marking, or another system's)
    was imported as 'ongerubriceerd', and one marked Stg. Geheim was stored in GBVS."""
    exported = _export(_draft())  # departementaal_vertrouwelijk, TLP:AMBER
    for obj in exported["objects"]:
        if obj["type"] == "report":
            obj["id"] = "report--0f2c1e9a-5d3b-4c7e-8a1f-2b3c4d5e6f73"
    options: dict[str, Any] = {
        "owner_organisation": "MIVD",
        "reported_on": date(2026, 12, 1),
        "tlp": None,
        "distribution": Distribution.organisation,
    }
    draft, _ = stix.draft_from_bundle(exported, label="dv.json", **options)
    assert draft.classification is Classification.departementaal_vertrouwelijk
    secret = "marking-definition--0f2c1e9a-5d3b-4c7e-8a1f-2b3c4d5e6f74"
    exported["objects"][0]["object_marking_refs"] = [secret]
    exported["objects"].append(
        {
            "type": "marking-definition",
            "spec_version": "2.1",
            "id": secret,
            "created": "2024-03-01T00:00:00.000Z",
            "definition_type": "statement",
            "definition": {"statement": "Stg. Geheim"},
        }
    )
    stix.validate(exported, "geheim.json")
    with pytest.raises(
        InputError, match=r"geheim\.json: classification .stg_geheim. is above what GBVS may hold"
    ):
        stix.draft_from_bundle(exported, label="geheim.json", **options)


_INDICATOR = {
    "type": "indicator",
    "spec_version": "2.1",
    "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
    "created": "2024-01-01T00:00:00.000Z",
    "modified": "2024-01-01T00:00:00.000Z",
    "name": "C2 server",
    "pattern": "[ipv4-addr:value = '192.0.2.1']",
    "pattern_type": "stix",
    "valid_from": "2024-01-01T00:00:00Z",
    "object_marking_refs": [STIX_TLP_MARKINGS[Tlp.amber]],
}


def test_one_version_of_an_object_with_two_contents_is_refused() -> None:
    """A crafted bundle held one id in one version (``modified``) twice, with other content: both were
    stored, and an export kept whichever came last (the amber indicator gave way to a CLEAR one)."""
    other = _INDICATOR | {"pattern": "[ipv4-addr:value = '198.51.100.6']"}
    other["object_marking_refs"] = [STIX_TLP_MARKINGS[Tlp.clear]]
    twice = {
        "type": "bundle",
        "id": "bundle--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd30",
        "objects": [_INDICATOR, other],
    }
    with pytest.raises(InputError, match=rf"x.json: object {_INDICATOR['id']} appears twice in version"):
        stix.read_bundle(json.dumps(twice), "x.json")
    later = other | {"modified": "2024-02-01T00:00:00.000Z"}  # two versions: fine, the newest is exported
    same = dict(_INDICATOR)  # the same version twice, identical: fine
    for objects in ([_INDICATOR, later], [_INDICATOR, same]):
        stix.read_bundle(json.dumps(twice | {"objects": objects}), "x.json")


def test_changing_one_export_does_not_change_the_next() -> None:
    """An export handed out GBVS's identity and extension definition themselves, not copies: a caller
    that marked its bundle's extension definition marked it in every later export (and a later import
    of such an export was refused for a reference to a marking it did not hold)."""
    fixed = {stix.EXTENSION_ID, stix.GBVS_IDENTITY["id"]}
    first = _export(_draft())
    for obj in first["objects"]:
        if obj["id"] in fixed:
            obj["object_marking_refs"] = ["marking-definition--0f2c1e9a-5d3b-4c7e-8a1f-2b3c4d5e6f75"]
    later = _export(_draft())
    made = [obj for obj in later["objects"] if obj["id"] in fixed]
    assert len(made) == 2 and not any("object_marking_refs" in obj for obj in made), made
    stix.validate(later, "later")


def test_two_exports_of_the_same_objects_have_the_same_bundle_id() -> None:
    """Each export makes its own provenance note (a new id, its own time); the bundle's id, derived from
    its objects' ids, took the note's id in and so differed in every export of the same signals."""
    objects = stix.signal_objects(
        stix.ExportSignal(_draft(), "report--6b2a4f0e-6b8e-4d0c-9a53-3f4e1d8b9c01", "NCTV", NOW, NOW, ()),
        iso3_to_iso2(),
    )
    report = "report--6b2a4f0e-6b8e-4d0c-9a53-3f4e1d8b9c01"
    bundles = [
        stix.bundle([*objects, *stix.provenance_objects([("exported by", who)], at, [report], objects)])
        for who, at in (("'ann'", NOW), ("'bob'", datetime(2026, 12, 7, 10, 0, tzinfo=UTC)))
    ]
    notes = [[obj["id"] for obj in b["objects"] if stix.is_export_note(obj)] for b in bundles]
    assert notes[0] != notes[1] and all(len(ids) == 1 for ids in notes)
    assert bundles[0]["id"] == bundles[1]["id"]
    other = stix.ExportSignal(_draft(), "report--0d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "NCTV", NOW, NOW, ())
    assert stix.bundle(stix.signal_objects(other, iso3_to_iso2()))["id"] != bundles[0]["id"]
