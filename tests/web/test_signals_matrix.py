"""The authorization matrix of issue 10: role x organisation x marking x distribution over every
signal route of the API, the pages, the CLI and the exports (list, show, search, count, statistics,
export), on SQLite and PostgreSQL. No route shows a signal or case the pure rule
(:func:`gbvs.signals.access.may_read`) keeps from the reader; a hidden one answers 404 (exit 5) and
is absent from every total and statistic."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

import signal_matrix as matrix
from gbvs.db.services.principals import load_principal
from gbvs.db.session import session_scope
from gbvs.db.signal_models import Assessment
from gbvs.security import Permission, Principal
from gbvs.security.authz import can
from gbvs.signals.access import Audience

STIX = "application/stix+json;version=2.1"


@dataclass
class World:
    """The seeded site: readers with their tokens, signal and case audiences, a client."""

    site: Any
    readers: dict[str, Principal]
    tokens: dict[str, str]
    signals: dict[int, Audience]
    cases: dict[int, Audience]
    client: TestClient

    def get(self, reader: str, path: str, **headers: str) -> Any:
        return self.client.get(path, headers={"Authorization": f"Bearer {self.tokens[reader]}", **headers})


@pytest.fixture
def world(remote_site: Any) -> Iterator[World]:
    with session_scope(remote_site.factory()) as session:
        readers = matrix.build_world(session, load_principal(session, "ada"))
        signals = matrix.seed_signals(session, readers)
        cases = matrix.seed_cases(session, readers)
    tokens = {name: remote_site.token(name) for name in readers}
    with TestClient(remote_site.app(), base_url="https://testserver") as client:
        yield World(remote_site, readers, tokens, signals, cases, client)


def _ids(pattern: str, text: str) -> set[int]:
    return {int(found) for found in re.findall(pattern, text)}


def _reports(bundle: dict[str, Any]) -> set[str]:
    return {obj["name"] for obj in bundle["objects"] if obj["type"] == "report"}


def _titles(world: World, ids: set[int]) -> set[str]:
    return {f"signal {n} " for n in ids}


def test_the_api_and_pages_show_only_what_need_to_know_admits(world: World) -> None:
    everything = set(world.signals)
    titles = {sid: n for n, sid in enumerate(sorted(world.signals))}
    for name, principal in world.readers.items():
        seen = matrix.expected(principal, world.signals)
        hidden = everything - seen
        listed = world.get(name, "/api/v1/signals?pageSize=500").json()
        assert {item["id"] for item in listed["data"]} == seen, name
        assert listed["total"] == len(seen) and listed["totalIsExact"], name
        searched = world.get(name, "/api/v1/signals?q=signal&threat=3&country=NLD&pageSize=500").json()
        assert {item["id"] for item in searched["data"]} == seen, name
        for by in ("threat", "quarter", "kind", "country", "organisation"):
            counts = world.get(name, f"/api/v1/signals/statistics?by={by}").json()
            if by in ("threat", "quarter", "kind"):
                assert sum(row["count"] for row in counts) == len(seen), (name, by)
        bundle = world.get(name, "/api/v1/signals", accept=STIX)
        assert bundle.headers["content-type"].startswith("application/stix+json")
        assert len(_reports(bundle.json())) == len(seen), name
        for sid in everything:
            api = world.get(name, f"/api/v1/signals/{sid}")
            page = world.get(name, f"/signalen/{sid}")
            one = world.get(name, f"/api/v1/signals/{sid}", accept=STIX)
            expected = 200 if sid in seen else 404
            assert (api.status_code, page.status_code, one.status_code) == (expected,) * 3, (name, sid)
            if sid in hidden:
                assert api.headers["content-type"] == "application/problem+json"
                assert f"signal {titles[sid]} " not in api.text + page.text
        listing = world.get(name, "/signalen?q=signal").text
        assert _ids(r'href="/signalen/(\d+)"', listing) == seen, name
        stats_page = world.get(name, "/signalen/statistieken").text
        threat_section = stats_page.split('id="by-threat"')[1].split("</section>")[0]
        assert _ids(r'<td class="num">(\d+)</td>', threat_section) <= ({len(seen)} if seen else set()), name
        _cases_agree(world, name, principal, seen)


def _cases_agree(world: World, name: str, principal: Principal, seen: set[int]) -> None:
    allowed = matrix.expected(principal, world.cases)
    listed = world.get(name, "/api/v1/cases?pageSize=500").json()
    assert {item["id"] for item in listed["data"]} == allowed, name
    assert listed["total"] == len(allowed)
    for case_id in world.cases:
        api = world.get(name, f"/api/v1/cases/{case_id}")
        page = world.get(name, f"/zaken/{case_id}")
        bundle = world.get(name, f"/api/v1/cases/{case_id}", accept=STIX)
        history = world.get(name, f"/api/v1/cases/{case_id}/assessments")
        expected = 200 if case_id in allowed else 404
        answers = (api.status_code, page.status_code, bundle.status_code, history.status_code)
        assert answers == (expected,) * 4, (name, case_id)
        if case_id in allowed:
            members = {item["id"] for item in api.json()["signals"]}
            assert members <= seen, f"{name}: case {case_id} shows signals outside need-to-know"
            assert len(_reports(bundle.json())) == len(members)
            assert _ids(r'href="/signalen/(\d+)"', page.text) == members


def test_the_cli_shows_and_exports_only_what_need_to_know_admits(
    world: World, run_cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    settings = world.site.settings
    monkeypatch.setenv("GBVS_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("GBVS_DATABASE_URL", settings.resolved_database_url)
    everything = set(world.signals)
    for name, principal in world.readers.items():
        monkeypatch.setenv("GBVS_TOKEN", world.tokens[name])
        seen = matrix.expected(principal, world.signals)
        listed = run_cli("signals", "list", "--page-size", "500", "--format", "json")
        assert listed.exit_code == 0, listed.stderr
        assert {item["id"] for item in json.loads(listed.stdout)["items"]} == seen, name
        found = run_cli("signals", "search", "signal", "--page-size", "500", "--format", "json")
        assert json.loads(found.stdout)["total"] == len(seen), name
        counts = json.loads(run_cli("signals", "stats", "--by", "threat", "--format", "json").stdout)
        assert sum(row["count"] for row in counts) == len(seen), name
        for sid in everything:
            shown = run_cli("signals", "show", str(sid))
            assert shown.exit_code == (0 if sid in seen else 5), (name, sid, shown.stderr)
        for export_format in ("stix", "csv", "misp"):
            out = tmp_path / f"{name}.{export_format}"
            assert run_cli("signals", "export", "-o", str(out), "--format", export_format).exit_code == 0
            text = out.read_text()
            if export_format == "stix":
                assert len(_reports(json.loads(text))) == len(seen), name
            elif export_format == "csv":
                rows = csv.DictReader(line for line in io.StringIO(text) if not line.startswith("#"))
                assert len(list(rows)) == len(seen), name
            hidden_titles = {obj for obj in _hidden_titles(world, seen)}
            assert not any(title in text for title in hidden_titles), (name, export_format)
        cases = json.loads(run_cli("cases", "list", "--page-size", "500", "--format", "json").stdout)
        assert {item["id"] for item in cases["items"]} == matrix.expected(principal, world.cases), name
        for case_id in world.cases:
            shown = run_cli("cases", "show", str(case_id), "--format", "json")
            allowed = case_id in matrix.expected(principal, world.cases)
            assert shown.exit_code == (0 if allowed else 5), (name, case_id)
            if allowed:
                assert {item["id"] for item in json.loads(shown.stdout)["signals"]} <= seen


def _hidden_titles(world: World, seen: set[int]) -> set[str]:
    order = {sid: n for n, sid in enumerate(sorted(world.signals))}
    return {f"signal {order[sid]} TLP" for sid in set(world.signals) - seen}


def test_cases_and_markings_from_the_command_line(
    world: World, run_cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = world.site.settings
    monkeypatch.setenv("GBVS_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("GBVS_DATABASE_URL", settings.resolved_database_url)

    def as_user(name: str, *args: str) -> Any:
        monkeypatch.setenv("GBVS_TOKEN", world.tokens[name])
        return run_cli(*args)

    green = min(sid for sid, seen_by in world.signals.items() if seen_by.tlp.value == "green")
    made = as_user(
        "bz.analyst",
        "cases",
        "create",
        "Gezamenlijk",
        "--signal",
        str(green),
        "--tlp",
        "green",
        "--distribution",
        "all_organisations",
    )
    assert made.exit_code == 0, made.stderr
    case_id = made.stdout.split()[1].rstrip(":")
    for name, likelihood in (("bz.analyst", "very-likely"), ("aivd.analyst", "unlikely")):
        done = as_user(
            name,
            "cases",
            "assess",
            case_id,
            "--judgement",
            "oordeel",
            "--likelihood",
            likelihood,
            "--confidence",
            "moderate",
        )
        assert done.exit_code == 0, done.stderr
    viewer = as_user(
        "def.viewer",
        "cases",
        "assess",
        case_id,
        "--judgement",
        "x",
        "--likelihood",
        "likely",
        "--confidence",
        "low",
    )
    assert viewer.exit_code == 8 and "Traceback" not in viewer.stderr
    agreed = as_user(
        "bz.analyst",
        "cases",
        "agree",
        case_id,
        "--judgement",
        "samen",
        "--likelihood",
        "likely",
        "--confidence",
        "moderate",
        "--org",
        "BZ",
        "--org",
        "AIVD",
    )
    assert agreed.exit_code == 0, agreed.stderr
    shown = json.loads(as_user("def.viewer", "cases", "show", case_id, "--format", "json").stdout)
    assert {view["organisation"] for view in shown["assessments"]} == {"BZ", "AIVD"}
    assert shown["joint_position"]["agreed_by"] == ["BZ", "AIVD"]
    lower = as_user("bz.analyst", "signals", "mark", str(green), "--tlp", "clear", "--distribution", "public")
    assert lower.exit_code == 4 and "is een reden nodig" in lower.stderr, lower.stderr
    other = as_user("aivd.analyst", "signals", "mark", str(green), "--tlp", "amber")
    assert other.exit_code == 4 and "Alleen de organisatie die eigenaar is" in other.stderr, other.stderr
    raised = as_user("bz.analyst", "signals", "mark", str(green), "--tlp", "amber")
    assert raised.exit_code == 0 and "TLP:AMBER" in raised.stdout
    assert as_user("bz.analyst", "sharing-groups", "list").stdout.split() == ["coordination", "liaison"]
    assert "in geen enkele deelgroep" in as_user("nobody", "sharing-groups", "list").stdout


def _post(world: World, reader: str, path: str, body: dict[str, Any], method: str = "POST") -> Any:
    headers = {"Authorization": f"Bearer {world.tokens[reader]}"}
    return world.client.request(method, path, json=body, headers=headers)


def _assessments_of(world: World, sid: int) -> int:
    with session_scope(world.site.factory()) as session:
        return len(session.scalars(select(Assessment.id).where(Assessment.signal_id == sid)).all())


def _assessments_of_case(world: World, case_id: int) -> int:
    with session_scope(world.site.factory()) as session:
        return len(session.scalars(select(Assessment.id).where(Assessment.case_id == case_id)).all())


def _unchanged(audience: Audience) -> dict[str, Any]:
    """A marking change that keeps the marking: the world stays as seeded for the next reader."""
    return {
        "tlp": audience.tlp.value,
        "distribution": audience.distribution.value,
        "sharingGroup": audience.sharing_group,
        "recipients": sorted(audience.red_recipients),
    }


def _writer(principal: Principal) -> bool:
    return principal.organisation_code is not None and can(principal, Permission.signals_write)


def test_the_write_routes_follow_need_to_know_too(world: World) -> None:
    """Assessing a signal and changing its marking through the API, for every reader and signal: a
    hidden signal is "not found" (nothing written), a reader who may not write gets the same answer
    for seen and hidden signals (nothing to learn from it), and only the owner changes a marking."""
    assessment = {"judgement": "oordeel", "likelihood": "likely", "confidence": "moderate"}
    for name, principal in world.readers.items():
        seen = matrix.expected(principal, world.signals)
        answers: dict[bool, set[int]] = {True: set(), False: set()}
        for sid, audience in world.signals.items():
            before = _assessments_of(world, sid)
            made = _post(world, name, f"/api/v1/signals/{sid}/assessments", assessment)
            marked = _post(world, name, f"/api/v1/signals/{sid}", _unchanged(audience), method="PATCH")
            owner = audience.owner_organisation == principal.organisation_code
            if _writer(principal):
                assert made.status_code == (201 if sid in seen else 404), (name, sid, made.text)
            else:
                assert made.status_code in (400, 403), (name, sid, made.text)
                answers[sid in seen].add(made.status_code)
            if not can(principal, Permission.signals_write):
                assert marked.status_code == 403, (name, sid, marked.text)
            elif sid not in seen:
                assert marked.status_code == 404, (name, sid, marked.text)
            elif not owner:
                assert marked.status_code in (400, 403), (name, sid, marked.text)
            else:
                assert marked.status_code == 200, (name, sid, marked.text)
            if sid not in seen or not _writer(principal):
                assert _assessments_of(world, sid) == before, (name, sid)
            if marked.status_code >= 400:
                assert marked.headers["content-type"] == "application/problem+json"
        if not _writer(principal) and answers[True] and answers[False]:
            assert answers[True] == answers[False], f"{name}: refusals differ for seen and hidden signals"


def test_the_case_write_routes_follow_need_to_know_too(world: World) -> None:
    """Assessing a case and recording its joint position through the API, for every reader and case: a
    hidden case is "not found" (nothing written), a reader who may not write gets the same answer for
    seen and hidden cases, and only the owner's organisation records the joint position."""
    assessment = {"judgement": "oordeel", "likelihood": "likely", "confidence": "moderate"}
    for name, principal in world.readers.items():
        seen = matrix.expected(principal, world.cases)
        answers: dict[bool, set[int]] = {True: set(), False: set()}
        for case_id, audience in world.cases.items():
            before = _assessments_of_case(world, case_id)
            url = f"/api/v1/cases/{case_id}"
            made = _post(world, name, f"{url}/assessments", assessment)
            joint = _post(world, name, f"{url}/joint-positions", assessment | {"agreedBy": ["BZ"]})
            owner = audience.owner_organisation == principal.organisation_code
            if _writer(principal):
                assert made.status_code == (201 if case_id in seen else 404), (name, case_id, made.text)
                expected = 404 if case_id not in seen else 201 if owner else 400
                assert joint.status_code == expected, (name, case_id, joint.text)
                written = (2 if owner else 1) if case_id in seen else 0
                assert _assessments_of_case(world, case_id) == before + written, (name, case_id)
            else:
                for answer in (made, joint):
                    assert answer.status_code in (400, 403), (name, case_id, answer.text)
                    assert answer.headers["content-type"] == "application/problem+json"
                    answers[case_id in seen].add(answer.status_code)
                assert _assessments_of_case(world, case_id) == before, (name, case_id)
            if case_id not in seen:
                assert f"case {audience.tlp.label}" not in made.text + joint.text, (name, case_id)
        if not _writer(principal) and answers[True] and answers[False]:
            assert answers[True] == answers[False], f"{name}: refusals differ for seen and hidden cases"
