"""Intercoder reliability per theme: Krippendorff's alpha from the kept ``krippendorff`` package.

For one theme, every coder's judgement of every response is 1 (theme applies), 0 (coded, theme
does not apply) or missing (the coder did not code that response). Krippendorff (2004, 241) asks to
discard variables under 0.667 and to draw only tentative conclusions under 0.8.

The verdict follows the lower end of alpha's 95% interval, not its point value: Krippendorff asks that
the smallest acceptable alpha be met with a chosen confidence (Hayes & Krippendorff 2007, Communication
Methods and Measures 1:77-89, who report the interval and the probability of failing the minimum;
Krippendorff, Content Analysis, 4th ed. 2019, ch. 12, "Statistical Considerations"). Without an interval
(too few variable resamples) nothing bounds alpha from below: the point decides, but never better than
*tentative*.

Alpha carries a 95% percentile bootstrap interval over the responses (the units): 1,000 resamples
of the responses coded by two or more coders, with replacement (Zapf et al. 2016, BMC Medical
Research Methodology 16:93), seeded so a page shows the same interval every time. A resample in
which the theme shows no variation has no alpha; when more than 5% of them have none, the interval
is left out (a theme applied to a handful of responses has no meaningful interval).
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
CONFIDENCE = 0.95
RESAMPLES = 1_000
SEED = 20_180_101
MAX_UNDEFINED = 0.05
"""The largest share of resamples without alpha for which the interval is still given."""


class Verdict(StrEnum):
    """What alpha allows (judged on the lower end of its 95% interval)."""

    reliable = "reliable"  # lower end >= 0.8
    tentative = "tentative"  # 0.667 <= lower end < 0.8 (or no interval and alpha >= 0.667)
    unreliable = "unreliable"  # lower end < 0.667
    undefined = "undefined"  # no variation or too few pairable judgements


LOWER, POINT = "lower", "point"
"""What a verdict rests on: the lower end of alpha's interval, or (without an interval) alpha itself."""
BASIS_WORDS = {LOWER: "the lower end of its interval", POINT: "alpha itself, without an interval"}
"""What a verdict rests on, as message ids of the catalogues (the command line's and the export's)."""


@dataclass(frozen=True)
class ThemeReliability:
    """Alpha for one theme over the responses coded by two or more coders."""

    theme: str
    alpha: float | None
    verdict: Verdict
    units: int
    coders: int
    lower: float | None = None
    upper: float | None = None
    """The 95% bootstrap interval (None when alpha, or too many resamples, are undefined)."""
    codebook_version: int = 1
    """The codebook version from which the codings count: the theme's current definition holds since."""
    coder_units: tuple[tuple[str, int], ...] = ()
    """Per coder, how many of the ``units`` they judged (alpha's n per coder; a coder may miss some)."""

    @property
    def basis(self) -> str | None:
        """What the verdict rests on: :data:`LOWER`, :data:`POINT` (no interval) or None (no alpha)."""
        if self.alpha is None:
            return None
        return POINT if self.lower is None else LOWER


def _threshold_verdict(value: float) -> Verdict:
    if value >= TENTATIVE:
        return Verdict.reliable
    return Verdict.tentative if value >= UNRELIABLE else Verdict.unreliable


def verdict_for(alpha: float | None, lower: float | None) -> Verdict:
    """The verdict from the lower end of alpha's 95% interval (thresholds 0.667 and 0.8); without an
    interval from alpha itself, but at most *tentative*: nothing shows that alpha's 0.8 is met."""
    if alpha is None or np.isnan(alpha):
        return Verdict.undefined
    if lower is not None:
        return _threshold_verdict(lower)
    found = _threshold_verdict(alpha)
    return Verdict.tentative if found is Verdict.reliable else found


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


def resampled_alphas(matrix: np.ndarray, draws: np.ndarray) -> np.ndarray:
    """Nominal alpha of a 0/1 coders × units matrix for each resample of its units (``draws``:
    resamples × units, the units' column numbers); NaN where a resample shows no variation.

    From the coincidences of each unit (Krippendorff 2004): alpha = 1 - (n - 1) o01 / (n0 n1), with
    o01 = the sum over pairable units of n_u0 n_u1 / (m_u - 1), and n0, n1 the pairable values."""
    ones, zeros = np.sum(matrix == 1, axis=0), np.sum(matrix == 0, axis=0)
    pairable = ones + zeros >= 2
    disagreement = np.where(pairable, ones * zeros / np.maximum(ones + zeros - 1, 1), 0.0)
    resamples, units = draws.shape
    offsets = (np.arange(resamples) * units)[:, None]
    taken = np.bincount((draws + offsets).ravel(), minlength=resamples * units).reshape(resamples, units)
    taken = taken * pairable
    n0, n1 = taken @ np.where(pairable, zeros, 0), taken @ np.where(pairable, ones, 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        found = 1.0 - (n0 + n1 - 1) * (taken @ disagreement) / (n0 * n1)
    return np.where(n0 * n1 > 0, found, np.nan)


def _interval(values: np.ndarray) -> tuple[float, float] | tuple[None, None]:
    """The percentile bootstrap interval of alpha over the units of ``values`` (all pairable)."""
    draws = np.random.default_rng(SEED).integers(0, values.shape[1], (RESAMPLES, values.shape[1]))
    alphas = resampled_alphas(values, draws)
    defined = alphas[~np.isnan(alphas)]
    if defined.size < (1 - MAX_UNDEFINED) * RESAMPLES:
        return None, None
    tail = (1 - CONFIDENCE) / 2 * 100
    return float(np.percentile(defined, tail)), float(np.percentile(defined, 100 - tail))


def theme_alpha(theme: str, matrix: np.ndarray, names: Sequence[str] = ()) -> ThemeReliability:
    """Nominal alpha for one theme's coders × units matrix (``krippendorff.alpha``); ``names``, the
    coders of the matrix's rows, for the number of units each judged.

    A missing value (NaN: the coder did not judge the unit) is what ``krippendorff.alpha`` expects for
    it: only units with two or more values are pairable, and each unit's values weigh 1/(m_u - 1)."""
    pairable = np.sum(~np.isnan(matrix), axis=0) >= 2
    values = matrix[:, pairable]
    observed = values[~np.isnan(values)]
    coders = int(np.sum(np.any(~np.isnan(values), axis=1))) if values.size else 0
    per_coder = tuple(
        (name, int(np.sum(~np.isnan(values[row])))) for row, name in enumerate(names) if row < len(values)
    )
    if pairable.sum() == 0 or np.unique(observed).size < 2:
        return ThemeReliability(
            theme, None, Verdict.undefined, int(pairable.sum()), coders, coder_units=per_coder
        )
    alpha = float(krippendorff.alpha(reliability_data=values, level_of_measurement="nominal"))
    lower, upper = _interval(values)
    verdict = verdict_for(alpha, lower)
    return ThemeReliability(
        theme, alpha, verdict, int(pairable.sum()), coders, lower, upper, coder_units=per_coder
    )
