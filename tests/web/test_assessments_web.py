"""The threat assessment on the web: blind rounds through the API and the pages, the scoring form
(CSRF, field errors), the coordinator's round controls, results with the risk diagram, and who may
do what. Remote mode over both databases (``remote_site``)."""

from __future__ import annotations

import html
import re
import warnings
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from starlette.exceptions import StarletteDeprecationWarning

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

from sqlalchemy import select

from gbvs.assessments import load_method
from gbvs.db.assessment_models import ScenarioType, ScoreEntry, ScoreSheet, ScoringRound
from gbvs.db.models import User
from gbvs.db.schemas import OrganisationCreate, UserCreate
from gbvs.db.services import assessments, organisations, users
from gbvs.db.services.principals import load_principal
from gbvs.db.session import session_scope
from gbvs.security import Role

CRITERIA = load_method("nrb_2009").criterion_ids()
SECRET = "cas-private-reason"


@pytest.fixture
def site(remote_site: Any) -> Iterator[tuple[Any, TestClient, dict[str, str]]]:
    """Users coco (coordinator), cas (analyst), vic (viewer) beside ada and bob; drafts; round 1 open."""
    with session_scope(remote_site.factory()) as session:
        ada = load_principal(session, "ada")
        for name, role in (("coco", Role.coordinator), ("cas", Role.analyst), ("vic", Role.viewer)):
            users.create_user(session, ada, UserCreate(username=name, display_name=name, role=role))
    with session_scope(remote_site.factory()) as session:
        coco = load_principal(session, "coco")
        assessments.seed_drafts(session, coco)
        assessments.open_round(session, coco, 1)
    with session_scope(remote_site.factory()) as session:
        scores = {c: ("B" if c == "2.1" else "A", SECRET) for c in CRITERIA}
        assessments.submit_scores(session, load_principal(session, "cas"), 1, ("D", SECRET), scores)
    tokens = {name: remote_site.token(name) for name in ("ada", "bob", "coco", "cas", "vic")}
    with TestClient(remote_site.app(), base_url="https://testserver") as client:
        yield remote_site, client, tokens


def _get(client: TestClient, token: str, path: str) -> Any:
    return client.get(path, headers={"Authorization": f"Bearer {token}"})


def _form_token(page: str) -> re.Match[str] | None:
    """The page's CSRF token; a role shown no form (a viewer) takes the login page's, which binds the
    same browser, so a refusal is the authorization layer's and not a missing token's."""
    return re.search(r'name="csrf_token" value="([^"]+)"', page)


def _post(client: TestClient, token: str, path: str, data: dict[str, str]) -> Any:
    page = _get(client, token, path.rsplit("/", 1)[0])
    found = _form_token(page.text) or _form_token(client.get("/aanmelden").text)
    assert found, page.text[:500]
    headers = {"Authorization": f"Bearer {token}"}
    return client.post(
        path, data={**data, "csrf_token": found.group(1)}, headers=headers, follow_redirects=False
    )


def _form(likelihood: str = "C", why: str = "bob's reason") -> dict[str, str]:
    data = {"class_likelihood": likelihood, "why_likelihood": why}
    for criterion in CRITERIA:
        data[f"class_{criterion}"], data[f"why_{criterion}"] = "C", why
    return data


def test_round_one_is_blind_through_api_and_pages(site: Any) -> None:
    _remote, client, tokens = site
    for reader in ("bob", "coco", "ada", "vic"):
        body = _get(client, tokens[reader], "/api/v1/scenarios/1/rounds/1").json()
        assert body["sheets"] == [] and body["impact_spread"] is None and body["own"] is None
        assert body["round"]["submitted"] == ["cas"]
        page = _get(client, tokens[reader], "/dreigingen/1")
        assert page.status_code == 200 and SECRET not in page.text
        assert SECRET not in _get(client, tokens[reader], "/api/v1/scenarios/1").text
    own = _get(client, tokens["cas"], "/api/v1/scenarios/1/rounds/1").json()["own"]
    assert own["analyst"] == "cas" and own["likelihood"] == "D"
    assert SECRET in _get(client, tokens["cas"], "/dreigingen/1").text  # her own form is filled in
    assert _get(client, tokens["bob"], "/api/v1/methods/nrb_2009/results").json()["scenarios"] == []


def test_scoring_form_saves_a_version_and_shows_field_errors(site: Any) -> None:
    _remote, client, tokens = site
    bad = _form() | {"why_2.1": ""}
    refused = _post(client, tokens["bob"], "/dreigingen/1/scores", bad)
    assert refused.status_code == 400
    assert 'aria-invalid="true"' in refused.text and "Schrijf een korte onderbouwing." in refused.text
    assert 'href="#why_2-1"' in refused.text and "bob&#39;s reason" in refused.text  # what was typed stays
    saved = _post(client, tokens["bob"], "/dreigingen/1/scores", _form())
    assert saved.status_code == 303 and saved.headers["location"] == "/dreigingen/1?opgeslagen=1"
    no_token = client.post(
        "/dreigingen/1/scores", data=_form(), headers={"Authorization": f"Bearer {tokens['bob']}"}
    )
    assert no_token.status_code == 403
    assert _get(client, tokens["bob"], "/api/v1/scenarios/1/rounds/1").json()["own"]["version"] == 1


def test_closing_reveals_side_by_side_and_results_show_the_diagram(site: Any) -> None:
    _remote, client, tokens = site
    assert _post(client, tokens["bob"], "/dreigingen/1/scores", _form()).status_code == 303
    assert _post(client, tokens["bob"], "/dreigingen/1/ronde", {"action": "close"}).status_code == 403
    closed = _post(client, tokens["coco"], "/dreigingen/1/ronde", {"action": "close"})
    assert closed.status_code == 303
    body = _get(client, tokens["vic"], "/api/v1/scenarios/1/rounds/1").json()
    assert [sheet["analyst"] for sheet in body["sheets"]] == ["bob", "cas"]
    assert body["impact_spread"]["2.1"] == {"median": 2.5, "low": 2.0, "high": 3.0, "count": 2}
    assert body["needs_review"] is True  # the NRB class values behind the medians are unconfirmed
    page = _get(client, tokens["vic"], "/dreigingen/1").text
    assert SECRET in page and "Scores naast elkaar" in page
    results = _get(client, tokens["vic"], "/dreigingen/resultaten")
    assert results.status_code == 200
    assert "<svg" in results.text and "Gegevens van het risicodiagram" in results.text
    assert "te controleren" in results.text  # the needs_review marking
    assert (
        '<option value="uk_nrr_5x5">' in results.text and ">nrb_2009</option>" not in results.text
    )  # by name
    row = re.search(
        r'<tr><th scope="row">(Impactcriterium 3\.1[^<]*)</th>.*?<code>method\.criteria\[3\.1\]</code>',
        results.text,
    )
    assert row, "an unconfirmed value is named in words, with its entry in the method file beside it"
    assert (
        'W2009-NL</strong>: <span lang="nl"><a href=' in results.text
    )  # the sources the checks name, listed
    assert "Rondes achter deze cijfers" in results.text and "bob, cas" in results.text  # the round's analysts
    api = _get(client, tokens["vic"], "/api/v1/methods/nrb_2009/results?iterations=20").json()
    assert [row["scenario_id"] for row in api["scenarios"]] == [1] and len(api["not_scored"]) == 5
    assert api["unconfirmed"] and api["scenarios"][0]["ranks"] == {"equal_criteria": 1, "equal_interests": 1}
    provenance = api["scenarios"][0]["round"]
    assert (provenance["number"], provenance["closed_by"], provenance["submitted"]) == (
        1,
        "coco",
        ["bob", "cas"],
    )
    assert api["scenarios"][0]["impact_outside_own_totals"] == {
        "equal_criteria": False,
        "equal_interests": False,
    }
    assert api["other_method_version"] == []
    # the form sends both choices: another method's weight set falls back to this method's first, said
    switched = _get(
        client, tokens["vic"], "/dreigingen/resultaten?methode=uk_nrr_5x5&gewichten=equal_criteria"
    )
    assert switched.status_code == 200 and "hoort niet bij deze methode" in switched.text
    # no closed round under this method: the page says how results come about
    assert "opent een scoringsronde" in switched.text and "Risicodiagram" not in switched.text
    # where the diagram's layout is GBVS's own (the guide's axes and scale are unconfirmed), it says so
    assert "De opmaak van het risicodiagram is die van GBVS" in results.text


def test_dissent_is_recorded_and_shown(site: Any) -> None:
    _remote, client, tokens = site
    made = _post(
        client,
        tokens["bob"],
        "/dreigingen/1/afwijkend",
        {"dissent": "Te laag ingeschat.", "criterion": "2.1"},
    )
    assert made.status_code == 303
    assert "Te laag ingeschat." in _get(client, tokens["bob"], "/dreigingen/1").text
    page = _get(client, tokens["vic"], "/dreigingen/1").text
    hidden = "Te laag ingeschat." not in page and "tot dan ziet u alleen uw eigen" in page
    # after closing, only the panel reads the text (others see that there is dissent): the page says so
    assert "de tekst voor het panel van dit scenario" in page and "voor iedereen te zien" not in page
    assert hidden and _get(client, tokens["vic"], "/api/v1/scenarios/1").json()["dissent"] == [], (
        "round 1 is open"
    )
    assert _post(client, tokens["coco"], "/dreigingen/1/ronde", {"action": "close"}).status_code == 303
    assert "Te laag ingeschat." in _get(client, tokens["vic"], "/dreigingen/1").text
    dissent = _get(client, tokens["vic"], "/api/v1/scenarios/1").json()["dissent"]
    assert [(d["analyst"], d["criterion"]) for d in dissent] == [("bob", "2.1")]


def test_a_draft_is_edited_on_its_page_and_a_scored_one_is_not(site: Any) -> None:
    _remote, client, tokens = site
    draft = _get(client, tokens["coco"], "/dreigingen/2").text
    assert 'action="/dreigingen/2/bewerken"' in draft
    assert 'action="/dreigingen/1/bewerken"' not in _get(client, tokens["coco"], "/dreigingen/1").text
    assert 'action="/dreigingen/2/bewerken"' not in _get(client, tokens["bob"], "/dreigingen/2").text
    edit = {
        "title": "Gewapend conflict aan de grens", "threats": "2", "goals": "1, 4", "time_horizon": "3 jaar",
        "evidence_kind": "document", "evidence_value": "AIV-advies 2021",
    }  # fmt: skip
    assert _post(client, tokens["coco"], "/dreigingen/2/bewerken", edit).status_code == 303
    body = _get(client, tokens["vic"], "/api/v1/scenarios/2").json()
    assert body["title"] == "Gewapend conflict aan de grens" and body["time_horizon"] == "3 jaar"
    assert {(link["kind"], link["value"]) for link in body["links"]} == {
        ("threat", "2"), ("goal", "1"), ("goal", "4"), ("document", "AIV-advies 2021"),
    }  # fmt: skip
    refused = _post(client, tokens["coco"], "/dreigingen/1/bewerken", {"title": "Nieuw"})
    assert refused.status_code == 400 and "kan niet meer worden bewerkt" in refused.text
    typed = {
        "threats": "twee",
        "time_horizon": "5 jaar",
        "evidence_kind": "document",
        "evidence_value": "AIV 2024",
    }
    bad = _post(client, tokens["coco"], "/dreigingen/2/bewerken", typed)
    assert bad.status_code == 400 and "Bij dreigingen staat ‘twee’; dat zijn geen getallen" in bad.text
    assert 'name="threats" value="twee"' in bad.text and 'value="5 jaar"' in bad.text  # kept as typed
    assert 'name="evidence_value" maxlength="300" value="AIV 2024"' in bad.text
    assert "Reden (in het Engels)" not in bad.text  # the reason in the page's language
    assert _get(client, tokens["vic"], "/api/v1/scenarios/2").json()["time_horizon"] == "3 jaar"


def test_round_and_dissent_refusals_read_in_the_pages_language(site: Any) -> None:
    """The round and dissent forms' refusals were the service's English on a Dutch page; now Dutch
    (English on an English page), and the notice takes the focus."""
    _remote, client, tokens = site
    again = _post(client, tokens["coco"], "/dreigingen/1/ronde", {"action": "open"})
    assert again.status_code == 400 and "Ronde 1 van scenario 1 is nog open" in again.text, again.text
    assert 'id="round-error" tabindex="-1" autofocus' in again.text
    empty = _post(client, tokens["bob"], "/dreigingen/1/afwijkend", {"dissent": " "})
    assert empty.status_code == 400 and "Het veld ‘afwijkende mening’ is leeg" in empty.text, empty.text
    english = _post(client, tokens["bob"], "/dreigingen/1/afwijkend?lang=en", {"dissent": " "})
    assert "dissent is empty; write a dissent of 1-" in english.text


def test_a_class_not_on_the_scale_reads_in_the_pages_language(site: Any) -> None:
    """A class the form does not offer (a sent form changed by hand) was refused in the service's
    English on a Dutch page; now Dutch, English with ?lang=en."""
    _remote, client, tokens = site
    refused = _post(client, tokens["bob"], "/dreigingen/1/scores", _form() | {"class_2.1": "Z"})
    assert refused.status_code == 400
    assert "Criterium 2.1: klasse ‘Z’ staat niet op schaal ‘nrb_impact’. Kies uit" in refused.text
    english = _post(client, tokens["bob"], "/dreigingen/1/scores?lang=en", _form() | {"class_2.1": "Z"})
    assert "criterion 2.1: class &#39;Z&#39; is not on scale &#39;nrb_impact&#39;" in english.text


ROUTES = [
    # (method, path, data, roles refused)
    ("GET", "/dreigingen", None, ()),
    ("GET", "/dreigingen/1", None, ()),
    ("GET", "/dreigingen/resultaten", None, ()),
    ("GET", "/api/v1/scenarios", None, ()),
    ("GET", "/api/v1/scenarios/1", None, ()),
    ("GET", "/api/v1/scenarios/1/rounds/1", None, ()),
    ("GET", "/api/v1/methods", None, ()),
    ("GET", "/api/v1/methods/nrb_2009", None, ()),
    ("GET", "/api/v1/methods/nrb_2009/results?iterations=5", None, ()),
    ("POST", "/dreigingen/1/scores", _form(), ("vic", "coco")),  # round 1 is scored by analysts only
    ("POST", "/dreigingen/1/afwijkend", {"dissent": "x"}, ("vic",)),
    ("POST", "/dreigingen/1/ronde", {"action": "close"}, ("vic", "bob")),
    ("POST", "/dreigingen/2/bewerken", {"title": "Nieuwe titel"}, ("vic", "bob")),
    ("POST", "/dreigingen/1/panel", {"action": "add", "organisation": "DEF"}, ("vic", "bob")),
]


@pytest.mark.parametrize(
    ("method", "path", "data", "refused"), ROUTES, ids=[f"{m} {p}" for m, p, *_ in ROUTES]
)
def test_every_route_goes_through_the_authorization_layer(
    site: Any, method: str, path: str, data: dict[str, str] | None, refused: tuple[str, ...]
) -> None:
    _remote, client, tokens = site
    anonymous = client.get(path) if method == "GET" else client.post(path, data=data)
    assert anonymous.status_code in (
        401,
        403,
    )  # no credentials (a POST without them also lacks its CSRF token)
    for name in ("vic", "bob", "coco"):
        if method == "GET":
            status = _get(client, tokens[name], path).status_code
        else:
            status = _post(client, tokens[name], path, data or {}).status_code
        assert (status == 403) is (name in refused), (name, status)


API_WRITES = [
    # (method, path, body, roles refused): the API's writes, in the authorization matrix
    (
        "POST",
        "/api/v1/scenarios",
        {"title": "Cyberaanval op de haven", "kind": "threat", "threats": [5]},
        ("vic", "bob"),
    ),
    ("PATCH", "/api/v1/scenarios/2", {"timeHorizon": "5 jaar"}, ("vic", "bob")),
    ("POST", "/api/v1/scenarios/2/rounds", None, ("vic", "bob")),
    ("PATCH", "/api/v1/scenarios/1/rounds/1", {"status": "closed"}, ("vic", "bob")),
    ("POST", "/api/v1/scenarios/1/rounds/1/sheets", None, ("vic", "coco")),  # analysts only
    ("POST", "/api/v1/scenarios/2/panel-members", {"organisation": "DEF"}, ("vic", "bob")),
    ("DELETE", "/api/v1/scenarios/2/panel-members/DEF", None, ("vic", "bob")),
]


def _sheet(likelihood: str = "C", why: str = "api reason") -> dict[str, Any]:
    return {
        "likelihood": {"classCode": likelihood, "justification": why},
        "scores": {c: {"classCode": "C", "justification": why} for c in CRITERIA},
    }


def _send(client: TestClient, token: str | None, method: str, path: str, body: Any) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.request(method, path, json=body if body is not None else _sheet(), headers=headers)


@pytest.mark.parametrize(
    ("method", "path", "body", "refused"), API_WRITES, ids=[f"{m} {p}" for m, p, *_ in API_WRITES]
)
def test_every_api_write_goes_through_the_authorization_layer(
    site: Any, method: str, path: str, body: Any, refused: tuple[str, ...]
) -> None:
    _remote, client, tokens = site
    assert _send(client, None, method, path, body).status_code == 401
    for name in ("vic", "bob", "coco"):
        answer = _send(client, tokens[name], method, path, body)
        assert (answer.status_code == 403) is (name in refused), (name, answer.status_code, answer.text)
        if name not in refused and name != "coco":
            assert answer.status_code < 300, (name, answer.text)


def test_the_api_creates_edits_and_scores_a_scenario_blind(site: Any) -> None:
    _remote, client, tokens = site
    new = {"title": "Sabotage van een kabel", "kind": "threat", "threats": [5], "goals": [8]}
    made = _send(client, tokens["coco"], "POST", "/api/v1/scenarios", new)
    assert made.status_code == 201, made.text
    path = made.headers["Location"]
    assert made.json()["status"] == "draft" and made.json()["version"] == 1
    edit = {"assumptions": "geen escalatie", "addEvidence": [{"kind": "document", "value": "NCTV DTN 60"}]}
    edited = _send(client, tokens["coco"], "PATCH", path, edit)
    assert edited.status_code == 200 and edited.json()["version"] == 2
    assert ("document", "NCTV DTN 60") in {(x["kind"], x["value"]) for x in edited.json()["links"]}
    opened = _send(client, tokens["coco"], "POST", f"{path}/rounds", None)
    assert opened.status_code == 201 and opened.headers["Location"] == f"{path}/rounds/1"
    late = _send(client, tokens["coco"], "PATCH", path, {"title": "Anders"})
    assert late.status_code == 400 and "can no longer be edited" in late.json()["detail"]
    mine = _send(client, tokens["bob"], "POST", f"{path}/rounds/1/sheets", _sheet("B", "bob api reason"))
    assert mine.status_code == 201 and mine.json()["own"]["likelihood"] == "B"
    theirs = _send(client, tokens["cas"], "POST", f"{path}/rounds/1/sheets", _sheet("D", "cas api secret"))
    assert theirs.status_code == 201 and "bob api reason" not in theirs.text  # blind while open
    assert theirs.json()["sheets"] == [] and theirs.json()["round"]["submitted"] == ["bob", "cas"]
    wrong_round = _send(client, tokens["bob"], "POST", f"{path}/rounds/2/sheets", _sheet())
    assert wrong_round.status_code == 404 and "has no round 2" in wrong_round.json()["detail"]  # the path
    bad = _send(client, tokens["bob"], "POST", f"{path}/rounds/1/sheets", {"likelihood": {"classCode": "C"}})
    assert bad.status_code == 400 and bad.json()["invalidParams"]
    closed = _send(client, tokens["coco"], "PATCH", f"{path}/rounds/1", {"status": "closed"})
    assert closed.status_code == 200 and closed.json()["revealed"]
    assert {s["analyst"] for s in closed.json()["sheets"]} == {"bob", "cas"}
    again = _send(client, tokens["coco"], "PATCH", f"{path}/rounds/1", {"status": "closed"})
    assert again.status_code == 409 and "round 1 of scenario" in again.json()["detail"]  # closed already


def _defence_analyst(remote: Any) -> str:
    """Defence (DEF) as an organisation with its analyst dora; her API token."""
    with session_scope(remote.factory()) as session:
        ada = load_principal(session, "ada")
        defence = OrganisationCreate(code="DEF", name_nl="Defensie", name_en="Defence")
        organisations.create_organisation(session, ada, defence)
        dora = UserCreate(username="dora", display_name="Dora", organisation_code="DEF", role=Role.analyst)
        users.create_user(session, ada, dora)
    token: str = remote.token("dora")
    return token


def test_the_api_invites_a_panel_and_only_the_panel_scores(site: Any) -> None:
    """DEF's analyst dora is refused until the coordinator invites DEF; DEF leaves only once the round
    with dora's sheet is closed."""
    remote, client, tokens = site
    dora_token = _defence_analyst(remote)
    panel = "/api/v1/scenarios/1/panel-members"
    refused = _send(client, dora_token, "POST", "/api/v1/scenarios/1/rounds/1/sheets", _sheet("B", "dora"))
    assert refused.status_code == 403 and "is not on the panel of scenario 1" in refused.json()["detail"]
    assert "`gbvs assessments panel add 1 DEF`" in refused.json()["detail"]
    assert [m["owner"] for m in _get(client, tokens["vic"], panel).json()["data"]] == [True]

    added = _send(client, tokens["coco"], "POST", panel, {"organisation": "def"})
    assert added.status_code == 201 and added.headers["Location"] == f"{panel}/DEF", added.text
    assert added.json()["organisation"] == "DEF" and added.json()["added_by"] == "coco"
    assert _get(client, tokens["vic"], f"{panel}/DEF").json() == added.json()
    scenario = _get(client, tokens["vic"], "/api/v1/scenarios/1").json()
    assert [(m["organisation"], m["owner"]) for m in scenario["panel"]] == [(None, True), ("DEF", False)]
    twice = _send(client, tokens["coco"], "POST", panel, {"organisation": "DEF"})
    assert twice.status_code == 400 and "already on the panel" in twice.json()["detail"]
    unknown = _send(client, tokens["coco"], "POST", panel, {"organisation": "NOPE"})
    assert unknown.status_code == 404 and "organisation 'NOPE' does not exist" in unknown.json()["detail"]

    scored = _send(client, dora_token, "POST", "/api/v1/scenarios/1/rounds/1/sheets", _sheet("B", "dora"))
    assert scored.status_code == 201, scored.text
    kept = client.delete(f"{panel}/DEF", headers={"Authorization": f"Bearer {tokens['coco']}"})
    assert kept.status_code == 400 and "while round 1 is open with its analysts' sheets (dora)" in kept.text
    closed = _send(client, tokens["coco"], "PATCH", "/api/v1/scenarios/1/rounds/1", {"status": "closed"})
    assert closed.status_code == 200
    gone = client.delete(f"{panel}/DEF", headers={"Authorization": f"Bearer {tokens['coco']}"})
    assert gone.status_code == 204 and gone.content == b""
    assert _get(client, tokens["vic"], f"{panel}/DEF").status_code == 404
    sheets = _get(client, tokens["vic"], "/api/v1/scenarios/1/rounds/1").json()["sheets"]
    assert {s["analyst"] for s in sheets} == {"cas", "dora"}  # dora's closed sheet stays


def test_the_scenario_page_lists_the_panel_and_lets_its_coordinator_invite(site: Any) -> None:
    remote, client, tokens = site
    dora_token = _defence_analyst(remote)
    outside = _get(client, dora_token, "/dreigingen/1").text
    assert "Uw organisatie zit niet in het panel van dit scenario" in outside
    assert (
        'action="/dreigingen/1/scores"' not in outside and 'action="/dreigingen/1/afwijkend"' not in outside
    )
    assert 'action="/dreigingen/1/panel"' not in _get(client, tokens["vic"], "/dreigingen/1").text

    unknown = _post(client, tokens["coco"], "/dreigingen/1/panel", {"action": "add", "organisation": "NOPE"})
    assert unknown.status_code == 400 and "Organisatie ‘NOPE’ bestaat niet (bekend: " in unknown.text
    invited = _post(client, tokens["coco"], "/dreigingen/1/panel", {"action": "add", "organisation": "def"})
    assert invited.status_code == 303 and invited.headers["location"] == "/dreigingen/1#panel-h"
    listed = _get(client, tokens["vic"], "/dreigingen/1").text  # every reader sees the panel
    assert "<strong>DEF</strong> (uitgenodigd door coco op" in listed
    assert 'action="/dreigingen/1/scores"' in _get(client, dora_token, "/dreigingen/1").text
    removed = _post(
        client, tokens["coco"], "/dreigingen/1/panel", {"action": "remove", "organisation": "DEF"}
    )
    assert removed.status_code == 303
    assert "<strong>DEF</strong>" not in _get(client, tokens["vic"], "/dreigingen/1").text


def test_the_scenario_page_shows_its_manager_the_earlier_scorers_the_panel_leaves_out(site: Any) -> None:
    """cas (no organisation) scored DEF's scenario before panels existed; DEF's coordinator sees him."""
    remote, client, tokens = site
    dora_token = _defence_analyst(remote)
    with session_scope(remote.factory()) as session:
        ada = load_principal(session, "ada")
        dirk = UserCreate(
            username="dirk", display_name="Dirk", organisation_code="DEF", role=Role.coordinator
        )
        users.create_user(session, ada, dirk)
    with session_scope(remote.factory()) as session:
        dirk_principal = load_principal(session, "dirk")
        scenario_id = assessments.create_scenario(
            session, dirk_principal, assessments.ScenarioInput(title="Sabotage", kind=ScenarioType.threat)
        )
        assessments.open_round(session, dirk_principal, scenario_id)
    with session_scope(remote.factory()) as session:  # written as GBVS did before panels
        round_id = session.scalar(select(ScoringRound.id).where(ScoringRound.scenario_id == scenario_id))
        cas_id = session.scalar(select(User.id).where(User.username == "cas"))
        entries = [ScoreEntry(criterion=c, class_code="A", justification="old") for c in CRITERIA]
        session.add(
            ScoreSheet(
                round_id=round_id,
                analyst_id=cas_id,
                likelihood="B",
                likelihood_justification="old",
                entries=entries,
            )
        )
    manager = _get(client, remote.token("dirk"), f"/dreigingen/{scenario_id}").text
    assert "Scoorden in een eerdere ronde, maar staan niet in het panel" in manager
    assert "<strong>cas</strong> (ronde 1): geen organisatie: een beheerder kan het account" in manager
    for reader in (dora_token, tokens["vic"]):  # DEF's analyst and a viewer: the panel only
        page = _get(client, reader, f"/dreigingen/{scenario_id}")
        assert page.status_code == 200 and "<strong>DEF</strong>" in page.text
        assert "Scoorden in een eerdere ronde" not in page.text and "<strong>cas</strong>" not in page.text


def test_dissent_on_the_likelihood_and_the_link_kinds_are_named_in_the_page_language(site: Any) -> None:
    """The stored ids ('likelihood', 'threat', 'goal') are not words for a Dutch reader."""
    _remote, client, tokens = site
    made = _post(
        client,
        tokens["bob"],
        "/dreigingen/1/afwijkend",
        {"dissent": "Kans te laag.", "criterion": "likelihood"},
    )
    assert made.status_code == 303
    assert _post(client, tokens["coco"], "/dreigingen/1/ronde", {"action": "close"}).status_code == 303
    dutch = _get(client, tokens["vic"], "/dreigingen/1").text
    dissent_line = re.search(r"<strong>bob</strong>[^<]*", dutch)
    assert dissent_line and "(waarschijnlijkheid)" in dissent_line.group(0), dissent_line
    assert "<li>dreiging:" in dutch and "<li>threat:" not in dutch
    results = _get(client, tokens["vic"], "/dreigingen/resultaten").text
    assert "(waarschijnlijkheid): Kans te laag." in results and "(likelihood)" not in results
    english = _get(client, tokens["vic"], "/dreigingen/1?lang=en").text
    assert "(likelihood)" in english and "<li>threat:" in english
    # a goal is named once, by its link ("doel: Doel 1" named it twice)
    assert '<li><a href="/strategie/doelen/1">Doel 1</a>' in dutch and "doel:" not in dutch, dutch


def test_a_scenario_of_two_threats_names_both_in_the_results(site: Any) -> None:
    """The diagram colours a point by its first threat; the data table and the API name every threat."""
    remote, client, tokens = site
    with session_scope(remote.factory()) as session:
        coco = load_principal(session, "coco")
        data = assessments.ScenarioInput(title="Cyberaanval op het stroomnet", kind=ScenarioType.threat)
        scenario = assessments.create_scenario(session, coco, replace(data, threats=(2, 5)))
        assessments.open_round(session, coco, scenario)
    with session_scope(remote.factory()) as session:
        scores = {c: ("C", "reden") for c in CRITERIA}
        assessments.submit_scores(session, load_principal(session, "cas"), scenario, ("C", "kans"), scores)
        assessments.close_round(session, load_principal(session, "coco"), scenario)
    page = _get(client, tokens["vic"], "/dreigingen/resultaten").text
    row = re.search(rf'<tr><td>{scenario}</td><th scope="row">.*?</tr>', page, re.S)
    assert row and "§3.2" in row.group(0) and "§3.5" in row.group(0), row
    api = _get(client, tokens["vic"], "/api/v1/methods/nrb_2009/results?iterations=5").json()
    [found] = [s for s in api["scenarios"] if s["scenario_id"] == scenario]
    assert (found["threat"], found["threats"]) == (2, [2, 5])


def test_scores_for_a_closed_round_are_a_409_saying_when_it_closed_and_what_to_do(site: Any) -> None:
    """A score sent to a closed round was a 400 (API) and, on the page, a refusal the page did not show
    (the form is gone once the round is closed). It is a state conflict: 409 with when and what to do."""
    _remote, client, tokens = site
    page = _get(client, tokens["bob"], "/dreigingen/1").text  # bob opens the form while round 1 is open
    assert '<input type="hidden" name="round" value="1">' in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    assert _send(
        client, tokens["coco"], "PATCH", "/api/v1/scenarios/1/rounds/1", {"status": "closed"}
    ).is_success
    late = _send(client, tokens["bob"], "POST", "/api/v1/scenarios/1/rounds/1/sheets", _sheet("B", "bob"))
    assert late.status_code == 409 and late.headers["content-type"] == "application/problem+json"
    detail = late.json()["detail"]
    assert re.search(
        r"round 1 of scenario 1 closed on \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00 \(by coco\)", detail
    )
    assert "ask a coordinator of the scenario to open round 2" in detail
    sent = client.post(
        "/dreigingen/1/scores",
        data={**_form(), "round": "1", "csrf_token": token.group(1)},
        headers={"Authorization": f"Bearer {tokens['bob']}"},
    )
    assert sent.status_code == 409, sent.text[:300]
    text = html.unescape(sent.text)
    assert re.search(
        r"Ronde 1 van scenario 1 is gesloten op \d{1,2} [a-z]+ \d{4} \d\d:\d\d CES?T \(door coco\)", text
    )
    assert "Vraag een coördinator van het scenario om ronde 2 te openen" in text
    closing = _send(client, tokens["coco"], "PATCH", "/api/v1/scenarios/1/rounds/1", {"status": "closed"})
    assert closing.status_code == 409


def test_the_refusal_page_is_headed_by_its_ground(site: Any) -> None:
    """The 403 page spoke of the role even when the refusal was about the panel."""
    remote, client, tokens = site
    dora = _defence_analyst(remote)
    panel = _post(client, dora, "/dreigingen/1/scores", _form())
    assert panel.status_code == 403
    heading = re.search(r"<h1>(.*?)</h1>", panel.text)
    assert (
        heading and html.unescape(heading.group(1)) == "Uw organisatie zit niet in het panel van dit scenario"
    )
    assert "Uw rol" not in panel.text
    role = _post(client, tokens["vic"], "/dreigingen/1/scores", _form())
    assert role.status_code == 403 and "<h1>Uw rol staat dit niet toe</h1>" in role.text
    coordinator = _post(client, tokens["coco"], "/dreigingen/1/scores", _form())
    assert coordinator.status_code == 403 and "<h1>Uw rol staat dit niet toe</h1>" in coordinator.text
    assert "scoren alleen analisten" in html.unescape(coordinator.text)
    english = _post(client, dora, "/dreigingen/1/scores?lang=en", _form())
    assert "<h1>Your organisation is not on this scenario&#39;s panel</h1>" in english.text


def test_a_round_says_whether_coordinators_score_and_its_times_in_dutch_time(site: Any) -> None:
    """Coordinators score only in a round opened so (API, page); the round's times read in Dutch time
    with the zone, whatever the server's own zone."""
    remote, client, tokens = site
    with session_scope(remote.factory()) as session:
        first = session.scalars(select(ScoringRound).where(ScoringRound.number == 1)).first()
        assert first is not None
        first.opened_at = datetime(2026, 7, 1, 12, 5, tzinfo=UTC)
    page = _get(client, tokens["coco"], "/dreigingen/1").text
    assert "geopend op 1 juli 2026 14:05 CEST door coco" in page
    assert "Coördinatoren scoren niet mee in deze ronde (alleen analisten)." in html.unescape(page)
    assert 'name="coordinators_score"' not in page  # the setting is chosen when a round opens
    round_1 = _get(client, tokens["vic"], "/api/v1/scenarios/1/rounds/1").json()["round"]
    assert round_1["coordinatorsScore"] is False and round_1["opened_at"].startswith("2026-07-01T12:05:00")
    _send(client, tokens["coco"], "PATCH", "/api/v1/scenarios/1/rounds/1", {"status": "closed"})
    assert 'name="coordinators_score" value="1"' in _get(client, tokens["coco"], "/dreigingen/1").text
    opened = _send(client, tokens["coco"], "POST", "/api/v1/scenarios/1/rounds", {"coordinatorsScore": True})
    assert opened.status_code == 201 and opened.json()["round"]["coordinatorsScore"] is True
    scored = _send(client, tokens["coco"], "POST", "/api/v1/scenarios/1/rounds/2/sheets", _sheet("C", "coco"))
    assert scored.status_code == 201, scored.text
    assert "Coördinatoren scoren mee in deze ronde." in html.unescape(
        _get(client, tokens["vic"], "/dreigingen/1").text
    )


def test_an_unknown_form_action_is_refused_in_the_pages_language(site: Any) -> None:
    """A panel or round form whose hidden ``action`` was changed by hand was refused in English on a
    Dutch page."""
    _remote, client, tokens = site
    panel = _post(client, tokens["coco"], "/dreigingen/1/panel", {"action": "grow", "organisation": "BZ"})
    assert panel.status_code == 400
    assert "Formulieractie &#39;grow&#39; bestaat niet; gebruik een van: add, remove" in panel.text, (
        panel.text
    )
    english = _post(client, tokens["coco"], "/dreigingen/1/ronde?lang=en", {"action": "skip"})
    assert "form action &#39;skip&#39; is unknown; use one of: open, close, deadline, reopen" in english.text
