"""What a new signal is checked against, the same for the form, the API and ``gbvs signals create``:
the strategy's threats and goals, the countries GBVS knows, and the DISARM and ATT&CK techniques of
the MISP galaxies plus, when there is a data mirror, its newer STIX bundles
(:mod:`gbvs.signals.techniques`). Built once per mirror."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from gbvs.countries.matching import iso3_to_iso2
from gbvs.signals.form import Vocabulary
from gbvs.signals.techniques import MIRROR_BUNDLES, bundle_technique_names, galaxy_technique_names
from gbvs.strategy import load_strategy


@cache
def vocabulary(mirror: Path | None) -> Vocabulary:
    """The vocabulary of a new signal, with the technique bundles of ``mirror`` (if any)."""
    strategy = load_strategy()
    return Vocabulary(
        threats=frozenset(threat.number for threat in strategy.threats),
        goals=frozenset(goal.number for goal in strategy.goals),
        countries=frozenset(iso3_to_iso2()),
        techniques=frozenset(technique_names(mirror)),
    )


@cache
def technique_names(mirror: Path | None) -> dict[str, str]:
    """The name of each DISARM and ATT&CK technique by id: the galaxies', the mirror's newer where it
    has one (English: DISARM and MITRE publish no Dutch names)."""
    return galaxy_technique_names() | _mirror_technique_names(mirror)


def _mirror_technique_names(mirror: Path | None) -> dict[str, str]:
    if mirror is None:
        return {}
    found: dict[str, str] = {}
    for name in MIRROR_BUNDLES:
        path = mirror / name
        if path.is_file():
            found |= bundle_technique_names(json.loads(path.read_bytes()))
    return found
