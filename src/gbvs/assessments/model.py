"""A risk-assessment method as typed, frozen data: interests, impact criteria, class scales,
likelihood classes (hazard and threat variants) and weight sets.

One YAML file per method (``data/methods/<folder>/method.yaml``, single top-level key ``method``).
Any value the sources at hand do not confirm carries ``needs_review: true`` and ``check_against``
(the source and place to check it in); :func:`unconfirmed` lists them for pages, reports and the README.
Cross-references are checked by :func:`gbvs.assessments.checks.find_problems`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, Field, model_validator

from gbvs.bilingual import Frozen, NonEmpty, Text
from gbvs.errors import WordedValueError, said
from gbvs.languages import N_

ScenarioKind = Literal["hazard", "threat"]
SCENARIO_KINDS: tuple[ScenarioKind, ...] = ("hazard", "threat")
Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
CriterionId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.]*$", max_length=32)]
ClassCode = Annotated[str, Field(pattern=r"^[A-Z0-9]{1,3}$")]
LIKELIHOOD = "likelihood"
"""The key under which a score sheet holds the likelihood class (never a criterion id)."""


def subject_msgid(criterion: str) -> str:
    """What a dissent or a row of scores is about, to put through the reader's ``gettext``: the
    likelihood as a word (a message id), a criterion as its number (no translation exists for it)."""
    return N_("likelihood") if criterion == LIKELIHOOD else criterion


class Reviewable(Frozen):
    """A record whose values may be unconfirmed: then ``needs_review`` and where to check them."""

    needs_review: bool = False
    check_against: str | None = None

    @model_validator(mode="after")
    def _says_where_to_check(self) -> Reviewable:
        if self.needs_review and not (self.check_against or "").strip():
            raise WordedValueError(
                said("needs_review is true but check_against is empty; name the source to check")
            )
        return self


class Source(Frozen):
    """A document the method is taken from (key as in the fact sheet)."""

    key: NonEmpty
    title: NonEmpty
    url: str | None = None
    lang: Literal["nl", "en"] = "nl"
    """The language of the title (pages mark it, WCAG 3.1.2)."""


class Interest(Reviewable):
    """A national security (vital) interest that impact criteria are grouped under."""

    id: Identifier
    name: Text
    sources: tuple[str, ...] = Field(min_length=1)
    strategy_interest: Identifier | None = None


class Criterion(Reviewable):
    """An impact criterion (e.g. NRB 2.1 'Doden'), scored on the impact scale."""

    id: CriterionId
    interest: Identifier
    name: Text
    sources: tuple[str, ...] = Field(min_length=1)


class ScaleClass(Reviewable):
    """One class of a scale: its code (A-E, X), the number used in the maths, label and boundary."""

    code: ClassCode
    value: float = Field(ge=0)
    label: Text
    boundary: Text | None = None


class Scale(Reviewable):
    """An ordered class scale (lowest first)."""

    id: Identifier
    name: Text
    classes: tuple[ScaleClass, ...] = Field(min_length=2)
    sources: tuple[str, ...] = Field(min_length=1)

    def code_of(self, code: str) -> ScaleClass:
        """The class with ``code``; KeyError naming the valid codes when there is none."""
        for scale_class in self.classes:
            if scale_class.code == code:
                return scale_class
        raise KeyError(f"class {code!r} is not on scale {self.id!r}; use one of {self.codes()}")

    def codes(self) -> tuple[str, ...]:
        """The class codes, lowest first."""
        return tuple(scale_class.code for scale_class in self.classes)

    def values(self) -> tuple[float, ...]:
        """The distinct class values, ascending."""
        return tuple(sorted({scale_class.value for scale_class in self.classes}))


class LikelihoodScale(Scale):
    """Likelihood classes for the scenario kinds in ``applies_to`` and how the class is determined."""

    applies_to: tuple[ScenarioKind, ...] = Field(min_length=1)
    basis: Text


class WeightSet(Reviewable):
    """A preference profile: a weight per criterion (normalised to sum 1 before use)."""

    id: Identifier
    name: Text
    description: Text
    weights: dict[str, float]

    def normalised(self) -> dict[str, float]:
        """The weights divided by their sum."""
        total = sum(self.weights.values())
        return {criterion: weight / total for criterion, weight in self.weights.items()}


class Aggregation(Reviewable):
    """How criterion scores combine into one impact score."""

    method: Literal["weighted_sum"]
    sources: tuple[str, ...] = Field(min_length=1)


class Method(Frozen):
    """A risk-assessment method (NRB 2009, a plain 5 x 5 matrix, ...)."""

    id: Identifier
    version: NonEmpty
    name: Text
    description: Text
    sources: tuple[Source, ...] = Field(min_length=1)
    aggregation: Aggregation
    interests: tuple[Interest, ...] = Field(min_length=1)
    criteria: tuple[Criterion, ...] = Field(min_length=1)
    impact_scale: Scale
    likelihood_scales: tuple[LikelihoodScale, ...] = Field(min_length=1)
    weight_sets: tuple[WeightSet, ...] = Field(min_length=1)

    def criterion_ids(self) -> tuple[str, ...]:
        """The criteria in file order."""
        return tuple(criterion.id for criterion in self.criteria)

    def likelihood_scale(self, kind: ScenarioKind) -> LikelihoodScale:
        """The likelihood scale for hazard or threat scenarios."""
        for scale in self.likelihood_scales:
            if kind in scale.applies_to:
                return scale
        raise KeyError(f"method {self.id!r} has no likelihood scale for {kind!r} scenarios")

    def weight_set(self, weight_set_id: str) -> WeightSet:
        """The weight set ``weight_set_id``; KeyError naming the valid ids."""
        for weight_set in self.weight_sets:
            if weight_set.id == weight_set_id:
                return weight_set
        valid = ", ".join(ws.id for ws in self.weight_sets)
        raise KeyError(f"weight set {weight_set_id!r} is not in method {self.id!r}; use one of {valid}")

    def scales_unconfirmed(self) -> bool:
        """Whether a class of the impact or a likelihood scale (the risk diagram's axes) is unconfirmed."""
        scales = (self.impact_scale, *self.likelihood_scales)
        return any(s.needs_review or any(c.needs_review for c in s.classes) for s in scales)

    def label(self) -> str:
        """``nrb_2009 v2009.1`` style label."""
        return f"{self.id} v{self.version}"


@dataclass(frozen=True)
class Unconfirmed:
    """A value of a method marked ``needs_review``: where it is in the method file, what it is in words
    and the source to check it against."""

    entry: str
    check_against: str
    what: Text


def unconfirmed(method: Method) -> tuple[Unconfirmed, ...]:
    """Every record of ``method`` marked ``needs_review``, in file order."""
    return tuple(_walk_unconfirmed(method, "method", None))


def _walk_unconfirmed(value: object, entry: str, scale: Scale | None) -> Iterator[Unconfirmed]:
    if isinstance(value, Reviewable) and value.needs_review:
        yield Unconfirmed(entry, value.check_against or "", _what(value, scale))
    if isinstance(value, Scale):
        scale = value
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _walk_unconfirmed(getattr(value, name), f"{entry}.{name}", scale)
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            key = getattr(item, "id", None) or getattr(item, "code", None) or index
            yield from _walk_unconfirmed(item, f"{entry}[{key}]", scale)


def _what(value: Reviewable, scale: Scale | None) -> Text:
    """A reviewable value in words, as a reader of the method would name it."""
    if isinstance(value, Criterion):
        return Text(
            nl=f"Impactcriterium {value.id}: {value.name.nl}",
            en=f"Impact criterion {value.id}: {value.name.en}",
        )
    if isinstance(value, ScaleClass) and scale is not None:
        return Text(
            nl=f"{scale.name.nl}, klasse {value.code} ({value.label.nl})",
            en=f"{scale.name.en}, class {value.code} ({value.label.en})",
        )
    if isinstance(value, WeightSet):
        return Text(nl=f"Weging: {value.name.nl}", en=f"Weight set: {value.name.en}")
    if isinstance(value, Scale | Interest):
        return value.name
    return Text(nl="Aggregatie (gewogen som)", en="Aggregation (weighted sum)")
