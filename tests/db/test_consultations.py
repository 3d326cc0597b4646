"""Consultations in the operational database: import, blind coding by three coders, Krippendorff's
alpha against the kept library, adjudication that keeps the codes, and quotes only with consent."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import krippendorff
import numpy as np
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from gbvs.db.models import AuditLog, Outcome
from gbvs.db.opinion_models import CodebookChangeKind, ConsultationCode
from gbvs.db.services import consultation_codebook as codebook
from gbvs.db.services import consultation_coding as coding
from gbvs.db.services import consultation_export as export
from gbvs.db.services import consultation_reports as reports
from gbvs.db.services import consultation_round as rounds
from gbvs.db.services import consultations
from gbvs.db.services.consultation_codebook import CodebookRevision
from gbvs.errors import InputError, PermissionDeniedError
from gbvs.opinion.codebook import draft_codebook
from gbvs.opinion.consultation import parse_info, parse_responses
from gbvs.opinion.reliability import Verdict
from gbvs.security import Principal, Role

DATA = Path(__file__).parents[1] / "opinion" / "data"
SECRET = "GEHEIM-ZINNETJE"  # only in the texts of respondent r2, who did not consent

# (respondent text prefix) -> themes, per coder; None = the coder did not code that response
PLAN: dict[str, dict[str, list[str] | None]] = {
    "Hybride": {"anna": ["Q1.2", "Q1.9"], "bert": ["Q1.2"], "carla": ["Q1.2", "Q1.9"]},
    "Bescherm": {"anna": ["Q2.2"], "bert": ["Q2.2"], "carla": ["Q2.2"]},
    f"{SECRET}:": {"anna": ["Q1.7"], "bert": ["Q1.7"], "carla": ["Q1.4"]},
    f"{SECRET}-TWEE": {"anna": ["Q3.1"], "bert": ["Q3.1"], "carla": None},
    "De wereld": {"anna": ["Q1.1"], "bert": ["Q1.1"], "carla": ["Q1.1"]},
    "Europese": {"anna": ["Q3.3"], "bert": ["Q3.3"], "carla": ["Q3.3"]},
    "Werk": {"anna": ["Q2.3"], "bert": ["Q2.3"], "carla": ["Q2.3", "Q2.2"]},
    "Terrorismebestrijding": {"anna": ["Q3.4"], "bert": ["Q3.4", "Q3.3"], "carla": ["Q3.4"]},
    "Technologie": {"anna": ["Q1.5"], "bert": ["Q1.5"], "carla": ["Q1.5"]},
    "Een moderne": {"anna": ["Q2.4"], "bert": ["Q2.4"], "carla": ["Q2.4"]},
    "Investeer": {"anna": ["Q2.5"], "bert": None, "carla": ["Q2.5"]},
    "Bel mij": {"anna": ["Q3.1"], "bert": ["Q3.1"], "carla": ["Q3.1"]},
}


def _info():
    data = (DATA / "responses.csv").read_bytes()
    rows = parse_responses(data.decode("utf-8"))
    checksum = hashlib.sha256(data).hexdigest()
    return parse_info((DATA / "consultation.yaml").read_text(encoding="utf-8"), rows, checksum)


@pytest.fixture
def people(make_user: Callable[..., Principal]) -> dict[str, Principal]:
    return {
        "manager": make_user("mona", Role.coordinator),
        "anna": make_user("anna", Role.analyst),
        "bert": make_user("bert", Role.analyst),
        "carla": make_user("carla", Role.analyst),
        "viewer": make_user("vera", Role.viewer),
    }


@pytest.fixture
def coded(session: Session, people: dict[str, Principal]) -> dict[str, int]:
    """The test consultation imported and coded by anna, bert and carla; text prefix -> response id."""
    consultations.import_consultation(session, people["manager"], _info(), draft_codebook())
    session.commit()
    ids = {}
    for response in coding.responses_for_coder(session, people["anna"], "gbvs-test"):
        ids[next(prefix for prefix in PLAN if response.text.startswith(prefix))] = response.id
    assert len(ids) == len(PLAN)
    for prefix, by_coder in PLAN.items():
        for coder, themes in by_coder.items():
            if themes is not None:
                coding.code_response(session, people[coder], ids[prefix], themes)
    session.commit()
    return ids


def _library_alpha(
    theme: str, ids: dict[str, int], plan: dict[str, dict[str, list[str] | None]] = PLAN
) -> float:
    """The same data laid out by hand, given straight to the kept library."""
    coders = ["anna", "bert", "carla"]
    matrix = np.full((3, len(plan)), np.nan)
    for j, by_coder in enumerate(plan.values()):
        for i, coder in enumerate(coders):
            themes = by_coder[coder]
            if themes is not None:
                matrix[i, j] = float(any(t == theme or t.startswith(theme + ".") for t in themes))
    return float(krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"))


def test_alpha_per_theme_equals_the_kept_library(session: Session, people, coded) -> None:
    found = {r.theme: r for r in reports.reliability(session, people["manager"], "gbvs-test")}
    for theme in ("Q1", "Q1.2", "Q1.9", "Q1.7", "Q2", "Q2.2", "Q3", "Q3.3", "Q3.1"):
        assert found[theme].alpha == pytest.approx(_library_alpha(theme, coded), abs=1e-12), theme
        assert found[theme].coders == 3
    # all three agree on Q1.1, but twelve responses give no interval: nothing bounds alpha from below
    assert (found["Q1.1"].alpha, found["Q1.1"].lower) == (1.0, None)
    assert (found["Q1.1"].verdict, found["Q1.1"].basis) == (Verdict.tentative, "point")
    assert found["Q1.9"].alpha is not None and found["Q1.9"].alpha < 0.667
    assert found["Q1.9"].verdict is Verdict.unreliable
    assert found["Q1.6"].verdict is Verdict.undefined  # nobody used it: no variation


def test_coders_see_only_their_own_codes_until_adjudication(session: Session, people, coded) -> None:
    seen = {r.id: r.my_codes for r in coding.responses_for_coder(session, people["carla"], "gbvs-test")}
    assert seen[coded[f"{SECRET}:"]] == ("Q1.4",)
    assert seen[coded[f"{SECRET}-TWEE"]] == ()
    for who in ("anna", "manager", "viewer"):
        with pytest.raises(InputError, match="still being coded"):
            coding.all_codes(session, people[who], "gbvs-test")
    with pytest.raises(PermissionDeniedError):
        reports.reliability(session, people["anna"], "gbvs-test")
    with pytest.raises(PermissionDeniedError):
        coding.code_response(session, people["viewer"], coded["Bel mij"], ["Q3.1"])
    with pytest.raises(PermissionDeniedError):
        consultations.advance_phase(session, people["anna"], "gbvs-test")


def test_raw_texts_and_their_coding_stay_with_the_importing_organisation(
    session: Session, people, coded, make_user: Callable[..., Principal]
) -> None:
    outsider = make_user("otto", Role.analyst, organisation="DEF")
    outside_manager = make_user("dora", Role.coordinator, organisation="DEF")
    with pytest.raises(PermissionDeniedError, match="only for their own organisation, not for 'BZ'"):
        coding.responses_for_coder(session, outsider, "gbvs-test")
    with pytest.raises(PermissionDeniedError, match="need-to-know"):
        coding.code_response(session, outsider, coded["Bel mij"], ["Q3.1"])
    denied = session.scalars(select(AuditLog).order_by(AuditLog.id.desc()).limit(1)).one()
    assert (denied.actor, denied.outcome) == ("otto", Outcome.denied)
    consultations.advance_phase(session, people["manager"], "gbvs-test")
    session.commit()
    with pytest.raises(PermissionDeniedError, match="need-to-know"):
        coding.adjudicate(session, outside_manager, coded["Bel mij"], "Q3.1", True)
    # the summary (consented, anonymised quotes) is for every reader
    assert reports.summary(session, outsider, "gbvs-test").slug == "gbvs-test"


def test_reading_raw_response_texts_is_audited(session: Session, people, coded) -> None:
    found = coding.responses_for_coder(session, people["bert"], "gbvs-test", question=1)
    session.commit()
    entry = session.scalars(select(AuditLog).order_by(AuditLog.id.desc()).limit(1)).one()
    assert (entry.actor, entry.action, entry.object_id) == (
        "bert",
        "consultations.read_responses",
        "gbvs-test",
    )
    assert entry.detail["responses"] == [r.id for r in found] and entry.detail["question"] == 1


def test_adjudication_keeps_the_original_codes(session: Session, people, coded) -> None:
    before = session.scalars(select(ConsultationCode.coding_id, ConsultationCode.theme_id)).all()
    consultations.advance_phase(session, people["manager"], "gbvs-test")
    session.commit()
    with pytest.raises(InputError, match="coding is over"):
        coding.code_response(session, people["anna"], coded["Bel mij"], ["Q3.2"])
    response = coded[f"{SECRET}:"]
    coding.adjudicate(session, people["manager"], response, "Q1.7", True, "twee van drie, tekst is expliciet")
    coding.adjudicate(session, people["manager"], response, "Q1.4", False)
    session.commit()
    after = session.scalars(select(ConsultationCode.coding_id, ConsultationCode.theme_id)).all()
    assert sorted(before) == sorted(after)
    codes = {
        (c.response_id, c.coder): c.themes for c in coding.all_codes(session, people["viewer"], "gbvs-test")
    }
    assert codes[(response, "carla")] == ("Q1.4",)
    summary = reports.summary(session, people["viewer"], "gbvs-test")
    q1 = {t.code: t for t in summary.questions[0].themes}
    assert q1["Q1.7"].count == 1 and q1["Q1.4"].count == 0 and q1["Q1.7"].unresolved == 0
    assert q1["Q1.9"].unresolved == 1  # anna and carla said yes, bert no, no decision
    assert q1["Q1.2"].count == 1 and q1["Q1"].count == 4


def test_text_without_consent_never_appears_in_any_output(session: Session, people, coded) -> None:
    consultations.advance_phase(session, people["manager"], "gbvs-test")
    outputs = [
        reports.summary(session, people["viewer"], "gbvs-test", quotes=50),
        reports.summary(session, people["viewer"], "gbvs-test", language="en", quotes=50),
        reports.reliability(session, people["viewer"], "gbvs-test"),
        coding.all_codes(session, people["viewer"], "gbvs-test"),
        consultations.get_consultation(session, people["viewer"], "gbvs-test"),
        consultations.list_consultations(session, people["viewer"]),
    ]
    text = repr(outputs)
    assert SECRET not in text
    assert "06-12345678" not in text and "Bel mij" not in text  # r6 did not consent either
    quotes = [q for question in outputs[0].questions for theme in question.themes for q in theme.quotes]
    assert any("jan.jansen@example.nl" not in q and "Hybride" in q for q in quotes)
    assert not any("Jan Jansen" in q or "@" in q for q in quotes)
    assert any("De wereld wordt multipolair" in q for q in quotes)


def test_import_refuses_bad_input_and_stores_nothing(session: Session, people) -> None:
    with pytest.raises(PermissionDeniedError):
        consultations.import_consultation(session, people["anna"], _info(), draft_codebook())
    bad = (
        (DATA / "responses.csv")
        .read_text(encoding="utf-8")
        .replace("r3,researcher,yes,3", "r3,researcher,no,3")
    )
    with pytest.raises(InputError, match="respondent 'r3'"):
        consultations.import_consultation(
            session,
            people["manager"],
            parse_info((DATA / "consultation.yaml").read_text(), parse_responses(bad)),
            draft_codebook(),
        )
    session.rollback()
    assert consultations.list_consultations(session, people["viewer"]) == []
    with pytest.raises(InputError, match="consent 'misschien'"):
        parse_responses("respondent,respondent_type,consent,question,text\nx,citizen,misschien,1,tekst\n")


def test_an_importer_without_organisation_names_whose_texts_they_are(
    session: Session, admin: Principal, make_user: Callable[..., Principal]
) -> None:
    """The bootstrap admin has no organisation: the raw texts must still belong to one (they belonged to
    everyone: an owner of None passed every organisation's check)."""
    assert admin.organisation_code is None
    with pytest.raises(InputError, match="--organisation CODE"):
        consultations.import_consultation(session, admin, _info(), draft_codebook())
    session.rollback()
    consultations.import_consultation(session, admin, _info(), draft_codebook(), organisation="DEF")
    session.commit()
    defence = make_user("dora", Role.analyst, "DEF")
    foreign = make_user("bas", Role.analyst, "BZ")
    assert coding.responses_for_coder(session, defence, "gbvs-test")
    with pytest.raises(PermissionDeniedError, match="not for 'DEF'"):
        coding.responses_for_coder(session, foreign, "gbvs-test")


def test_a_consultation_with_unresolved_disagreements_cannot_be_closed(
    session: Session, people, coded
) -> None:
    """Closing made the counts final (the progress report reads closed consultations only) while
    disagreements no one had decided were silently left out of them."""
    manager = people["manager"]
    consultations.advance_phase(session, manager, "gbvs-test")
    with pytest.raises(
        InputError, match=r"5 disagreements are unresolved \(responses .*\d+: Q1\.9.*--applies"
    ):
        consultations.advance_phase(session, manager, "gbvs-test")
    for prefix, theme in (
        ("Hybride", "Q1.9"),
        (f"{SECRET}:", "Q1.7"),
        (f"{SECRET}:", "Q1.4"),
        ("Werk", "Q2.2"),
    ):
        coding.adjudicate(session, manager, coded[prefix], theme, theme != "Q1.4")
    with pytest.raises(InputError, match=r"1 disagreement is unresolved .*: Q3\.3"):
        consultations.advance_phase(session, manager, "gbvs-test")
    coding.adjudicate(session, manager, coded["Terrorismebestrijding"], "Q3.3", False)
    assert consultations.advance_phase(session, manager, "gbvs-test") == "closed"


def test_the_summary_names_the_codebook_it_was_coded_with(session: Session, people, coded) -> None:
    found = reports.summary(session, people["manager"], "gbvs-test")
    assert (found.codebook_id, found.codebook_is_draft) == ("gbvs-2018-consultation-draft", True)


def _revise(session: Session, who: Principal, kind: str, code: str, **rest: str) -> int:
    change = CodebookRevision(
        CodebookChangeKind(kind), code, rest.pop("reason", "codeurs vonden het nodig"), **rest
    )
    version = codebook.revise_codebook(session, who, "gbvs-test", change)
    session.commit()
    return version


def _alphas(session: Session, people) -> dict[str, Any]:
    return {r.theme: r for r in reports.reliability(session, people["manager"], "gbvs-test")}


def test_only_the_owning_organisations_coordinator_revises_the_codebook(
    session: Session, people, coded, make_user: Callable[..., Principal]
) -> None:
    change = CodebookRevision(CodebookChangeKind.add, "Q1.10", "ontbrak", "Klimaat", "Climate", "Q1")
    for who in (people["anna"], make_user("dora", Role.coordinator, organisation="DEF")):
        with pytest.raises(PermissionDeniedError, match="opinion:codebook"):
            codebook.revise_codebook(session, who, "gbvs-test", change)
    session.commit()
    denied = session.scalars(select(AuditLog).order_by(AuditLog.id.desc()).limit(1)).one()
    assert (denied.actor, denied.action, denied.outcome) == ("dora", "consultations.codebook", Outcome.denied)
    with pytest.raises(InputError, match="needs a reason"):
        codebook.revise_codebook(session, people["manager"], "gbvs-test", replace(change, reason=" "))
    assert codebook.revise_codebook(session, people["manager"], "gbvs-test", change) == 2
    session.commit()
    (entry,) = codebook.codebook_changes(session, people["viewer"], "gbvs-test")
    assert (entry.version, entry.kind, entry.theme, entry.author, entry.reason) == (
        2,
        "add",
        "Q1.10",
        "mona",
        "ontbrak",
    )
    assert entry.after["parent"] == "Q1" and entry.made_at is not None
    last = session.scalars(select(AuditLog).order_by(AuditLog.id.desc())).first()
    assert last is not None and (last.action, last.detail["version"]) == ("consultations.codebook", 2)


def test_an_added_or_reworded_theme_counts_only_codings_made_under_its_definition(
    session: Session, people, coded
) -> None:
    before = _alphas(session, people)
    _revise(session, people["manager"], "add", "Q1.10", label_nl="Klimaat", label_en="Climate", parent="Q1")
    _revise(session, people["manager"], "reword", "Q3.1", label_nl="Bescherming van de vitale infrastructuur")
    after = _alphas(session, people)
    assert after["Q1.10"].alpha is None and after["Q1.10"].units == 0 and after["Q1.10"].codebook_version == 2
    assert after["Q3.1"].units == 0 and after["Q3.1"].codebook_version == 3  # no coding was made under it
    assert after["Q1.2"] == before["Q1.2"]  # untouched themes keep every coding
    screen = {r.id: r for r in coding.responses_for_coder(session, people["anna"], "gbvs-test")}
    assert screen[coded["Hybride"]].needs_recoding and screen[coded["Hybride"]].codebook_version == 1
    for coder in ("anna", "bert"):
        coding.code_response(session, people[coder], coded["Bel mij"], ["Q3.1"])
        coding.code_response(session, people[coder], coded["Europese"], ["Q3.3"])
    session.commit()
    again = _alphas(session, people)
    assert again["Q3.1"].units == 2 and again["Q3.1"].coders == 2
    screen = {r.id: r for r in coding.responses_for_coder(session, people["anna"], "gbvs-test")}
    assert not screen[coded["Bel mij"]].needs_recoding and screen[coded["Bel mij"]].codebook_version == 3
    with pytest.raises(InputError, match=r"\d+ codings need re-coding.*anna"):
        consultations.advance_phase(session, people["manager"], "gbvs-test")


def test_a_merge_counts_the_merged_theme_as_its_target_without_recoding(
    session: Session, people, coded
) -> None:
    _revise(session, people["manager"], "merge", "Q1.9", into="Q1.2")
    found = _alphas(session, people)
    assert "Q1.9" not in found
    merged = {
        prefix: {c: None if t is None else [("Q1.2" if x == "Q1.9" else x) for x in t] for c, t in by.items()}
        for prefix, by in PLAN.items()
    }
    assert found["Q1.2"].alpha == pytest.approx(_library_alpha("Q1.2", coded, merged), abs=1e-12)
    assert found["Q1.2"].alpha == 1.0  # anna and carla's Q1.9 on the same response now read Q1.2
    with pytest.raises(InputError, match=r"retired.*use \{'Q1\.9': 'Q1\.2'\}"):
        coding.code_response(session, people["anna"], coded["Hybride"], ["Q1.9"])
    assert not any(r.needs_recoding for r in coding.responses_for_coder(session, people["anna"], "gbvs-test"))


def test_retiring_a_theme_asks_the_codings_that_applied_it_to_be_redone(
    session: Session, people, coded
) -> None:
    with pytest.raises(InputError, match=r"themes \['Q1\.1'.*in use below it"):
        _revise(session, people["manager"], "retire", "Q1")
    _revise(session, people["manager"], "retire", "Q1.4", reason="niemand weet wat eronder valt")
    found = _alphas(session, people)
    assert "Q1.4" not in found
    # carla's coding of the response, which applied Q1.4, counts for no theme until she re-codes it
    assert found["Q1.7"].alpha == pytest.approx(
        _library_alpha("Q1.7", coded, _without("carla", f"{SECRET}:"))
    )
    screen = {r.id: r for r in coding.responses_for_coder(session, people["carla"], "gbvs-test")}
    assert screen[coded[f"{SECRET}:"]].needs_recoding
    assert not screen[coded["Hybride"]].needs_recoding  # she did not apply Q1.4 there
    with pytest.raises(InputError, match=r"1 coding needs re-coding.*carla"):
        consultations.advance_phase(session, people["manager"], "gbvs-test")
    coding.code_response(session, people["carla"], coded[f"{SECRET}:"], ["Q1.7"])
    assert consultations.advance_phase(session, people["manager"], "gbvs-test") == "adjudication"
    with pytest.raises(InputError, match="revised only while it is coded"):
        _revise(session, people["manager"], "add", "Q9", label_nl="Laat", label_en="Late")


def _without(coder: str, prefix: str) -> dict[str, dict[str, list[str] | None]]:
    return {
        p: {c: (None if (c, p) == (coder, prefix) else t) for c, t in by.items()} for p, by in PLAN.items()
    }


def test_the_export_gives_final_and_coders_codes_with_provenance_and_is_audited(
    session: Session, people, coded
) -> None:
    with pytest.raises(InputError, match="still being coded"):
        export.export_coded(session, people["manager"], "gbvs-test", "csv")
    _revise(session, people["manager"], "merge", "Q1.9", into="Q1.2", reason="niet te onderscheiden")
    consultations.advance_phase(session, people["manager"], "gbvs-test")
    coding.adjudicate(session, people["manager"], coded[f"{SECRET}:"], "Q1.7", True)
    session.commit()
    found = export.export_coded(session, people["viewer"], "gbvs-test", "csv")
    session.commit()
    about = dict(found.provenance)
    assert about["consultation"] == "Internetconsultatie GBVS (test) (gbvs-test)"
    assert (
        about["responses file SHA-256"] == hashlib.sha256((DATA / "responses.csv").read_bytes()).hexdigest()
    )
    assert (about["codebook version"], about["exported by"]) == (2, "'vera' (viewer, BZ)")
    assert (
        about["alpha Q1.2"].startswith("1.000 ")
        and "codings from codebook version 1 on" in about["alpha Q1.2"]
    )
    assert "alpha Q1.9" not in about and about["exported at (UTC)"]
    rows = {row["response_id"]: row for row in found.rows}
    hybrid, secret = rows[coded["Hybride"]], rows[coded[f"{SECRET}:"]]
    assert hybrid["final_themes"] == "Q1; Q1.2" and hybrid["anna themes"] == "Q1.2; Q1.9"
    assert hybrid["anna codebook_version"] == 1 and hybrid["anna needs_recoding"] == "no"
    assert secret["final_themes"] == "Q1; Q1.7" and secret["adjudicated"] == "Q1.7=yes"
    assert secret["unresolved_themes"] == "Q1.4" and secret["carla themes"] == "Q1.4"
    assert secret["text_if_consented"] == "" and secret["consent_to_publish"] == "no"
    assert rows[coded["Investeer"]]["bert themes"] is None  # bert did not code it
    text = export.csv_text(found)
    assert SECRET not in text and "Jan Jansen" not in text and "name" not in found.columns
    references = {f"r{n}" for n in range(1, 7)}  # the respondents' references in the responses file
    assert not references & {str(value) for row in found.rows for value in row.values()}
    assert text.startswith("# source: GBVS consultation coding\n# consultation: ")
    assert text.splitlines()[len(found.provenance)].startswith("response_id,question,respondent_type,")
    entry = session.scalars(select(AuditLog).order_by(AuditLog.id.desc()).limit(1)).one()
    assert (entry.actor, entry.action) == ("vera", "consultations.export")
    assert entry.detail["codebook_version"] == 2 and entry.detail["responses"] == len(PLAN)


def test_an_editorial_rewording_keeps_the_codings_and_a_change_of_meaning_asks_them_again(
    session: Session, people, coded
) -> None:
    before = _alphas(session, people)
    editorial = CodebookRevision(
        CodebookChangeKind.reword,
        "Q3.1",
        "spelfout",
        "Bescherming vitale infrastructuur",
        meaning_changed=False,
    )
    assert codebook.revise_codebook(session, people["manager"], "gbvs-test", editorial) == 2
    session.commit()
    after = _alphas(session, people)
    assert after["Q3.1"] == before["Q3.1"] and after["Q3.1"].units == 12  # every coding still counts
    assert not any(r.needs_recoding for r in coding.responses_for_coder(session, people["anna"], "gbvs-test"))
    _revise(session, people["manager"], "reword", "Q1.7", label_nl="Cyberdreiging tegen vitale processen")
    meaning = _alphas(session, people)
    assert meaning["Q1.7"].units == 0 and meaning["Q1.7"].codebook_version == 3  # the safe default
    assert meaning["Q3.1"] == before["Q3.1"]
    history = codebook.codebook_changes(session, people["viewer"], "gbvs-test")
    assert [(c.version, c.kind, c.meaning_changed) for c in history] == [
        (2, "reword", False),
        (3, "reword", True),
    ]
    assert history[0].after["defined_in"] == 1 and history[1].after["defined_in"] == 3
    last = session.scalars(select(AuditLog).order_by(AuditLog.id.desc()).limit(1)).one()
    assert (last.action, last.detail["meaning_changed"]) == ("consultations.codebook", True)


def test_a_merged_theme_carries_the_union_of_both_themes_strategy_links_and_says_whence(
    session: Session, people, coded
) -> None:
    _revise(session, people["manager"], "merge", "Q1.9", into="Q1.2", reason="niet te onderscheiden")
    themes = {
        t.code: t for t in consultations.get_consultation(session, people["viewer"], "gbvs-test").themes
    }
    assert (themes["Q1.2"].goals, themes["Q1.2"].threats) == ((8,), (3,))  # goal 8 was Q1.9's only
    assert themes["Q1.2"].trends == ("technology_hybrid_conflict",)
    summary = reports.summary(session, people["manager"], "gbvs-test")
    counted = {t.code: t for q in summary.questions for t in q.themes}
    assert counted["Q1.2"].goals == (8,)
    (change,) = codebook.codebook_changes(session, people["viewer"], "gbvs-test")
    assert change.after["links"] == {"trends": ["technology_hybrid_conflict"], "threats": [3], "goals": [8]}
    assert change.after["links_from"] == [
        {"kind": "trends", "link": "technology_hybrid_conflict", "from": ["Q1.2"]},
        {"kind": "threats", "link": 3, "from": ["Q1.2", "Q1.9"]},
        {"kind": "goals", "link": 8, "from": ["Q1.9"]},
    ]
    assert change.before["links"]["goals"] == [8] and change.before["into_links"]["goals"] == []


def test_a_withdrawn_coder_no_longer_holds_up_coding_and_alpha_is_over_the_others(
    session: Session, people, coded
) -> None:
    _revise(session, people["manager"], "retire", "Q1.4", reason="niemand weet wat eronder valt")
    with pytest.raises(InputError, match=r"1 coding needs re-coding.*carla.*withdraw-coder"):
        consultations.advance_phase(session, people["manager"], "gbvs-test")
    with pytest.raises(PermissionDeniedError, match="opinion:codebook"):
        rounds.withdraw_coder(session, people["anna"], "gbvs-test", "carla", "vertrokken")
    with pytest.raises(InputError, match="needs a reason"):
        rounds.withdraw_coder(session, people["manager"], "gbvs-test", "carla", "  ")
    with pytest.raises(InputError, match="vera has coded no response"):
        rounds.withdraw_coder(session, people["manager"], "gbvs-test", "vera", "nooit begonnen")
    rounds.withdraw_coder(session, people["manager"], "gbvs-test", "carla", "naar een ander ministerie")
    session.commit()
    entry = session.scalars(select(AuditLog).order_by(AuditLog.id.desc()).limit(1)).one()
    assert (entry.actor, entry.action, entry.detail["coder"], entry.detail["coded"]) == (
        "mona",
        "consultations.withdraw_coder",
        "carla",
        11,
    )
    with pytest.raises(InputError, match="already been withdrawn"):
        rounds.withdraw_coder(session, people["manager"], "gbvs-test", "carla", "nog eens")
    found = _alphas(session, people)
    without_carla = {p: {**by, "carla": None} for p, by in PLAN.items()}
    for theme in ("Q1", "Q2.2", "Q3.3", "Q3.4"):
        assert found[theme].alpha == pytest.approx(_library_alpha(theme, coded, without_carla), abs=1e-12)
        assert found[theme].coders == 2
    assert found["Q3"].coder_units == (("anna", 11), ("bert", 11))  # 11 responses coded by both
    (gone,) = rounds.withdrawn_coders(session, people["viewer"], "gbvs-test")
    assert (gone.coder, gone.coded, gone.by, gone.reason) == (
        "carla",
        11,
        "mona",
        "naar een ander ministerie",
    )
    assert consultations.advance_phase(session, people["manager"], "gbvs-test") == "adjudication"
    session.commit()
    kept = [c for c in coding.all_codes(session, people["viewer"], "gbvs-test") if c.coder == "carla"]
    assert len(kept) == 11  # her codes stay
    rows = {
        r["response_id"]: r for r in export.export_coded(session, people["viewer"], "gbvs-test", "csv").rows
    }
    secret = rows[coded[f"{SECRET}:"]]
    assert secret["carla themes"] == "Q1.4" and secret["carla needs_recoding"] == "withdrawn"
    assert secret["unresolved_themes"] == ""  # anna and bert agree on Q1.7; carla's Q1.4 counts no longer
    with pytest.raises(InputError, match="withdrawn only while it is coded"):
        rounds.withdraw_coder(session, people["manager"], "gbvs-test", "bert", "te laat")


def test_a_withdrawal_made_in_error_is_undone_and_both_stay_on_record(
    session: Session, people, coded
) -> None:
    _revise(session, people["manager"], "retire", "Q1.4", reason="niemand weet wat eronder valt")
    all_three = _alphas(session, people)
    with pytest.raises(InputError, match="carla is not withdrawn"):
        rounds.reinstate_coder(session, people["manager"], "gbvs-test", "carla", "vergissing")
    rounds.withdraw_coder(session, people["manager"], "gbvs-test", "carla", "dacht dat ze weg was")
    session.commit()
    assert _alphas(session, people)["Q1"].coders == 2
    with pytest.raises(PermissionDeniedError, match="opinion:codebook"):
        rounds.reinstate_coder(session, people["anna"], "gbvs-test", "carla", "vergissing")
    with pytest.raises(InputError, match="reinstating a coder needs a reason"):
        rounds.reinstate_coder(session, people["manager"], "gbvs-test", "carla", " ")
    rounds.reinstate_coder(session, people["manager"], "gbvs-test", "carla", "ze codeert nog: vergissing")
    session.commit()
    entry = session.scalars(select(AuditLog).order_by(AuditLog.id.desc()).limit(1)).one()
    assert (entry.actor, entry.action, entry.detail["coder"], entry.detail["reason"]) == (
        "mona",
        "consultations.reinstate_coder",
        "carla",
        "ze codeert nog: vergissing",
    )
    found = _alphas(session, people)
    assert found == all_three  # alpha includes her again
    retired = {**PLAN, f"{SECRET}:": {**PLAN[f"{SECRET}:"], "carla": None}}  # her Q1.4 awaits re-coding
    for theme in ("Q1", "Q2.2", "Q3.3"):
        assert found[theme].alpha == pytest.approx(_library_alpha(theme, coded, retired), abs=1e-12)
        assert found[theme].coders == 3
    assert rounds.withdrawn_coders(session, people["viewer"], "gbvs-test") == []
    with pytest.raises(InputError, match=r"1 coding needs re-coding.*carla"):  # she counts, so she re-codes
        consultations.advance_phase(session, people["manager"], "gbvs-test")
    with pytest.raises(InputError, match="carla is not withdrawn"):
        rounds.reinstate_coder(session, people["manager"], "gbvs-test", "carla", "nog eens")
    rounds.withdraw_coder(session, people["manager"], "gbvs-test", "carla", "nu echt vertrokken")
    session.commit()
    history = rounds.round_history(session, people["viewer"], "gbvs-test")
    assert [(c.coder, c.kind, c.by, c.reason) for c in history] == [
        ("carla", "withdrawn", "mona", "dacht dat ze weg was"),
        ("carla", "reinstated", "mona", "ze codeert nog: vergissing"),
        ("carla", "withdrawn", "mona", "nu echt vertrokken"),
    ]
    (gone,) = rounds.withdrawn_coders(session, people["viewer"], "gbvs-test")
    assert (gone.coder, gone.reason) == ("carla", "nu echt vertrokken")
    assert _alphas(session, people)["Q1"].coders == 2
    assert consultations.advance_phase(session, people["manager"], "gbvs-test") == "adjudication"
    session.commit()
    about = dict(export.export_coded(session, people["viewer"], "gbvs-test", "csv").provenance)
    assert "ze codeert nog: vergissing" in about["reinstated coder carla"]
    assert "nu echt vertrokken" in about["withdrawn coder carla"]
    _the_round_lines_read_in_dutch(export.export_coded(session, people["viewer"], "gbvs-test", "csv"))
    with pytest.raises(InputError, match="reinstated only while it is coded"):
        rounds.reinstate_coder(session, people["manager"], "gbvs-test", "carla", "te laat")


def _the_round_lines_read_in_dutch(found: Any) -> None:
    """A withdrawal's time in a Dutch export: Dutch time with its zone, as the app's other times (it read
    "2026-12-07 13:05 UTC"); the English provenance keeps ISO 8601 with its offset."""
    from gbvs.catalogues import load_catalogs
    from gbvs.web.api.exportnotes import Reader, about_lines

    dutch = dict(
        about_lines(found.provenance, len(found.rows), Reader(load_catalogs()["nl"].gettext, lang="nl"))
    )
    line = dutch["teruggetrokken codeur carla"]
    assert re.search(r"^teruggetrokken door mona op \d{1,2} [a-z]+ \d{4} \d\d:\d\d CES?T na ", line), line
    assert "UTC" not in line
    english = dict(found.provenance)["withdrawn coder carla"]
    assert re.search(r"withdrawn by mona on \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00 after", english), english
