"""Writes of the signals register from the pages and the API (before: the command line only):
an organisation's assessment of a signal, a new marking, a case with its signals and strategy goals.
Each goes through the service the CLI uses (the same authorization and audit); a user who may not see
the signal gets 404 and nothing is written. Runs on SQLite and PostgreSQL (``remote_site``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from gbvs.db.models import AuditLog, Outcome
from gbvs.db.schemas import OrganisationCreate, UserCreate
from gbvs.db.services import organisations, users
from gbvs.db.services.principals import load_principal
from gbvs.db.session import session_scope
from gbvs.db.signal_models import Assessment, CaseSignal
from gbvs.security import Role

SIGNAL = {
    "title": "Spearphishing tegen ministeries",
    "kind": "cyber_operation",
    "reportedOn": "2024-05-02",
    "tlp": "amber",
    "distribution": "organisation",
    "targetCountries": ["NLD"],
    "goals": ["8"],
}
ASSESSMENT = {"judgement": "Waarschijnlijk APT28", "likelihood": "likely", "confidence": "moderate"}


@pytest.fixture
def two_orgs(remote_site: Any) -> Iterator[tuple[Any, TestClient, dict[str, dict[str, str]]]]:
    """Analysts 'bz' (BZ) and 'def' (DEF); 'kijker' a BZ viewer; each with a Bearer header."""
    with session_scope(remote_site.factory()) as session:
        ada = load_principal(session, "ada")
        for code in ("BZ", "DEF"):
            organisations.create_organisation(
                session, ada, OrganisationCreate(code=code, name_nl=code, name_en=code)
            )
        for name, org, role in (
            ("bz", "BZ", Role.analyst),
            ("def", "DEF", Role.analyst),
            ("kijker", "BZ", Role.viewer),
        ):
            users.create_user(
                session, ada, UserCreate(username=name, display_name=name, organisation_code=org, role=role)
            )
    headers = {
        name: {"Authorization": f"Bearer {remote_site.token(name)}"} for name in ("bz", "def", "kijker")
    }
    with TestClient(remote_site.app(), base_url="https://testserver") as client:
        yield remote_site, client, headers


def test_a_case_without_a_title_is_refused_in_the_pages_language(two_orgs: Any) -> None:
    """The case form's title refusal was the service's English on a Dutch page; now Dutch."""
    _, client, auth = two_orgs
    signal = _signal(client, auth["bz"])
    form = client.get(f"/zaken/nieuw?signaal={signal}", headers=auth["bz"])
    fields = {"title": " ", "signals": str(signal), "tlp": "amber", "csrf_token": _token(form.text)}
    refused = client.post("/zaken/nieuw", data=fields, headers=auth["bz"])
    assert refused.status_code == 400
    assert "Een zaak heeft een titel van 1-300 tekens nodig." in refused.text, refused.text
    english = client.post("/zaken/nieuw?lang=en", data=fields, headers=auth["bz"])
    assert "a case needs a title of 1-300 characters" in english.text


def _signal(client: TestClient, headers: dict[str, str], **changes: Any) -> int:
    created = client.post("/api/v1/signals", json=SIGNAL | changes, headers=headers)
    assert created.status_code == 201, created.text
    return int(created.json()["id"])


def _count(remote_site: Any, model: Any) -> int:
    with session_scope(remote_site.factory()) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _audit(remote_site: Any, action: str) -> list[AuditLog]:
    with session_scope(remote_site.factory()) as session:
        return list(session.scalars(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)))


def _token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', html)
    assert found, "the form carries a CSRF token"
    return found.group(1)


def test_an_assessment_is_recorded_through_the_api_and_audited_as_on_the_command_line(two_orgs: Any) -> None:
    remote_site, client, auth = two_orgs
    signal_id = _signal(client, auth["bz"])
    url = f"/api/v1/signals/{signal_id}/assessments"
    answer = client.post(url, json=ASSESSMENT | {"sponsorState": "Rusland"}, headers=auth["bz"])
    assert answer.status_code == 201, answer.text
    assert answer.headers["Location"] == f"/api/v1/signals/{signal_id}"
    (recorded,) = answer.json()["assessments"]
    assert (recorded["organisation"], recorded["sponsorState"], recorded["version"]) == ("BZ", "RUS", 1)
    entry = _audit(remote_site, "assessments.signal")[-1]
    assert (entry.actor, entry.outcome, entry.detail["version"]) == ("bz", Outcome.success, 1)
    again = client.post(url, json=ASSESSMENT | {"likelihood": "very-likely"}, headers=auth["bz"])
    assert again.json()["assessments"][0]["version"] == 2, "a new version; the old one stays"


def test_a_malformed_assessment_is_a_400_naming_the_field_and_nothing_is_stored(two_orgs: Any) -> None:
    remote_site, client, auth = two_orgs
    url = f"/api/v1/signals/{_signal(client, auth['bz'])}/assessments"
    for body, field in (
        ({"likelihood": "likely", "confidence": "moderate"}, "judgement"),
        (ASSESSMENT | {"judgement": "   "}, "judgement"),
        (ASSESSMENT | {"likelihood": "misschien"}, "likelihood"),
        (ASSESSMENT | {"sponsorState": "Atlantis"}, "sponsorState"),
        (ASSESSMENT | {"confidence": 3}, "confidence"),
    ):
        answer = client.post(url, json=body, headers=auth["bz"])
        assert answer.status_code == 400 and answer.headers["content-type"] == "application/problem+json"
        names = [item["name"].removeprefix("body.") for item in answer.json()["invalidParams"]]
        assert names == [field], answer.text
    assert _count(remote_site, Assessment) == 0


def test_whoever_may_not_see_the_signal_gets_404_on_page_and_api_and_nothing_is_written(
    two_orgs: Any,
) -> None:
    remote_site, client, auth = two_orgs
    hidden = _signal(client, auth["bz"])  # BZ's own, TLP:AMBER
    api = client.post(f"/api/v1/signals/{hidden}/assessments", json=ASSESSMENT, headers=auth["def"])
    assert api.status_code == 404 and "Spearphishing" not in api.text
    marking = client.patch(f"/api/v1/signals/{hidden}", json={"tlp": "red"}, headers=auth["def"])
    assert marking.status_code == 404
    token = _token(client.get("/signalen/nieuw", headers=auth["def"]).text)
    page = client.post(
        f"/signalen/{hidden}/duiding", data=ASSESSMENT | {"csrf_token": token}, headers=auth["def"]
    )
    assert page.status_code == 404 and "Spearphishing" not in page.text
    preview = client.post(
        f"/signalen/{hidden}/markering", data={"tlp": "clear", "csrf_token": token}, headers=auth["def"]
    )
    assert preview.status_code == 404 and "Spearphishing" not in preview.text
    case = client.post("/api/v1/cases", json={"title": "Zaak", "signals": [hidden]}, headers=auth["def"])
    assert case.status_code == 404 and "Spearphishing" not in case.text
    assert _count(remote_site, Assessment) == 0
    assert client.get("/api/v1/cases", headers=auth["def"]).json()["total"] == 0
    refused = _audit(remote_site, "assessments.signal")
    assert [(e.actor, e.outcome) for e in refused] == [("def", Outcome.denied)] * 2, "the not-found is kept"


def test_the_assessment_form_shows_errors_by_their_field_and_records_with_its_token(two_orgs: Any) -> None:
    remote_site, client, auth = two_orgs
    signal_id = _signal(client, auth["bz"])
    page = client.get(f"/signalen/{signal_id}?lang=nl", headers=auth["bz"]).text
    assert f'action="/signalen/{signal_id}/duiding"' in page and '<label for="f-judgement">' in page
    token = _token(page)
    forged = client.post(
        f"/signalen/{signal_id}/duiding", data=ASSESSMENT | {"csrf_token": "0" * 64}, headers=auth["bz"]
    )
    assert forged.status_code == 403
    empty = client.post(
        f"/signalen/{signal_id}/duiding",
        data=ASSESSMENT | {"judgement": "", "csrf_token": token},
        headers=auth["bz"],
    )
    assert empty.status_code == 400 and 'aria-describedby="e-judgement"' in empty.text
    assert (
        "De duiding is niet opgeslagen" in empty.text and "een duiding heeft een oordeel nodig" in empty.text
    )
    assert _count(remote_site, Assessment) == 0
    saved = client.post(
        f"/signalen/{signal_id}/duiding", data=ASSESSMENT | {"csrf_token": token}, headers=auth["bz"],
        follow_redirects=False,
    )  # fmt: skip
    assert saved.status_code == 303
    assert "Waarschijnlijk APT28" in client.get(f"/signalen/{signal_id}", headers=auth["bz"]).text
    viewer = client.get(f"/signalen/{signal_id}", headers=auth["kijker"]).text
    assert f'action="/signalen/{signal_id}/duiding"' not in viewer, "a viewer gets no form"


def test_lowering_a_marking_needs_a_reason_and_the_page_says_who_will_read_it_first(two_orgs: Any) -> None:
    remote_site, client, auth = two_orgs
    signal_id = _signal(client, auth["bz"])
    lowered = {"tlp": "green", "distribution": "all_organisations"}
    refused = client.patch(f"/api/v1/signals/{signal_id}", json=lowered, headers=auth["bz"])
    assert refused.status_code == 400 and "needs a reason" in refused.json()["detail"]
    assert _audit(remote_site, "signals.mark")[-1].outcome == Outcome.denied
    assert client.get(f"/api/v1/signals/{signal_id}", headers=auth["def"]).status_code == 404
    token = _token(client.get(f"/signalen/{signal_id}?lang=nl", headers=auth["bz"]).text)
    form = lowered | {"reason": "gepubliceerd door de NOS", "csrf_token": token}
    preview = client.post(f"/signalen/{signal_id}/markering?lang=nl", data=form, headers=auth["bz"])
    assert preview.status_code == 200 and "Wie het mag lezen" in preview.text
    assert "alleen uw organisatie (BZ)" in preview.text and "elke organisatie in GBVS" in preview.text
    assert "U verlaagt de rubricering" in preview.text
    assert client.get(f"/api/v1/signals/{signal_id}", headers=auth["def"]).status_code == 404, "not yet"
    done = client.post(
        f"/signalen/{signal_id}/markering",
        data=form | {"confirm": "yes"},
        headers=auth["bz"],
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert client.get(f"/api/v1/signals/{signal_id}", headers=auth["def"]).json()["tlp"] == "TLP:GREEN"
    entry = _audit(remote_site, "signals.mark")[-1]
    assert (entry.outcome, entry.detail["reason"]) == (Outcome.success, "gepubliceerd door de NOS")
    raised = client.patch(f"/api/v1/signals/{signal_id}", json={"tlp": "amber"}, headers=auth["bz"])
    assert raised.status_code == 200 and raised.json()["tlp"] == "TLP:AMBER"
    not_owner = client.patch(f"/api/v1/signals/{signal_id}", json={"tlp": "red"}, headers=auth["def"])
    assert not_owner.status_code == 400 and "only the organisation that owns" in not_owner.json()["detail"]


def test_cases_are_made_with_goals_filtered_by_goal_and_a_wrong_goal_is_named(two_orgs: Any) -> None:
    remote_site, client, auth = two_orgs
    first = _signal(client, auth["bz"], distribution="all_organisations", tlp="green")
    second = _signal(client, auth["bz"], title="Tweede")
    case = {"title": "APT28 tegen ministeries", "signals": [first], "tlp": "green",
            "distribution": "all_organisations", "goals": [8, 99]}  # fmt: skip
    wrong = client.post("/api/v1/cases", json=case, headers=auth["bz"])
    assert wrong.status_code == 400 and wrong.json()["invalidParams"][0]["name"] == "goals"
    reason = wrong.json()["invalidParams"][0]["reason"]
    assert "'99'" in reason and "1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13" in reason
    malformed = client.post("/api/v1/cases", json=case | {"signals": "een"}, headers=auth["bz"])
    assert malformed.status_code == 400 and malformed.json()["invalidParams"][0]["name"].startswith(
        "body.signals"
    )
    assert client.get("/api/v1/cases", headers=auth["bz"]).json()["total"] == 0, "nothing half-written"
    created = client.post("/api/v1/cases", json=case | {"goals": [10, 8]}, headers=auth["bz"])
    assert created.status_code == 201, created.text
    location = created.headers["Location"]
    assert created.json()["goals"] == [8, 10] and location.endswith(f"/cases/{created.json()['id']}")
    assert client.get("/api/v1/cases?goal=8", headers=auth["def"]).json()["total"] == 1
    assert client.get("/api/v1/cases?goal=6", headers=auth["def"]).json()["total"] == 0
    unknown = client.get("/api/v1/cases?goal=99", headers=auth["bz"])
    assert unknown.status_code == 400 and "'99'" in unknown.json()["invalidParams"][0]["reason"]
    hidden = client.post(f"{location}/signals", json={"signals": [second]}, headers=auth["def"])
    assert hidden.status_code in (403, 404), "DEF does not own the case (and does not see the signal)"
    added = client.post(f"{location}/signals", json={"signals": [second]}, headers=auth["bz"])
    assert added.status_code == 201 and len(added.json()["signals"]) == 2
    assert len(client.get(location, headers=auth["def"]).json()["signals"]) == 1, "DEF sees only hers"
    changed = client.patch(location, json={"goals": [6]}, headers=auth["bz"])
    assert changed.status_code == 200 and changed.json()["goals"] == [6]
    goals_changed = _audit(remote_site, "cases.set_goals")[-1].detail
    assert (goals_changed["from"], goals_changed["to"]) == ([8, 10], [6]), goals_changed
    assert _count(remote_site, CaseSignal) == 2


def test_the_case_form_makes_a_case_and_refuses_a_signal_one_may_not_see(two_orgs: Any) -> None:
    _, client, auth = two_orgs
    hidden = _signal(client, auth["bz"])
    shared = _signal(client, auth["bz"], distribution="all_organisations", tlp="green", title="Gedeeld")
    form = client.get(f"/zaken/nieuw?signaal={shared}&lang=nl", headers=auth["def"])
    assert (
        form.status_code == 200
        and f'value="{shared}"' in form.text
        and 'name="goals" value="13"' in form.text
    )
    token = _token(form.text)
    fields = {
        "title": "Samen duiden",
        "tlp": "green",
        "distribution": "all_organisations",
        "csrf_token": token,
    }
    refused = client.post(
        "/zaken/nieuw", data=fields | {"signals": f"{shared}, {hidden}"}, headers=auth["def"]
    )
    assert refused.status_code == 400 and 'aria-describedby="e-signals"' in refused.text
    assert "Spearphishing" not in refused.text
    assert client.get("/api/v1/cases", headers=auth["def"]).json()["total"] == 0
    saved = client.post(
        "/zaken/nieuw", data=fields | {"signals": str(shared), "goals": ["8", "10"]}, headers=auth["def"],
        follow_redirects=False,
    )  # fmt: skip
    assert saved.status_code == 303
    page = client.get(saved.headers["location"] + "?lang=nl", headers=auth["def"]).text
    assert 'href="/zaken?goal=8"' in page and 'action="' + saved.headers["location"] + '/doelen"' in page
    listing = client.get("/zaken?goal=10&lang=nl", headers=auth["bz"]).text
    assert "Samen duiden" in listing
    assert "Samen duiden" not in client.get("/zaken?goal=3", headers=auth["bz"]).text


def _shared_case(client: TestClient, auth: dict[str, dict[str, str]], **changes: Any) -> int:
    """A case of BZ (TLP:GREEN, every organisation; ``changes`` otherwise) holding a signal of BZ."""
    signal_id = _signal(client, auth["bz"], distribution="all_organisations", tlp="green")
    case = {"title": "APT28 tegen ministeries", "signals": [signal_id], "tlp": "green",
            "distribution": "all_organisations"} | changes  # fmt: skip
    created = client.post("/api/v1/cases", json=case, headers=auth["bz"])
    assert created.status_code == 201, created.text
    return int(created.json()["id"])


def _case_assessments(remote_site: Any, case_id: int) -> int:
    with session_scope(remote_site.factory()) as session:
        found = session.scalars(select(Assessment.id).where(Assessment.case_id == case_id)).all()
        return len(found)


def test_a_case_is_assessed_and_its_joint_position_recorded_through_the_api(two_orgs: Any) -> None:
    remote_site, client, auth = two_orgs
    case_id = _shared_case(client, auth)
    url = f"/api/v1/cases/{case_id}"
    joint = ASSESSMENT | {"judgement": "Samen: waarschijnlijk APT28", "agreedBy": ["BZ", "DEF"]}
    early = client.post(f"{url}/joint-positions", json=joint, headers=auth["bz"])
    assert early.status_code == 400 and early.json()["invalidParams"][0]["name"] == "agreedBy"
    assert "DEF recorded no assessment of case" in early.json()["invalidParams"][0]["reason"]
    made = client.post(
        f"{url}/assessments", json=ASSESSMENT | {"sponsorState": "Rusland"}, headers=auth["def"]
    )
    assert made.status_code == 201, made.text
    assert made.headers["Location"] == url
    (recorded,) = made.json()["assessments"]
    assert (recorded["organisation"], recorded["sponsorState"], recorded["version"]) == ("DEF", "RUS", 1)
    entry = _audit(remote_site, "assessments.case")[-1]
    assert (entry.actor, entry.outcome, entry.detail["joint"]) == ("def", Outcome.success, False)
    not_owner = client.post(f"{url}/joint-positions", json=joint, headers=auth["def"])
    assert (
        not_owner.status_code == 400 and "organisation that owns the case (BZ)" in not_owner.json()["detail"]
    )
    for agreed in (["BZ", "AIVD"], ["NOPE"], ["  "]):
        refused = client.post(f"{url}/joint-positions", json=joint | {"agreedBy": agreed}, headers=auth["bz"])
        assert refused.status_code == 400 and refused.json()["invalidParams"][0]["name"] == "agreedBy"
        assert "known:" not in refused.text, "an unknown code lists no organisations"
    empty = client.post(f"{url}/joint-positions", json=joint | {"agreedBy": []}, headers=auth["bz"])
    assert empty.status_code == 400 and empty.json()["invalidParams"][0]["name"] == "body.agreedBy"
    assert _case_assessments(remote_site, case_id) == 1, "nothing stored by a refusal"
    agreed = client.post(
        f"{url}/joint-positions", json=joint | {"agreedBy": ["bz", "def"]}, headers=auth["bz"]
    )
    assert agreed.status_code == 201 and agreed.headers["Location"] == url
    position = agreed.json()["jointPosition"]
    assert (position["agreedBy"], position["judgement"]) == (["BZ", "DEF"], "Samen: waarschijnlijk APT28")
    assert _audit(remote_site, "assessments.case")[-1].detail["joint"] is True
    again = client.post(
        f"{url}/assessments", json=ASSESSMENT | {"likelihood": "unlikely"}, headers=auth["def"]
    )
    assert again.json()["assessments"][0]["version"] == 2
    history = client.get(f"{url}/assessments", headers=auth["kijker"])
    assert history.status_code == 200
    versions = [(item["organisation"], item["version"], item["jointPosition"]) for item in history.json()]
    assert versions == [("DEF", 1, False), ("BZ", 1, True), ("DEF", 2, False)], "every version, oldest first"


def test_whoever_may_not_see_the_case_gets_404_on_page_and_api_and_nothing_is_written(two_orgs: Any) -> None:
    remote_site, client, auth = two_orgs
    hidden = _shared_case(client, auth, tlp="amber", distribution="organisation")  # BZ's own
    url = f"/api/v1/cases/{hidden}"
    joint = ASSESSMENT | {"agreedBy": ["DEF"]}
    for path, body in ((f"{url}/assessments", ASSESSMENT), (f"{url}/joint-positions", joint)):
        answer = client.post(path, json=body, headers=auth["def"])
        assert answer.status_code == 404 and "APT28 tegen" not in answer.text, (path, answer.text)
        assert client.post(path, json=body, headers=auth["kijker"]).status_code == 403
    assert client.get(f"{url}/assessments", headers=auth["def"]).status_code == 404
    token = _token(client.get("/zaken/nieuw", headers=auth["def"]).text)
    for path in ("duiding", "standpunt"):
        form = ASSESSMENT | {"agreedBy": "DEF", "csrf_token": token}
        page = client.post(f"/zaken/{hidden}/{path}", data=form, headers=auth["def"])
        assert page.status_code == 404 and "APT28 tegen" not in page.text, path
    assert _case_assessments(remote_site, hidden) == 0
    refused = _audit(remote_site, "assessments.case")
    assert [(e.actor, e.outcome) for e in refused] == [("def", Outcome.denied)] * 4, "the not-found is kept"


def test_the_case_page_records_assessments_and_offers_only_organisations_that_assessed(two_orgs: Any) -> None:
    remote_site, client, auth = two_orgs
    case_id = _shared_case(client, auth)
    owner_page = client.get(f"/zaken/{case_id}?lang=nl", headers=auth["bz"]).text
    assert (
        f'action="/zaken/{case_id}/duiding"' in owner_page
        and f'action="/zaken/{case_id}/standpunt"' in owner_page
    )
    assert "<title>Zaak" in owner_page and "<form" not in owner_page.split("</title>")[0], (
        "no form in the title"
    )
    assert 'name="agreedBy" value="BZ"' in owner_page and 'name="agreedBy" value="DEF"' not in owner_page
    assert "Een organisatie die dat nog niet deed, staat hier niet bij" in owner_page
    page = client.get(f"/zaken/{case_id}?lang=nl", headers=auth["def"]).text
    assert f'action="/zaken/{case_id}/duiding"' in page and "/standpunt" not in page, "only the owner agrees"
    assert '<label for="f-judgement">' in page
    token = _token(page)
    forged = client.post(
        f"/zaken/{case_id}/duiding", data=ASSESSMENT | {"csrf_token": "0" * 64}, headers=auth["def"]
    )
    assert forged.status_code == 403
    empty = client.post(
        f"/zaken/{case_id}/duiding?lang=nl", data=ASSESSMENT | {"judgement": "", "csrf_token": token},
        headers=auth["def"],
    )  # fmt: skip
    assert empty.status_code == 400 and 'aria-describedby="f-e-judgement"' in empty.text
    assert (
        "De duiding is niet opgeslagen" in empty.text and "een duiding heeft een oordeel nodig" in empty.text
    )
    assert 'href="#f-judgement"' in empty.text
    assert _case_assessments(remote_site, case_id) == 0
    saved = client.post(
        f"/zaken/{case_id}/duiding", data=ASSESSMENT | {"csrf_token": token}, headers=auth["def"],
        follow_redirects=False,
    )  # fmt: skip
    assert saved.status_code == 303 and saved.headers["location"].startswith(f"/zaken/{case_id}")
    owner_page = client.get(f"/zaken/{case_id}?lang=nl", headers=auth["bz"]).text
    assert 'name="agreedBy" value="DEF"' in owner_page, "DEF assessed: now offered"
    token = _token(owner_page)
    joint = ASSESSMENT | {"judgement": "Samen: waarschijnlijk APT28", "csrf_token": token}
    nobody = client.post(f"/zaken/{case_id}/standpunt?lang=nl", data=joint, headers=auth["bz"])
    assert nobody.status_code == 400 and 'aria-describedby="j-e-agreedBy"' in nobody.text
    assert "kies er ten minste één" in nobody.text and 'href="#j-agreedBy"' in nobody.text
    forged_org = client.post(
        f"/zaken/{case_id}/standpunt?lang=nl", data=joint | {"agreedBy": "AIVD"}, headers=auth["bz"]
    )
    assert forged_org.status_code == 400 and "AIVD heeft geen eigen duiding van zaak" in forged_org.text
    assert _case_assessments(remote_site, case_id) == 1
    agreed = client.post(
        f"/zaken/{case_id}/standpunt", data=joint | {"agreedBy": ["BZ", "DEF"]}, headers=auth["bz"],
        follow_redirects=False,
    )  # fmt: skip
    assert agreed.status_code == 303
    changed = ASSESSMENT | {"likelihood": "unlikely", "csrf_token": token}
    assert client.post(f"/zaken/{case_id}/duiding", data=changed, headers=auth["def"]).status_code == 200
    shown = client.get(f"/zaken/{case_id}?lang=nl", headers=auth["kijker"]).text
    assert "Overeengekomen door BZ, DEF" in shown and "Samen: waarschijnlijk APT28" in shown
    history = shown.split('id="geschiedenis"')[1].split("</table>")[0]
    assert (
        history.count('<tr><th scope="row">') == 3
        and "vervangen" in history
        and "Gezamenlijk standpunt van BZ, DEF" in history
    )
    assert "/duiding" not in shown and "/standpunt" not in shown, "a viewer gets no form"
    english = client.get(f"/zaken/{case_id}?lang=en", headers=auth["bz"]).text
    assert "History of the assessments" in english and "Record the joint position" in english


def test_the_case_assessment_form_shows_every_wrong_field_after_one_send(two_orgs: Any) -> None:
    """An empty judgement was named, the sponsor state "Narnia" in the same form only on the next send."""
    remote_site, client, auth = two_orgs
    case_id = _shared_case(client, auth)
    token = _token(client.get(f"/zaken/{case_id}?lang=nl", headers=auth["def"]).text)
    wrong = ASSESSMENT | {"judgement": "", "likelihood": "misschien", "sponsorState": "Narnia"}
    refused = client.post(
        f"/zaken/{case_id}/duiding?lang=nl", data=wrong | {"csrf_token": token}, headers=auth["def"]
    )
    assert refused.status_code == 400
    for field in ("judgement", "likelihood", "sponsorState"):
        assert f'aria-describedby="f-e-{field}"' in refused.text, field
        assert f'href="#f-{field}"' in refused.text, f"{field} in the error summary"
    assert "een duiding heeft een oordeel nodig" in refused.text and "Narnia" in refused.text
    assert 'value="Narnia"' in refused.text, "what was typed stays"
    assert _case_assessments(remote_site, case_id) == 0
    owner_token = _token(client.get(f"/zaken/{case_id}?lang=nl", headers=auth["bz"]).text)
    joint_form = ASSESSMENT | {"judgement": "", "likelihood": "misschien", "csrf_token": owner_token}
    joint = client.post(f"/zaken/{case_id}/standpunt?lang=nl", data=joint_form, headers=auth["bz"])
    assert joint.status_code == 400, "no organisation that agreed, and wrong fields besides"
    for field in ("judgement", "likelihood", "agreedBy"):
        assert f'aria-describedby="j-e-{field}"' in joint.text and f'href="#j-{field}"' in joint.text, field
    assert _case_assessments(remote_site, case_id) == 0


def test_the_signal_assessment_form_and_the_api_name_every_wrong_field_at_once(two_orgs: Any) -> None:
    remote_site, client, auth = two_orgs
    signal_id = _signal(client, auth["bz"])
    wrong = ASSESSMENT | {"judgement": " ", "confidence": "zeker", "sponsorState": "Narnia"}
    answer = client.post(f"/api/v1/signals/{signal_id}/assessments", json=wrong, headers=auth["bz"])
    assert answer.status_code == 400, answer.text
    names = [item["name"] for item in answer.json()["invalidParams"]]
    assert names == ["judgement", "confidence", "sponsorState"], answer.text
    token = _token(client.get(f"/signalen/{signal_id}?lang=nl", headers=auth["bz"]).text)
    page = client.post(
        f"/signalen/{signal_id}/duiding?lang=nl", data=wrong | {"csrf_token": token}, headers=auth["bz"]
    )
    assert page.status_code == 400
    for field in ("judgement", "confidence", "sponsorState"):
        assert f'href="#f-{field}"' in page.text, field
    assert _count(remote_site, Assessment) == 0


def test_the_new_case_form_names_every_wrong_field_at_once(two_orgs: Any) -> None:
    _, client, auth = two_orgs
    token = _token(client.get("/zaken/nieuw?lang=nl", headers=auth["bz"]).text)
    fields = {"title": " ", "signals": "abc", "tlp": "paars", "goals": ["99"], "csrf_token": token}
    refused = client.post("/zaken/nieuw?lang=nl", data=fields, headers=auth["bz"])
    assert refused.status_code == 400
    for field in ("title", "signals", "tlp", "goals"):
        assert f'aria-describedby="e-{field}"' in refused.text or f'id="e-{field}"' in refused.text, field
    assert client.get("/api/v1/cases", headers=auth["bz"]).json()["total"] == 0


def test_the_marking_form_names_every_wrong_field_at_once(two_orgs: Any) -> None:
    _, client, auth = two_orgs
    signal_id = _signal(client, auth["bz"])
    token = _token(client.get(f"/signalen/{signal_id}?lang=nl", headers=auth["bz"]).text)
    form = {"tlp": "paars", "distribution": "iedereen", "classification": "geheimpje", "csrf_token": token}
    refused = client.post(f"/signalen/{signal_id}/markering?lang=nl", data=form, headers=auth["bz"])
    assert refused.status_code == 400
    for field in ("tlp", "distribution", "classification"):
        assert f'aria-describedby="e-{field}"' in refused.text, field
    assert "stg_" not in refused.text, "only the classifications GBVS accepts are offered"
