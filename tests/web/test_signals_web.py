"""``/api/v1/signals``, ``/api/v1/cases`` and the signal pages beyond the need-to-know matrix:
creating a signal (server-side validation naming the field, CSRF on the form), STIX by content
negotiation, and the audit entries of reads, searches, exports and refusals."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from gbvs.config import Settings, load_settings
from gbvs.db.models import AuditLog, Outcome
from gbvs.db.schemas import OrganisationCreate, UserCreate
from gbvs.db.services import cases, organisations, users
from gbvs.db.services.principals import load_principal
from gbvs.db.session import session_scope
from gbvs.security import Role
from gbvs.signals import stix
from gbvs.web.app import create_app

GOOD = {
    "title": "Nepnieuws over MH17",
    "kind": "disinformation",
    "reportedOn": "2024-05-02",
    "observedOn": "2024-05-01",
    "tlp": "green",
    "distribution": "all_organisations",
    "actorCountries": ["RUS"],
    "targetCountries": ["NLD"],
    "threats": ["3"],
    "goals": ["8"],
    "tags": ["mh17"],
}
STIX = "application/stix+json;version=2.1"


@pytest.fixture
def site(remote_site: Any) -> Iterator[tuple[Any, TestClient, dict[str, str]]]:
    """The remote site with organisation BZ, analyst 'bz' and viewer 'kijker', and their tokens."""
    with session_scope(remote_site.factory()) as session:
        ada = load_principal(session, "ada")
        organisations.create_organisation(
            session, ada, OrganisationCreate(code="BZ", name_nl="BZ", name_en="Foreign Affairs")
        )
        for name, role in (("bz", Role.analyst), ("kijker", Role.viewer)):
            data = UserCreate(username=name, display_name=name, organisation_code="BZ", role=role)
            users.create_user(session, ada, data)
    tokens = {name: remote_site.token(name) for name in ("bz", "kijker", "bob")}
    with TestClient(remote_site.app(), base_url="https://testserver") as client:
        yield remote_site, client, {name: f"Bearer {token}" for name, token in tokens.items()}


def _audit(remote_site: Any, action: str) -> list[AuditLog]:
    with session_scope(remote_site.factory()) as session:
        return list(session.scalars(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)))


def test_a_bad_signal_is_refused_naming_each_field_and_nothing_is_stored(site: Any) -> None:
    _, client, auth = site
    bad = GOOD | {"targetCountries": ["Atlantis"], "tlp": "clear", "threats": ["42"], "title": "x" * 301}
    answer = client.post("/api/v1/signals", json=bad, headers={"Authorization": auth["bz"]})
    assert answer.status_code == 400 and answer.headers["content-type"] == "application/problem+json"
    answer = client.post("/api/v1/signals", json=bad | {"title": "ok"}, headers={"Authorization": auth["bz"]})
    named = {item["name"]: item["reason"] for item in answer.json()["invalidParams"]}
    assert set(named) == {"targetCountries", "distribution", "threats"}, named
    assert "'Atlantis'" in named["targetCountries"] and "ISO3 code" in named["targetCountries"]
    assert "TLP:CLEAR" in named["distribution"]
    listed = client.get("/api/v1/signals", headers={"Authorization": auth["bz"]}).json()
    assert listed["total"] == 0


def test_a_signal_is_created_read_and_exported_as_valid_stix(site: Any) -> None:
    remote_site, client, auth = site
    created = client.post("/api/v1/signals", json=GOOD, headers={"Authorization": auth["bz"]})
    assert created.status_code == 201, created.text
    location = created.headers["Location"]
    assert location == f"/api/v1/signals/{created.json()['id']}"
    shown = client.get(location, headers={"Authorization": auth["kijker"]}).json()
    assert shown["tlp"] == "TLP:GREEN" and shown["targetCountries"] == ["NLD"] and shown["owner"] == "BZ"
    bundle = client.get(location, headers={"Authorization": auth["kijker"], "Accept": STIX})
    assert bundle.headers["content-type"] == STIX
    stix.validate(bundle.json(), "signal export")
    assert any(obj["type"] == "marking-definition" for obj in bundle.json()["objects"])
    assert client.get(location, headers={"Authorization": auth["bob"]}).status_code == 404  # no organisation
    refused = client.post("/api/v1/signals", json=GOOD, headers={"Authorization": auth["kijker"]})
    assert refused.status_code == 403 and "signals:write" in refused.text
    assert [entry.outcome for entry in _audit(remote_site, "signals.create")] == [Outcome.success]
    denied = [(e.actor, e.outcome, e.detail["path"]) for e in _audit(remote_site, "web.access")]

    assert denied == [("kijker", Outcome.denied, "/api/v1/signals")], "refused at the route, and kept"
    not_found = _audit(remote_site, "signals.read")[-1]
    assert (not_found.actor, not_found.outcome) == ("bob", Outcome.denied)
    exports = _audit(remote_site, "signals.export")
    assert exports and exports[-1].detail["format"] == "stix"
    requests = [entry.action for entry in _audit(remote_site, "web.export")]
    assert requests, "a STIX answer is an export in the request trail"


def test_searches_and_statistics_are_audited(site: Any) -> None:
    remote_site, client, auth = site
    client.post("/api/v1/signals", json=GOOD, headers={"Authorization": auth["bz"]})
    found = client.get("/api/v1/signals?q=MH17&country=nld", headers={"Authorization": auth["bz"]}).json()
    assert found["total"] == 1
    counts = client.get("/api/v1/signals/statistics?by=quarter", headers={"Authorization": auth["bz"]})
    assert counts.json() == [{"key": "2024-Q2", "count": 1}]
    search = _audit(remote_site, "signals.search")[-1]
    assert search.actor == "bz" and search.detail["filter"]["text"] == "MH17"
    assert _audit(remote_site, "signals.statistics")[-1].detail["by"] == "quarter"
    assert _audit(remote_site, "web.search"), "the request trail records the search too"


def _form_token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', html)
    assert found, "the form carries a CSRF token"
    return found.group(1)


def test_the_form_needs_its_csrf_token_and_shows_each_error_beside_its_field(site: Any) -> None:
    _, client, auth = site
    headers = {"Authorization": auth["bz"]}
    form = client.get("/signalen/nieuw", headers=headers)
    token = _form_token(form.text)
    fields = {"title": "", "kind": "disinformation", "tlp": "TLP:AMBER", "distribution": "organisation"}
    forged = client.post("/signalen/nieuw", data=fields | {"csrf_token": "0" * 64}, headers=headers)
    assert forged.status_code == 403
    wrong = client.post(
        "/signalen/nieuw",
        data=fields | {"targetCountries": "XXX", "observedOn": "1-5-2024", "csrf_token": token},
        headers=headers,
    )
    assert wrong.status_code == 400
    for field in ("title", "targetCountries", "observedOn"):
        assert f'aria-describedby="e-{field}"' in wrong.text
        assert f'id="e-{field}"' in wrong.text
    assert 'value="XXX"' in wrong.text, "what was typed is kept"
    elsewhere = fields | {"title": "Gedeeld", "distribution": "sharing_group", "sharingGroup": "nergens"}
    not_ours = client.post("/signalen/nieuw", data=elsewhere | {"csrf_token": token}, headers=headers)
    assert not_ours.status_code == 400 and 'id="e-sharingGroup"' in not_ours.text, "not a 404 page"
    assert "uw organisatie is er geen lid van" in not_ours.text and 'value="Gedeeld"' in not_ours.text
    body = GOOD | {"distribution": "sharing_group", "sharingGroup": "nergens"}
    api = client.post("/api/v1/signals", json=body, headers=headers)
    assert api.status_code == 400 and "your organisation is not in it" in api.json()["detail"], "a bad value"
    saved = client.post(
        "/signalen/nieuw",
        data=fields | {"title": "Beïnvloeding", "targetCountries": "NLD, Oekraïne", "csrf_token": token},
        headers=headers,
        follow_redirects=False,
    )
    assert saved.status_code == 303
    page = client.get(saved.headers["location"], headers=headers)
    assert page.status_code == 200 and "Beïnvloeding" in page.text
    signal_id = saved.headers["location"].rsplit("/", 1)[1]
    stored = client.get(f"/api/v1/signals/{signal_id}", headers=headers).json()
    assert stored["targetCountries"] == ["NLD", "UKR"]  # a name in Dutch is stored as its code
    found = client.get("/signalen?country=oekraine", headers=headers)  # the filter takes a name too
    assert found.status_code == 200 and 'value="UKR"' in found.text and "Beïnvloeding" in found.text


@pytest.fixture
def register_client(web_settings: Settings, signals_database: str) -> Iterator[TestClient]:
    """Loopback mode over the small public register (the local analyst sees public signals only)."""
    settings = load_settings(data_dir=web_settings.data_dir, database_url=signals_database)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def test_the_case_page_shows_dissent_and_the_joint_position(register_client: TestClient) -> None:
    client = register_client
    page = client.get("/zaken/1?lang=en")
    assert page.status_code == 200
    assert "the dissent is kept visible" in page.text
    assert "Agreed by BZ, DEF" in page.text
    assert page.text.count("<article") == 2
    case = client.get("/api/v1/cases/1").json()
    assert {a["organisation"] for a in case["assessments"]} == {"BZ", "DEF"}
    assert case["jointPosition"]["agreedBy"] == ["BZ", "DEF"]
    statistics = client.get("/signalen/statistieken?lang=en").text
    assert statistics.count('<svg class="chart"') == 4 and statistics.count("<table>") == 4
    headings = re.findall(r'<thead><tr><th scope="col">([^<]+)</th>', statistics)
    assert headings == ["Threat", "Kind", "Country", "Quarter"]  # each table says what it counts by
    assert json.loads(client.get("/api/v1/signals?pageSize=2").text)["_links"]["next"]


def test_an_api_change_needs_a_bearer_token_not_a_browser_session(site: Any) -> None:
    remote_site, client, _ = site
    form = client.get("/aanmelden").text
    token = _form_token(form)
    body = {"username": "ada", "password": remote_site.password, "next": "/", "csrf_token": token}
    assert client.post("/aanmelden", data=body, follow_redirects=False).status_code == 303
    assert client.get("/api/v1/signals").status_code == 200  # reading with the session is fine
    refused = client.post("/api/v1/signals", json=GOOD)
    assert refused.status_code == 403 and "Bearer" in refused.json()["detail"]
    # an Authorization header without a token used to pass the check, the browser session doing the rest
    empty = client.post("/api/v1/signals", json=GOOD, headers={"Authorization": "Bearer"})
    assert empty.status_code == 403 and "Bearer" in empty.json()["detail"]


def test_the_filter_form_sends_empty_fields_which_mean_any(register_client: TestClient) -> None:
    empty = "q=&kind=&threat=&goal=&country=&technique=&organisation=&tlp=&reportedFrom=&reportedTo="
    page = register_client.get(f"/signalen?{empty}")
    assert page.status_code == 200 and page.text.count('href="/signalen/') >= 6  # was 400
    narrowed = register_client.get("/signalen?kind=cyber_operation&threat=&tlp=clear&reportedFrom=2023-01-01")
    assert narrowed.status_code == 200
    wrong = register_client.get("/signalen?threat=drie")
    assert wrong.status_code == 400 and "threat &#39;drie&#39;" in wrong.text
    assert register_client.get(f"/signalen/statistieken?{empty}").status_code == 200


def test_signal_kinds_are_named_in_the_page_language(register_client: TestClient) -> None:
    """The names live with the kinds (gbvs.signals.model.KIND_NAMES), shared with the progress report."""
    for lang, cyber, other in (
        ("nl", "Cyberoperatie", "Desinformatie"),
        ("en", "Cyber operation", "Disinformation"),
    ):
        listing = register_client.get(f"/signalen?lang={lang}").text
        assert f"<td>{cyber}</td>" in listing and f">{other}</option>" in listing, lang
        assert f">{cyber}</th>" in register_client.get(f"/signalen/statistieken?lang={lang}").text, lang


def test_tlp_red_recipients_cannot_probe_which_accounts_exist(site: Any) -> None:
    """The recipients field answered 404 "user ... does not exist" for a name that is no account and
    accepted any account, so whoever may write a signal could probe account names (of other agencies
    too). An account one may not address (here 'bob', in no organisation) and a name that is no account
    now get the same answer, in the API and on the page; a typo gets the close names one may address."""
    _, client, auth = site
    headers = {"Authorization": auth["bz"]}
    red = GOOD | {"tlp": "red", "distribution": "organisation"}
    answers = {}
    for name in ("bob", "niemand"):
        answer = client.post("/api/v1/signals", json=red | {"recipients": [name]}, headers=headers)
        assert answer.status_code == 400, answer.text
        answers[name] = answer.json()
        assert [p["name"] for p in answers[name]["invalidParams"]] == ["recipients"], answers[name]
    assert answers["bob"]["detail"].replace("'bob'", "'niemand'") == answers["niemand"]["detail"]
    typo = client.post("/api/v1/signals", json=red | {"recipients": ["kijkr"]}, headers=headers).json()
    assert "(did you mean kijker?)" in typo["detail"], typo
    assert (
        client.post("/api/v1/signals", json=red | {"recipients": ["kijker"]}, headers=headers).status_code
        == 201
    )
    token = _form_token(client.get("/signalen/nieuw", headers=headers).text)
    fields = {"title": "Rood", "kind": "disinformation", "tlp": "TLP:RED", "distribution": "organisation"}
    pages = {}
    for name in ("bob", "niemand"):
        page = client.post(
            "/signalen/nieuw", data=fields | {"recipients": name, "csrf_token": token}, headers=headers
        )
        assert page.status_code == 400 and 'id="e-recipients"' in page.text, page.text[-500:]
        pages[name] = page.text.replace("bob", "niemand")
    assert pages["bob"] == pages["niemand"]


def test_the_forms_refusals_read_in_the_pages_language(site: Any) -> None:
    """The new-signal form showed the checks' and the service's English on a Dutch page (a recipient one
    may not address, a marking that does not fit the distribution); now Dutch, English on an English
    page, and the API's reason stays English. A signal that is not shared says so in Dutch too."""
    _, client, auth = site
    headers = {"Authorization": auth["bz"]}
    token = _form_token(client.get("/signalen/nieuw", headers=headers).text)
    red = {"title": "Rood", "kind": "disinformation", "tlp": "TLP:RED", "distribution": "organisation"}
    page = client.post(
        "/signalen/nieuw", data=red | {"recipients": "niemand", "csrf_token": token}, headers=headers
    )
    assert (
        page.status_code == 400 and "Ontvanger ‘niemand’ is geen account dat u kunt aanschrijven" in page.text
    )
    clear = red | {"tlp": "TLP:CLEAR", "csrf_token": token}
    page = client.post("/signalen/nieuw", data=clear, headers=headers)
    assert page.status_code == 400 and "TLP:CLEAR betekent: geen beperking" in page.text, page.text
    english = client.post("/signalen/nieuw?lang=en", data=clear, headers=headers)
    assert "TLP:CLEAR means no limit on disclosure" in english.text
    api = client.post("/api/v1/signals", json=GOOD | {"tlp": "clear"}, headers=headers).json()
    assert "TLP:CLEAR means no limit on disclosure" in api["invalidParams"][0]["reason"], api
    hidden = client.get("/signalen/424242?lang=nl", headers=headers)
    assert (
        hidden.status_code == 404 and "Er is geen signaal 424242, of het is niet met u gedeeld" in hidden.text
    )


def test_a_signal_page_writes_dates_the_dutch_way_and_names_countries_goals_and_techniques(
    register_client: TestClient,
) -> None:
    """A Dutch reader sees "2 januari 2023", "Rusland (RUS, GW 365)", goal 8 with its title and
    DISARM T0049 with its (English) name, not bare codes and ISO dates."""
    page = register_client.get("/signalen/1?lang=nl").text
    assert "2 januari 2023" in page and "2023-01-02" not in page
    assert "<dd>Rusland (RUS, GW 365)</dd>" in page, "not in the small store: named, not linked"
    assert 'href="/landen/RUS"' not in page and '<a href="/landen/NLD">Nederland</a> (NLD, GW 210)' in page
    assert re.search(r'<a href="/strategie/doelen/8">8\. [A-Z][^<]+</a>', page), "goal 8 with its title"
    assert re.search(r'<a href="/signalen\?technique=T0049">T0049</a> <span lang="en">Flood', page)
    tag = (
        'circl:incident-classification=&#34;phishing&#34; (<span lang="en">Incident Classification: Phishing'
    )
    assert tag in page, "a MISP machine tag with the taxonomy's wording"
    listing = register_client.get("/signalen?lang=nl").text
    assert "2 januari 2023" in listing
    english = register_client.get("/signalen/1?lang=en").text
    assert "2 January 2023" in english and "<dd>Russia (RUS, GW 365)</dd>" in english
    case = register_client.get("/zaken/1?lang=nl").text
    assert not re.search(r"\d{4}-\d{2}-\d{2}", case.split("<main", 1)[-1]), "no ISO date on the case page"


def test_the_statistics_take_the_filters_of_the_list(register_client: TestClient) -> None:
    """``GET /signals/statistics`` ignored threat, goal, technique, marking and period: counts by kind
    "for threat 5" were those of every signal, unlike the list."""
    for query in ("threat=5", "reportedFrom=2023-03-01&reportedTo=2023-04-30", "technique=T0002"):
        counted = register_client.get(f"/api/v1/signals/statistics?by=kind&{query}").json()
        listed = register_client.get(f"/api/v1/signals?{query}").json()["total"]
        assert sum(row["count"] for row in counted) == listed, (query, counted, listed)
    everything = sum(row["count"] for row in register_client.get("/api/v1/signals/statistics?by=kind").json())
    assert listed == 0 < everything


def test_empty_states_say_what_to_do(register_client: TestClient, site: Any) -> None:
    """An empty list or a signal without assessments said only "none": not how to find more, nor
    where an assessment or a case is made. The pages now record them, for an account of an
    organisation that may write; the local analyst (no organisation) is told what that takes."""
    unassessed = register_client.get("/signalen/2?lang=nl").text
    assert "Om een duiding vast te leggen hebt u een account van een organisatie nodig" in unassessed
    nothing = register_client.get("/signalen?q=xyzzy&lang=nl").text
    assert "Gebruik minder zoekwoorden of filters, of een langere periode" in nothing
    _, client, auth = site
    cases = client.get("/zaken?lang=nl", headers={"Authorization": auth["bz"]}).text
    assert "Er zijn geen zaken met u gedeeld. Een analist die de signalen mag zien" in cases
    assert "formulier ‘Nieuwe zaak’" in cases
    assert "gbvs cases create TITLE --signal N" in cases


def test_signals_and_statistics_filter_by_suspected_actor_and_refuse_an_unknown_one(site: Any) -> None:
    remote_site, client, auth = site
    bz = {"Authorization": auth["bz"]}
    created = client.post("/api/v1/signals", json=GOOD, headers=bz)
    signal_id = int(created.headers["Location"].rsplit("/", 1)[1])
    with session_scope(remote_site.factory()) as session:
        cases.assess(
            session,
            load_principal(session, "bz"),
            signal_id=signal_id,
            judgement="GRU",
            likelihood="likely",
            confidence="moderate",
            suspected_actor="APT28",
            sponsor_state="RUS",
        )
    for path in ("/api/v1/signals", "/api/v1/signals/statistics"):
        found = client.get(path, params={"suspectedActor": "apt28", "sponsorState": "rus"}, headers=bz)
        assert found.status_code == 200, found.text
        unknown = client.get(path, params={"suspectedActor": "Cozy Bear"}, headers=bz)
        assert unknown.status_code == 400 and "'Cozy Bear'" in unknown.json()["detail"], unknown.text
        assert "named: APT28" in unknown.json()["detail"]
    assert client.get("/api/v1/signals", params={"suspectedActor": "APT28"}, headers=bz).json()["total"] == 1
    page = client.get("/signalen", params={"suspectedActor": "Cozy Bear"}, headers=bz)
    assert page.status_code == 400 and "Genoemde vermoedelijke actoren: APT28" in page.text


def test_a_refused_tag_or_technique_reads_in_the_pages_language(site: Any) -> None:
    """The checks of the tags and techniques were English beside their fields on a Dutch page."""
    _, client, auth = site
    headers = {"Authorization": auth["bz"]}
    token = _form_token(client.get("/signalen/nieuw", headers=headers).text)
    fields = {"title": "Tag", "kind": "disinformation", "tlp": "TLP:AMBER", "distribution": "organisation"}
    typed = fields | {"tags": "admiralty-scale:x", "techniques": "T9999", "csrf_token": token}
    dutch = client.post("/signalen/nieuw", data=typed, headers=headers)
    assert dutch.status_code == 400
    assert "de admiraliteitscode staat in eigen velden van het signaal" in dutch.text, dutch.text
    assert "Onbekende techniek-id(&#39;s) T9999" in dutch.text
    assert "Reden (in het Engels)" not in dutch.text
    english = client.post("/signalen/nieuw?lang=en", data=typed, headers=headers)
    assert "the Admiralty code is the signal&#39;s own fields (reliability, credibility)" in english.text
    assert "unknown technique id(s) T9999" in english.text


def test_a_viewer_is_told_their_role_only_reads_instead_of_getting_forms_that_refuse(site: Any) -> None:
    """A viewer of an organisation was offered "Nieuw signaal" and the whole form (also the new-case
    form); filled in and sent, it answered 403 and the input was gone. Now the list offers no such link
    and the forms' pages say the role only reads and whom to ask; an analyst keeps the form."""
    _, client, auth = site
    viewer, analyst = {"Authorization": auth["kijker"]}, {"Authorization": auth["bz"]}
    assert 'href="/signalen/nieuw"' not in client.get("/signalen", headers=viewer).text
    assert 'href="/signalen/nieuw"' in client.get("/signalen", headers=analyst).text
    for path in ("/signalen/nieuw", "/zaken/nieuw"):
        page = client.get(f"{path}?lang=nl", headers=viewer)
        assert page.status_code == 200
        assert (
            "Uw rol mag signalen en zaken alleen lezen" in page.text and 'href="/uitleg#vragen"' in page.text
        )
        assert f'action="{path}"' not in page.text, path
        english = client.get(f"{path}?lang=en", headers=viewer).text
        assert "Your role may only read signals and cases" in english
        kept = client.get(f"{path}?lang=nl", headers=analyst).text
        assert f'action="{path}"' in kept and "alleen lezen" not in kept
