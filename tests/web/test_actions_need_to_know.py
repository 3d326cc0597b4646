"""Need-to-know on early-action cases (issue 13), in remote mode on SQLite and PostgreSQL.

Organisations BZ, DEF and NCTV; the sharing group ``kern`` holds BZ and NCTV. A BZ analyst opens
four cases: A from a signal case shared with ``kern`` (default audience: that group), B from Mali
for BZ only (decided by a BZ coordinator), C from the same signal case but marked for all
organisations, D from Syria for all. Whoever may not read a case gets 404 from the service, the
API and the pages and exit 5 from the CLI, never sees its title, and it does not answer an alert
in their warning-response figures; the progress report's indicator counts every organisation's cases
as one aggregate, the same for every reader (the report to parliament is public). C shows that the signal
case's own need-to-know holds whatever the case's audience says.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from gbvs.actions import service
from gbvs.actions.workflow import Audience, Choice, OriginKind, Status
from gbvs.db.models import AuditLog
from gbvs.db.schemas import OrganisationCreate, UserCreate
from gbvs.db.services import organisations, users
from gbvs.db.services.cases import create_case
from gbvs.db.services.principals import load_principal
from gbvs.db.services.signals import create_sharing_group
from gbvs.db.session import session_scope
from gbvs.errors import NotFoundError
from gbvs.forecasting.watchlist import load_rules
from gbvs.reports.process_reads import alert_responses
from gbvs.security import Principal, Role
from gbvs.signals.markings import Distribution, Tlp
from gbvs.store.forecasts import forecasts_path, open_forecasts

READERS = {"bea": "BZ", "nina": "NCTV", "dirk": "DEF"}
SEES = {  # reader -> the cases (by letter) they may read
    "bea": {"A", "B", "C", "D"},
    "nina": {"A", "C", "D"},
    "dirk": {"D"},
}


@dataclass
class Site:
    """The seeded remote site: case ids by letter, tokens, a client."""

    site: Any
    cases: dict[str, int]
    tokens: dict[str, str]
    client: TestClient

    def get(self, reader: str, path: str) -> Any:
        return self.client.get(path, headers={"Authorization": f"Bearer {self.tokens[reader]}"})

    def principal(self, name: str) -> Principal:
        with session_scope(self.site.factory()) as session:
            return load_principal(session, name)


def _people(session: Any, ada: Principal) -> None:
    for code in ("BZ", "DEF", "NCTV"):
        organisations.create_organisation(
            session, ada, OrganisationCreate(code=code, name_nl=code, name_en=code)
        )
    session.commit()
    create_sharing_group(session, ada, "kern", ["BZ", "NCTV"])
    people = [(name, Role.analyst, code) for name, code in READERS.items()] + [
        ("cas", Role.coordinator, "BZ")
    ]
    for name, role, code in people:
        users.create_user(
            session, ada, UserCreate(username=name, display_name=name, organisation_code=code, role=role)
        )
    session.commit()


def _cases(site: Any) -> dict[str, int]:
    rules = load_rules(site.settings.data_dir)
    with open_forecasts(forecasts_path(site.settings)) as forecasts, session_scope(site.factory()) as session:
        _people(session, load_principal(session, "ada"))
        bea, cas = load_principal(session, "bea"), load_principal(session, "cas")
        signal_case = create_case(
            session, bea, title="Wagner in Mali", signal_ids=[], tlp=Tlp.amber,
            distribution=Distribution.sharing_group, sharing_group="kern",
        )  # fmt: skip

        def _open(letter: str, origin: OriginKind, ref: str, **extra: Any) -> int:
            return service.open_case(
                session, bea, forecasts=forecasts, rules=rules, origin=origin, reference=ref,
                title=f"case {letter} secret", **extra,
            )  # fmt: skip

        ids = {
            "A": _open("A", OriginKind.signal_case, str(signal_case), countries=["MLI"]),
            "B": _open("B", OriginKind.country, "MLI", audience=Audience.organisation),
            "C": _open(
                "C",
                OriginKind.signal_case,
                str(signal_case),
                countries=["MLI"],
                audience=Audience.all_organisations,
            ),
            "D": _open("D", OriginKind.country, "SYR"),
        }
        service.add_option(session, bea, ids["B"], instrument="diplomacy", description="talks")
        service.move(session, bea, ids["B"], Status.options)
        service.decide(session, cas, ids["B"], choice=Choice.act, option_id=1, reasoning="talks before aid")
    return ids


@pytest.fixture
def seeded(remote_site: Any) -> Iterator[Site]:
    ids = _cases(remote_site)
    tokens = {name: remote_site.token(name) for name in READERS}
    with TestClient(remote_site.app(), base_url="https://testserver") as client:
        yield Site(remote_site, ids, tokens, client)


def test_the_default_audience_of_a_case_from_a_signal_case_is_its_sharing_group(seeded: Site) -> None:
    with session_scope(seeded.site.factory()) as session:
        view = service.get_case(session, seeded.principal("bea"), seeded.cases["A"])
    assert (view.audience, view.sharing_group, view.owner) == ("sharing_group", "kern", "BZ")


def test_the_service_reads_only_what_need_to_know_admits(seeded: Site) -> None:
    for reader, letters in SEES.items():
        principal = seeded.principal(reader)
        with session_scope(seeded.site.factory()) as session:
            listed = {c.id for c in service.list_cases(session, principal)}
        assert listed == {seeded.cases[x] for x in letters}, reader
        for letter, case_id in seeded.cases.items():
            with session_scope(seeded.site.factory()) as session:
                if letter in letters:
                    assert service.get_case(session, principal, case_id).summary.id == case_id
                    continue
                with pytest.raises(NotFoundError, match="not shared with you"):
                    service.get_case(session, principal, case_id)
                with pytest.raises(NotFoundError, match="not shared with you"):
                    service.case_history(session, principal, case_id)
                with pytest.raises(NotFoundError, match="not shared with you"):
                    service.add_option(session, principal, case_id, instrument="diplomacy", description="x")


def test_the_api_and_pages_answer_404_and_list_nothing_hidden(seeded: Site) -> None:
    for reader, letters in SEES.items():
        listed = seeded.get(reader, "/api/v1/actions?pageSize=500").json()
        assert {item["id"] for item in listed["data"]} == {seeded.cases[x] for x in letters}, reader
        board = seeded.get(reader, "/vroege-actie").text
        for letter, case_id in seeded.cases.items():
            expected = 200 if letter in letters else 404
            assert seeded.get(reader, f"/api/v1/actions/{case_id}").status_code == expected, (reader, letter)
            page = seeded.get(reader, f"/vroege-actie/{case_id}")
            assert page.status_code == expected, (reader, letter)
            assert (f"case {letter} secret" in board) == (letter in letters), (reader, letter)
            if letter not in letters:
                assert "Wagner" not in page.text and "secret" not in page.text
                write = seeded.client.post(
                    f"/api/v1/actions/{case_id}/options",
                    json={"instrument": "diplomacy", "description": "x"},
                    headers={"Authorization": f"Bearer {seeded.tokens[reader]}"},
                )
                assert write.status_code == 404 and "secret" not in write.text, (reader, letter)


def test_the_cli_shows_only_what_need_to_know_admits(
    seeded: Site, run_cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = seeded.site.settings
    monkeypatch.setenv("GBVS_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("GBVS_DATABASE_URL", settings.resolved_database_url)
    for reader, letters in SEES.items():
        monkeypatch.setenv("GBVS_TOKEN", seeded.tokens[reader])
        listed = run_cli("actions", "list", "--format", "json")
        assert listed.exit_code == 0, listed.stderr
        assert {c["id"] for c in json.loads(listed.stdout)} == {seeded.cases[x] for x in letters}, reader
        for letter, case_id in seeded.cases.items():
            for command in ("show", "history"):
                shown = run_cli("actions", command, str(case_id))
                assert shown.exit_code == (0 if letter in letters else 5), (reader, command, letter)


def test_a_hidden_case_answers_no_alert_in_the_gap_or_the_report(seeded: Site) -> None:
    for reader, letters in SEES.items():
        rows = seeded.get(reader, "/api/v1/warning-responses?pageSize=500").json()["data"]
        answered = {row["iso3"]: row["caseId"] for row in rows}
        assert answered["SYR"] == seeded.cases["D"], reader
        assert answered["MLI"] == (seeded.cases["B"] if "B" in letters else None), reader
    reports = []
    for reader in SEES:  # the report to parliament: one aggregate over every organisation's cases
        with session_scope(seeded.site.factory()) as session:
            report = alert_responses(seeded.site.settings, session, seeded.principal(reader))
        alerts = [row for row in report if row["kind"] == "alert"]
        decided = {row["gwcode"] for row in alerts if row["days_to_decision"] is not None}
        assert decided == {432}, reader  # B (BZ only, decided) counts for dirk too, as a number
        assert all(set(row) == {"kind", "run_id", "gwcode", "year", "days_to_decision"} for row in alerts)
        reports.append(report)
    assert reports[0] == reports[1] == reports[2], "the same for every reader: no count hints at a case"


def test_only_the_owning_organisation_changes_who_may_read_a_case(
    seeded: Site, run_cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    b_case, d_case = seeded.cases["B"], seeded.cases["D"]

    def patch(reader: str, case_id: int, body: dict[str, Any]) -> Any:
        headers = {"Authorization": f"Bearer {seeded.tokens[reader]}"}
        return seeded.client.patch(f"/api/v1/actions/{case_id}", json=body, headers=headers)

    assert patch("nina", b_case, {"audience": "all_organisations"}).status_code == 404  # cannot see it
    assert patch("dirk", d_case, {"audience": "organisation"}).status_code == 403  # not DEF's case
    with session_scope(seeded.site.factory()) as session:
        denied = session.scalars(
            select(AuditLog.actor).where(AuditLog.action == "actions.share", AuditLog.outcome == "denied")
        ).all()
    assert denied == ["dirk"]
    assert patch("bea", b_case, {"audience": "sharing_group"}).status_code == 400  # which group?
    shared = patch("bea", b_case, {"audience": "sharing_group", "sharingGroup": "kern"})
    assert shared.status_code == 200 and shared.json()["sharingGroup"] == "kern"
    assert seeded.get("nina", f"/api/v1/actions/{b_case}").status_code == 200
    assert seeded.get("dirk", f"/api/v1/actions/{b_case}").status_code == 404
    settings = seeded.site.settings
    monkeypatch.setenv("GBVS_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("GBVS_DATABASE_URL", settings.resolved_database_url)
    monkeypatch.setenv("GBVS_TOKEN", seeded.tokens["bea"])
    assert run_cli("actions", "share", str(b_case), "--audience", "organisation").exit_code == 0
    assert seeded.get("nina", f"/api/v1/actions/{b_case}").status_code == 404
    history = run_cli("actions", "history", str(b_case), "--format", "json").stdout
    assert [v["change"] for v in json.loads(history)].count("shared") == 2


def _pdf_text(data: bytes) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        return "".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def test_the_country_brief_lists_only_the_cases_need_to_know_admits(seeded: Site) -> None:
    """The PDF brief of Mali (issue 12) shows each reader the open cases on Mali the board shows them."""
    for reader, letters in SEES.items():
        for path in ("/api/v1/countries/MLI/brief?lang=en", "/landen/MLI/brief.pdf?lang=en"):
            answer = seeded.get(reader, path)
            assert answer.status_code == 200, (reader, path)
            text = _pdf_text(answer.content)
            for letter in "ABC":  # the cases on Mali; D is on Syria
                assert (f"case {letter} secret" in text) == (letter in letters), (reader, path, letter)
            assert "case D secret" not in text and "Wagner" not in text
