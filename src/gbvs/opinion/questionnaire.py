"""A poll's definition: where its respondent file is, how it was sampled, its weight and its questions.

Written as YAML (the shipped ones are in ``data/polls/``; a user can give their own beside a
``.csv``, ``.sav`` or ``.dta`` file). Each question names its column, its text and the labels of
its answer codes in Dutch and English, and the codes that are not an answer (dropped from the base).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from gbvs.errors import InputError, NotFoundError
from gbvs.opinion.estimates import SampleKind
from gbvs.opinion.yaml_text import load_yaml

FORMATS = ("csv", "sav", "dta")


@dataclass(frozen=True)
class Question:
    """One question: its column, text and answer labels (code -> (nl, en))."""

    id: str
    column: str
    text_nl: str
    text_en: str
    answers: Mapping[str, tuple[str, str]]
    missing: tuple[str, ...] = ()

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
            f"poll {self.id!r} has no question {question_id!r}; use one of {[q.id for q in self.questions]}"
        )


def _labels(value: Any, where: str) -> tuple[str, str]:
    if isinstance(value, str):
        return value, value
    if not isinstance(value, Mapping) or "nl" not in value or "en" not in value:
        raise InputError(f"{where}: give a label as text or as {{nl: ..., en: ...}}, not {value!r}")
    return str(value["nl"]), str(value["en"])


def _question(entry: Mapping[str, Any], where: str) -> Question:
    qid = str(entry.get("id") or "")
    if not qid:
        raise InputError(f"{where}: every question needs an 'id'")
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
    )


def parse_definition(document: Mapping[str, Any], where: str) -> PollDefinition:
    """A poll definition from parsed YAML, with messages that name the field to fix."""
    missing = [key for key in ("id", "title", "file", "sample_kind", "questions") if key not in document]
    if missing:
        raise InputError(
            f"poll definition {where} lacks {missing}; see the shipped ones in gbvs/opinion/data/polls/"
        )
    fmt = str(document.get("format") or str(document["file"]).rsplit(".", 1)[-1]).lower()
    if fmt not in FORMATS:
        raise InputError(f"poll definition {where}: format {fmt!r} is not supported; use one of {FORMATS}")
    try:
        kind = SampleKind(document["sample_kind"])
    except ValueError:
        raise InputError(
            f"poll definition {where}: sample_kind {document['sample_kind']!r}; "
            "use 'probability' or 'nonprobability'"
        ) from None
    title = _labels(document["title"], f"{where}, title")
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
        wave_labels={str(k): str(v) for k, v in (document.get("waves") or {}).items()},
        filters={str(k): str(v) for k, v in (document.get("filters") or {}).items()},
        groups={
            str(k): _labels(v, f"{where}, group {k!r}") for k, v in (document.get("groups") or {}).items()
        },
        questions=tuple(_question(entry, where) for entry in document["questions"]),
    )


def load_definition_text(text: str, where: str) -> PollDefinition:
    """A poll definition from YAML text."""
    try:
        document = load_yaml(text)
    except yaml.YAMLError as exc:
        raise InputError(f"poll definition {where} is not valid YAML: {exc}") from None
    if not isinstance(document, Mapping):
        raise InputError(
            f"poll definition {where} must be a mapping (id, title, file, sample_kind, questions)"
        )
    return parse_definition(document, where)
