"""``gbvs report``: bad input gets a clear message and an exit code, never a traceback."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from gbvs.config import Settings
from gbvs.db.report_models import ResultAction
from gbvs.db.session import engine_for_url, make_session_factory, session_scope

Run = Callable[..., Any]
ACTION = ("report", "action-save", "a1", "--goal", "1", "--title", "x", "--owner", "BZ")
ACTION = (*ACTION, "--starts-on", "2018-01-01")
VALUE = ("report", "value-add", "goal5_nato_readiness", "--period", "2019", "--measured-on", "2020-01-15",
         "--evidence", "jaarverslag DEF")  # fmt: skip
PEOPLE = ("report", "value-add", "goal12_mission_personnel", *VALUE[3:])


@pytest.fixture
def cli(settings: Settings, db_url: str, monkeypatch: pytest.MonkeyPatch, run_cli: Run) -> Run:
    """``run_cli`` against the migrated test database, with the results chain seeded."""
    monkeypatch.setenv("GBVS_DATABASE_URL", db_url)
    assert run_cli("db", "upgrade").exit_code == 0
    assert run_cli("report", "seed").exit_code == 0
    return run_cli


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (("report", "build", "--period", "2018"), 4, "schrijf die als JJJJ-JJJJ"),
        (("report", "build", "--period", "2019-2018"), 4, "schrijf die als JJJJ-JJJJ"),
        (("report", "build", "--period", "2018-2019", "--formats", "odt"), 4, "Kies uit: html, pdf, docx"),
        (("report", "build", "--period", "2018-2019"), 6, "`gbvs ingest` bouwt hem"),
        (("report", "openbaarheidstoets", "--period", "2018-19"), 4, "schrijf die als JJJJ-JJJJ"),
        (("report", "disclosure-check", "--period", "2018-19"), 4, "als JJJJ-JJJJ"),  # English name
        (("report", "verify", "--period", "2018-2019"), 5, "Er is geen rapportageperiode"),
        (("report", "indicator-set", "nope", "--target", "3"), 5, "Er is geen indicator 'nope'"),
        (("report", "indicator-set", "goal1_battle_deaths"), 4, "nothing to change"),
        (("report", "value-add", "goal1_battle_deaths", "--period", "2019", "--value", "3",
          "--measured-on", "2020-01-01", "--evidence", "x"), 4, "wordt uit gegevens berekend"),
        (("report", "value-add", "goal12_mission_personnel", "--period", "2019", "--value", "3",
          "--measured-on", "1-1-2020", "--evidence", "x"), 4, "YYYY-MM-DD"),
        (("report", "value-add", "goal12_mission_personnel", "--period", "2019", "--value", "3",
          "--measured-on", "2020-01-01", "--evidence", " "), 4, "heeft --evidence nodig"),
        ((*VALUE, "--value", "1e999"), 4, "--value: waarde inf is geen eindig getal"),
        ((*VALUE, "--value", "-inf"), 4, "--value: waarde -inf is geen eindig getal"),
        ((*VALUE, "--value", "nan"), 4, "--value: waarde nan is geen eindig getal"),
        ((*VALUE, "--value", "101"), 4, "het moet een percentage van 0 tot en met 100 zijn"),
        ((*PEOPLE, "--value", "-5"), 4, "het moet een aantal van ten minste 0 zijn"),
        ((*PEOPLE[:3], "--period", "foo", *PEOPLE[5:], "--value", "3"), 4, "'foo' is geen jaar"),
        ((*PEOPLE[:3], "--period", "2999", *PEOPLE[5:], "--value", "3"), 4, "'2999' is geen jaar van 1946"),
        ((*PEOPLE[:6], "1900-01-01", *PEOPLE[7:], "--value", "3"), 4, "ligt niet tussen het begin"),
        ((*VALUE, "--value", "80", "--corrects", "1", "--reason", "x"), 4, "heeft nog geen waarde"),
        (("report", "indicator-set", "goal5_nato_readiness", "--target", "150"), 4,
         "--target van indicator goal5_nato_readiness: waarde 150 valt buiten de eenheid"),
        (("report", "indicator-set", "goal2_pve_programmes", "--baseline", "inf"), 4, "geen eindig getal"),
        (("report", "indicator-set", "goal2_pve_programmes", "--target", "-5"), 4, "aantal van ten minste 0"),
        (("report", "draft", "show", "7"), 5, "Er is geen conceptrapport 7"),
        ((*ACTION, "--framework", "nota"), 5, "framework 'nota' does not exist"),
        ((*ACTION, "--status", "busy"), 4, "Actiestatus 'busy' bestaat niet"),
        (("report", "release", "--kind", "memo", "--id", "1", "--reason", "x"), 4, "Kies uit: signal"),
        (("report", "release", "--kind", "scenario", "--id", "1", "--reason", " "), 4, "--reason nodig"),
    ],
)  # fmt: skip
def test_bad_input_is_named_with_the_fix(cli: Run, args: tuple[str, ...], code: int, words: str) -> None:
    result = cli(*args)
    assert result.exit_code == code, result.stderr
    assert words in result.stderr and "Traceback" not in result.stderr


def test_reported_value_is_kept_with_person_and_evidence(cli: Run, db_url: str) -> None:
    added = cli("report", "value-add", "goal12_mission_personnel", "--period", "2019", "--value", "412",
                "--measured-on", "2020-01-15", "--evidence", "Kamerbrief 2020-0042")  # fmt: skip
    assert added.exit_code == 0, added.stderr
    # the value, not the id; Dutch by default
    assert "vastgelegd: goal12_mission_personnel 2019 = 412 (waarde-id " in added.stdout
    changed = cli(
        "report", "indicator-set", "goal12_mission_personnel", "--target", "500", "--target-year", "2022"
    )
    assert changed.exit_code == 0 and "is nu versie 2" in changed.stdout
    saved = cli(
        "report",
        "action-save",
        "early_warning_unit",
        "--goal",
        "1",
        "--title",
        "Early-warningteam",
        "--owner",
        "bz",
        "--starts-on",
        "2018-03-01",
        "--status",
        "ongoing",
        "--framework",
        "bhos_nota",
        "--title-en",
        " Early warning team ",
        "--lang",
        "en",
    )
    assert saved.exit_code == 0 and "saved as version 1" in saved.stdout, saved.stderr
    engine = engine_for_url(db_url)
    with session_scope(make_session_factory(engine)) as session:
        action = session.scalars(select(ResultAction)).one()
        assert (action.title, action.title_en) == ("Early-warningteam", "Early warning team")
    engine.dispose()
    listed = cli("report", "indicators", "--format", "json")
    row = next(r for r in json.loads(listed.stdout) if r["key"] == "goal12_mission_personnel")
    assert (row["version"], row["target_value"]) == (2, 500.0)


def test_a_second_value_of_a_year_must_say_which_it_corrects_and_why(cli: Run) -> None:
    assert cli(*PEOPLE, "--value", "412").exit_code == 0
    again = cli(*PEOPLE, "--value", "999")
    assert again.exit_code == 4 and "heeft al waarde 412 (waarde-id 1" in again.stderr
    assert "--corrects 1 --reason" in again.stderr and "Traceback" not in again.stderr
    no_reason = cli(*PEOPLE, "--value", "420", "--corrects", "1")
    assert no_reason.exit_code == 4 and "heeft --reason nodig" in no_reason.stderr
    fixed = cli(*PEOPLE, "--value", "420.5", "--corrects", "1", "--reason", "zonder reservisten", "-l", "en")
    assert fixed.exit_code == 0 and "= 420.5 (value id 2, corrects value id 1)" in fixed.stdout, fixed.stderr
    stale = cli(*PEOPLE, "--value", "430", "--corrects", "1", "--reason", "x")
    assert stale.exit_code == 4 and "the latest value of goal12_mission_personnel 2019 is" not in stale.stderr
    assert "dat is waarde-id 2" in stale.stderr


def test_a_release_is_recorded_and_listed_once(cli: Run) -> None:
    missing = cli("report", "release", "--kind", "scenario", "--id", "3", "--reason", "BZ publiceert")
    assert missing.exit_code == 5 and "U kunt geen scenario 3 zien" in missing.stderr
    assert cli("assessments", "seed").exit_code == 0  # the six threats as scenarios 1-6
    released = cli("report", "release", "--kind", "scenario", "--id", "3", "--reason", "BZ publiceert")
    assert released.exit_code == 0, released.stderr
    assert "scenario 3 vrijgegeven voor publicatie" in released.stdout
    again = cli("report", "release", "--kind", "scenario", "--id", "3", "--reason", "nogmaals")
    assert again.exit_code == 4 and "is al vrijgegeven" in again.stderr and "Traceback" not in again.stderr


def test_seeding_again_brings_shipped_names_up_to_date_but_keeps_a_coordinators_name(
    cli: Run, db_url: str
) -> None:
    from sqlalchemy import text

    engine = engine_for_url(db_url)  # a database seeded by an earlier release, in its words
    with engine.begin() as connection:
        for key, old in (("goal13_border_management", "Inzet bij Europees grens-"),
                         ("goal12_mission_personnel", "Uitgezonden personeel")):  # fmt: skip
            connection.execute(
                text("UPDATE result_indicator SET name = :old WHERE key = :key AND version = 1"),
                {"old": old, "key": key},
            )
    engine.dispose()
    own = ("report", "indicator-set", "goal12_mission_personnel", "--name", "Personeel in missies")
    assert cli(*own).exit_code == 0
    assert cli("report", "indicator-set", "goal12_mission_personnel", "--name", " ").exit_code == 4

    again = cli("report", "seed")
    assert again.exit_code == 0, again.stderr
    assert "1 indicator(en) hernoemd naar de naam uit deze versie: goal13_border_management\n" in again.stdout
    names = {row["key"]: row for row in json.loads(cli("report", "indicators", "--format", "json").stdout)}
    border = names["goal13_border_management"]
    assert border["name"] == "Inzet bij het Europees Grens- en Kustwachtagentschap (Frontex)"
    assert border["version"] == 2, "a new version: a frozen report keeps the name it used"
    assert names["goal12_mission_personnel"]["name"] == "Personeel in missies", "a coordinator's name stays"
    assert "name this version ships" not in cli("report", "seed", "--lang", "en").stdout, "nothing left"


REPORT_WORDS = {
    "nl": {
        "seed": "indicatoren toegevoegd: 0",
        "value": "vastgelegd: goal12_mission_personnel 2019 = 1.234,5 (waarde-id 1)",
        "created": "concept 1 over 2018-2019 aangemaakt",
        "moved": "concept 1 is nu ter beoordeling",
        "periods": "2018-2019    open 1 januari 2018 – 31 december 2019",
        "drafts": "   1  ter beoordeling  ",
    },
    "en": {
        "seed": "added 0 indicator(s)",
        "value": "recorded goal12_mission_personnel 2019 = 1,234.5 (value id 1)",
        "created": "draft 1 of 2018-2019 created",
        "moved": "draft 1 is now review",
        "periods": "2018-2019    open period 1 January 2018 – 31 December 2019",
        "drafts": "   1  review  ",
    },
}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_report_commands_confirm_in_the_language_dutch_by_default(
    cli: Run, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    monkeypatch.delenv("GBVS_LANGUAGE", raising=False)
    words, chosen = REPORT_WORDS[lang], (("--lang", "en") if lang == "en" else ())
    assert cli("report", "seed", *chosen).stdout.strip() == words["seed"]
    assert words["value"] in cli(*PEOPLE, "--value", "1234.5", *chosen).stdout
    assert (
        cli("report", "draft", "create", "--period", "2018-2019", *chosen).stdout.strip() == words["created"]
    )
    moved = cli("report", "draft", "move", "1", "--to", "review", *chosen)
    assert moved.stdout.strip() == words["moved"], moved.stderr
    # the statuses by name in the language; JSON keeps the codes
    assert cli("report", "periods", *chosen).stdout.splitlines() == [words["periods"]]
    assert cli("report", "draft", "list", *chosen).stdout.startswith(words["drafts"])
    listed = json.loads(cli("report", "periods", "--format", "json", *chosen).stdout)
    assert [(p["status"], p["starts_on"], p["ends_on"]) for p in listed] == [
        ("open", "2018-01-01", "2019-12-31")
    ]
    drafts = json.loads(cli("report", "draft", "list", "--format", "json", *chosen).stdout)
    assert [d["status"] for d in drafts] == ["review"]


@pytest.mark.parametrize(
    ("lang", "lines"),
    [
        (
            "nl",
            [
                "momentopname 7 (vervangen, 1 februari 2020 door ann)",
                "  vervangt aaa (waarde gecorrigeerd)",
                "  bewaard     bbb",
                "  herberekend ccc",
                "  GEWIJZIGD: komt niet meer overeen met de bewaarde hash",
            ],
        ),
        (
            "en",
            [
                "snapshot 7 (superseded, 1 February 2020 by ann)",
                "  replaces aaa (waarde gecorrigeerd)",
                "  stored  bbb",
                "  rebuilt ccc",
                "  ALTERED: no longer matches its stored hash",
            ],
        ),
    ],
)
def test_report_verify_says_what_it_found_in_the_language(lang: str, lines: list[str]) -> None:
    from gbvs.cli.report import _verified_lines
    from gbvs.reports.service import Verification

    checked = Verification(
        "2018-2019", "bbb", "ccc", False, 7, "ann", "2020-02-01", "aaa", "waarde gecorrigeerd", False
    )
    assert _verified_lines(checked, "2018-2019", lang) == lines  # type: ignore[arg-type]


def test_no_period_yet_says_which_command_makes_the_first(cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """`gbvs report periods` printed "(geen)" alone on a new installation, with no next step."""
    monkeypatch.delenv("GBVS_LANGUAGE", raising=False)
    none = cli("report", "periods")
    assert none.exit_code == 0 and none.stdout == (
        "nog geen rapportageperiode; `gbvs report build --period 2018-2019` maakt de eerste\n"
    )
    english = cli("report", "periods", "--lang", "en").stdout
    assert english == "no reporting period yet; `gbvs report build --period 2018-2019` makes the first\n"
    assert json.loads(cli("report", "periods", "--format", "json").stdout) == []
