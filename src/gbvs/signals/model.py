"""What a signal is: its kinds and a validated draft (before the database gives it an id).

Pure: a :class:`SignalDraft` checks itself on construction, so every way in (form, API, CLI,
importers) gets the same rules and the same error messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from gbvs.errors import InputError, Term, said
from gbvs.signals.markings import (
    Classification,
    Distribution,
    Tlp,
    check_classification,
    check_consistent,
    check_group,
)

TITLE_MAX = 300
DESCRIPTION_MAX = 20_000
TAG_MAX = 64
LIST_MAX = 200


class SignalKind(StrEnum):
    """The kinds of signal goals 6, 8 and 10 ask for."""

    foreign_interference = "foreign_interference"
    cyber_operation = "cyber_operation"
    disinformation = "disinformation"
    cross_border_crime = "cross_border_crime"
    instability_symptom = "instability_symptom"
    other = "other"


KIND_NAMES: dict[str, dict[str, str]] = {
    SignalKind.foreign_interference: {"nl": "Buitenlandse inmenging", "en": "Foreign interference"},
    SignalKind.cyber_operation: {"nl": "Cyberoperatie", "en": "Cyber operation"},
    SignalKind.disinformation: {"nl": "Desinformatie", "en": "Disinformation"},
    SignalKind.cross_border_crime: {"nl": "Grensoverschrijdende criminaliteit", "en": "Cross-border crime"},
    SignalKind.instability_symptom: {"nl": "Symptoom van instabiliteit", "en": "Instability symptom"},
    SignalKind.other: {"nl": "Overig", "en": "Other"},
}
"""The name of each kind of signal in Dutch and English (the register's pages and the progress report)."""


def kind_name(kind: str, lang: str) -> str:
    """The name of signal kind ``kind`` in ``lang`` (``"nl"`` or ``"en"``); the code of an unknown kind."""
    names = KIND_NAMES.get(kind)
    return names[lang] if names else kind


@dataclass(frozen=True)
class Reference:
    """An attachment kept as a reference (URL or document number), not as a file."""

    url: str
    title: str = ""


@dataclass(frozen=True)
class SignalDraft:
    """A signal as entered or imported, validated on construction.

    Countries are ISO3 codes (the database adds Gleditsch-Ward codes by date); ``techniques`` are
    DISARM or ATT&CK ids (``T0049``, ``T0817``); ``threats`` and ``goals`` are strategy ids.
    """

    title: str
    kind: SignalKind
    observed_on: date | None
    reported_on: date
    owner_organisation: str
    tlp: Tlp
    distribution: Distribution
    description: str = ""
    reliability: str = "f"
    credibility: str = "6"
    classification: Classification = Classification.ongerubriceerd
    sharing_group: str | None = None
    red_recipients: tuple[str, ...] = ()
    actor_countries: tuple[str, ...] = ()
    target_countries: tuple[str, ...] = ()
    threats: tuple[int, ...] = ()
    goals: tuple[int, ...] = ()
    sectors: tuple[str, ...] = ()
    techniques: tuple[str, ...] = ()
    references: tuple[Reference, ...] = ()
    tags: tuple[str, ...] = ()
    source: str | None = None
    external_id: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _check_text("title", self.title, TITLE_MAX, required=True)
        _check_text("description", self.description, DESCRIPTION_MAX)
        if self.observed_on and self.observed_on > self.reported_on:
            raise InputError(
                said(
                    "observed date %(observed)s is after the reported date %(reported)s; "
                    "a signal is reported "
                    "after it is observed",
                    observed=self.observed_on,
                    reported=self.reported_on,
                )
            )
        check_classification(self.classification)
        check_consistent(self.tlp, self.distribution, len(self.red_recipients))
        check_group(self.distribution, self.sharing_group is not None)
        for name, values in self._lists().items():
            _check_list(name, values)
        for country in (*self.actor_countries, *self.target_countries):
            if len(country) != 3 or not country.isalpha() or not country.isupper():
                raise InputError(
                    said(
                        "country %(country)s is not an ISO 3166 alpha-3 code such as NLD or RUS",
                        country=repr(country),
                    )
                )

    def _lists(self) -> dict[str, tuple[object, ...]]:
        return {
            "actor countries": self.actor_countries,
            "target countries": self.target_countries,
            "sectors": self.sectors,
            "techniques": self.techniques,
            "references": self.references,
            "tags": self.tags,
            "recipients": self.red_recipients,
        }


def _check_text(name: str, value: str, limit: int, *, required: bool = False) -> None:
    if required and not value.strip():
        raise InputError(said("a signal needs a %(field)s", field=Term(name)))
    if len(value) > limit:
        raise InputError(
            said(
                "%(field)s has %(count)s characters; the limit is %(limit)s: shorten it",
                field=Term(name),
                count=f"{len(value):,}",
                limit=f"{limit:,}",
            )
        )


def _check_list(name: str, values: tuple[object, ...]) -> None:
    if len(values) > LIST_MAX:
        raise InputError(
            said(
                "%(count)s %(field)s; at most %(most)s per signal",
                count=len(values),
                field=Term(name),
                most=LIST_MAX,
            )
        )
    for value in values:
        if isinstance(value, str) and not 0 < len(value) <= TAG_MAX:
            raise InputError(
                said(
                    "each of the %(field)s must be 1-%(most)s characters, got %(value)s",
                    field=Term(name),
                    most=TAG_MAX,
                    value=repr(value[:80]),
                )
            )
