"""Driver families: how forecasts' explanations name each driver, in Dutch and English, keyed by id.

The one place for this wording: the CLI's watchlist summaries (:mod:`gbvs.forecasting.explain`),
the explanation API and the web pages all read it. Keys are the driver ids of
:data:`gbvs.drivers.mapping.DRIVER_IDS` (the strategy's ``drivers.yaml`` ids plus
``conflict_history``, the conflict's own past) and ``other``. The strategy's own, longer driver
names stay in the strategy data; these are the short forms a sentence can carry.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

Lang = Literal["nl", "en"]


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
