"""Early action on the web: the database session and forecasts file a request needs, and API models."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any, Literal

from fastapi import Request
from pydantic import BaseModel, Field
from sqlalchemy import exc
from sqlalchemy.orm import Session

from gbvs.actions.alerts import RulesInForce, rules_in_force
from gbvs.actions.gap import RESPONSE_WEEKS, GapRow, RegionGap
from gbvs.actions.outcomes import Outcomes, observed
from gbvs.actions.views import CaseSummary
from gbvs.db.session import session_scope
from gbvs.errors import NoForecastRunError, SchemaOutdatedError, StoreError
from gbvs.forecasting.queries import RunInfo
from gbvs.forecasting.watchlist import Alert, AlertRules, load_rules
from gbvs.security import Principal
from gbvs.store.forecasts import ForecastsReader, forecasts_path, open_forecasts
from gbvs.web.signalaccess import writes
from gbvs.web.store import StoreGateway

NOT_MIGRATED = (
    "the operational database has no early-action tables yet; run `gbvs db upgrade` (it keeps existing data)"
)


def principal_of(request: Request) -> Principal:
    """The principal :func:`gbvs.web.auth.require` resolved for this request."""
    principal: Principal = request.state.principal
    return principal


@contextmanager
def action_session(request: Request) -> Iterator[Session]:
    """A transaction on the operational database; a database without migration 0006 gets its fix."""
    try:
        with session_scope(request.app.state.web.session_factory(), for_writing=writes(request)) as session:
            yield session
    except (exc.OperationalError, exc.ProgrammingError) as error:
        if "action_" in str(error.orig) or "no such table" in str(error.orig):
            raise SchemaOutdatedError(NOT_MIGRATED) from error
        raise


@contextmanager
def forecasts_reader(request: Request) -> Iterator[ForecastsReader | None]:
    """The forecasts file opened for reading, or None when there is none yet."""
    try:
        reader = open_forecasts(forecasts_path(request.app.state.web.settings))
    except NoForecastRunError:
        yield None
        return
    with reader:
        yield reader


def outcomes_of(request: Request, rules: AlertRules) -> Outcomes:
    """The observed outcomes of the watchlist's target in the store (cached per store version)."""
    store: StoreGateway = request.app.state.web.store
    try:
        return store.cached(("action_outcomes", rules.target), lambda con: observed(con, rules.target))
    except StoreError:
        return {}


def rules_of(request: Request) -> AlertRules:
    """The watchlist's alert rules of this installation."""
    return load_rules(request.app.state.web.settings.data_dir)


class ActionCaseItem(BaseModel):
    """An early-action case on the board (``overdueDays`` set when a follow-up is late), with what the
    reader may do with it (``mayChange``, ``mayDecide``)."""

    id: int
    title: str
    status: str
    originKind: str
    originRef: str
    region: str | None
    countries: list[str]
    openedBy: str
    openedAt: datetime
    version: int
    overdueDays: int | None
    nextFollowUp: date | None
    mayChange: bool = Field(
        description="Whether you may change the case (options, status, follow-ups, audience): "
        "actions:write and a member of its owning organisation (a case without one: accounts without an "
        "organisation and admins); the case's status decides which step is possible"
    )
    mayDecide: bool = Field(
        description="Whether you may record its decision: actions:decide (coordinators, admins) and the "
        "same organisation rule as mayChange; possible while the case is weighing options"
    )

    @classmethod
    def of(cls, case: CaseSummary) -> ActionCaseItem:
        """From the service's summary."""
        return cls(
            id=case.id, title=case.title, status=case.status, originKind=case.origin_kind,
            originRef=case.origin_ref, region=case.region, countries=list(case.countries),
            openedBy=case.opened_by, openedAt=case.opened_at, version=case.version,
            overdueDays=case.overdue_days, nextFollowUp=case.next_follow_up,
            mayChange=case.may_change, mayDecide=case.may_decide,
        )  # fmt: skip


class ActionCaseDetail(ActionCaseItem):
    """A case in full: the frozen warning, options, decisions, follow-ups and outcome."""

    description: str
    owner: str | None
    audience: str
    sharingGroup: str | None
    goals: list[int]
    warning: dict[str, Any]
    options: list[dict[str, Any]]
    decisions: list[dict[str, Any]]
    followUps: list[dict[str, Any]]
    outcome: str
    updatedAt: datetime
    newerRun: ForecastRunUsed | None = Field(
        description="The latest forecast run when it is newer than the one frozen in ``warning`` (the "
        "case keeps the frozen forecast); null while the frozen run is the latest"
    )


class WarningResponse(BaseModel):
    """One watchlist alert and the response to it (``caseId`` null: no case was opened)."""

    reference: str
    runId: str
    raisedAt: datetime
    iso3: str | None
    gwcode: int
    regions: list[str]
    p: float
    previous: float | None
    alerts: list[str] = Field(description="The alerts in words, in the request's language")
    alertDetails: list[Alert] = Field(
        description="The same alerts machine-readable, in the order of alerts: kind (crossed_up, "
        "crossed_down: the probability crossed threshold; jump: it changed by change since the previous run)"
    )
    forecastPeriod: int
    caseId: int | None
    daysToCase: float | None
    daysToDecision: float | None
    observed: bool | None

    @classmethod
    def of(cls, row: GapRow, worded: Callable[[Alert], str]) -> WarningResponse:
        """From the gap figures, the alerts worded by ``worded`` (the request's language)."""
        a = row.alert
        return cls(
            reference=a.reference, runId=a.run_id, raisedAt=a.raised_at, iso3=a.iso3, gwcode=a.gwcode,
            regions=list(a.regions), p=a.p, previous=a.previous, alerts=[worded(x) for x in a.alerts],
            alertDetails=list(a.alerts), forecastPeriod=a.forecast_period, caseId=row.case_id,
            daysToCase=row.days_to_case, daysToDecision=row.days_to_decision, observed=row.observed,
        )  # fmt: skip


class RegionResponse(BaseModel):
    """The gap in one region (``all``: every alert)."""

    region: str
    alerts: int
    answered: int
    decided: int
    unanswered: int
    medianDaysToDecision: float | None
    observed: int | None = Field(
        description="Alerts whose forecast year had armed conflict; null while no outcome is known"
    )
    outcomesKnown: int = Field(description="Alerts whose forecast year is in the panel (outcome known)")
    decidedInTime: int = Field(
        description=f"Alerts decided within {RESPONSE_WEEKS} weeks: the progress report's indicator of "
        "goal 1 counts the same (over the cases of all organisations)"
    )

    @classmethod
    def of(cls, gap: RegionGap) -> RegionResponse:
        """From the gap figures."""
        return cls(
            region=gap.region, alerts=gap.alerts, answered=gap.answered, decided=gap.decided,
            unanswered=gap.unanswered, medianDaysToDecision=gap.median_days_to_decision,
            observed=gap.observed, outcomesKnown=gap.outcomes_known, decidedInTime=gap.decided_in_time,
        )  # fmt: skip


class ForecastRunUsed(BaseModel):
    """A forecast run the alerts were recomputed from (provenance of the gap figures)."""

    runId: str
    createdAt: datetime = Field(description="When the run was made (UTC)")
    modelVersion: str
    trainingCutoff: int | None
    dataVintage: str

    @classmethod
    def of(cls, run: RunInfo) -> ForecastRunUsed:
        """From the run's stored provenance (its time stored without zone, in UTC)."""
        created = datetime.fromisoformat(run.created_at)
        return cls(
            runId=run.run_id, createdAt=created if created.tzinfo else created.replace(tzinfo=UTC),
            modelVersion=run.model_version,
            trainingCutoff=run.training_cutoff, dataVintage=run.data_vintage,
        )  # fmt: skip


class AlertRulesUsed(BaseModel):
    """The alert rules in force and where they come from."""

    target: str
    horizon: int
    threshold: float
    jump: float
    watchFrom: float
    source: Literal["shipped", "data_folder"] = Field(
        description="shipped: GBVS's own watchlist.yaml; data_folder: <data_dir>/watchlist.yaml changes them"
    )
    overridden: list[str] = Field(description="The rules the data folder's file changes")

    @classmethod
    def of(cls, found: RulesInForce) -> AlertRulesUsed:
        """From the rules in force."""
        r = found.rules
        return cls(
            target=r.target, horizon=r.horizon, threshold=r.threshold, jump=r.jump, watchFrom=r.watch_from,
            source="shipped" if found.source == "shipped" else "data_folder",
            overridden=list(found.overridden),
        )  # fmt: skip


def rules_provenance(request: Request) -> RulesInForce:
    """The installation's alert rules with their source."""
    return rules_in_force(request.app.state.web.settings.data_dir)
