"""The refusals that were English only, in the reader's language: a refused login, token or session (401),
the 500 of remote mode, and the countries GBVS does not cover. Pages in Dutch by default, the API in the
language asked (``?lang=``, ``Accept-Language``), English as before when none is asked."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from gbvs.config import load_settings
from gbvs.db.services.principals import TOKEN_REFUSED
from gbvs.web.app import create_app
from gbvs.web.sessions import COOKIE_NAME

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:sqlalchemy.*")
HTTPS = "https://testserver"
DUTCH = {"Accept-Language": "nl"}
PASSWORD = "correct horse battery staple"


def _detail(answer: Any, status: int, lang: str) -> str:
    assert answer.status_code == status, answer.text[:300]
    body = answer.json()
    assert body["detailLanguage"] == lang and answer.headers["content-language"] == lang
    detail: str = body["detail"]
    return detail


def test_an_unknown_token_is_refused_in_the_asked_language(remote_site: Any) -> None:
    token = {"Authorization": "Bearer gbvs_" + "A" * 43}
    with TestClient(remote_site.app(), base_url=HTTPS) as client:
        dutch = client.get("/api/v1/sources", headers=token | DUTCH)
        english = client.get("/api/v1/sources", headers=token)
    assert _detail(dutch, 401, "nl").startswith("API-token onbekend, ingetrokken")
    assert _detail(english, 401, "en") == TOKEN_REFUSED  # what scripts compare is unchanged


def test_a_request_without_credentials_is_told_how_to_log_in_in_its_language(remote_site: Any) -> None:
    with TestClient(remote_site.app(), base_url=HTTPS) as client:
        api = client.get("/api/v1/sources", headers=DUTCH)
        page = client.get("/bronnen")
        english = client.get("/api/v1/sources")
    assert _detail(api, 401, "nl").startswith("Deze GBVS-server accepteert verbindingen van buitenaf")
    assert "Deze GBVS-server accepteert verbindingen van buitenaf" in html.unescape(page.text)
    assert "Detail (in English)" not in page.text and "Detail (in het Engels)" not in page.text
    assert _detail(english, 401, "en").startswith("this GBVS server accepts remote connections")


def test_an_ended_session_is_told_so_in_dutch(remote_site: Any) -> None:
    with TestClient(remote_site.app(), base_url=HTTPS) as client:
        form = client.get("/aanmelden").text
        token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', form)
        assert token is not None
        body = {"username": "bob", "password": PASSWORD, "next": "/bronnen", "csrf_token": token[1]}
        assert client.post("/aanmelden", data=body, follow_redirects=False).status_code == 303
        cookie = client.cookies[COOKIE_NAME]
        logout = re.search(r'name="csrf_token" value="([0-9a-f]+)"', client.get("/bronnen").text)
        assert logout is not None
        client.post("/afmelden", data={"csrf_token": logout[1]}, follow_redirects=False)
        client.cookies.set(COOKIE_NAME, cookie)
        page = client.get("/bronnen")
    assert page.status_code == 401
    assert "Deze aanmeldsessie is beëindigd" in html.unescape(page.text)


def test_a_server_error_says_so_in_the_asked_language(tmp_path: Path) -> None:
    """Remote mode's 500 over a database without tables: the generic text, in Dutch when asked."""
    settings = load_settings(
        data_dir=tmp_path, allow_remote=True, database_url=f"sqlite:///{tmp_path}/gbvs.sqlite3"
    )
    headers = {"Authorization": "Bearer gbvs_not-a-token"}
    client = TestClient(create_app(settings), base_url=HTTPS, raise_server_exceptions=False)
    dutch = client.get("/api/v1/sources", headers=headers | DUTCH)
    english = client.get("/api/v1/sources", headers=headers)
    page = client.get("/bronnen", headers=headers)
    assert (
        _detail(dutch, 500, "nl")
        == "Er is een onverwachte fout opgetreden; het serverlogboek bevat de details."
    )
    assert _detail(english, 500, "en") == "an unexpected error occurred; the server log has the details"
    assert page.status_code == 500 and "het serverlogboek bevat de details" in page.text


@pytest.mark.parametrize(
    ("path", "dutch", "english"),
    [
        ("/api/v1/countries/PSE",
         "Palestijnse gebieden (PSE) is geen onafhankelijke staat in de Gleditsch-Ward-lijst",
         "Palestinian Territories (PSE) is not an independent state in the Gleditsch-Ward list"),
        ("/api/v1/countries/XXA", "XXA is de code van UNHCR voor staatlozen, geen land",
         "XXA is UNHCR's code for stateless people, not a country"),
    ],
)  # fmt: skip
def test_a_country_gbvs_does_not_cover_is_explained_in_the_asked_language(
    client: TestClient, path: str, dutch: str, english: str
) -> None:
    assert _detail(client.get(path, headers=DUTCH), 404, "nl").startswith(dutch)
    assert _detail(client.get(path), 404, "en").startswith(english)


def test_the_page_of_a_country_gbvs_does_not_cover_names_it_in_dutch(client: TestClient) -> None:
    """The country's English short name ("Palestine") stood in the Dutch sentence."""
    page = html.unescape(client.get("/landen/PSE").text)
    assert "Palestijnse gebieden (PSE) is geen onafhankelijke staat" in page and "Palestine" not in page
    english = html.unescape(client.get("/landen/PSE?lang=en").text)
    assert "Palestinian Territories (PSE) is not an independent state" in english


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "dutch", "english"),
    [
        ("GET", "/api/v1/forecasts?target=xyz", None, 400, "Onbekende uitkomst 'xyz'; gebruik een van: ",
         "unknown target 'xyz'; use one of: "),
        ("GET", "/api/v1/countries?pageSize=10&page_size=20", None, 400,
         "pageSize=10 en page_size=20 verschillen", "pageSize=10 and page_size=20 disagree"),
        ("PATCH", "/api/v1/actions/1", {}, 400, "Geef een status (een stap in de werkwijze)",
         "give a status (a step in the workflow)"),
        ("GET", "/api/v1/watchlist?lang=de", None, 400, "Onbekende interfacetaal 'de' in lang",
         "unknown interface language 'de' in lang"),
    ],
)  # fmt: skip
def test_the_api_s_own_refusals_are_in_the_asked_language(
    client: TestClient, method: str, path: str, body: Any, status: int, dutch: str, english: str
) -> None:
    asked = client.request(method, path, json=body, headers=DUTCH)
    assert _detail(asked, status, "nl").startswith(dutch)
    assert _detail(client.request(method, path, json=body), status, "en").startswith(english)


def test_the_api_document_says_which_language_a_call_that_asks_none_gets(client: TestClient) -> None:
    """The walk: a call without credentials got its 401 in English with no word on why, while names and
    labels came in Dutch. Errors stay English unless asked (scripts compare them; the tests above), and
    the API document now says so, with how to ask for Dutch."""
    description = client.get("/api/v1/openapi.json").json()["info"]["description"]
    assert "else English by design, 401 and 403 included" in description
    assert "send `Accept-Language: nl` for Dutch errors" in description
    assert "the server's (`GBVS_LANGUAGE`, Dutch by default" in description
    readme = Path(__file__).resolve().parents[2].joinpath("README.md").read_text(encoding="utf-8")
    assert "Send `Accept-Language: nl` (a\nbrowser sends its own) or `?lang=nl` for Dutch errors" in readme
