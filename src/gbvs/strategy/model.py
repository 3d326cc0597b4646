"""The strategy as typed, frozen data: goals, pillars, threats, drivers, instruments, regions.

Each section is one YAML file (``<section>.yaml`` with a single top-level key ``<section>``);
:class:`Strategy` holds them all. Building a :class:`Strategy` checks every field
(non-empty bilingual text, known literals) and then every cross-reference
(:mod:`gbvs.strategy.checks`); a failure raises :class:`gbvs.errors.StrategyError` naming the
file, the entry, the value and the fix. Query helpers live on :class:`Strategy`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, ValidationInfo, model_validator

from gbvs.bilingual import Frozen, NonEmpty, Text
from gbvs.errors import WordedValueError, said
from gbvs.languages import Lang as Lang  # re-exported: the CLI imports it from here
from gbvs.strategy.countries import derive_country, period_end
from gbvs.strategy.queries import StrategyQueries

Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
Iso3 = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]

#: section name -> file name, in loading order
SECTION_FILES: dict[str, str] = {
    name: f"{name}.yaml"
    for name in (
        "strategy",
        "vital_interests",
        "instruments",
        "frameworks",
        "countries",
        "regions",
        "trends",
        "drivers",
        "threats",
        "pillars",
        "goals",
    )
}


class Ref(Frozen):
    """Where in the strategy document something is said (section and printed page)."""

    section: NonEmpty
    page: int | None = Field(default=None, ge=1)

    def label(self) -> str:
        """'§4.1, p. 26' style label."""
        return f"{self.section}, p. {self.page}" if self.page else self.section


class Period(Frozen):
    """The years a strategy covers."""

    start: int = Field(ge=1900, le=2100)
    end: int = Field(ge=1900, le=2100)

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise WordedValueError(
                said("period ends (%(end)s) before it starts (%(start)s)", end=self.end, start=self.start)
            )
        return self


class Reporting(Frozen):
    """How progress is reported; ``note`` says how an ambiguous wording of the text is read."""

    interval_years: int = Field(ge=1)
    to: Text
    quote: Text
    ref: Ref
    note: Text | None = None


class CoreValue(Frozen):
    """One of the core values the strategy builds on."""

    id: Identifier
    name: Text
    description: Text


class Concept(Frozen):
    """A defined concept (human security, flow security) with the definition the strategy quotes."""

    id: Identifier
    name: Text
    definition: Text
    source: Text
    ref: Ref


class SourceDocument(Frozen):
    """The published document this data encodes."""

    title: NonEmpty
    publisher: NonEmpty
    year: int
    note: Text


class StrategyInfo(Frozen):
    """Metadata of one strategy (file ``strategy.yaml``)."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    title: Text
    subtitle: Text
    period: Period
    coordinating_ministry: Text
    reporting: Reporting
    summary: Text
    core_values: tuple[CoreValue, ...] = Field(min_length=1)
    concepts: tuple[Concept, ...] = ()
    source: SourceDocument


class VitalInterest(Frozen):
    """A vital interest of the national risk assessment, used to score threats."""

    id: Identifier
    name: Text
    description: Text
    source: Text


class Instrument(Frozen):
    """A policy instrument the goals use (diplomacy, development, defence, ...)."""

    id: Identifier
    name: Text
    description: Text


class Framework(Frozen):
    """A linked policy framework (Defensienota, BHOS-nota, ...)."""

    id: Identifier
    name: Text
    description: Text
    in_linked_list: bool = Field(description="Named in the list of linked frameworks in chapter 4.")
    ref: Ref


class Country(Frozen):
    """A country the strategy names, by ISO3 code.

    ``gwcode`` (its Gleditsch-Ward code in the strategy period) and ``name`` are derived from
    :mod:`gbvs.countries` when the strategy is built (:meth:`Strategy._derive_countries`); a
    ``gwcode`` given in the file must agree with it.
    """

    iso3: Iso3
    gwcode: int = Field(ge=1)
    name: Text


class RegionMember(Frozen):
    """A member country of a region; ``named_in_text`` False means our interpretation."""

    iso3: Iso3
    named_in_text: bool


class Region(Frozen):
    """A focus region: either member countries or a group of other regions (``parts``)."""

    id: Identifier
    name: Text
    description: Text
    members: tuple[RegionMember, ...] = ()
    parts: tuple[Identifier, ...] = ()
    membership_basis: Text
    ref: Ref | None = None

    @model_validator(mode="after")
    def _members_or_parts(self) -> Region:
        if bool(self.members) == bool(self.parts):
            raise WordedValueError(
                said("a region needs either 'members' (countries) or 'parts' (region ids), not both")
            )
        return self


class Trend(Frozen):
    """A trend of chapter 2."""

    id: Identifier
    number: Annotated[str, Field(pattern=r"^\d+\.\d+$")]
    title: Text
    summary: Text
    quote: Text
    ref: Ref


class Driver(Frozen):
    """An instability driver (§2.2 list) or an early-warning indicator."""

    id: Identifier
    kind: Literal["driver", "early_warning_indicator"]
    title: Text = Field(description="The strategy's own wording (for drivers: the §2.2 list item).")
    name: Text = Field(description="Short name for lists and charts.")
    summary: Text
    trend: Identifier | None = None
    ref: Ref


class Threat(Frozen):
    """One of the most urgent threats of chapter 3."""

    number: int = Field(ge=1)
    id: Identifier
    title: Text
    summary: Text
    quote: Text
    vital_interests: tuple[Identifier, ...] = Field(min_length=1)
    interests_basis: Text
    ref: Ref


class Pillar(Frozen):
    """One of the three pillars (voorkomen, verdedigen, versterken)."""

    id: Identifier
    number: Annotated[str, Field(pattern=r"^\d+\.\d+$")]
    title: Text
    summary: Text
    quote: Text
    ref: Ref


class Place(Frozen):
    """A place a goal names: a country (ISO3), a region id, or an area (optionally with its countries)."""

    country: Iso3 | None = None
    region: Identifier | None = None
    area: Text | None = None
    countries: tuple[Iso3, ...] = ()
    role: Literal["focus", "partner"] = "focus"

    @model_validator(mode="after")
    def _one_kind(self) -> Place:
        given = [key for key in ("country", "region", "area") if getattr(self, key) is not None]
        if len(given) != 1:
            raise WordedValueError(said("a place is exactly one of 'country', 'region' or 'area'"))
        if self.countries and self.area is None:
            raise WordedValueError(said("'countries' belongs to an 'area' place only"))
        return self

    def iso3_codes(self) -> tuple[str, ...]:
        """The countries this place names directly (the country, or an area's countries)."""
        return (self.country,) if self.country else self.countries


class Goal(Frozen):
    """One of the strategic goals of chapter 4."""

    number: int = Field(ge=1)
    pillar: Identifier
    title: Text
    summary: Text
    quote: Text
    threats: tuple[int, ...] = ()
    drivers: tuple[Identifier, ...] = ()
    instruments: tuple[Identifier, ...] = Field(min_length=1)
    frameworks: tuple[Identifier, ...] = ()
    see_also: tuple[int, ...] = ()
    places: tuple[Place, ...] = ()
    mapping_note: Text | None = None
    ref: Ref


class Strategy(StrategyQueries, Frozen):
    """A whole strategy, every cross-reference resolved (see :mod:`gbvs.strategy.checks`)."""

    strategy: StrategyInfo
    vital_interests: tuple[VitalInterest, ...] = Field(min_length=1)
    instruments: tuple[Instrument, ...] = Field(min_length=1)
    frameworks: tuple[Framework, ...] = ()
    countries: tuple[Country, ...] = ()
    regions: tuple[Region, ...] = ()
    trends: tuple[Trend, ...] = ()
    drivers: tuple[Driver, ...] = ()
    threats: tuple[Threat, ...] = Field(min_length=1)
    pillars: tuple[Pillar, ...] = Field(min_length=1)
    goals: tuple[Goal, ...] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _derive_countries(cls, data: Any) -> Any:
        """Fill each country's Gleditsch-Ward code (at the end of the period) and names."""
        if not isinstance(data, dict) or not isinstance(data.get("countries"), list | tuple):
            return data
        year = period_end(data)
        return {**data, "countries": [derive_country(entry, year) for entry in data["countries"]]}

    @model_validator(mode="after")
    def _references_resolve(self, info: ValidationInfo) -> Strategy:
        from gbvs.strategy.checks import raise_for_problems

        context = info.context if isinstance(info.context, dict) else {}
        raise_for_problems(self, source=context.get("source"))
        return self

    @property
    def id(self) -> str:
        """The strategy id, e.g. ``gbvs-2018-2022``."""
        return self.strategy.id
