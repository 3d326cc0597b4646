"""Published poll results without microdata (e.g. the SAMR flash poll of annex 2), kept as tables.

They are shown as published, with their n, method and a caveat, and never with an interval: without
respondent-level data the weighting and design are unknown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from gbvs.errors import InputError
from gbvs.opinion.estimates import SampleKind

SHIPPED = ("samr_flitspeiling_2017.yaml",)


@dataclass(frozen=True)
class PublishedResult:
    """One published percentage with its base."""

    id: str
    question_nl: str
    question_en: str
    n: int
    percent: float
    note_nl: str = ""
    note_en: str = ""


@dataclass(frozen=True)
class AggregatePoll:
    """A published poll: who was asked how, the caveat, and its results."""

    id: str
    title_nl: str
    title_en: str
    producer: str
    fieldwork: str
    method_nl: str
    method_en: str
    sample_kind: SampleKind
    caveat_nl: str
    caveat_en: str
    source: str
    results: tuple[PublishedResult, ...]

    def result(self, result_id: str) -> PublishedResult:
        """The result called ``result_id``."""
        for found in self.results:
            if found.id == result_id:
                return found
        raise InputError(
            f"poll {self.id!r} has no result {result_id!r}; use one of {[r.id for r in self.results]}"
        )


def _result(entry: Mapping[str, Any], where: str) -> PublishedResult:
    n, percent = int(entry["n"]), float(entry["percent"])
    if n <= 0 or not 0 <= percent <= 100:
        raise InputError(f"{where}: result {entry.get('id')!r} needs n > 0 and a percent in 0-100")
    note = entry.get("note") or {}
    return PublishedResult(
        str(entry["id"]),
        entry["question"]["nl"],
        entry["question"]["en"],
        n,
        percent,
        note.get("nl", ""),
        note.get("en", ""),
    )


def parse_aggregate(document: Mapping[str, Any], where: str) -> AggregatePoll:
    """An aggregate poll from its parsed YAML."""
    try:
        return AggregatePoll(
            id=str(document["id"]),
            title_nl=document["title"]["nl"],
            title_en=document["title"]["en"],
            producer=str(document["producer"]),
            fieldwork=str(document["fieldwork"]),
            method_nl=document["method"]["nl"],
            method_en=document["method"]["en"],
            sample_kind=SampleKind(document["sample_kind"]),
            caveat_nl=document["caveat"]["nl"],
            caveat_en=document["caveat"]["en"],
            source=str(document["source"]),
            results=tuple(_result(entry, where) for entry in document["results"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(
            f"{where}: aggregate poll is missing or has a wrong field ({exc}); see {SHIPPED[0]}"
        ) from None


def shipped_aggregates() -> tuple[AggregatePoll, ...]:
    """The published polls GBVS ships (the SAMR flash poll of the GBVS 2018-2022)."""
    folder = resources.files("gbvs.opinion.data")
    return tuple(
        parse_aggregate(yaml.safe_load(folder.joinpath(name).read_text(encoding="utf-8")), name)
        for name in SHIPPED
    )
