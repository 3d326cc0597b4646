"""A refused early-action form comes back as the same page: the message above the form, what was typed
still in it, and nothing stored (WCAG 3.3.1 and 3.3.3; the form keeps the user's work). On SQLite and
PostgreSQL, in remote mode."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from gbvs.db.models import Organisation, User
from gbvs.db.schemas import OrganisationCreate, UserCreate
from gbvs.db.services import organisations, users
from gbvs.db.services.principals import load_principal
from gbvs.db.session import session_scope
from gbvs.security import Role

HTTPS = "https://testserver"


def _token(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "no form on the page"
    return found.group(1)


def body_of(token: str) -> dict[str, Any]:
    return {"csrf_token": token, "goal": ["1"]}


def _client_and_headers(site: Any) -> tuple[TestClient, dict[str, str]]:
    return TestClient(site.app(), base_url=HTTPS), {"Authorization": f"Bearer {site.token('bob')}"}


def test_a_refused_new_case_shows_the_form_again_with_what_was_typed(remote_site: Any) -> None:
    client, bob = _client_and_headers(remote_site)
    with client:
        token = _token(client.get("/vroege-actie/nieuw?bron=country&ref=MLI", headers=bob).text)
        typed = {
            "csrf_token": token, "origin": "alert", "ref": "MLI", "title": "Mali <north>",
            "description": "Fighting near Kidal", "goal": ["2", "4"], "region": "sahel",
        }  # fmt: skip
        refused = client.post("/vroege-actie?lang=en", data=typed, headers=bob, follow_redirects=False)
        assert refused.status_code == 400, refused.text
        page = refused.text
        assert "<title>Error: Open an early-action case" in page
        assert 'role="alert"' in page and "is not RUN_ID:GWCODE" in page  # the service's reason
        assert 'value="Mali &lt;north&gt;"' in page and ">Fighting near Kidal</textarea>" in page
        checked = set(re.findall(r'id="goal-(\d+)" name="goal" value="\d+" checked', page))
        assert checked == {"2", "4"}  # goal 1, the default, is no longer ticked
        assert '<option value="alert" selected>' in page and '<option value="sahel" selected>' in page
        assert client.get("/api/v1/actions", headers=bob).json()["total"] == 0
        unknown = body_of(token) | {"origin": "country", "ref": "Atlantis", "title": "x"}
        nowhere = client.post("/vroege-actie?lang=en", data=unknown, headers=bob, follow_redirects=False)
        assert nowhere.status_code == 400 and "country &#39;Atlantis&#39;" in nowhere.text
        assert 'value="Atlantis"' in nowhere.text  # the form again, not a 404 page


def test_a_refused_case_form_shows_the_case_again_and_stores_nothing(remote_site: Any) -> None:
    client, bob = _client_and_headers(remote_site)
    with client:
        token = _token(client.get("/vroege-actie/nieuw", headers=bob).text)
        body = {"csrf_token": token, "origin": "country", "ref": "mali", "title": "Mali", "goal": ["1"]}
        made = client.post("/vroege-actie", data=body, headers=bob, follow_redirects=False)
        assert made.status_code == 303, made.text
        case = made.headers["location"]
        before = client.get(f"/api/v1/actions/{case.rsplit('/', 1)[1]}", headers=bob).json()
        assert before["originRef"] == "MLI"  # the country typed by name is stored as its code
        closing = {"csrf_token": token, "status": "closed", "outcome": "talks held in Bamako"}
        refused = client.post(f"{case}/status", data=closing, headers=bob)  # Dutch page, the default
        assert refused.status_code == 409, refused.text
        page = refused.text
        assert page.count('role="alert"') == 1 and 'href="#status-refused"' in page
        assert 'id="status-refused"' in page and "Reden (in het Engels)" not in page  # said in Dutch
        assert "Een dossier met de status ‘open’ kan niet naar ‘gesloten’; toegestaan: opties" in page
        assert ">talks held in Bamako</textarea>" in page and '<option value="closed" selected>' in page
        after = client.get(f"/api/v1/actions/{case.rsplit('/', 1)[1]}", headers=bob).json()
        assert after == before
        follow = {"csrf_token": token, "due_on": "next week", "note": "ask the embassy"}
        wrong_day = client.post(f"{case}/vervolg?lang=en", data=follow, headers=bob)
        assert wrong_day.status_code == 400 and "is not a date; write it as YYYY-MM-DD" in wrong_day.text
        assert 'id="follow-up-refused"' in wrong_day.text
        option = {"csrf_token": token, "instrument": "diplomacy", "description": "envoy to Bamako"}
        assert (
            client.post(f"{case}/opties", data=option, headers=bob, follow_redirects=False).status_code == 303
        )


def test_the_case_pages_refusals_read_in_dutch_and_the_api_keeps_english(remote_site: Any) -> None:
    """A state conflict, a missing reason and the role refusal of the decision form read in the page's
    language (they were English, labelled 'Reden (in het Engels)'); the API's detail stays English."""
    client, bob = _client_and_headers(remote_site)
    with client:
        token = _token(client.get("/vroege-actie/nieuw", headers=bob).text)
        body = {"csrf_token": token, "origin": "country", "ref": "MLI", "title": "Mali", "goal": ["1"]}
        case = client.post("/vroege-actie", data=body, headers=bob, follow_redirects=False).headers[
            "location"
        ]
        follow = {"csrf_token": token, "due_on": "2030-01-01", "note": "ask the embassy"}
        early = client.post(f"{case}/vervolg", data=follow, headers=bob)
        assert early.status_code == 400 and "Reden (in het Engels)" not in early.text
        assert "Een vervolgafspraak volgt op het besluit; dossier 1 heeft de status ‘open’" in early.text
        decide = {"csrf_token": token, "choice": "no_action", "reasoning": "not our business"}
        refused = client.post(f"{case}/besluit", data=decide, headers=bob)
        assert refused.status_code == 403 and "heeft het recht ‘actions:decide’ niet" in refused.text
        api = client.patch("/api/v1/actions/1", json={"status": "closed"}, headers=bob)
        assert api.status_code == 409 and api.json()["detail"].startswith(
            "a case in status 'open' cannot move to 'closed'; allowed: options"
        ), api.json()


def _coordinator(site: Any) -> dict[str, str]:
    """Cora, a coordinator, joins Bob (analyst) in one organisation, so she may decide his cases; her
    request headers."""
    with session_scope(site.factory()) as session:
        ada = load_principal(session, "ada")
        made = OrganisationCreate(code="BZ", name_nl="BZ", name_en="BZ")
        organisations.create_organisation(session, ada, made)
        session.flush()
        bz = session.scalar(select(Organisation.id).where(Organisation.code == "BZ"))
        session.execute(update(User).where(User.username == "bob").values(organisation_id=bz))
        cora = UserCreate(username="cora", display_name="Cora", organisation_code="BZ", role=Role.coordinator)
        users.create_user(session, ada, cora, site.password)
    return {"Authorization": f"Bearer {site.token('cora')}"}


def _case_with_an_option(client: TestClient, bob: dict[str, str]) -> str:
    """A case weighing one option (status 'options'), opened by bob; its page's address."""
    token = _token(client.get("/vroege-actie/nieuw", headers=bob).text)
    body = {"csrf_token": token, "origin": "country", "ref": "MLI", "title": "Mali", "goal": ["1"]}
    case = client.post("/vroege-actie", data=body, headers=bob, follow_redirects=False).headers["location"]
    option = {"csrf_token": token, "instrument": "diplomacy", "description": "envoy to Bamako"}
    assert client.post(f"{case}/opties", data=option, headers=bob, follow_redirects=False).status_code == 303
    moved = client.post(f"{case}/status", data={"csrf_token": token, "status": "options"}, headers=bob)
    assert moved.status_code == 200, moved.text
    return str(case)


def _field_error(page: str, field: str) -> str:
    """The error shown at a form field: the field points at it (aria-describedby), marked invalid."""
    tag = re.search(rf'<(?:select|textarea|input) id="{field}" name="[^"]+"([^>]*)>', page)
    assert tag and f'aria-invalid="true" aria-describedby="e-{field}"' in tag.group(1), page
    found = re.search(rf'<span class="field-error" id="e-{field}">([^<]*)</span>', page)
    assert found, f"no error at {field}"
    return found.group(1)


def test_a_refused_decision_shows_each_wrong_field_at_its_field_and_stores_nothing(remote_site: Any) -> None:
    """An option of no case and too short reasons: both messages at their fields, in an error summary
    linking to them, in Dutch and English; what was typed stays, and no decision is stored."""
    client, bob = _client_and_headers(remote_site)
    cora = _coordinator(remote_site)
    with client:
        case = _case_with_an_option(client, bob)
        case_id = case.rsplit("/", 1)[1]
        before = client.get(f"/api/v1/actions/{case_id}", headers=cora).json()
        token = _token(client.get(case, headers=cora).text)
        wrong = {"csrf_token": token, "option": "99", "reasoning": "too short"}
        for lang, option_error, reasons_error, summary in (
            ("nl", "Optie 99 hoort niet bij dossier", "Een besluit om te handelen heeft een motivering nodig",
             "Het besluit is niet opgeslagen. Verbeter deze velden:"),
            ("en", "option 99 is not an option of case", "a decision to act needs its reasoning",
             "The decision was not saved. Correct these fields:"),
        ):  # fmt: skip
            refused = client.post(f"{case}/besluit?lang={lang}", data=wrong, headers=cora)
            assert refused.status_code == 400, refused.text
            page = refused.text
            assert option_error in _field_error(page, "option")
            assert reasons_error in _field_error(page, "reasoning")
            assert ("got 9" if lang == "en" else "nu 9") in _field_error(page, "reasoning")
            assert summary in page and 'href="#option"' in page and 'href="#reasoning"' in page
            assert page.count('role="alert"') == 1 and 'href="#decision-refused"' in page
            assert ">too short</textarea>" in page  # what was typed stays
        assert client.get(f"/api/v1/actions/{case_id}", headers=cora).json() == before  # nothing stored


def test_a_decision_with_no_option_number_still_names_its_short_reasons(remote_site: Any) -> None:
    """An option that is no number (the page reads it) and short reasons: both at their fields."""
    client, bob = _client_and_headers(remote_site)
    cora = _coordinator(remote_site)
    with client:
        case = _case_with_an_option(client, bob)
        token = _token(client.get(case, headers=cora).text)
        wrong = {"csrf_token": token, "option": "first", "reasoning": "no"}
        refused = client.post(f"{case}/besluit?lang=en", data=wrong, headers=cora)
        assert refused.status_code == 400, refused.text
        assert "&#39;first&#39; is not a number" in _field_error(refused.text, "option")
        assert "needs its reasoning" in _field_error(refused.text, "reasoning")


def test_the_decision_api_lists_each_wrong_field(remote_site: Any) -> None:
    """The API's refusal is problem+json with each wrong field in invalidParams, and stores nothing."""
    client, bob = _client_and_headers(remote_site)
    cora = _coordinator(remote_site)
    with client:
        case_id = _case_with_an_option(client, bob).rsplit("/", 1)[1]
        before = client.get(f"/api/v1/actions/{case_id}", headers=cora).json()
        wrong = {"choice": "act", "optionId": 99, "reasoning": "too short"}
        refused = client.post(f"/api/v1/actions/{case_id}/decisions", json=wrong, headers=cora)
        assert refused.status_code == 400 and refused.headers["content-type"].startswith(
            "application/problem+json"
        )
        invalid = {item["name"]: item["reason"] for item in refused.json()["invalidParams"]}
        assert set(invalid) == {"optionId", "reasoning"}, refused.json()
        assert invalid["optionId"].startswith("option 99 is not an option of case")
        assert "needs its reasoning (at least 10 characters; got 9)" in invalid["reasoning"]
        assert client.get(f"/api/v1/actions/{case_id}", headers=cora).json() == before


def test_a_refused_new_case_shows_each_wrong_field_at_its_field(remote_site: Any) -> None:
    """A title of spaces and a country that does not exist: both at their fields, in a summary that
    links to them, in Dutch and English; what was typed stays and no case is stored."""
    client, bob = _client_and_headers(remote_site)
    with client:
        token = _token(client.get("/vroege-actie/nieuw", headers=bob).text)
        typed = {"csrf_token": token, "origin": "country", "ref": "Atlantis", "title": "   ", "goal": ["2"]}
        for lang, summary, title_error in (
            ("nl", "Het dossier is niet geopend. Verbeter deze velden:", "tekens"),
            ("en", "The case was not opened. Correct these fields:", "needs a title of 1-300 characters"),
        ):
            refused = client.post(
                f"/vroege-actie?lang={lang}", data=typed, headers=bob, follow_redirects=False
            )
            assert refused.status_code == 400, refused.text
            page = refused.text
            assert summary in page and 'href="#ref"' in page and 'href="#title"' in page
            ref = re.search(r'<input id="ref" name="ref" value="Atlantis"[^>]*aria-invalid="true" '
                            r'aria-describedby="e-ref"', page)  # fmt: skip
            assert ref, page
            assert re.search(r'<span class="field-error" id="e-ref">[^<]*Atlantis', page)
            assert re.search(rf'<span class="field-error" id="e-title">[^<]*{title_error}', page)
            assert 'aria-invalid="true" aria-describedby="e-title"' in page
            assert page.count('role="alert"') == 1 and 'id="goal-2" name="goal" value="2" checked' in page
        assert client.get("/api/v1/actions", headers=bob).json()["total"] == 0


def test_the_api_lists_each_wrong_field_of_a_new_case(remote_site: Any) -> None:
    client, bob = _client_and_headers(remote_site)
    with client:
        body = {"originKind": "country", "originRef": "Atlantis", "title": "Mali", "goals": [99]}
        refused = client.post("/api/v1/actions", json=body, headers=bob)
        assert refused.status_code == 400 and refused.headers["content-type"].startswith(
            "application/problem+json"
        )
        names = [item["name"] for item in refused.json()["invalidParams"]]
        assert sorted(names) == ["goals", "originRef"], refused.json()
        assert client.get("/api/v1/actions", headers=bob).json()["total"] == 0


def test_a_refused_option_shows_each_wrong_field_at_its_field(remote_site: Any) -> None:
    """An instrument the strategy lacks and no description: both at their fields; nothing stored."""
    client, bob = _client_and_headers(remote_site)
    with client:
        case = _case_with_an_option(client, bob)
        before = client.get(f"/api/v1/actions/{case.rsplit('/', 1)[1]}", headers=bob).json()
        token = _token(client.get(case, headers=bob).text)
        wrong = {"csrf_token": token, "instrument": "charm", "description": "  "}
        refused = client.post(f"{case}/opties?lang=en", data=wrong, headers=bob)
        assert refused.status_code == 400, refused.text
        page = refused.text
        assert "The option was not saved. Correct these fields:" in page
        assert 'href="#instrument"' in page and 'href="#option-description"' in page
        assert "charm" in _field_error(page, "instrument")
        assert "cannot be empty" in _field_error(page, "option-description")
        assert client.get(f"/api/v1/actions/{case.rsplit('/', 1)[1]}", headers=bob).json() == before
