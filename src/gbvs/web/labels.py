"""Interface names of the ids in backtest reports and watchlist alerts, in both languages.

The forecasting module stores ids (``ap``, ``roc_auc``, ``lgbm``, ``region:sahel``) and English
alert texts; the pages show names from the message catalogues instead, falling back to the raw
id (marked ``lang="en"`` by the templates where it is English) when a new id appears.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from gbvs.web.render import N_

METRIC_NAMES: dict[str, str] = {
    "ap": N_("Average precision"),
    "roc_auc": N_("Area under the ROC curve"),
    "brier": N_("Brier score"),
    "log_loss": N_("Log loss"),
    "ece": N_("Calibration error (ECE)"),
    "crps": N_("CRPS"),
    "msle": N_("Mean squared log error"),
}
MODEL_NAMES: dict[str, str] = {
    "lgbm": N_("GBVS model (LightGBM)"),
    "history_logit": N_("Baseline: conflict-history logit"),
    "persistence": N_("Baseline: persistence"),
    "zero": N_("Baseline: always zero"),
    "conflictology": N_("Baseline: own-history bootstrap"),
    "demspaces_v14": N_("DemSpaces v14 (published)"),
}
SUBSET_NAMES: dict[str, str] = {
    "all": N_("all country-years"),
    "onset": N_("onset cases (no conflict the year before)"),
}
DIRECTION_NAMES: dict[str, str] = {
    "down": N_("closing (democratic space shrinks)"),
    "up": N_("opening (democratic space grows)"),
}
COLUMN_NAMES: dict[str, str] = {
    "model": N_("Model"),
    "direction": N_("Direction"),
    "target": N_("Target"),
    "horizon": N_("Horizon"),
    "subset": N_("Subset"),
    "n": N_("Rows"),
    "positives": N_("Positives"),
    "seeds": N_("Seeds"),
}
ALERT_CROSSED_UP = N_("crossed %(threshold)s (up)")
ALERT_CROSSED_DOWN = N_("crossed %(threshold)s (down)")
ALERT_JUMP = N_("jump of %(points)s percentage points")
_CROSSED = re.compile(r"crossed (\d+(?:\.\d+)?)% \((up|down)\)")
_JUMP = re.compile(r"jump of ([+-]\d+) points")


def name(names: Mapping[str, str], value: object, gettext: Callable[[str], str]) -> str:
    """The interface name of ``value`` from ``names`` (translated), or the value itself."""
    known = names.get(str(value))
    return gettext(known) if known else str(value)


def subset_name(value: str, regions: Mapping[str, str], gettext: Callable[[str], str]) -> str:
    """A score subset in words: all, onset, or a focus region's name (``region:<id>``)."""
    if value.startswith("region:"):
        return regions.get(value.removeprefix("region:"), value)
    return name(SUBSET_NAMES, value, gettext)


@dataclass(frozen=True)
class AlertText:
    """An alert in the interface language; ``lang`` is set when it is still the stored English text."""

    text: str
    lang: str | None = None


def alert_text(alert: str, gettext: Callable[[str], str], percent: Callable[[float], str]) -> AlertText:
    """An alert of :func:`gbvs.forecasting.watchlist.alerts` in the interface language.

    The forecasting module stores alerts as English sentences of two known shapes; those are read
    back into their figures. Any other text is kept, marked as English.
    """
    crossed = _CROSSED.fullmatch(alert.strip())
    if crossed:
        template = ALERT_CROSSED_UP if crossed.group(2) == "up" else ALERT_CROSSED_DOWN
        return AlertText(gettext(template) % {"threshold": percent(float(crossed.group(1)) / 100)})
    jump = _JUMP.fullmatch(alert.strip())
    if jump:
        return AlertText(gettext(ALERT_JUMP) % {"points": jump.group(1)})
    return AlertText(alert, lang="en")
