"""Progress report (issue #14): frozen snapshots rebuild to their hash, the publication filter, workflow.

Runs on SQLite and PostgreSQL; the computed indicators read the real mirror (ingested once).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date
from html import unescape
from pathlib import Path

import pypdf
import pytest
from babel.dates import format_date
from docx import Document
from sqlalchemy.orm import Session

from gbvs.config import Settings, load_settings
from gbvs.db.report_models import DraftStatus, ReportSnapshot
from gbvs.db.services import cases, signals
from gbvs.errors import (
    DatabaseError,
    InputError,
    NotFoundError,
    PermissionDeniedError,
    StateConflictError,
)
from gbvs.reports import build, records, service, workflow
from gbvs.reports.core.hashing import content_hash
from gbvs.reports.docx_render import render_docx
from gbvs.reports.render import render_html, render_pdf
from gbvs.reports.sources import LoadedData, load_store_data
from gbvs.security import Principal, Role
from gbvs.signals.markings import Distribution, Tlp
from gbvs.signals.model import SignalDraft, SignalKind

PERIOD = "2018-2019"
SECRET = "OMEGA-RESTRICTED-7741"
PUBLIC = "ALPHA-OPENBAAR-1203"


@pytest.fixture(scope="module")
def loaded_panel(ingested_store) -> LoadedData:  # type: ignore[no-untyped-def]
    """The store part of the report's data, read once from the ingested mirror."""
    data = LoadedData()
    load_store_data(ingested_store.path, data)
    return data


def _data(loaded: LoadedData) -> LoadedData:
    return LoadedData(frames=dict(loaded.frames), sources=list(loaded.sources))


def _settings(tmp_path: Path) -> Settings:
    return load_settings(data_dir=tmp_path)


def _signal(author: Principal, title: str, tlp: Tlp, distribution: Distribution, day: date) -> SignalDraft:
    assert author.organisation_code is not None
    return SignalDraft(
        title=title,
        kind=SignalKind.disinformation,
        observed_on=None,
        reported_on=day,
        owner_organisation=author.organisation_code,
        tlp=tlp,
        distribution=distribution,
        threats=(3,),
        target_countries=("NLD",),
    )


def test_frozen_snapshot_rebuilds_to_its_hash_and_ignores_later_changes(
    session: Session,
    admin: Principal,
    make_user: Callable[..., Principal],
    loaded_panel: LoadedData,
    tmp_path: Path,
) -> None:
    coordinator = make_user("coord", Role.coordinator, "BZ")
    records.seed_results_chain(session, coordinator)
    settings = _settings(tmp_path)
    built = build.build(settings, session, coordinator, PERIOD, data=_data(loaded_panel))
    again = build.build(settings, session, coordinator, PERIOD, data=_data(loaded_panel))
    assert built.content_hash == again.content_hash, "the same records and data give the same hash"
    incidence = next(
        i
        for g in built.outputs["goals"]
        for i in g["indicators"]
        if i["record"]["key"] == "goal1_conflict_incidence"
    )
    assert incidence["status"] == "computed" and incidence["assessment"]["value"] is not None

    row = records.period(session, coordinator, PERIOD)
    records.freeze(session, coordinator, row, built.snapshot, built.content_hash)
    session.commit()
    frozen = session.query(ReportSnapshot).one()
    assert build.rebuild(frozen.inputs, PERIOD).content_hash == frozen.content_hash
    (checked,) = service.verify_period(session, coordinator, PERIOD)
    assert checked.identical and checked.current

    changed = records.change_indicator(
        session, coordinator, "goal1_conflict_incidence", target_value=5.0, target_year=2022
    )
    session.commit()
    assert changed.version == 2
    history = records.indicator_history(session, coordinator, "goal1_conflict_incidence")
    assert [h.version for h in history] == [1, 2] and history[0].target_value is None, "version 1 is kept"
    current, is_frozen = service.current(settings, session, coordinator, PERIOD)
    assert is_frozen and current.content_hash == frozen.content_hash, "the frozen report does not change"
    fresh = build.build(settings, session, coordinator, PERIOD, data=_data(loaded_panel))
    assert fresh.content_hash != frozen.content_hash, "a new build sees version 2"
    with pytest.raises(DatabaseError, match="never changed"):
        frozen.content_hash = "sha256:0"
        session.flush()
    session.rollback()


def test_restricted_signal_never_reaches_any_format(
    session: Session, admin: Principal, make_user: Callable[..., Principal], tmp_path: Path
) -> None:
    coordinator = make_user("coord", Role.coordinator, "BZ")
    signals.create_signal(
        session, coordinator, _signal(coordinator, PUBLIC, Tlp.clear, Distribution.public, date(2019, 3, 4))
    )
    signals.create_signal(
        session,
        coordinator,
        _signal(coordinator, SECRET, Tlp.amber, Distribution.organisation, date(2019, 5, 6)),
    )
    session.commit()
    records.seed_results_chain(session, coordinator)
    built = build.build(_settings(tmp_path), session, coordinator, PERIOD, data=LoadedData())
    html = render_html(built.outputs, built.content_hash, "nl")
    pdf = pypdf.PdfReader(io.BytesIO(render_pdf(html)))
    root = pdf.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"] and root["/Lang"] == "nl", "tagged PDF"
    pdf_text = "".join(p.extract_text() for p in pdf.pages)
    docx = Document(io.BytesIO(render_docx(built.outputs, built.content_hash, "nl")))
    docx_text = "\n".join(
        [p.text for p in docx.paragraphs] + [c.text for t in docx.tables for r in t.rows for c in r.cells]
    )
    for name, text in (
        ("html", html),
        ("pdf", pdf_text),
        ("docx", docx_text),
        ("snapshot", service.snapshot_json(built)),
    ):
        assert PUBLIC in text.replace("\n", ""), f"{name}: the public signal is shown (so the check can fail)"
        assert SECRET not in text, f"{name}: the restricted signal leaked"
    toets = service.public_toets(_settings(tmp_path), session, coordinator, PERIOD, data=LoadedData())
    assert [(r["kind"], r["title"]) for r in toets] == [("signal", SECRET)]
    assert "TLP:AMBER" in toets[0]["reason"]
    analyst = make_user("ana", Role.analyst, "BZ")
    with pytest.raises(PermissionDeniedError):
        service.public_toets(_settings(tmp_path), session, analyst, PERIOD, data=LoadedData())


def test_the_openbaarheidstoets_of_an_unknown_period_is_refused_and_creates_no_period(
    session: Session, admin: Principal, make_user: Callable[..., Principal], tmp_path: Path
) -> None:
    coordinator = make_user("coord", Role.coordinator, "BZ")
    with pytest.raises(NotFoundError, match=r"no reporting period '2030-2031'; `gbvs report build --period"):
        service.public_toets(_settings(tmp_path), session, coordinator, "2030-2031", data=LoadedData())
    assert records.periods(session, coordinator) == [], "a look at what is left out creates no period"


def test_released_item_and_joint_positions_are_published(
    session: Session, admin: Principal, make_user: Callable[..., Principal], tmp_path: Path
) -> None:
    coordinator = make_user("coord", Role.coordinator, "BZ")
    other = make_user("def.analyst", Role.analyst, "DEF")
    today = date.today()
    label = f"{today.year}-{today.year}"
    sid = signals.create_signal(
        session,
        coordinator,
        _signal(coordinator, "Gedeeld signaal", Tlp.green, Distribution.all_organisations, today),
    )
    case_id = cases.create_case(
        session,
        coordinator,
        title="Casus",
        signal_ids=[sid],
        tlp=Tlp.green,
        distribution=Distribution.all_organisations,
    )
    cases.assess(
        session, other, case_id=case_id, judgement="eens", likelihood="likely", confidence="moderate"
    )
    cases.assess(
        session,
        coordinator,
        case_id=case_id,
        judgement="samen",
        likelihood="likely",
        confidence="moderate",
        joint_position_of=["DEF"],
    )
    session.commit()
    records.seed_results_chain(session, coordinator)
    quarter = f"{today.year}-Q{(today.month - 1) // 3 + 1}"

    def joint_count() -> float:
        built = build.build(_settings(tmp_path), session, coordinator, label, data=LoadedData())
        ind = next(
            i
            for g in built.outputs["goals"]
            for i in g["indicators"]
            if i["record"]["key"] == "goal8_joint_signals"
        )
        return next(p["value"] for p in ind["points"] if p["period"] == quarter)

    assert joint_count() == 0.0, "TLP:GREEN is not public until released"
    records.release(session, coordinator, "signal", str(sid), "BZ agreed to publish")
    session.commit()
    assert joint_count() == 1.0


def test_workflow_steps_are_kept_and_only_the_coordinator_approves(
    session: Session, admin: Principal, make_user: Callable[..., Principal], tmp_path: Path
) -> None:
    coordinator = make_user("coord", Role.coordinator, "BZ")
    defence = make_user("def.analyst", Role.analyst, "DEF")
    row = records.period(session, coordinator, PERIOD, create=True)
    draft = workflow.create_draft(session, coordinator, row)
    workflow.contribute(session, defence, draft.id, 12, "Eerste tekst Defensie.")
    workflow.contribute(session, defence, draft.id, 12, "Herziene tekst Defensie.")
    workflow.contribute(session, defence, draft.id, 5, "Geheime passage.", tlp="amber")
    workflow.comment(session, coordinator, draft.id, "Graag cijfers toevoegen.", goal=12)
    workflow.move(session, defence, draft.id, DraftStatus.review)
    session.commit()  # a refusal rolls back pending work (and keeps its audit entry)
    with pytest.raises(PermissionDeniedError):
        workflow.move(session, defence, draft.id, DraftStatus.approved)
    workflow.move(session, coordinator, draft.id, DraftStatus.approved)
    with pytest.raises(InputError, match="texts change only"):
        workflow.contribute(session, defence, draft.id, 12, "te laat")
    session.commit()
    records.seed_results_chain(session, coordinator)
    service.move_draft(_settings(tmp_path), session, coordinator, draft.id, "published", data=LoadedData())
    session.commit()
    view = workflow.view(session, coordinator, draft.id).as_dict()
    assert [(t["from_status"], t["to_status"], t["actor"]) for t in view["transitions"]] == [
        ("", "draft", "coord"),
        ("draft", "review", "def.analyst"),
        ("review", "approved", "coord"),
        ("approved", "published", "coord"),
    ]
    assert [(c["version"], c["author"]) for c in view["contributions"] if c["goal"] == 12] == [
        (1, "def.analyst"),
        (2, "def.analyst"),
    ]
    snapshot = session.query(ReportSnapshot).one()
    texts = [c["text"] for c in snapshot.outputs["goals"][11]["contributions"]]
    assert texts == ["Herziene tekst Defensie."], "the newest version only"
    assert "Geheime passage." not in str(snapshot.outputs) and "Geheime passage." not in str(snapshot.inputs)


def test_a_frozen_period_is_not_frozen_again_only_superseded_with_a_reason_the_report_shows(
    session: Session, admin: Principal, make_user: Callable[..., Principal], tmp_path: Path
) -> None:
    coordinator = make_user("coord", Role.coordinator, "BZ")
    records.seed_results_chain(session, coordinator)
    settings = _settings(tmp_path)
    first = service.freeze_period(settings, session, coordinator, PERIOD, data=LoadedData())
    session.commit()
    with pytest.raises(StateConflictError, match=f"already frozen: snapshot {first.content_hash}") as refused:
        service.freeze_period(settings, session, coordinator, PERIOD, data=LoadedData())
    assert "--supersede --reason" in str(refused.value)
    session.rollback()
    with pytest.raises(StateConflictError, match="already frozen"):  # the record layer refuses it too
        row = records.period(session, coordinator, PERIOD)
        records.freeze(session, coordinator, row, first.snapshot, first.content_hash)
    session.rollback()
    draft = workflow.create_draft(session, coordinator, records.period(session, coordinator, PERIOD))
    workflow.move(session, coordinator, draft.id, DraftStatus.review)
    workflow.move(session, coordinator, draft.id, DraftStatus.approved)
    session.commit()
    with pytest.raises(StateConflictError, match="already frozen"):  # publishing a draft: the same rule
        service.move_draft(settings, session, coordinator, draft.id, "published", data=LoadedData())
    session.rollback()
    assert workflow.get_draft(session, coordinator, draft.id).status is DraftStatus.approved
    assert session.query(ReportSnapshot).count() == 1

    reason = "waarde van DEF voor 2019 gecorrigeerd"
    second = service.freeze_period(
        settings, session, coordinator, PERIOD, supersede_reason=reason, data=LoadedData()
    )
    session.commit()
    assert second.snapshot["inputs"]["freeze"]["supersedes"] == {"content_hash": first.content_hash,
                                                                  "reason": reason}  # fmt: skip
    shown, _ = service.current(settings, session, coordinator, PERIOD)
    assert shown.content_hash == second.content_hash != first.content_hash
    html = render_html(shown.outputs, shown.content_hash, "nl", frozen=True)
    assert f"Vervangt versie {first.content_hash}. Reden van de correctie: {reason}" in html
    english = render_docx(shown.outputs, shown.content_hash, "en")
    texts = [p.text for p in Document(io.BytesIO(english)).paragraphs]
    assert f"Replaces version {first.content_hash}. Reason for the correction: {reason}" in texts
    checked = service.verify_period(session, coordinator, PERIOD)
    assert [(c.stored, c.supersedes, c.current, c.identical) for c in checked] == [
        (first.content_hash, None, False, True),
        (second.content_hash, first.content_hash, True, True),
    ], "verify checks and lists every snapshot of the period"


def _file_texts(files: list[Path]) -> dict[str, str]:
    """Every text of each written file by its name: the HTML, the PDF's text, the DOCX's paragraphs and
    table cells."""
    texts = {}
    for path in files:
        if path.suffix == ".pdf":
            text = "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
        elif path.suffix == ".docx":
            doc = Document(str(path))
            cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
            text = "\n".join([p.text for p in doc.paragraphs] + cells)
        else:
            text = unescape(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")))
        texts[path.name] = " ".join(text.split())
    return texts


def test_files_written_after_a_correction_carry_it_as_errata_and_the_snapshot_still_verifies(
    session: Session, admin: Principal, make_user: Callable[..., Principal], tmp_path: Path
) -> None:
    """A clerk who downloads a published report after a value was corrected sees the correction in every
    format and language, in a part of its own; the frozen report itself stays as it was hashed."""
    coordinator = make_user("coord", Role.coordinator, "BZ")
    mina = make_user("mina", Role.analyst, "DEF")
    records.seed_results_chain(session, coordinator)
    key = "goal5_nato_readiness"
    first = records.add_reported_value(
        session, mina, records.ValueEntry(key, "2019", 80, date(2020, 1, 15), "DEF-overzicht")
    )
    settings = _settings(tmp_path)
    frozen = service.freeze_period(settings, session, coordinator, PERIOD, data=LoadedData())
    session.commit()
    plain = service.produce(
        settings, session, coordinator, PERIOD, tmp_path / "before", formats=["html"], languages=["nl"]
    )
    assert "Errata" not in _file_texts(plain.files)["gbvs-voortgang-2018-2019.nl.html"]
    entry = records.ValueEntry(key, "2019", 75, date(2020, 2, 1), "DEF-overzicht, herzien",
                               corrects=first.id, reason="telfout in de optelling")  # fmt: skip
    records.add_reported_value(session, mina, entry)
    session.commit()
    produced = service.produce(
        settings, session, coordinator, PERIOD, tmp_path / "after", formats=["html", "pdf", "docx"],
        languages=["nl", "en"],
    )  # fmt: skip
    assert produced.frozen and produced.content_hash == frozen.content_hash
    today = {"nl": format_date(date.today(), "long", locale="nl_NL"),
             "en": format_date(date.today(), "long", locale="en_GB")}  # fmt: skip
    said = {
        "nl": ["Errata na publicatie", "Na de publicatie van dit rapport zijn errata vastgelegd",
               f"de inhoudshash {frozen.content_hash} geldt voor het rapport zoals het is gepubliceerd",
               f"Gereedstelling van eenheden voor NAVO-taken 2019 80 75 {today['nl']} DEF telfout in de "
               "optelling"],
        "en": ["Errata after publication", "Errata were recorded after this report was published",
               f"content hash {frozen.content_hash} covers the report as published",
               f"Readiness of units for NATO tasks 2019 80 75 {today['en']} DEF telfout in de optelling"],
    }  # fmt: skip
    for name, text in _file_texts(produced.files).items():
        lang = name.split(".")[1]
        squeezed = text.replace("\n", " ")
        for words in said[lang]:
            assert words in squeezed or words.replace(" ", "") in squeezed.replace(" ", ""), (name, words)
    (checked,) = service.verify_period(session, coordinator, PERIOD)
    assert checked.intact and checked.identical and checked.stored == frozen.content_hash

    withheld = records.ValueEntry(key, "2019", 70, date(2020, 3, 1), "DEF-intern", tlp="amber",
                                  corrects=first.id + 1, reason="GEHEIME-REDEN-55")  # fmt: skip
    records.add_reported_value(session, mina, withheld)
    session.commit()
    again = service.produce(
        settings, session, coordinator, PERIOD, tmp_path / "again", formats=["docx"], languages=["nl"]
    )
    (text,) = _file_texts(again.files).values()
    assert "2019 80 niet openbaar (niet vrijgegeven voor publicatie)" in text, "the value in force, withheld"
    assert "GEHEIME-REDEN-55" not in text and " 70 " not in text


def test_a_period_is_frozen_before_its_end_only_early_with_a_reason(
    session: Session, admin: Principal, make_user: Callable[..., Principal], tmp_path: Path
) -> None:
    coordinator = make_user("coord", Role.coordinator, "BZ")
    records.seed_results_chain(session, coordinator)
    settings = _settings(tmp_path)
    year = date.today().year
    running = f"{year}-{year + 1}"
    with pytest.raises(StateConflictError, match=f"ends on {year + 1}-12-31") as refused:
        service.freeze_period(settings, session, coordinator, running, data=LoadedData())
    assert '--early --reason "why now"' in str(refused.value)
    session.rollback()
    with pytest.raises(InputError, match="needs --reason"):
        service.freeze_period(settings, session, coordinator, running, early_reason=" ", data=LoadedData())
    session.rollback()
    built = service.freeze_period(
        settings, session, coordinator, running, early_reason="kabinet valt", data=LoadedData()
    )
    html = render_html(built.outputs, built.content_hash, "nl", frozen=True)
    assert "vóór het einde van de periode (31 december " in html and "Reden: kabinet valt" in html


def test_report_compares_with_the_previous_frozen_report(
    session: Session, admin: Principal, make_user: Callable[..., Principal], loaded_panel: LoadedData,
    tmp_path: Path,
) -> None:  # fmt: skip
    coordinator = make_user("coord", Role.coordinator, "BZ")
    records.seed_results_chain(session, coordinator)
    settings = _settings(tmp_path)
    earlier = service.freeze_period(settings, session, coordinator, "2016-2017", data=_data(loaded_panel))
    session.commit()
    built = build.build(settings, session, coordinator, PERIOD, data=_data(loaded_panel))
    key = "goal1_battle_deaths"
    before = next(i for g in earlier.outputs["goals"] for i in g["indicators"] if i["record"]["key"] == key)
    now = next(i for g in built.outputs["goals"] for i in g["indicators"] if i["record"]["key"] == key)
    assert now["previous"]["label"] == "2016-2017"
    assert now["previous"]["value"] == before["assessment"]["value"] is not None
    assert now["previous"]["change"] == now["assessment"]["value"] - before["assessment"]["value"]
    assert built.snapshot["inputs"]["previous"]["content_hash"] == earlier.content_hash
    assert "Sinds de vorige rapportage (2016-2017)" in render_html(built.outputs, built.content_hash, "nl")


def test_a_frozen_report_keeps_its_outputs_when_a_later_version_computes_them_otherwise(
    session: Session, admin: Principal, make_user: Callable[..., Principal], tmp_path: Path
) -> None:
    """A published report keeps its figures, words and hash after an update of GBVS: it is shown as
    stored, and verification says the stored snapshot is intact but computed differently now (it
    said "its inputs were changed" before, which they were not)."""
    coordinator = make_user("coord", Role.coordinator, "BZ")
    records.seed_results_chain(session, coordinator)
    settings = _settings(tmp_path)
    built = build.build(settings, session, coordinator, PERIOD, data=LoadedData())
    earlier = {**built.outputs, "note": "geen waarschuwingen / no alerts"}  # an earlier version's words
    snapshot = {"inputs": built.snapshot["inputs"], "outputs": earlier}
    row = records.period(session, coordinator, PERIOD)
    records.freeze(session, coordinator, row, snapshot, content_hash(snapshot))
    session.commit()

    (checked,) = service.verify_period(session, coordinator, PERIOD)
    assert checked.intact and not checked.identical and checked.rebuilt == built.content_hash
    shown, is_frozen = service.current(settings, session, coordinator, PERIOD)
    assert is_frozen and shown.outputs == earlier and shown.content_hash == content_hash(snapshot)


def test_a_snapshot_that_does_not_match_its_stored_hash_is_reported_as_altered(
    session: Session, admin: Principal, make_user: Callable[..., Principal], tmp_path: Path
) -> None:
    coordinator = make_user("coord", Role.coordinator, "BZ")
    records.seed_results_chain(session, coordinator)
    built = build.build(_settings(tmp_path), session, coordinator, PERIOD, data=LoadedData())
    row = records.period(session, coordinator, PERIOD)
    records.freeze(session, coordinator, row, built.snapshot, "sha256:" + "0" * 64)
    session.commit()
    (checked,) = service.verify_period(session, coordinator, PERIOD)
    assert not checked.intact and not checked.identical


def test_a_later_period_computes_its_baseline_from_the_baseline_year(
    session: Session, make_user: Callable[..., Principal], loaded_panel: LoadedData, tmp_path: Path
) -> None:
    """2022-2023's series started in 2018, so the 2017 baseline read '– (2017)', 'cannot be assessed'."""
    coordinator = make_user("coord", Role.coordinator, "BZ")
    records.seed_results_chain(session, coordinator)
    built = build.build(_settings(tmp_path), session, coordinator, "2022-2023", data=_data(loaded_panel))
    incidence = next(
        i
        for g in built.outputs["goals"]
        for i in g["indicators"]
        if i["record"]["key"] == "goal1_conflict_incidence"
    )
    in_2017 = next(p["value"] for p in incidence["points"] if p["period"] == "2017")
    assert incidence["assessment"]["baseline"] == in_2017 is not None
    assert incidence["assessment"]["change"] is not None and incidence["assessment"]["verdict"] != "unknown"
