"""Intercoder reliability per theme: Krippendorff's alpha from the kept ``krippendorff`` package.

For one theme, every coder's judgement of every response is 1 (theme applies), 0 (coded, theme
does not apply) or missing (the coder did not code that response). Krippendorff (2004, 241) asks to
discard variables under 0.667 and to draw only tentative conclusions under 0.8.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import krippendorff
import numpy as np

from gbvs.errors import InputError

TENTATIVE = 0.8
UNRELIABLE = 0.667


class Verdict(StrEnum):
    """What alpha allows."""

    reliable = "reliable"  # alpha >= 0.8
    tentative = "tentative"  # 0.667 <= alpha < 0.8
    unreliable = "unreliable"  # alpha < 0.667
    undefined = "undefined"  # no variation or too few pairable judgements


@dataclass(frozen=True)
class ThemeReliability:
    """Alpha for one theme over the responses coded by two or more coders."""

    theme: str
    alpha: float | None
    verdict: Verdict
    units: int
    coders: int


def verdict_for(alpha: float | None) -> Verdict:
    """The verdict for an alpha value (thresholds 0.667 and 0.8)."""
    if alpha is None or np.isnan(alpha):
        return Verdict.undefined
    if alpha >= TENTATIVE:
        return Verdict.reliable
    return Verdict.tentative if alpha >= UNRELIABLE else Verdict.unreliable


def reliability_matrix(
    coded: Mapping[str, Iterable[str]],
    applied: Iterable[tuple[str, str]],
    coders: Sequence[str],
    units: Sequence[str],
) -> np.ndarray:
    """Coders × units: 1 = coder applied the theme, 0 = coded the unit without it, NaN = not coded.

    ``coded`` maps each coder to the units they coded; ``applied`` holds (coder, unit) pairs with the theme.
    """
    row, column = {c: i for i, c in enumerate(coders)}, {u: j for j, u in enumerate(units)}
    matrix = np.full((len(coders), len(units)), np.nan)
    for coder, seen in coded.items():
        for unit in seen:
            matrix[row[coder], column[unit]] = 0.0
    for coder, unit in applied:
        if np.isnan(matrix[row[coder], column[unit]]):
            raise InputError(f"coder {coder!r} applied a theme to response {unit!r} they did not code")
        matrix[row[coder], column[unit]] = 1.0
    return matrix


def theme_alpha(theme: str, matrix: np.ndarray) -> ThemeReliability:
    """Nominal alpha for one theme's coders × units matrix (``krippendorff.alpha``)."""
    pairable = np.sum(~np.isnan(matrix), axis=0) >= 2
    values = matrix[:, pairable]
    observed = values[~np.isnan(values)]
    coders = int(np.sum(np.any(~np.isnan(values), axis=1))) if values.size else 0
    if pairable.sum() == 0 or np.unique(observed).size < 2:
        return ThemeReliability(theme, None, Verdict.undefined, int(pairable.sum()), coders)
    alpha = float(krippendorff.alpha(reliability_data=values, level_of_measurement="nominal"))
    return ThemeReliability(theme, alpha, verdict_for(alpha), int(pairable.sum()), coders)
