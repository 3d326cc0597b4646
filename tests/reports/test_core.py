"""The pure core of the report: content hash, publication rule, indicator maths, registry, charts."""

from __future__ import annotations

import pandas as pd
import pytest

from gbvs.reports.core import builtin
from gbvs.reports.core.charts import line_chart
from gbvs.reports.core.hashing import canonical_json, content_hash
from gbvs.reports.core.indicators import REGISTRY, Context, Point, register
from gbvs.reports.core.outputs import compute
from gbvs.reports.core.publication import Item, split
from gbvs.reports.core.trend import assess, verdict
from gbvs.reports.render import text_of


def test_hash_ignores_key_order_and_float_noise_but_not_values() -> None:
    a = {"b": [1, 2.0000000000001], "a": {"x": None}}
    b = {"a": {"x": None}, "b": (1, 2.0)}
    assert content_hash(a) == content_hash(b)
    assert content_hash(a) != content_hash({**a, "b": [1, 2.5]})
    assert canonical_json({"v": float("nan")}) == '{"v":null}'


def test_publication_keeps_clear_and_released_only() -> None:
    items = [
        Item("signal", "1", "open", "clear", "BZ"),
        Item("signal", "2", "beperkt", "amber", "AIVD"),
        Item("signal", "3", "vrijgegeven", "green", "DEF"),
    ]
    public, left_out = split(items, frozenset({("signal", "3")}))
    assert [i.id for i in public] == ["1", "3"]
    assert [(o.item.id, o.reason) for o in left_out] == [
        ("2", "TLP:AMBER, not released by AIVD for publication")
    ]


@pytest.mark.parametrize(
    ("change", "direction", "expected"),
    [
        (-3.0, "down", "improved"),
        (2.0, "down", "worsened"),
        (2.0, "up", "improved"),
        (0.0, "up", "unchanged"),
        (None, "up", "unknown"),
    ],
)
def test_verdict_follows_the_wanted_direction(change: float | None, direction: str, expected: str) -> None:
    assert verdict(change, direction) == expected  # type: ignore[arg-type]


def test_assess_takes_the_latest_value_inside_the_period() -> None:
    points = [Point("2017", 10.0), Point("2018", 8.0), Point("2019", None), Point("2020", 1.0)]
    result = assess(points, periods=("2018", "2019"), baseline=10.0, target=5.0, direction="down")
    assert (result.value, result.value_period, result.change, result.verdict) == (
        8.0,
        "2018",
        -2.0,
        "improved",
    )
    assert result.target_met is False


def test_a_definition_id_is_registered_once() -> None:
    with pytest.raises(ValueError, match="defined twice"):
        register(builtin.CONFLICT_INCIDENCE)
    assert {d.id for d in builtin.BUILTIN} <= set(REGISTRY)


def test_joint_signals_are_counted_once_per_quarter() -> None:
    ctx = Context(first_year=2019, last_year=2019)
    rows = [
        {"signal_id": 1, "quarter": "2019-Q2"},
        {"signal_id": 1, "quarter": "2019-Q2"},
        {"signal_id": 2, "quarter": "2019-Q2"},
        {"signal_id": 3, "quarter": "2019-Q4"},
    ]
    points = builtin.JOINT_SIGNALS.compute(rows, ctx)
    assert [(p.period, p.value) for p in points] == [
        ("2019-Q1", 0.0),
        ("2019-Q2", 2.0),
        ("2019-Q3", 0.0),
        ("2019-Q4", 1.0),
    ]


def test_unreported_indicator_is_not_delivered_and_never_gets_a_value() -> None:
    record = {
        "key": "goal12_mission_personnel",
        "goal": 12,
        "method": "reported",
        "direction": "up",
        "baseline_value": None,
        "baseline_year": None,
        "target_value": None,
    }
    inputs = {
        "period": {"label": "2018-2019", "start": "2018-01-01", "end": "2019-12-31"},
        "window": {"first_year": 2014, "last_year": 2019},
        "gwcodes": {},
        "indicators": [record],
        "reported_values": [],
        "rows": {},
        "goals": [{"number": 12, "pillar": "versterken"}],
        "pillars": [],
        "actions": [],
        "signals": [],
        "sources": [],
    }
    out = compute(inputs)
    assert out["counts"] == {"indicators": 1, "not_delivered": 1, "computed": 0}
    (indicator,) = out["goals"][0]["indicators"]
    assert indicator["status"] == "not_delivered" and indicator["points"] == []
    assert indicator["assessment"]["value"] is None


def _reported_inputs(values: list[dict[str, object]]) -> dict[str, object]:
    record = {"key": "goal5_nato_readiness", "goal": 5, "method": "reported", "direction": "up",
              "unit": "procent gereed", "baseline_value": None, "baseline_year": None,
              "target_value": None}  # fmt: skip
    return {
        "period": {"label": "2018-2019", "start": "2018-01-01", "end": "2019-12-31", "read_on": "2026-01-05"},
        "window": {"first_year": 2014, "last_year": 2019},
        "gwcodes": {},
        "indicators": [record],
        "reported_values": [
            {
                "indicator_key": "goal5_nato_readiness",
                "organisation": "DEF",
                "entered_by": "def.a",
                "measured_on": "2020-01-02",
                "evidence": f"jaarverslag {v['id']}",
                **v,
            }
            for v in values
        ],
        "rows": {},
        "goals": [{"number": 5, "pillar": "versterken"}],
        "pillars": [],
        "actions": [],
        "signals": [],
        "sources": [],
    }


def test_a_correction_is_the_years_value_and_says_what_it_replaced_and_why() -> None:
    correction = {"corrects": 1, "reason": "typefout"}
    inputs = _reported_inputs([{"id": 1, "period": "2019", "value": 14.0},
                               {"id": 2, "period": "2019", "value": 41.0, "correction": correction},
                               {"id": 3, "period": "2018", "value": 30.0}])  # fmt: skip
    (indicator,) = compute(inputs)["goals"][0]["indicators"]
    assert [(p["period"], p["value"]) for p in indicator["points"]] == [("2018", 30.0), ("2019", 41.0)]
    assert indicator["assessment"]["value"] == 41.0
    note = text_of(indicator["points"][1]["note"], "nl")
    assert note == "jaarverslag 2; gecorrigeerd: vervangt 14 (nr. 1), reden: typefout"
    assert indicator["points"][0]["note"] == "jaarverslag 3", "an uncorrected value keeps its evidence"
    assert [n["version"] for n in indicator["footnotes"]] == ["2", "3"]


def test_a_stored_value_breaking_the_rules_is_left_out_with_a_footnote_not_a_crash() -> None:
    """Rows an older version stored: inf (None after hashing), a period that is no year, -5 percent."""
    inputs = _reported_inputs([{"id": 1, "period": "2019", "value": 80.0},
                               {"id": 2, "period": "2019", "value": None},
                               {"id": 3, "period": "foo", "value": 3.0},
                               {"id": 4, "period": "2018", "value": -5.0}])  # fmt: skip
    (indicator,) = compute(inputs)["goals"][0]["indicators"]
    assert [(p["period"], p["value"]) for p in indicator["points"]] == [("2019", 80.0)]
    skipped = [text_of(n["source"], "nl") for n in indicator["footnotes"] if n["version"] != "1"]
    why = "weggelaten: geen geldig getal voor de eenheid of geen jaar"
    assert skipped == [
        f"aangeleverde waarde (geen getal) voor 2019 (nr. 2) {why}",
        f"aangeleverde waarde 3 voor foo (nr. 3) {why}",
        f"aangeleverde waarde -5 voor 2018 (nr. 4) {why}",
    ]


def test_chart_is_an_image_with_title_and_nothing_without_values() -> None:
    svg = line_chart(
        "c1",
        [{"period": "2018", "value": 1.0}, {"period": "2019", "value": 3.0}],
        title="Doden",
        description="zie tabel",
        baseline=2.0,
        number=str,
    )
    assert svg.startswith("<svg") and 'role="img"' in svg and '<title id="c1-t">Doden</title>' in svg
    assert line_chart("c2", [{"period": "2018", "value": None}], title="x", description="y", number=str) == ""
    assert (
        line_chart("c3", [{"period": "run", "value": 0.9}], title="x", description="y", number=str) == ""
    ), "one point: table only"


def test_alerts_acted_on_count_decisions_within_eight_weeks_per_year() -> None:
    ctx = Context(first_year=2019, last_year=2021)
    rows = [
        {"run_id": "a", "gwcode": 432, "year": 2019, "days_to_decision": 56.0},  # exactly eight weeks
        {"run_id": "a", "gwcode": 652, "year": 2019, "days_to_decision": 57.0},  # one day late
        {"run_id": "b", "gwcode": 432, "year": 2020, "days_to_decision": None},  # never decided
        {"run_id": "x", "gwcode": 432, "year": 2018, "days_to_decision": 1.0},  # outside the window
    ]
    extracted = builtin.ALERTS_ACTED_ON.extract({builtin.RESPONSES: rows}, ctx)
    points = builtin.ALERTS_ACTED_ON.compute(extracted, ctx)
    assert [(p.period, p.value) for p in points] == [("2019", 1.0), ("2020", 0.0), ("2021", None)]
    assert "of 2 alerts" in text_of(points[0].note, "en") and "no alerts" in text_of(points[2].note, "en")


def test_alerts_acted_on_say_no_data_before_the_first_run_and_cite_runs_rules_and_scope() -> None:
    ctx = Context(first_year=2018, last_year=2020)
    run = {"kind": "run", "run_id": "r1", "year": 2019, "created_on": "2019-05-02", "model_version": "3.15",
           "training_cutoff": 2018, "data_vintage": "2019-04-30"}  # fmt: skip
    later = {**run, "run_id": "r9", "year": 2025, "created_on": "2025-01-01"}  # raised nothing in the window
    rules = {"kind": "rules", "year": None, "source": "data_dir", "sha256": "ab" * 32, "target": "incidence",
             "horizon": 1, "threshold": 0.3, "jump": 0.1, "watch_from": 0.2}  # fmt: skip
    alert = {"kind": "alert", "run_id": "r1", "gwcode": 432, "year": 2019, "days_to_decision": 10.0}
    frames = {builtin.RESPONSES: [later, alert, rules, run]}
    rows = builtin.ALERTS_ACTED_ON.extract(frames, ctx)
    assert later not in rows, "a run that raised no alert in the window is not its source"
    points = builtin.ALERTS_ACTED_ON.compute(rows, ctx)
    assert [(p.period, p.value) for p in points] == [("2018", None), ("2019", 1.0), ("2020", None)]
    notes = [text_of(p.note, "nl") for p in points]
    assert notes == ["geen gegevens: de eerste voorspellingsrun is van 2 mei 2019", "van 1 waarschuwing",
                     "geen waarschuwingen"]  # fmt: skip
    assert builtin.ALERTS_ACTED_ON.provenance is not None
    cited = builtin.ALERTS_ACTED_ON.provenance(rows)
    expected = {"table": "forecasts", "version": "r1", "vintage": "2019-04-30", "model_version": "3.15",
                "training_cutoff": "2018"}  # fmt: skip
    assert {k: v for k, v in cited[0].items() if k != "source"} == expected
    assert cited[1]["version"] == "sha256:" + "ab" * 32
    assert "regels uit <datamap>/watchlist.yaml: drempel 0,3" in text_of(cited[1]["source"], "nl")
    assert "alle organisaties" in text_of(cited[2]["source"], "nl")
    nothing = builtin.ALERTS_ACTED_ON.compute([], ctx)
    assert text_of(nothing[0].note, "en") == "no data: no forecast run stored"


def test_scenarios_assessed_counts_each_scenario_once_per_year() -> None:
    ctx = Context(first_year=2020, last_year=2021)
    rows = [
        {"scenario_id": 1, "round": 1, "year": 2020},
        {"scenario_id": 1, "round": 2, "year": 2020},  # a second round of the same scenario
        {"scenario_id": 2, "round": 1, "year": 2021},
    ]
    extracted = builtin.SCENARIOS_ASSESSED.extract({builtin.SCENARIOS: rows}, ctx)
    points = builtin.SCENARIOS_ASSESSED.compute(extracted, ctx)
    assert [(p.period, p.value) for p in points] == [("2020", 1.0), ("2021", 1.0)]


def test_battle_deaths_in_the_focus_areas_by_conflict_and_where_the_fighting_happened() -> None:
    """Issue 11: the war in Ukraine (in the focus areas) against Russia (outside them), 2022-2023."""
    ctx = Context(first_year=2022, last_year=2023, gwcodes={builtin.GOAL1_FOCUS: (369, 652)})
    panel = pd.DataFrame(
        {
            "gwcode": [369, 369, 365, 652],
            "year": [2022, 2023, 2022, 2022],
            "brd_best": [45_890.5, 35_348.5, 45_861.5, 911.0],
            "brd_located_best": [81_497.0, None, 57.0, 939.0],
        }
    )
    frames = {builtin.PANEL: panel}
    by_conflict = builtin.BATTLE_DEATHS.compute(builtin.BATTLE_DEATHS.extract(frames, ctx), ctx)
    located = builtin.LOCATED_BATTLE_DEATHS.compute(builtin.LOCATED_BATTLE_DEATHS.extract(frames, ctx), ctx)
    assert [(p.period, p.value) for p in by_conflict] == [("2022", 46_801.5), ("2023", 35_348.5)]
    assert [(p.period, p.value) for p in located] == [("2022", 82_436.0), ("2023", None)]  # none yet for 2023
    assert builtin.LOCATED_BATTLE_DEATHS.cites[0] == "poldat_country_year"


def test_a_value_whose_correction_is_not_released_is_left_out_too() -> None:
    """A TLP:CLEAR value corrected by a TLP:AMBER one: the report must not fall back to the value
    known to be wrong; once the correction is released, both are public and the correction counts."""
    from gbvs.reports.build import _without_withheld_corrections
    from gbvs.reports.core.publication import Item, split

    original = Item("reported_value", "1", "goal2_pve_programmes 2025", "clear", "BZ", extra={"id": 1})
    fix = {"id": 2, "correction": {"corrects": 1, "reason": "telfout"}}
    correction = Item("reported_value", "2", "goal2_pve_programmes 2025", "amber", "BZ", extra=fix)
    public, left = _without_withheld_corrections(*split([original, correction], frozenset()))
    assert public == [] and [out.item.id for out in left] == ["2", "1"]
    assert left[1].reason == "corrected by value 2, which is not released"
    released = frozenset({("reported_value", "2")})
    public, left = _without_withheld_corrections(*split([original, correction], released))
    assert [item.id for item in public] == ["1", "2"] and left == []
