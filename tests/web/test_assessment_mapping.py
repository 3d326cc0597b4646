"""One mapping of an assessment's fields (:class:`gbvs.signals.assessment.AssessmentInput`): the page
form, the API body and the command line store the same assessment for the same input. Before, each
wrote the mapping out itself and they differed: the command line kept the spaces around a suspected
actor and stored an empty one as ``""``, the API stored ``"  APT28 "`` as typed, only the form stripped
it. Real service and database (SQLite, and PostgreSQL when there), no mocks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from gbvs.db.schemas import OrganisationCreate, UserCreate
from gbvs.db.services import organisations, users
from gbvs.db.services.principals import load_principal
from gbvs.db.session import session_scope
from gbvs.db.signal_models import Assessment
from gbvs.security import Role
from gbvs.signals.assessment import FIELDS, AssessmentInput

SIGNAL = {
    "title": "Spearphishing tegen ministeries",
    "kind": "cyber_operation",
    "reportedOn": "2024-05-02",
    "tlp": "amber",
    "distribution": "organisation",
    "targetCountries": ["NLD"],
}
TYPED = [
    {
        "judgement": "  Waarschijnlijk APT28\n",
        "likelihood": " likely ",
        "confidence": "moderate",
        "suspectedActor": "  APT28 ",
        "sponsorState": " Rusland ",
        "evidence": " mails van 2 mei ",
    },
    {
        "judgement": "Onbekende dader",
        "likelihood": "unlikely",
        "confidence": "low",
        "suspectedActor": "   ",
        "sponsorState": "",
        "evidence": "",
    },
]
CLI_OPTIONS = {
    "judgement": "--judgement",
    "likelihood": "--likelihood",
    "confidence": "--confidence",
    "suspectedActor": "--actor",
    "sponsorState": "--sponsor",
    "evidence": "--evidence",
}


@pytest.fixture
def analyst(remote_site: Any) -> Iterator[tuple[Any, TestClient, dict[str, str], str]]:
    """'bz', an analyst of BZ, with a Bearer header and the token itself (for the command line)."""
    with session_scope(remote_site.factory()) as session:
        ada = load_principal(session, "ada")
        organisations.create_organisation(
            session, ada, OrganisationCreate(code="BZ", name_nl="BZ", name_en="BZ")
        )
        made = UserCreate(username="bz", display_name="bz", organisation_code="BZ", role=Role.analyst)
        users.create_user(session, ada, made)
    token = remote_site.token("bz")
    with TestClient(remote_site.app(), base_url="https://testserver") as client:
        yield remote_site, client, {"Authorization": f"Bearer {token}"}, token


def _signal(client: TestClient, headers: dict[str, str]) -> int:
    created = client.post("/api/v1/signals", json=SIGNAL, headers=headers)
    assert created.status_code == 201, created.text
    return int(created.json()["id"])


def _stored(remote_site: Any, signal_id: int) -> tuple[Any, ...]:
    with session_scope(remote_site.factory()) as session:
        row = session.scalars(select(Assessment).where(Assessment.signal_id == signal_id)).one()
        return (
            row.judgement,
            row.likelihood,
            row.confidence,
            row.suspected_actor,
            row.sponsor_state,
            row.evidence,
        )


@pytest.mark.parametrize("typed", TYPED, ids=["spaces", "empty-actor"])
def test_form_api_and_command_line_store_the_same_assessment(
    analyst: Any, typed: dict[str, str], monkeypatch: pytest.MonkeyPatch, run_cli: Any
) -> None:
    remote_site, client, headers, token = analyst
    by_form, by_api, by_cli = (_signal(client, headers) for _ in range(3))

    page = client.get(f"/signalen/{by_form}", headers=headers)
    token_field = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page.text)
    assert token_field, "the signal's page carries the assessment form with a CSRF token"
    posted = client.post(
        f"/signalen/{by_form}/duiding",
        data=typed | {"csrf_token": token_field.group(1)},
        headers=headers,
        follow_redirects=False,
    )
    assert posted.status_code == 303, posted.text

    answered = client.post(f"/api/v1/signals/{by_api}/assessments", json=typed, headers=headers)
    assert answered.status_code == 201, answered.text

    monkeypatch.setenv("GBVS_DATA_DIR", str(remote_site.settings.data_dir))
    monkeypatch.setenv("GBVS_DATABASE_URL", remote_site.settings.database_url)
    monkeypatch.setenv("GBVS_TOKEN", token)
    options = [part for name in FIELDS for part in (CLI_OPTIONS[name], typed[name])]
    ran = run_cli("signals", "assess", str(by_cli), *options, "--as", "bz")
    assert ran.exit_code == 0, ran.stderr

    expected = AssessmentInput.from_fields(typed)
    wanted = (
        expected.judgement,
        expected.likelihood,
        expected.confidence,
        expected.suspected_actor,
        "RUS" if expected.sponsor_state else None,
        expected.evidence,
    )
    assert _stored(remote_site, by_form) == wanted
    assert _stored(remote_site, by_api) == wanted, "the API stores what the form stores"
    assert _stored(remote_site, by_cli) == wanted, "the command line stores what the form stores"


def test_an_assessment_input_is_normalised_once_however_it_is_made() -> None:
    made = AssessmentInput(
        " x ", "likely", "low", suspected_actor="  ", sponsor_state=" RUS ", evidence=" e "
    )
    assert made == AssessmentInput.from_fields(
        {
            "judgement": "x",
            "likelihood": "likely",
            "confidence": "low",
            "sponsorState": "RUS",
            "evidence": "e",
        }
    )
    assert made.suspected_actor is None and made.sponsor_state == "RUS"
    form = {name: [value] for name, value in TYPED[1].items()}
    assert AssessmentInput.from_form(form) == AssessmentInput.from_fields(TYPED[1])
