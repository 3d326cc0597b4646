"""``/api/v1/reports``: reporting periods, the public content of a period's report, its indicators (CSV).

Only the public content is served (the publication filter ran when the report was built); the
openbaarheidstoets is never served here.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from typing import Any

from fastapi import Path, Query, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from gbvs.db import migrate
from gbvs.db.session import session_scope
from gbvs.reports import views
from gbvs.reports.errata import errata
from gbvs.security import Permission
from gbvs.web.api.common import ListFormat, Page, Paging, api_router, csv_responses, paginate, table_response
from gbvs.web.deps import AppSettings
from gbvs.web.queries.strategy import current_strategy, known_goal
from gbvs.web.signalaccess import writes
from gbvs.web.sourcetexts import source_names_in

router = api_router(Permission.reports_read, "reports")
PeriodLabel = Path(pattern=r"^\d{4}-\d{4}$", description="Reporting period", examples=["2018-2019"])


class ReportPeriod(BaseModel):
    """A reporting period; ``content_hash`` is that of its frozen snapshot (null while open)."""

    label: str
    status: str
    starts_on: str
    ends_on: str
    content_hash: str | None


PROVENANCE_COLUMN = "provenance"
"""The CSV and Excel column with each indicator's footnotes: source, version, vintage (forecasts: model
version and training cutoff), in the reader's language."""


class ReportIndicator(BaseModel):
    """An indicator of a period's report: the period's value against baseline and target."""

    key: str
    version: int
    goal: int
    name: str
    name_en: str
    method: str
    level: str
    unit: str
    direction: str
    status: str
    value: float | None
    value_period: str | None
    baseline: float | None
    baseline_year: int | None
    change: float | None
    verdict: str
    target_value: float | None
    target_year: int | None
    owner_organisation: str
    not_comparable_waves: str | None = Field(
        None,
        description=(
            "The poll waves in the period's window that are not (known to be) comparable with the "
            "indicator's other waves, as years separated by commas (the reason is in the report's "
            "`caveats` of the indicator); null when there are none."
        ),
        examples=["1996"],
    )


class Erratum(BaseModel):
    """A known fault of the GBVS version that froze the snapshot (the snapshot itself stays as it is)."""

    key: str
    indicator: str | None = Field(description="The indicator it touches; null: the report as a whole")
    nl: str
    en: str


class CorrectedSince(BaseModel):
    """A reported value of the frozen report corrected after it was frozen (the report still shows it)."""

    indicator: str = Field(description="The indicator's key")
    period: str = Field(description="The year of the value", examples=["2019"])
    value_id: int = Field(description="The id of the value the report shows, which a later value corrects")
    published: float = Field(description="The value as the report shows it", examples=[80])
    value: float | None = Field(
        description="The value in force now (the last correction); null while that value is not public "
        "(not TLP:CLEAR and not released for publication)",
        examples=[75],
    )
    corrected_on: str = Field(
        serialization_alias="correctedOn",
        description="The day the value in force was recorded",
        examples=["2026-12-06"],
    )
    organisation: str = Field(description="The ministry or organisation that recorded it", examples=["DEF"])
    reason: str | None = Field(description="Why the published value was wrong; null while not public")


class Report(BaseModel):
    """The public content of a period's report."""

    period: dict[str, Any]
    content_hash: str
    frozen: bool
    pillars: list[dict[str, Any]]
    goals: list[dict[str, Any]]
    context: dict[str, Any]
    counts: dict[str, int]
    errata: list[Erratum] = Field(
        description="Known faults of the version that froze this snapshot (empty for an open period)."
    )
    corrected_since: list[CorrectedSince] = Field(
        description=(
            "Reported values the frozen report shows that were corrected after it was frozen: its figure "
            "is no longer the value in force until a coordinator replaces the report (empty while open)."
        )
    )


def _goal_numbers(schema: dict[str, Any]) -> None:
    """The goals as the parameter's ``enum``, read when the document is built (not at import: loading the
    strategy takes seconds)."""
    schema["enum"] = [goal.number for goal in current_strategy().goals]


@contextmanager
def _session(request: Request) -> Iterator[Session]:
    factory = request.app.state.web.session_factory()
    migrate.ensure_current(factory.kw["bind"])
    with session_scope(factory, for_writing=writes(request)) as session:
        yield session


@router.get(
    "/reports",
    response_model=Page[ReportPeriod],
    summary="Reporting periods with their status and content hash",
    responses=csv_responses("The periods as CSV"),
)
def read_reports(
    request: Request, response: Response, paging: Paging, format: ListFormat = ListFormat.json
) -> Page[ReportPeriod] | Response:
    """Every reporting period; a frozen one names the content hash of its snapshot."""
    with _session(request) as session:
        rows = views.period_rows(session, request.state.principal)
    if format is not ListFormat.json:
        about = [("source", "GBVS progress reporting: periods and their frozen snapshots")]
        return table_response(
            request, format, rows, list(ReportPeriod.model_fields), "gbvs-report-periods", about
        )
    return paginate(request, response, [ReportPeriod(**r) for r in rows], paging)


@router.get("/reports/{period}", response_model=Report, summary="The public content of a period's report")
def read_report(request: Request, settings: AppSettings, period: str = PeriodLabel) -> Report:
    """The frozen snapshot's content, or a fresh build while the period is open (public items only)."""
    with _session(request) as session:
        built, frozen = views.report_for(settings, session, request.state.principal, period)
        corrected = views.corrected_since(session, request.state.principal, built, frozen)
    out = built.outputs
    return Report(
        period=out["period"],
        content_hash=built.content_hash,
        frozen=frozen,
        pillars=out["pillars"],
        goals=out["goals"],
        context=out["context"],
        counts=out["counts"],
        errata=[Erratum(**asdict(e)) for e in errata(built.snapshot)] if frozen else [],
        corrected_since=[CorrectedSince(**c) for c in corrected],
    )


@router.get(
    "/reports/{period}/indicators",
    response_model=Page[ReportIndicator],
    summary="The indicators of a period's report",
    responses=csv_responses("The indicators as CSV"),
)
def read_report_indicators(
    request: Request,
    response: Response,
    settings: AppSettings,
    paging: Paging,
    period: str = PeriodLabel,
    goal: int | None = Query(
        default=None,
        description="Only the indicators of this goal of the strategy (1-13 in GBVS 2018-2022)",
        json_schema_extra=_goal_numbers,
    ),
    format: ListFormat = ListFormat.json,
) -> Page[ReportIndicator] | Response:
    """Each indicator with its value in the period, baseline, change, verdict and target."""
    if goal is not None:
        known_goal(current_strategy(), goal)
    with _session(request) as session:
        built, _ = views.report_for(settings, session, request.state.principal, period)
    rows = [row for row in views.indicators_of(built) if goal is None or row["goal"] == goal]
    if format is not ListFormat.json:
        about = [("source", f"GBVS progress report {period}"), ("content_hash", built.content_hash)]
        notes = views.indicator_provenance(
            built, request.state.lang, source_names_in(request.app.state.web.catalogs)
        )
        rows = [{**row, PROVENANCE_COLUMN: notes[row["key"]]} for row in rows]
        columns = [*ReportIndicator.model_fields, PROVENANCE_COLUMN]
        return table_response(request, format, rows, columns, f"gbvs-indicators-{period}", about)
    return paginate(request, response, [ReportIndicator(**r) for r in rows], paging)
