"""The pure parts of gbvs.opinion without the mirror: raking, the weights' report, verdicts,
anonymisation, the draft codebook's links and the published SAMR table."""

from __future__ import annotations

import numpy as np
import pytest

from gbvs.errors import InputError, NotFoundError
from gbvs.opinion.aggregate import shipped_aggregates
from gbvs.opinion.anonymise import anonymise, quotable
from gbvs.opinion.codebook import draft_codebook, load_codebook_text
from gbvs.opinion.estimates import MODEL_BASED_NOTE, IntervalBasis, SampleKind, difference, proportions
from gbvs.opinion.questionnaire import load_definition_text
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
    (yes, no) = proportions(answers, [1.0] * 100, kind=SampleKind.nonprobability)
    assert yes.share == pytest.approx(0.6) and yes.basis is IntervalBasis.model
    assert yes.lower < 0.6 < yes.upper and "model-based" in MODEL_BASED_NOTE
    gap = difference(yes, no)
    assert gap.difference == pytest.approx(0.2) and gap.significant


@pytest.mark.parametrize(
    ("alpha", "verdict"),
    [
        (0.9, Verdict.reliable),
        (0.8, Verdict.reliable),
        (0.7, Verdict.tentative),
        (0.6, Verdict.unreliable),
        (None, Verdict.undefined),
    ],
)
def test_verdicts_follow_krippendorffs_thresholds(alpha: float | None, verdict: Verdict) -> None:
    assert verdict_for(alpha) is verdict


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
