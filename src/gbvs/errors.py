"""Every error GBVS raises on purpose, so callers know what to catch.

Each message names the thing, the value that was wrong and what to do next.
An error a web page shows also carries its ``words`` (:func:`said`): the same message as a catalogue
message and its values, which the page shows in the reader's language; its English text (``str``) is
what the API's problem ``detail``, the CLI and the log say. The CLI maps each branch to an exit code
(``exit_code``); the web edge maps them to HTTP problem responses.

Hierarchy::

    * GBVSError                      exit 1
      + ConfigError                  exit 3  a setting is unsafe or impossible
      + InputError                   exit 4  something the user gave is wrong
        - StrategyError                      a strategy file fails validation
        - MethodError                        a risk-assessment method file fails validation
        - SourceError                        a dataset file is missing or broken
          . SourceMissingError               not in the mirror / cache, cannot fetch
          . ChecksumMismatchError            bytes differ from the published checksum
          . SchemaMismatchError              columns, types, ranges or keys differ
          . ParseError                       the file cannot be read as declared
        - UnknownTargetError                 a forecast target / horizon does not exist
        - StateConflictError                 a valid request the record's state forbids (HTTP 409)
        - FieldError                         one named field of a request is wrong (API: invalidParams)
          . FieldErrors                      several fields at once, each a FieldError
      + NotFoundError                exit 5  a goal, country, table or record does not exist
        - NoForecastRunError                 `gbvs forecast` / `gbvs backtest` has not run yet
      + StoreError                   exit 6  the analytical store is missing or unusable
        - StoreNotBuiltError                 `gbvs ingest` has not run yet
        - SchemaTooNewError                  a file written by a newer GBVS
      + DatabaseError                exit 7  the operational database
        - SchemaOutdatedError                schema and code differ: `gbvs db upgrade`, or the newer GBVS
        - AuditLogImmutableError             someone tried to change the audit log
        - AuditChainBrokenError              `gbvs audit verify` found a broken link
      + PermissionDeniedError        exit 8  the authorization layer said no
      + ForecastError                exit 9  a model cannot be fitted or used
        - NotFittedError                     predict before fit
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from enum import StrEnum
from typing import TypeVar

T = TypeVar("T")
Words = tuple[str, Mapping[str, object]]
"""A message as a catalogue message id (English, with ``%(name)s`` placeholders) and its values (texts,
or :class:`Term` and :class:`Terms` that a page translates too)."""


class Term(str):
    """A value of :func:`said` that is itself a catalogue message (a status such as ``decided``): a page
    shows it translated too ("besloten"), the English text as it is."""

    __slots__ = ()


class Coded(str):
    """A value of :func:`said` that is a code one types (a role: ``analyst``) and has a catalogue name: the
    English text holds the code; a page and the command line show the name in the reader's language with
    the code after it ("analist (analyst)", :func:`name_with_code`)."""

    __slots__ = ("name",)
    name: str

    @classmethod
    def of(cls, code: str, name: str) -> Coded:
        """``code`` named by ``name`` (a catalogue message id)."""
        made = super().__new__(cls, code)
        made.name = name
        return made


def name_with_code(name: str, code: str) -> str:
    """A code by its name with the code one types after it: "ministerie (ministry)"; the name alone where
    it is the code ("police" in English)."""
    return name if name == code else f"{name} ({code})"


class Terms(tuple[str, ...]):
    """Several :class:`Term` values of :func:`said` in one place, written with commas between them; a
    page translates each (an empty list reads :data:`NONE`, translated too)."""

    __slots__ = ()

    def __str__(self) -> str:
        return ", ".join(self) or NONE


class Listed(tuple[str, ...]):
    """Several values of :func:`said` (texts, or :class:`Said` that a page translates) on lines of their
    own, each after "  - " (a report of problems)."""

    __slots__ = ()

    def joined(self, parts: Iterable[str]) -> str:
        """``parts`` (this value's items, or each in the reader's words) written as this value is."""
        return "".join(f"\n  - {part}" for part in parts)

    def __str__(self) -> str:
        return self.joined(self)


class Said(str):
    """A value of :func:`said` that is itself an error's message (a refusal one message repeats with
    what it was about): a page or the command line shows it in its own words too."""

    __slots__ = ("words",)
    words: Words | None

    def __new__(cls, error: GBVSError) -> Said:
        made = super().__new__(cls, str(error))
        made.words = error.words
        return made

    @classmethod
    def of(cls, words: Words) -> Said:
        """``words`` (:func:`said`) as a value of other words, without an error to carry them: a reason
        inside a longer message (an API's 400 lists one per wrong parameter) or a provenance line, shown in
        the reader's words by a page, an export or the command line."""
        made = str.__new__(cls, words[0] % words[1])
        made.words = words
        return made


class Commas(Listed):
    """Several values of :func:`said` (texts, or :class:`Said` that a page translates) in one place, with
    commas between them (the years a state existed: "until 1992, from 1993")."""

    __slots__ = ()

    def joined(self, parts: Iterable[str]) -> str:
        return ", ".join(parts)


class Clauses(Listed):
    """Several :class:`Said` values in one place, written with semicolons between them (the reasons
    of one refused request); a page shows each in its own words."""

    __slots__ = ()

    def joined(self, parts: Iterable[str]) -> str:
        return "; ".join(parts)


def in_words(words: Words, gettext: Callable[[str], str], lang: str | None = None) -> str:
    """``words`` in the language of ``gettext``: the catalogue's message with the values filled in, each
    :class:`Term` translated too, and a :class:`Said` value in its own words; with the reader's ``lang``
    each :class:`Moment`, :class:`Figure` and :class:`Named` as that language writes them too."""
    message, values = words
    return gettext(message) % {name: shown(value, gettext, lang) for name, value in values.items()}


def shown(value: object, gettext: Callable[[str], str], lang: str | None = None) -> object:
    """A value of an error's words as the reader's language shows it (see :func:`in_words`)."""
    if isinstance(value, Terms):
        return ", ".join(gettext(term) for term in value) or gettext(NONE)
    if isinstance(value, Listed):
        return value.joined(str(shown(part, gettext, lang)) for part in value)
    if isinstance(value, Said) and value.words is not None:
        return in_words(value.words, gettext, lang)
    if isinstance(value, Coded):
        return name_with_code(gettext(value.name), value)
    if isinstance(value, Moment | Figure | Named) and lang is not None:
        return value.written_in(lang)
    return gettext(value) if isinstance(value, Term) else value


class Moment(str):
    """A value of :func:`said` that is a point in time: ISO 8601 in UTC with its offset in the English text
    (the API's ``detail``: "2026-12-07T13:05:00+00:00"); a page and the command line's failure show it as
    their other times, in Dutch time with the zone ("7 december 2026 14:05 CET", :func:`gbvs.numbers.moment`;
    :func:`gbvs.cli.texts.said_in`)."""

    __slots__ = ()

    @classmethod
    def of(cls, stamp: datetime | None) -> Moment:
        """``stamp`` (a stored time; one without zone is UTC, as the database keeps them) as a moment;
        None (not recorded) as ``-``."""
        if stamp is None:
            return cls("-")
        aware = stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)
        return cls(aware.astimezone(UTC).isoformat(timespec="seconds"))

    def written_in(self, lang: str) -> str:
        """The moment as a page in ``lang`` shows its times (:func:`gbvs.numbers.moment`)."""
        from gbvs import numbers

        return numbers.moment(None if self == "-" else str(self), lang)


class Figure(str):
    """A value of :func:`said` that is a number: written with a decimal point in the English text (the
    API's ``detail``, "0.812"); a page, an export and the command line write it as their other numbers, in
    the reader's locale ("0,812" in Dutch, :func:`gbvs.numbers.decimal`)."""

    __slots__ = ("digits", "number")
    number: float
    digits: int

    @classmethod
    def of(cls, number: float, digits: int) -> Figure:
        """``number`` with ``digits`` decimals."""
        made = super().__new__(cls, f"{number:.{digits}f}")
        made.number, made.digits = number, digits
        return made

    def written_in(self, lang: str) -> str:
        """The number as ``lang`` writes it."""
        from gbvs import numbers

        return numbers.decimal(self.number, lang, self.digits)


class Named(str):
    """A value of :func:`said` that is a name with a form per language (a country: "Palestine",
    "Palestijnse Gebieden"): the English text holds the English one; a page, an export and the command
    line show the reader's, so no English name stands in a Dutch sentence."""

    __slots__ = ("names",)
    names: Mapping[str, str]

    @classmethod
    def of(cls, names: Mapping[str, str]) -> Named:
        """The name in each language (``names``, by language code; ``en`` is the English text)."""
        made = super().__new__(cls, names["en"])
        made.names = dict(names)
        return made

    def written_in(self, lang: str) -> str:
        """The name in ``lang`` (the English one when it has no other)."""
        return self.names.get(lang, str(self))


class Foreign(str):
    """A value of :func:`said` that is English text from outside GBVS, which no catalogue translates (a
    database driver's own message): a page in another language shows it as it is, marked as English
    (``lang="en"``), inside the sentence that says in the reader's words what happened and what to do."""

    __slots__ = ()


def first_line(error: BaseException) -> str:
    """The first line of ``error``'s text (a driver's message can run on with context), or its class
    name when it has none."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


class WordedValueError(ValueError):
    """A pydantic validator's refusal in :func:`said` words: pydantic keeps it as the ``error`` of its
    ``value_error``, and the reasons of a refused request or file (:mod:`gbvs.fieldreasons`) say it in the
    reader's words; its text is the English one."""

    def __init__(self, words: Words) -> None:
        super().__init__(words[0] % words[1])
        self.words = words


NONE = "none"
"""An empty list in an error's words (a catalogue message: a page translates it)."""


def said(message: str, /, **values: object) -> Words:
    """``message``, a catalogue message id in English with ``%(name)s`` placeholders, and its ``values``:
    give it to an error (``raise InputError(said("case %(case)s is closed", case=3))``) whose message a
    page shows. The error's text is the message filled in; a page shows the catalogue's translation,
    with each :class:`Term` in ``values`` translated too. The catalogue test finds these messages by the
    name ``said``, so call it by that name with the message written out."""
    return message, {
        name: value if isinstance(value, (str, Terms, Listed)) else str(value)
        for name, value in values.items()
    }


def error_text(error: BaseException, gettext: Callable[[str], str]) -> str:
    """What ``error`` says in the language of ``gettext``: its :func:`said` words from the catalogue with
    the values filled in (:func:`in_words`), or its English text when it has none (the CLI's failure line)."""
    words = getattr(error, "words", None)
    return str(error) if words is None else in_words(words, gettext)


class GBVSError(Exception):
    """Base class: everything GBVS raises on purpose.

    ``message``: the English text, or :func:`said` words (then the text is those words filled in, and
    ``words`` keeps them for a page in the reader's language); ``words`` is None for an error no page
    shows in other words than its English text."""

    exit_code = 1

    def __init__(self, message: str | Words = "", words: Words | None = None) -> None:
        if isinstance(message, tuple):
            words = message
            message = words[0] % words[1]
        super().__init__(message)
        self.words = words


class ConfigError(GBVSError):
    """A setting is unsafe or impossible; the message says which and what to set."""

    exit_code = 3


class InputError(GBVSError):
    """Something the user or a file gave us is wrong."""

    exit_code = 4


class FieldError(InputError):
    """One field of a request is wrong; ``field`` is its name as the caller wrote it (the API body's
    name, e.g. ``originRef``), so the API lists it in ``invalidParams``."""

    def __init__(self, field: str, message: str | Words, words: Words | None = None) -> None:
        super().__init__(message, words)
        self.field = field


class FieldErrors(FieldError):
    """Several fields of one request are wrong at once (``errors``, each a :class:`FieldError`), so a form
    shows every error after one send and the API lists each in ``invalidParams``; ``field`` is the first
    one's. Raise :func:`each_field_error`, which gives one error as itself."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        clauses = Clauses(
            Said.of(said("%(name)s: %(reason)s", name=error.field, reason=Said(error))) for error in errors
        )
        super().__init__(errors[0].field, said("invalid request: %(problems)s", problems=clauses))
        self.errors = tuple(errors)


def each_field_error(errors: Sequence[FieldError]) -> FieldError:
    """The error that refuses ``errors`` (one or more) together: the one itself, or :class:`FieldErrors`."""
    return errors[0] if len(errors) == 1 else FieldErrors(errors)


class FieldChecks:
    """Reads a request's fields one by one and keeps each field's :class:`FieldError`, so one refusal
    names every wrong field (:meth:`done`) rather than the first one only."""

    def __init__(self) -> None:
        self.problems: list[FieldError] = []

    def read(self, reader: Callable[[], T]) -> T | None:
        """What ``reader`` reads, or None when it refuses its field (the refusal is kept)."""
        try:
            return reader()
        except FieldError as problem:
            self.problems.append(problem)
            return None

    def done(self) -> None:
        """Refuse every field kept at once (:func:`each_field_error`); nothing when none was wrong."""
        if self.problems:
            raise each_field_error(self.problems)


def field_errors(error: FieldError) -> tuple[FieldError, ...]:
    """Each field's error in ``error`` (a :class:`FieldErrors` holds several)."""
    return error.errors if isinstance(error, FieldErrors) else (error,)


class StateConflictError(InputError):
    """The request is well formed, but the record's current state forbids it (HTTP 409 Conflict),
    e.g. closing an early-action case that is still open."""


class StrategyError(InputError):
    """A strategy data file fails validation (names file, entry and fix)."""


# threat assessment (issue 13)
class MethodError(InputError):
    """A risk-assessment method file fails validation (names file, entry and fix)."""


class SourceError(InputError):
    """A source dataset cannot be used."""


class SourceMissingError(SourceError):
    """The file is neither in the mirror nor in the cache and cannot be fetched."""


class ChecksumMismatchError(SourceError):
    """The file's bytes differ from the checksum we expect."""


class SchemaMismatchError(SourceError):
    """Columns, types, value ranges or keys differ from the declared schema."""


class ParseError(SourceError):
    """The file cannot be read in the declared format."""


class UnknownTargetError(InputError):
    """A forecast target, horizon or unit of analysis does not exist."""


class NotFoundError(GBVSError):
    """A goal, threat, country, table or record does not exist."""

    exit_code = 5


class UnusableSharingGroupError(NotFoundError):
    """A sharing group that does not exist or that one's organisation is not in (one answer for both):
    a wrong value in a form or request body, so the web answers 400 and shows the form again."""


class NoForecastRunError(NotFoundError):
    """No forecast (or backtest) run is stored yet: run `gbvs forecast` or `gbvs backtest`."""


class StoreError(GBVSError):
    """The analytical store is missing or unusable."""

    exit_code = 6


class StoreNotBuiltError(StoreError):
    """The analytical store has not been built: run `gbvs ingest`."""


class SchemaTooNewError(StoreError):
    """A stored file has a schema version newer than this GBVS supports: upgrade GBVS."""


class DatabaseError(GBVSError):
    """The operational database cannot be used."""

    exit_code = 7


class SchemaOutdatedError(DatabaseError):
    """The database schema is behind the code (run `gbvs db upgrade`) or was written by a newer GBVS."""


class AuditLogImmutableError(DatabaseError):
    """The audit log is append-only; updates and deletes are refused."""


class AuditChainBrokenError(DatabaseError):
    """The audit log's hash chain is broken: an entry was changed, removed or replaced."""


class Refusal(StrEnum):
    """Why the authorization layer said no; a refusal page's heading follows it."""

    role = "role"
    """The role lacks the permission (or, as in a round coordinators do not score, the role is the rule)."""
    organisation = "organisation"
    """The thing belongs to another organisation (need-to-know: the grant covers one's own only)."""
    panel = "panel"
    """One's organisation is not on the panel of the threat scenario."""
    other = "other"
    """Any other rule (a form without its CSRF token, a token that does not prove who one is)."""


class PermissionDeniedError(GBVSError):
    """The authorization layer refused the action; ``refusal`` says on what ground."""

    exit_code = 8

    def __init__(
        self, message: str | Words = "", words: Words | None = None, refusal: Refusal = Refusal.other
    ) -> None:
        super().__init__(message, words)
        self.refusal = refusal


class ForecastError(GBVSError):
    """A model cannot be fitted or used."""

    exit_code = 9


class NotFittedError(ForecastError):
    """A model was used before `fit`."""
