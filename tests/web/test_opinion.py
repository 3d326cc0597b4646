"""Public opinion on the web: poll pages and ``/api/v1/polls`` on the real mirror, the published table,
and consultations under the authorization layer (blind coding, reliability for managers while coding
runs, no text without consent in any page or API answer)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.web.test_headings import outline_faults

from gbvs.config import Settings, load_settings
from gbvs.web.app import create_app

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:sqlalchemy.*")
DATA = Path(__file__).parents[1] / "opinion" / "data"
SECRET = "GEHEIM-ZINNETJE"
PASSWORD = "een lang genoeg wachtwoord 42"


@pytest.fixture
def mirror_client(web_settings: Settings, mirror: Path) -> Iterator[TestClient]:
    settings = load_settings(
        data_dir=web_settings.data_dir, store_path=web_settings.store_path, mirror=mirror
    )
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.mark.integration
def test_poll_api_reproduces_pew_and_labels_its_basis(mirror_client: TestClient) -> None:
    polls = mirror_client.get("/api/v1/polls").json()
    assert {p["id"] for p in polls["data"]} >= {"pew-2013-12", "eb-64.2-nl", "eb-trust-parliament-nl"}
    body = mirror_client.get("/api/v1/polls/pew-2013-12/questions/q1/estimates").json()
    shares = {e["category"]: round(100 * e["share"], 1) for e in body["estimates"]}
    assert (shares["Approve"], shares["Disapprove"]) == (45.3, 48.8)
    assert body["intervalBasis"] == "design-based" and body["weights"]["designEffect"] > 1
    approve = next(e for e in body["estimates"] if e["category"] == "Approve")
    assert approve["base"] == body["base"] and approve["count"] == approve["n"] < approve["base"]
    assert 0 < approve["effectiveN"] < approve["base"]  # the weighting costs precision
    by_party = mirror_client.get("/api/v1/polls/pew-2013-12/questions/q45/estimates?by=party").json()
    assert by_party["suppressedGroups"] == [{"group": "Other party (VOL.)", "base": 10}]
    assert any(e["smallBase"] for e in by_party["estimates"]) and by_party["minBaseShown"] == 30
    assert body["provenance"]["weight"] == "weight" and body["provenance"]["fieldwork"] == "2013-12"
    assert "Pew Research Center" in body["provenance"]["citation"] and body["provenance"]["outsideBase"]
    missing = mirror_client.get("/api/v1/polls/pew-2013-12/questions/q9/estimates")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith(
        "application/problem+json"
    )
    published = mirror_client.get("/api/v1/published-polls").json()["data"][0]
    assert published["sampleKind"] == "nonprobability" and "microdata" in published["caveatEn"]
    assert {r["percent"] for r in published["results"]} >= {73, 44, 33, 61}


@pytest.mark.integration
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_poll_pages_show_charts_with_intervals(mirror_client: TestClient, lang: str) -> None:
    overview = mirror_client.get(f"/publieksopinie?lang={lang}")
    assert overview.status_code == 200 and overview.text.count("<svg") >= 4
    assert ("Publieksopinie" if lang == "nl" else "Public opinion") in overview.text
    assert "n = 1.012" in overview.text or "n = 1,012" in overview.text  # the SAMR table's method
    detail = mirror_client.get(f"/publieksopinie/peilingen/pew-2013-12/q1?uitsplitsing=sex&lang={lang}")
    assert detail.status_code == 200 and "Female" in detail.text and detail.text.count("<svg") == 3
    trend = mirror_client.get(
        f"/publieksopinie/peilingen/eb-trust-parliament-nl/national_parliament?uitsplitsing=wave&lang={lang}"
    )
    assert trend.status_code == 200 and "2005" in trend.text and "2019" in trend.text
    assert ("3.286" if lang == "nl" else "3,286") in trend.text  # the 1996 wave's base, not its count
    parties = mirror_client.get(f"/publieksopinie/peilingen/pew-2013-12/q45?uitsplitsing=party&lang={lang}")
    assert (
        "Other party (VOL.)" in parties.text
        and ("kleine basis" if lang == "nl" else "small base") in parties.text
    )
    comma = "," if lang == "nl" else "."  # shares in the page's language, in the charts' texts too
    assert re.search(rf"<title>[^<:]+: \d+{re.escape(comma)}\d%", detail.text), "bar tooltip"
    assert re.search(r"<title>2005: \d+% \(\d+% – \d+%\)</title>", overview.text), "trend tooltip"


@pytest.mark.integration
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_trend_marks_the_non_comparable_1996_wave_and_shows_no_change_from_it(
    mirror_client: TestClient, lang: str
) -> None:
    page = mirror_client.get(f"/publieksopinie?lang={lang}").text
    marked = "niet vergelijkbaar" if lang == "nl" else "not comparable"
    assert re.search(rf'<g class="interval marked"><title>1996: [^<]*\[{marked}\]</title>', page)
    assert page.count('<g class="interval marked">') == 1  # 1996 only
    assert f'<th scope="row">1996 ({marked})</th>' in page
    none = "geen verandering getoond" if lang == "nl" else "no change shown"
    row_1999 = re.search(r'<th scope="row">1999</th>.*?</tr>', page, re.S)
    assert row_1999 is not None and none in row_1999.group(0)
    assert ("rekenen op" if lang == "nl" else "rely on") in page
    assert ("Holms correctie voor de 7" if lang == "nl" else "adjustment for the 7 changes tested") in page
    body = mirror_client.get(
        "/api/v1/polls/eb-trust-parliament-nl/questions/national_parliament/trend?answer=1"
    ).json()
    first = body["points"][0]
    assert first["group"] == "1996" and first["wording"]["comparability"] == "not comparable"
    assert first["wording"]["label"] == "rely on national parliament" and first["wording"]["text"] is None
    assert body["changes"][0]["difference"] is None and "rely on" in body["changes"][0]["reasonEn"]
    assert body["comparisons"] == 7 and body["adjustment"] == "Holm"
    rise = next(c for c in body["changes"] if (c["fromWave"], c["toWave"]) == ("2014", "2017"))
    assert rise["significant"] and rise["adjustedPValue"] > rise["pValue"]
    assert "Newcombe" in body["differenceMethod"] and body["provenance"]["sha256"]
    by_wave = mirror_client.get(
        "/api/v1/polls/eb-trust-parliament-nl/questions/national_parliament/estimates?by=wave"
    ).json()
    assert {w["group"]: w["comparability"] for w in by_wave["waves"]}["1996"] == "not comparable"
    wrong = mirror_client.get(
        "/api/v1/polls/eb-trust-parliament-nl/questions/national_parliament/trend?answer=7"
    )
    assert wrong.status_code == 400 and "'7' does not occur" in wrong.json()["detail"]


@pytest.mark.integration
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_question_page_shows_the_whole_provenance_of_its_estimates(
    mirror_client: TestClient, lang: str
) -> None:
    from gbvs.opinion.reader import shipped_definition

    page = mirror_client.get(
        f"/publieksopinie/peilingen/eb-trust-parliament-nl/national_parliament?lang={lang}"
    )
    html = page.text
    block = html[html.index('<dl class="provenance">') : html.index("</dl>")]
    definition = shipped_definition("eb-trust-parliament-nl")
    assert definition.sha256 is not None and definition.sha256 in block  # version
    assert "eb_1996-2019_harmonized_trust_parliament_ec_ep.csv" in block
    assert "1996/2019" in block and "weight_poststrat" in block  # vintage and weighting
    assert "99997, 99999" in block and "Korn-Graubard" in block  # base and interval method
    design = "strata en clusters worden niet gebruikt" if lang == "nl" else "strata and clusters are not used"
    assert design in block and "retroharmonize" in block  # the design note and the source
    by_wave = mirror_client.get(
        f"/publieksopinie/peilingen/eb-trust-parliament-nl/national_parliament?uitsplitsing=wave&lang={lang}"
    ).text
    marked = "niet vergelijkbaar" if lang == "nl" else "not comparable"
    assert f'<th scope="row">1996 ({marked})</th>' in by_wave and "ZA2828" in by_wave


@pytest.mark.integration
@pytest.mark.parametrize(
    ("lang", "base"), [("nl", "Basis: 11.016 respondenten"), ("en", "Base: 11,016 respondents")]
)
def test_the_question_page_writes_its_base_as_a_number_of_its_language(
    mirror_client: TestClient, lang: str, base: str
) -> None:
    """The sentence above the chart wrote the base as 11016 on both pages, beside 11.016 in the table."""
    page = mirror_client.get(
        f"/publieksopinie/peilingen/eb-trust-parliament-nl/national_parliament?lang={lang}"
    )
    assert base in page.text, page.text


@pytest.fixture
def remote(tmp_path: Path, small_store: Path) -> tuple[Settings, dict[str, str], dict[str, int]]:
    """Remote mode with users, API tokens and the test consultation coded by anna and bert."""
    from gbvs.db.migrate import upgrade
    from gbvs.db.schemas import OrganisationCreate, UserCreate
    from gbvs.db.services import consultation_coding, consultations, organisations, tokens, users
    from gbvs.db.services.principals import load_principal
    from gbvs.db.session import make_engine, make_session_factory, session_scope
    from gbvs.opinion.codebook import draft_codebook
    from gbvs.opinion.consultation import parse_info, parse_responses
    from gbvs.security import Role

    settings = load_settings(data_dir=tmp_path, store_path=small_store, allow_remote=True)
    engine = make_engine(settings)
    upgrade(engine)
    factory = make_session_factory(engine)
    secrets: dict[str, str] = {}
    with session_scope(factory) as session:
        users.bootstrap_admin(session, "ada", "Ada", None, None)
    with session_scope(factory) as session:
        ada = load_principal(session, "ada")
        organisations.create_organisation(
            session, ada, OrganisationCreate(code="BZ", name_nl="BZ", name_en="MFA")
        )
        for name, role in (
            ("mona", Role.coordinator),
            ("anna", Role.analyst),
            ("bert", Role.analyst),
            ("vera", Role.viewer),
        ):
            data = UserCreate(username=name, display_name=name, organisation_code="BZ", role=role)
            users.create_user(session, ada, data, PASSWORD)
    with session_scope(factory) as session:
        for name in ("mona", "anna", "bert", "vera"):
            secrets[name], _ = tokens.create_token(session, load_principal(session, name), "web test")
    rows = parse_responses((DATA / "responses.csv").read_text(encoding="utf-8"))
    info = parse_info((DATA / "consultation.yaml").read_text(encoding="utf-8"), rows)
    with session_scope(factory) as session:
        consultations.import_consultation(session, load_principal(session, "mona"), info, draft_codebook())
    ids: dict[str, int] = {}
    with session_scope(factory) as session:
        anna, bert = load_principal(session, "anna"), load_principal(session, "bert")
        for response in consultation_coding.responses_for_coder(session, anna, "gbvs-test"):
            ids[response.text[:12]] = response.id
            consultation_coding.code_response(
                session, anna, response.id, ["Q1.2"] if response.question == 1 else []
            )
            consultation_coding.code_response(
                session, bert, response.id, ["Q1.9"] if response.question == 1 else []
            )
    engine.dispose()
    return settings, secrets, ids


def _get(client: TestClient, secrets: dict[str, str], who: str, url: str) -> Any:
    return client.get(url, headers={"Authorization": f"Bearer {secrets[who]}"})


def test_consultation_pages_and_api_follow_the_authorization_layer(remote: Any) -> None:
    from gbvs.db.services import consultations
    from gbvs.db.services.principals import load_principal
    from gbvs.db.session import make_engine, make_session_factory, session_scope

    settings, secrets, _ids = remote
    base = "/publieksopinie/consultaties/gbvs-test"
    with TestClient(create_app(settings), base_url="https://testserver") as client:
        assert client.get("/api/v1/consultations").status_code == 401
        assert _get(client, secrets, "vera", "/api/v1/consultations").json()["total"] == 1
        # while coding runs: alpha only for managers, codes only one's own, no coding for viewers
        assert _get(client, secrets, "vera", "/api/v1/consultations/gbvs-test/reliability").status_code == 403
        assert _get(client, secrets, "anna", f"{base}/betrouwbaarheid").status_code == 403
        assert _get(client, secrets, "mona", "/api/v1/consultations/gbvs-test/reliability").status_code == 200
        assert _get(client, secrets, "vera", f"{base}/codering").status_code == 403
        screen = _get(client, secrets, "anna", f"{base}/codering")
        assert screen.status_code == 200
        assert 'value="Q1.2" checked' in screen.text and 'value="Q1.9" checked' not in screen.text
        assert "jan.jansen@example.nl" not in screen.text
        engine = make_engine(settings)
        with session_scope(make_session_factory(engine)) as session:
            consultations.advance_phase(session, load_principal(session, "mona"), "gbvs-test")
        engine.dispose()
        answers = [
            _get(client, secrets, "vera", "/api/v1/consultations/gbvs-test/summary"),
            _get(client, secrets, "vera", "/api/v1/consultations/gbvs-test/summary?lang=en"),
            _get(client, secrets, "vera", "/api/v1/consultations/gbvs-test/reliability"),
            _get(client, secrets, "vera", f"{base}/samenvatting"),
            _get(client, secrets, "vera", f"{base}/betrouwbaarheid"),
            _get(client, secrets, "vera", "/publieksopinie"),
        ]
        assert [a.status_code for a in answers] == [200] * len(answers)
        assert all(SECRET not in a.text and "06-12345678" not in a.text for a in answers)
        reliability = {r["theme"]: r for r in answers[2].json()}
        assert reliability["Q1.2"]["verdict"] == "unreliable" and reliability["Q1"]["alpha"] == pytest.approx(
            1.0
        )


@pytest.mark.browser
@pytest.mark.integration
@pytest.mark.wcag("axe", "3.1.1")
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_opinion_pages_with_charts_pass_axe(
    browser: Any, browser_tools: Any, web_settings: Settings, mirror: Path, lang: str
) -> None:
    from importlib.util import module_from_spec, spec_from_file_location

    spec = spec_from_file_location("opinion_server", Path(__file__).parent / "server.py")
    assert spec is not None and spec.loader is not None
    server = module_from_spec(spec)
    spec.loader.exec_module(server)
    settings = load_settings(
        data_dir=web_settings.data_dir, store_path=web_settings.store_path, mirror=mirror
    )
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        with server.serve_in_thread(create_app(settings)) as base:
            for path in ("/publieksopinie", "/publieksopinie/peilingen/pew-2013-12/q1?uitsplitsing=sex"):
                sep = "&" if "?" in path else "?"
                response = page.goto(f"{base}{path}{sep}lang={lang}")
                assert response.status == 200
                assert page.locator("svg.chart").count() >= 1
                violations = browser_tools.axe_violations(page)
                assert not violations, violations
    finally:
        context.close()


def test_a_logged_in_coder_saves_codes_through_the_form(remote: Any) -> None:
    import re

    settings, _secrets, ids = remote
    base = "/publieksopinie/consultaties/gbvs-test/codering"
    response_id = ids["Werk nauwer "]
    with TestClient(create_app(settings), base_url="https://testserver") as client:
        login = client.get("/aanmelden").text
        token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', login)
        assert token
        body = {"username": "anna", "password": PASSWORD, "next": base, "csrf_token": token.group(1)}
        logged_in = client.post("/aanmelden", data=body, follow_redirects=False)
        assert logged_in.status_code == 303, re.findall(
            r"class=\"(?:error|notice)\"[^<]*<[^<]*", logged_in.text
        )
        screen = client.get(base).text
        form_token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', screen)
        assert form_token
        forged = client.post(
            f"{base}/{response_id}", data={"theme": "Q2.3", "csrf_token": "0"}, follow_redirects=False
        )
        assert forged.status_code == 403
        saved = client.post(
            f"{base}/{response_id}",
            data={"theme": ["Q2.3", "Q2.1"], "csrf_token": form_token.group(1)},
            follow_redirects=False,
        )
        assert saved.status_code == 303
        after = client.get(base).text
        assert 'value="Q2.3" checked' in after and 'value="Q2.1" checked' in after
        unknown = client.post(
            f"{base}/{response_id}", data={"theme": "Q9.9", "csrf_token": form_token.group(1)}
        )
        assert unknown.status_code == 400, unknown.text  # said in Dutch, not 'Toelichting (in het Engels)'
        assert "Thema’s Q9.9 staan niet in het codeboek van ‘gbvs-test’" in unknown.text, unknown.text


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_an_unknown_poll_names_the_known_ones_without_command_line_options(client: Any, lang: str) -> None:
    """The page and the API of a poll that does not exist list the polls as words and say nothing of
    the command's --file and --definition (they read "Gebruik een van ['eb-64.2-nl', ...], of geef
    --file en --definition")."""
    known = "eb-64.2-nl, eb-trust-parliament-nl, pew-2013-12"
    page = client.get(f"/publieksopinie/peilingen/onbekend/q1?lang={lang}")
    api = client.get(f"/api/v1/polls/onbekend/questions/q1/estimates?lang={lang}")
    assert page.status_code == api.status_code == 404
    for text in (page.text, api.json()["detail"]):
        assert known in text and "[" not in text and "--file" not in text, text


def test_without_the_respondent_files_a_poll_says_so_in_words(client: Any) -> None:
    """No mirror on this laptop: each poll says its figures cannot be read, and keeps the technical
    reason for whoever maintains GBVS, in the page's language (a Dutch page said it in English:
    "poll 'pew-2013-12' is read from the mirror (...); set GBVS_MIRROR to the mirror folder")."""
    page = client.get("/publieksopinie").text
    sentence = "De gegevens van de respondenten van deze peiling zijn op deze installatie niet te lezen"
    assert page.count(sentence) >= 2 and page.count('<details class="maintainer">') >= 2
    assert "Peiling &#39;pew-2013-12&#39; wordt uit de spiegel gelezen" in page, page
    assert "is read from the mirror" not in page
    english = client.get("/publieksopinie?lang=en").text
    assert "poll &#39;pew-2013-12&#39; is read from the mirror" in english


def test_consultation_phases_and_respondent_types_read_as_words_in_either_language(remote: Any) -> None:
    """The pages showed the stored ids: "fase: coding" and "ngo_union 1" on a Dutch page."""
    from gbvs.db.services import consultations
    from gbvs.db.services.principals import load_principal
    from gbvs.db.session import make_engine, make_session_factory, session_scope

    settings, secrets, _ids = remote
    base = "/publieksopinie/consultaties/gbvs-test"
    with TestClient(create_app(settings), base_url="https://testserver") as client:
        overview = _get(client, secrets, "vera", "/publieksopinie").text
        assert "fase: coderen" in overview
        screen = _get(client, secrets, "anna", f"{base}/codering").text
        assert "· burger</h2>" in screen and "ngo_union" not in screen
        engine = make_engine(settings)
        with session_scope(make_session_factory(engine)) as session:
            consultations.advance_phase(session, load_principal(session, "mona"), "gbvs-test")
        engine.dispose()
        dutch = _get(client, secrets, "vera", f"{base}/samenvatting").text
        english = _get(client, secrets, "vera", f"{base}/samenvatting?lang=en").text
        api = _get(client, secrets, "vera", "/api/v1/consultations/gbvs-test/summary").json()
    assert api["codebookId"] == "gbvs-2018-consultation-draft"
    assert "Codeboek: gbvs-2018-consultation-draft (concept)" in dutch
    assert "burger 2, ngo of vakbond 1" in dutch and "ngo_union" not in dutch
    assert "citizen 2, NGO or union 1" in english


def test_the_reliability_page_and_api_give_alphas_bootstrap_interval(remote: Any) -> None:
    """Alpha came without its uncertainty."""
    settings, secrets, _ids = remote
    base = "/publieksopinie/consultaties/gbvs-test/betrouwbaarheid"
    with TestClient(create_app(settings), base_url="https://testserver") as client:
        page = _get(client, secrets, "mona", base).text
        english = _get(client, secrets, "mona", base + "?lang=en").text
        api = _get(client, secrets, "mona", "/api/v1/consultations/gbvs-test/reliability").json()
    assert '<th scope="col">95%-interval</th>' in page and '<th scope="col">95% interval</th>' in english
    assert "1.000 trekkingen" in page and "1,000 resamples" in english
    by_theme = {row["theme"]: row for row in api}
    assert by_theme["Q1.2"]["lower"] < by_theme["Q1.2"]["alpha"] < by_theme["Q1.2"]["upper"]
    assert re.search(r"<td>1,000</td>\s*<td>1,000 – 1,000</td>", page)  # Q1: the coders always agree
    assert all({"lower", "upper"} <= set(row) for row in api)
    assert all(row["lower"] is None for row in api if row["alpha"] is None)


def test_the_reliability_verdict_follows_the_lower_end_of_the_interval(remote: Any) -> None:
    """The verdict followed alpha's point value; an interval reaching under 0.8 was called reliable."""
    settings, secrets, _ids = remote
    base = "/publieksopinie/consultaties/gbvs-test/betrouwbaarheid"
    with TestClient(create_app(settings), base_url="https://testserver") as client:
        page = _get(client, secrets, "mona", base).text
        english = _get(client, secrets, "mona", base + "?lang=en").text
        api = _get(client, secrets, "mona", "/api/v1/consultations/gbvs-test/reliability").json()
    assert "Het oordeel volgt de ondergrens van het 95%-interval, niet alfa zelf" in page
    assert "The verdict follows the lower end of the 95% interval, not alpha itself" in english
    for row in api:
        if row["lower"] is not None:
            assert row["verdictBasis"] == "lower"
            expected = (
                "reliable" if row["lower"] >= 0.8 else "tentative" if row["lower"] >= 0.667 else "unreliable"
            )
            assert row["verdict"] == expected, row
        elif row["alpha"] is not None:
            assert row["verdictBasis"] == "point" and row["verdict"] != "reliable", row
    assert any(row["verdictBasis"] == "lower" for row in api)


def test_the_api_gives_the_codebook_history_and_the_audited_export(remote: Any) -> None:
    import io

    import openpyxl

    from gbvs.db.models import AuditLog
    from gbvs.db.opinion_models import CodebookChangeKind
    from gbvs.db.services import consultation_codebook, consultations
    from gbvs.db.services.principals import load_principal
    from gbvs.db.session import make_engine, make_session_factory, session_scope

    settings, secrets, _ids = remote
    api = "/api/v1/consultations/gbvs-test"
    engine = make_engine(settings)
    factory = make_session_factory(engine)
    with session_scope(factory) as session:
        mona = load_principal(session, "mona")
        change = consultation_codebook.CodebookRevision(
            CodebookChangeKind.merge, "Q1.9", "te dicht bij", into="Q1.2"
        )
        consultation_codebook.revise_codebook(session, mona, "gbvs-test", change)
    with TestClient(create_app(settings), base_url="https://testserver") as client:
        (entry,) = _get(client, secrets, "vera", f"{api}/codebook-changes").json()
        assert (entry["version"], entry["kind"], entry["into"], entry["author"]) == (
            2,
            "merge",
            "Q1.2",
            "mona",
        )
        early = _get(client, secrets, "vera", f"{api}/coded-responses")
        assert early.status_code == 400 and "still being coded" in early.text
        with session_scope(factory) as session:
            consultations.advance_phase(session, load_principal(session, "mona"), "gbvs-test")
        found = _get(client, secrets, "vera", f"{api}/coded-responses").json()
        csv = _get(client, secrets, "vera", f"{api}/coded-responses?format=csv")
        xlsx = _get(client, secrets, "vera", f"{api}/coded-responses?format=xlsx")
        reliability = {r["theme"]: r for r in _get(client, secrets, "mona", f"{api}/reliability").json()}
        listed = _get(client, secrets, "vera", "/api/v1/consultations").json()["data"][0]
    about = {line["field"]: line["value"] for line in found["provenance"]}
    assert about["codebook version"] == 2 and about["exported by"] == "'vera' (viewer, BZ)"
    assert "unknown" in about["responses file SHA-256"]  # this import did not give the file's checksum
    assert reliability["Q1.2"]["alpha"] == pytest.approx(1.0) and "Q1.9" not in reliability
    assert reliability["Q1.2"]["codebookVersion"] == 1 and listed["codebookVersion"] == 2
    assert {row["anna themes"] for row in found["rows"] if row["question"] == 1} == {"Q1.2"}
    assert csv.headers["content-type"].startswith("text/csv") and csv.text.startswith("# bron: ")
    assert SECRET not in csv.text and SECRET not in repr(found)
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["responses", "provenance"]
    with session_scope(factory) as session:
        exports = session.query(AuditLog).filter(AuditLog.action == "consultations.export").all()
        assert [(e.actor, e.detail["format"]) for e in exports] == [
            ("vera", "json"),
            ("vera", "csv"),
            ("vera", "xlsx"),
        ]
    engine.dispose()


def test_the_pages_show_the_codebook_revisions_and_what_to_code_again(remote: Any) -> None:
    from gbvs.db.opinion_models import CodebookChangeKind
    from gbvs.db.services import consultation_codebook
    from gbvs.db.services.principals import load_principal
    from gbvs.db.session import make_engine, make_session_factory, session_scope

    settings, secrets, _ids = remote
    base = "/publieksopinie/consultaties/gbvs-test"
    engine = make_engine(settings)
    with session_scope(make_session_factory(engine)) as session:
        change = consultation_codebook.CodebookRevision(
            CodebookChangeKind.add, "Q1.10", "ontbrak <b>echt</b>", "Klimaat", "Climate", "Q1"
        )
        consultation_codebook.revise_codebook(session, load_principal(session, "mona"), "gbvs-test", change)
    engine.dispose()
    with TestClient(create_app(settings), base_url="https://testserver") as client:
        page = _get(client, secrets, "mona", f"{base}/betrouwbaarheid").text
        screen = _get(client, secrets, "anna", f"{base}/codering").text
        untouched = _get(client, secrets, "mona", f"{base}/betrouwbaarheid?lang=en").text
    assert re.search(r'<th scope="row">2</th><td>thema toegevoegd</td><td>Q1\.10</td><td>mona</td>', page)
    assert "ontbrak &lt;b&gt;echt&lt;/b&gt;" in page and "Het codeboek is nu versie 2." in page
    assert "Codings from codebook version" in untouched and "theme added" in untouched
    assert re.search(r"<th scope=\"row\">Q1\.10 Klimaat</th>\s*<td>2</td>", page)
    assert (
        screen.count("Codeer deze reactie opnieuw") == screen.count('<section id="r') == 12
    )  # all predate Q1.10
    assert 'value="Q1.10"' in screen and "Codeboekversie 2." in screen


def _logged_in(client: TestClient, who: str, page: str) -> str:
    """Log ``who`` in through the form; the CSRF token of ``page``'s forms."""
    login = client.get("/aanmelden").text
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', login)
    assert token
    body = {"username": who, "password": PASSWORD, "next": page, "csrf_token": token.group(1)}
    assert client.post("/aanmelden", data=body, follow_redirects=False).status_code == 303
    form_token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', client.get(page).text)
    assert form_token
    return form_token.group(1)


def test_the_coordinator_revises_the_codebook_and_withdraws_a_coder_on_the_page(remote: Any) -> None:
    settings, secrets, _ids = remote
    page = "/publieksopinie/consultaties/gbvs-test/codeboek"
    with TestClient(create_app(settings), base_url="https://testserver") as client:
        assert _get(client, secrets, "anna", page).status_code == 403  # a coder does not revise
        token = _logged_in(client, "mona", page)
        form = client.get(page).text
        assert '<label for="reword-code">Thema</label>' in form and "Codeboek wijzigen" in form
        assert re.search(
            r'name="meaning" value="meaning" checked>\s*andere betekenis', form
        )  # the safe default
        forged = {"kind": "reword", "code": "Q1.2", "reason": "x", "csrf_token": "0"}
        assert client.post(f"{page}/herzien", data=forged).status_code == 403
        editorial = {
            "kind": "reword",
            "code": "Q1.2",
            "label_nl": "Hybride conflictvoering (beïnvloeding)",
            "meaning": "editorial",
            "reason": "verduidelijking",
            "csrf_token": token,
        }
        assert client.post(f"{page}/herzien", data=editorial, follow_redirects=False).status_code == 303
        merge = {"kind": "merge", "code": "Q1.9", "into": "Q1.2", "reason": "overlap", "csrf_token": token}
        assert client.post(f"{page}/herzien", data=merge, follow_redirects=False).status_code == 303
        refused = client.post(
            f"{page}/herzien",
            data={
                "kind": "add",
                "code": "Q1.10",
                "label_nl": "Klimaat",
                "label_en": "Climate",
                "csrf_token": token,
            },
        )
        assert refused.status_code == 400
        assert "een wijziging van het codeboek heeft een reden van 1 tot 5000 tekens nodig" in refused.text
        assert 'id="add-code" name="code"' in refused.text and 'value="Q1.10"' in refused.text  # kept
        withdraw = {"coder": "bert", "reason": "vertrokken naar Defensie", "csrf_token": token}
        sent = client.post(f"{page}/codeur-terugtrekken", data=withdraw, follow_redirects=False)
        assert sent.status_code == 303
        after = client.get(page).text
        english = client.get(page + "?lang=en").text
        reliability = client.get("/publieksopinie/consultaties/gbvs-test/betrouwbaarheid?lang=nl").text
        history = _get(client, secrets, "vera", "/api/v1/consultations/gbvs-test/codebook-changes").json()
        alphas = _get(client, secrets, "mona", "/api/v1/consultations/gbvs-test/reliability").json()
    assert [(c["kind"], c["meaningChanged"]) for c in history] == [("reword", False), ("merge", None)]
    assert history[1]["after"]["links_from"][-1] == {"kind": "goals", "link": 8, "from": ["Q1.9"]}
    assert alphas[0]["coderUnits"] == [{"coder": "anna", "units": 0}]
    # bert withdrawn, anna alone is left: no response is coded by two counted coders, so alpha is undefined
    assert re.search(
        r'<th scope="row">Q1 [^<]*</th>.*?<td>0</td><td>0</td><td>anna 0</td></tr>', reliability, re.S
    )
    assert (
        "Codeur terugtrekken die is vertrokken" not in reliability and "bert, na 12 gecodeerde" in reliability
    )
    assert "thema anders geformuleerd: redactioneel: eerdere coderingen blijven geldig" in after
    assert not outline_faults(form, "nl") and not outline_faults(english, "en")
    labelled = set(re.findall(r'<label for="([^"]+)"', form))
    fields = set(re.findall(r'<(?:input|select|textarea) id="([^"]+)"', form))
    assert fields and fields <= labelled  # every field has its label
    assert re.search(r'<a href="/strategie/doelen/8">doel 8</a> van Q1\.9', after)
    assert "bert, na 12 gecodeerde reacties; teruggetrokken door mona" in after
    assert (
        "Revise the codebook" in english
        and "theme reworded: editorial: codings made before stay valid" in english
    )


def _post(client: TestClient, secrets: dict[str, str], who: str, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json=body, headers={"Authorization": f"Bearer {secrets[who]}"})


def test_the_api_revises_the_codebook_and_withdraws_and_reinstates_a_coder(remote: Any) -> None:
    from gbvs.db.models import AuditLog
    from gbvs.db.session import make_engine, make_session_factory, session_scope

    settings, secrets, _ids = remote
    api = "/api/v1/consultations/gbvs-test"
    editorial = {"kind": "reword", "theme": "Q1.2", "labelNl": "Hybride conflictvoering", "editorial": True}
    with TestClient(create_app(settings), base_url="https://testserver") as client:
        assert (
            _post(client, secrets, "anna", f"{api}/codebook-changes", editorial | {"reason": "x"}).status_code
            == 403
        )
        no_reason = _post(client, secrets, "mona", f"{api}/codebook-changes", editorial | {"reason": " "})
        assert (
            no_reason.status_code == 400 and no_reason.headers["content-type"] == "application/problem+json"
        )
        assert "a codebook revision needs a reason" in no_reason.json()["detail"]  # the API speaks English
        made = _post(client, secrets, "mona", f"{api}/codebook-changes", editorial | {"reason": "spelling"})
        assert made.status_code == 201 and made.headers["location"] == f"{api}/codebook-changes/2"
        assert (made.json()["meaningChanged"], made.json()["author"]) == (False, "mona")
        assert _get(client, secrets, "vera", made.headers["location"]).json() == made.json()
        add = {"kind": "add", "theme": "Q1.10", "labelNl": "Klimaat", "labelEn": "Climate", "parent": "Q1"}
        merge = {"kind": "merge", "theme": "Q1.9", "into": "Q1.2"}
        retire = {"kind": "retire", "theme": "Q3.7"}
        for n, body in enumerate((add, merge, retire), start=3):
            sent = _post(client, secrets, "mona", f"{api}/codebook-changes", body | {"reason": "nodig"})
            assert (sent.status_code, sent.headers["location"]) == (201, f"{api}/codebook-changes/{n}")
        history = _get(client, secrets, "vera", f"{api}/codebook-changes").json()
        assert [(c["version"], c["kind"], c["theme"]) for c in history] == [
            (2, "reword", "Q1.2"),
            (3, "add", "Q1.10"),
            (4, "merge", "Q1.9"),
            (5, "retire", "Q3.7"),
        ]
        assert _get(client, secrets, "vera", f"{api}/codebook-changes/9").status_code == 404
        gone = _post(client, secrets, "mona", f"{api}/coder-withdrawals", {"coder": "bert", "reason": "weg"})
        assert gone.status_code == 201 and gone.headers["location"] == f"{api}/coder-changes/1"
        units = _get(client, secrets, "mona", f"{api}/reliability").json()[0]["coderUnits"]
        assert [u["coder"] for u in units] == ["anna"]
        forged = client.post(f"{api}/coder-reinstatements", json={"coder": "bert", "reason": "vergissing"})
        assert forged.status_code in (401, 403)  # no Bearer token: no change
        back = _post(
            client, secrets, "mona", f"{api}/coder-reinstatements", {"coder": "bert", "reason": "vergissing"}
        )
        assert back.status_code == 201 and back.headers["location"] == f"{api}/coder-changes/2"
        assert (back.json()["kind"], back.json()["by"], back.json()["reason"]) == (
            "reinstated",
            "mona",
            "vergissing",
        )
        units = _get(client, secrets, "mona", f"{api}/reliability").json()[0]["coderUnits"]
        assert [u["coder"] for u in units] == ["anna", "bert"]  # alpha includes him again
        twice = _post(
            client, secrets, "mona", f"{api}/coder-reinstatements", {"coder": "bert", "reason": "x"}
        )
        assert twice.status_code == 400 and "bert is not withdrawn" in twice.json()["detail"]
        changes = _get(client, secrets, "vera", f"{api}/coder-changes").json()
        assert [(c["number"], c["coder"], c["kind"]) for c in changes] == [
            (1, "bert", "withdrawn"),
            (2, "bert", "reinstated"),
        ]
        assert _get(client, secrets, "vera", f"{api}/coder-changes/2").json() == changes[1]
        assert _get(client, secrets, "vera", f"{api}/coder-changes/3").status_code == 404
    engine = make_engine(settings)
    with session_scope(make_session_factory(engine)) as session:
        actions = [
            e.action
            for e in session.query(AuditLog).filter(AuditLog.action.like("consultations.%")).all()
            if e.outcome.value == "success"
            and e.action
            in {"consultations.codebook", "consultations.withdraw_coder", "consultations.reinstate_coder"}
        ]
    engine.dispose()
    assert actions.count("consultations.codebook") >= 4 and "consultations.reinstate_coder" in actions


def test_the_coordinator_undoes_a_withdrawal_on_the_codebook_page(remote: Any) -> None:
    settings, secrets, _ids = remote
    page = "/publieksopinie/consultaties/gbvs-test/codeboek"
    with TestClient(create_app(settings), base_url="https://testserver") as client:
        token = _logged_in(client, "mona", page)
        assert "Terugtrekking ongedaan maken" not in client.get(page).text  # nobody withdrawn yet
        withdraw = {"coder": "bert", "reason": "vertrokken", "csrf_token": token}
        assert (
            client.post(f"{page}/codeur-terugtrekken", data=withdraw, follow_redirects=False).status_code
            == 303
        )
        form = client.get(page).text
        assert '<label for="reinstate-coder">Teruggetrokken codeur</label>' in form
        assert re.search(r'<select id="reinstate-coder" name="coder" required><option value="bert">', form)
        forged = {"coder": "bert", "reason": "vergissing", "csrf_token": "0"}
        assert client.post(f"{page}/codeur-terugzetten", data=forged).status_code == 403
        refused = client.post(
            f"{page}/codeur-terugzetten", data={"coder": "bert", "reason": "", "csrf_token": token}
        )
        assert refused.status_code == 400
        assert "voor het terugzetten van een codeur is een reden van 1 tot 5000 tekens nodig" in refused.text
        back = {"coder": "bert", "reason": "vergissing: hij codeert nog", "csrf_token": token}
        sent = client.post(f"{page}/codeur-terugzetten", data=back, follow_redirects=False)
        assert sent.status_code == 303 and sent.headers["location"].endswith("codeboek#coderonde")
        after = client.get(page).text
        english = client.get(page + "?lang=en").text
        reliability = client.get("/publieksopinie/consultaties/gbvs-test/betrouwbaarheid?lang=nl").text
        alphas = _get(client, secrets, "mona", "/api/v1/consultations/gbvs-test/reliability").json()
    assert [u["coder"] for u in alphas[0]["coderUnits"]] == ["anna", "bert"]
    assert "reinstate-coder" not in after and "Er is geen codeur teruggetrokken." in after
    assert re.search(
        r'<th scope="row">bert</th><td>teruggetrokken uit het coderen</td><td>mona</td>'
        r".*?<td>vertrokken</td>",
        after,
    )
    assert re.search(
        r'<th scope="row">bert</th><td>teruggezet in het coderen \(terugtrekking ongedaan gemaakt\)</td>'
        r"<td>mona</td>.*?<td>vergissing: hij codeert nog</td>",
        after,
    )
    assert "Terugtrekkingen en terugzettingen" in reliability and "Withdrawals and reinstatements" in english
    assert "reinstated in the coding (withdrawal undone)" in english
    assert not outline_faults(after, "nl") and not outline_faults(english, "en")


def test_a_consultation_that_does_not_exist_is_said_in_the_pages_language(remote: Any) -> None:
    """The page said "consultation 'onbekend' does not exist", marked as English, on a Dutch page."""
    settings, secrets, _ids = remote
    page = "/publieksopinie/consultaties/onbekend/betrouwbaarheid"
    with TestClient(create_app(settings), base_url="https://testserver") as client:
        dutch = _get(client, secrets, "mona", page)
        english = _get(client, secrets, "mona", page + "?lang=en")
        api = _get(client, secrets, "mona", "/api/v1/consultations/onbekend/reliability")
    assert dutch.status_code == 404, dutch.text
    assert "Consultatie &#39;onbekend&#39; bestaat niet (bekend: gbvs-test)" in dutch.text, dutch.text
    assert "Reden (in het Engels)" not in dutch.text
    assert "consultation &#39;onbekend&#39; does not exist (known: gbvs-test)" in english.text
    assert api.status_code == 404 and "consultation 'onbekend' does not exist" in api.json()["detail"]


def test_the_coded_export_labels_its_provenance_in_the_readers_language(remote: Any) -> None:
    """The consultation's export kept English provenance names ("codebook version") in a Dutch download,
    while every other export says them in the reader's language (``exportnotes.FIELD_LABELS``)."""
    import io

    import openpyxl

    from gbvs.db.services import consultations
    from gbvs.db.services.principals import load_principal
    from gbvs.db.session import make_engine, make_session_factory, session_scope

    settings, secrets, _ids = remote
    engine = make_engine(settings)
    with session_scope(make_session_factory(engine)) as session:
        consultations.advance_phase(session, load_principal(session, "mona"), "gbvs-test")
    engine.dispose()
    api = "/api/v1/consultations/gbvs-test/coded-responses"
    with TestClient(create_app(settings), base_url="https://testserver") as client:
        dutch = _get(client, secrets, "vera", f"{api}?format=csv").text
        english = _get(client, secrets, "vera", f"{api}?format=csv&lang=en").text
        xlsx = _get(client, secrets, "vera", f"{api}?format=xlsx").content
    assert dutch.startswith("# bron: GBVS-codering van consultaties\n# consultatie: ")
    for line in ("# fase: beslisronde", "# codeboekversie: 1", "# geëxporteerd door: 'vera' (viewer, BZ)",
                 "# privacy: geen namen of kenmerken van respondenten", "# definitieve thema's: het besluit",
                 "# alfa Q1.2: ", "# gedownload op: ", "# aantal rijen: 12"):  # fmt: skip
        assert "\n" + line in dutch, line
    assert "\n# codebook version" not in dutch and "\n# exported by" not in dutch
    assert english.startswith("# source: GBVS consultation coding\n# consultation: ")
    assert "\n# codebook version: 1\n" in english and "\n# phase: adjudication\n" in english
    assert "\n# alpha Q1.2: " in english and "\n# rows: 12\n" in english
    # alpha, its interval and thresholds in the reader's numbers (they read "1.000", "0.8" in Dutch too)
    assert "\n# alfa Q1: 1,000 [1,000-1,000], betrouwbaar " in dutch
    assert "\n# alpha Q1: 1.000 [1.000-1.000], reliable " in english
    assert re.search(r"\n# alfa Q1\.2: -?\d,\d{3} \[-?\d,\d{3}-\d,\d{3}\], onbetrouwbaar", dutch)
    assert (
        "(1.000 herhalingen met vaste seed); oordeel op de ondergrens van het interval (vanaf 0,8 " in dutch
    )
    assert "(1,000 seeded resamples)" in english and "(0.8 reliable, 0.667 tentative)" in english
    about = openpyxl.load_workbook(io.BytesIO(xlsx))["provenance"]
    labels = {row[0]: row[1] for row in about.iter_rows(values_only=True)}
    assert labels["codeboekversie"] == 1 and labels["bron"] == "GBVS-codering van consultaties"
    assert labels["SHA-256 van het reactiebestand"].startswith("onbekend (ingelezen voordat GBVS")


def test_a_theme_nobody_has_coded_twice_is_not_said_to_lack_variation(remote: Any) -> None:
    """Halfway through coding, a theme no two coders have coded read "onbepaald (geen variatie)", as if
    the coders had agreed on it everywhere; it says that nothing is coded twice yet."""
    from dataclasses import replace

    from gbvs.db.services import consultation_coding, consultations
    from gbvs.db.services.principals import load_principal
    from gbvs.db.session import make_engine, make_session_factory, session_scope
    from gbvs.opinion.codebook import draft_codebook
    from gbvs.opinion.consultation import parse_info, parse_responses

    settings, secrets, _ids = remote
    rows = parse_responses((DATA / "responses.csv").read_text(encoding="utf-8"))
    info = replace(parse_info((DATA / "consultation.yaml").read_text(encoding="utf-8"), rows), slug="half")
    engine = make_engine(settings)
    factory = make_session_factory(engine)
    with session_scope(factory) as session:
        consultations.import_consultation(session, load_principal(session, "mona"), info, draft_codebook())
    with session_scope(factory) as session:
        anna = load_principal(session, "anna")
        first = consultation_coding.responses_for_coder(session, anna, "half")[0]
        consultation_coding.code_response(session, anna, first.id, ["Q1.2"])
    engine.dispose()
    with TestClient(create_app(settings), base_url="https://testserver") as client:
        page = _get(client, secrets, "mona", "/publieksopinie/consultaties/half/betrouwbaarheid").text
    assert "nog geen reactie door twee of meer codeurs gecodeerd" in page, page
    assert "geen variatie" not in page


@pytest.mark.integration
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_question_of_several_waves_says_its_shares_pool_them(mirror_client: TestClient, lang: str) -> None:
    """Without a breakdown the trust question showed one share for 1996-2019, the 1996 wave that is not
    comparable included, without saying so; by wave it does not say it (each wave is shown)."""
    path = "/publieksopinie/peilingen/eb-trust-parliament-nl/national_parliament"
    pooled = mirror_client.get(f"{path}?lang={lang}").text
    said = "nemen alle golven van de peiling samen" if lang == "nl" else "pool every wave of the poll"
    assert said in pooled and 'href="?uitsplitsing=wave"' in pooled
    assert said not in mirror_client.get(f"{path}?uitsplitsing=wave&lang={lang}").text
    single = mirror_client.get(f"/publieksopinie/peilingen/pew-2013-12/q1?lang={lang}").text
    assert said not in single  # one wave: nothing pooled
