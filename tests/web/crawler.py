"""Crawling the test site: every internal link a page offers, from the start page, in one language
(used by ``test_links`` for dead links, by ``test_dutch_pages`` for English on Dutch pages and by
``test_headings``).

The site keeps the reader's language in a cookie that a ``?lang=`` link sets, so one crawl keeps to one
language: it sets it first and follows no link that switches it. (A crawl of both languages at once read
most pages in English after the first ``?lang=en``, so "Dutch pages" were checked in English.)"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

LANGUAGES = ("nl", "en")
LIMIT = 3000
"""Links fetched at most in one language: the test site offers about 265 (175 pages and their downloads,
API links and assets), fetched in about 10 s."""
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


@dataclass
class Crawl:
    """What a crawl saw: the status of every link, the first page offering each, the HTML of each page."""

    status: dict[str, int] = field(default_factory=dict)
    found_on: dict[str, str] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)

    def failed(self) -> dict[str, tuple[int, str | None]]:
        """Links that answered 4xx or 5xx, with the page that offers each."""
        return {p: (code, self.found_on.get(p)) for p, code in self.status.items() if code >= 400}

    def report(self) -> str:
        """The failed links, one per line, for an assertion message."""
        return "\n".join(f"{p} -> {c} (on {o})" for p, (c, o) in sorted(self.failed().items()))


def crawl(client: Any, lang: str, limit: int = LIMIT) -> Crawl:
    """Follow every internal link from the start page in ``lang``, leaving out links that switch to
    another language. A link to a path not yet fetched goes before the
    variants (other query strings) of paths already fetched, so the limit cuts the sort and filter
    variants, not whole pages."""
    seen = Crawl()
    status, found_on = seen.status, seen.found_on
    paths: set[str] = set()
    new_paths: deque[str] = deque([f"/?lang={lang}"])
    other_languages = tuple(f"lang={other}" for other in LANGUAGES if other != lang)
    variants: deque[str] = deque()
    while (new_paths or variants) and len(status) < limit:
        link = new_paths.popleft() if new_paths else variants.popleft()
        if link in status or link.startswith(NOT_FOLLOWED) or any(o in link for o in other_languages):
            continue
        response = client.get(link)
        status[link] = response.status_code
        paths.add(urlsplit(link).path)
        is_page = response.headers.get("content-type", "").startswith("text/html")
        if response.status_code != 200 or not is_page:
            continue
        seen.pages[link] = response.text
        for found in internal_links(f"http://testserver{link}", response.text):
            found_on.setdefault(found, link)
            if found not in status:
                (variants if urlsplit(found).path in paths else new_paths).append(found)
    return seen
