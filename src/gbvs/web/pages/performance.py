"""Modelprestaties / Model performance: the backtest report (metrics vs baselines and DemSpaces,
reliability curves, the onset subset)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from babel.numbers import format_decimal
from fastapi import Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from gbvs.errors import NoForecastRunError
from gbvs.security import Permission
from gbvs.web import charts, labels, numbers
from gbvs.web.deps import Forecasts, Language
from gbvs.web.pagecache import cached
from gbvs.web.pages.common import page_router
from gbvs.web.queries.forecasts import TARGET_NAMES, backtest_report
from gbvs.web.queries.strategy import current_strategy
from gbvs.web.render import render_page

router = page_router(Permission.forecast_read)
MAIN_SUBSETS = ("all", "onset")


@router.get("/modelprestaties", response_class=HTMLResponse)
@cached
def performance_page(request: Request, forecasts: Forecasts, lang: Language) -> HTMLResponse:
    """The latest backtest: goals, scores per model and subset, DemSpaces comparison, reliability."""
    try:
        report = backtest_report(forecasts)
    except NoForecastRunError as exc:
        return render_page(request, "performance.html", {"report": None, "missing": str(exc)})
    t = request.app.state.web.catalogs[lang].gettext
    scores = report.scores
    label = labeller(t, {region.id: _bilingual(region.name, lang) for region in current_strategy().regions})
    context = {
        "report": report,
        "run": report.run,
        "goals": [goal_row(goal, t, lang) for goal in report.goals],
        "metrics": metric_names(scores),
        "score_rows": [row for row in scores if row.get("subset") in MAIN_SUBSETS],
        "region_rows": [row for row in scores if str(row.get("subset", "")).startswith("region:")],
        "demspaces": report.demspaces_comparison,
        "demspaces_columns": _columns(report.demspaces_comparison),
        "demspaces_metrics": metric_names(report.demspaces_comparison),
        "reliability_chart": _reliability_chart(report.reliability, t, label, lang),
        "reliability": report.reliability,
        "label": label,
        "notes": report.notes,
    }
    return render_page(request, "performance.html", context)


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
    }

    def label(kind: str, value: object) -> str:
        if kind == "subset":
            return labels.subset_name(str(value), regions, gettext)
        if kind == "target":
            return labels.target_name(str(value), TARGET_NAMES, gettext)

        return labels.name(tables[kind], value, gettext)

    return label


def goal_row(goal: dict[str, Any], gettext: Callable[[str], str], lang: str) -> dict[str, Any]:
    """A goal of the report with its text and threshold in the interface language."""
    number = lambda value: str(format_decimal(value, locale=lang))  # noqa: E731
    return {
        **goal,
        "shown": labels.goal_text(str(goal.get("goal", "")), gettext),
        "threshold": labels.goal_target(str(goal.get("target", "")), number),
    }


def _columns(rows: list[dict[str, Any]]) -> list[str]:
    """Key columns of the DemSpaces comparison (model, direction, counts); metrics come separately."""
    present = set(rows[0]) if rows else set()
    return [column for column in ("model", "direction", "n", "positives") if column in present]


def _bilingual(text: Any, lang: str) -> str:
    return str(getattr(text, lang, None) or getattr(text, "nl", text))


def _reliability_chart(
    curves: dict[str, Any], t: Callable[[str], str], label: Callable[[str, object], str], lang: str
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
        t("Reliability: observed frequency against forecast probability (incidence, 1 year ahead)"),
        t(
            "One line per model; the closer to the diagonal, the better calibrated. "
            "The table lists the points."
        ),
        y_axis=charts.Axis(t("Observed frequency of conflict (%)"), percent, range=(0.0, 1.0)),
        x_axis=charts.Axis(t("Forecast probability (%)"), percent, range=(0.0, 1.0)),
        legend=True,
    )
