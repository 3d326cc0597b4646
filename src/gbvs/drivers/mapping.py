"""The driver-indicator mapping shipped with the package (``indicators.yaml``), loaded and validated."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Literal, get_args

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from gbvs.errors import InputError

DriverId = Literal[
    "poverty_inequality",
    "illegitimate_governance",
    "polarisation",
    "exclusion_minorities",
    "climate_change",
    "population_urbanisation",
    "resource_scarcity",
    "position_of_women",
    "conflict_history",
]
"""Instability drivers of the strategy (§2.2), the position of women, and conflict history."""

DRIVER_IDS: tuple[str, ...] = get_args(DriverId)


class Text(BaseModel):
    """A text in Dutch and English."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    nl: str
    en: str


class Indicator(BaseModel):
    """One column of the country-year panel and the driver it measures."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    column: str
    driver: DriverId
    direction: Literal[-1, 1]
    source_table: str
    source_column: str
    unit: str
    label: Text
    description: Text
    decimals: int = Field(2, ge=0, le=4)
    """Decimals a page shows (0 for whole numbers: counts, persons, years since, scores)."""
    ranked_by: Literal["risk", "value"] = "risk"
    """How the driver monitor ranks countries: ``risk`` (rank 1 = the most risk by ``direction``) or
    ``value`` (rank 1 = the highest value), for an indicator whose risk does not rise with the value one
    way (Polity2: risk peaks in the middle; population density; the girls-to-boys ratio)."""


class _MappingFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    indicators: list[Indicator]


def parse_mapping(text: str, origin: str = "indicators.yaml") -> tuple[Indicator, ...]:
    """Validate the YAML ``text`` of a mapping; the error names the entry and the fix."""
    try:
        parsed = _MappingFile.model_validate(yaml.safe_load(text))
    except (yaml.YAMLError, ValidationError) as exc:
        raise InputError(f"driver mapping {origin} is invalid: {exc}. Fix the entry named above.") from exc
    columns = [item.column for item in parsed.indicators]
    duplicates = sorted({c for c in columns if columns.count(c) > 1})
    if duplicates:
        raise InputError(f"driver mapping {origin} lists columns twice: {duplicates}; keep one entry each.")
    return tuple(parsed.indicators)


@cache
def load_mapping() -> tuple[Indicator, ...]:
    """The mapping shipped with the package."""
    text = resources.files("gbvs.drivers").joinpath("indicators.yaml").read_text(encoding="utf-8")
    return parse_mapping(text)


def indicators_from(source_table: str) -> tuple[Indicator, ...]:
    """The indicators whose values come from ``source_table``."""
    return tuple(item for item in load_mapping() if item.source_table == source_table)


def drivers_without_indicators() -> list[str]:
    """Driver ids that no indicator of the mapping measures."""
    measured = {item.driver for item in load_mapping()}
    return [driver for driver in DRIVER_IDS if driver not in measured]
