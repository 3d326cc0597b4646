"""Driver families: how forecasts' explanations name each driver, in Dutch and English, keyed by id.

The one place for this wording: the CLI's watchlist summaries (:mod:`gbvs.forecasting.explain`),
the explanation API and the web pages all read it. Keys are the driver ids of
:data:`gbvs.drivers.mapping.DRIVER_IDS` (the strategy's ``drivers.yaml`` ids plus
``conflict_history``, the conflict's own past) and ``other``. The strategy's own, longer driver
names stay in the strategy data; these are the short forms a sentence can carry.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple


class FamilyLabel(NamedTuple):
    """A driver family's short name in Dutch and English (lower case, for use inside a sentence)."""

    nl: str
    en: str


FAMILY_LABELS: dict[str, FamilyLabel] = {
    "conflict_history": FamilyLabel("conflictgeschiedenis", "conflict history"),
    "illegitimate_governance": FamilyLabel("illegitiem bestuur", "illegitimate governance"),
    "polarisation": FamilyLabel("polarisatie", "polarisation"),
    "exclusion_minorities": FamilyLabel("uitsluiting van minderheden", "exclusion of minorities"),
    "poverty_inequality": FamilyLabel("armoede en ongelijkheid", "poverty and inequality"),
    "climate_change": FamilyLabel("klimaatverandering", "climate change"),
    "population_urbanisation": FamilyLabel(
        "bevolkingsgroei en verstedelijking", "population growth and urbanisation"
    ),
    "resource_scarcity": FamilyLabel("schaarste aan hulpbronnen", "resource scarcity"),
    "position_of_women": FamilyLabel("positie van vrouwen", "position of women"),
    "other": FamilyLabel("overig", "other"),
}


def family_label(family: str, lang: str = "en") -> str:
    """The short name of driver family ``family`` in ``lang`` ('nl' or 'en'; an unknown id is shown as is)."""
    label = FAMILY_LABELS.get(family)
    if label is None:
        return family
    return label.nl if lang == "nl" else label.en


def family_labels(lang: str = "en") -> dict[str, str]:
    """Every family id with its short name in ``lang``."""
    return {family: family_label(family, lang) for family in FAMILY_LABELS}


OTHER = "other"
"""The family of features no driver claims: counted in a forecast's direction, named only when alone."""


class MainDrivers(NamedTuple):
    """What moves a forecast most: its direction, the families that push it that way (largest first),
    and the family pushing the other way when it is among the ``top`` largest of all."""

    up: bool
    along: tuple[str, ...]
    against: str | None


def main_drivers(row: Mapping[str, float], top: int = 2) -> MainDrivers | None:
    """The main drivers of one forecast from its family contributions (log-odds); None when nothing
    moves it away from the base rate.

    The direction is that of all contributions together; only families pushing that way are named as
    its cause, so a family that raises the risk is never named for a fall ("risk down mainly from
    illegitimate governance" while illegitimate governance adds +0.69).
    """
    moving = {family: value for family, value in row.items() if abs(value) > 1e-9}
    if not moving:
        return None
    up = sum(moving.values()) >= 0
    drivers = {family: value for family, value in moving.items() if family != OTHER} or moving
    along = _strongest([f for f, v in drivers.items() if (v > 0) == up], drivers)[:top]
    if not along:  # only the unclaimed features push this way
        along = [OTHER]
    leading = _strongest(list(drivers), drivers)[:top]
    opposed = [family for family in leading if family not in along and family != OTHER]
    return MainDrivers(up, tuple(along), opposed[0] if opposed else None)


def _strongest(families: list[str], values: Mapping[str, float]) -> list[str]:
    return sorted(families, key=lambda family: -abs(values[family]))
