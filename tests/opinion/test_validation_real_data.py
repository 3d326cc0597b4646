"""Validation on the real mirror: published figures reproduced from respondent-level data.

Pew December 2013 (pewmethods excerpt), Eurobarometer 64.2 Netherlands, the harmonised Eurobarometer
trend in trust in the Dutch parliament, raking to the ACS 2017 and CBS The Hague margins.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from gbvs.config import Settings
from gbvs.opinion.estimates import IntervalBasis
from gbvs.opinion.margins import read_margin_table, read_margins
from gbvs.opinion.polls import WAVE, estimate_question, share, trend, wave_trend
from gbvs.opinion.questionnaire import Comparability
from gbvs.opinion.reader import read_poll, shipped_definition
from gbvs.opinion.weighting import Margin, Trim, rake, weight_report
from gbvs.reports.core.opinion_indicators import POLL_TRENDS, TRUST_TREND
from gbvs.reports.sources import LoadedData, load_polls

pytestmark = pytest.mark.integration


def _pct(value: float) -> float:
    return round(100 * value, 1)


def test_pew_dec2013_reproduces_published_approval(opinion_mirror: Path) -> None:
    poll = read_poll(shipped_definition("pew-2013-12"), opinion_mirror)
    obama = estimate_question(poll, "q1")
    aca = estimate_question(poll, "q45")
    assert (_pct(share(obama, "Approve").share), _pct(share(obama, "Disapprove").share)) == (45.3, 48.8)
    assert (_pct(share(aca, "Approve").share), _pct(share(aca, "Disapprove").share)) == (41.1, 54.2)
    approve = share(obama, "Approve")
    assert approve.lower < approve.share < approve.upper
    assert approve.basis is IntervalBasis.design and obama.note == ""
    # the weighting widens the interval beyond simple random sampling
    srs = 1.96 * np.sqrt(approve.share * (1 - approve.share) / obama.base)
    assert (approve.upper - approve.lower) / 2 > srs
    assert obama.weights.design_effect > 1 and obama.weights.effective_n < obama.base


def test_pew_small_party_groups_are_flagged_or_suppressed(opinion_mirror: Path) -> None:
    poll = read_poll(shipped_definition("pew-2013-12"), opinion_mirror)
    result = estimate_question(poll, "q45", by="party")
    assert [(s.group, s.base) for s in result.suppressed] == [("Other party (VOL.)", 10)]
    assert all(e.group != "Other party (VOL.)" for e in result.estimates)
    refused = {e.category: e for e in result.estimates if e.group == "Don't know/Refused (VOL.)"}
    assert all(e.small_base and e.base == 32 for e in refused.values())
    assert len(refused) == 3  # every answer, also one given by nobody in the group


def test_pew_raked_to_acs_2017_matches_its_margins(opinion_mirror: Path) -> None:
    poll = read_poll(shipped_definition("pew-2013-12"), opinion_mirror)
    margins = read_margins("acs-2017", opinion_mirror)
    frame = poll.frame[
        (poll.frame.recage != "DK/Ref") & (poll.frame.receduc != "DK/Ref")
    ]  # no imputation here
    raked = rake([Margin(name, frame[name].tolist(), margins[name]) for name in ("sex", "recage", "receduc")])
    assert raked.converged and raked.max_margin_error < 1e-6
    for name, targets in margins.items():
        for category, target in targets.items():
            achieved = raked.weights[(frame[name] == category).to_numpy()].sum() / raked.weights.sum()
            assert achieved == pytest.approx(target, abs=1e-6), (name, category)
    # the ACS cells sum to 36, one per cell (sex 2 × age 6 × education 3)
    assert read_margin_table("acs-2017", opinion_mirror)["weight"].sum() == pytest.approx(36)


def test_pew_raking_with_trimming_keeps_weights_in_bounds(opinion_mirror: Path) -> None:
    poll = read_poll(shipped_definition("pew-2013-12"), opinion_mirror)
    margins = read_margins("acs-2017", opinion_mirror)
    frame = poll.frame[(poll.frame.recage != "DK/Ref") & (poll.frame.receduc != "DK/Ref")]
    codes = [Margin(name, frame[name].tolist(), margins[name]) for name in ("sex", "recage", "receduc")]
    free, trimmed = rake(codes), rake(codes, trim=Trim(0.5, 2.0), max_iterations=2000)
    assert weight_report(free.weights).maximum > 2.0  # the bound binds on this sample
    assert trimmed.converged and trimmed.trimmed > 0 and trimmed.weights.max() <= 2.0 + 1e-6
    assert weight_report(trimmed.weights).design_effect < weight_report(free.weights).design_effect


@pytest.mark.parametrize(
    ("item", "published"),
    [("army", 68), ("police", 73), ("united_nations", 59), ("european_union", 41)],
)
def test_eurobarometer_64_2_netherlands_trust(opinion_mirror: Path, item: str, published: int) -> None:
    poll = read_poll(shipped_definition("eb-64.2-nl"), opinion_mirror)
    assert len(poll.frame) == 1041
    result = estimate_question(poll, item)
    assert round(100 * share(result, "1").share) == published


def test_dutch_trust_in_parliament_trend_with_intervals(opinion_mirror: Path) -> None:
    poll = read_poll(shipped_definition("eb-trust-parliament-nl"), opinion_mirror)
    result = estimate_question(poll, "national_parliament", by=WAVE)
    points = {point.group: point for point in trend(result, "1")}
    assert round(100 * points["2005"].share) == 52
    assert all(66 <= round(100 * points[year].share) <= 68 for year in ("2017", "2019"))
    for point in points.values():
        assert 0 < point.lower < point.share < point.upper < 1
    # n is the wave's base (don't know outside it), not the number who trust parliament
    assert (points["2005"].base, points["1996"].base) == (1001, 3286)
    assert points["2005"].count == 515
    found = wave_trend(result, "1")
    rise = {(c.earlier.estimate.group, c.later.estimate.group): c.difference for c in found.changes}
    step = rise[("2014", "2017")]
    assert step is not None and step.significant and step.lower > 0
    assert step.comparisons == found.comparisons == 7 and step.adjusted_p_value > step.p_value


def test_the_1996_wave_asked_about_relying_on_parliament_so_it_is_no_change(opinion_mirror: Path) -> None:
    poll = read_poll(shipped_definition("eb-trust-parliament-nl"), opinion_mirror)
    for question in ("national_parliament", "european_commission"):
        found = wave_trend(estimate_question(poll, question, by=WAVE), "1")
        first, *rest = found.points
        assert first.estimate.group == "1996" and first.comparable is Comparability.not_comparable
        assert first.wording.wave == "ZA2828" and str(first.wording.label).startswith("rely on")
        assert first.wording.text is None  # the question text is not in the mirror: unknown
        assert "rely on" in first.wording.reason("en") and "rekenen op" in first.wording.reason("nl")
        assert all(p.comparable is Comparability.comparable for p in rest)
        (change, *later) = found.changes
        assert change.difference is None and change.status is Comparability.not_comparable
        assert all(c.difference is not None for c in later) and found.comparisons == len(later)


def test_cbs_den_haag_margins_as_a_dutch_raking_example(opinion_mirror: Path) -> None:
    table = read_margin_table("cbs-den-haag-2019", opinion_mirror)
    assert (table.male.sum(), table.female.sum(), table.total.sum()) == (266_778, 271_051, 537_829)
    margins = read_margins("cbs-den-haag-2019", opinion_mirror)
    assert set(margins["leeftijd"]) == {"18-24", "25-34", "35-44", "45-54", "55-64", "65+"}
    assert sum(margins["geslacht"].values()) == pytest.approx(1)
    # a sample with too many women and too many over-65s is raked back to The Hague's adults
    sexes = ["vrouw"] * 70 + ["man"] * 30
    ages = (["65+"] * 40 + ["18-24", "25-34", "35-44", "45-54", "55-64"] * 12)[:100]
    raked = rake(
        [Margin("geslacht", sexes, margins["geslacht"]), Margin("leeftijd", ages, margins["leeftijd"])]
    )
    women = raked.weights[np.array(sexes) == "vrouw"].sum() / raked.weights.sum()
    assert raked.converged and women == pytest.approx(margins["geslacht"]["vrouw"], abs=1e-6)


def test_the_progress_reports_trust_trend_gives_each_waves_base_as_n(
    opinion_mirror: Path, settings: Settings
) -> None:
    loaded = LoadedData()
    load_polls(settings.model_copy(update={"mirror": opinion_mirror}), loaded)
    waves = {row["year"]: row for row in loaded.frames[POLL_TRENDS][TRUST_TREND]}
    assert (waves[2005]["n"], waves[2005]["count"]) == (1001, 515)
    assert waves[1996]["n"] == 3286


def test_the_progress_reports_trust_rows_carry_each_waves_comparability_from_the_poll_definition(
    opinion_mirror: Path, settings: Settings
) -> None:
    loaded = LoadedData()
    load_polls(settings.model_copy(update={"mirror": opinion_mirror}), loaded)
    waves = {row["year"]: row for row in loaded.frames[POLL_TRENDS][TRUST_TREND]}
    wording = (
        shipped_definition("eb-trust-parliament-nl").question("national_parliament").wave_wording("ZA2828")
    )
    assert waves[1996]["comparability"] == "not comparable"
    assert waves[1996]["comparability_reason"] == {"nl": wording.reason("nl"), "en": wording.reason("en")}
    assert "rekenen op het nationale parlement" in waves[1996]["comparability_reason"]["nl"]
    assert {row["comparability"] for year, row in waves.items() if year != 1996} == {"comparable"}
    assert all("comparability_reason" not in row for year, row in waves.items() if year != 1996)
