"""Modelprestaties / Model performance: the backtest report (metrics vs baselines and DemSpaces,
reliability curves, the onset subset)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from fastapi import Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from gbvs import numbers
from gbvs.countries import iso3_of
from gbvs.errors import InputError, NoForecastRunError
from gbvs.forecasting.evaluation import BY_YEAR_MODELS, BY_YEAR_TARGET, origin_of
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
    goal_target,
    left_out_words,
)
from gbvs.forecasting.uncertainty import LEVEL, RESAMPLES
from gbvs.security import Permission
from gbvs.web import charts, labels
from gbvs.web.deps import Forecasts, Language, Store
from gbvs.web.pagecache import cached
from gbvs.web.pages.common import page_router
from gbvs.web.queries.countries import country_pages
from gbvs.web.queries.forecasts import SPACE_DIRECTIONS, TARGET_NAMES, backtest_report
from gbvs.web.queries.strategy import current_strategy
from gbvs.web.render import N_, render_page
from gbvs.web.tables import Column, Sort, Table, TableView, table_view

router = page_router(Permission.forecast_read)
MAIN_SUBSETS = ("all", "onset")
YEAR_NOTE = N_(
    "The intervals above draw the forecast years at random: they say how much a figure depends on which "
    "years were tested, not whether the skill changed over the years. This table gives each year on its "
    "own, the main model beside conflict history alone; a year with few conflicts or few changes gives a "
    "noisy figure."
)


@router.get("/modelprestaties", response_class=HTMLResponse)
@cached
def performance_page(
    request: Request,
    forecasts: Forecasts,
    store: Store,
    lang: Language,
    model: str = Query(default="", max_length=60),
    target: str = Query(default="", max_length=60),
    horizon: str = Query(default="", max_length=2),
    sort: str = Query(default="", max_length=40),
) -> HTMLResponse:
    """The latest backtest: goals, scores per model and subset, DemSpaces comparison, reliability.

    The score tables (main subsets and per focus region) are filtered by ``model``, ``target`` and
    ``horizon`` and sorted by ``sort``: ``model``, ``target``, ``horizon``, ``subset``, ``n`` or a
    metric (``brier``, ``ap``, ...), ``-`` in front for descending.
    """
    try:
        report = backtest_report(forecasts)
    except NoForecastRunError as exc:
        return render_page(request, "performance.html", {"report": None, "missing": exc})
    t = request.app.state.web.catalogs[lang].gettext
    pages = country_pages(store, lang)
    scores = report.scores
    label = labeller(t, {region.id: _bilingual(region.name, lang) for region in current_strategy().regions})
    metrics = metric_names(scores)
    table = score_table(metrics, label)
    order = table.parse(sort)
    wanted = {"model": model, "target": target, "horizon": horizon}
    for key, value in wanted.items():
        if value and value not in _choices(scores, key):
            raise InputError(
                f"{key} {value!r} is not in this backtest; use one of: {', '.join(_choices(scores, key))}"
            )
    kept = [row for row in scores if all(not v or str(row.get(k, "")) == v for k, v in wanted.items())]
    context = {
        "report": report,
        "run": report.run,
        "goals": [goal_row(goal, t, lang, pages) for goal in report.goals],
        "with_intervals": any(goal.get("low") is not None for goal in report.goals),
        "interval_method": _interval_method(report.interval_method, t, lang),
        "with_rests": any(goal.get("rests_on") for goal in [*report.goals, *report.comparisons]),
        "comparisons": [goal_row(row, t, lang, pages) for row in report.comparisons],
        "years": year_rows(scores, lang),
        "year_models": [(model, label("model", model)) for model in BY_YEAR_MODELS],
        "year_note": t(YEAR_NOTE),
        "comparison_note": t(COMPARISON_NOTE),
        "rest_explanation": t(REST_EXPLANATION),
        "metrics": metrics,
        "score_rows": table.apply([row for row in kept if row.get("subset") in MAIN_SUBSETS], order),
        "region_rows": table.apply(
            [row for row in kept if str(row.get("subset", "")).startswith("region:")], order
        ),
        "has_region_rows": any(str(row.get("subset", "")).startswith("region:") for row in scores),
        "choices": {key: _choices(scores, key) for key in wanted},
        "wanted": wanted,
        "table": _view(table, order, request),
        "demspaces": report.demspaces_comparison,
        "demspaces_columns": _columns(report.demspaces_comparison),
        "demspaces_differences": report.demspaces_differences,
        "demspaces_metrics": metric_names(report.demspaces_comparison),
        "reliability_chart": _reliability_chart(
            report.reliability,
            t,
            label,
            lang,
            t("Reliability: observed frequency against forecast probability (armed conflict, 1 year ahead)"),
            t("Observed frequency of conflict (%)"),
        ),
        "reliability": report.reliability,
        "space_reliability": space_reliability(report.reliability_spaces, t, label, lang),
        "label": label,
        "notes": report.notes,
    }
    return render_page(request, "performance.html", context)


def year_rows(scores: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """Incidence at one year per forecast year (the report's ``origin:<year>`` subsets), oldest first:
    the year, its rows and conflicts, and per model of :data:`BY_YEAR_MODELS` its AP and Brier score."""
    years: dict[int, dict[str, Any]] = {}
    for row in scores:
        year = _incidence_year(row)
        if year is None:
            continue
        entry = years.setdefault(year, {"year": year, "n": row.get("n"), "positives": row.get("positives")})
        entry[str(row["model"])] = {
            metric: _figure(float(row.get(f"{metric}_mean", math.nan)), lang) for metric in ("ap", "brier")
        }
    return [years[year] for year in sorted(years)]


def _incidence_year(row: dict[str, Any]) -> int | None:
    """The forecast year of a score row of incidence at one year of a model compared per year, else None."""
    wanted = (row.get("target"), row.get("horizon")) == BY_YEAR_TARGET and row.get("model") in BY_YEAR_MODELS
    return origin_of(str(row.get("subset", ""))) if wanted else None


def score_table(metrics: list[str], label: Callable[[str, object], str]) -> Table:
    """The sortable columns of the score tables: model, target, horizon, subset, each metric, rows."""
    return Table(
        Column("model", lambda row: label("model", row.get("model"))),
        Column("target", lambda row: label("target", row.get("target"))),
        Column("horizon", lambda row: row.get("horizon")),
        Column("subset", lambda row: label("subset", row.get("subset"))),
        *(Column(metric, _reader(f"{metric}_mean")) for metric in metrics),
        Column("n", lambda row: row.get("n"), descending_first=True),
        default=Sort("model"),
    )


def _reader(key: str) -> Callable[[dict[str, Any]], Any]:
    return lambda row: row.get(key)


def _choices(scores: list[dict[str, Any]], key: str) -> list[str]:
    values = {str(row[key]) for row in scores if row.get(key) is not None}
    return sorted(values, key=lambda value: (len(value), value) if key == "horizon" else (0, value))


def _view(table: Table, order: Sort, request: Request) -> TableView:
    return table_view(table, order, "/modelprestaties", request.query_params)


def metric_names(scores: list[dict[str, Any]]) -> list[str]:
    """Metric names present in the score rows (columns ``<metric>_mean``), in first-seen order."""
    names: list[str] = []
    for row in scores:
        for key in row:
            if key.endswith("_mean") and key[: -len("_mean")] not in names:
                names.append(key[: -len("_mean")])
    return names


def labeller(gettext: Callable[[str], str], regions: dict[str, str]) -> Callable[[str, object], str]:
    """``label(kind, id)`` for the template: metric, model, subset, direction, target or column names."""
    tables = {
        "metric": labels.METRIC_NAMES,
        "model": labels.MODEL_NAMES,
        "direction": labels.DIRECTION_NAMES,
        "column": labels.COLUMN_NAMES,
        "trained_on": labels.TRAINED_ON_NAMES,
    }

    def label(kind: str, value: object) -> str:
        if kind == "subset":
            return labels.subset_name(str(value), regions, gettext)
        if kind == "target":
            return labels.target_name(str(value), TARGET_NAMES, gettext)

        return labels.name(tables[kind], value, gettext)

    return label


def goal_row(
    goal: dict[str, Any], gettext: Callable[[str], str], lang: str, pages: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """A goal of the report with its text, threshold and (from a full backtest) its 95% interval and
    where that lies, in the interface language; a left-out country links to its page when it has one
    (``pages``)."""
    number = lambda value: numbers.exact(value, lang)  # noqa: E731
    row = {
        **goal,
        "shown": labels.goal_text(str(goal.get("goal", "")), gettext),
        "value_text": _figure(float(goal.get("value", math.nan)), lang),
        "threshold": goal_target(str(goal.get("target", "")), number),
    }
    if goal.get("low") is not None and goal.get("high") is not None:
        row["interval"] = _interval(
            float(goal["low"]), float(goal["high"]), goal.get("interval_of"), gettext, lang
        )
        verdict = str(goal.get("sampling"))
        row["sampling_text"] = gettext(SAMPLING_NAMES[verdict]) if verdict in SAMPLING_NAMES else verdict
    met = bool(goal.get("met"))
    row["rests"] = [_rest(rest, met, gettext, lang, pages) for rest in goal.get("rests_on") or []]
    return row


def _rest(
    rest: dict[str, Any], met: bool, gettext: Callable[[str], str], lang: str, pages: frozenset[str]
) -> dict[str, str]:
    """One ``rests_on`` entry of a goal in words: what was left out (with a link to the country's page
    when it is a country), the figure without it (signed for a difference to a baseline) and the
    verdict without it."""
    value = float(rest["value"])
    if rest.get("value_of") == "difference":
        shown = gettext(DIFFERENCE) % {
            "interval": numbers.signed(value, lang, _difference_digits(abs(value)))
        }
    else:
        shown = _figure(value, lang)
    iso3 = iso3_of(int(rest["unit"])) if rest["left_out"] == "country" else None
    return {
        "left_out": left_out_words(rest, lang, gettext(LEFT_OUT_WORDS[str(rest["left_out"])])),
        "href": f"/landen/{iso3}" if iso3 in pages else "",
        "value": shown,
        "verdict": gettext(LEAVE_OUT_VERDICTS[(met, bool(rest["met"]))]),
    }


def _figure(value: float, lang: str) -> str:
    """A goal's figure with :func:`~gbvs.forecasting.goals.figure_digits` decimals ("–" if undefined)."""
    if math.isnan(value):
        return "–"
    return numbers.decimal(value, lang, figure_digits(value))


def _difference_digits(size: float) -> int:
    """Decimals of a difference to a baseline: as a figure's below 1 (a Brier difference of -0.0052),
    else as many as its size needs (a CRPS difference of -63.7)."""
    return figure_digits(size) if size < 1 else numbers.auto_digits(size)


def _interval_method(method: dict[str, Any], gettext: Callable[[str], str], lang: str) -> dict[str, Any]:
    """How the report's intervals were drawn, in words for the page (older reports: the defaults they
    were drawn with, countries only)."""
    with_years = drew_years(method)
    explanation = gettext(INTERVAL_EXPLANATIONS[with_years]) % {
        "level": numbers.percent(float(method.get("level", LEVEL)), lang),
        "resamples": numbers.decimal(float(method.get("resamples", RESAMPLES)), lang, 0),
    }
    if method.get("space_origin_block"):
        explanation += " " + gettext(BLOCK_EXPLANATION) % {"years": int(method["space_origin_block"])}
    return {"with_years": with_years, "explanation": explanation}


def _interval(low: float, high: float, of: object, gettext: Callable[[str], str], lang: str) -> str:
    """ "0,241 – 0,352" (as :func:`_figure` shows figures), or for a difference to a baseline
    "difference −85,2 – −35,1"."""
    if of != "difference":
        return f"{_figure(low, lang)} – {_figure(high, lang)}"
    digits = _difference_digits(max(abs(low), abs(high)))
    shown = f"{numbers.signed(low, lang, digits)} – {numbers.signed(high, lang, digits)}"
    return gettext(DIFFERENCE) % {"interval": shown}


def _columns(rows: list[dict[str, Any]]) -> list[str]:
    """Key columns of the DemSpaces comparison (model, direction, what it was trained on, counts); metrics
    come separately. A report from before ``trained_on`` was kept has no such column."""
    present = set(rows[0]) if rows else set()
    return [c for c in ("model", "direction", "trained_on", "n", "positives") if c in present]


def _bilingual(text: Any, lang: str) -> str:
    return str(getattr(text, lang, None) or getattr(text, "nl", text))


SPACE_CHART_TITLES = {
    "down": N_(
        "Reliability: observed frequency against forecast probability (democratic closing, the six spaces "
        "pooled, two-year window)"
    ),
    "up": N_(
        "Reliability: observed frequency against forecast probability (democratic opening, the six spaces "
        "pooled, two-year window)"
    ),
}
"""Per DemSpaces direction (``labels.DIRECTION_NAMES``); the report keys its curves by our target prefix
(``SPACE_DIRECTIONS``: ``down`` -> ``closing``)."""


def space_reliability(
    curves: dict[str, Any], t: Callable[[str], str], label: Callable[[str, object], str], lang: str
) -> list[dict[str, Any]]:
    """One chart and its points per democratic-space direction the report has curves for."""
    axis = t("Observed frequency of the event (%)")
    found = []
    for direction, prefix in SPACE_DIRECTIONS.items():
        by_model = curves.get(prefix) or {}
        chart = _reliability_chart(by_model, t, label, lang, t(SPACE_CHART_TITLES[direction]), axis)
        if chart is not None:
            name = label("direction", direction)
            found.append({"direction": prefix, "name": name, "chart": chart, "curves": by_model})
    return found


def _reliability_chart(
    curves: dict[str, Any],
    t: Callable[[str], str],
    label: Callable[[str, object], str],
    lang: str,
    title: str,
    y_label: str,
) -> Markup | None:
    series = [charts.Series(t("perfect calibration"), [(0.0, 0.0), (1.0, 1.0)])]
    for model, curve in sorted(curves.items()):
        points = list(zip(curve.get("predicted", []), curve.get("observed", []), strict=False))
        series.append(charts.Series(label("model", model), points))
    if len(series) == 1:
        return None
    percent = numbers.percent_formatter(lang)
    return charts.line_chart(
        series,
        title,
        t(
            "One line per model; the closer to the diagonal, the better calibrated. "
            "The table lists the points."
        ),
        y_axis=charts.Axis(y_label, percent, range=(0.0, 1.0)),
        x_axis=charts.Axis(t("Forecast probability (%)"), percent, range=(0.0, 1.0)),
        legend=True,
    )
