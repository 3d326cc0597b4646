"""Every link a page offers leads somewhere: the site is crawled from its start pages in both languages
and every internal ``href`` (pages, downloads, API links, assets) must answer without a client or server
error. A link to a resource that does not exist (a wrong path, a singular where the API has a plural) is
a dead end for a user on a network without a search engine to find the right one; a link to a form the
user's role may not use (a viewer offered "open early-action case") is a 403 they cannot do anything about."""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

from fastapi.testclient import TestClient

from gbvs.db.schemas import UserCreate
from gbvs.db.services import users
from gbvs.db.services.principals import load_principal
from gbvs.db.session import session_scope
from gbvs.security.permissions import Role

START = ("/", "/?lang=en")
LIMIT = 3000
"""Links fetched at most: the test site offers about 800 (82 paths with their sort, filter and language
variants), fetched in about 11 s."""
NOT_FOLLOWED = ("/afmelden",)
"""Links that are actions, not pages."""


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = {"a": "href", "link": "href", "img": "src", "script": "src"}.get(tag)
        value = dict(attrs).get(wanted) if wanted else None
        if value:
            self.found.append(value)


def internal_links(base: str, html: str) -> list[str]:
    """The page's links to this site, absolute paths with their query, without fragments."""
    parser = _Links()
    parser.feed(html)
    links = []
    for raw in parser.found:
        url = urldefrag(urljoin(base, raw)).url
        parts = urlsplit(url)
        if parts.scheme in ("", "http") and parts.netloc in ("", "testserver") and parts.path.startswith("/"):
            links.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return links


def crawl(client: Any, limit: int = LIMIT) -> tuple[dict[str, int], dict[str, str]]:
    """Status per link and, per link, the first page that offers it. A link to a path not yet fetched
    goes before the variants (other query strings) of paths already fetched, so the limit cuts the
    sort and filter variants, not whole pages."""
    status: dict[str, int] = {}
    found_on: dict[str, str] = {}
    paths: set[str] = set()
    new_paths: deque[str] = deque(START)
    variants: deque[str] = deque()
    while (new_paths or variants) and len(status) < limit:
        link = new_paths.popleft() if new_paths else variants.popleft()
        if link in status or link.startswith(NOT_FOLLOWED):
            continue
        response = client.get(link)
        status[link] = response.status_code
        paths.add(urlsplit(link).path)
        is_page = response.headers.get("content-type", "").startswith("text/html")
        if response.status_code != 200 or not is_page:
            continue
        for found in internal_links(f"http://testserver{link}", response.text):
            found_on.setdefault(found, link)
            if found not in status:
                (variants if urlsplit(found).path in paths else new_paths).append(found)
    return status, found_on


def test_no_link_on_the_site_leads_to_an_error(client: Any) -> None:
    status, found_on = crawl(client)
    broken = {path: (code, found_on.get(path)) for path, code in status.items() if code >= 400}
    reached = len(status)
    assert 500 < reached < LIMIT, f"fetched {reached} links: is the site up, or has it outgrown LIMIT?"
    assert not broken, "\n".join(f"{p} -> {c} (on {o})" for p, (c, o) in sorted(broken.items()))


def test_a_logged_in_viewer_is_offered_no_link_that_refuses_them(remote_site: Any) -> None:
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
        status, found_on = crawl(client)
    refused = {path: (code, found_on.get(path)) for path, code in status.items() if code >= 400}
    assert len(status) > 500, f"the crawl fetched only {len(status)} links: did the login work?"
    assert not refused, "\n".join(f"{p} -> {c} (on {o})" for p, (c, o) in sorted(refused.items()))


def test_whoever_may_open_a_case_is_offered_the_link(client: Any) -> None:
    """The other side of the viewer's test: the local user (every permission) gets the early-action links."""
    for path, source in (("/", "alert"), ("/landen/SYR", "country"), ("/ontheemding", "displacement")):
        assert f'href="/vroege-actie/nieuw?bron={source}&amp;ref=' in client.get(path).text, path


def test_the_check_finds_a_dead_link() -> None:
    html = '<a href="/api/v1/risk-ranking?format=csv#x">CSV</a> <a href="https://example.org/">out</a>'
    assert internal_links("http://testserver/aandachtslijst", html) == ["/api/v1/risk-ranking?format=csv"]
