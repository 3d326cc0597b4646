"""Progress report: the indicators linked from public opinion (issue 15) and displacement (issue 17),
and the context chapter's driver monitor, watchlist and risk diagram, on hand-made values (pure)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from gbvs.reports.core import context
from gbvs.reports.core.displacement_indicators import (
    DISPLACEMENT_PANEL,
    DISPLACEMENT_RUNS,
    forecast_totals,
)
from gbvs.reports.core.indicators import REGISTRY, Context, Point
from gbvs.reports.core.opinion_indicators import (
    CONSULTATION_THEMES,
    POLL_TRENDS,
    PUBLISHED_POLLS,
    TRUST_TREND,
)
from gbvs.reports.core.outputs import indicator_output
from gbvs.reports.render import text_of

CTX = Context(first_year=2016, last_year=2019)


def _points(indicator_id: str, frames: dict[str, Any], ctx: Context = CTX) -> dict[str, Point]:
    spec = REGISTRY[indicator_id]
    return {p.period: p for p in spec.compute(spec.extract(frames, ctx), ctx)}


def test_asylum_applications_are_summed_over_origins_per_year() -> None:
    panel = pd.DataFrame(
        {
            "gwcode": [652, 700, 2, 652, 700],
            "year": [2018, 2018, 2018, 2019, 2015],
            "asylum_nl": [100.0, 50.0, None, 30.0, 999.0],
        }
    )
    points = _points("goal13_asylum_applications_nl", {DISPLACEMENT_PANEL: panel})
    assert points["2018"].value == 150.0 and text_of(points["2018"].note, "nl") == "2 herkomstlanden"
    assert points["2019"].value == 30.0
    assert points["2016"].value is None and points["2017"].value is None  # no rows: no data, not zero
    assert "2015" not in points  # outside the window


def _rows(target: str, horizon: int, period: int, q50: float) -> dict[str, Any]:
    return {
        "target": target,
        "horizon": horizon,
        "forecast_period": period,
        "q05": q50 - 10,
        "q25": q50 - 5,
        "q50": q50,
        "q75": q50 + 5,
        "q95": q50 + 20,
    }


def test_the_forecast_total_adds_the_origins_quantiles_of_one_year_ahead_only() -> None:
    rows = pd.DataFrame(
        [
            _rows("asylum_nl", 1, 2024, 100),
            _rows("asylum_nl", 1, 2024, 40),
            _rows("asylum_nl", 2, 2025, 7),
            _rows("new_displacement", 1, 2024, 5000),
        ]
    )
    [total] = forecast_totals(rows)
    assert total == {
        "forecast_period": 2024,
        "origins": 2,
        "q05": 120.0,
        "q25": 130.0,
        "q50": 140.0,
        "q75": 150.0,
        "q95": 180.0,
    }


def _run(created: str, q50: float) -> dict[str, Any]:
    return {
        "run_id": f"displacement-{created}",
        "created_at": created,
        "model_version": "disp-1",
        "training_cutoff": int(created[:4]) - 1,
        "data_vintage": "unhcr-2024",
        "totals": [
            {
                "forecast_period": int(created[:4]),
                "origins": 3,
                "q05": 1.0,
                "q25": 2.0,
                "q50": q50,
                "q75": 4.0,
                "q95": 5.0,
            }
        ],
    }


def test_the_forecast_indicator_takes_the_newest_run_made_by_the_period_end() -> None:
    frames = {DISPLACEMENT_RUNS: [_run("2019-06-01 10:00:00", 3.0), _run("2021-01-02 08:00:00", 9.0)]}
    spec = REGISTRY["goal13_asylum_forecast_nl"]
    rows = spec.extract(frames, Context(2016, 2020))
    [point] = spec.compute(rows, Context(2016, 2020))
    note = text_of(point.note, "en")
    assert point.value == 3.0 and "model disp-1" in note and "training cutoff 2018" in note
    assert "90% 1-5" in note
    assert spec.provenance is not None
    [note] = spec.provenance(rows)
    assert note["model_version"] == "disp-1" and note["training_cutoff"] == "2018"
    [none] = spec.compute(spec.extract(frames, Context(2014, 2018)), Context(2014, 2018))
    assert none.value is None and "no forecast" in text_of(none.note, "en")


SAMR = {
    "id": "samr-2017-flitspeiling",
    "fieldwork": "2017-09-29/2017-10-02",
    "sample_kind": "nonprobability",
    "caveat": {"nl": "niet-aselect", "en": "non-probability"},
    "source": "GBVS bijlage 2",
    "results": [
        {"id": "insecurity_abroad_affects_nl", "percent": 73.0, "n": 1012},
        {"id": "worried_foreign_developments", "percent": 44.0, "n": 1012},
    ],
}


def test_the_published_poll_share_has_its_n_and_the_caveat_and_no_invented_interval() -> None:
    points = _points("goal12_public_insecurity_abroad", {PUBLISHED_POLLS: [SAMR]})
    assert points["2017"].value == 73.0
    note = text_of(points["2017"].note, "en")
    assert "n = 1,012" in note and "non-probability" in note and "no interval" in note
    assert points["2018"].value is None and points["2019"].value is None  # no poll: no value
    spec = REGISTRY["goal12_public_insecurity_abroad"]
    assert spec.provenance is not None
    [note] = spec.provenance(spec.extract({PUBLISHED_POLLS: [SAMR]}, CTX))
    assert note["evidence"] == {"nl": "niet-aselect", "en": "non-probability"}
    assert _points("goal12_public_insecurity_abroad", {PUBLISHED_POLLS: []})["2017"].value is None


def test_a_poll_trend_point_carries_its_interval() -> None:
    wave = {
        "poll": "eb",
        "year": 2017,
        "percent": 66.25,
        "lower": 63.1,
        "upper": 69.4,
        "n": 1003,
        "sample_kind": "probability",
        "source": "EB",
        "sha256": "abc",
    }
    points = _points("goal8_trust_parliament", {POLL_TRENDS: {TRUST_TREND: [wave]}})
    note = text_of(points["2017"].note, "en")
    assert points["2017"].value == 66.25 and "95%: 63.1-69.4" in note
    assert "n = 1,003" in note and "probability sample" in note
    spec = REGISTRY["goal8_trust_parliament"]
    assert spec.extract({}, CTX) == []  # the file is not in the mirror: no rows, no values
    assert all(p.value is None for p in spec.compute([], CTX))


def test_consultation_mentions_count_the_themes_of_the_goal_by_year() -> None:
    rows = [
        {
            "slug": "c1",
            "year": 2018,
            "theme": "Q1.9",
            "label": {"nl": "A", "en": "A"},
            "goals": [8],
            "count": 3,
        },
        {
            "slug": "c1",
            "year": 2018,
            "theme": "Q2.2",
            "label": {"nl": "B", "en": "B"},
            "goals": [6, 8],
            "count": 2,
        },
        {
            "slug": "c1",
            "year": 2018,
            "theme": "Q1.4",
            "label": {"nl": "C", "en": "C"},
            "goals": [1],
            "count": 9,
        },
    ]
    points = _points("goal8_consultation_mentions", {CONSULTATION_THEMES: rows})
    note = text_of(points["2018"].note, "nl")
    assert points["2018"].value == 5.0 and "A: 3" in note and "C" not in note
    assert points["2019"].value is None
    assert _points("goal1_consultation_mentions", {CONSULTATION_THEMES: rows})["2018"].value == 9.0
    assert sorted(k for k in REGISTRY if k.endswith("_consultation_mentions")) == sorted(
        f"goal{g}_consultation_mentions" for g in range(1, 14)
    )


def _inputs() -> dict[str, Any]:
    return {
        "period": {"label": "2018-2019", "start": "2018-01-01", "end": "2019-12-31"},
        "window": {"first_year": 2014, "last_year": 2019},
        "gwcodes": {},
        "rows": {
            "goal12_public_insecurity_abroad": [
                {
                    "poll": "p",
                    "year": 2019,
                    "percent": 60.0,
                    "n": 10,
                    "sample_kind": "nonprobability",
                    "caveat": {},
                    "source": "s",
                    "lower": None,
                    "upper": None,
                }
            ]
        },
        "sources": [],
        "reported_values": [],
        "previous": None,
    }


def test_a_context_indicator_is_never_called_better_or_worse() -> None:
    record = {
        "key": "goal12_public_insecurity_abroad",
        "definition": "goal12_public_insecurity_abroad",
        "method": "computed",
        "direction": "up",
        "baseline_value": 50.0,
        "goal": 12,
    }
    out = indicator_output(record, _inputs(), Context(2014, 2019))
    assert out["assessment"]["value"] == 60.0 and out["assessment"]["change"] == 10.0
    assert out["assessment"]["verdict"] == "neutral"
    judged = indicator_output(
        {**record, "key": "x", "definition": "goal1_battle_deaths", "method": "computed"},
        {**_inputs(), "rows": {}},
        Context(2014, 2019),
    )
    assert judged["status"] == "source_missing"


# --- the context chapter ------------------------------------------------------------------------------

REGIONS = [
    {"id": "a", "name": {"nl": "A", "en": "A"}, "gwcodes": [1, 2, 3]},
    {"id": "b", "name": {"nl": "B", "en": "B"}, "gwcodes": [4]},
]


def test_the_driver_monitor_takes_the_median_of_the_latest_period_year_with_data() -> None:
    rows = [
        {"gwcode": 1, "year": 2017, "x": 4.0},
        {"gwcode": 2, "year": 2017, "x": 6.0},
        {"gwcode": 1, "year": 2019, "x": 10.0},
        {"gwcode": 2, "year": 2019, "x": 20.0},
        {"gwcode": 3, "year": 2019, "x": None},
        {"gwcode": 4, "year": 2018, "x": 7.0},
        {"gwcode": 4, "year": 2019, "x": None},
    ]
    monitor = context.driver_monitor(
        {
            "years": [2018, 2019],
            "before_year": 2017,
            "regions": REGIONS,
            "indicators": [{"column": "x", "label": {"nl": "x", "en": "x"}}],
            "rows": rows,
        }
    )
    a, b = monitor["indicators"][0]["regions"]
    assert (a["value"], a["year"], a["before"], a["change"], a["countries"], a["members"]) == (
        15.0,
        2019,
        5.0,
        10.0,
        2,
        3,
    )
    assert (b["value"], b["year"], b["before"], b["change"]) == (7.0, 2018, None, None)


def test_driver_rows_keep_only_the_members_and_years() -> None:
    panel = pd.DataFrame(
        {"gwcode": [1, 1, 9, 1], "year": [2016, 2018, 2018, 2021], "x": [1.0, float("nan"), 3.0, 4.0]}
    )
    assert context.driver_rows(panel, ["x", "absent"], [1], 2017, 2019) == [
        {"gwcode": 1, "year": 2018, "x": None}
    ]


def _forecast(gwcode: int, p: float) -> dict[str, Any]:
    return {"gwcode": gwcode, "p": p, "p_low": p - 0.1, "p_high": p + 0.1}


def test_the_watchlist_ranks_top_risks_and_the_onset_view_of_countries_at_peace() -> None:
    rows = context.watchlist_rows(
        [_forecast(652, 0.99), _forecast(500, 0.4), _forecast(432, 0.7), _forecast(100, 0.2)],
        {652: 1, 500: 0, 432: 0},
        {652: {"nl": "Syrië", "en": "Syria"}},
    )
    out = context.watchlist({"run": {"run_id": "r"}, "target": "incidence", "horizon": 1, "rows": rows}, 2)
    assert [(r["rank"], r["gwcode"]) for r in out["top"]] == [(1, 652), (2, 432)]
    assert [r["gwcode"] for r in out["onset"]] == [432, 500]  # 100 has no known status: not in the view
    assert out["top"][0]["name"]["nl"] == "Syrië" and out["top"][1]["name"]["en"] == "432"
    assert context.watchlist({"run": None})["available"] is False


def test_the_risk_diagram_renumbers_the_published_points_and_flags_unconfirmed_values() -> None:
    spread = {"median": 3.0, "low": 2.0, "high": 4.0, "count": 3}
    recorded = {
        "method": {"id": "m"},
        "weight_set": {"id": "w"},
        "likelihood_ticks": [[1.0, "A"], [3.0, "C"]],
        "impact_ticks": [[0.0, "X"]],
        "unconfirmed": [{"entry": "method.impact_scale", "check_against": "NRB"}],
        "points": [{"key": "7", "likelihood": spread, "impact": spread}],
    }
    risk = context.risk_diagram(recorded)
    assert risk["available"] and risk["needs_review"] and risk["points"][0]["number"] == 1
    assert context.code_of(3.0, recorded["likelihood_ticks"]) == "C"
    assert context.code_of(2.5, recorded["likelihood_ticks"]) == "2.5"
    assert context.risk_diagram({**recorded, "points": []})["available"] is False


@pytest.mark.parametrize("indicator_id", ["goal13_asylum_applications_nl", "goal12_public_insecurity_abroad"])
def test_linked_indicators_are_registered_with_both_languages(indicator_id: str) -> None:
    spec = REGISTRY[indicator_id]
    assert spec.name["nl"] and spec.name["en"] and spec.definition["en"] and spec.neutral


def test_a_poll_trend_flags_a_small_base_and_says_why_a_wave_is_not_shown() -> None:
    """The report gave a wave of 42 respondents without the page's "small base" flag, and a wave the
    page suppresses (base under 30) read as "no poll"."""
    from gbvs.opinion.estimates import SuppressedGroup
    from gbvs.reports.sources import suppressed_wave_row

    small = {
        "poll": "eb",
        "year": 2017,
        "percent": 60.0,
        "lower": 45.0,
        "upper": 73.0,
        "n": 42,
        "sample_kind": "probability",
        "source": "EB",
        "sha256": "abc",
    }
    hidden = {
        **suppressed_wave_row(SuppressedGroup("2018", 21)),
        "poll": "eb",
        "source": "EB",
        "sha256": "abc",
    }
    points = _points("goal8_trust_parliament", {POLL_TRENDS: {TRUST_TREND: [small, hidden]}})
    assert "kleine basis: minder dan 50" in text_of(points["2017"].note, "nl")
    assert "small base: under 50" in text_of(points["2017"].note, "en")
    assert points["2018"].value is None
    assert (
        text_of(points["2018"].note, "nl") == "niet getoond: de basis van 21 respondenten is kleiner dan 30"
    )
    assert points["2016"].value is None and text_of(points["2016"].note, "nl") == "geen peiling"
