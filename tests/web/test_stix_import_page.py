"""``/signalen/stix-bundel``: a STIX 2.1 bundle file imported from a page, as ``gbvs signals import-stix``
and ``POST /api/v1/signals/stix-bundles`` import it (the same service, authorization and audit). The form
is ``multipart/form-data`` with its CSRF token in a hidden field; the result page links the new signal and
says what the command line says, with the objects' ids, in Dutch (English with ``?lang=en``). A bad file
shows the command line's error on the form (400) and nothing is stored; a viewer, a form without its
token and a file over the limit are refused. Runs on SQLite and PostgreSQL (``remote_site``)."""

from __future__ import annotations

import html
import importlib.util
import json
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from gbvs.db.models import AuditLog, Outcome
from gbvs.db.schemas import OrganisationCreate, UserCreate
from gbvs.db.services import organisations, users
from gbvs.db.services.principals import load_principal
from gbvs.db.session import session_scope
from gbvs.security import Role
from gbvs.signals import stix

from .conftest import stixbuilder

PAGE = "/signalen/stix-bundel"


def _token(client: TestClient, headers: dict[str, str]) -> str:
    form = client.get(PAGE, headers=headers)
    assert form.status_code == 200, form.text
    assert 'enctype="multipart/form-data"' in form.text
    found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', form.text)
    assert found, "the form carries a CSRF token"
    return found.group(1)


def _upload(
    client: TestClient,
    headers: dict[str, str],
    content: bytes,
    *,
    query: str = "",
    token: str | None = None,
    name: str = "nachtvlinder.json",
    **fields: str,
) -> Any:
    data = fields if token is None else fields | {"csrf_token": token}
    files = {"bundle": (name, content, "application/json")}
    return client.post(f"{PAGE}{query}", data=data, files=files, headers=headers)


def test_a_bundle_is_imported_from_the_page_with_what_became_of_its_objects(stix_importers: Any) -> None:
    remote_site, client, auth = stix_importers
    token = _token(client, auth["bz"])
    bundle = stixbuilder.campaign_bundle("T9999")
    answer = _upload(client, auth["bz"], json.dumps(bundle).encode(), token=token)
    assert answer.status_code == 200, answer.text
    page = answer.text
    assert "STIX-bundel geïmporteerd" in page, "Dutch by default"
    (signal_id,) = re.findall(r'href="/signalen/(\d+)"', page)
    assert f"signaal {signal_id}: Operatie Nachtvlinder</a> (TLP:AMBER, STIX-objecten: 2)" in page, page
    assert "weggelaten objecten die GBVS zelf maakt: 1" in page
    assert f"<code>{stix.GBVS_IDENTITY['id']}</code>" in page, "the left-out object is named by its id"
    assert "dat de ATT&amp;CK-catalogus van GBVS niet kent" in page, "the unlinked technique is warned of"
    assert "nachtvlinder.json" in page, "the bundle is named by its file, as on the command line"
    with session_scope(remote_site.factory()) as session:
        entry = session.scalars(
            select(AuditLog).where(AuditLog.action == "signals.create").order_by(AuditLog.id.desc())
        ).first()
        assert entry is not None and (entry.actor, entry.outcome) == ("bz", Outcome.success)

    more = stixbuilder.bundle(*bundle["objects"][:2], stixbuilder.campaign("Tweede golf"))
    english = _upload(client, auth["bz"], json.dumps(more).encode(), query="?lang=en", token=token)
    assert english.status_code == 200, english.text
    assert "STIX bundle imported" in english.text
    assert "objects left out as imported already (the same version): 2" in english.text
    for obj in more["objects"][:2]:
        assert f"<code>{obj['id']}</code>" in english.text
    assert stixbuilder.stored_signals(remote_site) == 2


@pytest.mark.parametrize(
    ("content", "dutch", "english"),
    [
        (b"{niet json", "nachtvlinder.json: geen JSON (", "nachtvlinder.json: not JSON ("),
        (
            json.dumps({"type": "report"}).encode(),
            "nachtvlinder.json: verwacht werd een STIX-bundel (type ‘bundle’), gevonden: 'report'",
            "expected a STIX bundle (type 'bundle'), found 'report'",
        ),
        (
            json.dumps(stixbuilder.bundle(stixbuilder.campaign() | {"created": "gisteren"})).encode(),
            "nachtvlinder.json: geen geldige STIX 2.1",
            "nachtvlinder.json: not valid STIX 2.1",
        ),
    ],
    ids=["not-json", "not-a-bundle", "invalid-stix"],
)
def test_a_bad_file_shows_the_command_lines_error_on_the_form_and_nothing_is_stored(
    stix_importers: Any, content: bytes, dutch: str, english: str
) -> None:
    remote_site, client, auth = stix_importers
    token = _token(client, auth["bz"])
    answer = _upload(client, auth["bz"], content, token=token, tlp="green")
    assert answer.status_code == 400, answer.text
    assert "Er is niets geïmporteerd." in answer.text and 'id="e-bundle"' in answer.text
    assert dutch in html.unescape(answer.text), answer.text
    assert 'value="green" selected' in answer.text, "what was chosen is kept"
    in_english = _upload(client, auth["bz"], content, query="?lang=en", token=token)
    assert in_english.status_code == 400
    assert english in html.unescape(in_english.text), in_english.text
    assert stixbuilder.stored_signals(remote_site) == 0


def test_no_file_chosen_and_a_file_over_the_limit_are_refused_on_the_form(
    stix_importers: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    remote_site, client, auth = stix_importers
    token = _token(client, auth["bz"])
    empty = _upload(client, auth["bz"], b"", token=token, name="")
    assert empty.status_code == 400 and "Kies het bestand van een STIX 2.1-bundel" in empty.text, empty.text
    text = json.dumps(stixbuilder.bundle(stixbuilder.campaign())).encode()
    monkeypatch.setattr(stix, "MAX_BUNDLE_BYTES", len(text) - 1)
    monkeypatch.setattr("gbvs.web.pages.stiximport.FORM_EXTRA", 0)
    too_large = _upload(client, auth["bz"], text, token=token)
    assert too_large.status_code == 413, too_large.text
    assert f"bundels tot {len(text) - 1:,} bytes worden aangenomen" in too_large.text
    assert stixbuilder.stored_signals(remote_site) == 0


def test_a_viewer_may_not_import_and_nothing_is_stored(stix_importers: Any) -> None:
    remote_site, client, auth = stix_importers
    assert client.get(PAGE, headers=auth["kijker"]).status_code == 403
    token = _token(client, auth["bz"])
    refused = _upload(
        client, auth["kijker"], json.dumps(stixbuilder.bundle(stixbuilder.campaign())).encode(), token=token
    )
    assert refused.status_code == 403
    assert 'href="/signalen/stix-bundel"' not in client.get("/signalen", headers=auth["kijker"]).text
    assert 'href="/signalen/stix-bundel"' in client.get("/signalen", headers=auth["bz"]).text
    assert stixbuilder.stored_signals(remote_site) == 0


def test_a_form_without_its_csrf_token_is_refused_and_nothing_is_stored(stix_importers: Any) -> None:
    remote_site, client, auth = stix_importers
    content = json.dumps(stixbuilder.bundle(stixbuilder.campaign())).encode()
    missing = _upload(client, auth["bz"], content)
    assert missing.status_code == 403 and "csrf_token" in missing.text
    wrong = _upload(client, auth["bz"], content, token="0" * 64)
    assert wrong.status_code == 403
    assert stixbuilder.stored_signals(remote_site) == 0


def _english_on(page: str) -> list[str]:
    """The English pieces of a Dutch page, by the check of ``test_dutch_pages.py``."""
    path = Path(__file__).with_name("test_dutch_pages.py")
    spec = importlib.util.spec_from_file_location("stix_page_dutch_check", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    found: list[str] = module.english_on(page)
    return found


def test_the_result_page_and_a_refused_form_show_no_english_in_dutch(stix_importers: Any) -> None:
    """The pages a Dutch reader sees only after sending the form, which no link reaches."""
    _, client, auth = stix_importers
    token = _token(client, auth["bz"])
    bundle = stixbuilder.campaign_bundle("T9999")
    imported = _upload(client, auth["bz"], json.dumps(bundle).encode(), token=token)
    again = _upload(
        client,
        auth["bz"],
        json.dumps(stixbuilder.bundle(*bundle["objects"], stixbuilder.campaign("Twee"))).encode(),
        token=token,
    )
    refused = _upload(client, auth["bz"], b"{niet json", token=token)
    for page in (imported, again, refused):
        assert page.status_code in (200, 400), page.text
        assert _english_on(page.text) == [], page.text


def _imported(client: TestClient, headers: dict[str, str], bundle: dict[str, Any]) -> str:
    """Import ``bundle`` as the page does and give where its result is (the redirect's Location)."""
    sent = client.post(
        PAGE,
        data={"csrf_token": _token(client, headers)},
        files={"bundle": ("nachtvlinder.json", json.dumps(bundle).encode(), "application/json")},
        headers=headers,
        follow_redirects=False,
    )
    assert sent.status_code == 303, sent.text
    return str(sent.headers["location"])


def _creations(remote_site: Any) -> int:
    with session_scope(remote_site.factory()) as session:
        count = select(func.count()).select_from(AuditLog).where(AuditLog.action == "signals.create")
        return int(session.scalar(count) or 0)


def test_the_result_page_is_a_redirect_that_a_reload_shows_again_and_imports_nothing(
    stix_importers: Any,
) -> None:
    """Post/Redirect/Get: a reload of the result re-sent the form (and the second import was refused)."""
    remote_site, client, auth = stix_importers
    bundle = stixbuilder.campaign_bundle("T9999")
    location = _imported(client, auth["bz"], bundle)
    signal_id = stixbuilder.stored_signals(remote_site)
    assert location == f"{PAGE}/{signal_id}"
    pages = [client.get(location, headers=auth["bz"]) for _ in range(2)]
    for page in pages:
        assert page.status_code == 200, page.text
        assert f"signaal {signal_id}: Operatie Nachtvlinder</a> (TLP:AMBER, STIX-objecten: 2)" in page.text
        assert "weggelaten objecten die GBVS zelf maakt: 1" in page.text
        assert f"<code>{stix.GBVS_IDENTITY['id']}</code>" in page.text
        assert "dat de ATT&amp;CK-catalogus van GBVS niet kent" in page.text, "the warning is kept too"
        assert "nachtvlinder.json" in page.text
    assert pages[0].text == pages[1].text
    assert stixbuilder.stored_signals(remote_site) == 1 and _creations(remote_site) == 1, (
        "a reload imports nothing"
    )
    english = client.get(f"{location}?lang=en", headers=auth["bz"])
    assert "objects GBVS makes itself left out: 1" in english.text, english.text

    again = _imported(
        client, auth["bz"], stixbuilder.bundle(*bundle["objects"][:2], stixbuilder.campaign("Tweede golf"))
    )
    shown = client.get(again, headers=auth["bz"]).text
    assert "objects left out as imported already (the same version): 2" in shown, shown
    for obj in bundle["objects"][:2]:
        assert f"<code>{obj['id']}</code>" in shown
    assert _english_on(client.get(f"{again}?lang=nl", headers=auth["bz"]).text) == []


def test_only_the_importer_may_open_an_imports_result(stix_importers: Any) -> None:
    """Another organisation's analyst gets "not found", as for the signal; so does a colleague who may
    read the signal: what the import said was worked out against the importer's need-to-know."""
    remote_site, client, auth = stix_importers
    with session_scope(remote_site.factory()) as session:
        ada = load_principal(session, "ada")
        organisations.create_organisation(
            session, ada, OrganisationCreate(code="DEF", name_nl="Defensie", name_en="Defence")
        )
        for name, code in (("def", "DEF"), ("collega", "BZ")):
            users.create_user(
                session,
                ada,
                UserCreate(username=name, display_name=name, organisation_code=code, role=Role.analyst),
            )
    other, colleague = ({"Authorization": f"Bearer {remote_site.token(name)}"} for name in ("def", "collega"))
    location = _imported(client, auth["bz"], stixbuilder.bundle(stixbuilder.campaign()))
    signal_id = location.rsplit("/", 1)[1]
    for reader in (other, colleague):
        refused = client.get(location, headers=reader)
        assert refused.status_code == 404, refused.text
        assert "Operatie Nachtvlinder" not in refused.text
    assert client.get(f"/signalen/{signal_id}", headers=other).status_code == 404
    assert client.get(f"/signalen/{signal_id}", headers=colleague).status_code == 200
    assert client.get(location, headers=auth["bz"]).status_code == 200
    assert client.get(f"{PAGE}/{int(signal_id) + 1}", headers=auth["bz"]).status_code == 404
    assert client.get(f"{PAGE}/0", headers=auth["bz"]).status_code == 400
