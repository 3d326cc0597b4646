"""What a new early-action case refers to is checked before use (remote mode, SQLite and PostgreSQL):
a reference that is no number from 1 to the largest row id (also Unicode digits such as "²"), and an
unknown goal, region or country, answer 400 with ``invalidParams`` naming the field, on the API and
on the form, instead of a 500 or a 404."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

HUGE = "99999999999999999999"
BAD = [  # (body fields, the field named, words of the reason)
    ({"originKind": "scenario", "originRef": HUGE}, "originRef", "not a number from 1 to 2147483647"),
    ({"originKind": "signal_case", "originRef": HUGE}, "originRef", "not a number from 1"),
    ({"originKind": "scenario", "originRef": "²"}, "originRef", "'²' is not a number"),
    ({"originKind": "signal_case", "originRef": "0"}, "originRef", "not a number from 1"),
    ({"originKind": "alert", "originRef": "forecast-404553bbb927:²"}, "originRef", "Gleditsch-Ward code"),
    ({"originKind": "alert", "originRef": f"forecast-new:{HUGE}"}, "originRef", "Gleditsch-Ward code"),
    ({"originKind": "displacement", "originRef": "run:²"}, "originRef", "Gleditsch-Ward code"),
    ({"originKind": "country", "originRef": "XYZ"}, "originRef", "XYZ"),
    ({"originKind": "country", "originRef": "MLI", "countries": ["XYZ"]}, "countries", "XYZ"),
    ({"originKind": "country", "originRef": "MLI", "goals": [99]}, "goals", "99"),
    ({"originKind": "country", "originRef": "MLI", "region": "atlantis"}, "region", "atlantis"),
]


@pytest.mark.parametrize(("fields", "field", "reason"), BAD, ids=[f"{b[0]['originRef']}-{b[1]}" for b in BAD])
def test_a_bad_reference_is_a_named_input_error(
    remote_site: Any, fields: dict[str, Any], field: str, reason: str
) -> None:
    headers = {"Authorization": f"Bearer {remote_site.token('bob')}"}
    with TestClient(remote_site.app(), base_url="https://testserver") as client:
        answer = client.post("/api/v1/actions", json={"title": "t", **fields}, headers=headers)
        assert answer.status_code == 400, answer.text
        assert answer.headers["content-type"].startswith("application/problem+json")
        [invalid] = answer.json()["invalidParams"]
        assert invalid["name"] == field and reason in invalid["reason"], invalid
        assert client.get("/api/v1/actions", headers=headers).json()["data"] == []


def test_the_form_refuses_them_too(remote_site: Any) -> None:
    headers = {"Authorization": f"Bearer {remote_site.token('bob')}"}
    with TestClient(remote_site.app(), base_url="https://testserver") as client:
        form = client.get("/vroege-actie/nieuw?bron=scenario", headers=headers).text
        token = re.search(r'name="csrf_token" value="([^"]+)"', form)
        assert token is not None
        base = {"csrf_token": token.group(1), "title": "t"}
        for fields, words in (
            ({"origin": "scenario", "ref": HUGE}, "is geen getal van 1 tot en met 2147483647"),
            ({"origin": "signal_case", "ref": "²"}, "verwijzing naar signalendossier (het nummer van"),
            (
                {"origin": "country", "ref": "MLI", "goal": "²"},
                "doel (kies er een uit de lijst): ‘²’ is geen getal",
            ),
            ({"origin": "country", "ref": "MLI", "region": "atlantis"}, "atlantis"),
        ):
            answer = client.post("/vroege-actie", data=base | fields, headers=headers)
            assert answer.status_code == 400 and words in answer.text, (fields, answer.status_code)
            assert 'action="/vroege-actie"' in answer.text  # the form again, with the message
