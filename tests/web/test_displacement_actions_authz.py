"""Opening an early-action case from a displacement forecast in remote mode (issue 17): strangers get
401, a viewer (no actions:write) 403 on the form, the form's POST and the API, an analyst opens it."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from gbvs.db.schemas import UserCreate
from gbvs.db.services import users
from gbvs.db.services.principals import load_principal
from gbvs.db.session import session_scope
from gbvs.security import Role

HTTPS = "https://testserver"
REF = "displacement-test:652"
FORM = f"/vroege-actie/nieuw?bron=displacement&ref={REF}"


def _viewer(site: Any) -> None:
    with session_scope(site.factory()) as session:
        data = UserCreate(username="vera", display_name="Vera", organisation_code=None, role=Role.viewer)
        users.create_user(session, load_principal(session, "ada"), data, site.password)


def test_only_writers_open_a_case_from_a_displacement_forecast(remote_site: Any) -> None:
    _viewer(remote_site)
    vera, bob = ({"Authorization": f"Bearer {remote_site.token(name)}"} for name in ("vera", "bob"))
    with TestClient(remote_site.app(), base_url=HTTPS) as client:
        assert client.get(FORM).status_code == 401
        link = "bron=displacement&amp;ref=displacement-test%3A652"
        ranking = client.get("/ontheemding", headers=vera)
        assert ranking.status_code == 200 and link not in ranking.text  # no link to a form that refuses her
        assert link in client.get("/ontheemding", headers=bob).text
        assert client.get(FORM, headers=vera).status_code == 403
        form = client.get(FORM, headers=bob)
        assert form.status_code == 200
        found = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        assert found is not None
        body = {"csrf_token": found.group(1), "origin": "displacement", "ref": REF, "title": "Syria"}
        assert (
            client.post("/vroege-actie", data=body, headers=vera, follow_redirects=False).status_code == 403
        )
        made = client.post("/vroege-actie", data=body, headers=bob, follow_redirects=False)
        assert made.status_code == 303
        new = {"originKind": "displacement", "originRef": REF, "title": "Syria", "goals": [13]}
        assert client.post("/api/v1/actions", json=new, headers=vera).status_code == 403
        api = client.post("/api/v1/actions", json=new, headers=bob)
        assert api.status_code == 201, api.text
        assert api.json()["warning"]["displacement"]["run"]["model_version"] == "displacement-test-1"
        case = client.get(
            made.headers["location"].replace("/vroege-actie/", "/api/v1/actions/"), headers=vera
        )
        assert case.json()["originKind"] == "displacement"
