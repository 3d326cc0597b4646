"""Frozen records with a text in Dutch and English: the base of the strategy's and of the risk-assessment
method's data files (one definition, so both refuse blank texts and unknown keys alike)."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict

from gbvs.errors import WordedValueError, said
from gbvs.languages import Lang


def _not_blank(value: str) -> str:
    if not value.strip():
        raise WordedValueError(said("text is empty"))
    return value.strip()


NonEmpty = Annotated[str, AfterValidator(_not_blank)]
"""A text with something besides white space, stripped."""


class Frozen(BaseModel):
    """Base for every record read from a data file: immutable, unknown keys refused."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Text(Frozen):
    """A text in Dutch and English."""

    nl: NonEmpty
    en: NonEmpty

    def text(self, lang: Lang) -> str:
        """The text in ``lang`` ('nl' or 'en')."""
        return self.nl if lang == "nl" else self.en
