"""pydantic's validation reasons in the reader's language: the API's 400s and the data files' problems.

pydantic words each error in English from its ``type`` and ``ctx`` ("String should have at most
{max_length} characters"). :data:`REASONS` keeps those sentences as catalogue messages, keyed by the
type, with ``%(name)s`` where pydantic fills in a ``ctx`` value: :func:`reason_words` gives the
:func:`~gbvs.errors.said` words of an error, whose English text is pydantic's own and whose Dutch comes
from the catalogue (``apiwords.po``, or ``cli.po`` for the sentences click and Typer pass on). A type
the table lacks has no words: the caller keeps pydantic's English ``msg``. Used by the web's refusals
(:mod:`gbvs.web.validation`) and by the strategy loader (``gbvs strategy check``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from gbvs.errors import Said, said
from gbvs.languages import N_

UNKNOWN_PARAMETER = "unknown_query_parameter"
"""The type of our own validation error for a query parameter a route does not declare
(:func:`gbvs.web.api.common.refuse_unknown_parameters`); its ``ctx`` holds name, path and accepted."""


@dataclass(frozen=True)
class Reason:
    """The catalogue message of one pydantic error type.

    ``one`` is the message when the ``ctx`` value ``count`` is 1 (pydantic writes "1 character");
    ``names`` renames a ``ctx`` key to the placeholder of a message shared with ``cli.po``."""

    message: str
    one: str | None = None
    count: str = ""
    names: Mapping[str, str] = field(default_factory=dict)


_LIMIT = {"gt": "limit", "ge": "limit", "lt": "limit", "le": "limit"}

REASONS: dict[str, Reason] = {
    "missing": Reason(N_("Field required")),
    "extra_forbidden": Reason(N_("Extra inputs are not permitted")),
    UNKNOWN_PARAMETER: Reason(N_("unknown query parameter %(name)s; %(path)s accepts: %(accepted)s")),
    "json_invalid": Reason(N_("JSON decode error")),  # FastAPI's words for a body that is no JSON
    "model_attributes_type": Reason(
        N_("Input should be a valid dictionary or object to extract fields from")
    ),
    "dict_type": Reason(N_("Input should be a valid dictionary")),
    "list_type": Reason(N_("Input should be a valid list")),
    "string_type": Reason(N_("Input should be a valid string")),
    "string_too_short": Reason(
        N_("String should have at least %(min_length)s characters"),
        one=N_("String should have at least 1 character"),
        count="min_length",
    ),
    "string_too_long": Reason(
        N_("String should have at most %(max_length)s characters"),
        one=N_("String should have at most 1 character"),
        count="max_length",
    ),
    "string_pattern_mismatch": Reason(N_("String should match pattern '%(pattern)s'")),
    "int_type": Reason(N_("Input should be a valid integer")),
    "int_parsing": Reason(N_("Input should be a valid integer, unable to parse string as an integer")),
    "int_from_float": Reason(N_("Input should be a valid integer, got a number with a fractional part")),
    "float_type": Reason(N_("Input should be a valid number")),
    "float_parsing": Reason(N_("Input should be a valid number, unable to parse string as a number")),
    "bool_type": Reason(N_("Input should be a valid boolean")),
    "bool_parsing": Reason(N_("Input should be a valid boolean, unable to interpret input")),
    "greater_than": Reason(N_("Input should be greater than %(limit)s"), names=_LIMIT),
    "greater_than_equal": Reason(N_("Input should be greater than or equal to %(limit)s"), names=_LIMIT),
    "less_than": Reason(N_("Input should be less than %(limit)s"), names=_LIMIT),
    "less_than_equal": Reason(N_("Input should be less than or equal to %(limit)s"), names=_LIMIT),
    "enum": Reason(N_("Input should be %(expected)s")),
    "literal_error": Reason(N_("Input should be %(expected)s")),
    "date_type": Reason(N_("Input should be a valid date")),
    "date_parsing": Reason(N_("Input should be a valid date in the format YYYY-MM-DD, %(error)s")),
    "date_from_datetime_parsing": Reason(N_("Input should be a valid date or datetime, %(error)s")),
    "date_from_datetime_inexact": Reason(
        N_("Datetimes provided to dates should have zero time - e.g. be exact dates")
    ),
    "datetime_type": Reason(N_("Input should be a valid datetime")),
    "datetime_parsing": Reason(N_("Input should be a valid datetime, %(error)s")),
    "datetime_from_date_parsing": Reason(N_("Input should be a valid datetime or date, %(error)s")),
    "timezone_aware": Reason(N_("Input should have timezone info")),
}
"""pydantic's sentence of each error type our API can answer, as a catalogue message (``apiwords.po``,
or ``cli.po`` for the ones the command line shares)."""

_CHOICES = re.compile(r"(?P<some>.+) or (?P<last>'[^']*'|\S+)", re.DOTALL)
"""pydantic's ``expected`` of an enum: "'json', 'csv' or 'xlsx'"; the last choice is quoted or a word."""


def reason_words(error: Mapping[str, Any]) -> Said | None:
    """The words of a pydantic error's reason (its type's sentence, ``ctx`` filled in), or None when
    :data:`REASONS` lacks its type (or a value its sentence needs)."""
    reason = REASONS.get(str(error.get("type")))
    if reason is None:
        return None
    context = {reason.names.get(key, key): value for key, value in (error.get("ctx") or {}).items()}
    message = (
        reason.one if reason.one is not None and str(context.get(reason.count)) == "1" else reason.message
    )
    if "expected" in context:
        context["expected"] = _choices(str(context["expected"]))
    values = {key: value if isinstance(value, str) else str(value) for key, value in context.items()}
    try:
        return Said.of((message, values))
    except KeyError:  # a ctx without a value the sentence names: pydantic's own words
        return None


def _choices(expected: str) -> str:
    """pydantic's list of choices with its "or" in words a page translates."""
    found = _CHOICES.fullmatch(expected)
    if found is None:
        return expected
    return Said.of(said("%(some)s or %(last)s", some=found["some"], last=found["last"]))
