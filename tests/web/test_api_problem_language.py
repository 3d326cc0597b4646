"""API errors (problem+json) in the language the caller asks for, and a 403 that names its ground.

``?lang=``, else ``Accept-Language`` (``nl``/``en`` with q-values), else English as before. The title is
always in that language; the detail when the error has catalogue words (else English, which
``detailLanguage`` and ``Content-Language`` say). A 403's title names the ground and ``refusal`` names it
for a program: role, organisation and panel refusals come from a remote site on SQLite and PostgreSQL.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from starlette.exceptions import StarletteDeprecationWarning

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

from gbvs.assessments import load_method
from gbvs.config import Settings, load_settings
from gbvs.db.schemas import OrganisationCreate, UserCreate
from gbvs.db.services import assessments, organisations, users
from gbvs.db.services.principals import load_principal
from gbvs.db.session import session_scope
from gbvs.security import Role
from gbvs.web.app import create_app
from gbvs.web.i18n import accepted_language, problem_language

ASKED = {  # Accept-Language sent (None: no header) -> the language of the answer
    None: "en",
    "en": "en",
    "nl": "nl",
    "de": "en",  # a language the interface does not have: the default
    "nl-NL,nl;q=0.9,en-US;q=0.8,en;q=0.7": "nl",  # a Dutch browser
    "de-DE, en;q=0.5, nl;q=0.8": "nl",
}


def _headers(accept_language: str | None, token: str | None = None) -> dict[str, str]:
    headers = {"Accept-Language": accept_language} if accept_language is not None else {}
    return headers | ({"Authorization": f"Bearer {token}"} if token else {})


def _problem(answer: Any, status: int) -> dict[str, Any]:
    assert answer.status_code == status, answer.text[:300]
    assert answer.headers["content-type"] == "application/problem+json"
    assert "Accept-Language" in answer.headers["vary"]
    body: dict[str, Any] = answer.json()
    return body


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("", None),
        ("nl", "nl"),
        ("NL-be", "nl"),
        ("de", None),
        ("*", None),
        ("en;q=0.5, nl;q=0.8", "nl"),
        ("nl;q=0, en", "en"),
        ("nl;q=zero, en;q=0.1", "en"),  # a malformed q-value names no language
        ("nl;q=2, en;q=0.1", "en"),  # so does one above 1
        ("en, nl", "en"),  # equal q: the header's order
        ("de, fr;q=0.9", None),
    ],
)
def test_the_accept_language_header_is_read_with_its_q_values(
    header: str | None, expected: str | None
) -> None:
    assert accepted_language(header) == expected


def test_lang_wins_over_the_header_and_english_is_the_default() -> None:
    assert problem_language("en", "nl") == "en"
    assert problem_language("nl", None) == "nl"
    assert problem_language("de", "nl") == "nl"  # ?lang=de is refused by a 400: in the header's language
    assert problem_language(None, None) == "en"


@pytest.mark.parametrize(("header", "lang"), list(ASKED.items()))
def test_a_400_with_catalogue_words_is_in_the_asked_language(
    client: TestClient, header: str | None, lang: str
) -> None:
    body = _problem(client.get("/api/v1/forecasts?country=ZZZ", headers=_headers(header)), 400)
    answer = client.get("/api/v1/forecasts?country=ZZZ", headers=_headers(header))
    assert answer.headers["content-language"] == lang and body["detailLanguage"] == lang
    assert body["title"] == {"nl": "Ongeldig verzoek", "en": "Bad request"}[lang]
    assert "ZZZ" in body["detail"]
    english = client.get("/api/v1/forecasts?country=ZZZ").json()["detail"]
    assert (body["detail"] == english) is (lang == "en")
    assert body["invalidParams"][0]["name"] == "country"
    assert "refusal" not in body


def test_lang_in_the_address_wins_over_the_header(client: TestClient) -> None:
    dutch = _problem(client.get("/api/v1/forecasts?country=ZZZ&lang=nl", headers=_headers("en")), 400)
    assert dutch["title"] == "Ongeldig verzoek" and dutch["detailLanguage"] == "nl"
    english = client.get("/api/v1/forecasts?country=ZZZ&lang=en", headers=_headers("nl"))
    assert _problem(english, 400)["title"] == "Bad request"
    assert english.headers["content-language"] == "en"


def test_a_404_and_a_405_are_in_the_asked_language(client: TestClient) -> None:
    for header, lang in ASKED.items():
        missing = client.get("/api/v1/nothing-here", headers=_headers(header))
        body = _problem(missing, 404)
        assert missing.headers["content-language"] == lang, header
        assert body["title"] == {"nl": "Niet gevonden", "en": "Not found"}[lang]
        assert body["detail"].startswith({"nl": "Er is geen pagina op", "en": "no page or resource"}[lang])
        assert "/api/v1/nothing-here" in body["detail"]
    method = _problem(client.delete("/api/v1/countries", headers=_headers("nl")), 405)
    assert method["title"] == "Methode niet toegestaan" and method["detail"].startswith("Methode DELETE")
    assert "GET" in method["detail"] and method["detailLanguage"] == "nl"
    assert _problem(client.delete("/api/v1/countries"), 405)["detail"].startswith("method DELETE")


def test_a_dutch_title_over_an_english_detail_says_both_languages(client: TestClient) -> None:
    """An error without catalogue words (an unknown space of the DemSpaces comparison): its detail stays
    English, and says so."""
    path = "/api/v1/demspaces-comparisons?space=bogus"
    answer = client.get(path, headers=_headers("nl"))
    body = _problem(answer, 400)
    assert body["title"] == "Ongeldig verzoek" and body["detail"].startswith("unknown space 'bogus'")
    assert body["detailLanguage"] == "en" and answer.headers["content-language"] == "nl, en"
    plain = client.get(path)
    assert plain.headers["content-language"] == "en" and plain.json()["detailLanguage"] == "en"


def test_the_host_guards_problem_says_it_is_in_both_languages(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Refused before the app chooses a language, its detail is Dutch and English: the header says both."""
    monkeypatch.delenv("GBVS_ALLOWED_HOSTS", raising=False)
    with TestClient(create_app(load_settings()), base_url="http://attacker.example") as stranger:
        answer = stranger.get("/api/v1/countries", headers=_headers("nl"))
    assert answer.status_code == 400 and answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["content-language"] == "nl, en"
    assert "Deze GBVS-server" in answer.json()["detail"] and "This GBVS server" in answer.json()["detail"]


def test_the_problem_schema_documents_the_language_and_the_refusal(client: TestClient) -> None:
    document = client.get("/api/v1/openapi.json").json()
    problem = document["components"]["schemas"]["Problem"]["properties"]
    assert "detailLanguage" in problem and "refusal" in problem
    grounds = document["components"]["schemas"]["Refusal"]["enum"]
    assert grounds == ["role", "organisation", "panel", "other"]
    assert "Accept-Language" in document["info"]["description"]


@dataclass
class Refusals:
    """A remote site where bea (BZ) opened an early-action case and round 1 of scenario 1 is open."""

    client: TestClient
    tokens: dict[str, str]
    case: str


@pytest.fixture
def refusals(remote_site: Any) -> Iterator[Refusals]:
    """bea and dirk analysts of BZ and DEF; vic a viewer and coco a coordinator, both of no organisation."""
    with session_scope(remote_site.factory()) as session:
        ada = load_principal(session, "ada")
        for code in ("BZ", "DEF"):
            organisations.create_organisation(
                session, ada, OrganisationCreate(code=code, name_nl=code, name_en=code)
            )
        people = (("bea", "BZ", Role.analyst), ("dirk", "DEF", Role.analyst), ("vic", None, Role.viewer),
                  ("coco", None, Role.coordinator))  # fmt: skip
        for name, code, role in people:
            person = UserCreate(username=name, display_name=name, organisation_code=code, role=role)
            users.create_user(session, ada, person)
    with session_scope(remote_site.factory()) as session:
        coco = load_principal(session, "coco")
        assessments.seed_drafts(session, coco)
        assessments.open_round(session, coco, 1)
    tokens = {name: remote_site.token(name) for name in ("bea", "dirk", "vic", "coco")}
    with TestClient(remote_site.app(), base_url="https://testserver") as client:
        made = client.post("/api/v1/actions", json=CASE, headers=_headers(None, tokens["bea"]))
        assert made.status_code == 201, made.text
        yield Refusals(client, tokens, made.headers["Location"])


CASE = {"originKind": "alert", "originRef": "forecast-new:432", "title": "Mali", "goals": [1, 4]}
CRITERIA = load_method("nrb_2009").criterion_ids()
SHEET = {
    "likelihood": {"classCode": "C", "justification": "why"},
    "scores": {c: {"classCode": "C", "justification": "why"} for c in CRITERIA},
}
TITLES = {  # ground -> the 403's title in Dutch and English
    "role": ("Uw rol staat dit niet toe", "Your role does not allow this"),
    "organisation": ("Dit hoort bij een andere organisatie", "This belongs to another organisation"),
    "panel": (
        "Uw organisatie zit niet in het panel van dit scenario",
        "Your organisation is not on this scenario's panel",
    ),
    "other": ("Geen toegang", "Forbidden"),
}
SIGNAL = {"title": "Spearphishing", "kind": "cyber_operation", "reportedOn": "2024-05-02", "tlp": "amber",
          "distribution": "organisation", "targetCountries": ["NLD"], "goals": ["8"]}  # fmt: skip


def _refused(site: Refusals, ground: str, header: str | None) -> Any:
    """The API's 403 on ``ground``, asked with Accept-Language ``header``."""
    if ground == "role":  # a viewer opens a case
        return site.client.post("/api/v1/actions", json=CASE, headers=_headers(header, site.tokens["vic"]))
    if ground == "organisation":  # DEF reads BZ's case for all organisations, but may not change it
        body = {"audience": "organisation"}
        return site.client.patch(site.case, json=body, headers=_headers(header, site.tokens["dirk"]))
    if ground == "panel":  # DEF is not on the panel of scenario 1
        path = "/api/v1/scenarios/1/rounds/1/sheets"
        return site.client.post(path, json=SHEET, headers=_headers(header, site.tokens["dirk"]))
    # a coordinator of no organisation may write signals, but a signal is owned by an organisation
    return site.client.post("/api/v1/signals", json=SIGNAL, headers=_headers(header, site.tokens["coco"]))


@pytest.mark.parametrize("ground", list(TITLES))
def test_a_403_is_titled_by_its_ground_in_the_asked_language(refusals: Refusals, ground: str) -> None:
    english_detail = _problem(_refused(refusals, ground, None), 403)["detail"]
    for header, lang in ASKED.items():
        answer = _refused(refusals, ground, header)
        body = _problem(answer, 403)
        dutch, english = TITLES[ground]
        assert body["title"] == (dutch if lang == "nl" else english), (header, body)
        assert body["refusal"] == ground
        assert body["detailLanguage"] == lang  # each in catalogue words, a signal without organisation too
        assert answer.headers["content-language"] == lang
        assert (body["detail"] == english_detail) is (lang == "en"), (header, body["detail"])
        if ground == "other" and lang == "nl":
            dutch_detail = "Gebruiker 'coco' (coördinator) hoort bij geen organisatie"
            assert body["detail"].startswith(dutch_detail), body
