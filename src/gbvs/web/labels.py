"""Interface names of the ids in backtest reports and watchlist alerts, in both languages.

The forecasting module stores ids (``ap``, ``roc_auc``, ``lgbm``, ``region:sahel``) and makes
structured alerts (a case's frozen warning keeps them as English sentences); the pages show names from
the message catalogues instead, falling back to the raw id (marked ``lang="en"`` by the templates where
it is English) when a new id appears.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from gbvs.forecasting.evaluation import origin_of
from gbvs.forecasting.watchlist import Alert, AlertKind, jump_points
from gbvs.web.render import N_

METRIC_NAMES: dict[str, str] = {
    "ap": N_("Average precision"),
    "roc_auc": N_("Area under the ROC curve"),
    "brier": N_("Brier score"),
    "log_loss": N_("Log loss"),
    "ece": N_("Calibration error (ECE)"),
    "crps": N_("CRPS"),
    "msle": N_("Mean squared log error"),
    "cov50": N_("Share inside the 50% interval"),  # battle-death interval coverage (issue 11)
    "cov90": N_("Share inside the 90% interval"),
    "pit50": N_("Randomised PIT coverage, 50%"),
    "pit90": N_("Randomised PIT coverage, 90%"),
}
MODEL_NAMES: dict[str, str] = {
    "lgbm": N_("GBVS model (LightGBM)"),
    "lgbm_seed_mean": N_("GBVS model, mean of its seeds (as published)"),
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
ORIGIN_SUBSET_NAME = N_("forecasts made in %(year)s")
CONTINENT_NAMES: dict[str, str] = {
    "Africa": N_("Africa"),
    "America": N_("Americas"),
    "Asia": N_("Asia"),
    "Europe": N_("Europe"),
    "Oceania": N_("Oceania"),
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
    "trained_on": N_("Trained on"),
}
TRAINED_ON_NAMES: dict[str, str] = {
    "outcomes_known_at_origin": N_("outcomes known at the forecast date"),
    "outcomes_after_origin": N_("also outcomes after the forecast date"),
}
"""What a model's past forecasts were trained on (:class:`gbvs.forecasting.anchor.TrainedOn`)."""
SPACE_NAMES: dict[str, str] = {
    "associational": N_("associational space"),
    "economic": N_("economic space"),
    "electoral": N_("electoral space"),
    "governing": N_("governing space"),
    "individual": N_("individual space"),
    "informational": N_("informational space"),
}
SPACE_CHANGE: dict[str, str] = {"closing": N_("closing: %(space)s"), "opening": N_("opening: %(space)s")}
GOAL_SCOPES: dict[str, str] = {
    "incidence h1, all rows": N_("armed conflict, 1 year ahead, all country-years"),
    "incidence h1, onset subset": N_("armed conflict, 1 year ahead, onset cases"),
    "incidence h2, all rows": N_("armed conflict, 2 years ahead, all country-years"),
    "incidence h3, all rows": N_("armed conflict, 3 years ahead, all country-years"),
    "battle_deaths h1, all rows": N_("battle deaths, 1 year ahead, all country-years"),
    "closing (pooled 6 spaces)": N_("closing of democratic space (the six spaces pooled)"),
    "opening (pooled 6 spaces)": N_("opening of democratic space (the six spaces pooled)"),
}
GOAL_AGAINST = N_("%(metric)s against %(model)s")
ALERT_CROSSED_UP = N_("crossed %(threshold)s (up)")
ALERT_CROSSED_DOWN = N_("crossed %(threshold)s (down)")
ALERT_JUMP = N_("jump of %(points)s percentage points")
CONSULTATION_PHASES: dict[str, str] = {
    "coding": N_("coding"),
    "adjudication": N_("adjudication"),
    "closed": N_("closed"),
}
"""A consultation's phase as stored (:class:`gbvs.db.opinion_models.ConsultationPhase`), in words."""
CODEBOOK_CHANGES: dict[str, str] = {
    "add": N_("theme added"),
    "reword": N_("theme reworded"),
    "merge": N_("theme merged"),
    "retire": N_("theme retired"),
}
"""A codebook revision's kind as stored (:class:`gbvs.db.opinion_models.CodebookChangeKind`), in words."""
REWORDINGS: dict[str, str] = {
    "meaning": N_("change of meaning: codings made before are asked again"),
    "editorial": N_("editorial: codings made before stay valid"),
}
"""What a rewording changed (``meaning_changed`` of a codebook revision), in words."""
ROUND_CHANGES: dict[str, str] = {
    "withdrawn": N_("withdrawn from the coding"),
    "reinstated": N_("reinstated in the coding (withdrawal undone)"),
}
"""A step in a coder's place in the coding round (:class:`gbvs.db.services.consultation_round.RoundChange`),
in words."""


def rewording(meaning_changed: bool) -> str:
    """The :data:`REWORDINGS` key of a rewording that did (or did not) change the theme's meaning."""
    return "meaning" if meaning_changed else "editorial"


SAMPLE_KINDS: dict[str, str] = {
    "probability": N_("probability sample"),
    "nonprobability": N_("non-probability sample"),
}
"""A poll's sample kind as stored (:class:`gbvs.opinion.estimates.SampleKind`), in words."""
RESPONDENT_TYPES: dict[str, str] = {
    "citizen": N_("citizen"),
    "business": N_("business"),
    "ngo_union": N_("NGO or union"),
    "researcher": N_("researcher"),
    "government": N_("government"),
    "other": N_("other respondent"),
}
"""A consultation respondent's type as stored (:data:`gbvs.opinion.consultation.RESPONDENT_TYPES`)."""
ALERT_JUMP_ONE = "jump of %(points)s percentage point"
"""The singular of :data:`ALERT_JUMP` (with it as the plural) for :func:`alert_words` given ``ngettext``:
the catalogues hold the pair as one plural entry (``actions.po``), so it is not marked as a message."""
_GOAL = re.compile(r"(.+): (\w+)(?: vs (\w+))?")


def name(names: Mapping[str, str], value: object, gettext: Callable[[str], str]) -> str:
    """The interface name of ``value`` from ``names`` (translated), or the value itself."""
    known = names.get(str(value))
    return gettext(known) if known else str(value)


def target_name(value: str, targets: Mapping[str, str], gettext: Callable[[str], str]) -> str:
    """A forecast target in words, including the DemSpaces targets ``closing_<space>``/``opening_<space>``."""
    change, _, space = value.partition("_")
    if change in SPACE_CHANGE and space in SPACE_NAMES:
        return gettext(SPACE_CHANGE[change]) % {"space": gettext(SPACE_NAMES[space])}
    return name(targets, value, gettext)


def subset_name(value: str, regions: Mapping[str, str], gettext: Callable[[str], str]) -> str:
    """A score subset in words: all, onset, a focus region (``region:<id>``), a continent or the forecasts
    of one year (``origin:<year>``)."""
    if (year := origin_of(value)) is not None:
        return gettext(ORIGIN_SUBSET_NAME) % {"year": year}
    region = value.removeprefix("region:")
    if region.startswith("continent:"):
        return name(CONTINENT_NAMES, region.removeprefix("continent:"), gettext)
    if region != value:
        return regions.get(region, value)
    return name(SUBSET_NAMES, value, gettext)


@dataclass(frozen=True)
class Shown:
    """A stored text in the interface language; ``lang`` is set when it is still the stored English."""

    text: str
    lang: str | None = None
    suffix: str = ""
    """Text after ``text`` already in the interface language (a translated note in brackets)."""


def alert_words(
    alert: Alert,
    gettext: Callable[[str], str],
    percent: Callable[[float], str],
    ngettext: Callable[[str, str, int], str] | None = None,
) -> str:
    """An alert in the interface language; with ``ngettext`` a jump of one point reads in the singular
    ("sprong van -1 procentpunt")."""
    if alert.kind is AlertKind.jump:
        points = jump_points(alert.change or 0.0)
        template = ngettext(ALERT_JUMP_ONE, ALERT_JUMP, abs(int(points))) if ngettext else gettext(ALERT_JUMP)
        return template % {"points": points}
    template = ALERT_CROSSED_UP if alert.kind is AlertKind.crossed_up else ALERT_CROSSED_DOWN
    return gettext(template) % {"threshold": percent(alert.threshold or 0.0)}


def case_alerts(
    alert: Mapping[str, Any],
    gettext: Callable[[str], str],
    percent: Callable[[float], str],
    ngettext: Callable[[str, str, int], str] | None = None,
) -> list[Shown]:
    """The alerts a case's frozen warning keeps (its ``alert``), in the interface language from their
    figures (``alert_details``, :func:`gbvs.actions.warning.freeze`). A case opened before those were kept
    holds only the English sentences: shown as stored, marked as English (``lang``), which the page says
    is frozen text."""
    details = alert.get("alert_details")
    if details is None:
        return [Shown(str(text), lang="en") for text in alert.get("alerts") or []]
    return [Shown(alert_words(Alert.of(detail), gettext, percent, ngettext)) for detail in details]


def goal_text(goal: str, gettext: Callable[[str], str]) -> Shown:
    """A backtest goal (``"incidence h1, all rows: ap"``, ``"battle_deaths h1, all rows: crps vs
    persistence"``) in the interface language, else kept in English."""
    found = _GOAL.fullmatch(goal.strip())
    if not found or found.group(1) not in GOAL_SCOPES or found.group(2) not in METRIC_NAMES:
        return Shown(goal, lang="en")
    metric = gettext(METRIC_NAMES[found.group(2)])
    if found.group(3):
        if found.group(3) not in MODEL_NAMES:
            return Shown(goal, lang="en")
        metric = gettext(GOAL_AGAINST) % {"metric": metric, "model": gettext(MODEL_NAMES[found.group(3)])}
    return Shown(f"{gettext(GOAL_SCOPES[found.group(1)])}: {metric}")
