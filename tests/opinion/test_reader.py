"""Reading a user's own respondent file: SPSS user-missing codes, weights and separators."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyreadstat
import pytest

from gbvs.errors import InputError
from gbvs.opinion.polls import estimate_question
from gbvs.opinion.questionnaire import load_definition_text
from gbvs.opinion.reader import read_poll

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
