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

import pandas as pd

from gbvs.errors import ChecksumMismatchError, InputError, NotFoundError, ParseError, SourceMissingError
from gbvs.opinion.questionnaire import PollDefinition, load_definition_text


@dataclass(frozen=True)
class PollData:
    """A poll's definition and its respondents (values as text, filters applied)."""

    definition: PollDefinition
    frame: pd.DataFrame
    path: Path

    def weights(self) -> pd.Series:
        """The respondents' weights (1 each when the poll has no weight column)."""
        if self.definition.weight is None:
            return pd.Series(1.0, index=self.frame.index)
        return pd.to_numeric(self.frame[self.definition.weight], errors="raise")


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
            f"unknown poll {poll_id!r}; use one of {sorted(known)} or give --file and --definition"
        )
    return known[poll_id]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _as_text(column: pd.Series) -> pd.Series:
    """Codes as text: ``1.0`` -> ``"1"``, missing -> ``""``."""
    if pd.api.types.is_float_dtype(column):
        whole = column.dropna()
        if (whole == whole.round()).all():
            return column.map(lambda value: "" if pd.isna(value) else str(int(value)))
    return column.map(lambda value: "" if pd.isna(value) else str(value))


def _read(path: Path, fmt: str) -> pd.DataFrame:
    try:
        if fmt == "csv":
            return pd.read_csv(path, dtype=str, keep_default_na=False)
        import pyreadstat  # only for SPSS and Stata files

        reader = pyreadstat.read_sav if fmt == "sav" else pyreadstat.read_dta
        frame, _meta = reader(str(path))
        return frame
    except (ValueError, OSError, UnicodeDecodeError) as exc:
        raise ParseError(f"poll file {path.name} cannot be read as {fmt}: {exc}") from None
    except Exception as exc:  # pyreadstat raises its own ReadstatError / PyreadstatError
        raise ParseError(f"poll file {path.name} cannot be read as {fmt}: {exc}") from None


def locate(definition: PollDefinition, mirror: Path | None, file: Path | None = None) -> Path:
    """The poll's file: ``file`` when given, else its place in the mirror (checked against its SHA-256)."""
    if file is not None:
        if not file.is_file():
            raise SourceMissingError(
                f"poll file {file} does not exist; give the path of a .csv, .sav or .dta file"
            )
        return file
    if mirror is None:
        raise SourceMissingError(
            f"poll {definition.id!r} is read from the mirror ({definition.file}); "
            "set GBVS_MIRROR to the mirror folder"
        )
    path = mirror / definition.file
    if not path.is_file():
        raise SourceMissingError(f"poll {definition.id!r}: {definition.file} is not in the mirror {mirror}")
    if definition.sha256 is not None and (found := _sha256(path)) != definition.sha256:
        raise ChecksumMismatchError(
            f"poll file {definition.file} has SHA-256 {found}, expected {definition.sha256}; "
            "restore the published file in the mirror"
        )
    return path


def read_poll(definition: PollDefinition, mirror: Path | None, file: Path | None = None) -> PollData:
    """The poll's respondents: the file read, checked for the declared columns, filters applied."""
    path = locate(definition, mirror, file)
    frame = _read(path, definition.format)
    needed = {q.column for q in definition.questions} | set(definition.filters) | set(definition.groups)
    needed |= {c for c in (definition.weight, definition.wave) if c}
    absent = sorted(needed - set(frame.columns))
    if absent:
        raise ParseError(
            f"poll file {path.name} lacks the columns {absent} that poll {definition.id!r} declares"
        )
    text = frame.apply(_as_text) if definition.format != "csv" else frame
    for column, value in definition.filters.items():
        text = text[text[column] == value]
    if text.empty:
        raise InputError(
            f"poll {definition.id!r}: no respondent left after the filters {dict(definition.filters)}"
        )
    return PollData(definition, text.reset_index(drop=True), path)
