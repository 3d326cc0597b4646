"""Generated model cards: data, targets, horizons, backtest figures and known limits, per model."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gbvs.forecasting.backtest import MAIN_MODEL
from gbvs.forecasting.domain import TARGETS
from gbvs.forecasting.evaluation import origin_of
from gbvs.forecasting.goals import (
    BLOCK_EXPLANATION,
    COMPARISON_NOTE,
    DIFFERENCE,
    INTERVAL_EXPLANATIONS,
    LEAVE_OUT_VERDICTS,
    LEFT_OUT_WORDS,
    REST_EXPLANATION,
    SAMPLING_NAMES,
    drew_years,
    figure_digits,
    left_out_words,
)
from gbvs.forecasting.uncertainty import LEVEL, RESAMPLES

LGBM: tuple[str, ...] = (
    "LightGBM per target and horizon on conflict history (time since, decays, lags, moving sums, "
    "non-state conflict history, neighbour conflict via shared borders, conflict in the wider region of "
    "neighbours' neighbours), V-Dem space dynamics (levels, 1/2/3/5-year changes, volatility, distance "
    "from the 5-year high and low, past openings/closings and years since, the world's mean change, "
    "neighbours' spaces), the wider V-Dem indicators, the covariates and the strategy's driver indicators "
    "(missing values handled by the trees). Hyper-parameters (defaults or a regularised candidate), the "
    "number of trees and the Platt calibration are chosen on the last three years of each training window. "
    "Live forecast: mean over 3 seeds, with the spread over seeds.",
    "Since v3.2 the conflict models (incidence, war, battle deaths) keep the 64 features with the largest "
    "gain in a short screening booster fitted on the training rows before that window; since v3.4 the "
    "DemSpaces models keep 128 the same way, and the screen no longer depends on the seed. Since v3.5 the "
    "choices on that window (candidate, number of trees, calibration) are made once at a fixed seed, and "
    "the seeds differ only in the sampling of the final refit. Since v3.6 the DemSpaces models sample "
    "neither rows nor columns, so their seeds give one model (chosen on inner windows: hold-out log loss "
    "0.2705 against 0.2711 for three sampled seeds).",
    "Since v3.9 the country-year incidence and war classifiers publish LightGBM's own probabilities (its "
    "objective is the log loss) instead of Platt scaling on the inner window (chosen on inner windows: "
    "hold-out Brier 0.0343 against 0.0347); the other classifiers keep Platt scaling.",
    "Since v3.12 the country-year incidence and war models publish the mean of two boosters' probabilities, "
    "one with the defaults (trees of 15 leaves) and one with smaller trees (7 leaves, learning rate 0.05, up "
    "to 600 trees), each with its own feature screen and number of trees, instead of the one of the two with "
    "the lower log loss on the inner window; their explanations are the mean of both boosters' contributions "
    "(chosen on inner windows: hold-out Brier 0.03410 against 0.03427).",
    "Battle deaths (country-year; the UCDP BRD series by conflict, each dyad's deaths split evenly over its "
    "locations, not the deaths where the fighting happened): a hurdle, P(any deaths) from a classifier like "
    "the incidence model's "
    "(with Platt scaling) times the deaths given that there are any, from LightGBM quantile regression of "
    "log1p(deaths) (levels 2-98%, trees and a conformal shift per level chosen on the inner window); "
    "samples are the mixture's quantiles, capped at the country's largest count of the last four years "
    "plus the rise that 99% of training cases stayed below. Since v3.3 the spread of those samples (x0.8, "
    "1 or 1.25 on the log scale) and a share of persistence pooled into them are chosen on the last three "
    "years of each training window (the hurdle refitted on the years before them); since v3.7 the shares "
    "go in eighths (0-50%) and the choice is the lowest CRPS among the pairs whose 50% and 90% intervals "
    "cover 45-55% and 85-95% of those years' outcomes (randomised PIT), the lowest CRPS where none does. "
    "Grid-month: LightGBM on log1p(deaths) plus inner-window residuals by prediction bin.",
    "Democratic-space openings and closings: a space-country-year whose index is less than one cutpoint "
    "from its bound (1 for openings, 0 for closings) gets the training window's own rate of events at the "
    "bound instead of the classifier's probability. Since v3.8 one model per direction (closing, opening) "
    "is trained on the rows of all six spaces, each row with its own space's features under generic names "
    "(own, own_diff1, ...) and the space's number, and its own space's event as label (chosen on inner "
    "windows: hold-out log loss 0.2601 against 0.2705 for one model per space).",
    "Since v3.10 that model chooses on its inner window between its defaults (trees of 15 leaves) and "
    "larger trees (31 leaves, learning rate 0.05, up to 600 trees) instead of smaller ones, so it tells "
    "the spaces of a country apart more finely (chosen on inner windows: hold-out log loss 0.2407 against "
    "0.2433, PR-AUC closing 0.477 against 0.452).",
    "Since v3.11 each row also sees a summary of the V-Dem indicators that measure parts of its own space "
    "(elections and parties, civil society, physical integrity, media, courts and legislature, executive "
    "corruption): their mean level, mean 1- and 3-year change and smallest and largest 1-year change "
    "(chosen on inner windows: hold-out log loss 0.2393 against 0.2407, PR-AUC opening 0.481 against 0.473).",
)
"""The main model's description, a paragraph per part, each translated on its own (``--lang nl``)."""

MODELS: dict[str, tuple[str, ...]] = {
    "lgbm": LGBM,
    "history_logit": ("Logistic regression on y_t and 2^(-years since last event / 2).",),
    "persistence": ("y_t carried forward.",),
    "zero": ("Always zero.",),
    "conflictology": ("Bootstrap of the unit's own recent battle deaths (battle deaths only).",),
}
LIMITS: tuple[str, ...] = (
    "UCDP counts only organised violence with a government or formal side and >= 25 battle-related deaths "
    "a year; it misses most gang and criminal violence (e.g. Haiti, parts of the Caribbean and "
    "Latin America).",
    "Battle deaths start in 1989; earlier years carry no death counts.",
    "Driver indicators (Gapminder/WDI, EPR) have gaps and publication lags; they enter lagged one year.",
    "The DemSpaces comparison uses DemSpaces' own v14 outcome file (V-Dem v14, to 2023).",
    "DemSpaces' published test forecasts were made by models trained on the years before the forecast "
    "year with outcomes coded from the whole V-Dem series, so their last two training years carry "
    "outcomes of the forecast window itself; GBVS trains only on outcomes known at the origin, so the "
    "two backtests are not equally honest: trained that way, a forest like theirs gains +0.12 (closing) and "
    "+0.14 (opening) PR-AUC on all 17,178 rows of the comparison (see BACKTEST.md).",
    "V-Dem v14 indicators enter unlagged (published in March of the next year); the covariates "
    "(population, age structure, GDP, child mortality, food security, coups, state age) lagged one year.",
    "The grid-month backtest covers Syria only (UCDP's Syria GED release); the global GED is not in "
    "the mirror.",
    "How probabilities are calibrated is chosen on recent training years, and the backtest reports their "
    "reliability; a sudden regime change (e.g. a new war type) is not anticipated by history-driven "
    "models.",
)


HORIZONS = (
    "Country-year horizons 1-3 years (DemSpaces targets: the two-year window); monthly units 1-12 months."
)
GOALS_HEADING = "## Goals and how sure each figure is"
GOAL_COLUMNS = ("Goal", "Value", "Threshold", "Met", "95% interval", "Given the interval")
"""The goals table's words (the same message ids as on /modelprestaties)."""
REST_COLUMNS = ("Goal", "Left out", "Figure without it", "Verdict without it")
"""The table of what each goal's verdict rests on (the same message ids as on /modelprestaties)."""
COMPARISON_HEADING = "Gain over the conflict-history baseline"
"""The comparisons table's first column (the same message id as on /modelprestaties)."""
CARD_SUBSETS = ("all", "onset")
SCORE_KEYS = ("target", "horizon", "subset", "ap_mean", "roc_auc_mean", "brier_mean", "crps_mean")


def model_card_data(model: str, report: dict[str, Any] | None) -> dict[str, Any]:
    """The model card of ``model`` as data (``--format json``); figures from a backtest report when given."""
    scores = [
        {key: row.get(key) for key in SCORE_KEYS}
        for row in (report or {}).get("scores", [])
        if row["model"] == model and row["subset"] in CARD_SUBSETS
    ]
    targets = [{"name": t.name, "kind": t.kind.value, "description": t.description} for t in TARGETS.values()]
    return {
        "model": model,
        "description": "\n\n".join(MODELS.get(model, ("(unknown model)",))),
        "targets": targets,
        "horizons": HORIZONS,
        "provenance": (report or {}).get("provenance"),
        "backtest_stored": bool(report),
        "scores": scores,
        "goals": list((report or {}).get("goals", [])) if model == MAIN_MODEL else [],
        "comparisons": list((report or {}).get("comparisons", [])) if model == MAIN_MODEL else [],
        "interval_method": dict((report or {}).get("interval_method") or {}),
        "limits": list(LIMITS),
    }


TRAINED_UP_TO_ORIGIN = (
    "each forecast's model is trained on the data up to its origin (rolling origin): origins %(origins)s"
)
"""A backtest's training cutoff: one per origin, the year whose data the forecasts from it were made with."""


def _run_lines(report: dict[str, Any], _: Callable[[str], str]) -> list[str]:
    """The backtest's model version, data vintage and training cutoffs, from its stored run (``run``, as
    :meth:`gbvs.forecasting.queries.BacktestReport.as_dict` gives it) else from its provenance; the
    origins are those the report scored per forecast year."""
    run = {**(report.get("provenance") or {}), **(report.get("run") or {})}
    origins = sorted(
        {year for row in report.get("scores", []) if (year := origin_of(str(row.get("subset")))) is not None}
    )
    span = f"{origins[0]}-{origins[-1]}" if origins else "-"
    lines = [f"- {_(name)}: {run[key]}" for key, name in RUN_FIELDS if run.get(key) is not None]
    return [*lines, f"- {_('training cutoff')}: " + _(TRAINED_UP_TO_ORIGIN) % {"origins": span}]


RUN_FIELDS = (("run_id", "run"), ("model_version", "model version"), ("data_vintage", "data vintage"))
"""The stored run's fields a model card names, with their labels (the exports' labels)."""


def model_card(
    model: str,
    report: dict[str, Any] | None,
    gettext: Callable[[str], str] = str,
    target_label: Callable[[str], str] | None = None,
    number: Callable[[float], str] = lambda value: f"{value:.{figure_digits(value)}f}",
    goal_words: Callable[[dict[str, Any]], tuple[str, str]] | None = None,
    count: Callable[[int], str] = "{:,}".format,
    lang: str = "en",
) -> str:
    """Markdown model card for ``model``, its words through ``gettext`` (the CLI's ``--lang``).

    ``target_label`` names a target in the reader's language (default: its English description);
    ``number`` writes a figure (default: three decimals with a point); ``goal_words`` gives a goal of the
    report its name and threshold in the reader's language (default: the report's English); ``count``
    writes a whole number (default: with a comma between thousands).
    """
    card = model_card_data(model, report)
    _ = gettext
    lines = [_("# Model card: %(model)s") % {"model": model}, ""]
    for paragraph in MODELS.get(model, ("(unknown model)",)):
        lines += [_(paragraph), ""]
    lines += [_("## Targets and horizons"), ""]
    for target in card["targets"]:
        label = target_label(target["name"]) if target_label else target["description"]
        lines.append(f"- `{target['name']}` ({_(target['kind'])}): {label}")
    lines += ["", _(HORIZONS), "", _("## Data"), ""]
    if report:
        lines += [
            f"- {_('provenance')}: {card['provenance']}",
            *_run_lines(report, _),
            "",
            _("## Backtest figures (mean over seeds)"),
            "",
        ]
        lines += [
            "| "
            + " | ".join(_(h) for h in ("target", "h", "subset", "AP", "ROC-AUC", "Brier", "CRPS"))
            + " |",
            "|---|---|---|---|---|---|---|",
        ]
        for row in card["scores"]:
            figures = (row["ap_mean"], row["roc_auc_mean"], row["brier_mean"], row["crps_mean"])
            cells = [
                row["target"],
                str(row["horizon"]),
                _(row["subset"]),
                *(_f(v, _, number) for v in figures),
            ]
            lines.append("| " + " | ".join(cells) + " |")
        lines += _goals_section(card, _, (number, count), goal_words)
        lines += _rests_section(card["goals"], _, number, goal_words, lang)
        lines += _comparisons_section(card["comparisons"], _, number, goal_words)
    else:
        lines += ["- " + _("no backtest stored yet: run `gbvs backtest`")]
    lines += ["", _("## Known limits"), ""] + [f"- {_(limit)}" for limit in LIMITS]
    return "\n".join(lines) + "\n"


def _goals_section(
    card: dict[str, Any],
    gettext: Callable[[str], str],
    numbers: tuple[Callable[[float], str], Callable[[int], str]],
    goal_words: Callable[[dict[str, Any]], tuple[str, str]] | None,
) -> list[str]:
    """The main model's goals with their figure and, from a full backtest, their interval and where it
    lies, and how the intervals were drawn."""
    goals, (number, count) = card["goals"], numbers
    if not goals:
        return []
    lines = ["", gettext(GOALS_HEADING), "", "| " + " | ".join(gettext(c) for c in GOAL_COLUMNS) + " |"]
    lines.append("|---|---|---|---|---|---|")
    lines += [_goal_line(goal, gettext, number, goal_words) for goal in goals]
    if any(goal.get("low") is not None for goal in goals):
        method = card["interval_method"]
        lines += [
            "",
            gettext(INTERVAL_EXPLANATIONS[drew_years(method)])
            % {
                "level": f"{float(method.get('level', LEVEL)):.0%}",
                "resamples": count(int(method.get("resamples", RESAMPLES))),
            },
        ]
        if method.get("space_origin_block"):
            lines[-1] += " " + gettext(BLOCK_EXPLANATION) % {"years": int(method["space_origin_block"])}
    return lines


def _goal_line(
    goal: dict[str, Any],
    gettext: Callable[[str], str],
    number: Callable[[float], str],
    goal_words: Callable[[dict[str, Any]], tuple[str, str]] | None,
) -> str:
    """One goal (or comparison) as a table row: name, figure, target, met, interval and where it lies."""
    name, target = goal_words(goal) if goal_words else (str(goal["goal"]), str(goal["target"]))
    interval, verdict = "–", "–"
    if goal.get("low") is not None and goal.get("high") is not None:
        low, high = float(goal["low"]), float(goal["high"])
        if goal.get("interval_of") == "difference":  # signed: which side of the baseline
            ends = (f"{'+' if value > 0 else ''}{number(value)}" for value in (low, high))
            interval = gettext(DIFFERENCE) % {"interval": " – ".join(ends)}
        else:
            interval = f"{number(low)} – {number(high)}"
        verdict = gettext(SAMPLING_NAMES.get(str(goal.get("sampling")), str(goal.get("sampling"))))
    met = gettext("yes") if goal.get("met") else gettext("no")
    return f"| {name} | {number(float(goal['value']))} | {target} | {met} | {interval} | {verdict} |"


def _comparisons_section(
    comparisons: list[dict[str, Any]],
    gettext: Callable[[str], str],
    number: Callable[[float], str],
    goal_words: Callable[[dict[str, Any]], tuple[str, str]] | None,
) -> list[str]:
    """The conflict goals against the conflict-history baseline, as the goals table shows goals."""
    if not comparisons:
        return []
    columns = (COMPARISON_HEADING, *GOAL_COLUMNS[1:])
    lines = ["", "| " + " | ".join(gettext(c) for c in columns) + " |", "|---|---|---|---|---|---|"]
    lines += [_goal_line(row, gettext, number, goal_words) for row in comparisons]
    return [*lines, "", gettext(COMPARISON_NOTE)]


def _rests_section(
    goals: list[dict[str, Any]],
    gettext: Callable[[str], str],
    number: Callable[[float], str],
    goal_words: Callable[[dict[str, Any]], tuple[str, str]] | None,
    lang: str,
) -> list[str]:
    """Per goal the country and the forecast year its verdict rests on most, from a full backtest."""
    resting = [goal for goal in goals if goal.get("rests_on")]
    if not resting:
        return []
    lines = ["", "| " + " | ".join(gettext(c) for c in REST_COLUMNS) + " |", "|---|---|---|---|"]
    for goal in resting:
        name = goal_words(goal)[0] if goal_words else str(goal["goal"])
        for rest in goal["rests_on"]:
            value = float(rest["value"])
            shown = number(value)
            if rest.get("value_of") == "difference":
                shown = gettext(DIFFERENCE) % {"interval": f"{'+' if value > 0 else ''}{shown}"}
            left_out = left_out_words(rest, lang, gettext(LEFT_OUT_WORDS[str(rest["left_out"])]))
            verdict = gettext(LEAVE_OUT_VERDICTS[(bool(goal["met"]), bool(rest["met"]))])
            lines.append(f"| {name} | {left_out} | {shown} | {verdict} |")
    return [*lines, "", gettext(REST_EXPLANATION)]


def _f(value: Any, gettext: Callable[[str], str], number: Callable[[float], str]) -> str:
    return gettext("n/a") if value is None else number(float(value))
