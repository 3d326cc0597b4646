"""An organisation's assessment as it is given: the six fields, the same from a form, an API body or
the command line.

Pure (no I/O). The page forms (``/signalen/{id}/duiding``, ``/zaken/{id}/duiding``), the API
(``POST /api/v1/signals/{id}/assessments``, ``/cases/{id}/assessments``) and the commands
(``gbvs signals assess``, ``gbvs cases assess``) build one :class:`AssessmentInput` and hand it to
:func:`gbvs.db.services.cases.record_assessment`; so the field names, and the rules that an empty
suspected actor or sponsor state means none and that surrounding spaces are no part of a text, live
here once. The service checks the values (vocabulary, lengths, the sponsor state's country).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

JUDGEMENT = "judgement"
LIKELIHOOD = "likelihood"
CONFIDENCE = "confidence"
SUSPECTED_ACTOR = "suspectedActor"
SPONSOR_STATE = "sponsorState"
EVIDENCE = "evidence"
FIELDS: tuple[str, ...] = (JUDGEMENT, LIKELIHOOD, CONFIDENCE, SUSPECTED_ACTOR, SPONSOR_STATE, EVIDENCE)
"""The fields of an assessment as the forms and the API name them (errors name the same)."""


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _optional(value: object) -> str | None:
    return _text(value) or None


@dataclass(frozen=True)
class AssessmentInput:
    """The six fields of an assessment, normalised when made: texts without surrounding spaces, an
    empty (or absent) suspected actor or sponsor state is ``None``."""

    judgement: str
    likelihood: str
    confidence: str
    suspected_actor: str | None = None
    sponsor_state: str | None = None
    evidence: str = ""

    def __post_init__(self) -> None:
        for name in ("judgement", "likelihood", "confidence", "evidence"):
            object.__setattr__(self, name, _text(getattr(self, name)))
        object.__setattr__(self, "suspected_actor", _optional(self.suspected_actor))
        object.__setattr__(self, "sponsor_state", _optional(self.sponsor_state))

    @classmethod
    def from_fields(cls, values: Mapping[str, object]) -> AssessmentInput:
        """From values by their field names (:data:`FIELDS`): an API body's ``model_dump()``; a field
        left out is empty."""
        return cls(
            judgement=_text(values.get(JUDGEMENT)),
            likelihood=_text(values.get(LIKELIHOOD)),
            confidence=_text(values.get(CONFIDENCE)),
            suspected_actor=_optional(values.get(SUSPECTED_ACTOR)),
            sponsor_state=_optional(values.get(SPONSOR_STATE)),
            evidence=_text(values.get(EVIDENCE)),
        )

    @classmethod
    def from_form(cls, form: Mapping[str, Sequence[str]]) -> AssessmentInput:
        """From a page form's fields (each a list of values; a repeated field's values joined by ", ")."""
        return cls.from_fields({name: ", ".join(form.get(name, [])) for name in FIELDS})
