"""A round's deadline and its reopening on the web: the API's camelCase fields, the 409 after the
deadline, the page's deadline in Dutch time with the time left, who has not scored yet, the reopening
form with its reason and the refusals in the page's language. The app's clock is fixed
(:func:`gbvs.web.app.create_app`), never the wall clock. Remote mode over both databases."""

from __future__ import annotations

import html
import re
import warnings
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from starlette.exceptions import StarletteDeprecationWarning

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

from gbvs.assessments import load_method
from gbvs.db.schemas import UserCreate
from gbvs.db.services import assessments, users
from gbvs.db.services.principals import load_principal
from gbvs.db.session import session_scope
from gbvs.security import Role
from gbvs.web.app import create_app

CRITERIA = load_method("nrb_2009").criterion_ids()
NOW = datetime(2026, 12, 7, 11, 0, tzinfo=UTC)
DEADLINE = datetime(2026, 12, 14, 16, 0, tzinfo=UTC)  # 17:00 in Dutch (winter) time


@pytest.fixture
def site(remote_site: Any) -> Iterator[tuple[TestClient, dict[str, str]]]:
    """coco (coordinator), cas and bob (analysts, no organisation); scenario 1 with round 1 open until
    DEADLINE, scored by cas; the app's clock at NOW."""
    with session_scope(remote_site.factory()) as session:
        ada = load_principal(session, "ada")
        for name, role in (("coco", Role.coordinator), ("cas", Role.analyst)):
            users.create_user(session, ada, UserCreate(username=name, display_name=name, role=role))
    with session_scope(remote_site.factory()) as session:
        coco = load_principal(session, "coco")
        assessments.seed_drafts(session, coco)
        assessments.open_round(session, coco, 1, deadline=DEADLINE, now=NOW)
    with session_scope(remote_site.factory()) as session:
        scores = {c: ("A", "reden") for c in CRITERIA}
        assessments.submit_scores(session, load_principal(session, "cas"), 1, ("D", "kans"), scores, now=NOW)
    tokens = {name: remote_site.token(name) for name in ("ada", "bob", "coco", "cas")}
    app = create_app(remote_site.settings, clock=lambda: NOW)
    with TestClient(app, base_url="https://testserver") as client:
        yield client, tokens


def _sheet() -> dict[str, Any]:
    return {
        "likelihood": {"classCode": "C", "justification": "api"},
        "scores": {c: {"classCode": "C", "justification": "api"} for c in CRITERIA},
    }


def _send(client: TestClient, token: str, method: str, path: str, body: Any) -> Any:
    return client.request(method, path, json=body, headers={"Authorization": f"Bearer {token}"})


def _get(client: TestClient, token: str, path: str) -> Any:
    return client.get(path, headers={"Authorization": f"Bearer {token}"})


def _post(client: TestClient, token: str, path: str, data: dict[str, str]) -> Any:
    page = _get(client, token, "/dreigingen/1")
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, page.text[:500]
    headers = {"Authorization": f"Bearer {token}"}
    return client.post(
        path, data={**data, "csrf_token": found.group(1)}, headers=headers, follow_redirects=False
    )


def test_the_api_gives_the_deadline_and_the_time_left_and_refuses_late_scores_with_a_409(site: Any) -> None:
    client, tokens = site
    body = _get(client, tokens["bob"], "/api/v1/scenarios/1/rounds/1").json()
    assert body["round"]["deadline"].startswith("2026-12-14T16:00:00")
    assert body["secondsLeft"] == int((DEADLINE - NOW).total_seconds()) and body["pastDeadline"] is False
    earlier = {"deadline": "2026-12-07T12:30:00+01:00"}  # 11:30 UTC: half an hour after NOW
    assert _send(client, tokens["bob"], "PATCH", "/api/v1/scenarios/1/rounds/1", earlier).status_code == 403
    moved = _send(client, tokens["coco"], "PATCH", "/api/v1/scenarios/1/rounds/1", earlier)
    assert moved.status_code == 200 and moved.json()["secondsLeft"] == 1800
    past = _send(
        client, tokens["coco"], "PATCH", "/api/v1/scenarios/1/rounds/1", {"deadline": "2026-12-01T00:00Z"}
    )
    assert past.status_code == 400 and "has passed" in past.json()["detail"]
    assert (
        _send(client, tokens["bob"], "POST", "/api/v1/scenarios/1/rounds/1/sheets", _sheet()).status_code
        == 201
    )
    moved_back = {"deadline": "2026-12-07T11:00:00+00:00"}  # the deadline is NOW: refused as passed
    assert (
        _send(client, tokens["coco"], "PATCH", "/api/v1/scenarios/1/rounds/1", moved_back).status_code == 400
    )


def test_a_score_after_the_deadline_is_a_409_and_the_round_page_says_it_passed(
    remote_site: Any, site: Any
) -> None:
    _client, tokens = site
    late_app = create_app(remote_site.settings, clock=lambda: DEADLINE)
    with TestClient(late_app, base_url="https://testserver") as late:
        refused = _send(late, tokens["bob"], "POST", "/api/v1/scenarios/1/rounds/1/sheets", _sheet())
        assert refused.status_code == 409
        assert refused.headers["content-type"] == "application/problem+json"
        detail = refused.json()["detail"]
        assert "until its deadline 2026-12-14T16:00:00+00:00" in detail and "an admin can extend" in detail
        body = _get(late, tokens["bob"], "/api/v1/scenarios/1/rounds/1").json()
        assert body["pastDeadline"] is True and body["round"]["status"] == "open"
        page = html.unescape(_get(late, tokens["coco"], "/dreigingen/1").text)
        assert "Deadline: <strong>14 december 2026 17:00 CET</strong>" in page
        assert "De deadline is voorbij: scores worden geweigerd." in page


def test_the_round_page_shows_the_deadline_in_dutch_time_and_who_has_not_scored(site: Any) -> None:
    client, tokens = site
    page = html.unescape(_get(client, tokens["coco"], "/dreigingen/1").text)
    assert "Deadline: <strong>14 december 2026 17:00 CET</strong> (over 7 dagen)." in page
    assert "Nog niet gescoord: bob." in page  # cas scored; ada is an admin, coco a coordinator
    assert 'id="round-deadline-input"' in page and 'aria-describedby="round-deadline-hint"' in page
    analyst = html.unescape(_get(client, tokens["bob"], "/dreigingen/1").text)
    assert "Nog niet gescoord" not in analyst and 'id="deadline-form"' not in analyst
    english = html.unescape(_get(client, tokens["coco"], "/dreigingen/1?lang=en").text)
    assert "Deadline: <strong>14 December 2026 17:00 CET</strong> (in 7 days)." in english
    assert "Not scored yet: bob." in english


def test_the_api_round_names_who_has_not_scored_to_who_manages_it_and_to_nobody_else(site: Any) -> None:
    """As the round page: the coordinator reads ``notScored``; an analyst's answer has no such field at
    all (not an empty list, which would say everyone scored), nor has a closed round."""
    client, tokens = site
    managed = _get(client, tokens["coco"], "/api/v1/scenarios/1/rounds/1").json()
    assert managed["notScored"] == ["bob"]  # cas scored; ada is an admin, coco a coordinator
    assert "notScored" not in _get(client, tokens["bob"], "/api/v1/scenarios/1/rounds/1").json()
    assert "notScored" not in _get(client, tokens["cas"], "/api/v1/scenarios/1/rounds/1").json()
    scored = _send(client, tokens["bob"], "POST", "/api/v1/scenarios/1/rounds/1/sheets", _sheet())
    assert scored.status_code == 201 and "notScored" not in scored.json()
    assert _get(client, tokens["ada"], "/api/v1/scenarios/1/rounds/1").json()["notScored"] == []
    closed = _send(client, tokens["coco"], "PATCH", "/api/v1/scenarios/1/rounds/1", {"status": "closed"})
    assert closed.status_code == 200 and "notScored" not in closed.json()
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert "notScored" in next(s for name, s in schema.items() if name.startswith("RoundOut"))["properties"]


def test_a_deadline_typed_wrong_is_refused_on_the_page_in_its_language(site: Any) -> None:
    client, tokens = site
    data = {"action": "deadline", "round": "1", "deadline": "volgende week"}
    refused = _post(client, tokens["coco"], "/dreigingen/1/ronde", data)
    assert refused.status_code == 400
    text = html.unescape(refused.text)
    assert "De deadline ‘volgende week’ is geen datum met tijd" in text and 'id="round-error"' in text
    english = html.unescape(_post(client, tokens["coco"], "/dreigingen/1/ronde?lang=en", data).text)
    assert "the deadline 'volgende week' is not a date and time" in english
    moved = _post(client, tokens["coco"], "/dreigingen/1/ronde", data | {"deadline": "2026-12-21T17:00"})
    assert moved.status_code == 303
    page = html.unescape(_get(client, tokens["bob"], "/dreigingen/1?lang=nl").text)
    assert "21 december 2026 17:00 CET" in page


def test_a_closed_round_is_reopened_with_a_reason_shown_on_the_round_and_in_the_results(site: Any) -> None:
    client, tokens = site
    assert _send(
        client, tokens["coco"], "PATCH", "/api/v1/scenarios/1/rounds/1", {"status": "closed"}
    ).is_success
    page = _get(client, tokens["coco"], "/dreigingen/1").text
    assert 'id="reopen-form"' in page and 'id="reopen-reason"' in page
    assert 'id="reopen-form"' not in _get(client, tokens["bob"], "/dreigingen/1").text
    no_reason = _post(
        client, tokens["coco"], "/dreigingen/1/ronde", {"action": "reopen", "round": "1", "reason": " "}
    )
    assert no_reason.status_code == 400 and "reden" in html.unescape(no_reason.text).lower()
    by_api = {"status": "open", "reason": "bob was met verlof"}
    assert _send(client, tokens["bob"], "PATCH", "/api/v1/scenarios/1/rounds/1", by_api).status_code == 403
    reopened = _send(client, tokens["coco"], "PATCH", "/api/v1/scenarios/1/rounds/1", by_api)
    assert reopened.status_code == 200, reopened.text
    round_1 = reopened.json()["round"]
    assert round_1["status"] == "open" and round_1["submitted"] == ["cas"] and round_1["deadline"] is None
    [item] = round_1["reopenings"]
    assert item["reopenedBy"] == "coco" and item["reason"] == "bob was met verlof"
    assert item["reopenedAt"].startswith("2026-12-07T11:00:00") and item["closedBy"] == "coco"
    page = html.unescape(_get(client, tokens["bob"], "/dreigingen/1").text)
    assert "Heropend op 7 december 2026 12:00 CET door coco" in page and "Reden: bob was met verlof" in page
    assert (
        _send(client, tokens["bob"], "POST", "/api/v1/scenarios/1/rounds/1/sheets", _sheet()).status_code
        == 201
    )
    assert _send(
        client, tokens["coco"], "PATCH", "/api/v1/scenarios/1/rounds/1", {"status": "closed"}
    ).is_success
    results = html.unescape(_get(client, tokens["bob"], "/dreigingen/resultaten").text)
    assert "1 keer heropend voordat ze sloot" in results


def test_a_deadline_that_is_no_moment_is_refused_in_the_readers_language(site: Any) -> None:
    """pydantic's datetime_parsing (a timestamp past the year 9999) in Dutch, with the format to use;
    English as pydantic words it."""
    client, tokens = site
    sent = {"Authorization": f"Bearer {tokens['coco']}"}
    path, body = "/api/v1/scenarios/1/rounds/1", {"deadline": 1e20}
    dutch = client.patch(path, json=body, headers={**sent, "Accept-Language": "nl"})
    english = client.patch(path, json=body, headers=sent)
    assert dutch.status_code == english.status_code == 400
    reason = {item["name"]: item["reason"] for item in dutch.json()["invalidParams"]}["body.deadline"]
    assert reason == (
        "verwacht een geldige datum met tijd (JJJJ-MM-DDTUU:MM:SS met tijdzone, bijvoorbeeld "
        "2026-12-07T14:00:00+01:00) (gegeven: 1e+20)"
    )
    assert dutch.json()["detailLanguage"] == "nl"
    assert english.json()["invalidParams"][0]["reason"] == (
        "Input should be a valid datetime, dates after 9999 are not supported as unix timestamps (got 1e+20)"
    )
