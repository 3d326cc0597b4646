"""A consultation's description and responses file: wrong input gets a message naming the fix."""

from __future__ import annotations

import pytest

from gbvs.errors import InputError
from gbvs.opinion.consultation import parse_info, parse_responses
from gbvs.opinion.csv_hints import utf8_text

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


HEADER = "respondent,respondent_type,consent,question,text\n"


def test_a_file_saved_as_excel_csv_utf8_with_its_byte_order_mark_is_read() -> None:
    """Excel's 'CSV UTF-8', the format our own hint recommends, starts with a byte order mark."""
    rows = parse_responses("\ufeff" + HEADER + "r1,citizen,ja,1,Meer preventie\n")
    assert [row.respondent for row in rows] == ["r1"]


def test_a_bad_row_after_a_text_over_several_lines_is_named_by_its_line_in_the_file() -> None:
    text = HEADER + 'r1,citizen,ja,1,"Regel een\nregel twee\nregel drie"\nr2,citizen,misschien,1,Tekst\n'
    with pytest.raises(InputError, match=r"responses line 5: consent 'misschien'"):
        parse_responses(text)


def test_a_row_with_more_fields_than_the_header_is_refused_not_cut_short() -> None:
    """An unquoted comma in a text split it: the rest of the text was silently dropped."""
    text = HEADER + "r1,citizen,ja,1,Tekst\nr2,citizen,ja,1,Meer preventie, minder repressie\n"
    with pytest.raises(InputError, match=r"responses line 3 has 6 fields, the header 5; .*double quotes"):
        parse_responses(text)


def test_a_row_with_fewer_fields_than_the_header_says_so() -> None:
    with pytest.raises(InputError, match=r"responses line 2 has 3 fields, the header 5"):
        parse_responses(HEADER + "r1,citizen,ja\n")


@pytest.mark.parametrize("text", ["", "\n", "\ufeff"])
def test_an_empty_responses_file_is_called_empty(text: str) -> None:
    with pytest.raises(InputError, match=r"responses file is empty; .*header row"):
        parse_responses(text)


def test_a_respondent_answering_a_question_twice_is_named_with_both_lines() -> None:
    text = HEADER + "r1,citizen,ja,1,A\nr2,citizen,ja,1,B\nr1,citizen,ja,1,C\n"
    with pytest.raises(
        InputError, match=r"responses lines 2 and 4: respondent 'r1' answers question 1 twice"
    ):
        parse_responses(text)


def test_a_respondent_with_two_consents_is_named_with_the_lines() -> None:
    text = HEADER + "r1,citizen,ja,1,A\nr1,citizen,nee,2,B\n"
    with pytest.raises(InputError, match=r"responses lines 2 and 3: respondent 'r1' has different"):
        parse_responses(text)


def test_a_file_not_in_utf8_names_its_line_and_how_to_save_it() -> None:
    data = (HEADER + "r1,citizen,ja,1,Meer preventie\nr2,citizen,ja,1,Caféruzie\n").encode("cp1252")
    with pytest.raises(InputError, match=r"responses file r.csv is not UTF-8: line 3 .*0xe9.*CSV UTF-8"):
        utf8_text(data, "responses file r.csv")
