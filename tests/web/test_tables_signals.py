"""Sorting the signals list (issue 12, "Add") happens in the need-to-know query: every order shows each
reader exactly the signals the pure rule admits, over all pages, without repeats; on SQLite and
PostgreSQL, with the search box kept."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

import signal_matrix as matrix
from gbvs.db.services.principals import load_principal
from gbvs.db.session import session_scope
from gbvs.signals.markings import Tlp

ROW = r'<tr><td class="num">(\d+)</td><th scope="row"><a href="/signalen/\d+">([^<]+)</a>'


@pytest.fixture
def world(remote_site: Any) -> Iterator[tuple[TestClient, dict[str, str], dict[str, set[int]]]]:
    """The need-to-know matrix's site: a client, each reader's token and the ids each may read."""
    with session_scope(remote_site.factory()) as session:
        readers = matrix.build_world(session, load_principal(session, "ada"))
        audiences = matrix.seed_signals(session, readers)
    tokens = {name: remote_site.token(name) for name in readers}
    seen = {name: matrix.expected(principal, audiences) for name, principal in readers.items()}
    with TestClient(remote_site.app(), base_url="https://testserver") as client:
        yield client, tokens, seen


def _all_pages(client: TestClient, token: str, query: str) -> list[tuple[int, str]]:
    rows: list[tuple[int, str]] = []
    for page in range(1, 20):
        html = client.get(f"/signalen?{query}&page={page}", headers={"Authorization": f"Bearer {token}"}).text
        found = [(int(number), title) for number, title in re.findall(ROW, html)]
        rows += found
        if 'rel="next"' not in html:
            return rows
    raise AssertionError("more pages than signals")


@pytest.mark.parametrize("sort", ["number", "-number", "title", "-title", "marking", "-organisation", "kind"])
def test_every_order_shows_each_reader_exactly_what_need_to_know_admits(world: Any, sort: str) -> None:
    client, tokens, seen = world
    for name, token in tokens.items():
        rows = _all_pages(client, token, f"sort={sort}&q=signal")
        ids = [number for number, _ in rows]
        assert len(ids) == len(set(ids)) and set(ids) == seen[name], (name, sort)
        if sort.endswith("number"):
            assert ids == sorted(ids, reverse=sort.startswith("-")), (name, sort)
        if sort == "marking":
            ranks = [Tlp(_tlp(title)).rank for _, title in rows]
            assert ranks == sorted(ranks), name


def _tlp(title: str) -> str:
    """The marking written in a matrix signal's title ("signal 7 TLP:AMBER+STRICT organisation")."""
    return title.split()[2].removeprefix("TLP:").lower()


def test_titles_sort_both_ways_and_the_header_says_so(world: Any) -> None:
    client, tokens, _ = world
    token = tokens["bz.analyst"]
    up = [title for _, title in _all_pages(client, token, "sort=title")]
    assert up == sorted(up, key=str.lower) and len(up) > 3
    down = [title for _, title in _all_pages(client, token, "sort=-title")]
    assert down == sorted(up, key=str.lower, reverse=True)
    html = client.get("/signalen?sort=-title&lang=en", headers={"Authorization": f"Bearer {token}"}).text
    assert 'aria-sort="descending"><a href="/signalen?lang=en&amp;sort=title">Title' in html
    assert 'name="sort" value="-title"' in html  # the search form keeps the order


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_bad_sort_key_is_refused_naming_the_keys(world: Any, lang: str) -> None:
    client, tokens, _ = world
    answer = client.get(
        f"/signalen?sort=secret&lang={lang}", headers={"Authorization": f"Bearer {tokens['bz.analyst']}"}
    )
    assert answer.status_code == 400
    assert "secret" in answer.text and "number, title, kind, reported, organisation, marking" in answer.text
