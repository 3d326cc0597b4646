"""The displacement backtest's skill beside the forecasts (pure): the main model against each baseline.

A displacement backtest (``gbvs displacement backtest``) keeps its scores in the forecasts file as a
run of kind ``backtest`` (:func:`gbvs.forecasting.displacement.service.store_backtest`), as the
conflict backtest does; :func:`from_document` reads that document back into, per target and horizon,
the main model's CRPS beside each baseline's, with the rows, forecast years and model version, so the
ranking, the country section, the API and the CLI can say where the forecasts lose.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from gbvs.forecasting.displacement.backtest import MAIN_MODEL
from gbvs.forecasting.displacement.selection import SELECTED, Selection
from gbvs.languages import N_
from gbvs.numbers import decimal, moment, percent

BASELINES: tuple[str, ...] = ("last_value", "last_value_spread", "trend", "history")
BASELINE_PREFIX = "baseline/"
"""How a baseline run's version begins (``service.baseline_version``): ``baseline/<name>``."""
"""The baselines the main model is compared with, in the report's order."""
BASELINE_NAMES: dict[str, str] = {
    "last_value": N_("last year's value"),
    "last_value_spread": N_("last year's value times past changes"),
    "trend": N_("the short trend"),
    "history": N_("LightGBM on displacement history alone"),
}
"""The baselines as the pages and the command line name them (message ids of the catalogues)."""
BASELINE_RULES: dict[str, str] = {
    "last_value": N_("last year's value carried forward unchanged (a point forecast)"),
    "last_value_spread": N_(
        "last year's value times the changes over as many years that the training years show for values "
        "of its size"
    ),
    "trend": N_("the trend of the last two years carried forward (a point forecast)"),
    "history": N_("LightGBM trained on the country's displacement history alone"),
}
"""What each baseline is: its rule, in a baseline run's provenance line (:func:`provenance_line`)."""


@dataclass(frozen=True)
class Comparison:
    """The main model's CRPS against one baseline's on the same rows (``change``: model / baseline - 1,
    negative where the model is better)."""

    baseline: str
    baseline_crps: float
    change: float
    baseline_sd: float = 0.0
    """The standard deviation of the baseline's CRPS over the backtest's seeds (0: an unseeded baseline)."""

    @property
    def better(self) -> bool:
        """Whether the model's CRPS is lower than the baseline's."""
        return self.change < 0


@dataclass(frozen=True)
class TargetSkill:
    """The main model's backtest scores for one target and horizon, and its comparisons."""

    target: str
    horizon: int
    n: int
    crps: float
    coverage50: float | None
    coverage90: float | None
    comparisons: tuple[Comparison, ...]
    crps_sd: float = 0.0
    """The standard deviation of the model's CRPS over the backtest's seeds (0: one seed)."""

    @property
    def worst_loss(self) -> Comparison | None:
        """The baseline the model loses to by the most (None: it beats or equals every baseline)."""
        losses = [c for c in self.comparisons if c.change > 0]
        return max(losses, key=lambda c: c.change) if losses else None

    @property
    def seed_spread(self) -> float:
        """How much a CRPS of :attr:`worst_loss` comparison varies over the seeds: the larger standard
        deviation of the two (the model's and the baseline's; 0 without a loss)."""
        worst = self.worst_loss
        return 0.0 if worst is None else max(self.crps_sd, worst.baseline_sd)

    @property
    def loss_within_seed_spread(self) -> bool:
        """Whether the model loses to :attr:`worst_loss` by no more than :attr:`seed_spread`: by the
        backtest, the two are level (with one seed the spread is 0, so any loss is one)."""
        worst = self.worst_loss
        return worst is not None and self.crps - worst.baseline_crps <= self.seed_spread


@dataclass(frozen=True)
class BacktestSkill:
    """A stored displacement backtest: forecast years, seeds, model version and the skill per target."""

    first: int
    last: int
    seeds: int
    quick: bool
    model_version: str
    targets: tuple[TargetSkill, ...]
    selected: bool = False
    """Whether the figures are those of the published forecasts, chosen per origin on the inner window
    (v6): then a loss is reported, not a reason to go by a baseline (:data:`LOSS_REPORTED`)."""

    def for_horizon(self, horizon: int) -> list[TargetSkill]:
        """The targets' skill at one horizon."""
        return [t for t in self.targets if t.horizon == horizon]


def _number(value: Any) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def target_skill(scores: list[dict[str, Any]], model: str = MAIN_MODEL) -> list[TargetSkill]:
    """Per target and horizon of ``scores`` (the backtest's score table as records): ``model`` against
    every baseline scored on the same target and horizon."""
    found: list[TargetSkill] = []
    keys = dict.fromkeys((str(r["target"]), int(r["horizon"])) for r in scores)
    for target, horizon in keys:
        rows = {str(r["model"]): r for r in scores if r["target"] == target and int(r["horizon"]) == horizon}
        main = rows.get(model)
        if main is None or not main.get("crps"):
            continue
        comparisons = tuple(
            Comparison(
                name,
                float(rows[name]["crps"]),
                float(main["crps"]) / float(rows[name]["crps"]) - 1,
                _number(rows[name].get("crps_sd")) or 0.0,
            )
            for name in BASELINES
            if name in rows and rows[name].get("crps")
        )
        found.append(
            TargetSkill(
                target=target,
                horizon=horizon,
                n=int(main["n"]),
                crps=float(main["crps"]),
                coverage50=_number(main.get("coverage50")),
                coverage90=_number(main.get("coverage90")),
                comparisons=comparisons,
                crps_sd=_number(main.get("crps_sd")) or 0.0,
            )
        )
    return found


def from_document(document: dict[str, Any]) -> BacktestSkill:
    """The skill of a stored backtest document (``scores``, ``facts`` and ``quick``, as written by
    :func:`gbvs.forecasting.displacement.service.store_backtest`): of the published forecasts
    (:data:`~gbvs.forecasting.displacement.selection.SELECTED`, model or baseline as the inner window
    chose) where the backtest scored them, else of the main model (a backtest made before v6)."""
    facts = document["facts"]
    scores = list(document["scores"])
    selected = any(str(r["model"]) == SELECTED for r in scores)
    return BacktestSkill(
        first=int(facts["first"]),
        last=int(facts["last"]),
        seeds=int(facts["seeds"]),
        quick=bool(document.get("quick", False)),
        model_version=str(facts["model_version"]),
        targets=tuple(target_skill(scores, SELECTED if selected else MAIN_MODEL)),
        selected=selected,
    )


TARGET_NAMES: dict[str, str] = {
    "asylum_nl": N_("asylum applications in the Netherlands"),
    "new_displacement": N_("new displacement across borders"),
}
"""The targets as the pages and the command line name them (message ids of the catalogues)."""


Gettext = Callable[[str], str]


def ahead(horizon: int, gettext: Gettext = str) -> str:
    """ "one year ahead" or "2 years ahead" (the pages' words)."""
    return gettext("one year ahead") if horizon == 1 else gettext("%(h)s years ahead") % {"h": horizon}


def _verdict(change: float, gettext: Gettext, lang: str) -> str:
    """ "better by 12%" or "worse by 5%" (the pages' words)."""
    message = "better by %(pct)s" if change < 0 else "worse by %(pct)s"
    return gettext(message) % {"pct": percent(abs(change), lang)}


LOSS_SENTENCE = N_(
    "Over %(first)s-%(last)s these forecasts of %(target)s %(ahead)s were less good than %(baseline)s "
    "(CRPS %(model)s against %(base)s, %(pct)s worse). For %(target)s %(ahead)s, go by %(baseline)s "
    "instead; cite these forecasts only as a supplement, saying that they did worse in the past."
)
"""The sentence where the forecasts lose to a baseline, and which forecast to go by: the pages
(``displacement_skill.html``), the API and the command line all show :func:`loss_text`."""
LEVEL_SENTENCE = N_(
    "Over %(first)s-%(last)s these forecasts of %(target)s %(ahead)s were level with %(baseline)s: their "
    "CRPS (%(model)s against %(base)s, %(pct)s worse) differs by no more than it varied over the backtest's "
    "%(seeds)s seeds (standard deviation %(sd)s). For %(target)s %(ahead)s the backtest does not say which "
    "of the two to go by; cite %(baseline)s beside these forecasts."
)
""":data:`LOSS_SENTENCE` where the loss is within the spread over the seeds
(:attr:`TargetSkill.loss_within_seed_spread`)."""


LOSS_REPORTED = N_(
    "Over %(first)s-%(last)s these forecasts of %(target)s %(ahead)s were less good than %(baseline)s "
    "(CRPS %(model)s against %(base)s, %(pct)s worse). Whether the model's or a baseline's forecast is "
    "published is decided before each forecast, in the validation on the years before it, never on these "
    "years."
)
""":data:`LOSS_SENTENCE` for a backtest of the published forecasts (:attr:`BacktestSkill.selected`): the
choice between model and baseline is the validation's (:data:`SELECTED_BASELINE`), so the loss is
reported, not made a reason to go by the baseline."""
LEVEL_RULE = N_(
    "“Level” is GBVS's own rule, not a statistical test: a difference in CRPS no larger than the standard "
    "deviation of the CRPS over the backtest's seeds is within the variation of the model itself, so the "
    "backtest cannot tell the two apart."
)
"""Where the 'level' rule (:attr:`TargetSkill.loss_within_seed_spread`) comes from and why: said once,
after :data:`LEVEL_SENTENCE` on the pages, in the API and on the command line (and in
``DISPLACEMENT_BACKTEST.md``, "The 'level' rule")."""


def loss_text(
    skill: TargetSkill,
    first: int,
    last: int,
    gettext: Gettext = str,
    lang: str = "en",
    seeds: int = 1,
    selected: bool = False,
) -> str | None:
    """:data:`LOSS_SENTENCE` for the baseline the forecasts lost to by the most over ``first``-``last``
    (:data:`LEVEL_SENTENCE` where that loss is within the spread over the backtest's ``seeds`` seeds),
    through ``gettext`` with the numbers of ``lang``; None where they beat or equal every baseline."""
    worst = skill.worst_loss
    if worst is None:
        return None
    _ = gettext
    level = skill.loss_within_seed_spread and not selected
    sentence = LOSS_REPORTED if selected else LEVEL_SENTENCE if level else LOSS_SENTENCE
    text = _(sentence) % {
        "first": first,
        "last": last,
        "target": _(TARGET_NAMES.get(skill.target, skill.target)),
        "ahead": ahead(skill.horizon, _),
        "baseline": _(BASELINE_NAMES.get(worst.baseline, worst.baseline)),
        "model": decimal(skill.crps, lang, 1),
        "base": decimal(worst.baseline_crps, lang, 1),
        "pct": percent(worst.change, lang),
        "seeds": seeds,
        "sd": decimal(skill.seed_spread, lang, 1),
    }
    return f"{text} {_(LEVEL_RULE)}" if level else text


def describe(
    skill: TargetSkill,
    first: int,
    last: int,
    gettext: Gettext = str,
    lang: str = "en",
    loss: bool = True,
    seeds: int = 1,
    selected: bool = False,
) -> list[str]:
    """The command line's lines, in the pages' words through ``gettext`` and with the numbers of
    ``lang``: the CRPS against each baseline and, with ``loss``, the sentence where the model loses to
    one (the one it loses to by the most)."""
    _ = gettext
    name = _(TARGET_NAMES.get(skill.target, skill.target))
    against = "; ".join(
        f"{_(BASELINE_NAMES.get(c.baseline, c.baseline))} {decimal(c.baseline_crps, lang, 1)} "
        f"({_verdict(c.change, _, lang)})"
        for c in skill.comparisons
    )
    lines = [
        _("%(target)s, %(ahead)s (%(rows)s origin-years): CRPS %(crps)s against %(against)s")
        % {
            "target": name,
            "ahead": ahead(skill.horizon, _),
            "rows": decimal(skill.n, lang, 0),
            "crps": decimal(skill.crps, lang, 1),
            "against": against,
        }
    ]
    text = loss_text(skill, first, last, _, lang, seeds, selected) if loss else None
    return lines if text is None else [*lines, text]


SELECTED_BASELINE = N_(
    "For %(target)s %(ahead)s the baseline did better than the model in the validation; the forecast "
    "shown is the baseline's (%(baseline)s). Validation on the forecast years %(years)s, each forecast made "
    "with only the data of its time: CRPS of the model %(model)s, of the baseline %(base)s."
)
SELECTED_MODEL = N_(
    "For %(target)s %(ahead)s the model did better than the baselines in the validation; the forecast "
    "shown is the model's. Validation on the forecast years %(years)s, each forecast made with only the data "
    "of its time: CRPS of the model %(model)s, of the best baseline (%(baseline)s) %(base)s."
)
"""Which forecast a run publishes for a target and horizon, and both skills on the inner window
(:class:`~gbvs.forecasting.displacement.selection.Selection`): the pages, the API and the command line
all show :func:`selection_text`."""
VALIDATION_REUSED = N_(
    "The validation was not made again: it is that of run %(run)s of %(date)s, made for the same data "
    "vintage, model version, configuration and origin."
)
VALIDATION_MADE = N_(
    "The validation was made in this run (%(run)s); a later run with the same data vintage, model version, "
    "configuration and origin reuses it."
)
"""Where a live run's validation (model or baseline) comes from (:func:`validation_text`)."""


def validation_text(
    run_id: str, reused_from: dict[str, str] | None, gettext: Gettext = str, lang: str = "en"
) -> str:
    """:data:`VALIDATION_REUSED` with the run and date the validation was made in, or
    :data:`VALIDATION_MADE` when run ``run_id`` made it itself."""
    _ = gettext
    if reused_from is None:
        return _(VALIDATION_MADE) % {"run": run_id}
    return _(VALIDATION_REUSED) % {
        "run": reused_from["run_id"],
        "date": moment(reused_from["created_at"], lang),
    }


def selection_text(selection: Selection, gettext: Gettext = str, lang: str = "en") -> str:
    """:data:`SELECTED_BASELINE` or :data:`SELECTED_MODEL` for one target and horizon of a run, through
    ``gettext`` with the numbers of ``lang``."""
    _ = gettext
    scores = selection.inner_crps
    others = {k: v for k, v in scores.items() if k != MAIN_MODEL}
    baseline = selection.chosen if selection.baseline_chosen else min(others, key=lambda k: others[k])
    sentence = SELECTED_BASELINE if selection.baseline_chosen else SELECTED_MODEL
    return _(sentence) % {
        "target": _(TARGET_NAMES.get(selection.target, selection.target)),
        "ahead": ahead(selection.horizon, _),
        "baseline": _(BASELINE_NAMES.get(baseline, baseline)),
        "years": f"{selection.inner_years[0]}-{selection.inner_years[-1]}",
        "model": decimal(scores[MAIN_MODEL], lang, 1),
        "base": decimal(scores[baseline], lang, 1),
    }


MODEL_LINE = N_("Model: %(version)s; data up to and including %(cutoff)s; data vintage %(vintage)s")
BASELINE_LINE = N_("Baseline: %(rule)s; data up to and including %(cutoff)s; data vintage %(vintage)s")
"""A run's provenance line (:func:`provenance_line`): a model's names its version and training cutoff; a
baseline's says what the baseline is (its rule), never a model version it does not have."""


def provenance_line(run: Any, gettext: Gettext = str) -> str:
    """The provenance line of a displacement run (a forecast, the model's own or a baseline's): one
    function for both, so a baseline's line never repeats the model's version. ``run`` has
    ``model_version`` (``baseline/<name>`` for a baseline), ``training_cutoff`` and ``data_vintage``."""
    _ = gettext
    version = str(run.model_version)
    values = {"cutoff": run.training_cutoff, "vintage": run.data_vintage}
    if version.startswith(BASELINE_PREFIX):
        name = version.removeprefix(BASELINE_PREFIX)
        return _(BASELINE_LINE) % {"rule": _(BASELINE_RULES.get(name, name)), **values}
    return _(MODEL_LINE) % {"version": version, **values}
