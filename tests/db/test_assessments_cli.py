"""``gbvs assessments`` end to end: a blind round through the CLI, reveal, results with SVG, errors."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from gbvs.assessments import load_method
from gbvs.config import Settings
from gbvs.db.assessment_models import ScoreEntry, ScoreSheet, ScoringRound
from gbvs.db.models import AuditLog, User
from gbvs.db.services import assessments as service
from gbvs.db.services.principals import load_principal
from gbvs.db.types import utcnow
from gbvs.numbers import moment

Run = Callable[..., Any]
CRITERIA = load_method("nrb_2009").criterion_ids()


@pytest.fixture
def cli(settings: Settings, db_url: str, monkeypatch: pytest.MonkeyPatch, run_cli: Run) -> Run:
    monkeypatch.setenv("GBVS_DATABASE_URL", db_url)
    assert run_cli("db", "upgrade").exit_code == 0
    assert run_cli("users", "create-admin", "root").exit_code == 0
    assert run_cli("orgs", "seed").exit_code == 0
    for name in ("ann", "bob"):
        assert (
            run_cli("users", "create", name, "--name", name, "--org", "BZ", "--role", "analyst").exit_code
            == 0
        )
    return run_cli


def _as(cli: Run, monkeypatch: pytest.MonkeyPatch, username: str | None) -> None:
    os.environ.pop("GBVS_TOKEN", None)
    if username is None:
        return
    made = cli("users", "tokens", "create", "cli", "--user", username, "--format", "json")
    assert made.exit_code == 0, made.stderr
    monkeypatch.setenv("GBVS_TOKEN", json.loads(made.stdout)["token"])


def _score(cli: Run, likelihood: str, fatalities: str) -> Any:
    args = ["assessments", "score", "1", "--likelihood", likelihood, "--why", "reason"]
    for criterion in CRITERIA:
        args += ["--score", f"{criterion}={fatalities if criterion == '2.1' else 'A'}:reason {criterion}"]
    return cli(*args)


def test_a_blind_round_through_the_cli(cli: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert cli("assessments", "seed").stdout == "conceptscenario's toegevoegd: 6 (nummers 1, 2, 3, 4, 5, 6)\n"
    assert cli("assessments", "open-round", "1").exit_code == 0
    _as(cli, monkeypatch, "ann")
    refused = _score(cli, "B", "B")
    assert refused.exit_code == 8 and "panel add 1 BZ" in refused.stderr, refused.stderr
    _as(cli, monkeypatch, None)  # the OS owner made the drafts: any coordinator (and it) invites
    assert cli("assessments", "panel", "add", "1", "bz").stdout == "BZ zit nu in het panel van scenario 1\n"
    _as(cli, monkeypatch, "ann")
    assert _score(cli, "B", "B").exit_code == 0
    _as(cli, monkeypatch, "bob")
    saved = _score(cli, "D", "E")
    assert saved.exit_code == 0 and "opgeslagen (versie 1)" in saved.stdout
    blind = json.loads(cli("assessments", "round", "1", "--format", "json").stdout)
    assert blind["sheets"] == [] and blind["spread"] is None and blind["own"]["analyst"] == "bob"
    assert blind["round"]["submitted"] == ["ann", "bob"]
    assert "'B'" not in cli("assessments", "round", "1").stdout  # ann's likelihood is not shown to bob
    own = cli("assessments", "revisions", "1").stdout
    assert "bob" in own and "ann" not in own  # an open round's versions: one's own only
    denied = cli("assessments", "close-round", "1")
    assert denied.exit_code == 8 and "assessments:manage" in denied.stderr

    _as(cli, monkeypatch, None)  # the OS owner acts as admin: closes, but saw nothing either
    assert json.loads(cli("assessments", "round", "1", "-f", "json").stdout)["sheets"] == []
    assert cli("assessments", "close-round", "1").exit_code == 0
    revealed = cli("assessments", "round", "1")
    assert "ronde 1, gesloten" in cli("assessments", "results", "--iterations", "5").stdout  # the round named
    assert {
        row["analyst"] for row in json.loads(cli("assessments", "revisions", "1", "-f", "json").stdout)
    } == {
        "ann",
        "bob",
    }
    assert "ann" in revealed.stdout and "2.1" in revealed.stdout and "[needs_review]" in revealed.stdout
    spread = json.loads(cli("assessments", "round", "1", "-f", "json").stdout)["spread"]
    assert spread["impact"]["2.1"] == {"median": 3.5, "low": 2.0, "high": 5.0, "count": 2}
    # the text writes them as the pages do: a decimal comma in Dutch, a point in English
    assert re.search(r"\n2\.1 +B +E +3,5  2-5\n", revealed.stdout), revealed.stdout
    english = cli("assessments", "round", "1", "--lang", "en").stdout
    assert re.search(r"\n2\.1 +B +E +3\.5  2-5\n", english), english

    svg = tmp_path / "risk.svg"
    result = cli("assessments", "results", "--iterations", "20", "--svg", str(svg))
    assert result.exit_code == 0, result.stderr
    assert "[needs_review]" in result.stdout and "Concept: Terroristische aanslagen" in result.stdout
    assert re.search(r"\n +1 +1,25 +1,10- 1,40 +100% +100% +2  1\. Concept", result.stdout), result.stdout
    english = cli("assessments", "results", "--iterations", "20", "--lang", "en").stdout
    assert re.search(r"\n +1 +1\.25 +1\.10- 1\.40 +100% +100% +2  1\. ", english), english
    assert svg.read_text().startswith("<svg") and "1. Concept: Terroristische aanslagen" in svg.read_text()
    assert "gewichten: Gelijke criteria" in svg.read_text()  # the first weight set unless --weights says
    interests = tmp_path / "risk-interests.svg"
    other = cli(
        "assessments",
        "results",
        "--iterations",
        "20",
        "--svg",
        str(interests),
        "--weights",
        "Equal_Interests",
    )
    assert other.exit_code == 0, other.stderr
    assert "gewichten: Gelijke belangen" in interests.read_text()
    assert _impact_marks(interests.read_text()) != _impact_marks(
        svg.read_text()
    )  # the impact moves with the weights
    wrong = cli("assessments", "results", "--svg", str(tmp_path / "x.svg"), "--weights", "nope")
    assert wrong.exit_code == 2 and "equal_criteria, equal_interests" in wrong.stderr, wrong.stderr
    assert not (tmp_path / "x.svg").exists()


def _impact_marks(svg: str) -> list[str]:
    """The vertical positions of the diagram's marks (circles)."""
    return re.findall(r'<circle[^>]*\bcy="([^"]+)"', svg)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("assessments", "show", "99"), 5, "Scenario 99 bestaat niet"),
        (
            ("assessments", "method", "nope"),
            5,
            "fout: Methode ‘nope’ wordt niet met GBVS meegeleverd. Beschikbaar:",
        ),
        (
            ("assessments", "score", "1", "--likelihood", "A", "--why", "x", "--score", "2.1"),
            4,
            "CRITERION=CLASS",
        ),
        (
            (
                *("assessments", "score", "1", "--likelihood", "A", "--why", "x"),
                *("--score", "2.1=E:first", "--score", "2.1=A:second"),
            ),
            4,
            "criterium 2.1 staat er twee keer (E, A)",
        ),
        (
            ("assessments", "link", "1", "signal", "abc"),
            4,
            "fout: De verwijzing naar signaal ‘abc’ is geen getal",
        ),
        (
            ("assessments", "link", "1", "case", "99999999999999999999"),
            4,
            "is geen getal van 1 tot en met 2147483647. Geef het nummer van het signalendossier op.",
        ),
        (("assessments", "round", "2"), 5, "fout: Scenario 2 heeft nog geen scoreronde.\n"),
    ],
)
def test_bad_arguments_get_a_clear_error(cli: Run, args: tuple[str, ...], code: int, message: str) -> None:
    assert cli("assessments", "seed").exit_code == 0
    result = cli(*args)
    assert result.exit_code == code and message in result.stderr, result.stderr


def test_a_class_not_on_the_scale_is_refused_in_dutch_naming_the_classes(
    cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("assessments", "seed").exit_code == 0
    assert cli("assessments", "open-round", "1").exit_code == 0
    assert cli("assessments", "panel", "add", "1", "BZ").exit_code == 0
    _as(cli, monkeypatch, "ann")
    refused = _score(cli, "B", "Z")
    assert refused.exit_code == 4 and refused.stderr == (
        "fout: Criterium 2.1: klasse ‘Z’ staat niet op schaal ‘nrb_impact’. Kies uit X, A, B, C, D, E.\n"
    )
    one_criterion = cli("assessments", "score", "1", "--likelihood", "C", "--why", "x", "--score", "2.1=B:y")
    assert one_criterion.exit_code == 4 and one_criterion.stderr == (  # it read ['1.1', ...] and []
        "fout: Scores van ‘ann’: ontbrekende criteria 1.1, 1.2, 2.2, 2.3, 3.1, 4.1, 5.1, 5.2, 5.3. "
        "Scoor precies de criteria 1.1, 1.2, 2.1, 2.2, 2.3, 3.1, 4.1, 5.1, 5.2, 5.3 van methode ‘nrb_2009’.\n"
    ), one_criterion.stderr
    english = cli("assessments", "score", "1", "--likelihood", "Q", "--why", "x", "--lang", "en",
                  *[arg for c in CRITERIA for arg in ("--score", f"{c}=A:reason")])  # fmt: skip
    assert english.exit_code == 4 and english.stderr.startswith(
        "error: likelihood: class 'Q' is not on scale 'nrb_likelihood_"
    ), english.stderr


def test_the_panel_through_the_cli_in_dutch_and_english(cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli("assessments", "seed").exit_code == 0
    added = cli("assessments", "panel", "add", "1", "DEF", "--lang", "en")
    assert added.exit_code == 0 and added.stdout == "DEF is now on the panel of scenario 1\n", added.stderr
    again = cli("assessments", "panel", "add", "1", "DEF", "--lang", "en")
    assert again.exit_code == 4 and "DEF is already on the panel of scenario 1" in again.stderr
    listed = cli("assessments", "panel", "list", "1").stdout
    assert listed.startswith("Panel van scenario 1 (Concept: Terroristische aanslagen):")
    assert "  accounts zonder organisatie: eigenaar\n  DEF: uitgenodigd door os:" in listed
    listed_json = json.loads(cli("assessments", "panel", "list", "1", "--format", "json").stdout)
    members = listed_json["panel"]
    assert [(m["organisation"], m["owner"]) for m in members] == [(None, True), ("DEF", False)]
    assert listed_json["scenario"] == 1 and listed_json["scorers_off_panel"] == []  # nobody scored yet
    _as(cli, monkeypatch, "ann")  # an analyst does not manage the panel
    denied = cli("assessments", "panel", "remove", "1", "DEF")
    assert denied.exit_code == 8 and "assessments:manage" in denied.stderr
    _as(cli, monkeypatch, None)
    removed = cli("assessments", "panel", "remove", "1", "def")
    assert removed.stdout == "DEF zit niet meer in het panel van scenario 1\n", removed.stderr
    missing = cli("assessments", "panel", "remove", "1", "DEF")
    assert missing.exit_code == 5 and "‘DEF’ zit niet in het panel van scenario 1" in missing.stderr


def test_the_method_headings_follow_the_language(cli: Run) -> None:
    dutch = cli("assessments", "method").stdout
    assert "aggregatie: " in dutch and "\ngewichtenset equal_criteria (Gelijke criteria" in dutch
    assert "Onbevestigde waarden (" in dutch and "weight set" not in dutch and "aggregation" not in dutch
    english = cli("assessments", "method", "--lang", "en").stdout
    assert "aggregation: " in english and "\nweight set equal_criteria (Equal criteria" in english
    assert "Unconfirmed values (" in english and "gewichtenset" not in english


def test_every_text_follows_the_language_and_show_prints_the_panel(
    cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert (
        cli("assessments", "seed", "--lang", "en").stdout
        == "draft scenarios added: 6 (ids 1, 2, 3, 4, 5, 6)\n"
    )
    assert cli("assessments", "panel", "add", "1", "BZ").exit_code == 0
    opened = cli("assessments", "open-round", "1")
    assert opened.stdout == (
        "scenario 1: ronde 1 geopend\ncoördinatoren scoren niet mee in deze ronde (alleen analisten)\n"
    ), opened.stderr
    listed = cli("assessments", "list").stdout
    assert "dreiging §3.1 " in listed and "ronde 1 open" in listed and "concept" in listed
    assert "threat §3.1 " in cli("assessments", "list", "--lang", "en").stdout
    two = ("assessments", "create", "--title", "Cyberaanval op het stroomnet", "--kind", "threat")
    assert cli(*two, "--threat", "2", "--threat", "5").exit_code == 0
    # "2,5" would read as two and a half to a Dutch reader: the threats are named as the pages do
    assert "dreiging §3.2, §3.5 " in cli("assessments", "list").stdout
    dutch = cli("assessments", "show", "1").stdout
    assert (
        "(moedwillig (dreiging); methode nrb_2009)" in dutch and "ronde 1: open; ingediend: niemand" in dutch
    )
    assert "\nPanel van scenario 1 (Concept: Terroristische aanslagen):\n" in dutch
    assert "  accounts zonder organisatie: eigenaar\n  BZ: uitgenodigd door os:" in dutch
    english = cli("assessments", "show", "1", "--lang", "en").stdout
    assert (
        "(malicious (threat); method nrb_2009)" in english and "round 1: open; submitted: nobody" in english
    )
    assert "\nPanel of scenario 1 (" in english and "  BZ: invited by os:" in english
    _as(cli, monkeypatch, "ann")
    saved = _score(cli, "B", "B")
    assert saved.stdout.startswith("scenario 1: uw scores zijn opgeslagen (versie 1)"), saved.stderr
    assert "the others' scores show" in cli(*_score_args("C", "C"), "--lang", "en").stdout
    blind = cli("assessments", "round", "1", "-l", "en").stdout
    assert "round 1: open; method version" in blind and "the others' scores are hidden" in blind
    assert "de scores van de anderen blijven verborgen" in cli("assessments", "round", "1").stdout
    twice = cli(*_score_args("C", "C"), "--score", "2.1=A:again", "--lang", "en")
    assert twice.exit_code == 4 and "criterion 2.1 is given twice (C, A)" in twice.stderr
    assert "dissent recorded" in cli("assessments", "dissent", "1", "no", "--lang", "en").stdout
    assert "AFWIJKEND STANDPUNT ann (ronde 1): no" in cli("assessments", "show", "1").stdout
    assert cli("assessments", "dissent", "1", "--criterion", "likelihood", "kans te laag").exit_code == 0
    shown = cli("assessments", "show", "1").stdout
    assert "AFWIJKEND STANDPUNT ann over waarschijnlijkheid (ronde 1): kans te laag" in shown, shown
    assert "\n  dreiging: 1\n" in shown and "threat:" not in shown, shown
    assert "\n  threat: 1\n" in cli("assessments", "show", "1", "--lang", "en").stdout
    _as(cli, monkeypatch, None)
    assert cli("assessments", "close-round", "1", "-l", "en").stdout.startswith("scenario 1: round 1 closed")
    spread = cli("assessments", "round", "1").stdout
    assert "criterium" in spread and "mediaan" in spread and "spreiding" in spread
    assert "\nwaarschijnlijkheid " in spread and "likelihood" not in spread, spread
    results = cli("assessments", "results", "--iterations", "5", "--lang", "en").stdout
    assert "rounds behind these figures:" in results and "round 1, closed" in results
    assert "rondes achter deze cijfers:" in cli("assessments", "results", "--iterations", "5").stdout
    # dates the way the reader writes them, as on the pages ("6 december 2026 22:58 CET"), not ISO
    dutch_results = cli("assessments", "results", "--iterations", "5").stdout
    assert re.search(r"ronde 1, gesloten \d{1,2} [a-z]+ \d{4} \d\d:\d\d CES?T door os:", dutch_results), (
        dutch_results
    )
    assert re.search(r"round 1, closed \d{1,2} [A-Z][a-z]+ \d{4} \d\d:\d\d CES?T by os:", results), results
    panel = cli("assessments", "panel", "list", "1").stdout
    assert re.search(r"BZ: uitgenodigd door os:\S+ op \d{1,2} [a-z]+ \d{4}\n", panel), panel


def _score_args(likelihood: str, fatalities: str) -> list[str]:
    args = ["assessments", "score", "1", "--likelihood", likelihood, "--why", "reason"]
    for criterion in CRITERIA:
        args += ["--score", f"{criterion}={fatalities if criterion == '2.1' else 'A'}:reason {criterion}"]
    return args


def test_an_account_without_an_organisation_that_scored_before_panels_is_told_why_and_shown(
    cli: Run, monkeypatch: pytest.MonkeyPatch, engine: Engine
) -> None:
    """Before migration 0013 carl (no organisation) scored BZ's scenario; the panel is BZ alone now."""
    for name, org, role in (("cora", "BZ", "coordinator"), ("carl", None, "analyst")):
        made = cli("users", "create", name, "--name", name, "--role", role, *(("--org", org) if org else ()))
        assert made.exit_code == 0, made.stderr
    _as(cli, monkeypatch, "cora")
    assert cli("assessments", "create", "--title", "Sabotage", "--kind", "threat").exit_code == 0
    assert cli("assessments", "open-round", "1").exit_code == 0
    _scored_before_panels(engine, "carl", scenario_id=1)

    _as(cli, monkeypatch, "carl")
    refused = _score(cli, "B", "B")
    assert refused.exit_code == 8, refused.stderr
    assert "uw account hoort bij geen organisatie, en het panel van een scenario" in refused.stderr
    assert "vraag een beheerder uw account een organisatie uit het panel te geven: BZ" in refused.stderr
    _as(cli, monkeypatch, "cora")  # BZ's coordinator manages the panel: she sees whom it leaves out
    listed = cli("assessments", "panel", "list", "1").stdout
    assert (
        "Scoorden in een eerdere ronde, maar staan niet in het panel (en kunnen nu dus niet scoren):"
        in listed
    )
    assert "  carl (ronde 1): geen organisatie: een beheerder kan het account" in listed
    english = cli("assessments", "show", "1", "--lang", "en").stdout
    assert "  carl (round 1): no organisation: an admin can give the account one on the panel" in english
    off_panel = json.loads(cli("assessments", "panel", "list", "1", "-f", "json").stdout)["scorers_off_panel"]
    assert off_panel == [{"analyst": "carl", "organisation": None, "last_round": 1}]  # as the text: to cora
    _as(cli, monkeypatch, "ann")  # a BZ analyst reads the panel, not whom it leaves out
    plain = cli("assessments", "panel", "list", "1")
    assert plain.exit_code == 0 and "BZ: eigenaar" in plain.stdout and "carl" not in plain.stdout
    read = json.loads(cli("assessments", "panel", "list", "1", "-f", "json").stdout)
    assert [m["organisation"] for m in read["panel"]] == ["BZ"] and "scorers_off_panel" not in read


def _scored_before_panels(engine: Engine, username: str, scenario_id: int) -> None:
    """A sheet of ``username`` in the scenario's first round, written as GBVS did before panels."""
    with Session(engine) as session, session.begin():
        analyst = session.scalars(select(User).where(User.username == username)).one()
        round_ = session.scalars(
            select(ScoringRound).where(ScoringRound.scenario_id == scenario_id, ScoringRound.number == 1)
        ).one()
        entries = [ScoreEntry(criterion=c, class_code="A", justification="old") for c in CRITERIA]
        session.add(
            ScoreSheet(
                round_id=round_.id,
                analyst_id=analyst.id,
                likelihood="B",
                likelihood_justification="old",
                entries=entries,
            )
        )


def test_a_score_for_a_closed_round_is_a_conflict_and_coordinators_score_only_when_let_in(
    cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Exit 4 (wrong input, as the API's 409 for a state conflict) with when the round closed and what to
    do; a coordinator scores only in a round opened with --coordinators-score."""
    assert cli("assessments", "seed").exit_code == 0
    assert cli("assessments", "panel", "add", "1", "BZ").exit_code == 0
    assert (
        cli("users", "create", "cor", "--name", "Cor", "--org", "BZ", "--role", "coordinator").exit_code == 0
    )
    assert "(alleen analisten)" in cli("assessments", "open-round", "1").stdout
    _as(cli, monkeypatch, "cor")
    refused = _score(cli, "B", "B")
    assert refused.exit_code == 8 and "--coordinators-score" in refused.stderr, refused.stderr
    _as(cli, monkeypatch, "ann")
    assert _score(cli, "B", "B").exit_code == 0
    _as(cli, monkeypatch, None)
    assert cli("assessments", "close-round", "1").exit_code == 0
    _as(cli, monkeypatch, "ann")
    late = _score(cli, "C", "C")
    assert late.exit_code == 4, late.stderr
    closed_on = r"Ronde 1 van scenario 1 is gesloten op \d+ \w+ \d{4} \d\d:\d\d CES?T"  # Dutch time
    assert re.search(closed_on, late.stderr), late.stderr
    assert "ronde 2 te openen (`gbvs assessments open-round 1`)" in late.stderr
    _as(cli, monkeypatch, None)
    opened = cli("assessments", "open-round", "1", "--coordinators-score", "--lang", "en")
    assert opened.stdout.endswith("coordinators score in this round too\n"), opened.stdout
    _as(cli, monkeypatch, "cor")
    assert _score(cli, "C", "C").exit_code == 0
    assert "coördinatoren scoren mee in deze ronde" in cli("assessments", "round", "1").stdout


def test_a_round_deadline_and_a_reopening_through_the_cli(cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """The deadline reads in Dutch time with the zone and the time left; a reopening needs a reason and
    shows who, when and why; bad input names the option, the value and the form."""
    assert cli("assessments", "seed").exit_code == 0
    wrong = cli("assessments", "open-round", "1", "--deadline", "volgende week")
    assert wrong.exit_code != 0 and "--deadline 'volgende week' is geen moment" in wrong.stderr
    opened = cli("assessments", "open-round", "1", "--deadline", "2030-12-14 17:00")
    assert opened.exit_code == 0, opened.stderr
    assert re.search(r"deadline 14 december 2030 17:00 CET \(over \d+ jaar\)", opened.stdout), opened.stdout
    neither = cli("assessments", "deadline", "1")
    assert neither.exit_code != 0 and "geef --deadline JJJJ-MM-DD UU:MM of --remove" in neither.stderr
    moved = cli("assessments", "deadline", "1", "--deadline", "2030-07-01T09:30", "--lang", "en")
    assert "deadline 1 July 2030 09:30 CEST" in moved.stdout, moved.stdout
    assert "geen deadline" in cli("assessments", "deadline", "1", "--remove").stdout
    assert cli("assessments", "panel", "add", "1", "BZ").exit_code == 0
    _as(cli, monkeypatch, "ann")
    assert _score(cli, "B", "B").exit_code == 0
    _as(cli, monkeypatch, None)
    assert cli("assessments", "close-round", "1").exit_code == 0
    assert cli("assessments", "reopen-round", "1").exit_code == 2  # --reason is required
    reopened = cli("assessments", "reopen-round", "1", "--reason", "bob scoorde nog niet")
    assert reopened.exit_code == 0, reopened.stderr
    assert "scenario 1: ronde 1 is weer open" in reopened.stdout
    assert re.search(r"heropend op .* CET door \S+: bob scoorde nog niet", reopened.stdout), reopened.stdout
    shown = cli("assessments", "show", "1", "--lang", "en").stdout
    assert "round 1: open" in shown and "reopened on" in shown and "bob scoorde nog niet" in shown
    again = cli("assessments", "reopen-round", "1", "--reason", "nogmaals")
    assert again.exit_code == 4 and "alleen een gesloten ronde kan worden heropend" in again.stderr
    assert cli("assessments", "close-round", "1").exit_code == 0
    results = cli("assessments", "results")
    assert results.exit_code == 0 and "1 keer heropend voordat ze sloot" in results.stdout, results.stdout


def test_who_has_not_scored_shows_in_show_and_round_for_who_manages_the_scenario_only(
    cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As on the round page: the coordinator (here the OS owner, who manages the seeded drafts) reads who
    on the panel has not scored the open round yet, in the text and the JSON; an analyst gets no
    ``not_scored`` key at all (an empty list would say everyone scored)."""
    assert cli("assessments", "seed").exit_code == 0
    assert cli("assessments", "panel", "add", "1", "BZ").exit_code == 0
    assert cli("assessments", "open-round", "1", "--deadline", "2030-12-14 17:00").exit_code == 0
    assert "Nog niet gescoord: ann, bob." in cli("assessments", "round", "1").stdout
    _as(cli, monkeypatch, "ann")
    assert _score(cli, "B", "B").exit_code == 0
    analyst_round = cli("assessments", "round", "1")
    assert analyst_round.exit_code == 0 and "gescoord:" not in analyst_round.stdout
    assert "not_scored" not in json.loads(cli("assessments", "round", "1", "-f", "json").stdout)
    assert "not_scored" not in json.loads(cli("assessments", "show", "1", "-f", "json").stdout)
    assert "Nog niet gescoord" not in cli("assessments", "show", "1").stdout
    _as(cli, monkeypatch, None)
    assert json.loads(cli("assessments", "round", "1", "-f", "json").stdout)["not_scored"] == ["bob"]
    assert json.loads(cli("assessments", "show", "1", "-f", "json").stdout)["not_scored"] == ["bob"]
    shown = cli("assessments", "show", "1").stdout
    assert re.search(r"ronde 1: open; ingediend: ann;.*\n.*deadline.*\nNog niet gescoord: bob\.\n", shown), (
        shown
    )
    assert "Not scored yet: bob." in cli("assessments", "round", "1", "--lang", "en").stdout
    _as(cli, monkeypatch, "bob")
    assert _score(cli, "C", "C").exit_code == 0
    _as(cli, monkeypatch, None)
    everyone = cli("assessments", "round", "1").stdout
    assert "Nog niet gescoord: niemand: elk lid van het panel heeft gescoord." in everyone, everyone
    assert cli("assessments", "close-round", "1").exit_code == 0
    closed = json.loads(cli("assessments", "round", "1", "-f", "json").stdout)
    assert "not_scored" not in closed  # a closed round takes no more scores: nobody to chase


def test_a_score_after_a_deadline_that_passed_is_refused_by_the_cli_naming_it_and_who_extends_it(
    cli: Run, monkeypatch: pytest.MonkeyPatch, engine: Engine
) -> None:
    """The round is opened through the service, as the admin root, with the clock an hour before a
    deadline that has passed now (audited as any opening); the real `score` command reads the wall
    clock and refuses with exit code 4 (HTTP 409 in the API), naming the deadline in Dutch time and
    who can extend it; once extended by the CLI the score is taken."""
    assert cli("assessments", "seed").exit_code == 0
    assert cli("assessments", "panel", "add", "1", "BZ").exit_code == 0
    deadline = utcnow().replace(second=0, microsecond=0) - timedelta(hours=1)
    with Session(engine) as session, session.begin():
        root = load_principal(session, "root")
        service.open_round(session, root, 1, deadline=deadline, now=deadline - timedelta(hours=1))
    with Session(engine) as session:
        opened = session.scalars(select(AuditLog).where(AuditLog.action == "assessments.open_round")).one()
        assert opened.actor == "root" and opened.detail["deadline"] == deadline.isoformat()
    _as(cli, monkeypatch, "ann")
    late = _score(cli, "B", "B")
    assert late.exit_code == 4, late.stderr
    assert f"nam scores aan tot de deadline {moment(deadline, 'nl')} en neemt er geen meer aan" in late.stderr
    assert "Een coördinator van accounts zonder organisatie of een beheerder kan de deadline verlengen" in (
        late.stderr
    )
    assert "`gbvs assessments deadline 1 --deadline <moment>`" in late.stderr
    assert "voorbij, scores worden geweigerd" in cli("assessments", "round", "1").stdout
    _as(cli, monkeypatch, None)
    assert cli("assessments", "deadline", "1", "--deadline", "2030-12-14 17:00").exit_code == 0
    _as(cli, monkeypatch, "ann")
    assert _score(cli, "B", "B").exit_code == 0


def test_the_risk_diagram_svg_reads_back_with_its_points_and_provenance(
    cli: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """``gbvs assessments results --svg`` read back with ElementTree: two analysts who both give class C
    for the likelihood and every criterion put the scenario's mark on class C of both axes; the diagram
    names its source, the method's version and when the rounds behind it closed (its data's vintage:
    it did not)."""
    from xml.etree import ElementTree

    assert cli("assessments", "seed").exit_code == 0
    assert cli("assessments", "open-round", "1").exit_code == 0
    assert cli("assessments", "panel", "add", "1", "BZ").exit_code == 0
    for analyst in ("ann", "bob"):
        _as(cli, monkeypatch, analyst)
        scores = [f"--score={criterion}=C:reason" for criterion in CRITERIA]
        made = cli("assessments", "score", "1", "--likelihood", "C", "--why", "reason", *scores)
        assert made.exit_code == 0, made.stderr
    _as(cli, monkeypatch, None)
    assert cli("assessments", "close-round", "1").exit_code == 0
    closed = json.loads(cli("assessments", "round", "1", "-f", "json").stdout)["round"]["closed_at"]
    svg = tmp_path / "risk.svg"
    made = cli("assessments", "results", "--iterations", "20", "--svg", str(svg))
    assert made.exit_code == 0, made.stderr

    space = "{http://www.w3.org/2000/svg}"
    root = ElementTree.parse(svg).getroot()
    [mark] = root.iter(f"{space}circle")
    texts = [(t.text, t.attrib) for t in root.iter(f"{space}text")]
    [x_of_c] = [float(a["x"]) for text, a in texts if text == "C" and a.get("text-anchor") == "middle"]
    [y_of_c] = [float(a["y"]) - 4 for text, a in texts if text == "C" and a.get("text-anchor") == "end"]
    assert (float(mark.attrib["cx"]), float(mark.attrib["cy"])) == pytest.approx((x_of_c, y_of_c))
    about = " ".join((root.findtext(f"{space}title") or "", root.findtext(f"{space}desc") or ""))
    method = load_method("nrb_2009")
    assert method.label() in about and "Bron: GBVS-dreigingsbeoordeling" in about, about
    assert f"rondes gesloten op {closed[:10]}" in about, about


def test_history_and_revisions_give_dutch_time_with_its_zone_and_dutch_words(
    cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The two lists wrote the stored UTC stamp without a zone ("2026-12-07 14:26", an hour off for a
    Dutch reader) and the history's change in English ("created"); every other text output says Dutch
    time with its zone."""
    assert cli("assessments", "seed").exit_code == 0
    assert cli("assessments", "edit", "1", "--horizon", "5 jaar").exit_code == 0
    assert cli("assessments", "panel", "add", "1", "BZ").exit_code == 0
    assert cli("assessments", "open-round", "1").exit_code == 0
    _as(cli, monkeypatch, "ann")
    assert _score(cli, "B", "B").exit_code == 0
    versions = json.loads(cli("assessments", "history", "1", "-f", "json").stdout)
    history = cli("assessments", "history", "1").stdout.splitlines()
    assert f" {moment(versions[0]['changed_at'], 'nl')}  aangemaakt  " in history[0], history
    assert f" {moment(versions[1]['changed_at'], 'nl')}  bewerkt  " in history[1], history
    assert "  edited  " in cli("assessments", "history", "1", "--lang", "en").stdout
    sheet = json.loads(cli("assessments", "revisions", "1", "-f", "json").stdout)[0]
    assert (
        f"v1  {moment(sheet['created_at'], 'nl')}  waarschijnlijkheid B"
        in cli("assessments", "revisions", "1").stdout
    )
