"""The files the opinion commands read, refused in the reader's language: the file named as what it is
("reactiebestand"), the system's reason and the fix; English with ``--lang en``. Reading fails before
anything is stored, so no database is needed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from gbvs.config import Settings

Run = Callable[..., Any]
IMPORT = ("opinion", "consultations", "import")


def test_a_missing_responses_file_is_told_in_dutch_with_the_reason_and_the_fix(
    settings: Settings, run_cli: Run, tmp_path: Path
) -> None:
    missing = tmp_path / "reacties.csv"
    given = (*IMPORT, "--info", str(tmp_path / "info.yaml"), "--responses", str(missing))
    dutch = run_cli(*given)
    assert dutch.exit_code == 4
    assert dutch.stderr == (
        f"fout: reactiebestand '{missing}' kan niet worden gelezen: dat bestand of die map bestaat niet; "
        "geef het pad van een bestand dat u mag lezen\n"
    )
    english = run_cli(*given, "--lang", "en")
    assert english.stderr == (
        f"error: responses file '{missing}' cannot be read: No such file or directory; give the path of a "
        "file you may read\n"
    )


def test_a_folder_given_as_the_consultation_file_is_told_in_dutch(
    settings: Settings, run_cli: Run, tmp_path: Path
) -> None:
    responses = Path(__file__).parents[1] / "opinion" / "data" / "responses.csv"
    found = run_cli(*IMPORT, "--info", str(tmp_path), "--responses", str(responses))
    assert found.exit_code == 4
    assert (
        f"fout: consultatiebestand '{tmp_path}' kan niet worden gelezen: dit is een map, geen bestand;"
        in (found.stderr)
    )


def test_a_poll_definition_not_in_utf8_is_named_in_dutch(
    settings: Settings, run_cli: Run, tmp_path: Path
) -> None:
    definition = tmp_path / "peiling.yaml"
    definition.write_bytes("id: caf\xe9\n".encode("cp1252"))
    found = run_cli("opinion", "estimate", "x", "q1", "--definition", str(definition))
    assert found.exit_code == 4, found.stderr
    assert f"fout: peilingdefinitie '{definition}' is geen UTF-8: regel 1 bevat de byte 0xe9" in found.stderr
