"""Signals and assessments as the API answers them (and the pages show them): camelCase fields."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from pydantic import BaseModel

from gbvs.countries.identity import gwcode
from gbvs.db.services.cases import AssessmentView
from gbvs.db.services.signals import SignalSummary, draft_of
from gbvs.db.signal_models import Signal
from gbvs.errors import NotFoundError


class SignalItem(BaseModel):
    """A signal as lists show it."""

    id: int
    title: str
    kind: str
    reportedOn: date
    owner: str
    tlp: str
    countries: list[str]

    @classmethod
    def of(cls, item: SignalSummary) -> SignalItem:
        """From the service's summary."""
        return cls(
            id=item.id,
            title=item.title,
            kind=item.kind.value,
            reportedOn=item.reported_on,
            owner=item.owner,
            tlp=item.tlp,
            countries=list(item.countries),
        )


class AssessmentItem(BaseModel):
    """One organisation's current assessment (or the joint position, with who agreed and when)."""

    organisation: str
    author: str
    version: int
    judgement: str
    likelihood: str
    likelihoodRange: str
    confidence: str
    suspectedActor: str | None
    sponsorState: str | None
    evidence: str
    jointPosition: bool
    agreedBy: list[str]
    createdAt: datetime


class Reference(BaseModel):
    """An attachment kept as a reference."""

    url: str
    title: str


class CountryRef(BaseModel):
    """A country a signal involves, with its Gleditsch-Ward code in the year it was reported (null
    when it was no independent state in the Gleditsch-Ward list then)."""

    iso3: str
    role: str
    gwcode: int | None


def country_refs(actors: Sequence[str], targets: Sequence[str], year: int) -> list[CountryRef]:
    """The signal's countries with their Gleditsch-Ward codes (from :mod:`gbvs.countries`)."""
    return [
        CountryRef(iso3=iso3, role=role, gwcode=_gwcode(iso3, year))
        for role, codes in (("actor", actors), ("target", targets))
        for iso3 in codes
    ]


def _gwcode(iso3: str, year: int) -> int | None:
    try:
        return gwcode(iso3, year)
    except NotFoundError:
        return None


class SignalDetail(BaseModel):
    """A signal with its markings, links and each organisation's current assessment."""

    id: int
    title: str
    description: str
    kind: str
    observedOn: date | None
    reportedOn: date
    owner: str
    tlp: str
    distribution: str
    sharingGroup: str | None
    classification: str
    reliability: str
    credibility: str
    actorCountries: list[str]
    targetCountries: list[str]
    countries: list[CountryRef]
    threats: list[int]
    goals: list[int]
    techniques: list[str]
    sectors: list[str]
    tags: list[str]
    references: list[Reference]
    source: str | None
    externalId: str | None
    assessments: list[AssessmentItem]


def assessment_item(view: AssessmentView) -> AssessmentItem:
    """The service's view of an assessment, as the API answers it."""
    return AssessmentItem(
        organisation=view.organisation,
        author=view.author,
        version=view.version,
        judgement=view.judgement,
        likelihood=view.likelihood,
        likelihoodRange=view.likelihood_range,
        confidence=view.confidence,
        suspectedActor=view.suspected_actor,
        sponsorState=view.sponsor_state,
        evidence=view.evidence,
        jointPosition=view.is_joint_position,
        agreedBy=list(view.agreed_by),
        createdAt=view.created_at,
    )


def signal_detail(row: Signal, assessments: Sequence[AssessmentView]) -> SignalDetail:
    """A stored signal (already read under need-to-know) with its assessments."""
    draft = draft_of(row)
    return SignalDetail(
        id=row.id,
        title=draft.title,
        description=draft.description,
        kind=draft.kind.value,
        observedOn=draft.observed_on,
        reportedOn=draft.reported_on,
        owner=draft.owner_organisation,
        tlp=draft.tlp.label,
        distribution=draft.distribution.value,
        sharingGroup=draft.sharing_group,
        classification=draft.classification.value,
        reliability=draft.reliability.upper(),
        credibility=draft.credibility,
        actorCountries=list(draft.actor_countries),
        targetCountries=list(draft.target_countries),
        countries=country_refs(draft.actor_countries, draft.target_countries, draft.reported_on.year),
        threats=list(draft.threats),
        goals=list(draft.goals),
        techniques=list(draft.techniques),
        sectors=list(row.detail.get("sectors", [])),
        tags=list(draft.tags),
        references=[Reference(url=ref.url, title=ref.title) for ref in draft.references],
        source=draft.source,
        externalId=draft.external_id,
        assessments=[assessment_item(view) for view in assessments],
    )
