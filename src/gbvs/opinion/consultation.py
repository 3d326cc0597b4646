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

from gbvs.errors import InputError
from gbvs.opinion.csv_hints import semicolon_hint
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
    raise InputError(f"responses line {line}: consent {value!r} is not yes or no (ja/nee, true/false, 1/0)")


def _check_fields(record: Mapping[str | None, Any], header: Sequence[str], line: int) -> None:
    """Refuse a row whose number of fields differs from the header's (an unquoted comma in a text)."""
    extra = record.get(None) or []
    found = len(header) + len(extra) - sum(1 for column in header if record.get(column) is None)
    if found != len(header):
        raise InputError(
            f"responses line {line} has {found} fields, the header {len(header)}; put a text that holds "
            'commas or line breaks in double quotes ("Meer preventie, minder repressie")'
        )


def _row(record: Mapping[str, str], line: int) -> ResponseRow:
    kind = (record.get("respondent_type") or "").strip().lower()
    if kind not in RESPONDENT_TYPES:
        raise InputError(f"responses line {line}: respondent_type {kind!r}; use one of {RESPONDENT_TYPES}")
    try:
        question = int(record["question"])
    except (TypeError, ValueError):
        raise InputError(
            f"responses line {line}: question {record.get('question')!r} is not a number"
        ) from None
    text, respondent = (record.get("text") or "").strip(), (record.get("respondent") or "").strip()
    if not respondent or len(respondent) > 64:
        raise InputError(f"responses line {line}: respondent must be 1-64 characters")
    if not text or len(text) > TEXT_MAX:
        raise InputError(f"responses line {line}: text must be 1-{TEXT_MAX} characters")
    name = (record.get("name") or "").strip()
    consent = _consent(record.get("consent") or "", line)
    return ResponseRow(respondent, kind, consent, question, text, name, line)


def _lines(rows: Sequence[ResponseRow]) -> str:
    numbers = [str(row.line) for row in rows]
    return "responses lines " + ", ".join(numbers[:-1]) + " and " + numbers[-1]


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
                f"{_lines(same)}: respondent {respondent!r} answers question {question} twice; "
                "join their texts into one row"
            )
    for respondent, own in by_respondent.items():
        if len({(row.respondent_type, row.consent) for row in own}) > 1:
            raise InputError(
                f"{_lines(own)}: respondent {respondent!r} has different respondent_type or consent on "
                "different rows; give each respondent one type and one consent"
            )


def _records(reader: csv.DictReader[str]) -> Iterator[tuple[int, dict[str | None, Any]]]:
    """Each record with the line of the file it starts on (a quoted text may span several lines)."""
    start = reader.line_num + 1
    for record in reader:
        yield start, record
        start = reader.line_num + 1


def parse_responses(text: str) -> tuple[ResponseRow, ...]:
    """The rows of a responses CSV; a missing column or a bad value names the line and the fix.

    A byte order mark (Excel's 'CSV UTF-8') is ignored."""
    text = text.removeprefix(BOM)
    if not text.strip():
        raise InputError(
            f"responses file is empty; it needs a header row with {list(COLUMNS)} and one row per answer"
        )
    reader = csv.DictReader(io.StringIO(text))
    missing = [column for column in COLUMNS if column not in (reader.fieldnames or ())]
    if missing:
        raise InputError(
            f"responses file lacks the columns {missing}; it needs {list(COLUMNS)} (and may have 'name')"
            + semicolon_hint(reader.fieldnames or ())
        )
    header = list(reader.fieldnames or ())
    rows = []
    for line, record in _records(reader):
        _check_fields(record, header, line)
        rows.append(_row(record, line))  # type: ignore[arg-type]
    if not rows:
        raise InputError("responses file has no rows")
    check_rows(rows)
    return tuple(rows)


def _date(value: Any, key: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InputError(f"consultation {key} {value!r} is not a date like 2017-12-06") from None


def _question_number(key: Any) -> int:
    if isinstance(key, int) and not isinstance(key, bool) and key >= 1:
        return key
    raise InputError(
        f"consultation question {key!r}: number the questions 1, 2, 3 (questions: {{1: text, 2: text}}), "
        f"not {key!r}"
    )


def _questions(value: Any) -> dict[int, str]:
    """The consultation's questions, ``{1: text, 2: text}``, each with a number and a text."""
    if not isinstance(value, Mapping) or not value:
        raise InputError(
            f"consultation 'questions' must map each question's number to its text, like "
            f"questions: {{1: text, 2: text}}; found {type(value).__name__} {value!r:.60}"
        )
    questions = {}
    for key, text in value.items():
        number = _question_number(key)
        if not isinstance(text, str) or not text.strip():
            raise InputError(f"consultation question {number}: give its text, not {text!r}")
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
        raise InputError(f"consultation file is not valid YAML: {exc}") from None
    if not isinstance(document, Mapping) or not document.get("slug") or not document.get("title"):
        raise InputError("consultation file needs 'slug', 'title' and 'questions' ({1: text, 2: text})")
    slug = str(document["slug"])
    if not slug.replace("-", "").isalnum() or len(slug) > 64:
        raise InputError(f"consultation slug {slug!r}: use 1-64 letters, digits and hyphens")
    questions = _questions(document.get("questions"))
    unknown = sorted({row.question for row in rows} - set(questions))
    if unknown:
        raise InputError(f"responses answer questions {unknown} that the consultation file does not list")
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
