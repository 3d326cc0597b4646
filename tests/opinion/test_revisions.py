"""Which judgements of a coding count after the codebook was revised (gbvs.opinion.revisions)."""

from __future__ import annotations

from gbvs.opinion.revisions import ThemeState, judgement, needs_recoding

THEMES = {
    "Q1": ThemeState("Q1", None),
    "A": ThemeState("A", "Q1", retired_in=2, merged_into="B"),  # v2: A merged into B
    "B": ThemeState("B", "Q1", retired_in=3, merged_into="C"),  # v3: B merged into C
    "C": ThemeState("C", "Q1"),
    "R": ThemeState("R", "Q1", retired_in=4),  # v4: R retired
    "N": ThemeState("N", "Q1", defined_in=5),  # v5: N added
}


def test_merges_are_followed_to_the_theme_in_use_with_its_parent() -> None:
    found = judgement(1, ["A"], THEMES)
    assert found.applied == {"C", "Q1"} and found.judged == {"Q1", "C"} and not found.stale
    assert needs_recoding(1, ["A"], THEMES)  # N was added after it: a judgement is missing
    assert not needs_recoding(5, ["C"], THEMES)


def test_a_coding_that_applied_a_retired_theme_counts_for_nothing_until_re_coded() -> None:
    assert judgement(3, ["R", "C"], THEMES).stale
    assert judgement(3, ["R", "C"], THEMES).judged == frozenset()
    assert not judgement(3, ["C"], THEMES).stale


def test_a_theme_added_later_is_not_judged_by_earlier_codings() -> None:
    assert "N" not in judgement(4, ["C"], THEMES).judged
    assert judgement(5, ["N"], THEMES).applied == {"N", "Q1"}
