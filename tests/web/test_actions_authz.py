"""Authorization of every early-action route in remote mode, on SQLite and PostgreSQL.

``ROUTES`` lists each route with the permission it needs; a test checks that the app has no
early-action route missing from it. Strangers get 401 everywhere; a viewer reads but cannot
write; an analyst writes but cannot decide; a coordinator decides.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from gbvs.db.action_models import ActionDecision
from gbvs.db.models import Organisation, User
from gbvs.db.schemas import OrganisationCreate, UserCreate
from gbvs.db.services import organisations, users
from gbvs.db.services.principals import load_principal
from gbvs.db.session import session_scope
from gbvs.db.testing import append_only_lifted
from gbvs.security import Role
from gbvs.web.app import all_routes

HTTPS = "https://testserver"
ROUTES = {  # (method, path template) -> what it needs
    ("GET", "/vroege-actie"): "read",
    ("GET", "/vroege-actie/respons"): "read",
    ("GET", "/vroege-actie/{case_id:int}"): "read",
    ("GET", "/vroege-actie/nieuw"): "write",
    ("POST", "/vroege-actie"): "write",
    ("POST", "/vroege-actie/{case_id:int}/opties"): "write",
    ("POST", "/vroege-actie/{case_id:int}/status"): "write",
    ("POST", "/vroege-actie/{case_id:int}/vervolg"): "write",
    ("POST", "/vroege-actie/{case_id:int}/vervolg/{follow_up_id:int}/gedaan"): "write",
    ("POST", "/vroege-actie/{case_id:int}/besluit"): "decide",
    ("POST", "/vroege-actie/{case_id:int}/lezers"): "write",
    ("GET", "/api/v1/actions"): "read",
    ("GET", "/api/v1/actions/{caseId}"): "read",
    ("GET", "/api/v1/warning-responses"): "read",
    ("POST", "/api/v1/actions"): "write",
    ("PATCH", "/api/v1/actions/{caseId}"): "write",
    ("POST", "/api/v1/actions/{caseId}/options"): "write",
    ("POST", "/api/v1/actions/{caseId}/follow-ups"): "write",
    ("PATCH", "/api/v1/actions/{caseId}/follow-ups/{followUpId}"): "write",
    ("POST", "/api/v1/actions/{caseId}/decisions"): "decide",
}


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def _routes(app: Any) -> set[tuple[str, str]]:
    found = set()
    for route in all_routes(app.routes):
        if re.match(r"^/(vroege-actie|api/v1/(actions|warning-responses))", route.path):
            found |= {(method, route.path) for method in route.methods - {"HEAD"}}
    return found


def _add_users(site: Any) -> None:
    """Vera (viewer) and Cora (coordinator) join Bob (analyst) in one organisation: the case Bob
    opens is theirs, so Cora may decide it (reading a case is not deciding it)."""
    with session_scope(site.factory()) as session:
        ada = load_principal(session, "ada")
        organisations.create_organisation(
            session, ada, OrganisationCreate(code="BZ", name_nl="BZ", name_en="BZ")
        )
        session.flush()
        bz = session.scalar(select(Organisation.id).where(Organisation.code == "BZ"))
        session.execute(update(User).where(User.username == "bob").values(organisation_id=bz))
        for name, role in (("vera", Role.viewer), ("cora", Role.coordinator)):
            data = UserCreate(username=name, display_name=name.title(), organisation_code="BZ", role=role)
            users.create_user(session, ada, data, site.password)


def _form_token(client: TestClient, headers: dict[str, str]) -> str:
    page = client.get("/vroege-actie/1", headers=headers).text
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "no form on the case page"
    return found.group(1)


def test_every_early_action_route_is_listed(remote_site: Any) -> None:
    assert _routes(remote_site.app()) == set(ROUTES)


def test_who_may_do_what(remote_site: Any) -> None:
    _add_users(remote_site)
    tokens = {name: remote_site.token(name) for name in ("vera", "bob", "cora")}
    headers = {name: {"Authorization": f"Bearer {token}"} for name, token in tokens.items()}
    with TestClient(remote_site.app(), base_url=HTTPS) as client:
        for method, path in ROUTES:
            assert client.request(method, _concrete(path)).status_code == 401, (method, path)
        form = client.get("/vroege-actie/nieuw?bron=country&ref=MLI", headers=headers["bob"]).text
        token = re.search(r'name="csrf_token" value="([^"]+)"', form)
        assert token is not None
        body = {"csrf_token": token.group(1), "origin": "country", "ref": "MLI", "title": "Mali"}
        assert (
            client.post(
                "/vroege-actie", data=body, headers=headers["bob"], follow_redirects=False
            ).status_code
            == 303
        )
        csrf = _form_token(client, headers["bob"])
        option = {"csrf_token": csrf, "instrument": "diplomacy", "description": "talks"}
        assert client.post("/vroege-actie/1/opties", data=option, headers=headers["vera"]).status_code == 403
        assert client.post("/vroege-actie/1/opties", data=option, headers=headers["bob"]).status_code == 200
        to_options = {"csrf_token": csrf, "status": "options"}
        assert (
            client.post("/vroege-actie/1/status", data=to_options, headers=headers["bob"]).status_code == 200
        )
        decision = {"csrf_token": csrf, "option": "1", "reasoning": "talks before anything else"}
        assert (
            client.post("/vroege-actie/1/besluit", data=decision, headers=headers["bob"]).status_code == 403
        )
        assert (
            client.post("/vroege-actie/1/besluit", data=decision, headers=headers["cora"]).status_code == 200
        )
        readers = {"csrf_token": csrf, "audience": "organisation", "sharing_group": ""}
        assert client.post("/vroege-actie/1/lezers", data=readers, headers=headers["vera"]).status_code == 403
        shared = client.post(
            "/vroege-actie/1/lezers", data=readers, headers=headers["bob"], follow_redirects=False
        )
        assert shared.status_code == 303 and shared.headers["location"] == "/vroege-actie/1"
        assert client.get("/api/v1/actions/1", headers=headers["bob"]).json()["audience"] == "organisation"
        page = client.get("/vroege-actie/1?lang=en", headers=headers["bob"]).text
        assert '<option value="organisation" selected>' in page and 'action="/vroege-actie/1/lezers"' in page
        no_group = client.post(
            "/vroege-actie/1/lezers", data=readers | {"audience": "sharing_group"}, headers=headers["bob"]
        )
        assert no_group.status_code == 400 and "name a sharing group" in no_group.text
        not_ours = readers | {"audience": "sharing_group", "sharing_group": "nergens"}
        refused = client.post("/vroege-actie/1/lezers", data=not_ours, headers=headers["bob"])
        assert refused.status_code == 400 and "your organisation is not in it" in refused.text
        assert 'action="/vroege-actie/1/lezers"' in refused.text, (
            "the case page with its form, not a 404 page"
        )
        everyone = readers | {"audience": "all_organisations"}
        assert client.post("/vroege-actie/1/lezers", data=everyone, headers=headers["bob"]).status_code == 200
        for method, path in ROUTES:
            if method == "GET" and ROUTES[(method, path)] == "read":
                assert client.get(_concrete(path), headers=headers["vera"]).status_code == 200, path
        assert client.get("/vroege-actie/nieuw", headers=headers["vera"]).status_code == 403
        assert client.get("/api/v1/actions/1", headers=headers["vera"]).json()["status"] == "decided"


def test_the_api_writes_a_case_through_its_workflow(remote_site: Any) -> None:
    _add_users(remote_site)
    headers = {
        name: {"Authorization": f"Bearer {remote_site.token(name)}"} for name in ("vera", "bob", "cora")
    }
    with TestClient(remote_site.app(), base_url=HTTPS) as client:
        new = {"originKind": "alert", "originRef": "forecast-new:432", "title": "Mali", "goals": [1, 4]}
        assert client.post("/api/v1/actions", json=new, headers=headers["vera"]).status_code == 403
        made = client.post("/api/v1/actions", json=new, headers=headers["bob"])
        assert made.status_code == 201, made.text
        case = made.json()
        assert made.headers["Location"] == f"/api/v1/actions/{case['id']}"
        assert case["warning"]["run"]["run_id"] == "forecast-new" and case["audience"] == "all_organisations"
        path = made.headers["Location"]
        option = client.post(f"{path}/options", json={"instrument": "diplomacy", "description": "talks"},
                             headers=headers["bob"])  # fmt: skip
        assert option.status_code == 201 and option.json()["options"][0]["instrument"] == "diplomacy"
        too_early = client.patch(path, json={"status": "closed"}, headers=headers["bob"])
        assert too_early.status_code == 409 and too_early.headers["content-type"].startswith(
            "application/problem+json"
        )
        out_of_turn = {"choice": "act", "optionId": option.json()["options"][0]["id"], "reasoning": "now"}
        early = client.post(f"{path}/decisions", json=out_of_turn, headers=headers["cora"])
        assert early.status_code == 409 and "is recorded in status 'options'" in early.json()["detail"]
        assert early.json()["title"] == "Conflict"
        wrong = client.patch(path, json={"status": "finished"}, headers=headers["bob"])
        assert wrong.status_code == 400 and wrong.json()["invalidParams"][0]["name"].endswith("status")
        assert client.patch(path, json={"status": "options"}, headers=headers["bob"]).status_code == 200
        decision = {
            "choice": "act",
            "optionId": option.json()["options"][0]["id"],
            "reasoning": "talks first",
        }
        assert client.post(f"{path}/decisions", json=decision, headers=headers["bob"]).status_code == 403
        decided = client.post(f"{path}/decisions", json=decision, headers=headers["cora"])
        assert decided.status_code == 201 and decided.json()["status"] == "decided"
        # decided in 2019, so 2020 can be overdue (as the table owner can, around the guard)
        with (
            session_scope(remote_site.factory()) as session,
            append_only_lifted(session.connection(), "action_decision"),
        ):
            session.execute(update(ActionDecision).values(decided_at=datetime(2019, 12, 1, tzinfo=UTC)))
        planned = client.post(f"{path}/follow-ups", json={"dueOn": "2020-01-01", "note": "embassy"},
                              headers=headers["bob"])  # fmt: skip
        assert planned.status_code == 201 and planned.json()["overdueDays"] > 0
        follow_up = planned.json()["followUps"][0]["id"]
        done = client.patch(f"{path}/follow-ups/{follow_up}", json={"done": True}, headers=headers["bob"])
        assert done.status_code == 200 and done.json()["followUps"][0]["done_on"] is not None
        assert client.patch(path, json={"status": "follow_up"}, headers=headers["bob"]).status_code == 200
        closed = client.patch(
            path, json={"status": "closed", "outcome": "talks held"}, headers=headers["bob"]
        )
        assert closed.status_code == 200 and closed.json()["outcome"] == "talks held"
        assert (
            client.patch("/api/v1/actions/99", json={"status": "options"}, headers=headers["bob"]).status_code
            == 404
        )
        gap = client.get("/api/v1/warning-responses", headers=headers["vera"]).json()["data"]
        assert {row["iso3"]: row["caseId"] for row in gap}["MLI"] == case["id"]
