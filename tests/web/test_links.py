"""Every link a page offers leads somewhere: the site is crawled from its start pages in both languages
and every internal ``href`` (pages, downloads, API links, assets) must answer without a client or server
error. A link to a resource that does not exist (a wrong path, a singular where the API has a plural) is
a dead end for a user on a network without a search engine to find the right one; a link to a form the
user's role may not use (a viewer offered "open early-action case") is a 403 they cannot do anything about."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from gbvs.db.schemas import UserCreate
from gbvs.db.services import users
from gbvs.db.services.principals import load_principal
from gbvs.db.session import session_scope
from gbvs.security.permissions import Role


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_no_link_on_the_site_leads_to_an_error(client: Any, crawler: Any, lang: str) -> None:
    seen = crawler.crawl(client, lang)
    reached = len(seen.status)
    assert 200 < reached < crawler.LIMIT, f"fetched {reached} links: is the site up, or beyond LIMIT?"
    assert not seen.failed(), seen.report()


def test_a_logged_in_viewer_is_offered_no_link_that_refuses_them(remote_site: Any, crawler: Any) -> None:
    """A viewer reads everything and writes nothing: no page offers them a form that answers 403."""
    with session_scope(remote_site.factory()) as session:
        admin = load_principal(session, "ada")
        viewer = UserCreate(username="vic", display_name="Vic", organisation_code=None, role=Role.viewer)
        users.create_user(session, admin, viewer, remote_site.password)
    with TestClient(remote_site.app(), base_url="https://testserver") as client:
        token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', client.get("/aanmelden").text)
        assert token, "the login form has no CSRF token"
        login = {"username": "vic", "password": remote_site.password, "next": "/"}
        login["csrf_token"] = token.group(1)
        assert client.post("/aanmelden", data=login, follow_redirects=False).status_code == 303
        seen = crawler.crawl(client, "nl")
    assert len(seen.status) > 200, f"the crawl fetched only {len(seen.status)} links: did the login work?"
    assert not seen.failed(), seen.report()


def test_whoever_may_open_a_case_is_offered_the_link(client: Any) -> None:
    """The other side of the viewer's test: the local user (every permission) gets the early-action links."""
    for path, source in (("/", "alert"), ("/landen/SYR", "country"), ("/ontheemding", "displacement")):
        assert f'href="/vroege-actie/nieuw?bron={source}&amp;ref=' in client.get(path).text, path


def test_the_check_finds_a_dead_link(crawler: Any) -> None:
    html = '<a href="/api/v1/risk-ranking?format=csv#x">CSV</a> <a href="https://example.org/">out</a>'
    found = crawler.internal_links("http://testserver/aandachtslijst", html)
    assert found == ["/api/v1/risk-ranking?format=csv"]
