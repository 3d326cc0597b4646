"""The scoring maths on hand-computed values."""

from __future__ import annotations

import pytest

from gbvs.assessments import Method, load_method
from gbvs.assessments.diagram import DiagramPoint, diagram_points, risk_diagram_svg
from gbvs.assessments.scoring import Sheet, consensus, impact, ranks, ranks_per_weight_set, spread
from gbvs.assessments.sensitivity import one_class_stability, resample_stability, shift
from gbvs.cli.assessments import diagram_svg

NRB = load_method("nrb_2009")
UK = load_method("uk_nrr_5x5")


def _nrb_sheet(analyst: str, likelihood: str, default: str = "A", **overrides: str) -> Sheet:
    scores = {criterion: default for criterion in NRB.criterion_ids()}
    scores.update({key.removeprefix("c").replace("_", "."): value for key, value in overrides.items()})
    return Sheet(analyst, likelihood, scores)


def test_median_and_range_of_odd_and_even_panels() -> None:
    assert spread([1, 3, 5]) == spread([5, 1, 3])
    odd = spread([1.0, 3.0, 5.0])
    assert (odd.median, odd.low, odd.high, odd.count, odd.width) == (3.0, 1.0, 5.0, 3, 4.0)
    even = spread([2.0, 4.0])
    assert (even.median, even.low, even.high) == (3.0, 2.0, 4.0)


def test_consensus_is_the_median_class_per_criterion_with_the_range() -> None:
    sheets = [
        _nrb_sheet("ann", "B", c2_1="A"),
        _nrb_sheet("bob", "C", c2_1="C"),
        _nrb_sheet("cas", "E", c2_1="E"),
    ]
    result = consensus(NRB, "threat", sheets)
    assert result.impact["2.1"] == spread([1.0, 3.0, 5.0])
    assert result.impact["1.1"].median == 1.0 and result.impact["1.1"].width == 0
    assert (result.likelihood.median, result.likelihood.low, result.likelihood.high) == (3.0, 2.0, 5.0)


def test_the_weighted_sum_per_interest_and_in_total() -> None:
    values = {criterion: 1.0 for criterion in NRB.criterion_ids()} | {"3.1": 5.0}
    # equal interests: 3.1 carries 6 of 30 weight units -> 0.2 * 5; the other nine 0.8 * 1
    result = impact(NRB, NRB.weight_set("equal_interests"), values)
    assert result.total == pytest.approx(1.8)
    assert result.per_interest["economic_security"] == pytest.approx(1.0)
    assert result.per_interest["territorial_security"] == pytest.approx(0.2)
    assert sum(result.per_interest.values()) == pytest.approx(result.total)
    # equal criteria: (9 * 1 + 5) / 10
    assert impact(NRB, NRB.weight_set("equal_criteria"), values).total == pytest.approx(1.4)


def test_ranks_share_the_better_rank_on_ties() -> None:
    assert ranks({"a": 3.0, "b": 5.0, "c": 3.0, "d": 1.0}) == {"b": 1, "a": 2, "c": 2, "d": 4}


def test_ranks_differ_per_weight_set() -> None:
    ones = {criterion: 1.0 for criterion in NRB.criterion_ids()}
    medians = {
        "economic": ones | {"3.1": 5.0},  # equal criteria 1.4, equal interests 1.8
        "physical": ones
        | {"2.1": 5.0, "2.2": 4.0},  # equal criteria 1.7, equal interests 1.0+ (4+3)/15=1.4667
    }
    by_set = ranks_per_weight_set(NRB, medians)
    assert by_set["equal_criteria"] == {"physical": 1, "economic": 2}
    assert by_set["equal_interests"] == {"economic": 1, "physical": 2}


def test_a_bad_sheet_names_the_criterion_and_the_valid_classes() -> None:
    """The criteria and classes read as a list of codes, not as Python's ['5.3'] or ('A', 'B')."""
    with pytest.raises(
        ValueError,
        match=r"missing criteria 5\.3; score exactly the criteria 1\.1, 1\.2, ",
    ):
        consensus(NRB, "threat", [Sheet("ann", "A", {c: "A" for c in NRB.criterion_ids() if c != "5.3"})])
    with pytest.raises(
        ValueError,
        match=r"criterion 2.1: class 'F' is not on scale 'nrb_impact'; use one of X, A, B, C, D, E$",
    ):
        consensus(NRB, "threat", [_nrb_sheet("ann", "A", c2_1="F")])


def test_shift_moves_one_class_and_stops_at_the_ends() -> None:
    values = NRB.impact_scale.values()
    assert values == (0, 1, 2, 3, 4, 5)
    assert (shift(values, 2.5, 1), shift(values, 2.5, -1)) == (3, 2)
    assert (shift(values, 3, 1), shift(values, 3, -1)) == (4, 2)
    assert (shift(values, 5, 1), shift(values, 0, -1)) == (5, 0)


def test_one_class_stability_on_a_hand_computed_case() -> None:
    result = one_class_stability(
        UK, UK.weight_set("single"), {"a": {"impact": 5}, "b": {"impact": 4}, "c": {"impact": 1}}
    )
    # b up -> 5 ties with a (rank 1, changed); b down -> 3 keeps rank 2
    assert (result["b"].base_rank, result["b"].kept, result["b"].best_rank, result["b"].worst_rank) == (
        2,
        0.5,
        1,
        2,
    )
    # a down -> 4 ties with b and keeps the shared rank 1; a up stays at the top
    assert (result["a"].kept, result["a"].worst_rank) == (1.0, 1)
    # c up -> 2 still third; down is past the end of the scale: no move, not counted
    assert result["c"].kept == 1.0 and result["c"].trials == 1
    assert result["a"].trials == 1, "a cannot move up"


def test_resampling_the_analysts_reports_how_often_the_rank_holds() -> None:
    split = [Sheet("ann", "3", {"impact": "5"}), Sheet("bob", "3", {"impact": "1"})]
    agreed = [Sheet("ann", "3", {"impact": "3"}), Sheet("bob", "3", {"impact": "3"})]
    sheets = {"split": ("threat", split), "agreed": ("threat", agreed)}
    result = resample_stability(UK, UK.weight_set("single"), sheets, iterations=4000, seed=7)
    # base: both have median 3, tie at rank 1; 'split' loses it only when both draws are the 1 (p = 1/4)
    assert result["split"].base_rank == 1 and result["split"].kept == pytest.approx(0.75, abs=0.03)
    assert result["agreed"].kept == pytest.approx(0.75, abs=0.03)  # loses rank 1 when 'split' draws 5, 5
    assert (result["split"].best_rank, result["split"].worst_rank) == (1, 2)
    assert resample_stability(
        UK, UK.weight_set("single"), sheets, iterations=50, seed=7
    ) == resample_stability(UK, UK.weight_set("single"), sheets, iterations=50, seed=7)
    unanimous = resample_stability(UK, UK.weight_set("single"), {"only": ("hazard", agreed)}, iterations=20)
    assert unanimous["only"].kept == 1.0


def test_the_risk_diagram_places_points_and_ranges() -> None:
    sheets = [
        Sheet("ann", "2", {"impact": "5"}),
        Sheet("bob", "4", {"impact": "3"}),
        Sheet("cas", "3", {"impact": "4"}),
    ]
    [point] = diagram_points(UK, UK.weight_set("single"), [(1, "k", "Cyber <test>", 2, "threat", sheets)])
    assert isinstance(point, DiagramPoint)
    assert (point.likelihood.median, point.likelihood.low, point.likelihood.high) == (3, 2, 4)
    assert (point.impact.median, point.impact.low, point.impact.high) == (4, 3, 5)
    ticks = {float(v): str(v) for v in range(1, 6)}
    svg = risk_diagram_svg(
        [point],
        title="Risicodiagram",
        description="d",
        axis_labels=("kans", "impact"),
        likelihood_ticks=ticks,
        impact_ticks=ticks,
    )
    assert svg.startswith("<svg") and 'role="img"' in svg and "<title" in svg
    assert "1. Cyber &lt;test&gt;" in svg  # labelled and escaped
    assert "#D55E00" in svg  # the colour of threat 2
    # likelihood 3 on 1..5 -> the middle of the x axis (64..616) = 340
    assert 'cx="340.0"' in svg


def test_a_composite_of_medians_outside_every_analysts_own_total_is_flagged() -> None:
    """Each analyst hits other criteria: the per-criterion medians are all E, no analyst's total is."""
    ids = NRB.criterion_ids()
    hit = {"ann": ids[:6], "bob": ids[:3] + ids[6:], "cas": ids[3:]}
    sheets = [Sheet(a, "C", {c: "E" if c in hit[a] else "X" for c in ids}) for a in hit]
    equal = NRB.weight_set("equal_criteria")
    [point] = diagram_points(NRB, equal, [(7, "7", "split", 1, "threat", sheets)])
    assert point.number == 7
    assert point.impact.median == pytest.approx(5.0)  # E (5) on every criterion
    assert (point.impact.low, point.impact.high) == pytest.approx((3.0, 3.5))  # 6/10 and 7/10 of 5
    assert point.outside_own_totals
    agreed = [_nrb_sheet("ann", "C", c2_1="E"), _nrb_sheet("bob", "C", c2_1="C")]
    [inside] = diagram_points(NRB, equal, [(1, "1", "agreed", 1, "threat", agreed)])
    assert not inside.outside_own_totals


def test_the_analysis_takes_a_consensus_already_checked_and_computes_the_same_without_it() -> None:
    """The database service checks each round's sheets against the method by computing their
    consensus; the analysis uses that one instead of computing it again, with the same outcome."""
    from gbvs.assessments.analysis import ScoredScenario, analyse

    panels = {
        "1": [_nrb_sheet("ann", "B", c2_1="A"), _nrb_sheet("bob", "D", c2_1="E")],
        "2": [_nrb_sheet("ann", "C", default="B"), _nrb_sheet("bob", "C")],
    }
    checked = {key: consensus(NRB, "threat", sheets) for key, sheets in panels.items()}
    given = [
        ScoredScenario(int(key), key, key, None, "threat", sheets, checked[key])
        for key, sheets in panels.items()
    ]
    computed = [ScoredScenario(int(key), key, key, None, "threat", sheets) for key, sheets in panels.items()]
    taken, recomputed = analyse(NRB, given, 20), analyse(NRB, computed, 20)
    assert all(row.consensus is checked[row.key] for row in taken.scenarios)
    assert taken == recomputed


def _with_confirmed_impact_scale(method_id: str) -> Method:
    """The shipped method with its impact scale (and its classes) marked confirmed, likelihood not."""
    method = load_method(method_id)
    scale = method.impact_scale
    classes = tuple(
        c.model_copy(update={"needs_review": False, "check_against": None}) for c in scale.classes
    )
    confirmed = scale.model_copy(update={"needs_review": False, "check_against": None, "classes": classes})
    return method.model_copy(update={"impact_scale": confirmed})


def test_the_risk_diagram_says_its_classes_are_unconfirmed_when_only_the_likelihood_scale_is() -> None:
    method = _with_confirmed_impact_scale("nrb_2009")
    assert method.scales_unconfirmed() and NRB.scales_unconfirmed()
    svg = diagram_svg(method, [], method.weight_sets[0].id, "en")
    assert "[needs_review]: classes and values unconfirmed" in svg


@pytest.mark.parametrize(
    ("drop", "extra", "dutch"),
    [
        ("5.3", None, "Scores van ‘ann’: ontbrekende criteria 5.3. Scoor precies de criteria 1.1, "),
        (None, "9.9", "Scores van ‘ann’: onbekende criteria 9.9. Scoor precies de criteria 1.1, "),
        ("5.3", "9.9", "Scores van ‘ann’: ontbrekende criteria 5.3, onbekende criteria 9.9. Scoor "),
    ],
)
def test_a_refused_sheet_leaves_out_the_part_with_no_criteria(
    drop: str | None, extra: str | None, dutch: str
) -> None:
    """A sheet missing a criterion was refused with "…, onbekende criteria geen." (unknown: none)."""
    from gbvs.cli.texts import said_in
    from gbvs.errors import InputError

    impact = {c: "A" for c in NRB.criterion_ids() if c != drop} | ({extra: "A"} if extra else {})
    with pytest.raises(InputError) as refused:
        consensus(NRB, "threat", [Sheet("ann", "A", impact)])
    assert refused.value.words is not None
    text = said_in(refused.value.words, "nl")
    assert text.startswith(dutch) and "geen" not in text, text
