"""A STIX import links the ATT&CK ids of the bundle's attack patterns to the known techniques, and names
every id it does not link (unknown or retired) instead of dropping it silently."""

from __future__ import annotations

import json
import uuid
from datetime import date
from typing import Any

from gbvs.signals import stix
from gbvs.signals.known import technique_names
from gbvs.signals.markings import Distribution, Tlp

CREATED = "2024-03-01T00:00:00.000Z"


def _pattern(name: str, *ids: str, **extra: Any) -> dict[str, Any]:
    references = [{"source_name": "mitre-attack", "external_id": one} for one in ids]
    references.append({"source_name": "capec", "external_id": "CAPEC-163"})
    return {
        "type": "attack-pattern",
        "spec_version": "2.1",
        "id": f"attack-pattern--{uuid.uuid4()}",
        "created": CREATED,
        "modified": CREATED,
        "name": name,
        "external_references": references,
        **extra,
    }


def _draft_of(*objects: dict[str, Any]) -> tuple[Any, tuple[dict[str, Any], ...]]:
    text = json.dumps({"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": list(objects)})
    return stix.draft_from_bundle(
        stix.read_bundle(text, "phishing.json"),
        label="phishing.json",
        owner_organisation="NCTV",
        reported_on=date(2026, 12, 1),
        tlp=Tlp.green,
        distribution=Distribution.organisation,
        techniques=technique_names(None),
    )


def test_attack_ids_of_attack_patterns_link_the_known_techniques() -> None:
    phishing = _pattern("Phishing", "T1566")
    attachment = _pattern("Spearphishing Attachment", "t1566.001")
    draft, _objects = _draft_of(phishing, attachment)
    assert draft.techniques == ("T1566", "T1566.001")
    assert technique_names(None)["T1566.001"] == "Spearphishing Attachment"


def test_an_unknown_or_retired_id_is_named_and_not_linked() -> None:
    known = _pattern("Phishing", "T1566")
    unknown = _pattern("Made up", "T9999.999")
    retired = _pattern("Old phishing", "T1193", revoked=True)
    deprecated = _pattern("Deprecated", "T1566.002", x_mitre_deprecated=True)
    draft, objects = _draft_of(known, unknown, retired, deprecated)
    assert draft.techniques == ("T1566",)
    found = stix.attack_ids(objects, technique_names(None))
    assert found.unlinked == (
        stix.UnlinkedTechnique(unknown["id"], "T9999.999", retired=False),
        stix.UnlinkedTechnique(retired["id"], "T1193", retired=True),
        stix.UnlinkedTechnique(deprecated["id"], "T1566.002", retired=True),
    )


def test_a_bundle_without_attack_ids_links_no_technique() -> None:
    draft, objects = _draft_of(_pattern("Phishing"))
    assert draft.techniques == () and stix.attack_ids(objects, technique_names(None)).unlinked == ()
