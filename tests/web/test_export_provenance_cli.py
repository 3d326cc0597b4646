"""Every file the command line writes names its provenance in the file itself (docs/exports.md), as
``tests/web/test_export_provenance.py`` asks of the API's ``format=`` downloads; and the files that test
cannot reach by ``format=``: the country brief's PDF (page, API and ``gbvs brief``), a STIX bundle chosen
by the ``Accept`` header, and the progress report's DOCX and PDF.

``CLI_EXPORTS`` lists every command that writes a file (``--output``, ``--out``, ``--svg`` …) or offers a
file format besides text and JSON; ``test_every_cli_export_is_listed`` walks the Typer app and fails when
a command does so and is not listed, so a new export is checked from the day it appears. Each file is
read back as a program or a person would (csv, pypdfium2, python-docx, pypdf, json).
"""

from __future__ import annotations

import csv
import io
import json
import re
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pypdf
import pytest
from fastapi.testclient import TestClient
from typer._click.core import Command, Context

from gbvs.cli.commands import register
from gbvs.cli.helptexts import leaf_commands, typer_command
from gbvs.cli.main import app
from gbvs.config import Settings, load_settings
from gbvs.reports.docx_render import render_docx
from gbvs.reports.render import render_html, render_pdf
from gbvs.signals import stix
from gbvs.signals.markings import STIX_TLP_MARKINGS, Tlp
from gbvs.web.app import create_app
from reports.test_report_formats import _report, docx_text
from reports.test_report_words import HASH, WATCH_RUN
from web.test_country_brief import pdf_pages
from web.test_export_provenance import FORECAST, _fields, missing_provenance

Run = Callable[..., Any]

HERE = "tests/web/test_export_provenance_cli.py"
READBACK = "tests/web/test_export_readback_cli.py"
CLI_EXPORTS: dict[str, tuple[str, ...]] = {
    "signals export": ("file", "stix", "misp", "csv"),
    "watchlist": ("csv",),
    "demspaces": ("csv",),
    "displacement ranking": ("csv",),
    "brief": ("file",),  # the PDF
    "report build": ("file", "html", "pdf", "docx"),
    "opinion consultations export": ("file", "csv", "xlsx"),
    "codebook": ("file", "md"),
    "modelcard": ("md",),
    "backtest": ("file",),
    "displacement backtest": ("file",),
    "assessments results": ("file",),
    "audit checkpoint": ("file",),
    "db downgrade": ("file",),
}
"""Command → the file formats it offers (``file`` when it writes a file it is given)."""

READ_BACK: dict[str, tuple[str, ...]] = {
    "signals export": (
        f"{HERE}::test_the_signals_csv_names_register_version_exporter_need_to_know_and_filters",
        f"{HERE}::test_the_misp_event_names_the_exports_provenance_and_each_signals_owner",
        f"{HERE}::test_a_stix_export_names_register_version_exporter_need_to_know_and_filters_in_a_note",
    ),
    "watchlist": (f"{HERE}::test_every_forecast_csv_of_the_cli_names_its_provenance",),
    "demspaces": (f"{HERE}::test_every_forecast_csv_of_the_cli_names_its_provenance",),
    "displacement ranking": (f"{HERE}::test_every_forecast_csv_of_the_cli_names_its_provenance",),
    "brief": (f"{HERE}::test_the_country_brief_names_its_provenance_from_page_api_and_cli",),
    "report build": (
        f"{READBACK}::test_report_build_writes_a_pdf_and_docx_with_the_figures_and_their_provenance",
    ),
    "opinion consultations export": (
        "tests/db/test_opinion_cli.py::test_the_coded_export_reads_back_as_its_responses_with_their_provenance",
    ),
    "codebook": (f"{READBACK}::test_the_codebook_file_reads_back_with_each_sources_version_and_vintage",),
    "modelcard": (f"{READBACK}::test_the_model_card_reads_back_with_the_backtests_figures_and_provenance",),
    "backtest": (f"{READBACK}::test_the_backtest_report_reads_back_with_its_scores_and_provenance",),
    "displacement backtest": (
        f"{READBACK}::test_the_displacement_backtest_report_reads_back_with_its_scores_and_provenance",
    ),
    "assessments results": (
        "tests/db/test_assessments_cli.py::test_the_risk_diagram_svg_reads_back_with_its_points_and_provenance",
    ),
}
"""Command → the tests that run it, read its file back with a real reader (csv, openpyxl, pypdf,
python-docx, ElementTree, json) and check a figure computed from the test's own data and the provenance."""

NO_FIGURES: dict[str, str] = {
    "audit checkpoint": "the audit chain's anchor",
    "db downgrade": "the audit rows a downgrade would drop",
}
"""Commands whose file holds no figures, so no provenance to read back."""

WRITES = frozenset({"--output", "--out", "--svg", "--export-audit"})
"""Options that name a file or folder a command writes (inputs such as ``--file`` are read)."""
NOT_FILES = frozenset({"text", "json"})
"""Formats that are the command's answer on standard output, not a file (as JSON is no file to the API)."""
FILE_FORMAT = re.compile(r"\b(csv|xlsx|geojson|stix|misp|pdf|docx|html|md)\b")


def _offered(command: Command) -> set[str]:
    """What ``command`` writes: ``file`` for an option naming a file to write, and the file formats of
    its ``--format``/``--formats`` (an enumeration's values, else the formats its help names)."""
    found: set[str] = set()
    for param in command.get_params(Context(command)):
        opts = set(getattr(param, "opts", ()))
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is None:
            continue
        kinds = typing.get_args(descriptor.annotation) or (descriptor.annotation,)
        if opts & WRITES and Path in kinds:
            found.add("file")
        if opts & {"--format", "--formats"}:
            values = {m.value for kind in kinds if hasattr(kind, "__members__") for m in kind}
            found |= (values or set(FILE_FORMAT.findall(param.help or ""))) - NOT_FILES
    return found


def test_every_cli_export_is_listed() -> None:
    """A new command that writes a file or offers a file format fails here until it is listed."""
    register(app)
    offered = {
        path: found
        for path, command in leaf_commands(typer_command(app)).items()
        if (found := _offered(command))
    }
    listed = {path: set(formats) for path, formats in CLI_EXPORTS.items()}
    assert offered == listed


def test_every_cli_export_is_read_back_by_a_test_that_exists() -> None:
    """Each listed export names the tests that read its file back (or why it has no figures), and each
    named test is there: a renamed or removed test fails here, not silently."""
    assert set(READ_BACK) | set(NO_FIGURES) == set(CLI_EXPORTS) and not set(READ_BACK) & set(NO_FIGURES)
    root = Path(__file__).resolve().parents[2]
    for command, tests in READ_BACK.items():
        for node in tests:
            path, name = node.split("::")
            source = (root / path).read_text(encoding="utf-8")
            assert re.search(rf"^def {name}\(", source, re.MULTILINE), (command, node)


# --- the signals register's CSV ---------------------------------------------------------------------------


@pytest.fixture
def register_cli(settings: Settings, monkeypatch: pytest.MonkeyPatch, run_cli: Run, tmp_path: Path) -> Run:
    """The data folder's new database with one imported signal (TLP:GREEN), the next commands run as
    ann, an analyst of BZ."""
    assert run_cli("db", "upgrade").exit_code == 0
    assert run_cli("users", "create-admin", "root", "--name", "Root").exit_code == 0
    assert run_cli("orgs", "seed").exit_code == 0
    made = run_cli("users", "create", "ann", "--name", "Ann", "--org", "BZ", "--role", "analyst")
    assert made.exit_code == 0, made.stderr
    token = run_cli("users", "tokens", "create", "cli", "--user", "ann", "--format", "json")
    monkeypatch.setenv("GBVS_TOKEN", json.loads(token.stdout)["token"])
    from stix2 import Bundle, Campaign

    bundle = tmp_path / "b.json"
    bundle.write_text(Bundle(objects=[Campaign(name="Operatie Nachtvlinder")]).serialize())
    imported = run_cli("signals", "import-stix", str(bundle), "--tlp", "green")
    assert imported.exit_code == 0, imported.stderr
    return run_cli


def _notes_and_rows(text: str) -> tuple[dict[str, str], list[dict[str, str]]]:
    """The ``# name: value`` lines of a CSV and its rows (as ``pandas.read_csv(comment="#")`` reads them)."""
    lines = text.splitlines()
    notes = dict(line[2:].split(": ", 1) for line in lines if line.startswith("# "))
    return notes, list(csv.DictReader(line for line in lines if not line.startswith("#")))


def test_the_signals_csv_names_register_version_exporter_need_to_know_and_filters(
    register_cli: Run, tmp_path: Path
) -> None:
    """It carried each signal's own source and nothing about the export: who took it, when, from which
    register and version, under whose need-to-know and with which filter."""
    out = tmp_path / "signalen.csv"
    assert (
        register_cli("signals", "export", "-o", str(out), "--format", "csv", "--tlp", "green").exit_code == 0
    )
    notes, rows = _notes_and_rows(out.read_text(encoding="utf-8"))
    assert [row["title"] for row in rows] == ["Operatie Nachtvlinder"] and "source" in rows[0]
    assert notes["bron"] == "GBVS-signalenregister (de eigen bron van elk signaal in zijn rij)"  # Dutch
    assert re.fullmatch(r"GBVS \S+, databaserevisie \w+", notes["versie van de bron"]), notes
    assert notes["geëxporteerd door"] == "'ann' (analyst, BZ)"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", notes["geëxporteerd op (UTC)"])
    assert "'ann' (analyst, BZ)" in notes["need-to-know"] and "organisatie BZ" in notes["need-to-know"]
    assert notes["filter tlp"] == "green" and notes["aantal rijen"] == "1" and "gedownload op" in notes
    english = tmp_path / "signals.csv"
    asked = ("--format", "csv", "--kind", "cyber_operation", "--lang", "en")
    taken = register_cli("signals", "export", "-o", str(english), *asked)
    assert taken.exit_code == 0, taken.stderr
    notes, rows = _notes_and_rows(english.read_text(encoding="utf-8"))
    assert rows == [] and notes["source"] == "GBVS signals register (each signal's own source in its row)"
    assert notes["exported by"] == "'ann' (analyst, BZ)" and notes["filter kind"] == "cyber_operation"
    assert "kind=cyber_operation" in notes["explanation"]  # no row matched, and which filter left none


def test_the_misp_event_names_the_exports_provenance_and_each_signals_owner(
    register_cli: Run, tmp_path: Path
) -> None:
    """It carried the title, markings and countries: neither the owner organisation nor the source of
    a signal, nor who exported it when under whose need-to-know."""
    from pymisp import MISPEvent

    out = tmp_path / "signalen.misp.json"
    assert register_cli("signals", "export", "-o", str(out), "--format", "misp").exit_code == 0
    event = MISPEvent()
    event.load(json.loads(out.read_text(encoding="utf-8")))
    comments = [attribute.value for attribute in event.attributes if attribute.type == "comment"]
    [about] = [text for text in comments if "geëxporteerd door: 'ann' (analyst, BZ)" in text]  # Dutch
    assert "bron: GBVS-signalenregister" in about and "need-to-know: alleen de signalen" in about
    assert re.search(r"versie van de bron: GBVS \S+, databaserevisie \w+", about), about
    assert any(text.startswith("owner organisation: ") for text in comments), comments


def test_a_stix_export_names_each_signals_owner_and_source(register_cli: Run, tmp_path: Path) -> None:
    """STIX carries a signal's provenance in its report: who made it (``created_by_ref``, an identity in
    the bundle), when, and GBVS's extension (its definition's version) with the signal's source."""
    out = tmp_path / "signals.json"
    assert register_cli("signals", "export", "-o", str(out)).exit_code == 0
    _each_report_names_its_origin(json.loads(out.read_text(encoding="utf-8")))


def test_a_stix_export_names_register_version_exporter_need_to_know_and_filters_in_a_note(
    register_cli: Run, tmp_path: Path
) -> None:
    """A STIX bundle said nothing about the export itself (the CSV and MISP exports did): now GBVS's own
    identity writes a note on the exported reports with the CSV's lines, marked as the most restrictive
    exported object, and the bundle stays valid STIX 2.1 (stix2-validator: no error, no warning but
    check 103, GBVS's UUIDv5 ids)."""
    out = tmp_path / "signalen.json"
    made = register_cli("signals", "export", "-o", str(out), "--tlp", "green")
    assert made.exit_code == 0, made.stderr
    bundle = json.loads(out.read_text(encoding="utf-8"))
    _valid_stix(bundle)
    note, notes = _provenance_note(bundle)
    assert notes["bron"] == "GBVS-signalenregister (de eigen bron van elk signaal in zijn rij)"  # Dutch
    assert re.fullmatch(r"GBVS \S+, databaserevisie \w+", notes["versie van de bron"]), notes
    assert notes["geëxporteerd door"] == "'ann' (analyst, BZ)"
    assert notes["geëxporteerd op (UTC)"].replace("+00:00", ".000Z") == note["created"], note
    assert "'ann' (analyst, BZ)" in notes["need-to-know"] and "organisatie BZ" in notes["need-to-know"]
    assert notes["filter tlp"] == "green" and notes["aantal rijen"] == "1" and "gedownload op" in notes
    assert note["object_marking_refs"] == [STIX_TLP_MARKINGS[Tlp.green]], "as the exported report"
    english = tmp_path / "signals.json"
    taken = register_cli("signals", "export", "-o", str(english), "--kind", "cyber_operation", "--lang", "en")
    assert taken.exit_code == 0, taken.stderr
    empty = json.loads(english.read_text(encoding="utf-8"))
    _valid_stix(empty)
    note, notes = _provenance_note(empty)
    assert notes["exported by"] == "'ann' (analyst, BZ)" and notes["filter kind"] == "cyber_operation"
    assert notes["source"] == "GBVS signals register (each signal's own source in its row)"
    assert "kind=cyber_operation" in notes["explanation"] and notes["rows"] == "0"
    assert note["object_refs"] == [stix.GBVS_IDENTITY["id"]], "no report: the note is on the register"


def _valid_stix(bundle: dict[str, Any]) -> None:
    from stix2validator import ValidationOptions, validate_instance

    results = validate_instance(bundle, ValidationOptions(version="2.1"))
    assert results.is_valid, [str(error) for error in results.errors]
    warned = [str(warning) for warning in results.warnings]
    ours = [obj["id"] for obj in bundle["objects"] if stix.is_export_note(obj)]
    assert all("{103}" in warning and not any(key in warning for key in ours) for warning in warned), warned


def _provenance_note(bundle: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The bundle's one note by GBVS's own identity, on every exported report, and its lines by name."""
    [note] = [obj for obj in bundle["objects"] if obj["type"] == "note" and stix.is_export_note(obj)]
    reports = [obj["id"] for obj in bundle["objects"] if obj["type"] == "report"]
    assert note["created_by_ref"] == stix.GBVS_IDENTITY["id"] and sorted(note["object_refs"]) == sorted(
        reports or [stix.GBVS_IDENTITY["id"]]
    )
    assert stix.GBVS_IDENTITY["id"] in {obj["id"] for obj in bundle["objects"]}
    return note, dict(line.split(": ", 1) for line in note["content"].splitlines())


def _each_report_names_its_origin(bundle: dict[str, Any]) -> None:
    objects = {obj["id"]: obj for obj in bundle["objects"]}
    reports = [obj for obj in objects.values() if obj["type"] == "report"]
    assert reports
    for report in reports:
        assert objects[report["created_by_ref"]]["type"] == "identity"
        assert report["created"] and report["published"]
        [(extension, fields)] = report["extensions"].items()
        assert objects[extension]["version"] and fields["kind"]


def test_a_stix_bundle_chosen_by_the_accept_header_names_each_signals_origin(
    web_settings: Settings, signals_database: str
) -> None:
    settings = load_settings(data_dir=web_settings.data_dir, database_url=signals_database)
    with TestClient(create_app(settings)) as client:
        answer = client.get("/api/v1/signals", headers={"Accept": "application/stix+json;version=2.1"})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/stix+json")
    _each_report_names_its_origin(answer.json())


def test_a_stix_bundle_chosen_by_the_accept_header_names_its_exporter_and_filters_in_a_note(
    web_settings: Settings, signals_database: str
) -> None:
    """The API's bundle said nothing about who took it when, under whose need-to-know, with which filter."""
    settings = load_settings(data_dir=web_settings.data_dir, database_url=signals_database)
    stix_accept = {"Accept": "application/stix+json;version=2.1"}
    with TestClient(create_app(settings)) as client:
        dutch = client.get("/api/v1/signals", headers=stix_accept).json()
        english = client.get("/api/v1/signals?lang=en&kind=other", headers=stix_accept).json()
    for bundle in (dutch, english):
        _valid_stix(bundle)
    note, notes = _provenance_note(dutch)
    assert {"bron", "versie van de bron", "geëxporteerd door", "need-to-know", "aantal rijen"} <= set(notes)
    reports = [obj for obj in dutch["objects"] if obj["type"] == "report"]
    assert notes["aantal rijen"] == str(len(reports)) and reports
    highest = stix.bundle_tlp([obj for obj in dutch["objects"] if obj is not note])
    assert highest is not None and note["object_marking_refs"][0] == STIX_TLP_MARKINGS[highest]
    _, notes = _provenance_note(english)
    assert notes["filter kind"] == "other" and notes["exported by"] and notes["source version"], notes


# --- forecasts and data as CSV on standard output ---------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("watchlist", "--format", "csv"),
        ("demspaces", "--format", "csv", "--all"),
        ("demspaces", "--format", "csv", "--min-difference", "0.99"),  # no pair: the notes say it
        ("displacement", "ranking", "--format", "csv"),
    ],
    ids=["watchlist", "demspaces", "demspaces-empty", "displacement-ranking"],
)
def test_every_forecast_csv_of_the_cli_names_its_provenance(
    web_settings: Settings, run_cli: Run, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    monkeypatch.setenv("GBVS_DATA_DIR", str(web_settings.data_dir))
    made = run_cli(*args)
    assert made.exit_code == 0, made.stderr
    fields = _fields(made.stdout.encode("utf-8"), "csv")
    assert not missing_provenance(fields, FORECAST, "csv"), fields


# --- the country brief: page, API and command line --------------------------------------------------------

IN_THE_FOOTER = {
    "nl": (r"\((?:versie) [^,()]+, peildatum \d{4}\)", r"trainingsgrens \d{4}", r"[Pp]eildatum"),
    "en": (r"\(version [^,()]+, vintage \d{4}\)", r"training cutoff \d{4}", r"[Vv]intage"),
}
"""Each source with version and vintage, the model's training cutoff, the forecasts' data vintage."""


def _names_its_provenance(pdf: bytes, lang: str) -> None:
    [text] = pdf_pages(pdf)
    flat = " ".join(text.split())
    for pattern in IN_THE_FOOTER[lang]:
        assert re.search(pattern, flat), (pattern, flat[-800:])
    assert "lgbm-test-1" in flat  # the model version of the small store's run


def test_the_country_brief_names_its_provenance_from_page_api_and_cli(
    client: TestClient,
    web_settings: Settings,
    run_cli: Run,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    _names_its_provenance(client.get("/landen/SYR/brief.pdf").content, "nl")  # Dutch by default
    _names_its_provenance(client.get("/api/v1/countries/SYR/brief?lang=en").content, "en")
    monkeypatch.setenv("GBVS_DATA_DIR", str(web_settings.data_dir))
    target = tmp_path / "brief.pdf"
    made = run_cli("brief", "SYR", "-o", str(target))
    assert made.exit_code == 0, made.stderr
    _names_its_provenance(target.read_bytes(), "nl")


# --- the progress report's DOCX and PDF -------------------------------------------------------------------


def test_the_reports_docx_and_pdf_name_the_forecast_run_and_each_sources_version_and_vintage() -> None:
    """``gbvs report build`` writes these renderers' files (the real build: test_report_pages.py)."""
    report = _report()
    docx = docx_text(render_docx(report, HASH, "nl"))
    printed = pypdf.PdfReader(io.BytesIO(render_pdf(render_html(report, HASH, "nl"))))
    pdf = " ".join(" ".join(page.extract_text() for page in printed.pages).split())
    for text in (docx, pdf):
        assert WATCH_RUN["model_version"] in text and str(WATCH_RUN["training_cutoff"]) in text
        assert re.search(r"versie \S+", text) and re.search(r"peildatum \S+", text), text[-600:]
