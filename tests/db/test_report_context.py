"""Progress report: the context chapter (driver monitor, watchlist at the period's end, risk diagram)
and the indicators linked from consultations and displacement, in HTML, PDF and DOCX, frozen in the
snapshot and through the publication filter. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import importlib.util
import io
import os
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pandas as pd
import pypdf
from docx import Document
from sqlalchemy.orm import Session

from gbvs.assessments import load_method
from gbvs.config import Settings
from gbvs.db.services import assessments as threat
from gbvs.db.services import consultation_coding as coding
from gbvs.db.services import consultations
from gbvs.opinion.codebook import draft_codebook
from gbvs.opinion.consultation import parse_info, parse_responses
from gbvs.reports import build, records, service
from gbvs.reports.core.builtin import PANEL
from gbvs.reports.core.displacement_indicators import DISPLACEMENT_RUNS
from gbvs.reports.docx_render import render_docx
from gbvs.reports.render import render_html, render_pdf, text_of
from gbvs.reports.sources import DataCache, LoadedData, load_displacement_runs
from gbvs.security import Principal, Role

TESTS = Path(__file__).resolve().parents[1]
PERIOD = "2026-2026"  # the test runs are made in 2026
SCENARIO = "Concept: Terroristische aanslagen"
NRB = load_method("nrb_2009")


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


forecastbuilder = _load(TESTS / "web" / "forecastbuilder.py", "report_tests_forecastbuilder")


def _panel() -> pd.DataFrame:
    """Syria (652) in conflict, Mali (432), Russia (369) and Mexico (70) not; one driver column."""
    rows = []
    for gwcode, conflict, water in ((652, 1, 800.0), (432, 0, 3000.0), (369, 0, 30000.0), (70, 0, 3500.0)):
        for year in (2022, 2023, 2024, 2025, 2026):
            rows.append(
                {
                    "gwcode": gwcode,
                    "year": year,
                    "conflict": conflict,
                    "gm_renewable_water_cu_meters_per_person": water + (year - 2025) * 10,
                }
            )
    return pd.DataFrame(rows)


def _data(settings: Settings) -> LoadedData:
    data = LoadedData(frames={PANEL: _panel()})
    load_displacement_runs(settings, data)
    return data


def _scores(code: str) -> dict[str, tuple[str, str]]:
    return {criterion: (code, "reden") for criterion in NRB.criterion_ids()}


def _scored_scenario(session: Session, make_user: Callable[..., Principal], coordinator: Principal) -> int:
    [scenario_id, *_] = threat.seed_drafts(session, coordinator)
    threat.open_round(session, coordinator, scenario_id)
    for name, likelihood, impact in (("ann", "B", "A"), ("bob", "C", "B"), ("cas", "D", "C")):
        analyst = make_user(name, Role.analyst)
        threat.submit_scores(session, analyst, scenario_id, (likelihood, "waarom"), _scores(impact))
    threat.close_round(session, coordinator, scenario_id)
    session.commit()
    return scenario_id


def _texts(built: build.Built, lang: str) -> dict[str, str]:
    html = render_html(built.outputs, built.content_hash, lang)
    pdf = pypdf.PdfReader(io.BytesIO(render_pdf(html)))
    docx = Document(io.BytesIO(render_docx(built.outputs, built.content_hash, lang)))
    return {
        "html": html,
        "pdf": "".join(p.extract_text() for p in pdf.pages).replace("\n", " "),
        "docx": "\n".join(
            [p.text for p in docx.paragraphs] + [c.text for t in docx.tables for r in t.rows for c in r.cells]
        ),
        "docx_pictures": str(len(docx.inline_shapes)),
        "snapshot": service.snapshot_json(built),
    }


def _indicator(built: build.Built, key: str) -> dict[str, Any]:
    return next(i for g in built.outputs["goals"] for i in g["indicators"] if i["record"]["key"] == key)


def test_context_chapter_in_every_format_frozen_and_filtered(
    session: Session, admin: Principal, make_user: Callable[..., Principal], settings: Settings
) -> None:
    coordinator = make_user("coord", Role.coordinator, "BZ")
    forecastbuilder.build_forecasts(settings)
    scenario_id = _scored_scenario(session, make_user, coordinator)
    records.seed_results_chain(session, coordinator)
    session.commit()

    built = build.build(settings, session, coordinator, PERIOD, data=_data(settings))
    context = built.outputs["context"]
    water = context["drivers"]["indicators"][5]
    assert water["column"] == "gm_renewable_water_cu_meters_per_person"
    sahel = next(r for r in water["regions"] if r["id"] == "sahel")
    assert (sahel["value"], sahel["year"], sahel["before"], sahel["change"]) == (3010.0, 2026, 3000.0, 10.0)
    assert water["source"]["table"] == "gapminder"

    watch = context["watchlist"]
    assert watch["available"] and watch["run"]["run_id"] == "forecast-new"  # newest run made by 2026-12-31
    assert watch["run"]["model_version"] == "lgbm-test-1" and watch["run"]["training_cutoff"] == 2023
    assert [r["gwcode"] for r in watch["top"]] == [652, 432, 369, 210]
    assert [r["gwcode"] for r in watch["onset"]] == [432, 369]  # at peace in 2025; 210 has no status

    forecast = _indicator(built, "goal13_asylum_forecast_nl")
    assert forecast["assessment"]["value"] == 17_900.0  # 15,000 + 400 + 2,500 + 0, one year ahead
    assert "90% 7,160-35,800" in text_of(forecast["points"][0]["note"], "en")
    assert "90% 7.160-35.800" in text_of(forecast["points"][0]["note"], "nl")
    assert forecast["footnotes"][-1]["model_version"] == "displacement-test-1"

    risk = context["risk"]
    assert not risk["available"], "a threat scenario is not public until its owner releases it"
    toets = service.public_toets(settings, session, coordinator, PERIOD, data=_data(settings))
    assert ("scenario", SCENARIO) in [(r["kind"], r["title"]) for r in toets]
    for lang in ("nl", "en"):
        texts = _texts(built, lang)
        for name in ("html", "pdf", "docx", "snapshot"):
            assert SCENARIO not in texts[name], f"{name} ({lang}): an unreleased scenario leaked"
        assert "Syri" in texts["pdf"] and "Syri" in texts["docx"], "the watchlist is in every format"
        monitor, sahel_value = ("Drijvermonitor", "3.010") if lang == "nl" else ("Driver monitor", "3,010")
        for name in ("html", "pdf", "docx"):
            assert monitor in texts[name] and sahel_value in texts[name], f"driver monitor in {name} ({lang})"

    records.release(session, coordinator, "scenario", str(scenario_id), "BZ publiceert het scenario")
    session.commit()
    built = build.build(settings, session, coordinator, PERIOD, data=_data(settings))
    risk = built.outputs["context"]["risk"]
    [point] = risk["points"]
    assert (
        point["label"]["nl"] == SCENARIO
        and point["label"]["en"] != SCENARIO
        and point["likelihood"]
        == {
            "median": 3.0,
            "low": 2.0,
            "high": 4.0,
            "count": 3,
        }
    )
    assert risk["needs_review"] and risk["unconfirmed"], "the method's unconfirmed values are marked"
    for lang, heading in (("nl", "Risicodiagram"), ("en", "Risk diagram")):
        texts = _texts(built, lang)
        review = {"nl": "Te controleren", "en": "Needs review"}[lang]
        assert 'class="chart risk-diagram"' in texts["html"] and review in texts["html"]
        criterion = {"nl": "Impactcriterium 3.1", "en": "Impact criterion 3.1"}[
            lang
        ]  # in words, not the entry
        assert criterion in texts["html"] and "method.criteria[3.1]" not in texts["html"]
        for name in ("html", "pdf", "docx"):
            assert point["label"][lang] in texts[name] and heading in texts[name], f"{name} ({lang})"
        assert review in texts["docx"] and texts["docx_pictures"] == "1", "the diagram as image"

    row = records.period(session, coordinator, PERIOD)
    early = {"early": {"reason": "tussenstand", "frozen_on": date.today().isoformat()}}  # before its end
    built = build.from_inputs(PERIOD, {**built.snapshot["inputs"], "freeze": early})
    records.freeze(session, coordinator, row, built.snapshot, built.content_hash)
    session.commit()
    assert service.verify_period(session, coordinator, PERIOD)[-1].identical
    assert build.rebuild(built.snapshot["inputs"], PERIOD).outputs["context"] == built.outputs["context"]


def test_no_forecast_made_by_the_period_end_is_said_not_replaced(
    session: Session, admin: Principal, make_user: Callable[..., Principal], settings: Settings
) -> None:
    coordinator = make_user("coord", Role.coordinator, "BZ")
    forecastbuilder.build_forecasts(settings)
    records.seed_results_chain(session, coordinator)
    built = build.build(settings, session, coordinator, "2024-2025", data=_data(settings))
    assert built.outputs["context"]["watchlist"] == {"available": False, "top": [], "onset": [], "run": None}
    assert _indicator(built, "goal13_asylum_forecast_nl")["assessment"]["value"] is None
    for lang, words in (("nl", "geen voorspelling"), ("en", "No forecast was made")):
        html = render_html(built.outputs, built.content_hash, lang)
        assert words in html and "forecast-new" not in html


ASYLUM_CAVEAT = {
    "en": "Over 2010-2023 these forecasts of asylum applications in the Netherlands one year ahead were less "
    "good than last year's value times past changes (CRPS 59.9 against 51.6, 16% worse).",
    "nl": "Over 2010-2023 waren deze voorspellingen van asielaanvragen in Nederland één jaar vooruit minder "
    "goed dan de waarde van vorig jaar maal eerdere veranderingen (CRPS 59,9 tegen 51,6, 16% slechter).",
}


def test_the_asylum_forecast_indicator_carries_the_backtest_s_caveat(
    session: Session, admin: Principal, make_user: Callable[..., Principal], settings: Settings
) -> None:
    """The backtest of the run's model version found asylum applications one year ahead less good than a
    baseline: the indicator's note says so in the pages' words, in the report's language and in its HTML;
    a backtest of another model version says nothing about these forecasts."""
    coordinator = make_user("coord", Role.coordinator, "BZ")
    forecastbuilder.build_forecasts(settings)
    records.seed_results_chain(session, coordinator)
    session.commit()
    forecastbuilder.add_displacement_backtest(settings, model_version="displacement-test-0")
    built = build.build(settings, session, coordinator, PERIOD, data=_data(settings))
    note = _indicator(built, "goal13_asylum_forecast_nl")["points"][0]["note"]
    assert ASYLUM_CAVEAT["en"] not in text_of(note, "en")
    forecastbuilder.add_displacement_backtest(settings)
    built = build.build(settings, session, coordinator, PERIOD, data=_data(settings))
    note = _indicator(built, "goal13_asylum_forecast_nl")["points"][0]["note"]
    for lang, caveat in ASYLUM_CAVEAT.items():
        assert caveat in text_of(note, lang)
        assert caveat in render_html(built.outputs, built.content_hash, lang).replace("&#39;", "'")
    assert build.rebuild(built.snapshot["inputs"], PERIOD).outputs["goals"] == built.outputs["goals"]


DATA = TESTS / "opinion" / "data"


def test_consultation_theme_counts_become_goal_indicators(
    session: Session, admin: Principal, make_user: Callable[..., Principal], settings: Settings
) -> None:
    manager = make_user("mona", Role.coordinator)
    coders = {name: make_user(name, Role.analyst) for name in ("anna", "bert")}
    rows = parse_responses((DATA / "responses.csv").read_text(encoding="utf-8"))
    info = parse_info((DATA / "consultation.yaml").read_text(encoding="utf-8"), rows)  # closed 2018-01-08
    consultations.import_consultation(session, manager, info, draft_codebook())
    session.commit()
    plan = {"Bel mij": ["Q3.1"], "Investeer": ["Q2.5"], "Hybride": ["Q1.9"], "De wereld": ["Q1.1"]}
    hybride = 0
    for response in coding.responses_for_coder(session, coders["anna"], "gbvs-test"):
        prefix = next((p for p in plan if response.text.startswith(p)), None)
        hybride = response.id if prefix == "Hybride" else hybride
        for name, coder in coders.items():
            themes = plan.get(prefix, []) if prefix else []
            if name == "bert" and prefix == "Hybride":
                themes = []  # disagreement: counts only once adjudicated
            coding.code_response(session, coder, response.id, themes)
    session.commit()
    records.seed_results_chain(session, manager)

    def values() -> dict[str, float | None]:
        built = build.build(settings, session, manager, "2018-2019", data=LoadedData())
        return {
            key: _indicator(built, key)["assessment"]["value"]
            for key in ("goal1_consultation_mentions", "goal8_consultation_mentions")
        }

    assert values() == {"goal1_consultation_mentions": None, "goal8_consultation_mentions": None}, (
        "counts of a consultation still being coded are not published"
    )
    consultations.advance_phase(session, manager, "gbvs-test")
    coding.adjudicate(session, manager, hybride, "Q1.9", True, "expliciet")
    consultations.advance_phase(session, manager, "gbvs-test")
    session.commit()
    assert values() == {"goal1_consultation_mentions": 2.0, "goal8_consultation_mentions": 1.0}


def test_a_retired_theme_is_no_goal_indicator_row(
    session: Session, make_user: Callable[..., Principal]
) -> None:
    """A theme retired from the codebook stayed among the consultation's themes and was reported with 0."""
    from gbvs.db.opinion_models import CodebookChangeKind
    from gbvs.db.services import consultation_codebook
    from gbvs.reports.context_reads import consultation_theme_rows

    manager, anna = make_user("mona", Role.coordinator), make_user("anna", Role.analyst)
    rows = parse_responses((DATA / "responses.csv").read_text(encoding="utf-8"))
    info = parse_info((DATA / "consultation.yaml").read_text(encoding="utf-8"), rows)
    consultations.import_consultation(session, manager, info, draft_codebook())
    retire = consultation_codebook.CodebookRevision(CodebookChangeKind.retire, "Q1.8", "valt onder Q1.1")
    consultation_codebook.revise_codebook(session, manager, "gbvs-test", retire)
    for response in coding.responses_for_coder(session, anna, "gbvs-test"):
        coding.code_response(session, anna, response.id, [])
    consultations.advance_phase(session, manager, "gbvs-test")
    consultations.advance_phase(session, manager, "gbvs-test")
    themes = {row["theme"] for row in consultation_theme_rows(session, manager)}
    assert "Q1.7" in themes and "Q1.8" not in themes


def test_the_loaded_data_is_kept_until_a_file_changes(ingested_store: Any, settings: Settings) -> None:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = Path(shutil.copy(ingested_store.path, settings.resolved_store_path))
    forecastbuilder.build_forecasts(settings)
    cache = DataCache()
    first, second = cache.get(settings), cache.get(settings)
    assert first.frames[PANEL] is second.frames[PANEL], "unchanged files: the panel is not read again"
    first.frames["added by a build"] = []
    assert "added by a build" not in cache.get(settings).frames, "each build gets its own copy"
    assert second.frames[DISPLACEMENT_RUNS][0]["run_id"] == "displacement-test"
    stat = store.stat()
    os.utime(store, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # as `gbvs ingest` replaces it
    assert cache.get(settings).frames[PANEL] is not first.frames[PANEL], "a new store is read again"
