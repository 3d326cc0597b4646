"""Reading the fields of a page form (``{name: [values]}``, as :func:`gbvs.web.csrf.checked_form` parses
it) and naming the field a refusal is about; shared by the signals register's forms."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gbvs.errors import FieldError, InputError, field_errors


def one(form: Mapping[str, list[str]], name: str) -> str:
    """A field's value (a repeated field's values joined by ", "; absent: "")."""
    return ", ".join(form.get(name, []))


def many(form: Mapping[str, list[str]], name: str) -> list[str]:
    """A field's comma-separated values, without spaces and empty ones."""
    return [part.strip() for value in form.get(name, []) for part in value.split(",") if part.strip()]


def field_of(problem: Exception, fields: tuple[str, ...], default: str) -> str:
    """The form field a service's refusal is about: its own field, else the one its words name."""
    if isinstance(problem, FieldError) and problem.field in fields:
        return problem.field
    words = str(problem).lower()
    for name, said_as in (
        ("sharingGroup", "sharing group"),
        ("recipients", "recipient"),
        ("reason", "reason"),
    ):
        if name in fields and said_as in words:
            return name
    return default


def errors_by_their_field(problem: Exception, fields: tuple[str, ...], default: str) -> dict[str, object]:
    """A refusal's errors by the form field each is about (:func:`field_of`): every field's error of a
    :class:`~gbvs.errors.FieldErrors`, so the page shows them all after one send."""
    errors = field_errors(problem) if isinstance(problem, FieldError) else (problem,)
    found: dict[str, object] = {}
    for error in errors:
        found.setdefault(field_of(error, fields, default), error)
    return found


def parsed(field: str, parse: Any, text: str) -> Any:
    """``text`` read by ``parse``; a wrong value is a FieldError naming ``field``."""
    try:
        return parse(text.strip())
    except InputError as wrong:
        raise FieldError(field, str(wrong), wrong.words) from None
    except ValueError:
        raise FieldError(field, f"{field} {text[:40]!r} is not one of the choices") from None
