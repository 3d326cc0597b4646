"""pydantic's reasons for refusing a value, in the reader's language: one table for every edge.

pydantic words each error in English from its ``type`` and ``ctx`` ("String should have at most
{max_length} characters"). :data:`REASONS` keeps those sentences as catalogue messages, keyed by the
type, with ``%(name)s`` where pydantic fills in a ``ctx`` value: :func:`reason_words` gives the
:func:`~gbvs.errors.said` words of an error, whose English text is pydantic's own and whose Dutch comes
from the catalogue (``apiwords.po``; the sentences click and Typer pass on from pydantic live in
``cli.po`` and are reused, not repeated). The API's 400 (:mod:`gbvs.web.validation`) and the report of a
threat-assessment method file (:mod:`gbvs.assessments.load`) word their reasons with it.

Below every layer (it needs only :mod:`gbvs.errors`), so the core's loaders may use it too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from gbvs.errors import Said, Words, said
from gbvs.languages import N_


@dataclass(frozen=True)
class Reason:
    """The catalogue message of one pydantic error type.

    ``one`` is the message when the ``ctx`` value ``count`` is 1 (pydantic writes "1 character");
    ``names`` renames a ``ctx`` key to the placeholder of a message shared with ``cli.po``; ``only``
    (a ``ctx`` key and value) limits the message to the errors pydantic words so ("List should have
    ...", not "Tuple should have ..."), ``otherwise`` the message of the others."""

    message: str
    one: str | None = None
    count: str = ""
    names: Mapping[str, str] = field(default_factory=dict)
    only: tuple[str, str] | None = None
    otherwise: Reason | None = None
    """The message when ``only`` does not hold (a tuple's "Tuple should have ...")."""


_LIMIT = {"gt": "limit", "ge": "limit", "lt": "limit", "le": "limit"}
_LIST = ("field_type", "List")
_TUPLE = ("field_type", "Tuple")

VALUE_ERROR = "value_error"
"""The type of an error a validator raises (a ValueError): its own words when it carries them
(:func:`reason_words`), else :data:`REASONS`' plain sentence."""

REASONS: dict[str, Reason] = {
    "missing": Reason(N_("Field required")),
    "extra_forbidden": Reason(N_("Extra inputs are not permitted")),
    "json_invalid": Reason(N_("JSON decode error")),  # FastAPI's words for a body that is no JSON
    "model_attributes_type": Reason(
        N_("Input should be a valid dictionary or object to extract fields from")
    ),
    "dict_type": Reason(N_("Input should be a valid dictionary")),
    "list_type": Reason(N_("Input should be a valid list")),
    "too_short": Reason(
        N_("List should have at least %(min_length)s items after validation, not %(actual_length)s"),
        one=N_("List should have at least 1 item after validation, not %(actual_length)s"),
        count="min_length",
        only=_LIST,
        otherwise=Reason(
            N_("Tuple should have at least %(min_length)s items after validation, not %(actual_length)s"),
            one=N_("Tuple should have at least 1 item after validation, not %(actual_length)s"),
            count="min_length",
            only=_TUPLE,
        ),
    ),
    "too_long": Reason(
        N_("List should have at most %(max_length)s items after validation, not %(actual_length)s"),
        one=N_("List should have at most 1 item after validation, not %(actual_length)s"),
        count="max_length",
        only=_LIST,
        otherwise=Reason(
            N_("Tuple should have at most %(max_length)s items after validation, not %(actual_length)s"),
            one=N_("Tuple should have at most 1 item after validation, not %(actual_length)s"),
            count="max_length",
            only=_TUPLE,
        ),
    ),
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
    "int_parsing_size": Reason(N_("Unable to parse input string as an integer, exceeded maximum size")),
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
    VALUE_ERROR: Reason(N_("Value error, %(error)s")),
}
"""pydantic's sentence of each error type a request or a file can meet, as a catalogue message
(``apiwords.po``, or ``cli.po`` for the ones the command line shares)."""

_CHOICES = re.compile(r"(?P<some>.+) or (?P<last>'[^']*'|\S+)", re.DOTALL)
"""pydantic's ``expected`` of an enum: "'json', 'csv' or 'xlsx'"; the last choice is quoted or a word."""


def reason_words(error: Mapping[str, Any], reasons: Mapping[str, Reason] = REASONS) -> Said | None:
    """The words of a pydantic error's reason (its type's sentence, ``ctx`` filled in), or None when
    ``reasons`` lacks its type (or a value its sentence needs). A validator's ValueError that carries
    :func:`~gbvs.errors.said` words (``words``) is said in them."""
    own = _own_words(error)
    if own is not None:
        return Said.of(own)
    reason = reasons.get(str(error.get("type")))
    context = dict(error.get("ctx") or {})
    while reason is not None and reason.only is not None and context.get(reason.only[0]) != reason.only[1]:
        reason = reason.otherwise
    if reason is None:
        return None
    context = {reason.names.get(key, key): value for key, value in context.items()}
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


def _own_words(error: Mapping[str, Any]) -> Words | None:
    """The words of a validator's own error (a ValueError with ``words``), if it has them."""
    if error.get("type") != VALUE_ERROR:
        return None
    words = getattr((error.get("ctx") or {}).get("error"), "words", None)
    return words if isinstance(words, tuple) and len(words) == 2 else None


def _choices(expected: str) -> str:
    """pydantic's list of choices with its "or" in words a page translates."""
    found = _CHOICES.fullmatch(expected)
    if found is None:
        return expected
    return Said.of(said("%(some)s or %(last)s", some=found["some"], last=found["last"]))
