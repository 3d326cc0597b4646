"""Reading a user's own respondent file: SPSS user-missing codes, weights and separators."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyreadstat
import pytest

from gbvs.errors import InputError, ParseError
from gbvs.opinion.polls import estimate_question, rake_poll, share
from gbvs.opinion.questionnaire import PollDefinition, load_definition_text
from gbvs.opinion.reader import read_poll
from gbvs.opinion.weighting import Trim

DEFINITION = """
id: mine
title: Eigen peiling
file: {file}
sample_kind: probability
weight: w
questions:
  - id: q1
    text: Vraag 1
    answers: {{"1": Ja, "2": Nee, "8": Weet niet}}
    missing: {missing}
"""


def _sav(tmp_path: Path, codes: list[float], declared: list[float]) -> Path:
    path = tmp_path / "mine.sav"
    frame = pd.DataFrame({"q1": codes, "w": [1.0] * len(codes)})
    pyreadstat.write_sav(frame, str(path), missing_ranges={"q1": declared})
    return path


def test_codes_the_spss_file_declares_missing_are_kept_for_the_definition_to_place(tmp_path: Path) -> None:
    path = _sav(tmp_path, [1, 1, 2, 2, 8, 8, 8, 9] * 5, declared=[8, 9])
    definition = load_definition_text(DEFINITION.format(file=path.name, missing='["9"]'), "mine.yaml")
    result = estimate_question(read_poll(definition, None, path), "q1")
    assert result.base == 35  # "Weet niet" (8) is an answer in this definition; only 9 is outside
    dont_know = next(e for e in result.estimates if e.category == "8")
    assert dont_know.count == 15 and dont_know.share == pytest.approx(15 / 35)


def test_a_declared_missing_code_the_definition_does_not_place_is_refused(tmp_path: Path) -> None:
    path = _sav(tmp_path, [1, 2, 9, 9], declared=[9])
    definition = load_definition_text(DEFINITION.format(file=path.name, missing="[]"), "mine.yaml")
    with pytest.raises(
        InputError, match=r"declares the codes \['9'\] of column 'q1' missing.*under 'missing'"
    ):
        read_poll(definition, None, path)


CSV_DEFINITION = """
id: mine
title: Eigen peiling
file: mine.csv
sample_kind: probability
weight: w
filters: {country: NO}
questions:
  - id: q1
    text: Vraag 1
    answers: {"1": Ja, "2": Nee}
"""


def _csv(tmp_path: Path, weights: list[str], separator: str = ",") -> Path:
    path = tmp_path / "mine.csv"
    rows = [separator.join(("country", "q1", "w"))]
    rows += [
        separator.join(("NO", str(1 + i % 2), f'"{w}"' if "," in w else w)) for i, w in enumerate(weights)
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _definition() -> PollDefinition:
    return load_definition_text(CSV_DEFINITION, "mine.yaml")


def test_norway_is_a_country_code_not_a_yaml_boolean(tmp_path: Path) -> None:
    assert _definition().filters == {"country": "NO"}
    data = read_poll(_definition(), None, _csv(tmp_path, ["1.0"] * 40))
    assert len(data.frame) == 40


def test_a_decimal_comma_in_the_weights_names_the_column_rows_and_fix(tmp_path: Path) -> None:
    data = read_poll(_definition(), None, _csv(tmp_path, ["1.0", "1,2", "0.8", "1,5"]))
    with pytest.raises(InputError, match=r"weight column 'w'.*data rows \[2, 4\].*'1,2'.*with a point"):
        data.weights()


@pytest.mark.parametrize("bad", ["", "0", "-1"])
def test_an_empty_or_zero_weight_names_the_column_and_rows(tmp_path: Path, bad: str) -> None:
    data = read_poll(_definition(), None, _csv(tmp_path, ["1.0", "1.0", bad]))
    with pytest.raises(
        InputError, match=r"weight column 'w' is not a positive number for 1 .*data rows \[3\]"
    ):
        estimate_question(data, "q1")


def test_a_semicolon_separated_poll_file_is_named_as_such(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="separated by semicolons: save the file as CSV with commas"):
        read_poll(_definition(), None, _csv(tmp_path, ["1.0"] * 3, separator=";"))


def test_one_wave_polls_refuse_a_wave_breakdown_without_naming_a_cli_flag(tmp_path: Path) -> None:
    data = read_poll(_definition(), None, _csv(tmp_path, ["1.0"] * 40))
    with pytest.raises(InputError, match="has one wave, so no breakdown by wave") as refused:
        estimate_question(data, "q1", by="wave")
    assert "--by" not in str(refused.value)


def test_raking_that_does_not_converge_is_refused_with_its_margin_error(tmp_path: Path) -> None:
    data = read_poll(_definition(), None, _csv(tmp_path, ["1.0"] * 40))
    with pytest.raises(
        InputError, match=r"did not converge within the trim bounds 0.5-1.5 .* error is 0\.\d+"
    ):
        rake_poll(data, {"q1": {"1": 0.9, "2": 0.1}}, ["q1"], Trim(0.5, 1.5), source="test margins")
    raked = rake_poll(data, {"q1": {"1": 0.9, "2": 0.1}}, ["q1"], source="test margins")
    assert raked.result.converged and share(estimate_question(raked.data, "q1"), "1").share == pytest.approx(
        0.9
    )


def test_a_raked_estimate_names_its_base_weight_the_margins_source_and_the_respondents_left_out(
    tmp_path: Path,
) -> None:
    data = read_poll(_definition(), None, _csv(tmp_path, ["1.0"] * 40))
    margins = {"q1": {"1": 0.6, "2": 0.4}}
    raked = rake_poll(data, margins, ["q1"], Trim(0.2, 5), source="CBS StatLine 03759ned, 1 January 2019")
    weight = estimate_question(raked.data, "q1").provenance.weight
    assert weight == (
        "w raked to CBS StatLine 03759ned, 1 January 2019 on q1, trimmed to 0.2-5 × mean; "
        "0 respondents without a category in the margins left out"
    )
    assert estimate_question(data, "q1").provenance.weight == "w"  # not raked: the weight column
