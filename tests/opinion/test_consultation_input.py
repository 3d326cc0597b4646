"""A consultation's description and responses file: wrong input gets a message naming the fix."""

from __future__ import annotations

import pytest

from gbvs.errors import InputError
from gbvs.opinion.consultation import parse_info, parse_responses

ROWS = parse_responses("respondent,respondent_type,consent,question,text\nr1,citizen,ja,1,Meer preventie\n")


@pytest.mark.parametrize(
    ("questions", "message"),
    [
        (
            "questions:\n  - Wat vindt u?\n",
            r"'questions' must map each question's number to its text.*found list",
        ),
        ("questions:\n  Q1: Wat vindt u?\n", r"consultation question 'Q1': number the questions 1, 2, 3"),
        ("questions:\n  1:\n", r"consultation question 1: give its text"),
    ],
)
def test_questions_that_are_not_numbered_texts_are_refused_with_the_fix(questions: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_info(f"slug: c1\ntitle: C\n{questions}", ROWS)


def test_a_semicolon_separated_responses_file_is_named_as_such() -> None:
    text = "respondent;respondent_type;consent;question;text\nr1;citizen;ja;1;Meer preventie\n"
    with pytest.raises(InputError, match=r"lacks the columns .* separated by semicolons"):
        parse_responses(text)
