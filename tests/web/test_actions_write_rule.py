"""Reading an early-action case is not changing it (remote mode, SQLite and PostgreSQL).

A Foreign Affairs (BZ) analyst opens a case readable by all organisations. An analyst and a
coordinator of a think tank (HCSS) read it, but adding options, moving it, planning or completing
follow-ups and deciding are refused (403, kept in the audit log as ``denied``) and the case page
offers them no forms; BZ's own analyst works on it and BZ's coordinator decides.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from gbvs.db.models import AuditLog
from gbvs.db.schemas import OrganisationCreate, UserCreate
from gbvs.db.services import organisations, users
from gbvs.db.services.principals import load_principal
from gbvs.db.session import session_scope
from gbvs.security import Role

PEOPLE = {
    "bea": (Role.analyst, "BZ"),
    "cas": (Role.coordinator, "BZ"),
    "hans": (Role.analyst, "HCSS"),
    "hedy": (Role.coordinator, "HCSS"),
}


def _people(site: Any) -> dict[str, dict[str, str]]:
    with session_scope(site.factory()) as session:
        ada = load_principal(session, "ada")
        for code in ("BZ", "HCSS"):
            organisations.create_organisation(
                session, ada, OrganisationCreate(code=code, name_nl=code, name_en=code)
            )
        session.commit()
        for name, (role, code) in PEOPLE.items():
            data = UserCreate(username=name, display_name=name, organisation_code=code, role=role)
            users.create_user(session, ada, data, site.password)
    return {name: {"Authorization": f"Bearer {site.token(name)}"} for name in PEOPLE}


def _denied(site: Any) -> list[tuple[str, str]]:
    with session_scope(site.factory()) as session:
        rows = session.execute(
            select(AuditLog.actor, AuditLog.action)
            .where(AuditLog.outcome == "denied", AuditLog.action.like("actions.%"))
            .order_by(AuditLog.id)
        ).all()
    return [(actor, action) for actor, action in rows]


def test_only_the_owning_organisation_changes_and_decides(remote_site: Any) -> None:
    who = _people(remote_site)
    with TestClient(remote_site.app(), base_url="https://testserver") as client:
        new = {"originKind": "country", "originRef": "MLI", "title": "Mali", "audience": "all_organisations"}
        made = client.post("/api/v1/actions", json=new, headers=who["bea"])
        assert made.status_code == 201, made.text
        path = made.headers["Location"]
        case_id = made.json()["id"]
        option = {"instrument": "diplomacy", "description": "talks"}

        assert client.get(path, headers=who["hans"]).status_code == 200  # shared: readable
        refused = client.post(f"{path}/options", json=option, headers=who["hans"])
        assert refused.status_code == 403, refused.text
        assert "its organisation (BZ)" in refused.json()["detail"]
        assert client.post(f"{path}/options", json=option, headers=who["bea"]).status_code == 201
        assert client.patch(path, json={"status": "options"}, headers=who["hans"]).status_code == 403
        assert client.patch(path, json={"status": "options"}, headers=who["bea"]).status_code == 200

        unreasoned = client.post(
            f"{path}/decisions", json={"choice": "act", "optionId": 1}, headers=who["cas"]
        )
        assert unreasoned.status_code == 400 and "needs its reasoning" in unreasoned.json()["detail"]
        decision = {"choice": "act", "optionId": 1, "reasoning": "talks first, then aid"}
        assert client.post(f"{path}/decisions", json=decision, headers=who["hedy"]).status_code == 403
        decided = client.post(f"{path}/decisions", json=decision, headers=who["cas"])
        assert decided.status_code == 201, decided.text
        assert decided.json()["decisions"][0]["decided_by"] == "cas"

        for far in ("0001-01-01", (date.today() + timedelta(days=3700)).isoformat()):
            wrong = client.post(f"{path}/follow-ups", json={"dueOn": far}, headers=who["bea"])
            assert wrong.status_code == 400 and "(the decision)" in wrong.json()["detail"], far
        later = {"dueOn": (date.today() + timedelta(days=30)).isoformat(), "note": "embassy"}
        assert client.post(f"{path}/follow-ups", json=later, headers=who["hans"]).status_code == 403
        planned = client.post(f"{path}/follow-ups", json=later, headers=who["bea"])
        assert planned.status_code == 201
        follow_up = planned.json()["followUps"][0]["id"]
        done = {"done": True}
        assert (
            client.patch(f"{path}/follow-ups/{follow_up}", json=done, headers=who["hans"]).status_code == 403
        )
        closing = {"status": "closed", "outcome": "HCSS closed it"}
        assert client.patch(path, json=closing, headers=who["hans"]).status_code == 403
        after = client.get(path, headers=who["bea"]).json()
        assert after["status"] == "decided" and after["outcome"] == "" and len(after["options"]) == 1

        foreign = client.get(f"/vroege-actie/{case_id}?lang=en", headers=who["hedy"]).text
        for form in ("opties", "status", "vervolg", "lezers", f"vervolg/{follow_up}/gedaan"):
            assert f'action="/vroege-actie/{case_id}/{form}"' not in foreign, form
        assert "organisation works on it (options, status, decision, follow-up)" in foreign
        own = client.get(f"/vroege-actie/{case_id}", headers=who["bea"]).text
        assert f'action="/vroege-actie/{case_id}/vervolg"' in own
        assert f'action="/vroege-actie/{case_id}/besluit"' not in own  # an analyst does not decide

    reopened = {"status": "follow_up"}
    with TestClient(remote_site.app(), base_url="https://testserver") as client:
        assert (
            client.patch(
                path, json={"status": "closed", "outcome": "talks held"}, headers=who["bea"]
            ).status_code
            == 200
        )
        assert client.patch(path, json=reopened, headers=who["hans"]).status_code == 403
        unreasoned = client.patch(path, json=reopened, headers=who["bea"])
        assert unreasoned.status_code == 400 and "reopens a closed case" in unreasoned.json()["detail"]
        again = client.patch(
            path, json=reopened | {"reason": "the embassy reports new fighting"}, headers=who["bea"]
        )
        assert again.status_code == 200 and again.json()["outcome"] == "talks held"
    assert _denied(remote_site) == [
        ("hans", "actions.option"),
        ("hans", "actions.status"),
        ("hedy", "actions.decide"),
        ("hans", "actions.follow_up"),
        ("hans", "actions.follow_up_done"),
        ("hans", "actions.status"),
        ("hans", "actions.status"),
    ]


def test_a_case_says_what_its_reader_may_do_as_its_page_does(remote_site: Any) -> None:
    """``mayChange`` and ``mayDecide`` in the case's detail and on the board: BZ's case is BZ's
    (its coordinator decides), the case of Bob (no organisation) is worked on by accounts without one
    and admins (Ada, without an organisation, decides it); the page offers the forms to the same readers."""
    who = _people(remote_site)
    who |= {name: {"Authorization": f"Bearer {remote_site.token(name)}"} for name in ("ada", "bob")}
    new = {"originKind": "country", "originRef": "MLI", "title": "Mali", "audience": "all_organisations"}
    with TestClient(remote_site.app(), base_url="https://testserver") as client:
        bz = client.post("/api/v1/actions", json=new, headers=who["bea"]).json()["id"]
        ownerless = client.post("/api/v1/actions", json=new, headers=who["bob"]).json()["id"]
        expected = {
            "bea": {bz: (True, False), ownerless: (False, False)},
            "cas": {bz: (True, True), ownerless: (False, False)},
            "hans": {bz: (False, False), ownerless: (False, False)},
            "hedy": {bz: (False, False), ownerless: (False, False)},
            "bob": {bz: (False, False), ownerless: (True, False)},
            "ada": {bz: (False, False), ownerless: (True, True)},
        }
        for name, cases in expected.items():
            board = client.get("/api/v1/actions", headers=who[name]).json()["data"]
            listed = {item["id"]: (item["mayChange"], item["mayDecide"]) for item in board}
            assert listed == cases, name
            for case_id, (change, decide) in cases.items():
                detail = client.get(f"/api/v1/actions/{case_id}", headers=who[name]).json()
                assert (detail["mayChange"], detail["mayDecide"]) == (change, decide), (name, case_id)
                page = client.get(f"/vroege-actie/{case_id}", headers=who[name]).text
                assert (f'action="/vroege-actie/{case_id}/status"' in page) is change, (name, case_id)
                assert (f'action="/vroege-actie/{case_id}/opties"' in page) is change, (name, case_id)


def test_who_may_change_a_case_also_changes_its_audience(remote_site: Any) -> None:
    """``mayChange`` promises the audience too, so sharing follows the same rule as the other changes:
    Ada (admin, no organisation) may narrow the audience of Bob's case without an owner as she may move
    it, and Bea, moved from BZ to HCSS with `gbvs users set-org`, no longer re-shares the BZ case she
    opened (she still reads it as its opener). Narrowed to Bob's organisation, Ada's case is saved but
    no longer hers to read: the API answers 204 without it and the page sends her to the board, which
    says so, rather than a 404 that reads as a failed change."""
    who = _people(remote_site)
    who |= {name: {"Authorization": f"Bearer {remote_site.token(name)}"} for name in ("ada", "bob")}
    mine = {"originKind": "country", "originRef": "MLI", "title": "Mali", "audience": "organisation"}
    with TestClient(remote_site.app(), base_url="https://testserver") as client:
        bz = client.post("/api/v1/actions", json=mine, headers=who["bea"]).json()["id"]
        everyone = {"audience": "all_organisations"}
        ownerless = client.post("/api/v1/actions", json=mine | everyone, headers=who["bob"]).json()["id"]
        detail = client.get(f"/api/v1/actions/{ownerless}", headers=who["ada"]).json()
        assert detail["mayChange"] is True
        narrowed = client.patch(
            f"/api/v1/actions/{ownerless}", json={"audience": "organisation"}, headers=who["ada"]
        )
        assert narrowed.status_code == 204 and narrowed.content == b"", narrowed.text
        assert client.get(f"/api/v1/actions/{ownerless}", headers=who["ada"]).status_code == 404
        assert (
            client.get(f"/api/v1/actions/{ownerless}", headers=who["bob"]).json()["audience"]
            == "organisation"
        )
        niger = mine | everyone | {"originRef": "NER", "title": "Niger, nu verborgen"}
        other = client.post("/api/v1/actions", json=niger, headers=who["bob"]).json()["id"]
        page = client.get(f"/vroege-actie/{other}", headers=who["ada"]).text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert token is not None and f'action="/vroege-actie/{other}/lezers"' in page
        readers = {"csrf_token": token.group(1), "audience": "organisation", "sharing_group": ""}
        shared = client.post(
            f"/vroege-actie/{other}/lezers", data=readers, headers=who["ada"], follow_redirects=False
        )
        link = shared.headers["location"]
        assert shared.status_code == 303 and link.startswith(f"/vroege-actie?verborgen={other}.")
        board = client.get(link, headers=who["ada"]).text
        assert f"Dossier {other} is opgeslagen met de nieuwe lezers. U hoort daar niet bij" in board
        assert "Niger, nu verborgen" not in board
        # the signature is Ada's for this case: Bob with her link, or her link for another case, says nothing
        assert "opgeslagen met de nieuwe lezers" not in client.get(link, headers=who["bob"]).text
        other_case = link.replace(f"verborgen={other}.", f"verborgen={other + 1}.")
        assert "opgeslagen met de nieuwe lezers" not in client.get(other_case, headers=who["ada"]).text
        assert client.get(f"/api/v1/actions/{other}", headers=who["bob"]).json()["audience"] == "organisation"

        with session_scope(remote_site.factory()) as session:
            users.set_organisation(session, load_principal(session, "ada"), "bea", "HCSS")
        detail = client.get(f"/api/v1/actions/{bz}", headers=who["bea"]).json()
        assert detail["mayChange"] is False and detail["audience"] == "organisation"
        leaked = client.patch(f"/api/v1/actions/{bz}", json=everyone, headers=who["bea"])
        assert leaked.status_code == 403, leaked.text
        assert client.get(f"/api/v1/actions/{bz}", headers=who["hans"]).status_code == 404


def test_a_typed_hidden_case_link_makes_the_board_state_nothing(remote_site: Any) -> None:
    """``/vroege-actie?verborgen=N`` is what the page sends after a change that hides case N from its
    author, signed for that author; a link anyone can type (no, a made-up or a cut signature) shows the
    board without the notice and without an error."""
    ada = {"Authorization": f"Bearer {remote_site.token('ada')}"}
    with TestClient(remote_site.app(), base_url="https://testserver") as client:
        for crafted in ("99", "99.", f"99.{'0' * 32}", "99.abc", "x.y", "", "99.99"):
            board = client.get(f"/vroege-actie?verborgen={crafted}", headers=ada)
            assert board.status_code == 200, crafted
            assert "is opgeslagen met de nieuwe lezers" not in board.text, crafted


def test_a_viewer_of_the_own_organisation_is_told_her_role_only_reads(remote_site: Any) -> None:
    """A BZ viewer reads BZ's case: the page says her role reads only, not that the case was shared
    with her (it is her own organisation's)."""
    who = _people(remote_site)
    with session_scope(remote_site.factory()) as session:
        data = UserCreate(username="vera", display_name="vera", organisation_code="BZ", role=Role.viewer)
        users.create_user(session, load_principal(session, "ada"), data, remote_site.password)
    vera = {"Authorization": f"Bearer {remote_site.token('vera')}"}
    with TestClient(remote_site.app(), base_url="https://testserver") as client:
        new = {"originKind": "country", "originRef": "MLI", "title": "Mali", "audience": "organisation"}
        case_id = client.post("/api/v1/actions", json=new, headers=who["bea"]).json()["id"]
        page = client.get(f"/vroege-actie/{case_id}?lang=nl", headers=vera).text
        assert "omdat het met u gedeeld is" not in page
        assert "Uw rol mag dossiers voor vroege actie alleen lezen" in page
        foreign = client.get(f"/vroege-actie/{case_id}?lang=nl", headers=who["hans"])
        assert foreign.status_code == 404  # HCSS: not in the audience
