"""The report's words and numbers in the language it is built in, the same in HTML and DOCX.

The report is computed from recorded inputs alone (no database), then rendered.
"""

from __future__ import annotations

import io
import json
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
import yaml
from docx import Document

from gbvs.db.report_models import ActionStatus
from gbvs.reports.build import Built
from gbvs.reports.core.hashing import canonical_json
from gbvs.reports.core.indicators import REGISTRY, Context
from gbvs.reports.core.opinion_indicators import POLL_TRENDS, TRUST_TREND
from gbvs.reports.core.outputs import compute
from gbvs.reports.docx_render import render_docx
from gbvs.reports.render import labels, render_html
from gbvs.reports.views import indicators_of
from gbvs.web.api.reports import ReportIndicator

HASH = "sha256:test"


def _record(key: str, method: str, **fields: Any) -> dict[str, Any]:
    return {
        "key": key,
        "version": 1,
        "goal": 1,
        "level": "output",
        "method": method,
        "definition": key if method == "computed" else None,
        "name": f"Naam van {key}",
        "name_en": f"Name of {key}",
        "unit": "eenheden",
        "direction": "up",
        "baseline_value": None,
        "baseline_year": None,
        "target_value": None,
        "target_year": None,
        "source": None,
        "owner_organisation": "BZ",
        "author": "root",
        "note": "",
        **fields,
    }


def _reported(key: str, period: str, value: float) -> dict[str, Any]:
    return {
        "id": int(period),
        "indicator_key": key,
        "period": period,
        "value": value,
        "evidence": f"brief {period}",
        "organisation": "BZ",
        "entered_by": "root",
        "measured_on": f"{period}-12-15",
    }


def inputs(**parts: Any) -> dict[str, Any]:
    """Recorded inputs of period 2018-2019 with one goal; ``parts`` replace or add inputs."""
    return {
        "period": {"label": "2018-2019", "start": "2018-01-01", "end": "2019-12-31"},
        "window": {"first_year": 2014, "last_year": 2019},
        "gwcodes": {},
        "goals": [
            {"number": 1, "pillar": "voorkomen", "title": {"nl": "Doel", "en": "Goal"}, "frameworks": []}
        ],
        "pillars": [{"id": "voorkomen", "number": "4.1", "title": {"nl": "Voorkomen", "en": "Prevent"}}],
        "indicators": [],
        "actions": [],
        "reported_values": [],
        "rows": {},
        "signals": [],
        "sources": [],
        **parts,
    }


def outputs(recorded: dict[str, Any]) -> dict[str, Any]:
    """The report's content as a snapshot keeps it (JSON)."""
    result: dict[str, Any] = json.loads(canonical_json(compute(recorded)))
    return result


def docx_text(out: dict[str, Any], lang: str) -> str:
    """Every paragraph and table cell of the DOCX."""
    doc = Document(io.BytesIO(render_docx(out, HASH, lang)))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def html_text(out: dict[str, Any], lang: str) -> str:
    """The HTML page."""
    return render_html(out, HASH, lang)


# --- 1. the DOCX says what the HTML says ------------------------------------------------------------


def test_docx_leaves_out_a_missing_period_and_gives_the_baseline_year_like_the_html() -> None:
    reported = _record("programmes", "reported", baseline_year=2017, target_value=5.0, target_year=2022)
    computed = _record("goal1_alerts_acted_on", "computed", unit="waarschuwingen")
    recorded = inputs(
        indicators=[reported, computed],
        reported_values=[_reported("programmes", "2017", 42042.0), _reported("programmes", "2019", 16922.0)],
        rows={"goal1_alerts_acted_on": []},
    )
    out = outputs(recorded)
    for lang in ("nl", "en"):
        text = docx_text(out, lang)
        assert "None" not in text, f"the DOCX ({lang}) prints Python's None"
        missing = {"nl": "Waarde in de periode: –\n", "en": "Value in the period: –\n"}[lang]
        assert missing in text, f"no brackets without a period and no unit without a value ({lang})"
    nl = docx_text(out, "nl")
    assert "Nulmeting: 42.042 (2017)" in nl and "Streefwaarde: 5 (2022)" in nl
    assert "Waarde in de periode: 16.922 eenheden (2019)" in nl
    html = html_text(out, "nl")
    assert "<dd>42.042 (2017)</dd>" in html and "<dd>–</dd>" in html


# --- 2. numbers in the report's notation, 3. one language ---------------------------------------------

FORECAST_RUN = {
    "run_id": "disp-run",
    "created_at": "2019-06-01 10:00:00",
    "model_version": "disp-1",
    "training_cutoff": 2018,
    "data_vintage": "unhcr=2018",
    "forecast_period": 2019,
    "origins": 3,
    "q05": 13445.2,
    "q25": 20000.0,
    "q50": 30000.0,
    "q75": 50000.0,
    "q95": 100927.4,
}
CAVEAT = {"nl": "Gepubliceerde cijfers zonder microdata.", "en": "Published figures without microdata."}


def _poll(
    year: int, percent: float, n: int, lower: float | None, upper: float | None, kind: str
) -> dict[str, Any]:
    return {
        "poll": f"poll-{year}",
        "year": year,
        "percent": percent,
        "n": n,
        "sample_kind": kind,
        "caveat": CAVEAT if kind == "nonprobability" else {},
        "source": "Peiling",
        "lower": lower,
        "upper": upper,
    }


def _linked_report(forecast_rows: list[dict[str, Any]]) -> dict[str, Any]:
    keys = (
        "goal1_alerts_acted_on",
        "goal1_battle_deaths",
        "goal8_trust_parliament",
        "goal12_public_insecurity_abroad",
        "goal13_asylum_applications_nl",
        "goal13_asylum_forecast_nl",
    )
    deaths = (93026.0, 75733.0, 63659.0, 42042.0, 23749.0, 16922.0)
    rows = {
        "goal1_alerts_acted_on": [  # a run before the window that raised no alert in it
            {
                "kind": "run",
                "run_id": "r0",
                "year": 2013,
                "created_on": "2013-03-01",
                "model_version": "3.15",
                "training_cutoff": 2012,
                "data_vintage": "2013-02-01",
            }
        ],
        "goal1_battle_deaths": [
            {"gwcode": 652, "year": year, "brd_best": value}
            for year, value in zip(range(2014, 2020), deaths, strict=True)
        ],
        "goal8_trust_parliament": [_poll(2014, 54.8, 524, 51.2567, 58.2, "probability")],
        "goal12_public_insecurity_abroad": [_poll(2017, 73.0, 1012, None, None, "nonprobability")],
        "goal13_asylum_applications_nl": [{"year": 2019, "asylum_nl": 24153.0, "origins": 174}],
        "goal13_asylum_forecast_nl": forecast_rows,
    }
    return outputs(inputs(indicators=[_record(key, "computed") for key in keys], rows=rows))


def test_numbers_in_notes_and_chart_axes_are_written_in_the_report_language() -> None:
    out = _linked_report([FORECAST_RUN])
    expected = {
        "nl": ("13.445-100.927", "95%: 51,3-58,2", "n = 1.012", ">93.026</text>"),
        "en": ("13,445-100,927", "95%: 51.3-58.2", "n = 1,012", ">93,026</text>"),
    }
    for lang, other in (("nl", "en"), ("en", "nl")):
        html = html_text(out, lang)
        for text in expected[lang]:
            assert text in html, f"{text!r} in the {lang} HTML"
        for text in expected[other]:
            assert text not in html, f"{text!r} of {other} in the {lang} HTML"
        assert ">0.00</text>" not in html and ">0</text>" in html, "the axis' zero in the language's notation"
        assert expected[lang][0] in docx_text(out, lang)


ENGLISH_IN_DUTCH = (
    "no alerts",
    "no poll",
    "probability sample",
    "origins",
    "no interval",
    "Published figures",
    "signals register",
    "training cutoff",
    "no forecast",
)


def test_notes_and_footnotes_are_in_the_report_language_only() -> None:
    made = _linked_report([FORECAST_RUN])
    none_made = _linked_report([])
    for out in (made, none_made):
        for name, text in (("html", html_text(out, "nl")), ("docx", docx_text(out, "nl"))):
            for english in ENGLISH_IN_DUTCH:
                assert english not in text, f"{english!r} in the Dutch {name}"
            for dutch in ("geen waarschuwingen", "aselecte steekproef", "174 herkomstlanden", "geen peiling"):
                assert dutch in text, f"{dutch!r} in the Dutch {name}"
            assert "Gepubliceerde cijfers zonder microdata." in text and "GBVS-signalenregister" in text
    dutch = html_text(made, "nl")
    assert "(herkomstlanden samen bewegend); model disp-1, trainingsgrens 2018, run disp-run" in dutch
    assert "geen voorspelling gemaakt vóór het einde van de periode" in html_text(none_made, "nl")
    english = html_text(made, "en")
    assert "(origins moving together); model disp-1, training cutoff 2018" in english
    assert "geen" not in english and "no alerts" in english and "Published figures" in english


# --- 4. words, not codes -------------------------------------------------------------------------------

ACTION = {
    "key": "pve-sahel",
    "version": 1,
    "goal": 1,
    "title": "Programma's in de Sahel",
    "title_en": "Programmes in the Sahel",
    "owner_organisation": "BZ",
    "framework": None,
    "starts_on": None,
    "ends_on": None,
    "author": "root",
}
SIGNAL = {"id": 1, "title": "APT 35", "kind": "cyber_operation", "day": "2018-01-01", "owner": "PUBLIEK"}


@pytest.mark.parametrize(
    ("status", "dutch"),
    [("planned", "gepland"), ("ongoing", "lopend"), ("completed", "afgerond"), ("stopped", "gestopt")],
)
def test_action_status_and_signal_kind_are_named_in_the_report_language(status: str, dutch: str) -> None:
    out = outputs(inputs(actions=[{**ACTION, "status": status}], signals=[SIGNAL]))
    html, docx = html_text(out, "nl"), docx_text(out, "nl")
    assert f"<td>{dutch}</td>" in html and f"\n{dutch}\n" in docx
    assert f"<td>{status}</td>" not in html and f"\n{status}\n" not in docx
    assert "cyber_operation" not in html and "cyber_operation" not in docx
    assert '<th scope="row">Cyberoperatie</th>' in html and "<td>Cyberoperatie</td>" in html
    assert "\nCyberoperatie\n" in docx
    english = html_text(out, "en")
    assert f"<td>{status}</td>" in english and "<td>Cyber operation</td>" in english
    assert "Programmes in the Sahel" in docx_text(out, "en")


def test_every_action_status_has_a_name_in_both_languages() -> None:
    for lang in ("nl", "en"):
        words = labels(lang)
        assert all(f"action_{status.value}" in words for status in ActionStatus)


def _driver_monitor(unit: str) -> dict[str, Any]:
    return {
        "years": [2018, 2019],
        "before_year": 2017,
        "regions": [{"id": "sahel", "name": {"nl": "Sahel", "en": "Sahel"}, "gwcodes": [432]}],
        "indicators": [
            {
                "column": "x",
                "driver": "demography",
                "label": {"nl": "Bevolkingsgroei", "en": "Population growth"},
                "unit": unit,
                "direction": "up",
                "source": {"table": "gapminder", "title": "Gapminder", "version": "1", "vintage": "2024"},
            }
        ],
        "rows": [{"gwcode": 432, "year": 2019, "x": 3.0}, {"gwcode": 432, "year": 2017, "x": 3.2}],
        "without_indicator": [],
    }


@pytest.mark.parametrize(
    ("unit", "dutch"),
    [
        ("% per year", "% per jaar"),
        ("share of population 0-1", "aandeel van de bevolking 0-1"),
        ("m³ per person", "m³ per persoon"),
    ],
)
def test_driver_units_are_named_in_the_report_language(unit: str, dutch: str) -> None:
    out = outputs(inputs(driver_monitor=_driver_monitor(unit)))
    assert f"Bevolkingsgroei ({dutch})" in html_text(out, "nl")
    assert f"Bevolkingsgroei ({dutch})[" in docx_text(out, "nl")
    assert f"Population growth ({unit})" in html_text(out, "en")


# --- 5. provenance --------------------------------------------------------------------------------------


def _wave(year: int) -> dict[str, Any]:
    return {
        "poll": "eb-trust",
        "year": year,
        "percent": 60.0,
        "lower": 57.0,
        "upper": 63.0,
        "n": 1000,
        "sample_kind": "probability",
        "source": "Eurobarometer",
        "sha256": "abc",
    }


def test_a_trend_footnote_gives_the_latest_wave_as_its_vintage() -> None:
    spec = REGISTRY["goal8_trust_parliament"]
    assert spec.provenance is not None
    frames = {POLL_TRENDS: {TRUST_TREND: [_wave(1996), _wave(2014), _wave(2017), _wave(2019)]}}
    for last in (2019, 2017):
        rows = spec.extract(frames, Context(2014, last))
        [note] = spec.provenance(rows)
        assert note["vintage"] == "2019", "the series' latest wave, not the first wave in the window"
    recorded_before = [_wave(2014), _wave(2019), _wave(2017)]  # a snapshot recorded without a vintage
    assert spec.provenance(recorded_before)[0]["vintage"] == "2019"


# --- 6. wording ----------------------------------------------------------------------------------------

WATCH_RUN = {
    "run_id": "forecast-1",
    "model_version": "lgbm-1",
    "training_cutoff": 2025,
    "created_at": "2026-12-05 10:00:00",
    "data_vintage": "ucdp=2025",
}


def test_the_report_reads_as_plain_dutch() -> None:
    dutch = labels("nl")
    assert dutch["intro"].endswith(
        "Waarden die de ministeries nog moeten aanleveren, staan in de rapportage als 'nog niet aangeleverd'."
    )
    assert dutch["seed_range"] == "Spreiding over de startwaarden van het model"
    texts = [*dutch.values()] + [d.text(f, "nl") for d in REGISTRY.values() for f in ("name", "definition")]
    assert not [text for text in texts if "prognose" in text.lower()], "'voorspelling', not 'prognose'"
    forecast = REGISTRY["goal13_asylum_forecast_nl"].text("definition", "nl")
    assert forecast.endswith("Een planningshulpmiddel, geen uitspraak over individuele personen.")


def test_definitions_name_other_indicators_by_their_names_not_their_ids() -> None:
    located = REGISTRY["goal1_battle_deaths_located"]
    by_conflict = REGISTRY["goal1_battle_deaths"]
    for lang in ("nl", "en"):
        for spec in REGISTRY.values():
            text = spec.text("definition", lang)
            assert not [other for other in REGISTRY if other in text], f"{spec.id} ({lang}) names an id"
        assert located.text("name", lang) in by_conflict.text("definition", lang)
        assert by_conflict.text("name", lang) in located.text("definition", lang)


def test_signal_owner_column_drivers_year_and_dates_in_words() -> None:
    watch = {"run": WATCH_RUN, "rows": [], "target": "incidence", "horizon": 1}
    recorded = inputs(
        actions=[{**ACTION, "status": "ongoing"}],
        signals=[SIGNAL],
        driver_monitor=_driver_monitor("% per year"),
        watchlist=watch,
    )
    out = outputs(recorded)
    html, docx = html_text(out, "nl"), docx_text(out, "nl")
    assert '<th scope="col">Soort</th><th scope="col">Eigenaar</th>' in html
    assert '<th scope="col">Acties</th><th scope="col">Verantwoordelijk</th>' in html
    assert "\nEigenaar\n" in docx and "\nVerantwoordelijk\n" in docx
    for text in (html, docx):
        assert "naast de mediaan in het jaar vóór de periode (2017)." in text and "(Jaar vóór" not in text
        assert "gemaakt op 5 december 2026" in text and "2026-12-05" not in text
    assert "made on 5 December 2026" in html_text(out, "en")
    none = outputs(inputs(watchlist=None))
    for text in (html_text(none, "nl"), docx_text(none, "nl")):
        assert "als die van toen (31 december 2019)." in text


def test_the_frontex_indicator_has_its_article_and_the_agency_its_capitals() -> None:
    chain = yaml.safe_load(
        files("gbvs.reports").joinpath("data/results_chain.yaml").read_text(encoding="utf-8")
    )
    names = [entry["name"]["nl"] for entry in chain["indicators"] if "Frontex" in str(entry.get("name"))]
    assert names == ["Inzet bij het Europees Grens- en Kustwachtagentschap (Frontex)"]


# --- 7. plural forms -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("alerts", "dutch", "english"),
    [(1, "van 1 waarschuwing", "of 1 alert"), (2, "van 2 waarschuwingen", "of 2 alerts")],
)
def test_a_count_takes_its_plural_form(alerts: int, dutch: str, english: str) -> None:
    rows = [{"run_id": "a", "gwcode": 432 + i, "year": 2019, "days_to_decision": 3.0} for i in range(alerts)]
    origins = [{"year": 2019, "asylum_nl": 10.0, "origins": alerts}]
    records = [
        _record("goal1_alerts_acted_on", "computed"),
        _record("goal13_asylum_applications_nl", "computed"),
    ]
    out = outputs(
        inputs(
            indicators=records,
            rows={"goal1_alerts_acted_on": rows, "goal13_asylum_applications_nl": origins},
        )
    )
    nl, en = html_text(out, "nl"), html_text(out, "en")
    assert f"<td>{dutch}</td>" in nl and f"<td>{english}</td>" in en
    place = "herkomstland" if alerts == 1 else "herkomstlanden"
    assert f"<td>{alerts} {place}</td>" in nl


def test_a_footnote_reference_is_read_as_one_footnote() -> None:
    out = outputs(inputs())
    assert 'aria-label="Voetnoot 1"' in html_text(out, "nl") and 'aria-label="Voetnoten 1"' not in html_text(
        out, "nl"
    )
    assert 'aria-label="Footnote 1"' in html_text(out, "en")


# --- 8. the backtest goals ------------------------------------------------------------------------------

BACKTEST_RUN = {
    "run_id": "backtest-1",
    "model_version": "lgbm-1",
    "training_cutoff": None,
    "data_vintage": "x",
}
GOALS = [
    {"goal": "incidence h1, all rows: ap", "value": 0.931, "target": ">= 0.92", "met": True},
    {
        "goal": "battle_deaths h1, all rows: crps vs persistence",
        "value": 322.2,
        "target": "< persistence (385.9)",
        "met": True,
    },
    {"goal": "battle_deaths h1, all rows: pit50", "value": 0.461, "target": "in 0.45-0.55", "met": True},
]


def test_goal_thresholds_have_signs_and_the_report_languages_numbers() -> None:
    out = outputs(inputs(backtest_run=BACKTEST_RUN, backtest_goals=GOALS))
    for lang, shown in (
        ("nl", ("≥ 0,92", "&lt; 385,9", "0,45–0,55")),
        ("en", ("≥ 0.92", "&lt; 385.9", "0.45–0.55")),
    ):
        html = html_text(out, lang)
        assert all(f"<td>{text}</td>" in html for text in shown), lang
        assert ">= 0.92" not in html and "persistence (385.9)" not in html
    assert "\n≥ 0,92\n" in docx_text(out, "nl") and "\n< 385,9\n" in docx_text(out, "nl")


def test_backtest_goals_are_named_in_the_report_language_as_on_the_pages() -> None:
    """`gbvs report build` names the backtest goals as /modelprestaties does (the names live with the
    pages' catalogues; the CLI passes them in), not as the forecasting module stores them."""
    from gbvs.cli.report import goal_names_of_the_pages

    names = goal_names_of_the_pages()
    out = outputs(inputs(backtest_run=BACKTEST_RUN, backtest_goals=GOALS))
    dutch = render_html(out, HASH, "nl", goal_names=names)
    assert "gewapend conflict, 1 jaar vooruit, alle landjaren: Gemiddelde precisie</th>" in dutch
    assert "incidence h1, all rows" not in dutch and "all rows: crps vs persistence" not in dutch
    english = render_html(out, HASH, "en", goal_names=names)
    assert "armed conflict, 1 year ahead, all country-years: Average precision</th>" in english
    doc = Document(io.BytesIO(render_docx(out, HASH, "nl", names)))
    cells = {c.text for t in doc.tables for r in t.rows for c in r.cells}
    assert "gewapend conflict, 1 jaar vooruit, alle landjaren: Gemiddelde precisie" in cells


def test_a_small_goal_figure_keeps_the_decimal_its_goal_turns_on() -> None:
    """A Brier score of 0.0387 against a goal of 0.039 reads 0,0387, as on /modelprestaties, not 0,039."""
    brier = {"goal": "incidence h1, all rows: brier", "value": 0.03871, "target": "<= 0.039", "met": True}
    out = outputs(inputs(backtest_run=BACKTEST_RUN, backtest_goals=[*GOALS, brier]))
    html = html_text(out, "nl")
    assert "<td>0,0387</td><td>≤ 0,039</td>" in html and "<td>0,931</td>" in html
    assert "\n0,0387\n" in docx_text(out, "nl") and "0.0387" in html_text(out, "en")


def test_a_shipped_unit_is_in_the_report_language_and_a_unit_of_ones_own_stays() -> None:
    """The indicator row keeps the Dutch unit; the English report showed 'doden (beste schatting)'."""
    from gbvs.reports.chain import shipped_units

    unit = shipped_units()["goal13_asylum_applications_nl"]
    origins = [{"year": 2019, "asylum_nl": 10.0, "origins": 2}]
    records = [_record("goal13_asylum_applications_nl", "computed", unit=unit["nl"])]
    out = outputs(inputs(indicators=records, rows={"goal13_asylum_applications_nl": origins}))
    english, dutch = html_text(out, "en"), html_text(out, "nl")
    assert (
        unit["en"] != unit["nl"]
        and f"10 {unit['en']} (2019)" in english
        and f"10 {unit['nl']} (2019)" in dutch
    )
    assert f"10 {unit['en']}" in docx_text(out, "en")
    own = outputs(inputs(indicators=[{**records[0], "unit": "eigen eenheid"}], rows=out and {
        "goal13_asylum_applications_nl": origins}))  # fmt: skip
    assert "10 eigen eenheid" in html_text(own, "en"), "a unit GBVS does not ship is shown as stored"


def test_a_report_of_an_open_period_gives_the_registers_vintage_as_the_day_it_was_read() -> None:
    """The English review found 'GBVS signals register; Version -; Vintage 2027-12-31' in a report
    built on 5 December 2026."""
    period = {"label": "2026-2027", "start": "2026-01-01", "end": "2027-12-31", "read_on": "2026-12-05"}
    out = outputs(inputs(period=period, window={"first_year": 2022, "last_year": 2027}))
    english = html_text(out, "en")
    assert "Vintage 5 December 2026" in english and "31 December 2027" not in english
    closed = {**period, "read_on": "2028-02-01"}  # read after the end: the register at the period's end
    assert "Vintage 31 December 2027" in html_text(outputs(inputs(period=closed)), "en")


def _points(out: dict[str, Any], key: str) -> dict[str, dict[str, Any]]:
    (ind,) = [i for g in out["goals"] for i in g["indicators"] if i["record"]["key"] == key]
    return {p["period"]: p for p in ind["points"]}


def test_a_year_or_quarter_that_has_not_begun_has_no_data_yet_not_zero() -> None:
    """An open period read on 5 December 2026: its alerts indicator said "geen waarschuwingen" for
    2027, and the joint signals and assessed scenarios counted 0 for quarters and years to come."""
    period = {"label": "2026-2027", "start": "2026-01-01", "end": "2027-12-31", "read_on": "2026-12-05"}
    run = {"kind": "run", "run_id": "r1", "year": 2025, "created_on": "2025-03-01", "model_version": "3.15",
           "training_cutoff": 2024, "data_vintage": "2025-02-01"}  # fmt: skip
    keys = ("goal1_alerts_acted_on", "goal8_joint_signals", "threats_scenarios_assessed")
    out = outputs(
        inputs(
            period=period,
            window={"first_year": 2025, "last_year": 2027},
            indicators=[_record(key, "computed") for key in keys],
            rows={
                "goal1_alerts_acted_on": [run],
                "goal8_joint_signals": [],
                "threats_scenarios_assessed": [],
            },
        )
    )
    alerts, joint = _points(out, keys[0]), _points(out, keys[1])
    scenarios = _points(out, keys[2])
    assert alerts["2026"]["note"] == [{"label": "note_no_alerts", "values": {}}], "2026 had begun: none"
    assert alerts["2027"]["value"] is None and alerts["2027"]["note"][0]["label"] == "note_year_not_begun"
    assert joint["2026-Q4"]["value"] == 0 and joint["2027-Q1"]["value"] is None
    assert scenarios["2026"]["value"] == 0 and scenarios["2027"]["value"] is None
    dutch, english = html_text(out, "nl"), html_text(out, "en")
    assert "nog geen gegevens: het jaar was nog niet begonnen (stand van 5 december 2026)" in dutch
    assert "nog geen gegevens: het kwartaal was nog niet begonnen (stand van 5 december 2026)" in dutch
    assert "no data yet: the year had not begun (as of 5 December 2026)" in english
    assert "the quarter had not begun" in docx_text(out, "en")
    unrecorded = {k: v for k, v in period.items() if k != "read_on"}  # frozen before it was recorded
    old = outputs(inputs(period=unrecorded, window={"first_year": 2025, "last_year": 2027},
                         indicators=[_record(keys[1], "computed")], rows={keys[1]: []}))  # fmt: skip
    assert _points(old, keys[1])["2027-Q1"]["value"] == 0, "as it was computed then"


def test_the_errata_part_is_added_also_to_a_coordinators_own_template(tmp_path: Path) -> None:
    """A report.html.j2 copied before the errata existed must not drop them from the file."""
    from gbvs.reports.errata import ACCOUNTS_IN_REPORT, Correction, Postscript

    (tmp_path / "report.html.j2").write_text("<html><body><h1>{{ t.title }}</h1></body></html>", "utf-8")
    correction = Correction("k", {"nl": "Gereedheid", "en": "Readiness"}, "2019", 7, 80.0, None,
                            "2026-12-01", "DEF", None)  # fmt: skip
    said = Postscript([correction], [ACCOUNTS_IN_REPORT])
    page = render_html(outputs(inputs()), HASH, "en", templates=tmp_path, postscript=said)
    assert page.index("<h1>") < page.index('id="errata"') < page.index("</body>")
    for words in ("Errata after publication", "Readiness", "not public (not released for publication)",
                  "1 December 2026", ACCOUNTS_IN_REPORT.en):  # fmt: skip
        assert words in page.replace("&#39;", "'"), words
    assert 'id="errata"' not in render_html(outputs(inputs()), HASH, "en", postscript=Postscript())


def test_a_footnote_shows_a_missing_version_as_an_en_dash() -> None:
    from gbvs.reports.render import footnote_text

    note = {"source": {"nl": "GBVS-signalenregister", "en": "GBVS signals register"}, "table": "signals"}
    text = footnote_text(note | {"version": "-", "vintage": None}, "en")
    assert "Version –" in text and "Vintage –" in text and " -" not in text


def test_sources_are_described_in_the_report_language_and_no_account_is_named() -> None:
    """The sources record their titles and notes in English; `gbvs report build` passes the pages'
    Dutch for them. A public report names the ministry, never the user account that entered a value."""
    from gbvs.cli.report import source_names_of_the_pages

    acd = {"table": "ucdp_acd", "source_id": "ucdp_acd", "version": "25.1 (restricted to 1946-2023)",
           "title": "UCDP/PRIO Armed Conflict Dataset (mirror copy restricted to 1946-2023 (2024 withheld "
                    "for scoring))", "vintage": "2023", "sha256": "x", "citation": ""}  # fmt: skip
    state_years = "Gleditsch-Ward state-years 1946-: UCDP conflict history and driver indicators."
    panel = {**acd, "table": "panel_country_year", "version": "gbvs 0.1.0", "title": state_years}
    value = {"id": 7, "indicator_key": "programmes", "period": "2019", "value": 3.0,
             "measured_on": "2020-01-02", "evidence": "jaarverslag", "organisation": "BZ",
             "entered_by": "bzc"}  # fmt: skip
    contribution = {"goal": 1, "organisation": "DEF", "version": 2, "text": "Tekst.", "author": "def.jan"}
    out = outputs(
        inputs(
            indicators=[_record("goal1_conflict_incidence", "computed"), _record("programmes", "reported")],
            rows={"goal1_conflict_incidence": []},
            sources=[acd, panel],
            reported_values=[value],
            contributions=[contribution],
        )
    )
    names = source_names_of_the_pages()
    dutch = render_html(out, HASH, "nl", source_names=names)
    for english in ("mirror copy", "withheld for scoring", "state-years", "(restricted to"):
        assert english not in dutch, english
    assert (
        "lokale datakopie (mirror) beperkt tot 1946-2023" in dutch and "25.1 (beperkt tot 1946-2023)" in dutch
    )
    assert "Staatjaren volgens Gleditsch-Ward vanaf 1946" in dutch
    docx = Document(io.BytesIO(render_docx(out, HASH, "nl", source_names=names)))
    assert any("lokale datakopie (mirror)" in p.text for p in docx.paragraphs)
    assert "mirror copy restricted" in render_html(out, HASH, "en", source_names=names)
    for text in (dutch, docx_text(out, "nl"), json.dumps(out)):
        assert "aangeleverd door BZ" in text or "aangeleverd door" not in text
        assert "bzc" not in text and "def.jan" not in text, "no account name in the public report"


# --- 7. a poll wave that is not comparable --------------------------------------------------------------

RELY = {
    "nl": "ZA2828 vroeg of men kan rekenen op het nationale parlement, niet of men het vertrouwt",
    "en": "ZA2828 asked whether people rely on the national parliament, not whether they trust it",
}


def _trust_report(comparability: bool) -> dict[str, Any]:
    """The trust indicator over 1996-1999 from two waves; ``comparability``: as this version records the
    rows (1996 not comparable, with the poll definition's reason), else as they were recorded before."""
    rely = _poll(1996, 74.4, 3286, 72.6, 76.2, "probability")
    trust = _poll(1999, 52.0, 1001, 48.8, 55.2, "probability")
    if comparability:
        rely |= {"comparability": "not comparable", "comparability_reason": RELY}
        trust |= {"comparability": "comparable"}
    recorded = inputs(
        window={"first_year": 1996, "last_year": 1999},
        indicators=[_record("goal8_trust_parliament", "computed")],
        rows={"goal8_trust_parliament": [rely, trust]},
    )
    return outputs(recorded)


def _trust_indicator(out: dict[str, Any]) -> dict[str, Any]:
    [indicator] = [ind for goal in out["goals"] for ind in goal["indicators"]]
    return indicator


def test_a_wave_that_is_not_comparable_is_said_so_on_its_point_and_on_the_indicators_row() -> None:
    out = _trust_report(comparability=True)
    indicator = _trust_indicator(out)
    assert [c["values"]["year"] for c in indicator["caveats"]] == ["1996"]
    points = {p["period"]: p["note"] for p in indicator["points"]}
    assert points["1996"][-1] == {"label": "note_not_comparable", "values": {"reason": RELY}}
    assert all(part["label"] != "note_not_comparable" for part in points["1999"])
    for lang, text in (
        ("nl", "De meting van 1996 is niet vergelijkbaar met de andere: ZA2828 vroeg of men kan rekenen op"),
        ("en", "The 1996 wave is not comparable with the others: ZA2828 asked whether people rely on"),
    ):
        assert text in html_text(out, lang) and text in docx_text(out, lang), lang
    assert "niet vergelijkbaar met de andere metingen: ZA2828 vroeg" in html_text(out, "nl")  # the point
    built = Built("2018-2019", {"inputs": {}, "outputs": out}, HASH)
    [row] = indicators_of(built)
    assert row["not_comparable_waves"] == "1996"
    assert ReportIndicator(**row).not_comparable_waves == "1996"


def test_rows_recorded_without_comparability_compute_what_they_did() -> None:
    """A snapshot frozen before the rows carried comparability rebuilds to the outputs it froze: no
    caveats, no extra note (so its hash is unchanged)."""
    out = _trust_report(comparability=False)
    indicator = _trust_indicator(out)
    assert "caveats" not in indicator
    polled = [p["note"] for p in indicator["points"] if p["period"] in ("1996", "1999")]
    assert [len(note) for note in polled] == [3, 3]  # n, interval, sample kind
    [row] = indicators_of(Built("2018-2019", {"inputs": {}, "outputs": out}, HASH))
    assert row["not_comparable_waves"] is None
    assert "vergelijkbaar" not in html_text(out, "nl")


@pytest.mark.parametrize(
    ("template", "named"),
    [
        pytest.param("<html>{% for x in %}</html>", "(report.html.j2, line 1)", id="syntax"),
        pytest.param("<html>{{ t.title.missing.deeper }}</html>", "UndefinedError", id="undefined"),
        pytest.param("<html>{{ 1 + t.title }}</html>", "TypeError", id="wrong-type"),
        pytest.param("<html>caf\xe9</html>", "UnicodeDecodeError", id="not-utf-8"),
    ],
)
def test_a_coordinators_broken_template_is_wrong_input_naming_it(
    tmp_path: Path, template: str, named: str
) -> None:
    """``gbvs report build --templates FOLDER``: a mistake in an adjusted template ended in a traceback."""
    from gbvs.errors import InputError
    from gbvs.reports.service import write_files

    (tmp_path / "report.html.j2").write_bytes(template.encode("latin-1"))
    built = Built("2018-2019", {"inputs": {}, "outputs": outputs(inputs())}, HASH)
    folder = tmp_path / "uit"
    with pytest.raises(InputError) as raised:
        write_files(built, folder, ["html"], ["nl", "en"], frozen=False, templates=tmp_path)
    message = str(raised.value)
    assert f"adjusted report template in {tmp_path}: " in message and named in message, message
    assert "remove the file from that folder to use the shipped template" in message
    assert not folder.exists()  # no report in one language and not the other


def test_a_template_wrong_in_one_language_leaves_no_file_of_the_other(tmp_path: Path) -> None:
    from gbvs.errors import InputError
    from gbvs.reports.service import write_files

    (tmp_path / "report.html.j2").write_text("<html>{% if lang == 'en' %}{{ 1 + t.title }}{% endif %}</html>")
    built = Built("2018-2019", {"inputs": {}, "outputs": outputs(inputs())}, HASH)
    folder = tmp_path / "uit"
    with pytest.raises(InputError, match="TypeError"):
        write_files(built, folder, ["html"], ["nl", "en"], frozen=False, templates=tmp_path)
    assert not folder.exists()
