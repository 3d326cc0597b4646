"""What an early-action case is opened from, checked before anything is stored.

An origin is a kind and a reference: a watchlist alert (``RUN_ID:GWCODE``), a country (ISO3), a
signal case (its id, read through the signals register's need-to-know), a threat-assessment
scenario (its id, read through the threat assessment's service) or a displacement forecast
(``RUN_ID:GWCODE``: the displacement run and the country of origin).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from sqlalchemy.orm import Session

from gbvs.actions.alerts import run_alerts
from gbvs.actions.gap import AlertEvent
from gbvs.actions.workflow import OriginKind, parse_alert_reference, parse_number
from gbvs.countries import country, iso3_of, iso3_typed
from gbvs.countries import gwcode as gwcode_of
from gbvs.db.services.assessments import get_scenario
from gbvs.db.services.cases import get_case as get_signal_case
from gbvs.errors import FieldError, NoForecastRunError, NotFoundError, Said, Term, said
from gbvs.forecasting.displacement.service import UNIT as DISPLACEMENT_UNIT
from gbvs.forecasting.watchlist import AlertRules
from gbvs.security.principal import Principal
from gbvs.store.forecasts import ForecastsReader, StoredRun


@dataclass(frozen=True)
class Origin:
    """A checked origin with the countries it concerns (ISO3, first the origin's own)."""

    kind: OriginKind
    reference: str
    iso3: tuple[str, ...]
    alert: AlertEvent | None = None
    displacement: DisplacementForecast | None = None


@dataclass(frozen=True)
class DisplacementForecast:
    """The displacement run a case is opened from and its forecast rows for the origin country."""

    run: StoredRun
    gwcode: int
    rows: pd.DataFrame


def resolve(
    session: Session,
    principal: Principal,
    forecasts: ForecastsReader | None,
    rules: AlertRules,
    kind: OriginKind,
    reference: str,
    countries: Sequence[str] = (),
) -> Origin:
    """Check that the origin exists (and that the principal may see it): NotFoundError naming it; a
    malformed reference or an unknown country is a FieldError naming the field (``originRef``,
    ``countries``)."""
    extra = tuple(_country(code, "countries") for code in countries)
    reference = reference.strip()
    if kind is OriginKind.alert:
        alert = _alert(forecasts, rules, reference)
        own = (alert.iso3,) if alert.iso3 else ()
        return Origin(kind, alert.reference, _unique(own + extra), alert)
    if kind is OriginKind.displacement:
        made = _displacement(forecasts, reference)
        iso3 = iso3_of(made.gwcode)
        codes = ((iso3,) if iso3 else ()) + extra
        return Origin(kind, f"{made.run.run_id}:{made.gwcode}", _unique(codes), displacement=made)
    if kind is OriginKind.country:  # a code or a name in Dutch or English ("Mali", "Oekraïne")
        iso3 = _country(reference, "originRef")
        return Origin(kind, iso3, _unique((iso3, *extra)))
    if kind is OriginKind.signal_case:
        case_id = _number(reference, "signal case")
        get_signal_case(session, principal, case_id)  # need-to-know: NotFoundError when not shared
        return Origin(kind, str(case_id), extra)
    return Origin(kind, check_scenario(session, principal, reference), extra)


def check_scenario(session: Session, principal: Principal, reference: str) -> str:
    """The scenario's id, read through the threat assessment's service (assessments:read checked);
    NotFoundError naming it when there is no such scenario."""
    scenario_id = _number(reference, "scenario")
    get_scenario(session, principal, scenario_id)
    return str(scenario_id)


def gwcodes(iso3_codes: Sequence[str]) -> dict[str, int | None]:
    """ISO3 → current Gleditsch-Ward code (None for a country without one)."""
    found: dict[str, int | None] = {}
    for iso3 in iso3_codes:
        try:
            found[iso3] = gwcode_of(iso3)
        except NotFoundError:
            found[iso3] = None
    return found


def _alert(forecasts: ForecastsReader | None, rules: AlertRules, reference: str) -> AlertEvent:
    run_id, code = parse_alert_reference(reference)
    if forecasts is None:
        raise NoForecastRunError(
            said("no forecasts file; run `gbvs forecast` before opening a case from an alert")
        )
    for alert in run_alerts(forecasts, run_id, rules):
        if alert.gwcode == code:
            return alert
    name = iso3_of(code) or code
    raise NotFoundError(
        said(
            "forecast run '%(run)s' raised no watchlist alert for %(country)s (gwcode %(code)s); "
            "see `gbvs actions alerts` for the alerts that exist, or open the case from the country",
            run=run_id,
            country=name,
            code=code,
        )
    )


def _displacement(forecasts: ForecastsReader | None, reference: str) -> DisplacementForecast:
    run_id, code = parse_alert_reference(reference, "displacement forecast")
    if forecasts is None:
        raise NoForecastRunError(
            said(
                "no forecasts file; run `gbvs displacement forecast` before opening a case from a "
                "displacement forecast"
            )
        )
    run = next((r for r in forecasts.runs("forecast", DISPLACEMENT_UNIT) if r.run_id == run_id), None)
    rows = forecasts.forecast_rows(run_id) if run else None
    mine = None if rows is None else rows[rows["unit_key"].astype(int) == code]
    if run is None or mine is None or mine.empty:
        name = iso3_of(code) or code
        raise NotFoundError(
            said(
                "displacement forecast run '%(run)s' has no forecast for %(country)s (gwcode %(code)s); the "
                "ranking at /ontheemding and `gbvs displacement ranking` show the forecasts that exist",
                run=run_id,
                country=name,
                code=code,
            )
        )
    return DisplacementForecast(run, code, mine.reset_index(drop=True))


def _number(reference: str, what: str) -> int:
    return parse_number(reference, said("%(what)s reference (the %(what)s's id)", what=Term(what)))


def _country(code: str, field: str) -> str:
    """A country's ISO3 code from a code or name; FieldError naming ``field`` when unknown."""
    try:
        return iso3_typed(code) if field == "originRef" else country(code).iso3
    except NotFoundError as unknown:
        raise FieldError(field, said("%(label)s: %(refusal)s", label=field, refusal=Said(unknown))) from None


def _unique(codes: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(codes))
