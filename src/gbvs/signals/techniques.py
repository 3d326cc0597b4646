"""Technique ids a signal may name: DISARM (disinformation) and MITRE ATT&CK (Enterprise, Mobile, ICS).

Two kept sources, joined:

- the MISP galaxies shipped in ``pymispgalaxies`` (package data, always there): ATT&CK Enterprise
  and Mobile (``mitre-attack-pattern``) and an older DISARM (``disarm-techniques``). Only these
  cluster files are read (loading every galaxy takes half a minute);
- the STIX 2.1 bundles of the data mirror (``signals/stix/disarm/DISARM.json``, DISARM of 2025, and
  ``signals/stix/mitre-attack/ics-attack.json``, ATT&CK for ICS v18.1), when the edge has a mirror:
  :func:`bundle_techniques` reads their ``attack-pattern`` ids. The galaxies lack 135 of DISARM's
  391 techniques and every ICS id, so a server with the mirror accepts more.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from functools import cache
from importlib import resources
from typing import Any

from gbvs.errors import InputError, said

GALAXIES: tuple[str, ...] = ("disarm-techniques", "mitre-attack-pattern")
MIRROR_BUNDLES: tuple[str, ...] = (
    "signals/stix/disarm/DISARM.json",
    "signals/stix/mitre-attack/ics-attack.json",
)
"""The mirror's technique bundles, relative to the mirror folder."""


def _cluster(name: str) -> dict[str, object]:
    folder = resources.files("pymispgalaxies").joinpath("data", "misp-galaxy", "clusters")
    document: dict[str, object] = json.loads(folder.joinpath(f"{name}.json").read_text(encoding="utf-8"))
    return document


EXAMPLE_DISARM = "T0049"
"""A DISARM id that both the galaxy and the mirror's DISARM know ("Flood Information Space"), for
messages and help texts: DISARM has retired ids (T0019 is gone), so an example must be checked
(``tests/signals/test_techniques.py``)."""


@cache
def galaxy_techniques() -> frozenset[str]:
    """Every DISARM and ATT&CK technique id (``T0049``, ``T1566.001``), upper case."""
    return frozenset(galaxy_technique_names())


@cache
def galaxy_technique_names() -> dict[str, str]:
    """The name of every DISARM and ATT&CK technique of the galaxies, by id (English, as published:
    the galaxies' ``Spearphishing Attachment - T1566.001`` without its id)."""
    names: dict[str, str] = {}
    for name in GALAXIES:
        for value in _cluster(name)["values"]:  # type: ignore[attr-defined]
            external = value.get("meta", {}).get("external_id")
            for item in external if isinstance(external, list) else [external]:
                if isinstance(item, str) and item.upper().startswith("T"):
                    names[item.upper()] = str(value["value"]).removesuffix(f" - {item}").strip()
    return names


@cache
def galaxy_versions() -> dict[str, int]:
    """The version of each galaxy cluster used (provenance of the check)."""
    return {name: int(str(_cluster(name)["version"])) for name in GALAXIES}


@cache
def galaxy_tags() -> dict[str, str]:
    """The MISP galaxy tag of each technique of the galaxies, by id
    (``misp-galaxy:mitre-attack-pattern="Spearphishing Attachment - T1566.001"``), for MISP exports."""
    tags: dict[str, str] = {}
    for name in GALAXIES:
        cluster = _cluster(name)
        for value in cluster["values"]:  # type: ignore[attr-defined]
            external = value.get("meta", {}).get("external_id")
            for item in external if isinstance(external, list) else [external]:
                if isinstance(item, str) and item.upper().startswith("T"):
                    tags[item.upper()] = f'misp-galaxy:{cluster["type"]}="{value["value"]}"'
    return tags


def bundle_techniques(document: dict[str, Any]) -> frozenset[str]:
    """The ids of the current (not revoked, not deprecated) attack patterns of a STIX bundle."""
    return frozenset(bundle_technique_names(document))


def bundle_technique_names(document: dict[str, Any]) -> dict[str, str]:
    """The names of the current (not revoked, not deprecated) attack patterns of a STIX bundle, by id."""
    names: dict[str, str] = {}
    for obj in document.get("objects", []):
        if obj.get("type") != "attack-pattern" or obj.get("revoked") or obj.get("x_mitre_deprecated"):
            continue
        for reference in obj.get("external_references", []):
            external = str(reference.get("external_id", ""))
            if external.upper().startswith("T"):
                names[external.upper()] = str(obj.get("name", ""))
    return names


def check_techniques(ids: Iterable[str], known: Collection[str]) -> tuple[str, ...]:
    """The ids in upper case; an error naming the unknown ones and where ids come from."""
    upper = tuple(dict.fromkeys(value.strip().upper() for value in ids if value.strip()))
    unknown = [value for value in upper if value not in known]
    if unknown:
        raise InputError(
            said(
                "unknown technique id(s) %(unknown)s; use DISARM ids for disinformation (%(example)s) "
                "or MITRE "
                "ATT&CK ids for cyber operations (T1566, T1566.001, ICS T0817)",
                unknown=", ".join(unknown),
                example=EXAMPLE_DISARM,
            )
        )
    return upper
