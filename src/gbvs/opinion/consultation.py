"""Consultation input: the responses file (CSV) and the consultation's description, read without I/O.

Responses CSV, one row per answer: ``respondent, respondent_type, consent, question, text`` and an
optional ``name`` (kept only to remove it from quotes). ``consent`` is yes/no (ja/nee, true/false, 1/0).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import yaml

from gbvs.errors import InputError, said
from gbvs.opinion.csv_hints import EXCEL_CSV, semicolon_hint
from gbvs.opinion.yaml_text import load_yaml

RESPONDENT_TYPES = ("citizen", "business", "ngo_union", "researcher", "government", "other")
COLUMNS = ("respondent", "respondent_type", "consent", "question", "text")
_YES, _NO = {"yes", "ja", "true", "1", "y", "j"}, {"no", "nee", "false", "0", "n", ""}
TEXT_MAX = 50_000
BOM = "\ufeff"


@dataclass(frozen=True)
class ResponseRow:
    """One answer of one respondent."""

    respondent: str
    respondent_type: str
    consent: bool
    question: int
    text: str
    name: str = ""
    line: int = 0
    """The line of the responses file the row starts on (0: not read from a file)."""


@dataclass(frozen=True)
class ConsultationInfo:
    """What a consultation is: slug, title, period and its numbered questions."""

    slug: str
    title: str
    questions: Mapping[int, str]
    description: str = ""
    opened_on: date | None = None
    closed_on: date | None = None
    rows: tuple[ResponseRow, ...] = field(default_factory=tuple)
    responses_sha256: str | None = None
    """SHA-256 of the responses file as read (its bytes), kept for the audited export."""


def _consent(value: str, line: int) -> bool:
    folded = value.strip().lower()
    if folded in _YES:
        return True
    if folded in _NO:
        return False
    raise InputError(
        said(
            "responses line %(line)s: consent %(value)s is not yes or no (ja/nee, true/false, 1/0)",
            line=line,
            value=repr(value),
        )
    )


def _check_fields(record: Mapping[str | None, Any], header: Sequence[str], line: int) -> None:
    """Refuse a row whose number of fields differs from the header's (an unquoted comma in a text)."""
    extra = record.get(None) or []
    found = len(header) + len(extra) - sum(1 for column in header if record.get(column) is None)
    if found != len(header):
        raise InputError(
            said(
                "responses line %(line)s has %(found)s fields, the header %(expected)s; put a text that "
                'holds commas or line breaks in double quotes ("Meer preventie, minder repressie")',
                line=line,
                found=found,
                expected=len(header),
            )
        )


def _row(record: Mapping[str, str], line: int) -> ResponseRow:
    kind = (record.get("respondent_type") or "").strip().lower()
    if kind not in RESPONDENT_TYPES:
        raise InputError(
            said(
                "responses line %(line)s: respondent_type %(kind)s; use one of %(choices)s",
                line=line,
                kind=repr(kind),
                choices=RESPONDENT_TYPES,
            )
        )
    try:
        question = int(record["question"])
    except (TypeError, ValueError):
        raise InputError(
            said(
                "responses line %(line)s: question %(question)s is not a number",
                line=line,
                question=repr(record.get("question")),
            )
        ) from None
    text, respondent = (record.get("text") or "").strip(), (record.get("respondent") or "").strip()
    if not respondent or len(respondent) > 64:
        raise InputError(said("responses line %(line)s: respondent must be 1-64 characters", line=line))
    if not text or len(text) > TEXT_MAX:
        raise InputError(
            said("responses line %(line)s: text must be 1-%(most)s characters", line=line, most=TEXT_MAX)
        )
    name = (record.get("name") or "").strip()
    consent = _consent(record.get("consent") or "", line)
    return ResponseRow(respondent, kind, consent, question, text, name, line)


def _lines(rows: Sequence[ResponseRow]) -> dict[str, str]:
    """The lines of ``rows`` as the values of a message "responses lines %(lines)s and %(last)s"."""
    numbers = [str(row.line) for row in rows]
    return {"lines": ", ".join(numbers[:-1]), "last": numbers[-1]}


def check_rows(rows: Sequence[ResponseRow]) -> None:
    """Refuse a respondent who answers a question twice, or has two types or consents; names the lines."""
    by_pair: dict[tuple[str, int], list[ResponseRow]] = {}
    by_respondent: dict[str, list[ResponseRow]] = {}
    for row in rows:
        by_pair.setdefault((row.respondent, row.question), []).append(row)
        by_respondent.setdefault(row.respondent, []).append(row)
    for (respondent, question), same in by_pair.items():
        if len(same) > 1:
            raise InputError(
                said(
                    "responses lines %(lines)s and %(last)s: respondent %(respondent)s answers question "
                    "%(question)s twice; join their texts into one row",
                    **_lines(same),
                    respondent=repr(respondent),
                    question=question,
                )
            )
    for respondent, own in by_respondent.items():
        if len({(row.respondent_type, row.consent) for row in own}) > 1:
            raise InputError(
                said(
                    "responses lines %(lines)s and %(last)s: respondent %(respondent)s has different "
                    "respondent_type or consent on different rows; give each respondent one type and one "
                    "consent",
                    **_lines(own),
                    respondent=repr(respondent),
                )
            )


def _records(reader: csv.DictReader[str]) -> Iterator[tuple[int, dict[str | None, Any]]]:
    """Each record with the line of the file it starts on (a quoted text may span several lines)."""
    start = reader.line_num + 1
    for record in reader:
        yield start, record
        start = reader.line_num + 1


def _refuse_nul(text: str) -> None:
    """A NUL character is in no text a person typed: the file is a workbook or a damaged copy (and
    PostgreSQL cannot store it), so name its line rather than keep it in a response."""
    at = text.find("\x00")
    if at >= 0:
        raise InputError(
            said(
                "responses file holds a NUL byte on line %(line)s, which no text file has (a workbook "
                "or a damaged copy?); save it as CSV (%(excel)s)",
                line=text.count("\n", 0, at) + 1,
                excel=EXCEL_CSV,
            )
        )


def parse_responses(text: str) -> tuple[ResponseRow, ...]:
    """The rows of a responses CSV; a missing column or a bad value names the line and the fix.

    A byte order mark (Excel's 'CSV UTF-8') is ignored."""
    text = text.removeprefix(BOM)
    if not text.strip():
        raise InputError(
            said(
                "responses file is empty; it needs a header row with %(columns)s and one row per answer",
                columns=list(COLUMNS),
            )
        )
    _refuse_nul(text)
    reader = csv.DictReader(io.StringIO(text))
    missing = [column for column in COLUMNS if column not in (reader.fieldnames or ())]
    if missing:
        raise InputError(
            said(
                "responses file lacks the columns %(missing)s; it needs %(columns)s (and may have "
                "'name')%(hint)s",
                missing=missing,
                columns=list(COLUMNS),
                hint=semicolon_hint(reader.fieldnames or ()),
            )
        )
    header = list(reader.fieldnames or ())
    rows = []
    for line, record in _records(reader):
        _check_fields(record, header, line)
        rows.append(_row(record, line))  # type: ignore[arg-type]
    if not rows:
        raise InputError(said("responses file has no rows"))
    check_rows(rows)
    return tuple(rows)


def _date(value: Any, key: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InputError(
            said("consultation %(key)s %(value)s is not a date like 2017-12-06", key=key, value=repr(value))
        ) from None


def _question_number(key: Any) -> int:
    if isinstance(key, int) and not isinstance(key, bool) and key >= 1:
        return key
    raise InputError(
        said(
            "consultation question %(key)s: number the questions 1, 2, 3 (questions: {1: text, 2: text}), "
            "not %(key)s",
            key=repr(key),
        )
    )


def _questions(value: Any) -> dict[int, str]:
    """The consultation's questions, ``{1: text, 2: text}``, each with a number and a text."""
    if not isinstance(value, Mapping) or not value:
        raise InputError(
            said(
                "consultation 'questions' must map each question's number to its text, like "
                "questions: {1: text, 2: text}; found %(kind)s %(value)s",
                kind=type(value).__name__,
                value=repr(value)[:60],
            )
        )
    questions = {}
    for key, text in value.items():
        number = _question_number(key)
        if not isinstance(text, str) or not text.strip():
            raise InputError(
                said(
                    "consultation question %(number)s: give its text, not %(text)s",
                    number=number,
                    text=repr(text),
                )
            )
        questions[number] = text
    return questions


def parse_info(
    text: str, rows: tuple[ResponseRow, ...], responses_sha256: str | None = None
) -> ConsultationInfo:
    """A consultation's description (YAML: slug, title, questions: {1: text}, opened_on, closed_on), with
    the responses read from the file whose SHA-256 is ``responses_sha256``."""
    try:
        document = load_yaml(text)
    except yaml.YAMLError as exc:
        raise InputError(said("consultation file is not valid YAML: %(problem)s", problem=exc)) from None
    if not isinstance(document, Mapping) or not document.get("slug") or not document.get("title"):
        raise InputError(said("consultation file needs 'slug', 'title' and 'questions' ({1: text, 2: text})"))
    slug = str(document["slug"])
    if not slug.replace("-", "").isalnum() or len(slug) > 64:
        raise InputError(
            said("consultation slug %(slug)s: use 1-64 letters, digits and hyphens", slug=repr(slug))
        )
    questions = _questions(document.get("questions"))
    unknown = sorted({row.question for row in rows} - set(questions))
    if unknown:
        raise InputError(
            said(
                "responses answer questions %(unknown)s that the consultation file does not list",
                unknown=unknown,
            )
        )
    return ConsultationInfo(
        slug=slug,
        title=str(document["title"]),
        questions=questions,
        description=str(document.get("description") or ""),
        opened_on=_date(document.get("opened_on"), "opened_on"),
        closed_on=_date(document.get("closed_on"), "closed_on"),
        rows=rows,
        responses_sha256=responses_sha256,
    )
