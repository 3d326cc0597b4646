"""Progress report (issue #14): the draft page's workflow in remote mode, on SQLite and PostgreSQL.

A contributor of another ministry adds a text and a comment through the page (CSRF token, field
errors, redirect after post); the workflow buttons show only the steps the reader may take and the
service refuses the others; ``ROUTES`` lists every /voortgang page route with what it needs.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select
from starlette.exceptions import StarletteDeprecationWarning

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

from datetime import date

from gbvs.db.models import AuditLog
from gbvs.db.report_models import (
    DraftStatus,
    PublicationRelease,
    ReportComment,
    ReportContribution,
    ReportDraft,
    ReportedValue,
    ReportSnapshot,
)
from gbvs.db.schemas import OrganisationCreate, UserCreate
from gbvs.db.services import organisations, users
from gbvs.db.services.principals import load_principal
from gbvs.db.session import session_scope
from gbvs.reports import records, workflow
from gbvs.security import Role
from gbvs.web.app import all_routes
from gbvs.web.pages.report_forms import MAX_TEXT

DRAFT = "/voortgang/concepten/1"
ROUTES = {  # (method, path template) -> the permission the route itself needs
    ("GET", "/voortgang"): "read",
    ("GET", "/voortgang/{period}"): "read",
    ("GET", "/voortgang/{period}/indicatoren/{key}"): "read",
    ("GET", "/voortgang/concepten/{draft_id}"): "read",
    ("POST", "/voortgang/concepten/{draft_id}/bijdragen"): "write",
    ("POST", "/voortgang/concepten/{draft_id}/opmerkingen"): "write",
    ("POST", "/voortgang/concepten/{draft_id}/status"): "write",  # approving: the service asks approve
    ("POST", "/voortgang/{period}/vervangen"): "approve",
    ("GET", "/voortgang/{period}/openbaarheidstoets"): "approve",
    ("POST", "/voortgang/{period}/openbaarheidstoets/vrijgeven"): "approve",
    ("POST", "/voortgang/{period}/indicatoren/{key}/correcties"): "write",  # and the indicator's ministry
}


@pytest.fixture
def site(remote_site: Any) -> Iterator[tuple[Any, TestClient, dict[str, str]]]:
    """Organisations BZ and DEF; mina (analyst, DEF), coco (coordinator, BZ), vic (viewer, BZ); draft 1."""
    with session_scope(remote_site.factory()) as session:
        ada = load_principal(session, "ada")
        for code in ("BZ", "DEF"):
            organisations.create_organisation(
                session, ada, OrganisationCreate(code=code, name_nl=code, name_en=code)
            )
        for name, org, role in (
            ("mina", "DEF", Role.analyst),
            ("coco", "BZ", Role.coordinator),
            ("vic", "BZ", Role.viewer),
            ("dora", "DEF", Role.viewer),  # mina's colleague: reads DEF's AMBER texts, not her RED ones
        ):
            data = UserCreate(username=name, display_name=name.title(), organisation_code=org, role=role)
            users.create_user(session, ada, data)
    with session_scope(remote_site.factory()) as session:
        coco = load_principal(session, "coco")
        workflow.create_draft(session, coco, records.period(session, coco, "2018-2019", create=True))
    tokens = {name: remote_site.token(name) for name in ("mina", "coco", "vic", "dora")}
    with TestClient(remote_site.app(), base_url="https://testserver") as client:
        yield remote_site, client, tokens


def _get(client: TestClient, token: str, path: str = DRAFT) -> Any:
    return client.get(path, headers={"Authorization": f"Bearer {token}"})


def _post(client: TestClient, token: str, path: str, data: dict[str, str], csrf: str | None = None) -> Any:
    if csrf is None:
        found = re.search(r'name="csrf_token" value="([^"]+)"', _get(client, token).text)
        csrf = found.group(1) if found else ""
    return client.post(
        path,
        data={**data, "csrf_token": csrf},
        headers={"Authorization": f"Bearer {token}"},
        follow_redirects=False,
    )


def _count(site: Any, model: Any) -> int:
    with session_scope(site.factory()) as session:
        return len(list(session.scalars(select(model))))


def test_a_contributor_adds_a_text_and_a_comment_and_sees_them_with_her_name(site: Any) -> None:
    _remote, client, tokens = site
    page = _get(client, tokens["mina"]).text
    assert f'action="{DRAFT}/bijdragen"' in page and f'action="{DRAFT}/opmerkingen"' in page
    text = {"goal": "3", "text": "DEF steunde 12 missies.\r\nTweede regel.", "tlp": "green"}
    saved = _post(client, tokens["mina"], f"{DRAFT}/bijdragen", text)
    assert saved.status_code == 303 and saved.headers["location"] == f"{DRAFT}#bijdragen"
    again = _post(client, tokens["mina"], f"{DRAFT}/bijdragen", text | {"text": "Herziene tekst"})
    assert again.status_code == 303
    said = _post(client, tokens["mina"], f"{DRAFT}/opmerkingen", {"goal": "3", "text": "Cijfer nagaan"})
    assert said.status_code == 303 and said.headers["location"] == f"{DRAFT}#opmerkingen"
    shown = _get(client, tokens["vic"]).text
    assert "DEF steunde 12 missies.\nTweede regel." in shown and "Herziene tekst" in shown
    assert "Doel 3: DEF v1" in shown and "Doel 3: DEF v2" in shown and "mina, " in shown
    assert "TLP:GREEN" in shown and "Cijfer nagaan</span> (mina, DEF," in shown
    for tlp in ("amber", "red"):
        quoted = {"text": f"Citaat, {tlp}", "tlp": tlp}
        assert _post(client, tokens["mina"], f"{DRAFT}/opmerkingen", quoted).status_code == 303
    seen = {name: _get(client, tokens[name]).text for name in ("mina", "dora", "vic")}
    assert "Citaat, red" in seen["mina"] and "Citaat, amber" in seen["mina"]
    assert "Citaat, amber" in seen["dora"] and "Citaat, red" not in seen["dora"], "RED: its author only"
    assert "Citaat, amber" not in seen["vic"], "AMBER stays within DEF"
    wrong = _post(client, tokens["mina"], f"{DRAFT}/opmerkingen", {"text": "x", "tlp": "geheim"})
    assert wrong.status_code == 422 and 'id="comment-tlp-error"' in wrong.text
    restricted = {"goal": "4", "text": "Alleen voor DEF", "tlp": "amber"}
    assert _post(client, tokens["mina"], f"{DRAFT}/bijdragen", restricted).status_code == 303
    with session_scope(site[0].factory()) as session:
        text_id = session.scalars(
            select(ReportContribution.id).where(ReportContribution.tlp == "amber")
        ).one()
    answer = {"on_text": str(text_id), "text": "Antwoord aan DEF", "tlp": ""}
    assert _post(client, tokens["coco"], f"{DRAFT}/opmerkingen", answer).status_code == 303
    assert "Antwoord aan DEF" in _get(client, tokens["dora"]).text, "the text's ministry reads the answer"
    assert "Antwoord aan DEF" not in _get(client, tokens["vic"]).text, "the coordinator's own BZ does not"
    assert "bij de tekst van DEF v1" in _get(client, tokens["dora"]).text


def test_a_viewer_sees_no_forms_and_gets_403_on_every_post(site: Any) -> None:
    remote, client, tokens = site
    page = _get(client, tokens["vic"]).text
    assert '<form method="post" action="/voortgang' not in page and "Verplaatsen naar" not in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', _get(client, tokens["mina"]).text)
    assert token
    for path, data in (
        ("bijdragen", {"goal": "1", "text": "x"}),
        ("opmerkingen", {"text": "x"}),
        ("status", {"to": "review"}),
    ):
        assert _post(client, tokens["vic"], f"{DRAFT}/{path}", data, token.group(1)).status_code == 403
    assert _count(remote, ReportContribution) == _count(remote, ReportComment) == 0
    with session_scope(remote.factory()) as session:
        assert session.get(ReportDraft, 1).status.value == "draft"  # type: ignore[union-attr]


def test_a_user_of_no_ministry_is_told_why_and_stores_nothing(site: Any) -> None:
    remote, client, _tokens = site
    bob = remote.token("bob")  # an analyst without an organisation
    page = _get(client, bob).text
    assert "hoort bij geen ministerie" in page and f'action="{DRAFT}/bijdragen"' not in page
    refused = _post(client, bob, f"{DRAFT}/bijdragen", {"goal": "1", "text": "Tekst"})
    assert refused.status_code == 400 and "bob hoort bij geen organisatie" in refused.text
    assert _count(remote, ReportContribution) == 0


def test_the_longest_text_arrives_whole_and_a_longer_one_is_refused(site: Any) -> None:
    remote, client, tokens = site
    longest = "\U0001f642" * MAX_TEXT  # 12 bytes each once form-encoded: the form's worst case
    saved = _post(client, tokens["mina"], f"{DRAFT}/bijdragen", {"goal": "4", "text": longest})
    assert saved.status_code == 303
    refused = _post(client, tokens["mina"], f"{DRAFT}/opmerkingen", {"text": "x" * (MAX_TEXT + 1)})
    assert refused.status_code == 422 and "langer dan 5.000 tekens" in refused.text
    with session_scope(remote.factory()) as session:
        assert [row.text for row in session.scalars(select(ReportContribution))] == [longest]
    assert _count(remote, ReportComment) == 0


def test_a_bad_or_missing_csrf_token_is_refused(site: Any) -> None:
    remote, client, tokens = site
    for csrf in ("0" * 64, ""):
        refused = _post(client, tokens["mina"], f"{DRAFT}/bijdragen", {"goal": "1", "text": "x"}, csrf)
        assert refused.status_code == 403
        assert _post(client, tokens["mina"], f"{DRAFT}/opmerkingen", {"text": "x"}, csrf).status_code == 403
        assert _post(client, tokens["mina"], f"{DRAFT}/status", {"to": "review"}, csrf).status_code == 403
    assert _count(remote, ReportContribution) == _count(remote, ReportComment) == 0


def test_an_empty_text_gets_the_field_error_and_nothing_is_stored(site: Any) -> None:
    remote, client, tokens = site
    refused = _post(
        client, tokens["mina"], f"{DRAFT}/bijdragen", {"goal": "14", "text": "  ", "tlp": "clear"}
    )
    assert refused.status_code == 422
    assert "Schrijf de tekst; die mag niet leeg zijn." in refused.text
    assert "Kies een doel van 1 tot en met 13." in refused.text
    assert 'aria-describedby="text-error"' in refused.text and 'id="text-error"' in refused.text
    typed = _post(client, tokens["mina"], f"{DRAFT}/opmerkingen", {"goal": "2", "text": "\r\n"})
    assert typed.status_code == 422 and 'id="comment-text-error"' in typed.text
    assert '<option value="2" selected>' in typed.text  # what was chosen stays
    english = _post(client, tokens["mina"], f"{DRAFT}/bijdragen?lang=en", {"goal": "1", "text": ""})
    assert english.status_code == 422 and "Write the text; it cannot be empty." in english.text
    assert _count(remote, ReportContribution) == _count(remote, ReportComment) == 0


def test_the_move_buttons_show_allowed_steps_move_the_status_and_are_audited(site: Any) -> None:
    remote, client, tokens = site
    mina = _get(client, tokens["mina"]).text
    assert 'name="to" value="review"' in mina and 'value="approved"' not in mina
    moved = _post(client, tokens["mina"], f"{DRAFT}/status", {"to": "review", "note": "klaar"})
    assert moved.status_code == 303 and moved.headers["location"] == f"{DRAFT}#werkstroom"
    assert "(ter beoordeling)" in _get(client, tokens["vic"]).text
    overview = _get(client, tokens["vic"], "/voortgang").text  # the drafts by their status's name
    assert "</a>: ter beoordeling (" in overview and "</a>: review (" not in overview
    assert _post(client, tokens["mina"], f"{DRAFT}/status", {"to": "approved"}).status_code == 403
    coco = _get(client, tokens["coco"]).text
    assert 'name="to" value="approved"' in coco and 'name="to" value="draft"' in coco
    assert _post(client, tokens["coco"], f"{DRAFT}/status", {"to": "approved"}).status_code == 303
    unknown = _post(client, tokens["coco"], f"{DRAFT}/status", {"to": "gone", "note": "via de minister"})
    assert unknown.status_code == 400 and "status &#39;gone&#39; is unknown" in unknown.text
    assert 'name="note" maxlength="2000" size="60" value="via de minister"' in unknown.text  # kept as typed
    approved = _get(client, tokens["mina"]).text  # texts are frozen once approved: no forms
    assert f'action="{DRAFT}/bijdragen"' not in approved and "(goedgekeurd)" in approved
    with session_scope(remote.factory()) as session:
        rows = session.scalars(select(AuditLog).where(AuditLog.action == "reports.draft.move")).all()
        moves = [(row.actor, row.detail.get("to"), row.outcome.value) for row in rows]
    assert moves == [("mina", "review", "success"), ("mina", None, "denied"), ("coco", "approved", "success")]
    assert _post(client, tokens["coco"], f"{DRAFT}/status", {"to": "published"}).status_code == 303
    with session_scope(remote.factory()) as session:
        draft = session.get(ReportDraft, 1)
        assert draft is not None and draft.status.value == "published" and draft.snapshot_id is not None
    assert "Verplaatsen naar" not in _get(client, tokens["coco"]).text  # published is the last step


def test_the_overview_names_each_action_status_in_the_language(site: Any) -> None:
    remote, client, tokens = site
    with session_scope(remote.factory()) as session:
        coco = load_principal(session, "coco")
        for status in ("planned", "ongoing", "completed", "stopped"):
            entry = records.ActionEntry(f"act_{status}", 1, f"Actie {status}", "BZ", date(2018, 1, 1), status)
            records.save_action(session, coco, entry)
    dutch = _get(client, tokens["vic"], "/voortgang").text
    english = _get(client, tokens["vic"], "/voortgang?lang=en").text
    names = {
        "planned": "gepland",
        "ongoing": "in uitvoering",
        "completed": "afgerond",
        "stopped": "stopgezet",
    }
    for status, name in names.items():
        assert f"Actie {status} (BZ, {name})" in dutch and f"Actie {status}</span> (BZ, {status})" in english
    assert "(BZ, ongoing)" not in dutch


def test_the_overview_shows_an_actions_title_in_the_language_and_marks_a_dutch_only_one(site: Any) -> None:
    remote, client, tokens = site
    with session_scope(remote.factory()) as session:
        coco = load_principal(session, "coco")
        both = records.ActionEntry(
            "act_both", 1, "Vroegsignalering", "BZ", date(2018, 1, 1), title_en="Early warning"
        )
        records.save_action(session, coco, both)
        records.save_action(
            session, coco, records.ActionEntry("act_nl", 1, "Bemiddeling", "BZ", date(2018, 1, 1))
        )
    dutch = _get(client, tokens["vic"], "/voortgang").text
    english = _get(client, tokens["vic"], "/voortgang?lang=en").text
    assert "<li>Vroegsignalering (BZ, gepland)</li>" in dutch and "Early warning" not in dutch
    assert "<li>Bemiddeling (BZ, gepland)</li>" in dutch
    assert "<li>Early warning (BZ, planned)</li>" in english and "Vroegsignalering" not in english
    assert '<li><span lang="nl">Bemiddeling</span> (BZ, planned)</li>' in english


def test_every_progress_page_route_is_listed_with_its_permission(site: Any) -> None:
    _remote, client, _tokens = site
    app_routes = {
        (method, route.path)
        for route in all_routes(client.app.routes)  # type: ignore[attr-defined]
        if route.path.startswith("/voortgang")
        for method in route.methods - {"HEAD"}
    }
    assert app_routes == set(ROUTES)
    for route in all_routes(client.app.routes):  # type: ignore[attr-defined]
        if route.path.startswith("/voortgang"):
            needed = {d.call.__name__ for d in route.dependant.dependencies}
            assert (
                f"require_reports_{ROUTES[('GET' if 'GET' in route.methods else 'POST', route.path)]}"
                in needed
            )


def _csrf(client: TestClient, token: str, path: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', _get(client, token, path).text)
    assert found, path
    return found.group(1)


def _snapshots(site: Any) -> list[ReportSnapshot]:
    with session_scope(site.factory()) as session:
        return list(session.scalars(select(ReportSnapshot).order_by(ReportSnapshot.id)))


def test_a_coordinator_publishes_before_the_period_ends_only_with_a_reason(site: Any) -> None:
    """The draft of a running period offers no plain publish button but a form that says why a reason
    is needed; an empty reason is a field error, a reason publishes and is kept in the report."""
    remote, client, tokens = site
    with session_scope(remote.factory()) as session:
        coco = load_principal(session, "coco")
        running = records.period(session, coco, "2026-2027", create=True)
        draft = workflow.create_draft(session, coco, running)
        for step in (DraftStatus.review, DraftStatus.approved):
            workflow.move(session, coco, draft.id, step)
        path = f"/voortgang/concepten/{draft.id}"
    page = _get(client, tokens["coco"], path).text
    assert 'button type="submit" name="to" value="published"' not in page  # it would be refused
    assert 'name="early" value="1"' in page and "loopt tot en met 31 december 2027" in page
    assert 'aria-describedby="early-reason-help"' in page
    assert "Vervroegd publiceren" in page and "vervroegd is gepubliceerd" in page  # not "eerder": before
    assert 'name="early"' not in _get(client, tokens["mina"], path).text  # not hers to publish
    token = _csrf(client, tokens["coco"], path)
    early = {"to": "published", "early": "1"}
    empty = _post(client, tokens["coco"], f"{path}/status", early | {"reason": "  "}, token)
    assert empty.status_code == 422 and "De reden is leeg: wie vóór het einde" in empty.text
    assert 'aria-describedby="early-reason-help early-reason-error"' in empty.text
    assert 'id="early-reason-error"' in empty.text and not _snapshots(remote)
    english = _post(client, tokens["coco"], f"{path}/status?lang=en", early | {"reason": ""}, token)
    assert "publishing before the period ends needs one" in english.text
    plain = _post(client, tokens["coco"], f"{path}/status", {"to": "published"}, token)
    assert plain.status_code == 400 and not _snapshots(remote)
    done = _post(client, tokens["coco"], f"{path}/status", early | {"reason": "het kabinet valt"}, token)
    assert done.status_code == 303, done.text
    [frozen] = _snapshots(remote)
    assert frozen.inputs["freeze"]["early"]["reason"] == "het kabinet valt"
    assert "het kabinet valt" in _get(client, tokens["vic"], "/voortgang/2026-2027").text


def _approve(remote: Any, draft_id: int) -> None:
    """Coco takes the draft through review to approved, ready to publish."""
    with session_scope(remote.factory()) as session:
        coco = load_principal(session, "coco")
        for step in (DraftStatus.review, DraftStatus.approved):
            workflow.move(session, coco, draft_id, step)


def test_a_coordinator_replaces_a_published_report_with_a_reason(site: Any) -> None:
    remote, client, tokens = site
    _approve(remote, 1)
    token = _csrf(client, tokens["coco"], DRAFT)
    assert _post(client, tokens["coco"], f"{DRAFT}/status", {"to": "published"}, token).status_code == 303
    page = "/voortgang/2018-2019"
    shown = _get(client, tokens["coco"], page).text
    assert f'action="{page}/vervangen"' in shown and 'aria-describedby="supersede-reason-help"' in shown
    assert f'action="{page}/vervangen"' not in _get(client, tokens["mina"], page).text
    token = _csrf(client, tokens["coco"], page)
    assert _post(client, tokens["mina"], f"{page}/vervangen", {"reason": "x"}, token).status_code == 403
    empty = _post(client, tokens["coco"], f"{page}/vervangen", {"reason": " "}, token)
    assert empty.status_code == 422 and 'id="supersede-reason-error"' in empty.text
    assert "De reden is leeg: het nieuwe rapport noemt" in empty.text and len(_snapshots(remote)) == 1
    assert _post(client, tokens["coco"], f"{page}/vervangen", {"reason": "x"}, "0" * 64).status_code == 403
    replaced = _post(client, tokens["coco"], f"{page}/vervangen", {"reason": "telfout in doel 5"}, token)
    assert replaced.status_code == 303 and replaced.headers["location"] == page
    first, second = _snapshots(remote)
    assert second.inputs["freeze"]["supersedes"] == {
        "content_hash": first.content_hash,
        "reason": "telfout in doel 5",
    }
    assert "telfout in doel 5" in _get(client, tokens["vic"], page).text


def test_a_ministry_corrects_its_reported_value_on_the_indicator_page(site: Any) -> None:
    remote, client, tokens = site
    with session_scope(remote.factory()) as session:
        coco = load_principal(session, "coco")
        records.seed_results_chain(session, coco)
        entry = records.ValueEntry("goal5_nato_readiness", "2019", 80, date(2020, 1, 10), "jaarverslag DEF")
        first = records.add_reported_value(session, load_principal(session, "mina"), entry).id
    page = "/voortgang/2018-2019/indicatoren/goal5_nato_readiness"
    form = f'action="{page}/correcties"'
    assert form in _get(client, tokens["mina"], page).text and form in _get(client, tokens["coco"], page).text
    assert form not in _get(client, tokens["dora"], page).text  # DEF's viewer enters no values
    assert (
        form
        not in _get(client, tokens["coco"], "/voortgang/2018-2019/indicatoren/goal1_conflict_incidence").text
    )
    token = _csrf(client, tokens["mina"], page)
    typed = {
        "corrects": str(first),
        "value": "81,5",
        "measured_on": "2020-01-12",
        "evidence": "DEF-overzicht",
    }
    wrong = _post(
        client,
        tokens["mina"],
        f"{page}/correcties",
        typed | {"value": "tachtig", "measured_on": "12-01-2020"},
        token,
    )
    assert wrong.status_code == 422
    assert (
        "&#39;tachtig&#39; is geen getal" in wrong.text and "&#39;12-01-2020&#39; is geen datum" in wrong.text
    )
    assert "De reden is leeg: schrijf op waarom" in wrong.text
    assert 'aria-describedby="correction-value-error"' in wrong.text and 'value="tachtig"' in wrong.text
    assert (
        _post(client, tokens["vic"], f"{page}/correcties", typed | {"reason": "x"}, token).status_code == 403
    )
    saved = _post(client, tokens["mina"], f"{page}/correcties", typed | {"reason": "telfout"}, token)
    assert saved.status_code == 303, saved.text
    with session_scope(remote.factory()) as session:
        values = [
            (v.value, v.entered_by) for v in session.scalars(select(ReportedValue).order_by(ReportedValue.id))
        ]
        corrected = records.value_corrections(session, load_principal(session, "coco"))
    assert values == [(80, "mina"), (81.5, "mina")]
    assert list(corrected.values()) == [{"corrects": first, "reason": "telfout"}]
    stale = _post(client, tokens["mina"], f"{page}/correcties", typed | {"reason": "nog eens"}, token)
    assert stale.status_code == 422 and f"Waarde {first} is geen geldende waarde" in stale.text


def test_a_report_is_not_published_early_after_its_period_has_ended(site: Any) -> None:
    """The early form of a running period, replayed on the draft of an ended one, would print "published
    early, because ..." in a report frozen after the period's end: the service refuses it, naming the fix."""
    remote, client, tokens = site
    _approve(remote, 1)
    token = _csrf(client, tokens["coco"], DRAFT)
    early = {"to": "published", "early": "1", "reason": "het kabinet valt"}
    forged = _post(client, tokens["coco"], f"{DRAFT}/status", early, token)
    assert forged.status_code == 400, forged.text
    assert "Periode 2018-2019 is geëindigd op 2019-12-31" in forged.text and not _snapshots(remote)
    plain = _post(client, tokens["coco"], f"{DRAFT}/status", {"to": "published"}, token)
    assert plain.status_code == 303 and "early" not in _snapshots(remote)[0].inputs.get("freeze", {})


def test_a_coordinator_releases_her_ministrys_item_on_the_disclosure_check_page(site: Any) -> None:
    """Remote mode has no command line for other ministries: the openbaarheidstoets and the release are a
    page. The owner's coordinator releases with a reason; another ministry's coordinator sees the item
    and who releases it, gets no form and is refused when she forges one; nothing half-stored."""
    remote, client, tokens = site
    with session_scope(remote.factory()) as session:
        ada = load_principal(session, "ada")
        data = UserCreate(
            username="cora", display_name="Cora", organisation_code="DEF", role=Role.coordinator
        )
        users.create_user(session, ada, data)
        records.seed_results_chain(session, load_principal(session, "coco"))
        entry = records.ValueEntry(
            "goal5_nato_readiness", "2019", 80, date(2020, 1, 10), "jaarverslag DEF", tlp="amber"
        )
        value = str(records.add_reported_value(session, load_principal(session, "mina"), entry).id)
    tokens["cora"] = remote.token("cora")
    page = "/voortgang/2018-2019/openbaarheidstoets"
    assert f'href="{page}"' in _get(client, tokens["coco"], "/voortgang/2018-2019").text
    assert f'href="{page}"' not in _get(client, tokens["mina"], "/voortgang/2018-2019").text
    assert _get(client, tokens["mina"], page).status_code == 403
    other = _get(client, tokens["coco"], page).text
    indicator = '<a href="/voortgang/2018-2019/indicatoren/goal5_nato_readiness">'
    assert f"{indicator}Gereedstelling van eenheden voor NAVO-taken</a> (2019)" in other
    assert "TLP:AMBER, niet vrijgegeven door DEF" in other
    english = _get(client, tokens["coco"], page + "?lang=en").text
    assert (
        "Readiness of units for NATO tasks</a> (2019)" in english and "only a coordinator of DEF" in english
    )
    _get(client, tokens["coco"], page + "?lang=nl")  # the language chosen is kept in a cookie
    assert "alleen een coördinator van DEF geeft dit vrij" in other and 'name="kind"' not in other
    own = _get(client, tokens["cora"], page)
    assert own.status_code == 200 and 'name="kind" value="reported_value"' in own.text
    assert f'id="release-reason-reported_value-{value}"' in own.text
    token = _csrf(client, tokens["cora"], page)
    typed = {"kind": "reported_value", "id": value}
    empty = _post(client, tokens["cora"], f"{page}/vrijgeven", typed | {"reason": " "}, token)
    assert empty.status_code == 422 and "De reden is leeg: schrijf op waarom de eigenaar" in empty.text
    assert 'aria-describedby="release-reason-error"' in empty.text
    unknown = _post(
        client, tokens["cora"], f"{page}/vrijgeven", {"kind": "memo", "id": "x", "reason": "y"}, token
    )
    assert unknown.status_code == 422 and "Kies een onderdeel uit de lijst" in unknown.text
    forged = _post(
        client,
        tokens["coco"],
        f"{page}/vrijgeven",
        typed | {"reason": "mag"},
        _csrf(client, tokens["coco"], DRAFT),
    )
    assert forged.status_code == 403 and _count(remote, PublicationRelease) == 0
    done = _post(client, tokens["cora"], f"{page}/vrijgeven", typed | {"reason": "DEF stemt in"}, token)
    assert done.status_code == 303 and done.headers["location"] == page
    with session_scope(remote.factory()) as session:
        [release] = session.scalars(select(PublicationRelease))
        assert (release.kind, release.item_id, release.organisation, release.released_by, release.reason) == (
            "reported_value",
            value,
            "DEF",
            "cora",
            "DEF stemt in",
        )
    after = _get(client, tokens["cora"], page).text
    assert "Er is niets weggelaten" in after and "goal5_nato_readiness" not in after
    again = _post(client, tokens["cora"], f"{page}/vrijgeven", typed | {"reason": "nog eens"}, token)
    assert again.status_code == 400 and "al vrijgegeven door cora" in again.text  # in the page's language
    assert _count(remote, PublicationRelease) == 1
    after_en = _get(client, tokens["coco"], page + "?lang=en").text
    assert "Disclosure check 2018-2019" in after_en and "Nothing was left out" in after_en


def test_the_disclosure_check_of_an_unknown_period_is_not_found_and_creates_none(site: Any) -> None:
    """A coordinator's look at the openbaarheidstoets of a period nobody created said "nothing left out"
    (200) and created the period."""
    _, client, tokens = site
    page = _get(client, tokens["coco"], "/voortgang/2030-2031/openbaarheidstoets")
    assert page.status_code == 404 and "2030-2031" in page.text
    assert _get(client, tokens["coco"], "/voortgang/2030-2031").status_code == 404, "no period was created"


def test_a_value_corrected_after_publication_is_said_beside_the_published_figure(site: Any) -> None:
    """The published report keeps its figure (it is hashed), but its pages and the API said nothing of
    a correction recorded since: the clerk read the wrong figure as the one in force."""
    remote, client, tokens = site
    with session_scope(remote.factory()) as session:
        records.seed_results_chain(session, load_principal(session, "coco"))
        entry = records.ValueEntry("goal5_nato_readiness", "2019", 80, date(2020, 1, 10), "jaarverslag DEF")
        first = records.add_reported_value(session, load_principal(session, "mina"), entry).id
    _approve(remote, 1)
    token = _csrf(client, tokens["coco"], DRAFT)
    assert _post(client, tokens["coco"], f"{DRAFT}/status", {"to": "published"}, token).status_code == 303
    page, api = "/voortgang/2018-2019", "/api/v1/reports/2018-2019"
    indicator = f"{page}/indicatoren/goal5_nato_readiness"
    said = "Na publicatie gecorrigeerd: Gereedstelling van eenheden voor NAVO-taken, 2019."
    assert said not in _get(client, tokens["vic"], page).text
    with session_scope(remote.factory()) as session:
        correction = records.ValueEntry(
            "goal5_nato_readiness",
            "2019",
            75,
            date(2020, 2, 1),
            "DEF-overzicht",
            corrects=first,
            reason="telfout",
        )
        records.add_reported_value(session, load_principal(session, "mina"), correction)
    for path in (page, indicator):
        shown = _get(client, tokens["vic"], path).text
        assert said in shown and "Het gepubliceerde rapport toont nog de eerdere waarde" in shown, path
    assert "Corrected after publication: Readiness of units for NATO tasks, 2019." in (
        _get(client, tokens["vic"], page + "?lang=en").text
    )
    _get(client, tokens["vic"], page + "?lang=nl")
    report = _get(client, tokens["vic"], api).json()
    assert report["corrected_since"] == [
        {"indicator": "goal5_nato_readiness", "period": "2019", "value_id": first, "published": 80,
         "value": 75, "correctedOn": date.today().isoformat(), "organisation": "DEF", "reason": "telfout"}
    ]  # fmt: skip
    rows = _get(client, tokens["vic"], f"{api}/indicators?pageSize=100").json()["data"]
    assert [r["value"] for r in rows if r["key"] == "goal5_nato_readiness"] == [80], "the figure as published"


def test_the_services_refusals_read_in_the_pages_language(site: Any) -> None:
    """A refusal of the workflow on a Dutch page was English, labelled 'Reden (in het Engels)'; now it
    is said in Dutch (the API keeps the English detail): a user without a ministry, a step the draft
    cannot take, and the role refusal of a viewer's post, which takes the reader to the error page."""
    remote, client, tokens = site
    bob = remote.token("bob")
    refused = _post(client, bob, f"{DRAFT}/bijdragen", {"goal": "1", "text": "Tekst"})
    assert refused.status_code == 400 and "bob hoort bij geen organisatie" in refused.text, refused.text
    assert "Reden (in het Engels)" not in refused.text and "autofocus" in refused.text
    english = _post(client, bob, f"{DRAFT}/bijdragen?lang=en", {"goal": "1", "text": "Tekst"})
    assert "bob belongs to no organisation; contributions are made per ministry" in english.text
    back = _post(client, tokens["coco"], f"{DRAFT}/status?lang=nl", {"to": "published"})
    assert back.status_code == 400 and "Conceptrapport 1 heeft de status ‘concept’" in back.text, back.text
    viewer = _post(
        client, tokens["vic"], f"{DRAFT}/opmerkingen", {"text": "x"}, _csrf(client, tokens["mina"], DRAFT)
    )
    assert viewer.status_code == 403 and "heeft het recht ‘reports:write’ niet" in viewer.text, viewer.text
    assert "Toelichting (in het Engels)" not in viewer.text


def test_a_correction_the_rules_refuse_is_said_in_the_pages_language(site: Any) -> None:
    """The service's refusal of a correction (measured before its year began) was English on a Dutch page."""
    remote, client, tokens = site
    with session_scope(remote.factory()) as session:
        records.seed_results_chain(session, load_principal(session, "coco"))
        entry = records.ValueEntry("goal5_nato_readiness", "2019", 80, date(2020, 1, 10), "jaarverslag DEF")
        first = records.add_reported_value(session, load_principal(session, "mina"), entry).id
    page = "/voortgang/2018-2019/indicatoren/goal5_nato_readiness"
    typed = {
        "corrects": str(first),
        "value": "81",
        "measured_on": "2018-06-01",
        "evidence": "DEF-overzicht",
        "reason": "telfout",
    }
    token = _csrf(client, tokens["mina"], page)
    dutch = _post(client, tokens["mina"], f"{page}/correcties", typed, token)
    assert dutch.status_code == 400, dutch.text
    assert (
        "goal5_nato_readiness: --measured-on 2018-06-01 ligt niet tussen het begin van periode 2019 "
        "(2019-01-01) en vandaag" in dutch.text
    ), dutch.text
    assert "Reden (in het Engels)" not in dutch.text
    english = _post(client, tokens["mina"], f"{page}/correcties?lang=en", typed, token)
    assert "--measured-on 2018-06-01 is not between the start of period 2019 (2019-01-01)" in english.text
