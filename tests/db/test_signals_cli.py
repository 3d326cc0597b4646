"""``gbvs signals`` on the real public data: CFR gives 389 signals, EUvsDisinfo 10,892; exports load."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from gbvs.config import Settings
from gbvs.numbers import day
from gbvs.signals import stix
from gbvs.signals.markings import STIX_TLP_MARKINGS, Tlp

Run = Callable[..., Any]


@pytest.fixture
def ready(
    settings: Settings, db_url: str, mirror: Path, monkeypatch: pytest.MonkeyPatch, run_cli: Run
) -> Run:
    monkeypatch.setenv("GBVS_DATABASE_URL", db_url)
    monkeypatch.setenv("GBVS_MIRROR", str(mirror))
    assert run_cli("db", "upgrade").exit_code == 0
    assert run_cli("users", "create-admin", "root", "--name", "Root").exit_code == 0
    assert run_cli("orgs", "seed").exit_code == 0
    return run_cli


@pytest.mark.integration
@pytest.mark.slow
def test_public_datasets_import_once_with_their_counts(ready: Run, tmp_path: Path) -> None:
    first = ready("signals", "import", "cfr", "--format", "json")
    assert first.exit_code == 0, first.stderr
    assert json.loads(first.stdout)["added"] == 389
    again = ready("signals", "import", "cfr", "--format", "json")
    assert json.loads(again.stdout) == {
        "source": "cfr_cyber",
        "read": 389,
        "added": 0,
        "already_present": 389,
    }
    assert ready("signals", "import", "euvsdisinfo").exit_code == 0
    kinds = json.loads(ready("signals", "stats", "--by", "kind", "--format", "json").stdout)
    assert {row["kind"]: row["count"] for row in kinds} == {"cyber_operation": 389, "disinformation": 10_892}
    dutch = ready("signals", "list", "--country", "NLD", "--kind", "disinformation", "-f", "json")
    assert json.loads(dutch.stdout)["total"] == 226
    out = tmp_path / "nl-cyber.json"
    exported = ready("signals", "export", "-o", str(out), "--country", "NLD", "--kind", "cyber_operation")
    assert exported.exit_code == 0, exported.stderr
    stix.validate(json.loads(out.read_text()), "export")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("signals", "show", "424242"), 5, "is niet met u gedeeld"),
        (
            ("signals", "list", "--from", "2020-13-01"),
            4,
            "'2020-13-01' is geen datum; schrijf die als JJJJ-MM-DD",
        ),
        (("signals", "list", "--from", "2020-13-01", "--lang", "en"), 4, "is not a date; write it as YYYY"),
        (("signals", "search", " "), 4, "geef de woorden waarop u wilt zoeken"),
        (
            ("signals", "list", "--country", "Narnia"),
            4,
            "is geen ISO3-code, Gleditsch-Ward-code of Nederlandse of Engelse landnaam",
        ),
        (("signals", "list", "--country", "9999"), 4, "Gleditsch-Ward-code 9999 hoort bij geen land"),
        (
            ("signals", "stats", "--by", "colour"),
            4,
            "fout: Signalen kunnen niet worden geteld per ‘colour’. Kies uit: kind,",
        ),
        (("signals", "import-stix", "missing.json"), 4, "dat bestand of die map bestaat niet"),
        (
            ("signals", "list", "--actor", "Cozy Bear"),
            4,
            "noemt 'Cozy Bear' als vermoedelijke actor. Genoemde vermoedelijke actoren: geen",
        ),
        (("signals", "export", "-o", "x.json", "--actor", "Cozy Bear", "-l", "en"), 4, "actors named: none"),
        (
            ("signals", "stats", "--sponsor", "Narnia"),
            4,
            "is geen ISO3-code, Gleditsch-Ward-code of Nederlandse of Engelse landnaam",
        ),
    ],
)
def test_bad_arguments_get_a_clear_error(ready: Run, args: tuple[str, ...], code: int, message: str) -> None:
    result = ready(*args)
    assert result.exit_code == code and message in result.stderr


def test_a_malformed_bundle_is_refused_and_nothing_is_stored(ready: Run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"type": "bundle", "id": "bundle--x", "objects": [{"type": "indicator", "id": "x"}]}')
    result = ready("signals", "import-stix", str(bad), "--tlp", "amber")
    assert result.exit_code == 4 and "bad.json: geen geldige STIX 2.1" in result.stderr
    listed = json.loads(ready("signals", "list", "-f", "json").stdout)
    assert listed["total"] == 0


@pytest.mark.integration
def test_import_refusals_read_in_the_readers_language_with_the_thing_and_value_named(
    ready: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The STIX import's refusals were English only ("Reden (in het Engels)"); each names the file,
    the object or value, and what to do, in Dutch by default and in English with --lang en."""
    _act_as_bz_analyst(ready, monkeypatch)
    from stix2 import Bundle, Campaign

    unmarked = tmp_path / "ongemarkeerd.json"
    unmarked.write_text(Bundle(objects=[Campaign(name="Operatie Nachtvlinder")]).serialize())
    dutch = ready("signals", "import-stix", str(unmarked))
    assert dutch.exit_code == 4
    assert dutch.stderr == (
        "fout: ongemarkeerd.json: de bundel heeft geen TLP-markering. Geef aan welke TLP geldt "
        "(bijvoorbeeld --tlp amber).\n"
    )
    english = ready("signals", "import-stix", str(unmarked), "--lang", "en")
    assert "ongemarkeerd.json: the bundle carries no TLP marking; say which TLP applies" in english.stderr
    assert ready("signals", "import-stix", str(unmarked), "--tlp", "green").exit_code == 0
    again = ready("signals", "import-stix", str(unmarked), "--tlp", "green")
    assert again.exit_code == 4 and "ongemarkeerd.json: al geïmporteerd" in again.stderr
    assert "bij signaal/signalen 1;" in again.stderr
    red = json.loads(unmarked.read_text())
    red["objects"][0]["object_marking_refs"] = [STIX_TLP_MARKINGS[Tlp.red]]
    red["objects"][0]["id"] = "campaign--6f0e4a5e-1d43-4c52-9a0b-3c2f5d9e7a11"
    unmarked.write_text(json.dumps(red))
    lowered = ready("signals", "import-stix", str(unmarked), "--tlp", "green")
    assert "de bundel is gemarkeerd als TLP:RED. Importeren als TLP:GREEN" in lowered.stderr, lowered.stderr


def test_country_is_given_as_everywhere_in_the_cli(ready: Run) -> None:
    """``--country`` takes an ISO3 code in any case or a Gleditsch-Ward code, as ``gbvs drivers`` does."""
    assert ready("signals", "import", "cfr").exit_code == 0
    totals = {}
    for given in ("RUS", "rus", "365"):
        listed = ready("signals", "list", "--country", given, "-f", "json")
        assert listed.exit_code == 0, listed.stderr
        totals[given] = json.loads(listed.stdout)["total"]
    assert totals["RUS"] > 0 and totals["rus"] == totals["365"] == totals["RUS"], totals
    searched = ready("signals", "stats", "--by", "kind", "--country", "365", "-f", "json")
    assert sum(row["count"] for row in json.loads(searched.stdout)) == totals["RUS"]


def _act_as_bz_analyst(ready: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """Create ann, an analyst of BZ, and run the next commands with her token."""
    made = ready("users", "create", "ann", "--name", "Ann", "--org", "BZ", "--role", "analyst")
    assert made.exit_code == 0, made.stderr
    token = ready("users", "tokens", "create", "cli", "--user", "ann", "--format", "json")
    monkeypatch.setenv("GBVS_TOKEN", json.loads(token.stdout)["token"])


def test_a_csv_export_defuses_a_title_that_a_spreadsheet_would_run(
    ready: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CSV injection: an imported title ``=HYPERLINK(...)`` would be a live link in the analyst's Excel."""
    _act_as_bz_analyst(ready, monkeypatch)
    from stix2 import Bundle, Identity, Report

    title = '=HYPERLINK("http://example.org/x","open")'
    source = Identity(name="Example", identity_class="organization")
    report = Report(name=title, published="2024-01-02T00:00:00Z", object_refs=[source.id])
    bundle = tmp_path / "b.json"
    bundle.write_text(Bundle(source, report).serialize())
    imported = ready("signals", "import-stix", str(bundle), "--tlp", "green")
    assert imported.exit_code == 0, imported.stderr
    out = tmp_path / "signals.csv"
    exported = ready("signals", "export", "-o", str(out), "--format", "csv")
    assert exported.exit_code == 0, exported.stderr
    cells = next(csv.DictReader(line for line in io.StringIO(out.read_text()) if not line.startswith("#")))
    assert cells["title"] == "'" + title


def test_import_stix_says_how_many_objects_gbvs_makes_itself_it_left_out(
    ready: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bundle another GBVS exported carries GBVS's identity and extension; they were refused. Each
    line names the ids of its objects under it (as the import page does; it gave the counts only)."""
    _act_as_bz_analyst(ready, monkeypatch)
    from stix2 import Bundle, Campaign

    campaign = json.loads(Campaign(name="Operatie Nachtvlinder").serialize())
    objects = [campaign, stix.GBVS_IDENTITY, stix.EXTENSION_DEFINITION]
    bundle = tmp_path / "other-gbvs.json"
    bundle.write_text(Bundle(objects=objects, allow_custom=True).serialize())
    imported = ready("signals", "import-stix", str(bundle), "--tlp", "green")
    assert imported.exit_code == 0, imported.stderr
    assert imported.stdout.startswith(
        "signaal 1: Operatie Nachtvlinder (TLP:GREEN, STIX-objecten: 1)\nweggelaten objecten die GBVS zelf "
        "maakt: 2 (de identiteit"
    ), imported.stdout
    named = f"\n  {stix.GBVS_IDENTITY['id']}\n  {stix.EXTENSION_DEFINITION['id']}\n"
    assert imported.stdout.endswith(named), "each left-out object is named under its line, as on the page"
    again = ready("signals", "import-stix", str(bundle), "--tlp", "green", "--lang", "en")
    assert again.exit_code == 4 and "imported already" in again.stderr and "signal(s) 1" in again.stderr
    newer = dict(campaign, modified="2030-01-01T00:00:00.000Z")
    bundle.write_text(Bundle(objects=[newer], allow_custom=True).serialize())
    updated = ready("signals", "import-stix", str(bundle), "--tlp", "green", "--lang", "en")
    assert updated.stdout == (
        "signal 2: Operatie Nachtvlinder (TLP:GREEN, STIX objects: 1)\n"
        "newer versions of objects a signal holds, stored with this one: 1\n"
        f"  {campaign['id']}\n"
    ), updated.stdout


def test_import_stix_json_gives_the_fields_of_the_apis_answer(
    ready: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--format json`` had no place on ``import-stix``: a program got the text lines only. The JSON
    gives what ``POST /api/v1/signals/stix-bundles`` answers (snake_case, as the other commands' JSON):
    the signal as stored, the counts with the ids left out, imported already and stored as newer
    versions, and the warnings (in the reader's language) that the text output writes on stderr."""
    _act_as_bz_analyst(ready, monkeypatch)
    from stix2 import AttackPattern, Bundle, Campaign

    campaign = json.loads(Campaign(name="Operatie Nachtvlinder").serialize())
    unknown = {"source_name": "mitre-attack", "external_id": "T9999"}
    pattern = json.loads(AttackPattern(name="patroon T9999", external_references=[unknown]).serialize())
    bundle = tmp_path / "nachtvlinder.json"
    bundle.write_text(Bundle(objects=[campaign, pattern, stix.GBVS_IDENTITY], allow_custom=True).serialize())
    first = ready("signals", "import-stix", str(bundle), "--tlp", "green", "--format", "json")
    assert first.exit_code == 0 and first.stderr == "", first.stderr
    answer = json.loads(first.stdout)
    signal = answer.pop("signal")
    assert (signal["id"], signal["title"], signal["tlp"], signal["owner_organisation"]) == (
        1,
        "Operatie Nachtvlinder",
        "green",
        "BZ",
    )
    (warning,) = answer.pop("warnings")
    assert (warning["object_id"], warning["technique"], warning["retired"]) == (pattern["id"], "T9999", False)
    assert "dat de ATT&CK-catalogus van GBVS niet kent" in warning["message"], "Dutch by default"
    assert answer == {
        "stored_objects": 2,
        "left_out": 1,
        "left_out_ids": [stix.GBVS_IDENTITY["id"]],
        "already_imported": 0,
        "already_imported_ids": [],
        "newer_versions": 0,
        "newer_version_ids": [],
        "export_notes": 0,
        "export_note_ids": [],
    }
    newer = dict(pattern, modified="2030-01-01T00:00:00.000Z")
    bundle.write_text(Bundle(objects=[campaign, newer], allow_custom=True).serialize())
    again = ready("signals", "import-stix", str(bundle), "--tlp", "green", "-f", "json", "--lang", "en")
    assert again.exit_code == 0, again.stderr
    second = json.loads(again.stdout)
    assert second["signal"]["id"] == 2 and second["stored_objects"] == 1
    assert (second["already_imported"], second["already_imported_ids"]) == (1, [campaign["id"]])
    assert (second["newer_versions"], second["newer_version_ids"]) == (1, [pattern["id"]])
    assert "which the ATT&CK catalogue GBVS reads does not know" in second["warnings"][0]["message"]


def _ics_bundle(mirror: Path, *techniques: str) -> dict[str, Any]:
    """A bundle of real ATT&CK for ICS attack patterns (by id, current or deprecated) from the mirror,
    with the objects they refer to (MITRE's identity and marking), as MITRE published them."""
    document = json.loads((mirror / "signals" / "stix" / "mitre-attack" / "ics-attack.json").read_bytes())
    by_id = {obj["id"]: obj for obj in document["objects"]}
    wanted = [
        obj
        for obj in document["objects"]
        if obj["type"] == "attack-pattern"
        and any(ref.get("external_id") in techniques for ref in obj.get("external_references", []))
    ]
    referred = {ref for obj in wanted for ref in stix.references(obj) if ref in by_id}
    return {
        "type": "bundle",
        "id": "bundle--0f3c1f52-8a6e-4f4e-9b1e-2d7c5f0a9e11",
        "objects": wanted + [by_id[ref] for ref in sorted(referred)],
    }


@pytest.mark.integration
def test_import_stix_links_attack_ids_and_names_a_retired_one(
    ready: Run, mirror: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ATT&CK for ICS as MITRE publishes it: T0817 (Drive-by Compromise) is linked as a technique;
    T0810 (Data Historian Compromise, deprecated) is named on stderr, not dropped silently."""
    _act_as_bz_analyst(ready, monkeypatch)
    bundle = tmp_path / "ics.json"
    bundle.write_text(json.dumps(_ics_bundle(mirror, "T0817", "T0810")))
    imported = ready("signals", "import-stix", str(bundle), "--tlp", "green")
    assert imported.exit_code == 0, imported.stderr
    assert "ATT&CK-id T0810, dat de maker heeft ingetrokken of vervangen" in imported.stderr
    assert "T0817" not in imported.stderr
    shown = json.loads(ready("signals", "show", "1", "-f", "json").stdout)
    assert shown["techniques"] == ["T0817"], shown
    english = ready("signals", "import-stix", str(bundle), "--tlp", "green", "--lang", "en")
    assert english.exit_code == 4 and "imported already" in english.stderr


def test_every_signals_command_speaks_dutch_by_default_and_english_with_lang_en(
    ready: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`gbvs signals` spoke English only, while the other command groups speak Dutch by default."""
    _act_as_bz_analyst(ready, monkeypatch)
    from stix2 import Bundle, Campaign

    bundle = tmp_path / "b.json"
    bundle.write_text(Bundle(objects=[Campaign(name="Operatie Nachtvlinder")]).serialize())
    assert ready("signals", "import-stix", str(bundle), "--tlp", "green").exit_code == 0
    today = date.today()
    dutch = ready("signals", "list").stdout
    assert dutch.startswith("signalen die met u gedeeld zijn: 1; pagina 1\n"), dutch
    assert day(today, "nl") in dutch and day(today, "en") not in dutch
    english = ready("signals", "list", "--lang", "en").stdout
    assert english.startswith("signals shared with you: 1; page 1\n") and day(today, "en") in english
    shown = f"       reported_on: {day(today, 'nl')}\n"
    assert shown in ready("signals", "show", "1").stdout
    assert (
        shown.replace(day(today, "nl"), day(today, "en")) in ready("signals", "show", "1", "-l", "en").stdout
    )
    marked = ready("signals", "mark", "1", "--tlp", "amber")
    assert marked.stdout == "signaal 1: nu TLP:AMBER, organisation\n", marked.stderr
    assert ready("signals", "mark", "1", "--tlp", "red", "--recipient", "ann", "-l", "en").stdout == (
        "signal 1: now TLP:RED, organisation\n"
    )
    out = tmp_path / "x.csv"
    assert ready("signals", "export", "-o", str(out), "--format", "csv").stdout == f"{out} geschreven (csv)\n"
    assert ready(
        "signals", "export", "-o", str(out), "--format", "csv", "--force", "--lang", "en"
    ).stdout == (f"wrote {out} (csv)\n")
    assert "uw organisatie zit in geen enkele deelgroep" in ready("sharing-groups", "list").stdout
    assert "your organisation is in no sharing group" in ready("sharing-groups", "list", "-l", "en").stdout
    assert (
        "een beheerder maakt er een met `gbvs sharing-groups create" in ready("sharing-groups", "list").stdout
    )


def test_a_signal_is_registered_on_the_command_line_and_found_by_technique_tag_and_marking(
    ready: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command line had no way to register a signal, and no --technique, --tag or --tlp filter
    (the pages and the API have them): an analyst could not find the phishing signals of a period."""
    _act_as_bz_analyst(ready, monkeypatch)
    made = ready(
        "signals", "create", "Spearphishing tegen ministeries", "--kind", "cyber_operation",
        "--tlp", "green", "--distribution", "all_organisations", "--actor", "Rusland", "--target", "NLD",
        "--goal", "8", "--technique", "t1566.001", "--tag", "phishing", "--reported", "2024-05-02",
    )  # fmt: skip
    assert made.exit_code == 0, made.stderr
    assert made.stdout == "signaal 1: Spearphishing tegen ministeries (TLP:GREEN)\n"
    other = ready("signals", "create", "Nepnieuws", "--kind", "disinformation", "--technique", "T0049")
    assert other.exit_code == 0, other.stderr
    shown = json.loads(ready("signals", "show", "1", "-f", "json").stdout)
    assert shown["actor_countries"] == ["RUS"] and shown["techniques"] == ["T1566.001"]
    for option, value in (("--technique", "T1566.001"), ("--tag", "phishing"), ("--tlp", "green")):
        listed = json.loads(ready("signals", "list", option, value, "-f", "json").stdout)
        assert [item["id"] for item in listed["items"]] == [1], (option, listed)
        counted = json.loads(ready("signals", "stats", "--by", "kind", option, value, "-f", "json").stdout)
        assert counted == [{"kind": "cyber_operation", "count": 1}], (option, counted)
    period = ready(
        "signals", "search", "ministeries", "--from", "2024-05-01", "--to", "2024-05-31", "-f", "json"
    )
    assert json.loads(period.stdout)["total"] == 1, period.stderr
    out = tmp_path / "phishing.json"
    assert ready("signals", "export", "-o", str(out), "--technique", "T1566.001").exit_code == 0
    exported = json.loads(out.read_text())
    stix.validate(exported, "export")
    assert [o["name"] for o in exported["objects"] if o["type"] == "report"] == [
        "Spearphishing tegen ministeries"
    ]


def test_the_list_and_the_counts_by_kind_name_the_kind_in_the_readers_language(
    ready: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`signals list` and `signals stats --by kind` showed the code (cross_border_crime) on a Dutch
    line, where the pages say "Grensoverschrijdende criminaliteit"; JSON keeps the code."""
    _act_as_bz_analyst(ready, monkeypatch)
    assert ready("signals", "create", "Drugssmokkel", "--kind", "cross_border_crime").exit_code == 0
    listed = ready("signals", "list").stdout
    assert "Grensoverschrijdende criminaliteit" in listed and "cross_border_crime" not in listed, listed
    assert "Cross-border crime" in ready("signals", "list", "--lang", "en").stdout
    counted = ready("signals", "stats", "--by", "kind").stdout
    assert counted.split() == ["Grensoverschrijdende", "criminaliteit", "1"], counted
    counted_json = json.loads(ready("signals", "stats", "--by", "kind", "-f", "json").stdout)
    assert counted_json == [{"kind": "cross_border_crime", "count": 1}]


def test_a_wrong_signal_on_the_command_line_names_each_option_to_fix(
    ready: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    _act_as_bz_analyst(ready, monkeypatch)
    wrong = ready(
        "signals", "create", "x", "--kind", "other", "--actor", "Narnia", "--goal", "99", "--tlp", "clear"
    )
    assert wrong.exit_code == 4
    assert wrong.stderr.startswith("fout: het signaal is niet opgeslagen: "), wrong.stderr
    for option in ("--actor: Onbekend land 'Narnia'", "--goal: Een doel ‘99’", "--distribution: "):
        assert option in wrong.stderr, option
    assert json.loads(ready("signals", "list", "-f", "json").stdout)["total"] == 0


def test_a_refused_tag_and_technique_are_said_in_dutch_on_the_command_line(
    ready: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each option's problem was English after the Dutch "het signaal is niet opgeslagen:"."""
    _act_as_bz_analyst(ready, monkeypatch)
    args = ("signals", "create", "x", "--kind", "disinformation", "--tag", "tlp:red", "--technique", "T9999")
    dutch = ready(*args)
    assert dutch.exit_code == 4
    assert dutch.stderr.startswith(
        "fout: het signaal is niet opgeslagen: --technique: Onbekende techniek-id('s) T9999. Gebruik "
        "DISARM-id's voor desinformatie"
    ), dutch.stderr
    assert "--tag: Tag 'tlp:red': de TLP-markering is een eigen veld van het signaal (tlp)" in dutch.stderr
    assert "Laat de tag weg." in dutch.stderr
    english = ready(*args, "--lang", "en")
    assert "--tag: tag 'tlp:red': the TLP marking is the signal's own field (tlp)" in english.stderr
    assert "--technique: unknown technique id(s) T9999; use DISARM ids" in english.stderr


def test_a_signal_is_assessed_and_its_assessments_shown_on_the_command_line(
    ready: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The service assesses a single signal, and its page shows the assessments, but the command line
    could neither record one (only `gbvs cases assess`) nor show them (`signals show` left them out)."""
    _act_as_bz_analyst(ready, monkeypatch)
    assert ready("signals", "create", "Spearphishing", "--kind", "cyber_operation").exit_code == 0
    assessed = ready(
        "signals", "assess", "1", "--judgement", "Past in het patroon", "--likelihood", "likely",
        "--confidence", "moderate", "--actor", "APT28", "--sponsor", "Rusland",
    )  # fmt: skip
    assert assessed.stdout == "signaal 1: duiding vastgelegd\n", assessed.stderr
    shown = ready("signals", "show", "1").stdout
    expected = f"duiding van BZ, versie 1 van {day(date.today(), 'nl')}: waarschijnlijk (55-80%), zekerheid "
    assert expected + "gemiddeld: Past in het patroon" in shown, shown
    (view,) = json.loads(ready("signals", "show", "1", "-f", "json").stdout)["assessments"]
    assert (view["organisation"], view["suspected_actor"], view["sponsor_state"]) == ("BZ", "APT28", "RUS")
    joint = ready(
        "signals", "assess", "2", "--judgement", "x", "--likelihood", "likely", "--confidence", "low"
    )
    assert joint.exit_code == 5 and "Er is geen signaal 2, of het is niet met u gedeeld" in joint.stderr


def test_gbvs_cases_speaks_dutch_with_dutch_dates_and_english_with_lang_en(
    ready: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`gbvs cases` answered in English only ("case 1: assessment recorded", "confidence moderate",
    ISO dates) while `gbvs signals` speaks Dutch by default."""
    _act_as_bz_analyst(ready, monkeypatch)
    created = ready(
        "signals", "create", "Spearphishing", "--kind", "cyber_operation", "--reported", "2024-05-02"
    )
    assert created.exit_code == 0, created.stderr
    assert ready("cases", "create", "Phishinggolf", "--signal", "1").stdout == "zaak 1: Phishinggolf\n"
    assessed = ready(
        "cases",
        "assess",
        "1",
        "--judgement",
        "Eén actor",
        "--likelihood",
        "likely",
        "--confidence",
        "moderate",
    )
    assert assessed.stdout == "zaak 1: duiding vastgelegd\n", assessed.stderr
    agreed = ready(
        "cases", "agree", "1", "--judgement", "Samen", "--likelihood", "likely", "--confidence", "high",
        "--org", "BZ",
    )  # fmt: skip
    assert agreed.stdout == "zaak 1: gezamenlijk standpunt van BZ vastgelegd\n", agreed.stderr
    today = day(date.today(), "nl")
    assert ready("cases", "show", "1").stdout == (
        "zaak 1: Phishinggolf (TLP:AMBER, BZ)\n"
        "  geen doelen van de strategie opgegeven\n"
        "  signaal 1  2 mei 2024  TLP:AMBER  BZ  Spearphishing\n"
        f"  duiding van BZ, versie 1 van {today}: waarschijnlijk (55-80%), zekerheid gemiddeld: Eén actor\n"
        f"  gezamenlijk standpunt van BZ, overeengekomen op {today}: duiding van BZ, versie 1 van {today}: "
        "waarschijnlijk (55-80%), zekerheid hoog: Samen\n"
    )
    english = ready("cases", "show", "1", "--lang", "en").stdout
    assert "  signal 1  2 May 2024" in english and "confidence moderate: Eén actor" in english
    listed = ready("cases", "list").stdout
    assert (
        listed.startswith("zaken die met u gedeeld zijn: 1; pagina 1\n")
        and "signalen die u mag zien: 1" in listed
    )
    assert ready("cases", "goals", "1", "--goal", "8", "--goal", "10").stdout == "zaak 1: doelen 8, 10\n"
    assert "(doelen 8, 10)" in ready("cases", "list", "--goal", "10").stdout
    assert "zaken die met u gedeeld zijn: 0" in ready("cases", "list", "--goal", "3").stdout
    wrong = ready("cases", "goals", "1", "--goal", "14")
    assert wrong.exit_code == 4 and "‘14’" in wrong.stderr and "1, 2, 3" in wrong.stderr, wrong.stderr


def test_a_classification_is_chosen_from_what_gbvs_accepts_and_a_state_secret_is_refused_with_why(
    ready: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The choices ended "stg_confidentieel, stg_geheim, stg_zeer_geheim": values always refused."""
    _act_as_bz_analyst(ready, monkeypatch)
    unknown = ready("signals", "create", "x", "--kind", "other", "--classification", "unclassified")
    assert unknown.exit_code == 4
    assert "kies uit ongerubriceerd, departementaal_vertrouwelijk\n" in unknown.stderr, unknown.stderr
    assert "stg_" not in unknown.stderr
    secret = ready("signals", "create", "x", "--kind", "other", "--classification", "stg_geheim", "-l", "en")
    assert secret.exit_code == 4
    assert "GBVS is not accredited for state secrets" in secret.stderr, secret.stderr
    assert "keep information marked Stg. Confidentieel or higher in a system accredited" in secret.stderr
    assert json.loads(ready("signals", "list", "-f", "json").stdout)["total"] == 0
