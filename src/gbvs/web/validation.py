"""The reasons of a request FastAPI refuses (pydantic's validation errors) in the reader's language.

Each error's reason comes from :mod:`gbvs.reasons` (pydantic's sentence of its type as a catalogue
message, shared with the data files' problems): :func:`reason` adds the value given. A type without
words keeps pydantic's English ``msg`` (and is no :class:`Said`, so the answer says its detail is
English).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from gbvs.errors import Clauses, Said, Words, said
from gbvs.reasons import REASONS, UNKNOWN_PARAMETER, Reason, reason_words

__all__ = [
    "REASONS",
    "UNKNOWN_PARAMETER",
    "Reason",
    "parameter_name",
    "problems",
    "reason",
    "reason_words",
]


def reason(error: Mapping[str, Any]) -> str:
    """Why a value was refused, with what was given: a :class:`Said` when the type has words, else
    pydantic's English text."""
    given = repr(error.get("input"))
    words = reason_words(error)
    if words is None:
        return f"{error.get('msg', 'invalid value')} (got {given})"
    return Said.of(said("%(reason)s (got %(given)s)", reason=words, given=given))


def parameter_name(error: Mapping[str, Any]) -> str:
    """The name of the refused parameter or field (``body.title``; no ``query``/``path`` prefix)."""
    return ".".join(str(part) for part in error.get("loc", ()) if part not in ("query", "path"))


def problems(errors: Sequence[Mapping[str, Any]]) -> tuple[list[Said | str], Words | None]:
    """Each error as ``name: reason`` (words when its reason has them), and the detail of them all
    (``invalid request: ...``) as words when each reason has words, else None (an English detail)."""
    reasons = [reason(error) for error in errors]
    clauses = [
        Said.of(said("%(name)s: %(reason)s", name=parameter_name(error), reason=why))
        if isinstance(why, Said)
        else f"{parameter_name(error)}: {why}"
        for error, why in zip(errors, reasons, strict=True)
    ]
    if not all(isinstance(clause, Said) for clause in clauses):
        return clauses, None
    return clauses, said("invalid request: %(problems)s", problems=Clauses(clauses))
