"""``gbvs opinion consultations`` end to end: import, coding by two coders with their own tokens,
reliability, adjudication and a summary that never prints a non-consenting respondent's text."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from gbvs.config import Settings

Run = Callable[..., Any]
DATA = Path(__file__).parents[1] / "opinion" / "data"


@pytest.fixture
def cli(settings: Settings, db_url: str, monkeypatch: pytest.MonkeyPatch, run_cli: Run) -> Run:
    monkeypatch.setenv("GBVS_DATABASE_URL", db_url)
    assert run_cli("db", "upgrade").exit_code == 0
    assert run_cli("users", "create-admin", "root").exit_code == 0
    assert run_cli("orgs", "seed").exit_code == 0
    for name, role in (("ann", "analyst"), ("bob", "analyst"), ("vic", "viewer")):
        assert run_cli("users", "create", name, "--name", name, "--org", "BZ", "--role", role).exit_code == 0
    return run_cli


def _as(cli: Run, monkeypatch: pytest.MonkeyPatch, username: str | None) -> None:
    monkeypatch.delenv("GBVS_TOKEN", raising=False)
    if username is None:
        return
    made = cli("users", "tokens", "create", f"cli-{username}", "--user", username, "--format", "json")
    assert made.exit_code == 0, made.stderr
    monkeypatch.setenv("GBVS_TOKEN", json.loads(made.stdout)["token"])


def test_consultation_cycle_on_the_command_line(cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    info, responses = str(DATA / "consultation.yaml"), str(DATA / "responses.csv")
    ownerless = cli("opinion", "consultations", "import", "--info", info, "--responses", responses)
    assert ownerless.exit_code == 4 and "--organisation CODE" in ownerless.stderr  # the OS owner has none
    imported = cli(
        "opinion", "consultations", "import", "--info", info, "--responses", responses, "--organisation", "BZ"
    )
    assert imported.exit_code == 0, imported.stderr
    assert imported.stdout == "consultatie 'gbvs-test': 6 respondenten, 12 reacties\n"
    again = cli(
        "opinion", "consultations", "import", "--info", info, "--responses", responses, "--organisation", "BZ"
    )
    assert (
        again.exit_code == 4 and "Consultatie 'gbvs-test' bestaat al. Kies een andere slug." in again.stderr
    )
    for coder in ("ann", "bob"):
        _as(cli, monkeypatch, coder)
        screen = json.loads(
            cli("opinion", "consultations", "coding", "gbvs-test", "--as", coder, "--format", "json").stdout
        )
        assert all(r["my_codes"] == [] for r in screen)
        for r in screen:
            themes = (
                ["Q1.2"] if r["question"] == 1 else ["Q2.2"] if coder == "ann" or r["question"] == 2 else []
            )
            assert (
                cli("opinion", "consultations", "code", str(r["id"]), *themes, "--as", coder).exit_code == 0
            )
    _as(cli, monkeypatch, "vic")
    refused = cli("opinion", "consultations", "code", str(screen[0]["id"]), "Q1.1", "--as", "vic")
    assert refused.exit_code == 8
    hidden = cli("opinion", "consultations", "codes", "gbvs-test", "--as", "vic")
    assert hidden.exit_code == 4 and "wordt nog gecodeerd" in hidden.stderr
    _as(cli, monkeypatch, None)
    reliability = json.loads(
        cli("opinion", "consultations", "reliability", "gbvs-test", "--format", "json").stdout
    )
    by_theme = {r["theme"]: r for r in reliability}
    assert by_theme["Q1.2"]["alpha"] == pytest.approx(1.0) and by_theme["Q1.2"]["verdict"] == "reliable"
    assert by_theme["Q2.2"]["verdict"] in {"unreliable", "tentative"}
    plain = cli("opinion", "consultations", "reliability", "gbvs-test").stdout
    assert by_theme["Q1.2"]["verdictBasis"] == "lower"
    assert (
        "Q1.2: alfa 1,000 [1,000-1,000] (betrouwbaar, beoordeeld op de ondergrens van het interval; " in plain
    )
    english = cli("opinion", "consultations", "reliability", "gbvs-test", "--lang", "en").stdout
    assert "Q1.2: alpha 1.000 [1.000-1.000] (reliable, judged on the lower end of its interval; " in english
    advanced = cli("opinion", "consultations", "advance", "gbvs-test")
    assert advanced.stdout == "consultatie 'gbvs-test' is nu in de fase beslisronde\n", advanced.stderr
    listed = cli("opinion", "consultations", "list", "-l", "en").stdout
    assert "(adjudication; 6 respondents, 12 responses)" in listed
    assert "(beslisronde; 6 respondenten, 12 reacties)" in cli("opinion", "consultations", "list").stdout
    outputs = [
        cli("opinion", "consultations", "summary", "gbvs-test", "--quotes", "50"),
        cli("opinion", "consultations", "summary", "gbvs-test", "--quotes", "50", "--format", "json"),
        cli("opinion", "consultations", "codes", "gbvs-test", "--format", "json"),
        cli("opinion", "consultations", "list", "--format", "json"),
    ]
    assert all(o.exit_code == 0 for o in outputs), [o.stderr for o in outputs]
    text = "".join(o.stdout + o.stderr for o in outputs)
    assert "GEHEIM-ZINNETJE" not in text and "06-12345678" not in text
    assert "De wereld wordt multipolair" in outputs[0].stdout or "Hybride" in outputs[0].stdout


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("opinion", "estimate", "pew-2013-12", "q9"), 5, "heeft geen vraag 'q9'"),
        (("opinion", "estimate", "nope", "q1"), 5, "Onbekende peiling 'nope'"),
        (("opinion", "estimate", "x", "q1", "--file", "missing.sav"), 4, "--file vraagt om --definition"),
        (("opinion", "margins", "cbs-nowhere"), 4, "Onbekende populatieverdeling 'cbs-nowhere'"),
        (("opinion", "estimate", "eb-64.2-nl", "army", "--by", "sex"), 5, "heeft geen uitsplitsing 'sex'"),
    ],
)
def test_bad_poll_arguments_get_a_clear_error(
    settings: Settings,
    mirror: Path,
    run_cli: Run,
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    code: int,
    message: str,
) -> None:
    monkeypatch.setenv("GBVS_MIRROR", str(mirror))
    result = run_cli(*args)
    assert result.exit_code == code, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr


def test_the_poll_listings_follow_the_language(cli: Run) -> None:
    dutch = cli("opinion", "polls").stdout
    assert "(aselecte steekproef; vragen " in dutch and "(alleen gepubliceerde cijfers)" in dutch
    assert "probability" not in dutch  # the sample kind in words, not its id
    english = cli("opinion", "polls", "--lang", "en").stdout
    assert "(probability sample; questions " in english and "(published figures only)" in english
    book = cli("opinion", "codebook").stdout
    assert "(CONCEPT): " in book.split("\n", 1)[0]
    assert "dreiging " in book and "threat " not in book
    assert "(DRAFT): " in cli("opinion", "codebook", "-l", "EN").stdout
    assert cli("opinion", "polls", "--lang", "fr").exit_code == 2  # a usage error, as everywhere


def test_a_responses_file_not_in_utf8_is_refused_naming_the_line_and_nothing_is_stored(
    cli: Run, tmp_path: Path
) -> None:
    responses = tmp_path / "reacties.csv"
    text = (DATA / "responses.csv").read_text(encoding="utf-8").replace("Hybride", "Hybride café")
    responses.write_bytes(text.encode("cp1252"))
    line = text[: text.index("café")].count("\n") + 1
    info = str(DATA / "consultation.yaml")
    found = cli(
        "opinion",
        "consultations",
        "import",
        "--info",
        info,
        "--responses",
        str(responses),
        "--organisation",
        "BZ",
    )
    assert found.exit_code == 4
    assert f"reactiebestand '{responses}' is geen UTF-8: regel {line} bevat de byte 0xe9" in found.stderr
    assert "CSV UTF-8 (door komma's gescheiden)" in found.stderr
    assert json.loads(cli("opinion", "consultations", "list", "--format", "json").stdout) == []


def test_the_coordinator_revises_the_codebook_and_a_reader_exports_the_coding(
    cli: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert (
        cli("users", "create", "cor", "--name", "cor", "--org", "BZ", "--role", "coordinator").exit_code == 0
    )
    info, responses = str(DATA / "consultation.yaml"), str(DATA / "responses.csv")
    args = ("opinion", "consultations")
    assert (
        cli(*args, "import", "--info", info, "--responses", responses, "--organisation", "BZ").exit_code == 0
    )
    for coder in ("ann", "bob"):
        _as(cli, monkeypatch, coder)
        screen = json.loads(cli(*args, "coding", "gbvs-test", "--format", "json").stdout)
        for r in screen:
            assert cli(*args, "code", str(r["id"]), "Q1.9" if r["question"] == 1 else "Q2.2").exit_code == 0
    merge = (*args, "codebook", "merge", "gbvs-test", "Q1.9", "Q1.2", "--reason", "niet te onderscheiden")
    refused = cli(*merge)
    assert refused.exit_code == 8 and "opinion:codebook" in refused.stderr  # ann is no coordinator
    _as(cli, monkeypatch, "cor")
    merged = cli(*merge)
    assert merged.stdout == "codeboek van 'gbvs-test' is nu versie 2\n", merged.stderr
    history = cli(*args, "codebook", "history", "gbvs-test").stdout
    assert re.search(r"^v2 thema samengevoegd Q1.9 -> Q1.2 \(cor, \d+ \w+ \d{4} \d\d:\d\d CES?T\): ", history)
    assert history.endswith(
        "): niet te onderscheiden\n    trend technology_hybrid_conflict van Q1.2\n"
        "    dreiging 3 van Q1.2, Q1.9\n"
        "    doel 8 van Q1.9\n"
    )
    english = cli(*args, "codebook", "history", "gbvs-test", "-l", "en").stdout
    assert english.startswith("v2 theme merged Q1.9 -> Q1.2 (cor, ")
    early = cli(*args, "export", "gbvs-test", "-o", str(tmp_path / "x.csv"))
    assert early.exit_code == 4 and "wordt nog gecodeerd" in early.stderr
    assert cli(*args, "advance", "gbvs-test").exit_code == 0
    _as(cli, monkeypatch, "vic")
    written = cli(*args, "export", "gbvs-test", "-o", str(tmp_path / "coded.csv"))
    assert written.stdout == f"12 reacties geëxporteerd naar {tmp_path / 'coded.csv'}\n", written.stderr
    text = (tmp_path / "coded.csv").read_text(encoding="utf-8")
    checksum = hashlib.sha256((DATA / "responses.csv").read_bytes()).hexdigest()
    assert f"# SHA-256 van het reactiebestand: {checksum}\n" in text and "# codeboekversie: 2\n" in text
    assert "# geëxporteerd door: 'vic' (viewer, BZ)\n" in text and "# alfa Q1.2: 1,000 " in text
    assert "GEHEIM-ZINNETJE" not in text and "Jan Jansen" not in text
    assert cli(*args, "export", "gbvs-test", "-f", "xlsx", "-o", str(tmp_path / "coded.xlsx")).exit_code == 0
    book = openpyxl.load_workbook(tmp_path / "coded.xlsx")
    assert book.sheetnames == ["responses", "provenance"]
    about = {row[0]: row[1] for row in book["provenance"].iter_rows(values_only=True)}
    assert about["SHA-256 van het reactiebestand"] == checksum and about["codeboekversie"] == 2
    english = tmp_path / "coded-en.csv"
    assert cli(*args, "export", "gbvs-test", "-o", str(english), "--lang", "en").exit_code == 0
    assert f"# responses file SHA-256: {checksum}\n" in english.read_text(encoding="utf-8")
    header = next(book["responses"].iter_rows(values_only=True))
    assert header[:3] == ("response_id", "question", "respondent_type") and "ann themes" in header


def test_the_coordinator_rewords_editorially_and_withdraws_a_coder_on_the_command_line(
    cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert (
        cli("users", "create", "cor", "--name", "cor", "--org", "BZ", "--role", "coordinator").exit_code == 0
    )
    info, responses = str(DATA / "consultation.yaml"), str(DATA / "responses.csv")
    args = ("opinion", "consultations")
    assert (
        cli(*args, "import", "--info", info, "--responses", responses, "--organisation", "BZ").exit_code == 0
    )
    for coder in ("ann", "bob"):
        _as(cli, monkeypatch, coder)
        for r in json.loads(cli(*args, "coding", "gbvs-test", "--format", "json").stdout):
            assert cli(*args, "code", str(r["id"]), "Q2.2" if r["question"] == 2 else "Q3.1").exit_code == 0
    _as(cli, monkeypatch, "cor")
    reword = (*args, "codebook", "reword", "gbvs-test", "Q2.2", "--nl", "Bescherming", "--reason", "spelling")
    assert cli(*reword, "--editorial").exit_code == 0
    assert (
        cli(*args, "codebook", "reword", "gbvs-test", "Q3.1", "--nl", "Anders", "--reason", "nieuw").exit_code
        == 0
    )
    history = cli(*args, "codebook", "history", "gbvs-test").stdout.splitlines()
    assert history[1] == "    redactioneel: eerdere coderingen blijven geldig"
    assert history[3] == "    andere betekenis: eerdere coderingen moeten opnieuw"
    reliability = cli(*args, "reliability", "gbvs-test").stdout
    assert "Q2.2: alfa " in reliability and "reacties per codeur: ann 12, bob 12" in reliability
    refused = cli(*args, "advance", "gbvs-test")
    assert refused.exit_code == 4 and "withdraw-coder gbvs-test USER --reason" in refused.stderr
    gone = cli(*args, "withdraw-coder", "gbvs-test", "bob", "--reason", "vertrokken")
    assert (
        gone.stdout
        == "bob is teruggetrokken uit de codering van 'gbvs-test'; de codes blijven bewaard maar tellen "
        "niet meer mee\n"
    )
    assert cli(*args, "advance", "gbvs-test").exit_code == 4  # ann still has to re-code Q3.1
    _as(cli, monkeypatch, "ann")
    for r in json.loads(cli(*args, "coding", "gbvs-test", "--format", "json").stdout):
        assert cli(*args, "code", str(r["id"]), "Q3.1").exit_code == 0
    _as(cli, monkeypatch, "cor")
    assert cli(*args, "advance", "gbvs-test").exit_code == 0
    codes = cli(*args, "codes", "gbvs-test").stdout
    assert "bob: Q3.1 (teruggetrokken: telt niet meer mee)" in codes and "ann: Q3.1\n" in codes


def test_the_coordinator_undoes_a_withdrawal_on_the_command_line(
    cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert (
        cli("users", "create", "cor", "--name", "cor", "--org", "BZ", "--role", "coordinator").exit_code == 0
    )
    info, responses = str(DATA / "consultation.yaml"), str(DATA / "responses.csv")
    args = ("opinion", "consultations")
    assert (
        cli(*args, "import", "--info", info, "--responses", responses, "--organisation", "BZ").exit_code == 0
    )
    for coder in ("ann", "bob"):
        _as(cli, monkeypatch, coder)
        for r in json.loads(cli(*args, "coding", "gbvs-test", "--format", "json").stdout):
            assert cli(*args, "code", str(r["id"]), "Q2.2" if r["question"] == 2 else "Q3.1").exit_code == 0
    _as(cli, monkeypatch, "cor")
    assert cli(*args, "withdraw-coder", "gbvs-test", "bob", "--reason", "vertrokken").exit_code == 0
    assert (
        "Q2.2: alfa - (onbepaald; 0 reacties, 0 codeurs) reacties per codeur: ann 0\n"
        in cli(*args, "reliability", "gbvs-test").stdout
    )  # bob withdrawn: ann alone, no response judged by two
    without = cli(*args, "reinstate-coder", "gbvs-test", "bob", "--reason", " ")
    assert (
        without.exit_code != 0
        and "voor het terugzetten van een codeur is een reden van 1 tot 5000 tekens nodig" in without.stderr
    )
    back = cli(*args, "reinstate-coder", "gbvs-test", "bob", "--reason", "vergissing: hij codeert nog")
    assert back.stdout == "bob is teruggezet in de codering van 'gbvs-test'; de codes tellen weer mee\n"
    assert "reacties per codeur: ann 12, bob 12" in cli(*args, "reliability", "gbvs-test").stdout
    again = cli(*args, "reinstate-coder", "gbvs-test", "bob", "--reason", "nog eens")
    assert (
        again.exit_code == 4 and "bob is niet teruggetrokken uit de codering van ‘gbvs-test’" in again.stderr
    )
    history = cli(*args, "coder-history", "gbvs-test").stdout.splitlines()
    assert history[0].startswith("bob teruggetrokken uit het coderen (cor, ") and history[0].endswith(
        "): vertrokken"
    )
    assert history[1].startswith("bob teruggezet in het coderen (terugtrekking ongedaan gemaakt) (cor, ")
    english = cli(*args, "coder-history", "gbvs-test", "--lang", "en").stdout
    assert "bob reinstated in the coding (withdrawal undone) (cor, " in english
    assert [
        c["kind"] for c in json.loads(cli(*args, "coder-history", "gbvs-test", "--format", "json").stdout)
    ] == [
        "withdrawn",
        "reinstated",
    ]


def test_the_export_says_its_withdrawn_coder_and_alpha_values_in_dutch_and_a_failed_write_too(
    cli: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert (
        cli("users", "create", "cor", "--name", "cor", "--org", "BZ", "--role", "coordinator").exit_code == 0
    )
    info, responses = str(DATA / "consultation.yaml"), str(DATA / "responses.csv")
    args = ("opinion", "consultations")
    assert (
        cli(*args, "import", "--info", info, "--responses", responses, "--organisation", "BZ").exit_code == 0
    )
    for coder in ("ann", "bob"):
        _as(cli, monkeypatch, coder)
        for r in json.loads(cli(*args, "coding", "gbvs-test", "--format", "json").stdout):
            assert cli(*args, "code", str(r["id"]), "Q2.2" if r["question"] == 2 else "Q3.1").exit_code == 0
    _as(cli, monkeypatch, "cor")
    assert cli(*args, "withdraw-coder", "gbvs-test", "bob", "--reason", "vertrokken").exit_code == 0
    assert cli(*args, "advance", "gbvs-test").exit_code == 0
    nowhere = tmp_path / "missing-folder" / "coded.csv"
    failed = cli(*args, "export", "gbvs-test", "-o", str(nowhere))
    assert failed.exit_code == 4
    assert failed.stderr == (
        f"fout: export '{nowhere}' kan niet worden geschreven: dat bestand of die map bestaat niet; geef met "
        "--output een bestand in een map waarin u mag schrijven\n"
    )
    english = cli(*args, "export", "gbvs-test", "-o", str(nowhere), "--lang", "en").stderr
    assert english.startswith(f"error: export '{nowhere}' cannot be written: No such file or directory; ")
    dutch = tmp_path / "coded.csv"
    assert cli(*args, "export", "gbvs-test", "-o", str(dutch)).exit_code == 0
    text = dutch.read_text(encoding="utf-8")
    assert re.search(
        r"^# teruggetrokken codeur bob: teruggetrokken door cor op \d{1,2} [a-z]+ \d{4} \d\d:\d\d CES?T na "
        r"het coderen van 12 "
        r"reacties: vertrokken; de codes staan erin maar tellen niet mee voor alfa of voor een eindthema$",
        text,
        re.MULTILINE,
    ), text
    assert "# alfa: Krippendorffs alfa (nominaal) per gebruikt thema, 95%-percentielinterval" in text
    assert re.search(
        r"^# alfa Q2\.2: onbepaald; 0 reacties, 0 codeurs \(reacties per codeur: ann 0\); coderingen vanaf "
        r"codeboekversie 1$",
        text,
        re.MULTILINE,
    ), text
    about = [line for line in text.splitlines() if line.startswith("#")]
    assert not [line for line in about if re.search(r"withdrawn|coders|codings|responses per", line)], about
    en = tmp_path / "coded-en.csv"
    assert cli(*args, "export", "gbvs-test", "-o", str(en), "--lang", "en").exit_code == 0
    assert "after coding 12 responses: vertrokken; the codes are shown but count for no alpha" in (
        en.read_text(encoding="utf-8")
    )


def test_the_coded_export_reads_back_as_its_responses_with_their_provenance(
    cli: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """``gbvs opinion consultations export`` read back with csv and openpyxl: one row per response of the
    responses file with the themes its coders gave, and the provenance a reader asks of every export
    (source, source version, data vintage: it named neither the version nor when the answers were given)."""
    import csv

    import yaml

    from web.test_export_provenance import DATA as FIGURES
    from web.test_export_provenance import _fields, missing_provenance

    info, responses = DATA / "consultation.yaml", DATA / "responses.csv"
    args = ("opinion", "consultations")
    files = ("--info", str(info), "--responses", str(responses))
    imported = cli(*args, "import", *files, "--organisation", "BZ")
    assert imported.exit_code == 0, imported.stderr
    given = {"ann": {1: "Q1.2", 2: "Q2.2", 3: "Q3.1"}, "bob": {1: "Q1.2", 2: "Q2.2", 3: "Q3.1"}}
    for coder, themes in given.items():
        _as(cli, monkeypatch, coder)
        for r in json.loads(cli(*args, "coding", "gbvs-test", "--format", "json").stdout):
            assert cli(*args, "code", str(r["id"]), themes[r["question"]]).exit_code == 0
    _as(cli, monkeypatch, None)
    assert cli(*args, "advance", "gbvs-test").exit_code == 0
    _as(cli, monkeypatch, "vic")
    sheet, book = tmp_path / "coded.csv", tmp_path / "coded.xlsx"
    assert cli(*args, "export", "gbvs-test", "-o", str(sheet)).exit_code == 0
    assert cli(*args, "export", "gbvs-test", "-f", "xlsx", "-o", str(book)).exit_code == 0

    with responses.open(encoding="utf-8", newline="") as handle:
        questions = [int(row["question"]) for row in csv.DictReader(handle)]
    text = sheet.read_text(encoding="utf-8")
    rows = list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))
    assert sorted(int(row["question"]) for row in rows) == sorted(questions)
    for coder, themes in given.items():
        assert [row[f"{coder} themes"] for row in rows] == [themes[int(row["question"])] for row in rows]
    period = yaml.safe_load(info.read_text(encoding="utf-8"))
    vintage = f"reacties gegeven van {period['opened_on']} tot en met {period['closed_on']}"
    notes = dict(line[2:].split(": ", 1) for line in text.splitlines() if line.startswith("# "))
    assert notes["bron"] == "GBVS-codering van consultaties" and notes["peildatum gegevens"] == vintage
    assert re.fullmatch(r"GBVS \S+, databaserevisie \w+", notes["versie van de bron"]), notes
    assert notes["aantal rijen"] == str(len(questions))
    for fmt, content in (("csv", sheet.read_bytes()), ("xlsx", book.read_bytes())):
        fields = _fields(content, fmt)
        assert not missing_provenance(fields, FIGURES, fmt), (fmt, fields)
    workbook = openpyxl.load_workbook(book)
    about = {row[0]: row[1] for row in workbook["provenance"].iter_rows(values_only=True)}
    assert about["peildatum gegevens"] == vintage
    assert about["versie van de bron"] == notes["versie van de bron"]
    assert workbook["responses"].max_row - 1 == len(questions)


def test_an_unrevised_codebook_says_so_rather_than_printing_nothing(cli: Run) -> None:
    """`codebook history` of a codebook nobody revised printed nothing at all, as if it had failed."""
    info, responses = str(DATA / "consultation.yaml"), str(DATA / "responses.csv")
    args = ("opinion", "consultations")
    assert (
        cli(*args, "import", "--info", info, "--responses", responses, "--organisation", "BZ").exit_code == 0
    )
    dutch = cli(*args, "codebook", "history", "gbvs-test")
    assert (dutch.exit_code, dutch.stdout) == (
        0,
        "Geen wijzigingen: het codeboek is zoals het is ingelezen.\n",
    )
    english = cli(*args, "codebook", "history", "gbvs-test", "--lang", "en").stdout
    assert english == "No revisions: the codebook is as it was imported.\n"
    assert cli(*args, "codebook", "history", "gbvs-test", "-f", "json").stdout.strip() == "[]"
