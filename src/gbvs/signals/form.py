"""A new signal from the fields of a form or an API request, with an error per field.

Pure (no I/O): the web form and ``POST /api/v1/signals`` both call :func:`parse_signal`, so they
check the same things and name the same fields. Each field is checked on its own first, so one
answer lists every wrong field; the rules across fields (marking and distribution, dates) are then
attributed to the field a user would change. The draft itself (:class:`SignalDraft`) checks again.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from gbvs.countries import iso3_typed
from gbvs.errors import InputError, NotFoundError, Term, Words, said
from gbvs.signals import vocabularies
from gbvs.signals.markings import (
    Classification,
    Distribution,
    check_classification,
    check_consistent,
    check_group,
    parse_classification,
    parse_tlp,
)
from gbvs.signals.model import DESCRIPTION_MAX, TITLE_MAX, SignalDraft, SignalKind
from gbvs.signals.techniques import check_techniques

FIELDS: tuple[str, ...] = (
    "title",
    "description",
    "kind",
    "observedOn",
    "reportedOn",
    "tlp",
    "distribution",
    "sharingGroup",
    "recipients",
    "classification",
    "reliability",
    "credibility",
    "actorCountries",
    "targetCountries",
    "threats",
    "goals",
    "techniques",
    "sectors",
    "tags",
)
"""The fields a new signal has, as the form and the API name them."""

Fields = Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class FieldError:
    """What is wrong with one field, and how to fix it (``words``: the message as :func:`said` words,
    which the form shows in the reader's language)."""

    field: str
    message: str
    words: Words | None = None

    def __str__(self) -> str:
        return self.message

    @classmethod
    def of(cls, field: str, problem: InputError) -> FieldError:
        """The field's error from a refusal of the checks."""
        return cls(field, str(problem), problem.words)


@dataclass(frozen=True)
class Vocabulary:
    """What the checks compare against: strategy threats and goals, known countries and techniques."""

    threats: Collection[int]
    goals: Collection[int]
    countries: Collection[str]
    techniques: Collection[str] = ()


@dataclass(frozen=True)
class Parsed:
    """The outcome: a draft, or the errors per field (never both)."""

    draft: SignalDraft | None
    errors: tuple[FieldError, ...]


def first(fields: Fields, name: str) -> str:
    """The first value of a field, stripped ('' when absent)."""
    values = fields.get(name) or ()
    return values[0].strip() if values else ""


def many(fields: Fields, name: str) -> tuple[str, ...]:
    """All values of a field; a value may itself list several, separated by commas or new lines."""
    out: list[str] = []
    for value in fields.get(name) or ():
        out += [part.strip() for part in value.replace("\n", ",").split(",") if part.strip()]
    return tuple(dict.fromkeys(out))


def parse_signal(fields: Fields, *, owner: str, today: date, known: Vocabulary) -> Parsed:
    """Check every field of a new signal of ``owner``; a draft when all is well, else the errors."""
    errors: list[FieldError] = []
    values: dict[str, Any] = {}

    def check(name: str, reader: Callable[[], Any]) -> None:
        try:
            values[name] = reader()
        except InputError as problem:
            errors.append(FieldError.of(name, problem))

    check("title", lambda: _text(first(fields, "title"), "title", TITLE_MAX, required=True))
    check("description", lambda: _text(first(fields, "description"), "description", DESCRIPTION_MAX))
    check("kind", lambda: _kind(first(fields, "kind")))
    check("reportedOn", lambda: _date(first(fields, "reportedOn"), "reported date", today) or today)
    check("observedOn", lambda: _date(first(fields, "observedOn"), "observed date", today))
    check("tlp", lambda: parse_tlp(first(fields, "tlp") or "amber"))
    check("distribution", lambda: _distribution(first(fields, "distribution") or "organisation"))
    check("classification", lambda: _classification(first(fields, "classification")))
    check("reliability", lambda: vocabularies.reliability(first(fields, "reliability") or "f").value)
    check("credibility", lambda: vocabularies.credibility(first(fields, "credibility") or "6").value)
    check("actorCountries", lambda: _countries(many(fields, "actorCountries"), known.countries))
    check("targetCountries", lambda: _countries(many(fields, "targetCountries"), known.countries))
    check("threats", lambda: _numbers(many(fields, "threats"), "threat", known.threats))
    check("goals", lambda: _numbers(many(fields, "goals"), "goal", known.goals))
    check("techniques", lambda: _techniques(many(fields, "techniques"), known.techniques))
    check("tags", lambda: tuple(vocabularies.checked_tag(tag) for tag in many(fields, "tags")))
    group = first(fields, "sharingGroup") or None
    recipients = many(fields, "recipients")
    errors += _across(values, group, recipients)
    if errors:
        return Parsed(None, tuple(errors))
    try:
        draft = SignalDraft(
            title=values["title"],
            description=values["description"],
            kind=values["kind"],
            observed_on=values["observedOn"],
            reported_on=values["reportedOn"],
            owner_organisation=owner,
            tlp=values["tlp"],
            distribution=values["distribution"],
            classification=values["classification"],
            sharing_group=group,
            red_recipients=recipients,
            reliability=values["reliability"],
            credibility=values["credibility"],
            actor_countries=values["actorCountries"],
            target_countries=values["targetCountries"],
            threats=values["threats"],
            goals=values["goals"],
            techniques=values["techniques"],
            sectors=many(fields, "sectors"),
            tags=values["tags"],
        )
    except InputError as problem:  # a list too long or a tag too long: named by the message
        return Parsed(None, (FieldError.of(_field_of(str(problem)), problem),))
    return Parsed(draft, ())


def _across(values: dict[str, Any], group: str | None, recipients: tuple[str, ...]) -> list[FieldError]:
    errors: list[FieldError] = []
    tlp, distribution = values.get("tlp"), values.get("distribution")
    if tlp is not None and distribution is not None:
        try:
            check_consistent(tlp, distribution, len(recipients))
        except InputError as problem:
            blame = "recipients" if "recipient" in str(problem) else "distribution"
            errors.append(FieldError.of(blame, problem))
        try:
            check_group(distribution, group is not None)
        except InputError as problem:
            errors.append(FieldError.of("sharingGroup", problem))
    observed, reported = values.get("observedOn"), values.get("reportedOn")
    if observed and reported and observed > reported:
        late = said(
            "observed date %(observed)s is after the reported date %(reported)s; a signal is reported later",
            observed=observed,
            reported=reported,
        )
        errors.append(FieldError.of("observedOn", InputError(late)))
    return errors


def _field_of(message: str) -> str:
    for name, words in (("sectors", "sectors"), ("tags", "tags"), ("recipients", "recipients")):
        if words in message:
            return name
    return "title"


def _text(value: str, name: str, limit: int, *, required: bool = False) -> str:
    if required and not value:
        raise InputError(said("a signal needs a %(field)s", field=Term(name)))
    if len(value) > limit:
        raise InputError(
            said(
                "%(field)s has %(count)s characters; the limit is %(most)s: shorten it",
                field=Term(name),
                count=format(len(value), ","),
                most=format(limit, ","),
            )
        )
    return value


def _kind(value: str) -> SignalKind:
    try:
        return SignalKind(value)
    except ValueError:
        choices = ", ".join(kind.value for kind in SignalKind)
        raise InputError(
            said("unknown kind '%(kind)s'; use one of: %(choices)s", kind=value, choices=choices)
        ) from None


def _distribution(value: str) -> Distribution:
    try:
        return Distribution(value)
    except ValueError:
        choices = ", ".join(item.value for item in Distribution)
        raise InputError(
            said("unknown distribution '%(value)s'; use one of: %(choices)s", value=value, choices=choices)
        ) from None


def _classification(value: str) -> Classification:
    level = parse_classification(value) if value else Classification.ongerubriceerd
    check_classification(level)
    return level


def _date(value: str, name: str, today: date) -> date | None:
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise InputError(
            said("%(field)s '%(value)s' is not a date; write it as YYYY-MM-DD", field=Term(name), value=value)
        ) from None
    if day > today:
        raise InputError(
            said("%(field)s %(day)s lies in the future; give the day it happened", field=Term(name), day=day)
        )
    return day


def _countries(typed: tuple[str, ...], known: Collection[str]) -> tuple[str, ...]:
    """ISO3 codes of the countries typed as codes or names in Dutch or English ("NLD", "Rusland")."""
    found: list[str] = []
    wrong: list[str] = []
    for text in typed:
        code = _country_code(text)
        if code is not None and code in known:
            found.append(code)
        else:
            wrong.append(text)
    if wrong:
        raise InputError(
            said(
                "unknown country %(wrong)s; give an ISO3 code such as NLD or the country's name in Dutch or "
                "English",
                wrong=", ".join(repr(text[:40]) for text in wrong),
            )
        )
    return tuple(found)


def _country_code(text: str) -> str | None:
    try:
        return iso3_typed(text)
    except NotFoundError:
        return None


def _numbers(values: tuple[str, ...], name: str, known: Collection[int]) -> tuple[int, ...]:
    numbers: list[int] = []
    for value in values:
        if not value.isdigit() or int(value) not in known:
            choices = ", ".join(str(n) for n in sorted(known))
            raise InputError(
                said(
                    "%(field)s '%(value)s' is not in the strategy; use one of: %(choices)s",
                    field=Term(name),
                    value=value,
                    choices=choices,
                )
            )
        numbers.append(int(value))
    return tuple(numbers)


def _techniques(values: tuple[str, ...], known: Collection[str]) -> tuple[str, ...]:
    if not known:
        return tuple(value.upper() for value in values)
    return check_techniques(values, known)


def errors_by_field(errors: Sequence[FieldError]) -> dict[str, FieldError]:
    """The errors keyed by field (the first per field), for a form that shows each beside its field."""
    out: dict[str, FieldError] = {}
    for error in errors:
        out.setdefault(error.field, error)
    return out
