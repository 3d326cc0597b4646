"""A poll's definition: where its respondent file is, how it was sampled, its weight and its questions.

Written as YAML (the shipped ones are in ``data/polls/``; a user can give their own beside a
``.csv``, ``.sav`` or ``.dta`` file). Each question names its column, its text and the labels of
its answer codes in Dutch and English, and the codes that are not an answer (dropped from the base).

A question asked over several waves names under ``wording`` what each wave asked, as far as the
sources show it: the item's ``label`` in the source file, its ``text`` when known (unknown otherwise),
and ``comparable: false`` with a ``reason`` in Dutch and English where the wave asked something else
(Eurobarometer 1996 asked whether people *rely on* parliament, not whether they *trust* it). A wave
the definition says nothing about has comparability *unknown*.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import yaml

from gbvs.errors import InputError, NotFoundError, said
from gbvs.opinion.estimates import SampleKind
from gbvs.opinion.yaml_text import load_yaml

FORMATS = ("csv", "sav", "dta")


class Comparability(StrEnum):
    """Whether a wave asked the same as the other waves of its trend."""

    comparable = "comparable"
    not_comparable = "not comparable"
    unknown = "unknown"


UNKNOWN_REASON = (
    "de formulering van deze golf staat niet in de peilingdefinitie",
    "the wording of this wave is not recorded in the poll definition",
)


@dataclass(frozen=True)
class WaveWording:
    """What one wave asked: the item's label in the source file and its question text, each ``None``
    when the sources do not show it, and whether it is comparable with the other waves (and why not)."""

    wave: str
    label: str | None = None
    text: str | None = None
    status: Comparability = Comparability.unknown
    reason_nl: str = UNKNOWN_REASON[0]
    reason_en: str = UNKNOWN_REASON[1]

    def reason(self, language: str) -> str:
        """Why the wave is not (or not known to be) comparable, in ``language``; empty when it is."""
        return self.reason_en if language == "en" else self.reason_nl


@dataclass(frozen=True)
class Question:
    """One question: its column, text and answer labels (code -> (nl, en)), and per wave its wording."""

    id: str
    column: str
    text_nl: str
    text_en: str
    answers: Mapping[str, tuple[str, str]]
    missing: tuple[str, ...] = ()
    wording: Mapping[str, WaveWording] = field(default_factory=dict)

    def wave_wording(self, wave: str) -> WaveWording:
        """What wave ``wave`` (its code in the file) asked; comparability unknown when not recorded."""
        return self.wording.get(wave) or WaveWording(wave)

    def text(self, language: str) -> str:
        """The question text in ``language``."""
        return self.text_en if language == "en" else self.text_nl

    def answer_label(self, code: str, language: str) -> str:
        """The label of answer ``code`` (the code itself when it has none)."""
        labels = self.answers.get(code)
        return code if labels is None else labels[1 if language == "en" else 0]


@dataclass(frozen=True)
class PollDefinition:
    """A respondent-level poll: file, format, sample kind, weight, breakdowns and questions."""

    id: str
    title_nl: str
    title_en: str
    citation: str
    licence: str
    fieldwork: str
    file: str
    format: str
    sha256: str | None
    sample_kind: SampleKind
    weight: str | None
    wave: str | None
    wave_labels: Mapping[str, str]
    filters: Mapping[str, str]
    groups: Mapping[str, tuple[str, str]]
    questions: tuple[Question, ...]

    def title(self, language: str) -> str:
        """The poll's title in ``language``."""
        return self.title_en if language == "en" else self.title_nl

    def question(self, question_id: str) -> Question:
        """The question called ``question_id``."""
        for question in self.questions:
            if question.id == question_id:
                return question
        raise NotFoundError(
            said(
                "poll %(poll)s has no question %(question)s; use one of %(choices)s",
                poll=repr(self.id),
                question=repr(question_id),
                choices=[q.id for q in self.questions],
            )
        )


def _labels(value: Any, where: str) -> tuple[str, str]:
    if isinstance(value, str):
        return value, value
    if not isinstance(value, Mapping) or "nl" not in value or "en" not in value:
        raise InputError(
            said(
                "%(where)s: give a label as text or as {nl: ..., en: ...}, not %(value)s",
                where=where,
                value=repr(value),
            )
        )
    return str(value["nl"]), str(value["en"])


def _wave_wording(wave: str, entry: Any, where: str) -> WaveWording:
    if not isinstance(entry, Mapping):
        raise InputError(
            said(
                "%(where)s, wave %(wave)s: give {label: ..., text: ..., comparable: ..., reason: ...}, "
                "not %(entry)s",
                where=where,
                wave=repr(wave),
                entry=repr(entry),
            )
        )
    comparable = entry.get("comparable", True)
    if not isinstance(comparable, bool):
        raise InputError(
            said(
                "%(where)s, wave %(wave)s: comparable is %(value)s; write true or false",
                where=where,
                wave=repr(wave),
                value=repr(comparable),
            )
        )
    label = None if entry.get("label") is None else str(entry["label"])
    text = None if entry.get("text") is None else str(entry["text"])
    if comparable:
        return WaveWording(wave, label, text, Comparability.comparable, "", "")
    if "reason" not in entry:
        raise InputError(
            said(
                "%(where)s, wave %(wave)s is marked comparable: false without a reason; "
                "add reason: {nl: ..., en: ...} saying what this wave asked instead",
                where=where,
                wave=repr(wave),
            )
        )
    reason = _labels(entry["reason"], f"{where}, wave {wave!r}, reason")
    return WaveWording(wave, label, text, Comparability.not_comparable, reason[0], reason[1])


def _wording(entry: Mapping[str, Any], waves: Mapping[str, str], where: str) -> dict[str, WaveWording]:
    given = entry.get("wording") or {}
    if not isinstance(given, Mapping):
        raise InputError(
            said(
                "%(where)s: 'wording' maps each wave code to its wording, not %(value)s",
                where=where,
                value=repr(given),
            )
        )
    unknown = sorted(str(code) for code in given if str(code) not in waves)
    if unknown:
        raise InputError(
            said(
                "%(where)s: wording for waves %(unknown)s that the poll does not list under 'waves' "
                "(%(waves)s); use the wave codes of the file",
                where=where,
                unknown=unknown,
                waves=sorted(waves),
            )
        )
    return {str(code): _wave_wording(str(code), value, where) for code, value in given.items()}


def _question(entry: Mapping[str, Any], where: str, waves: Mapping[str, str]) -> Question:
    qid = str(entry.get("id") or "")
    if not qid:
        raise InputError(said("%(where)s: every question needs an 'id'", where=where))
    text = _labels(entry.get("text"), f"{where}, question {qid!r}, text")
    answers = {
        str(code): _labels(label, f"{where}, question {qid!r}")
        for code, label in (entry.get("answers") or {}).items()
    }
    return Question(
        qid,
        str(entry.get("column") or qid),
        text[0],
        text[1],
        answers,
        tuple(str(m) for m in entry.get("missing", ())),
        _wording(entry, waves, f"{where}, question {qid!r}"),
    )


def parse_definition(document: Mapping[str, Any], where: str) -> PollDefinition:
    """A poll definition from parsed YAML, with messages that name the field to fix."""
    missing = [key for key in ("id", "title", "file", "sample_kind", "questions") if key not in document]
    if missing:
        raise InputError(
            said(
                "poll definition %(where)s lacks %(missing)s; see the shipped ones in "
                "gbvs/opinion/data/polls/",
                where=where,
                missing=missing,
            )
        )
    fmt = str(document.get("format") or str(document["file"]).rsplit(".", 1)[-1]).lower()
    if fmt not in FORMATS:
        raise InputError(
            said(
                "poll definition %(where)s: format %(format)s is not supported; use one of %(formats)s",
                where=where,
                format=repr(fmt),
                formats=FORMATS,
            )
        )
    try:
        kind = SampleKind(document["sample_kind"])
    except ValueError:
        raise InputError(
            said(
                "poll definition %(where)s: sample_kind %(kind)s; use 'probability' or 'nonprobability'",
                where=where,
                kind=repr(document["sample_kind"]),
            )
        ) from None
    title = _labels(document["title"], f"{where}, title")
    waves = {str(k): str(v) for k, v in (document.get("waves") or {}).items()}
    return PollDefinition(
        id=str(document["id"]),
        title_nl=title[0],
        title_en=title[1],
        citation=str(document.get("citation", "")),
        licence=str(document.get("licence", "")),
        fieldwork=str(document.get("fieldwork") or ""),
        file=str(document["file"]),
        format=fmt,
        sha256=document.get("sha256"),
        sample_kind=kind,
        weight=document.get("weight"),
        wave=document.get("wave"),
        wave_labels=waves,
        filters={str(k): str(v) for k, v in (document.get("filters") or {}).items()},
        groups={
            str(k): _labels(v, f"{where}, group {k!r}") for k, v in (document.get("groups") or {}).items()
        },
        questions=tuple(_question(entry, where, waves) for entry in document["questions"]),
    )


def load_definition_text(text: str, where: str) -> PollDefinition:
    """A poll definition from YAML text."""
    try:
        document = load_yaml(text)
    except yaml.YAMLError as exc:
        raise InputError(
            said("poll definition %(where)s is not valid YAML: %(problem)s", where=where, problem=exc)
        ) from None
    if not isinstance(document, Mapping):
        raise InputError(
            said(
                "poll definition %(where)s must be a mapping (id, title, file, sample_kind, questions)",
                where=where,
            )
        )
    return parse_definition(document, where)
