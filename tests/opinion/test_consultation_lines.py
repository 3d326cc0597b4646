"""``gbvs opinion consultations list``, ``reliability`` and ``summary`` write their counts the way of
their language: an internet consultation easily draws thousands of responses ("1.250 reacties")."""

from __future__ import annotations

import pytest

from gbvs.cli.opinion import consultation_lines, reliability_lines, summary_lines
from gbvs.db.services.consultation_reports import ConsultationSummary, QuestionSummary, ThemeCount
from gbvs.db.services.consultations import ConsultationView
from gbvs.opinion.reliability import ThemeReliability, Verdict

CONSULTATION = ConsultationView(
    slug="wet-x",
    title="Wet X",
    description="",
    opened_on=None,
    closed_on=None,
    phase="closed",
    codebook_id="cb",
    codebook_is_draft=False,
    questions=((1, "Q"),),
    themes=(),
    respondents=1040,
    responses=2080,
)
THEME = ThemeCount("T1", None, "Veiligheid", 1234, 1001, (), (), (), ())
SUMMARY = ConsultationSummary(
    "wet-x", "Wet X", "closed", "cb-2", False, False, {}, (QuestionSummary(1, "Vraag", 2080, 1999, (THEME,)),)
)


@pytest.mark.parametrize(
    ("lang", "listed", "reliable", "coded", "count"),
    [
        (
            "nl",
            "1.040 respondenten, 2.080 reacties",
            "alfa 0,812 [0,701-0,903] (voorlopig bruikbaar, beoordeeld op de ondergrens van het interval; "
            "1.500 reacties, 2 codeurs)",
            "(1.999/2.080 gecodeerd)",
            "  T1 Veiligheid: 1.234 (+1.001 onbeslist)",
        ),
        (
            "en",
            "1,040 respondents, 2,080 responses",
            "alpha 0.812 [0.701-0.903] (tentative, judged on the lower end of its interval; "
            "1,500 responses, 2 coders)",
            "(1,999/2,080 coded)",
            "  T1 Veiligheid: 1,234 (+1,001 unresolved)",
        ),
    ],
)
def test_consultation_counts_are_written_the_way_of_the_language(
    lang: str, listed: str, reliable: str, coded: str, count: str
) -> None:
    assert consultation_lines([CONSULTATION], lang)[0].endswith(listed + ")")
    reliability = ThemeReliability("T1", 0.812, Verdict.tentative, 1500, 2, 0.701, 0.903)
    assert reliability_lines([reliability], lang) == [f"T1: {reliable}"]
    lines = summary_lines(SUMMARY, lang)
    assert lines[0].endswith({"nl": "; codeboek cb-2)", "en": "; codebook cb-2)"}[lang])
    assert coded in lines[1] and lines[2] == count
