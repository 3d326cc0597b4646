"""Headings and language of every page a reader can reach (WCAG 2.1 1.3.1, 2.4.6 and 3.1.1): one ``h1``,
no level skipped on the way down (a screen reader's list of headings is the page's table of contents),
no empty heading, and the page's ``lang`` is the language it was asked in. Checked on the crawl of the
test site in both languages, so a new page is checked the day it is linked."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from fastapi.testclient import TestClient

LEVELS = {f"h{n}": n for n in range(1, 7)}


class Outline(HTMLParser):
    """The page's headings in order, as (level, text), and the ``lang`` of its ``html`` element."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[tuple[int, str]] = []
        self.lang: str | None = None
        self._open: int | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        elif tag in LEVELS:
            self._open, self._text = LEVELS[tag], []
        elif tag == "img" and self._open is not None:
            self._text.append(dict(attrs).get("alt") or "")

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in LEVELS and self._open is not None:
            self.headings.append((self._open, " ".join("".join(self._text).split())))
            self._open = None


def outline_faults(html: str, lang: str) -> list[str]:
    """What is wrong with a page's headings and language, in words (empty when nothing is)."""
    outline = Outline()
    outline.feed(html)
    faults = []
    if outline.lang != lang:
        faults.append(f"html lang={outline.lang!r}, asked in {lang!r}")
    levels = [level for level, _ in outline.headings]
    if levels.count(1) != 1:
        faults.append(f"{levels.count(1)} h1 elements, not one")
    if levels and levels[0] != 1:
        faults.append(f"the first heading is h{levels[0]}, not h1")
    for (before, _), (level, text) in zip(outline.headings, outline.headings[1:], strict=False):
        if level > before + 1:
            faults.append(f"h{before} is followed by h{level} ({text!r}): h{before + 1} skipped")
    faults.extend(f"an empty h{level}" for level, text in outline.headings if not text)
    return faults


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_page_has_one_h1_no_skipped_level_and_its_language(
    client: TestClient, crawler: Any, lang: str
) -> None:
    pages = crawler.crawl(client, lang).pages
    faults = {path: found for path, html in pages.items() if (found := outline_faults(html, lang))}
    assert len(pages) > 150, f"the crawl reached only {len(pages)} pages"
    assert not faults, "\n".join(f"{path}: {'; '.join(found)}" for path, found in sorted(faults.items()))


def test_the_check_finds_each_fault() -> None:
    good = '<html lang="nl"><h1>Landen</h1><h2>Mali</h2><h3>Drijvers</h3><h2>Bronnen</h2></html>'
    assert outline_faults(good, "nl") == []
    assert outline_faults(good, "en") == ["html lang='nl', asked in 'en'"]
    assert outline_faults('<html lang="nl"><h1>A</h1><h3>B</h3></html>', "nl") == [
        "h1 is followed by h3 ('B'): h2 skipped"
    ]
    assert outline_faults('<html lang="nl"><h2>A</h2></html>', "nl") == [
        "0 h1 elements, not one",
        "the first heading is h2, not h1",
    ]
    assert outline_faults('<html lang="nl"><h1>A</h1><h1>B</h1><h2> </h2></html>', "nl") == [
        "2 h1 elements, not one",
        "an empty h2",
    ]
    assert outline_faults('<html lang="nl"><h1><img alt="Kaart"></h1></html>', "nl") == []
