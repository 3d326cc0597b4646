"""The reasons of a request FastAPI refuses (pydantic's validation errors) in the reader's language.

The sentences of pydantic's error types are :data:`gbvs.fieldreasons.REASONS` (shared with the command
line's reports); :func:`reason` gives the :func:`~gbvs.errors.said` words of an error with the value
given, whose English text is pydantic's own and whose Dutch comes from the catalogue. A type the table
lacks keeps pydantic's English ``msg`` (and is no :class:`Said`, so the answer says its detail is English).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from gbvs.errors import Clauses, Said, Words, said
from gbvs.fieldreasons import REASONS as FIELD_REASONS
from gbvs.fieldreasons import Reason
from gbvs.fieldreasons import reason_words as field_reason_words
from gbvs.web.render import N_

UNKNOWN_PARAMETER = "unknown_query_parameter"
"""The type of our own validation error for a query parameter a route does not declare
(:func:`gbvs.web.api.common.refuse_unknown_parameters`); its ``ctx`` holds name, path and accepted."""


REASONS: dict[str, Reason] = {
    **FIELD_REASONS,
    UNKNOWN_PARAMETER: Reason(N_("unknown query parameter %(name)s; %(path)s accepts: %(accepted)s")),
}
"""pydantic's sentence of each error type our API can answer (:data:`gbvs.fieldreasons.REASONS`), and
our own for a query parameter a route does not declare."""


def reason_words(error: Mapping[str, Any]) -> Said | None:
    """The words of a refused request's reason (:func:`gbvs.fieldreasons.reason_words`), or None."""
    return field_reason_words(error, REASONS)


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
