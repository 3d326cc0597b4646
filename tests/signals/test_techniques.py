"""Technique ids are checked against DISARM and MITRE ATT&CK: the MISP galaxies always, and the
mirror's STIX bundles (DISARM 2025, ATT&CK for ICS v18.1) when the mirror is there."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from gbvs.errors import InputError
from gbvs.signals.form import Vocabulary, parse_signal
from gbvs.signals.techniques import (
    EXAMPLE_DISARM,
    MIRROR_BUNDLES,
    bundle_techniques,
    check_techniques,
    galaxy_technique_names,
    galaxy_techniques,
)

FIELDS = {"title": ["t"], "kind": ["cyber_operation"], "tlp": ["amber"], "distribution": ["organisation"]}


def test_the_galaxies_know_enterprise_attack_and_disarm() -> None:
    known = galaxy_techniques()
    assert {"T1566", "T1566.001", "T0002"} <= known
    assert check_techniques([" t1566 ", "T0002"], known) == ("T1566", "T0002")
    with pytest.raises(InputError, match=r"unknown technique id\(s\) T9999, BOGUS"):
        check_techniques(["T9999", "bogus"], known)


@pytest.mark.integration
def test_the_mirror_bundles_add_current_disarm_and_ics_techniques(mirror: Path) -> None:
    disarm, ics = (bundle_techniques(json.loads((mirror / name).read_bytes())) for name in MIRROR_BUNDLES)
    assert len(disarm) == 391 and "T0097.101" in disarm
    assert "T0817" in ics and all(value.startswith("T08") for value in ics)
    assert "T0817" not in galaxy_techniques(), "the galaxies lack ICS ids: the mirror is needed for them"


def test_a_form_names_the_unknown_technique() -> None:
    known = Vocabulary(threats={1}, goals={1}, countries={"NLD"}, techniques=galaxy_techniques())
    parsed = parse_signal(
        FIELDS | {"techniques": ["T1566, T9999"]}, owner="BZ", today=date(2024, 1, 1), known=known
    )
    assert [(error.field, "T9999" in error.message) for error in parsed.errors] == [("techniques", True)]
    good = parse_signal(FIELDS | {"techniques": ["t1566"]}, owner="BZ", today=date(2024, 1, 1), known=known)
    assert good.draft is not None and good.draft.techniques == ("T1566",)


def test_the_ids_the_refusal_offers_as_examples_are_accepted() -> None:
    """A user who copies the example of the refusal gets a signal, not the same refusal (T0019 was
    offered, and DISARM retired it)."""
    known = galaxy_techniques()
    with pytest.raises(InputError) as refusal:
        check_techniques(["T9999"], known)
    examples = re.findall(r"\((?:ICS )?(T\d{4}(?:\.\d{3})?)", str(refusal.value))
    examples += re.findall(r"\b(T\d{4}\.\d{3})\b", str(refusal.value))
    galaxy_examples = [value for value in dict.fromkeys(examples) if value != "T0817"]  # ICS: the mirror's
    assert galaxy_examples and set(galaxy_examples) <= known, galaxy_examples


@pytest.mark.integration
def test_the_disarm_example_is_current_in_the_mirror(mirror: Path) -> None:
    disarm = bundle_techniques(json.loads((mirror / MIRROR_BUNDLES[0]).read_bytes()))
    assert EXAMPLE_DISARM in disarm and EXAMPLE_DISARM in galaxy_techniques()


def test_technique_names_come_from_the_galaxies_without_their_id() -> None:
    names = galaxy_technique_names()
    assert names["T1566.001"] == "Spearphishing Attachment"
    assert names["T0002"] == "Facilitate State Propaganda"
