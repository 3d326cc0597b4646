"""The pure parts of gbvs.opinion without the mirror: raking, the weights' report, verdicts,
anonymisation, the draft codebook's links and the published SAMR table."""

from __future__ import annotations

import numpy as np
import pytest

from gbvs.errors import InputError, NotFoundError
from gbvs.opinion.aggregate import shipped_aggregates
from gbvs.opinion.anonymise import anonymise, quotable
from gbvs.opinion.codebook import draft_codebook, load_codebook_text
from gbvs.opinion.estimates import (
    MIN_BASE_RELIABLE,
    MIN_BASE_SHOWN,
    MODEL_BASED_NOTE,
    Estimate,
    IntervalBasis,
    SampleKind,
    SuppressedGroup,
    difference,
    holm,
    holm_adjusted,
    proportions,
)
from gbvs.opinion.questionnaire import Comparability, load_definition_text
from gbvs.opinion.reliability import Verdict, theme_alpha, verdict_for
from gbvs.opinion.weighting import Margin, Trim, rake, weight_report
from gbvs.strategy import load_strategy


def test_weight_report_is_kish() -> None:
    report = weight_report([1, 1, 2, 2])
    assert report.design_effect == pytest.approx(4 * 10 / 36)
    assert report.effective_n == pytest.approx(36 / 10)
    assert (report.minimum, report.maximum, report.ratio) == (1, 2, 2)
    with pytest.raises(InputError, match="finite and positive"):
        weight_report([1, 0])


def test_raking_hits_two_margins_and_reports_iterations() -> None:
    sex = ["m"] * 30 + ["v"] * 70
    age = (["jong"] * 20 + ["oud"] * 10) + (["jong"] * 20 + ["oud"] * 50)
    result = rake([Margin("sex", sex, {"m": 0.5, "v": 0.5}), Margin("age", age, {"jong": 0.4, "oud": 0.6})])
    w = result.weights
    assert result.converged and result.iterations > 1 and w.mean() == pytest.approx(1)
    assert w[np.array(sex) == "m"].sum() / w.sum() == pytest.approx(0.5, abs=1e-6)
    assert w[np.array(age) == "jong"].sum() / w.sum() == pytest.approx(0.4, abs=1e-6)


def test_raking_refuses_categories_without_a_target_or_without_respondents() -> None:
    with pytest.raises(InputError, match=r"sample categories \['x'\] have no population target"):
        rake([Margin("sex", ["m", "x"], {"m": 1.0})])
    with pytest.raises(InputError, match=r"no respondent in categories \['v'\]"):
        rake([Margin("sex", ["m", "m"], {"m": 0.5, "v": 0.5})])
    with pytest.raises(InputError, match="trim bounds"):
        Trim(2, 5)


def test_trimming_that_cannot_hold_is_reported_as_not_converged() -> None:
    sex = ["m"] * 2 + ["v"] * 98
    result = rake([Margin("sex", sex, {"m": 0.5, "v": 0.5})], trim=Trim(0.5, 2.0), max_iterations=50)
    assert not result.converged and result.max_margin_error > 0.1 and result.trimmed > 0


def test_nonprobability_intervals_are_labelled_model_based() -> None:
    answers = ["ja"] * 60 + ["nee"] * 40
    (yes, no) = proportions(answers, [1.0] * 100, kind=SampleKind.nonprobability).estimates
    assert yes.share == pytest.approx(0.6) and yes.basis is IntervalBasis.model
    assert yes.lower < 0.6 < yes.upper and "model-based" in MODEL_BASED_NOTE
    gap = difference(yes, no)
    assert gap.difference == pytest.approx(0.2) and gap.significant


def test_each_share_carries_its_groups_base_and_its_own_count() -> None:
    answers = ["ja"] * 60 + ["nee"] * 40 + ["ja"] * 10 + ["nee"] * 90
    groups = ["a"] * 100 + ["b"] * 100
    found = proportions(answers, [1.0] * 200, kind=SampleKind.probability, groups=groups).estimates
    by = {(e.group, e.category): e for e in found}
    assert (by["a", "ja"].count, by["a", "ja"].base) == (60, 100)
    assert (by["b", "ja"].count, by["b", "ja"].base) == (10, 100)


def test_an_answer_nobody_gave_is_0_percent_and_100_percent_has_an_honest_interval() -> None:
    answers = ["ja"] * 60 + ["nee"] * 40 + ["nee"] * 40
    groups = ["a"] * 100 + ["b"] * 40
    found = proportions(
        answers, [1.0] * 140, kind=SampleKind.probability, groups=groups, categories=["ja", "nee", "wn"]
    ).estimates
    by = {(e.group, e.category): e for e in found}
    all_no, no_yes = by["b", "nee"], by["b", "ja"]
    assert all_no.share == 1.0 and all_no.count == all_no.base == 40
    # Clopper-Pearson for 40 of 40: 91.2-100%, not 100-100%
    assert all_no.lower == pytest.approx(0.9119, abs=1e-4) and all_no.upper == 1.0
    assert no_yes.share == 0.0 and no_yes.count == 0 and no_yes.upper == pytest.approx(0.0881, abs=1e-4)
    assert by["a", "wn"].share == 0 and by["a", "wn"].upper > 0  # a listed answer nobody gave: 0%


def test_small_bases_are_flagged_and_very_small_ones_suppressed() -> None:
    sizes = {"big": 200, "small": MIN_BASE_RELIABLE - 1, "tiny": MIN_BASE_SHOWN - 1}
    groups = [g for g, size in sizes.items() for _ in range(size)]
    answers = ["ja", "nee"] * (len(groups) // 2) + ["ja"] * (len(groups) % 2)
    shares = proportions(answers, [1.0] * len(groups), kind=SampleKind.probability, groups=groups)
    assert shares.suppressed == (SuppressedGroup("tiny", MIN_BASE_SHOWN - 1),)
    assert {e.group for e in shares.estimates} == {"big", "small"}
    assert {e.group: e.small_base for e in shares.estimates} == {"big": False, "small": True}


def test_weighted_intervals_use_the_effective_sample_size() -> None:
    answers = ["ja", "nee"] * 100
    even = proportions(answers, [1.0] * 200, kind=SampleKind.probability).estimates[0]
    uneven = proportions(answers, [1.0, 1.0, 5.0, 5.0] * 50, kind=SampleKind.probability).estimates[0]
    assert uneven.upper - uneven.lower > even.upper - even.lower


@pytest.mark.parametrize(
    ("alpha", "lower", "verdict"),
    [
        (0.95, 0.9, Verdict.reliable),
        (0.9, 0.8, Verdict.reliable),
        (0.9, 0.7, Verdict.tentative),  # the point is reliable, the lower end only tentative
        (0.85, 0.6, Verdict.unreliable),
        (0.7, 0.667, Verdict.tentative),
        (0.7, 0.5, Verdict.unreliable),
        (0.6, 0.4, Verdict.unreliable),
        (None, None, Verdict.undefined),
    ],
)
def test_verdicts_follow_the_lower_end_of_alphas_interval(
    alpha: float | None, lower: float | None, verdict: Verdict
) -> None:
    assert verdict_for(alpha, lower) is verdict


def test_without_an_interval_a_verdict_is_at_most_tentative() -> None:
    assert verdict_for(1.0, None) is Verdict.tentative
    assert verdict_for(0.7, None) is Verdict.tentative
    assert verdict_for(0.5, None) is Verdict.unreliable


def test_a_theme_whose_interval_reaches_under_08_is_not_reliable() -> None:
    """80 responses, two coders who disagree on 3: alpha 0.90, its lower end 0.78."""
    first = np.array([1.0] * 20 + [0.0] * 60)
    second = first.copy()
    second[[0, 20, 21]] = 1 - second[[0, 20, 21]]
    found = theme_alpha("Q1", np.vstack([first, second]))
    assert found.alpha is not None and found.alpha >= 0.8
    assert found.lower is not None and found.lower < 0.8
    assert found.verdict is Verdict.tentative and found.basis == "lower"


def test_alpha_without_variation_is_undefined() -> None:
    assert theme_alpha("Q1", np.zeros((2, 5))).verdict is Verdict.undefined


def test_quotes_need_consent_and_lose_names_and_contact_details() -> None:
    text = "Jan Jansen (jan@example.nl, 06-12345678, 2514 AB) vindt: meer preventie, zie www.voorbeeld.nl"
    cleaned = anonymise(text, ["Jan Jansen"])
    for secret in ("Jan Jansen", "jan@example.nl", "06-12345678", "2514 AB", "www.voorbeeld.nl"):
        assert secret not in cleaned
    assert "meer preventie" in cleaned
    assert quotable(False, text) is None


def test_the_draft_codebook_is_marked_draft_and_links_exist_in_the_strategy() -> None:
    book, strategy = draft_codebook(), load_strategy()
    assert book.is_draft and {"Q1", "Q2", "Q3"} <= {t.code for t in book.themes}
    trends = {t.id for t in strategy.trends}
    for theme in book.themes:
        assert set(theme.trends) <= trends, theme.code
        assert all(1 <= n <= len(strategy.threats) for n in theme.threats), theme.code
        assert all(1 <= n <= len(strategy.goals) for n in theme.goals), theme.code
    with pytest.raises(InputError, match="used twice"):
        load_codebook_text("themes: [{code: A, label: {nl: a, en: a}}, {code: A, label: {nl: b, en: b}}]")


def test_the_samr_table_is_shipped_with_its_caveat() -> None:
    (samr,) = shipped_aggregates()
    assert samr.sample_kind is SampleKind.nonprobability and "microdata" in samr.caveat_en
    found = {r.id: (r.percent, r.n) for r in samr.results}
    assert found["insecurity_abroad_affects_nl"] == (73, 1012)
    assert found["worried_foreign_developments"] == (44, 1012)
    assert found["terrorism_unprompted"][0] == 33 and found["terrorism_prompted"] == (61, 1012)


def test_a_poll_definition_names_what_is_wrong() -> None:
    with pytest.raises(InputError, match="lacks"):
        load_definition_text("id: x\ntitle: x\n", "mine.yaml")
    with pytest.raises(InputError, match="sample_kind 'panel'"):
        load_definition_text("id: x\ntitle: x\nfile: a.csv\nsample_kind: panel\nquestions: []\n", "mine.yaml")
    ok = load_definition_text(
        "id: x\ntitle: x\nfile: a.sav\nsample_kind: probability\nquestions: [{id: q1, text: Q}]\n", "m"
    )
    assert ok.format == "sav"
    with pytest.raises(NotFoundError, match="no question 'q2'"):
        ok.question("q2")


def _share(count: int, n: int, group: str = "a") -> Estimate:
    """An unweighted share of ``count`` of ``n`` whose interval rests on ``n`` respondents."""
    p = count / n
    return Estimate(
        group, "ja", p, 0.0, 1.0, (p * (1 - p) / n) ** 0.5, count, n, IntervalBasis.design, float(n)
    )


@pytest.mark.parametrize(
    ("first", "second", "published"),
    [
        # Newcombe (1998), Statistics in Medicine 17:873-890, table II, method 10 (hybrid score)
        ((56, 70), (48, 80), (0.0524, 0.3339)),
        ((9, 10), (3, 10), (0.1705, 0.8090)),
        ((5, 56), (0, 29), (-0.0381, 0.1926)),
        ((0, 10), (0, 20), (-0.1611, 0.2775)),
        ((10, 10), (0, 20), (0.6791, 1.0)),
        ((10, 10), (0, 10), (0.6075, 1.0)),
    ],
)
def test_a_difference_has_newcombes_interval_also_at_0_and_100_percent(
    first: tuple[int, int], second: tuple[int, int], published: tuple[float, float]
) -> None:
    found = difference(_share(*first), _share(*second))
    assert found.difference == pytest.approx(first[0] / first[1] - second[0] / second[1])
    assert (found.lower, found.upper) == pytest.approx(published, abs=5e-5)
    # "significant" is "the interval excludes 0", and at 1 - p the interval just reaches 0
    assert found.significant is (found.lower > 0 or found.upper < 0)
    if found.p_value > 1e-12:
        edge = difference(_share(*first), _share(*second), confidence=1 - found.p_value)
        assert min(abs(edge.lower), abs(edge.upper)) == pytest.approx(0, abs=1e-9)


def test_a_difference_rests_on_the_effective_sample_size() -> None:
    # the same shares on half the effective size (a design effect of 2): a wider interval
    full, halved = _share(56, 70), _share(56, 70)
    halved = Estimate(**{**halved.__dict__, "effective_n": 35.0})
    other = Estimate(**{**_share(48, 80).__dict__, "effective_n": 40.0})
    narrow, wide = difference(full, _share(48, 80)), difference(halved, other)
    assert wide.upper - wide.lower > narrow.upper - narrow.lower and not wide.significant


def test_holm_adjusts_every_difference_for_the_comparisons_made() -> None:
    tested = [difference(_share(c, 100), _share(50, 100)) for c in (66, 64, 75, 65)]
    assert all(d.significant for d in tested)  # each alone: p under 0.05
    adjusted = holm(tested)
    assert all(d.comparisons == 4 for d in adjusted)
    ps = sorted(d.p_value for d in tested)  # Holm by hand: p(i) × (m - i + 1), kept monotone
    steps = [(4 - i) * p for i, p in enumerate(ps)]
    by_hand = [min(1.0, max(steps[: i + 1])) for i in range(4)]
    assert sorted(d.adjusted_p_value for d in adjusted) == pytest.approx(by_hand)
    # only 75% against 50% stays significant once the four comparisons are taken into account
    assert [d.significant for d in adjusted] == [False, False, True, False]
    assert holm([]) == ()


def test_holms_adjusted_p_values_are_statsmodels_ones() -> None:
    from statsmodels.stats.multitest import multipletests

    rng = np.random.default_rng(15)
    for size in (1, 2, 7, 30):
        p = np.concatenate([rng.uniform(0, 0.2, size), [0.01] * (size > 2)])  # with a tie
        reject, adjusted, _, _ = multipletests(p, alpha=0.05, method="holm")
        assert holm_adjusted(p) == pytest.approx(adjusted)
        assert list(holm_adjusted(p) < 0.05) == list(reject)


WAVES = """id: t
title: t
file: a.csv
sample_kind: probability
wave: w
waves: {W1: "1996", W2: "1999"}
questions:
  - id: q
    text: Q
    wording:
"""


def test_a_waves_wording_decides_its_comparability() -> None:
    ok = load_definition_text(
        WAVES + "      W1: {label: rely on, comparable: false, reason: {nl: anders, en: other}}\n"
        "      W2: {label: trust in}\n",
        "t.yaml",
    ).question("q")
    assert ok.wave_wording("W1").status is Comparability.not_comparable
    assert ok.wave_wording("W1").reason("en") == "other" and ok.wave_wording("W1").label == "rely on"
    assert ok.wave_wording("W2").status is Comparability.comparable and ok.wave_wording("W2").text is None
    unknown = ok.wave_wording("W3")
    assert unknown.status is Comparability.unknown and "not recorded" in unknown.reason("en")
    with pytest.raises(InputError, match=r"wave 'W1' is marked comparable: false without a reason"):
        load_definition_text(WAVES + "      W1: {comparable: false}\n", "t.yaml")
    with pytest.raises(InputError, match=r"wording for waves \['W9'\].*\['W1', 'W2'\]"):
        load_definition_text(WAVES + "      W9: {label: x}\n", "t.yaml")
    with pytest.raises(InputError, match="comparable is 'no'; write true or false"):
        load_definition_text(WAVES + "      W1: {comparable: 'no', reason: x}\n", "t.yaml")


def _three_coders(units: int = 40) -> np.ndarray:
    """Three coders of one theme: mostly agreeing, some disagreements, some responses not coded."""
    rng = np.random.default_rng(7)
    truth = rng.integers(0, 2, units).astype(float)
    matrix = np.vstack([truth, truth, truth])
    flips = rng.random(matrix.shape) < 0.12
    matrix[flips] = 1 - matrix[flips]
    matrix[2, :5] = np.nan
    return matrix


def test_each_resample_of_the_interval_is_the_kept_librarys_alpha_of_that_resample() -> None:
    import krippendorff

    from gbvs.opinion.reliability import resampled_alphas

    matrix = _three_coders()
    draws = np.random.default_rng(3).integers(0, matrix.shape[1], (5, matrix.shape[1]))
    expected = [
        krippendorff.alpha(reliability_data=matrix[:, draw], level_of_measurement="nominal") for draw in draws
    ]
    assert resampled_alphas(matrix, draws) == pytest.approx(expected)


def test_alpha_carries_a_bootstrap_interval_over_the_responses() -> None:
    found = theme_alpha("Q1", _three_coders())
    assert found.lower is not None and found.upper is not None and found.alpha is not None
    assert found.lower < found.alpha < found.upper
    assert 0.1 < found.upper - found.lower < 0.6
    assert theme_alpha("Q1", _three_coders()) == found  # seeded: the same figures every time
    assert theme_alpha("Q1", np.zeros((2, 5))).lower is None
