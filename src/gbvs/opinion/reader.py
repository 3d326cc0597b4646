"""Read a poll's respondent file (CSV, SPSS ``.sav`` or Stata ``.dta`` through pyreadstat).

The shipped poll definitions name a file in the offline mirror with its SHA-256: a missing or changed
file is refused with a message naming it, what was expected and what was found. No third-party
survey data are kept in the repository.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from gbvs.errors import (
    ChecksumMismatchError,
    InputError,
    NotFoundError,
    ParseError,
    SourceMissingError,
    Term,
    said,
)
from gbvs.opinion.csv_hints import semicolon_hint
from gbvs.opinion.questionnaire import PollDefinition, load_definition_text


@dataclass(frozen=True)
class PollData:
    """A poll's definition and its respondents (values as text, filters applied; the index is each
    respondent's data row in the file, 0 for the first)."""

    definition: PollDefinition
    frame: pd.DataFrame
    path: Path
    weighting: str | None = None
    """How the weights were made when they are not the definition's weight column as read (raking:
    the base weight, the margins' source and the variables), for the figures' provenance."""

    def weights(self) -> pd.Series:
        """The respondents' weights (1 each when the poll has no weight column); a weight that is not a
        positive number is refused naming the column, the data rows and the values."""
        if self.definition.weight is None:
            return pd.Series(1.0, index=self.frame.index)
        return _positive_weights(self.frame[self.definition.weight], self.definition.weight, self.path.name)


SHOWN_ROWS = 10
"""How many bad data rows an error message names."""


def _positive_weights(raw: pd.Series, column: str, file: str) -> pd.Series:
    numbers = pd.to_numeric(raw.astype(str).str.strip(), errors="coerce").astype(float)
    bad = ~(np.isfinite(numbers) & (numbers > 0))
    if not bad.any():
        return numbers
    rows = [int(position) + 1 for position in raw.index[bad][:SHOWN_ROWS]]
    values = sorted({str(value) for value in raw[bad]})[:SHOWN_ROWS]
    if any("," in value for value in values):
        fix = Term("write decimals with a point (1.2, not 1,2)")
    else:
        fix = Term(
            "give every respondent a positive weight, or leave them out with a filter in the definition"
        )
    raise InputError(
        said(
            "poll file %(file)s: weight column %(column)s is not a positive number for %(count)s "
            "respondents (data rows %(rows)s, 1 = the first respondent; values %(values)s); %(fix)s",
            file=file,
            column=repr(column),
            count=int(bad.sum()),
            rows=rows,
            values=values,
            fix=fix,
        )
    )


def shipped_definitions() -> dict[str, PollDefinition]:
    """The polls GBVS knows how to read from the mirror, by id."""
    folder = resources.files("gbvs.opinion.data.polls")
    found = {}
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if entry.name.endswith(".yaml"):
            definition = load_definition_text(entry.read_text(encoding="utf-8"), entry.name)
            found[definition.id] = definition
    return found


def shipped_definition(poll_id: str) -> PollDefinition:
    """The shipped poll ``poll_id``."""
    known = shipped_definitions()
    if poll_id not in known:
        raise NotFoundError(
            said(
                "unknown poll %(poll)s; use one of: %(choices)s",
                poll=repr(poll_id),
                choices=", ".join(sorted(known)),
            )
        )
    return known[poll_id]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _code_text(value: object) -> str:
    """A code as text: ``1.0`` -> ``"1"``, missing -> ``""``, anything else as written."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if pd.isna(value) else str(value)  # type: ignore[call-overload]


def _as_text(column: pd.Series) -> pd.Series:
    """Codes as text: ``1.0`` -> ``"1"``, missing -> ``""``."""
    return column.map(_code_text)


@dataclass(frozen=True)
class _Read:
    """A file's respondents, and per column the codes the file itself declares missing."""

    frame: pd.DataFrame
    declared_missing: dict[str, set[str]]


def _declared_missing(frame: pd.DataFrame, ranges: dict[str, list[dict[str, Any]]]) -> dict[str, set[str]]:
    """The codes that occur in each column inside the file's user-missing ranges (SPSS)."""
    found: dict[str, set[str]] = {}
    for column, spans in ranges.items():
        values = frame[column]
        inside = pd.Series(False, index=values.index)
        for span in spans:
            inside |= values.between(span["lo"], span["hi"])
        found[column] = set(_as_text(values[inside]))
    return found


def _read(path: Path, fmt: str) -> _Read:
    try:
        if fmt == "csv":
            return _Read(pd.read_csv(path, dtype=str, keep_default_na=False), {})
        import pyreadstat  # only for SPSS and Stata files

        reader = pyreadstat.read_sav if fmt == "sav" else pyreadstat.read_dta
        # user_missing: keep the codes the file declares missing; the poll definition decides
        frame, meta = reader(str(path), user_missing=True)
        return _Read(frame, _declared_missing(frame, getattr(meta, "missing_ranges", None) or {}))
    except (ValueError, OSError, UnicodeDecodeError) as exc:
        raise _unreadable(path, fmt, exc) from None
    except Exception as exc:  # pyreadstat raises its own ReadstatError / PyreadstatError
        raise _unreadable(path, fmt, exc) from None


def _unreadable(path: Path, fmt: str, problem: Exception) -> ParseError:
    return ParseError(
        said(
            "poll file %(file)s cannot be read as %(format)s: %(problem)s",
            file=path.name,
            format=fmt,
            problem=problem,
        )
    )


def _check_declared_missing(definition: PollDefinition, path: Path, declared: dict[str, set[str]]) -> None:
    """Refuse a code the file declares missing that the definition neither counts nor leaves out."""
    for question in definition.questions:
        unplaced = sorted(
            declared.get(question.column, set()) - set(question.answers) - set(question.missing)
        )
        if unplaced:
            raise InputError(
                said(
                    "poll file %(file)s declares the codes %(codes)s of column %(column)s missing, but poll "
                    "%(poll)s does not place them: list them under 'missing' of question %(question)s "
                    "to leave "
                    "them outside the base, or under 'answers' to count them",
                    file=path.name,
                    codes=unplaced,
                    column=repr(question.column),
                    poll=repr(definition.id),
                    question=repr(question.id),
                )
            )


def locate(definition: PollDefinition, mirror: Path | None, file: Path | None = None) -> Path:
    """The poll's file: ``file`` when given, else its place in the mirror (checked against its SHA-256)."""
    if file is not None:
        if not file.is_file():
            raise SourceMissingError(
                said(
                    "poll file %(file)s does not exist; give the path of a .csv, .sav or .dta file", file=file
                )
            )
        return file
    if mirror is None:
        raise SourceMissingError(
            said(
                "poll %(poll)s is read from the mirror (%(file)s); set GBVS_MIRROR to the mirror folder",
                poll=repr(definition.id),
                file=definition.file,
            )
        )
    path = mirror / definition.file
    if not path.is_file():
        raise SourceMissingError(
            said(
                "poll %(poll)s: %(file)s is not in the mirror %(mirror)s",
                poll=repr(definition.id),
                file=definition.file,
                mirror=mirror,
            )
        )
    if definition.sha256 is not None and (found := _sha256(path)) != definition.sha256:
        raise ChecksumMismatchError(
            said(
                "poll file %(file)s has SHA-256 %(found)s, expected %(expected)s; restore the published file "
                "in the mirror",
                file=definition.file,
                found=found,
                expected=definition.sha256,
            )
        )
    return path


def read_poll(definition: PollDefinition, mirror: Path | None, file: Path | None = None) -> PollData:
    """The poll's respondents: the file read, checked for the declared columns, filters applied."""
    path = locate(definition, mirror, file)
    read = _read(path, definition.format)
    frame = read.frame
    needed = {q.column for q in definition.questions} | set(definition.filters) | set(definition.groups)
    needed |= {c for c in (definition.weight, definition.wave) if c}
    absent = sorted(needed - set(frame.columns))
    if absent:
        raise ParseError(
            said(
                "poll file %(file)s lacks the columns %(absent)s that poll %(poll)s declares%(hint)s",
                file=path.name,
                absent=absent,
                poll=repr(definition.id),
                hint=semicolon_hint([str(column) for column in frame.columns]),
            )
        )
    _check_declared_missing(definition, path, read.declared_missing)
    text = frame.apply(_as_text) if definition.format != "csv" else frame
    for column, value in definition.filters.items():
        text = text[text[column] == value]
    if text.empty:
        raise InputError(
            said(
                "poll %(poll)s: no respondent left after the filters %(filters)s",
                poll=repr(definition.id),
                filters=dict(definition.filters),
            )
        )
    return PollData(definition, text, path)
