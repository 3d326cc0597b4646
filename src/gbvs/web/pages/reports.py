"""Voortgang / Progress: periods, the results chain per goal, indicator detail, drafts with comments."""

from __future__ import annotations

from fastapi import Path, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from gbvs.reports import records, views, workflow
from gbvs.reports.core.charts import line_chart
from gbvs.reports.render import footnote_text, labels, number
from gbvs.security import Permission
from gbvs.web.api.reports import _session
from gbvs.web.deps import AppSettings
from gbvs.web.pages.common import page_router
from gbvs.web.render import render_page

router = page_router(Permission.reports_read)
PeriodLabel = Path(pattern=r"^\d{4}-\d{4}$")


@router.get("/voortgang", response_class=HTMLResponse)
def progress_page(request: Request) -> HTMLResponse:
    """Period overview and the results chain (indicators and actions) per goal."""
    principal = request.state.principal
    with _session(request) as session:
        periods = views.period_rows(session, principal)
        indicators = [records.indicator_dict(r) for r in records.current_indicators(session, principal)]
        actions = [records.action_dict(r) for r in records.current_actions(session, principal)]
        drafts = [
            {"id": d.id, "status": d.status.value, "created_by": d.created_by}
            for d in workflow.drafts(session, principal)
        ]
    goals = sorted({i["goal"] for i in indicators} | {a["goal"] for a in actions})
    context = {
        "periods": periods,
        "indicators": indicators,
        "actions": actions,
        "goals": goals,
        "drafts": drafts,
    }
    return render_page(request, "progress.html", context)


@router.get("/voortgang/{period}", response_class=HTMLResponse)
def period_page(request: Request, settings: AppSettings, period: str = PeriodLabel) -> HTMLResponse:
    """One period's report: every indicator's value against baseline and target."""
    with _session(request) as session:
        built, frozen = views.report_for(settings, session, request.state.principal, period)
    context = {
        "period": period,
        "frozen": frozen,
        "content_hash": built.content_hash,
        "rows": views.indicators_of(built),
        "counts": built.outputs["counts"],
        "num": lambda value: number(value, request.state.lang),
    }
    return render_page(request, "progress_period.html", context)


@router.get("/voortgang/{period}/indicatoren/{key}", response_class=HTMLResponse)
def indicator_page(
    request: Request, settings: AppSettings, period: str = PeriodLabel, key: str = Path(max_length=80)
) -> HTMLResponse:
    """One indicator: definition, chart with its data table, footnotes."""
    lang: str = request.state.lang
    with _session(request) as session:
        built, _ = views.report_for(settings, session, request.state.principal, period)
    ind = views.indicator_detail(built, key)
    words = labels(lang)
    name = ind["record"]["name_en"] if lang == "en" and ind["record"]["name_en"] else ind["record"]["name"]
    chart = line_chart(
        f"chart-{key}",
        ind["points"],
        title=name,
        description=words["chart_desc"],
        baseline=ind["assessment"]["baseline"],
        target=ind["record"].get("target_value"),
        labels={"baseline": words["baseline"], "target": words["target"]},
    )
    context = {
        "period": period,
        "ind": ind,
        "name": name,
        "chart": Markup(chart),
        "notes": [footnote_text(n, words) for n in ind["footnotes"]],
        "num": lambda value: number(value, lang),
    }
    return render_page(request, "progress_indicator.html", context)


@router.get("/voortgang/concepten/{draft_id}", response_class=HTMLResponse)
def draft_page(request: Request, draft_id: int = Path(ge=1, le=2**31 - 1)) -> HTMLResponse:
    """A draft with every contribution version, comment and workflow step."""
    with _session(request) as session:
        view = workflow.view(session, request.state.principal, draft_id).as_dict()
    return render_page(request, "progress_draft.html", {"draft": view})
