"""Bad files given to the importers of the command line (``gbvs opinion consultations import``, ``gbvs
signals import-stix``): each damaged copy, made here from a good file, is refused with the input exit code,
no traceback, a Dutch message naming the file and the fix, and the database exactly as it was."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, inspect, select, table

from gbvs.config import Settings
from gbvs.db.session import engine_for_url
from gbvs.errors import InputError

Run = Callable[..., Any]
Damage = Callable[[bytes], bytes | None]
"""A good file's bytes made bad; None: no file at all."""

DATA = Path(__file__).parents[1] / "opinion" / "data"
RESPONSES = (DATA / "responses.csv").read_bytes()
INFO = (DATA / "consultation.yaml").read_bytes()
STIX = (
    b'{"type": "bundle", "id": "bundle--6b2a4f0e-6b8e-4d0c-9a53-3f4e1d8b9c01", "objects": [{"type": '
    b'"campaign", "spec_version": "2.1", "id": "campaign--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "created": '
    b'"2026-12-01T09:30:00.000Z", "modified": "2026-12-01T09:30:00.000Z", "name": "Operatie Nachtvlinder"}]}'
)
FOLDER = b"<folder>"


@pytest.fixture
def cli(settings: Settings, db_url: str, monkeypatch: pytest.MonkeyPatch, run_cli: Run) -> Run:
    monkeypatch.setenv("GBVS_DATABASE_URL", db_url)
    assert run_cli("db", "upgrade").exit_code == 0
    assert run_cli("users", "create-admin", "root").exit_code == 0
    assert run_cli("orgs", "seed").exit_code == 0
    return run_cli


def row_counts(db_url: str) -> dict[str, int]:
    """Every table of the database and its number of rows."""
    engine = engine_for_url(db_url)
    try:
        with engine.connect() as connection:
            names = inspect(connection).get_table_names()
            return {
                name: connection.execute(select(func.count()).select_from(table(name))).scalar_one()
                for name in names
            }
    finally:
        engine.dispose()


def _drop_column(data: bytes, column: bytes) -> bytes:
    lines = data.splitlines(keepends=True)
    at = lines[0].rstrip(b"\r\n").split(b",").index(column)
    return b"".join(
        b",".join(cell for i, cell in enumerate(line.rstrip(b"\r\n").split(b",")) if i != at) + b"\n"
        for line in lines
        if line.count(b",") == lines[0].count(b",")
    )


def _zip(_data: bytes) -> bytes:
    return b"PK\x03\x04\x14\x00\x06\x00" + bytes(200)  # the start of an .xlsx workbook


RESPONSE_DAMAGES = [
    pytest.param(
        lambda d: None,
        "kan niet worden gelezen: dat bestand of die map bestaat niet; geef het pad van een bestand",
        id="missing",
    ),
    pytest.param(
        lambda d: FOLDER, "kan niet worden gelezen: dit is een map, geen bestand; geef het pad", id="folder"
    ),
    pytest.param(lambda d: b"", "Het reactiebestand is leeg. Het heeft een kopregel met", id="empty"),
    pytest.param(lambda d: b"\xef\xbb\xbf", "Het reactiebestand is leeg.", id="bom-only"),
    pytest.param(lambda d: d.splitlines(keepends=True)[0], "geen regels met antwoorden", id="header-only"),
    pytest.param(lambda d: d[: len(d) // 2], "Zet een tekst met komma's", id="cut-mid-row"),
    pytest.param(lambda d: d.decode().encode("utf-16"), "is geen UTF-8: regel 1", id="utf-16"),
    pytest.param(lambda d: d.replace(b",", b";"), "gescheiden door puntkomma's", id="semicolons"),
    pytest.param(lambda d: _drop_column(d, b"consent"), "mist de kolommen ['consent']", id="no-column"),
    pytest.param(lambda d: d.replace(b"Hybride", b"Hy\x00bride", 1), "een NUL-byte", id="nul-byte"),
    pytest.param(_zip, "is een ZIP-archief, zoals een Excel-werkmap (.xlsx)", id="workbook"),
]

INFO_DAMAGES = [
    pytest.param(
        lambda d: None,
        "kan niet worden gelezen: dat bestand of die map bestaat niet; geef het pad van een bestand",
        id="missing",
    ),
    pytest.param(lambda d: b"", "heeft 'slug', 'title' en 'questions'", id="empty"),
    pytest.param(lambda d: d + b"\n  x: [\n", "geen geldige YAML", id="bad-yaml"),
    pytest.param(
        lambda d: d.replace(b"opened_on: 2017-12-06", b"opened_on: 2017-13-45"),
        "write a date as YYYY-MM-DD",
        id="impossible-date",
    ),
    pytest.param(lambda d: d.replace(b"title:", "titel\xe9:".encode("latin-1")), "geen UTF-8", id="latin-1"),
]


def _write(tmp_path: Path, name: str, damage: Damage, good: bytes) -> Path:
    path = tmp_path / "invoer" / name
    path.parent.mkdir(exist_ok=True)
    made = damage(good)
    if made == FOLDER:
        path.mkdir()
    elif made is not None:
        path.write_bytes(made)
    return path


def _refused_unchanged(cli: Run, db_url: str, bad: Path, message: str, *args: str) -> None:
    before = row_counts(db_url)
    result = cli(*args)
    assert result.exit_code == InputError.exit_code, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert str(bad) in result.stderr and message in result.stderr, result.stderr
    assert result.stderr.startswith("fout: ")
    assert row_counts(db_url) == before


def _import(info: Path, responses: Path, *extra: str) -> tuple[str, ...]:
    return ("opinion", "consultations", "import", "--info", str(info), "--responses", str(responses), *extra)


def test_the_good_files_import(cli: Run, tmp_path: Path) -> None:
    """The files the damaged copies are made of are good: the refusals below are the damage's."""
    info = _write(tmp_path, "consultatie.yaml", lambda d: d, INFO)
    responses = _write(tmp_path, "reacties.csv", lambda d: d, RESPONSES)
    assert cli(*_import(info, responses, "--organisation", "BZ")).exit_code == 0


@pytest.mark.parametrize(("damage", "message"), RESPONSE_DAMAGES)
def test_a_bad_responses_file_is_refused_naming_it_and_nothing_is_stored(
    cli: Run, db_url: str, tmp_path: Path, damage: Damage, message: str
) -> None:
    info = _write(tmp_path, "consultatie.yaml", lambda d: d, INFO)
    bad = _write(tmp_path, "reacties.csv", damage, RESPONSES)
    _refused_unchanged(cli, db_url, bad, message, *_import(info, bad, "--organisation", "BZ"))
    assert json.loads(cli("opinion", "consultations", "list", "--format", "json").stdout) == []


@pytest.mark.parametrize(("damage", "message"), INFO_DAMAGES)
def test_a_bad_consultation_file_is_refused_naming_it_and_nothing_is_stored(
    cli: Run, db_url: str, tmp_path: Path, damage: Damage, message: str
) -> None:
    bad = _write(tmp_path, "consultatie.yaml", damage, INFO)
    responses = _write(tmp_path, "reacties.csv", lambda d: d, RESPONSES)
    _refused_unchanged(cli, db_url, bad, message, *_import(bad, responses, "--organisation", "BZ"))


def test_the_refusal_is_in_english_with_lang_en(cli: Run, tmp_path: Path) -> None:
    info = _write(tmp_path, "consultatie.yaml", lambda d: d, INFO)
    missing = tmp_path / "reacties.csv"
    result = cli(*_import(info, missing, "--organisation", "BZ", "--lang", "en"))
    assert result.exit_code == InputError.exit_code
    assert (
        f"responses file '{missing}' cannot be read: No such file or directory; give the path of a file"
        in result.stderr
    )
    empty = _write(tmp_path, "leeg.csv", lambda d: b"", RESPONSES)
    result = cli(*_import(info, empty, "--organisation", "BZ", "--lang", "en"))
    assert f"error: {empty}: responses file is empty; it needs a header row" in result.stderr


STIX_DAMAGES = [
    pytest.param(lambda d: None, "STIX-bundel '", id="missing"),
    pytest.param(
        lambda d: FOLDER, "een map, geen bestand; geef het pad van een STIX 2.1-bundel", id="folder"
    ),
    pytest.param(lambda d: b"", "geen JSON", id="empty"),
    pytest.param(lambda d: d[: len(d) // 2], "geen JSON", id="truncated"),
    pytest.param(lambda d: d.replace(b"Nachtvlinder", b"Nachtvlinder \xe9"), "geen JSON", id="latin-1"),
    pytest.param(lambda d: b"[]", "verwacht werd een STIX-bundel", id="a-list"),
    pytest.param(
        lambda d: d.replace(b"Operatie Nachtvlinder", b"Operatie\\u0000Nachtvlinder"),
        "objects[0].name bevat een NUL-teken (\\u0000)",
        id="nul-in-a-text",  # was stored (SQLite) or a database error (PostgreSQL)
    ),
]


@pytest.mark.parametrize(("damage", "message"), STIX_DAMAGES)
def test_a_bad_stix_bundle_is_refused_naming_it_and_nothing_is_stored(
    cli: Run, db_url: str, tmp_path: Path, damage: Damage, message: str
) -> None:
    bad = _write(tmp_path, "bundel.json", damage, STIX)
    result_path = bad if damage(STIX) in (None, FOLDER) else Path(bad.name)  # the bundle's errors: its name
    _refused_unchanged(cli, db_url, result_path, message, "signals", "import-stix", str(bad))


OPINION_DATA = Path(__file__).parents[2] / "src" / "gbvs" / "opinion" / "data"


@pytest.mark.parametrize(
    ("shipped", "command"),
    [
        pytest.param("polls/pew_dec2013.yaml", ("opinion", "weights", "x", "--definition"), id="definition"),
        pytest.param("codebook_gbvs_2018_draft.yaml", ("opinion", "codebook", "--file"), id="codebook"),
    ],
)
def test_an_impossible_date_in_a_yaml_file_is_refused_not_a_traceback(
    settings: Settings, run_cli: Run, tmp_path: Path, shipped: str, command: tuple[str, ...]
) -> None:
    """PyYAML reads ``2017-13-45`` as a date and raises a bare ValueError (no month 13), which every YAML
    reader of the opinion module let through as a traceback."""
    bad = tmp_path / Path(shipped).name
    bad.write_bytes((OPINION_DATA / shipped).read_bytes() + b"\nchecked_on: 2017-13-45\n")
    result = run_cli(*command, str(bad))
    assert result.exit_code == InputError.exit_code, result.stderr
    assert bad.name in result.stderr and "geen geldige YAML: month must be in 1..12" in result.stderr
    assert "write a date as YYYY-MM-DD" in result.stderr
