"""Progress report (issue #14): /api/v1/reports serves only public content, and only with a token remotely."""

from __future__ import annotations

import copy
import csv
import io
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from gbvs.config import Settings, load_settings
from gbvs.db.migrate import upgrade
from gbvs.db.schemas import OrganisationCreate, UserCreate
from gbvs.db.services import organisations, signals, tokens, users
from gbvs.db.services.principals import load_principal
from gbvs.db.session import make_engine, make_session_factory, session_scope
from gbvs.reports import build, records
from gbvs.reports.errata import TRUST_INDICATOR, errata
from gbvs.reports.sources import LoadedData, load_polls
from gbvs.security import Role
from gbvs.signals.markings import Distribution, Tlp
from gbvs.signals.model import SignalDraft, SignalKind
from gbvs.web.app import create_app

PERIOD = "2018-2019"
SECRET = "OMEGA-RESTRICTED-API-5521"
PUBLIC = "ALPHA-OPENBAAR-API-8830"


def _signal(title: str, tlp: Tlp, distribution: Distribution, day: date) -> SignalDraft:
    return SignalDraft(
        title=title,
        kind=SignalKind.disinformation,
        observed_on=None,
        reported_on=day,
        owner_organisation="BZ",
        tlp=tlp,
        distribution=distribution,
        threats=(3,),
    )


def _installation(data_dir: Path, store: Path, user: str, role: Role) -> tuple[Settings, Any, Any]:
    """Remote mode over a copy of ``store`` in ``data_dir``: admin ada, organisation BZ and ``user``
    of BZ with ``role``; the settings, engine and session factory."""
    shutil.copy(store, data_dir / "store.duckdb")
    settings = load_settings(data_dir=data_dir, allow_remote=True)
    engine = make_engine(settings)
    upgrade(engine)
    factory = make_session_factory(engine)
    with session_scope(factory) as session:
        users.bootstrap_admin(session, "ada", "Ada", None, None)
    with session_scope(factory) as session:
        ada = load_principal(session, "ada")
        organisations.create_organisation(
            session, ada, OrganisationCreate(code="BZ", name_nl="BZ", name_en="MFA")
        )
        data = UserCreate(username=user, display_name=user.title(), organisation_code="BZ", role=role)
        users.create_user(session, ada, data)
    return settings, engine, factory


@pytest.fixture(scope="module")
def remote(tmp_path_factory: pytest.TempPathFactory, ingested_store: Any) -> Iterator[tuple[TestClient, str]]:
    """Remote mode over the real store; a BZ coordinator's token; one public and one AMBER signal."""
    data_dir = tmp_path_factory.mktemp("report-api")
    settings, engine, factory = _installation(data_dir, ingested_store.path, "coord", Role.coordinator)
    with session_scope(factory) as session:
        coord = load_principal(session, "coord")
        signals.create_signal(
            session, coord, _signal(PUBLIC, Tlp.clear, Distribution.public, date(2019, 2, 1))
        )
        signals.create_signal(
            session, coord, _signal(SECRET, Tlp.amber, Distribution.organisation, date(2019, 3, 1))
        )
        secret, _ = tokens.create_token(session, coord, "report test")
        records.period(session, coord, PERIOD, create=True)  # as `gbvs report build` does
        records.seed_results_chain(session, coord)  # as `gbvs report build` does; a GET seeds nothing
    engine.dispose()
    with TestClient(create_app(settings)) as client:
        yield client, secret


def _each_indicator_names_its_sources(client: TestClient, auth: dict[str, str]) -> None:
    """The indicators file names each computed figure's source, version and vintage (its footnotes), in
    the reader's language; the file carried only the report's content hash."""
    url = f"/api/v1/reports/{PERIOD}/indicators"
    for lang, words in (("nl", ("Versie", "Peildatum")), ("en", ("Version", "Vintage"))):
        rows = list(
            csv.DictReader(io.StringIO(client.get(f"{url}?format=csv&lang={lang}", headers=auth).text))
        )
        battle = next(row for row in rows if row["key"] == "goal1_battle_deaths")
        assert "UCDP" in battle["provenance"] and all(word in battle["provenance"] for word in words), battle
        sheet = load_workbook(io.BytesIO(client.get(f"{url}?format=xlsx&lang={lang}", headers=auth).content))
        header = [cell.value for cell in sheet.worksheets[0][1]]
        assert header[-1] == "provenance" and sheet.worksheets[0].max_row == len(rows) + 1


def test_reports_need_a_token_remotely(remote: tuple[TestClient, str]) -> None:
    client, _ = remote
    assert client.get("/api/v1/reports").status_code == 401
    assert client.get(f"/api/v1/reports/{PERIOD}").status_code == 401
    assert client.get("/voortgang").status_code == 401


def test_report_api_serves_public_content_only(remote: tuple[TestClient, str]) -> None:
    client, secret = remote
    auth = {"Authorization": f"Bearer {secret}"}
    report = client.get(f"/api/v1/reports/{PERIOD}", headers=auth)
    assert report.status_code == 200, report.text
    assert PUBLIC in report.text, "the public signal is there (so the check can fail)"
    assert SECRET not in report.text
    body = report.json()
    assert body["content_hash"].startswith("sha256:") and body["frozen"] is False
    assert body["counts"]["not_delivered"] >= 1, "reported indicators without values say so"
    csv = client.get(f"/api/v1/reports/{PERIOD}/indicators?format=csv", headers=auth)
    assert csv.status_code == 200 and csv.text.startswith("key,version,goal,")
    assert "goal1_battle_deaths" in csv.text and SECRET not in csv.text
    _each_indicator_names_its_sources(client, auth)
    periods = client.get("/api/v1/reports", headers=auth).json()
    assert [p["label"] for p in periods["data"]] == [PERIOD]
    page = client.get(f"/voortgang/{PERIOD}", headers=auth)
    assert page.status_code == 200 and SECRET not in page.text
    assert client.get("/api/v1/reports/2018-19", headers=auth).status_code == 400
    assert client.get("/api/v1/reports/2020-2021", headers=auth).status_code == 404, "a GET creates no period"


@pytest.fixture()
def unseeded(tmp_path: Path, ingested_store: Any) -> Iterator[tuple[TestClient, str, Any]]:
    """Remote mode; a period created before anyone seeded the results chain; a viewer's token."""
    settings, engine, factory = _installation(tmp_path, ingested_store.path, "reader", Role.viewer)
    with session_scope(factory) as session:
        records.period(session, load_principal(session, "ada"), PERIOD, create=True)
        secret, _ = tokens.create_token(session, load_principal(session, "reader"), "reader")
    with TestClient(create_app(settings)) as client:
        yield client, secret, factory
    engine.dispose()


def test_a_get_seeds_no_results_chain(unseeded: tuple[TestClient, str, Any]) -> None:
    """Reading a period before anyone seeded the chain writes nothing: a viewer gets the report without
    indicators and the page says how to add them (the GET tried to seed as the viewer: a 403)."""
    client, secret, factory = unseeded
    auth = {"Authorization": f"Bearer {secret}"}
    indicators = client.get(f"/api/v1/reports/{PERIOD}/indicators", headers=auth)
    assert indicators.status_code == 200, indicators.text
    assert indicators.json()["data"] == []
    page = client.get(f"/voortgang/{PERIOD}", headers=auth)
    assert page.status_code == 200 and "gbvs report seed" in page.text
    with session_scope(factory) as session:
        assert records.current_indicators(session, load_principal(session, "ada")) == []


def _coordinator_with_polls(
    tmp_path: Path, ingested_store: Any, mirror: Path
) -> tuple[Any, Any, Any, LoadedData]:
    """Remote mode with coordinator ``coord``, and the mirror's polls loaded for the report's build."""
    settings, engine, factory = _installation(tmp_path, ingested_store.path, "coord", Role.coordinator)
    polls = LoadedData()
    load_polls(settings.model_copy(update={"mirror": mirror}), polls)
    return settings, engine, factory, polls


def test_a_snapshot_frozen_before_the_n_fix_says_its_poll_n_was_the_count(
    tmp_path: Path, ingested_store: Any, mirror: Path
) -> None:
    """A report frozen while the trust rows' n was the count keeps its figures and hash, and its pages
    and API say so; a snapshot of this version has no such note."""
    settings, engine, factory, polls = _coordinator_with_polls(tmp_path, ingested_store, mirror)
    with session_scope(factory) as session:
        coord = load_principal(session, "coord")
        records.seed_results_chain(session, coord)
        now = build.build(settings, session, coord, PERIOD, data=polls)
        assert errata(now.snapshot) == []
        inputs = copy.deepcopy(now.snapshot["inputs"])
        rows = inputs["rows"][TRUST_INDICATOR]
        assert rows, "the trust trend has waves in the window (so the check can fail)"
        for row in rows:  # as GBVS recorded them before the fix: n was the count, no count beside it
            row["n"] = row.pop("count")
        old = build.from_inputs(PERIOD, inputs)
        row = records.period(session, coord, PERIOD)
        records.freeze(session, coord, row, old.snapshot, old.content_hash)
        secret, _ = tokens.create_token(session, coord, "erratum test")
    engine.dispose()
    auth = {"Authorization": f"Bearer {secret}"}
    with TestClient(create_app(settings)) as client:
        page = client.get(f"/voortgang/{PERIOD}", headers=auth).text
        assert "Bekende fout in dit bevroren rapport" in page and "515 in plaats van 1.001" in page
        english = client.get(f"/voortgang/{PERIOD}?lang=en", headers=auth).text
        assert "Known fault in this frozen report" in english and "515 instead of 1,001" in english
        trust = client.get(f"/voortgang/{PERIOD}/indicatoren/{TRUST_INDICATOR}", headers=auth).text
        assert 'id="erratum-poll-n-was-count"' in trust
        other = client.get(f"/voortgang/{PERIOD}/indicatoren/goal1_battle_deaths", headers=auth).text
        assert "erratum-" not in other
        body = client.get(f"/api/v1/reports/{PERIOD}", headers=auth).json()
        assert body["frozen"] and body["content_hash"] == old.content_hash  # the snapshot as published
        assert [e["key"] for e in body["errata"]] == ["poll-n-was-count"]


def test_a_snapshot_with_accounts_and_no_alerts_before_runs_says_so_unchanged(
    tmp_path: Path, ingested_store: Any
) -> None:
    """A report frozen by the versions before the accounts and the forecast-run fixes (its records name
    accounts; the alerts indicator said "geen waarschuwingen" without recorded runs) keeps its content and
    hash; the period page, the indicator pages and the API name both faults, the accounts for the whole
    report; a snapshot of this version has neither."""
    from gbvs.reports.core.hashing import content_hash
    from gbvs.reports.core.indicators import words
    from gbvs.reports.errata import ALERTS_INDICATOR
    from gbvs.reports.service import verify_period

    settings, engine, factory = _installation(tmp_path, ingested_store.path, "coord", Role.coordinator)
    with session_scope(factory) as session:
        coord = load_principal(session, "coord")
        records.seed_results_chain(session, coord)
        now = build.build(settings, session, coord, PERIOD, data=LoadedData())
        assert errata(now.snapshot) == []
        old = copy.deepcopy(now.snapshot)
        indicators = [i for goal in old["outputs"]["goals"] for i in goal["indicators"]]
        for ind in indicators:
            ind["record"]["author"] = "coord"  # the record as recorded, account and all
            if ind["record"]["key"] == ALERTS_INDICATOR:
                assert old["inputs"]["rows"][ALERTS_INDICATOR] == [], "no forecasts file: no runs recorded"
                for point in ind["points"]:
                    point["note"] = [words("note_no_alerts")]
        frozen_hash = content_hash(old)
        records.freeze(session, coord, records.period(session, coord, PERIOD), old, frozen_hash)
        [checked] = verify_period(session, coord, PERIOD)
        assert checked.intact and not checked.identical
        secret, _ = tokens.create_token(session, coord, "erratum test")
    engine.dispose()
    auth = {"Authorization": f"Bearer {secret}"}
    both = ('id="erratum-accounts-in-report"', 'id="erratum-alerts-no-data-before-run"')
    with TestClient(create_app(settings)) as client:
        page = client.get(f"/voortgang/{PERIOD}", headers=auth).text
        assert all(marker in page for marker in both) and "het account dat ze invoerde" in page
        alerts = client.get(f"/voortgang/{PERIOD}/indicatoren/{ALERTS_INDICATOR}", headers=auth).text
        assert all(marker in alerts for marker in both)
        other = client.get(f"/voortgang/{PERIOD}/indicatoren/goal1_battle_deaths?lang=en", headers=auth).text
        assert both[0] in other and both[1] not in other and "the account that entered" in other
        body = client.get(f"/api/v1/reports/{PERIOD}", headers=auth).json()
        assert body["content_hash"] == frozen_hash
        found = [(e["key"], e["indicator"]) for e in body["errata"]]
        assert found == [("accounts-in-report", None), ("alerts-no-data-before-run", ALERTS_INDICATOR)]


def test_a_trust_wave_that_is_not_comparable_is_said_on_the_report_pages_and_in_the_api(
    tmp_path: Path, ingested_store: Any, mirror: Path
) -> None:
    """Period 1999-2000 reads the trust trend from 1995 on: its 1996 wave (ZA2828: rely on parliament)
    is flagged on the indicator's row, its page and its points, in Dutch and English, and in the API."""
    settings, engine, factory, polls = _coordinator_with_polls(tmp_path, ingested_store, mirror)
    with session_scope(factory) as session:
        coord = load_principal(session, "coord")
        records.seed_results_chain(session, coord)
        built = build.build(settings, session, coord, "1999-2000", data=polls)
        records.freeze(
            session, coord, records.period(session, coord, "1999-2000"), built.snapshot, built.content_hash
        )
        secret, _ = tokens.create_token(session, coord, "comparability test")
    engine.dispose()
    auth = {"Authorization": f"Bearer {secret}"}
    with TestClient(create_app(settings)) as client:
        period = client.get("/voortgang/1999-2000", headers=auth).text
        assert "niet vergelijkbaar met de andere metingen: 1996" in period
        page = client.get(f"/voortgang/1999-2000/indicatoren/{TRUST_INDICATOR}", headers=auth).text
        assert (
            "<strong>Vergelijkbaarheid:</strong> De meting van 1996 is niet vergelijkbaar met de andere"
            in page
        )
        assert "rekenen op het nationale parlement" in page
        english = client.get(f"/voortgang/1999-2000/indicatoren/{TRUST_INDICATOR}?lang=en", headers=auth).text
        assert (
            "The 1996 wave is not comparable with the others: ZA2828 asked whether people rely on" in english
        )
        rows = client.get("/api/v1/reports/1999-2000/indicators", headers=auth).json()["data"]
        flags = {row["key"]: row["not_comparable_waves"] for row in rows}
        assert flags[TRUST_INDICATOR] == "1996" and flags["goal1_battle_deaths"] is None
        csv = client.get("/api/v1/reports/1999-2000/indicators?format=csv", headers=auth).text
        assert "not_comparable_waves" in csv.splitlines()[0]
        body = client.get("/api/v1/reports/1999-2000", headers=auth).json()
    [trust] = [i for g in body["goals"] for i in g["indicators"] if i["record"]["key"] == TRUST_INDICATOR]
    assert [c["values"]["year"] for c in trust["caveats"]] == ["1996"]
