"""The codebook documents every column of every derived table (Datasette-style docs test)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gbvs.panels.codebook import build_codebook, declared_tables, render_markdown
from gbvs.panels.registry import DERIVED_TABLES


def test_every_derived_table_is_declared() -> None:
    assert {d.name for d in DERIVED_TABLES} == set(declared_tables())


def test_markdown_without_store_lists_every_variable_in_both_languages() -> None:
    entries = build_codebook(None)
    for language in ("nl", "en"):
        text = render_markdown(entries, language)
        for entry in entries:
            assert f"`{entry.variable.name}`" in text
    assert "(store not built)" in render_markdown(entries)


@pytest.mark.integration
def test_every_stored_panel_column_is_documented_and_vice_versa(panel_store: Any) -> None:
    for name, doc in declared_tables().items():
        stored = set(panel_store.table(name).columns)
        declared = {v.name for v in doc.variables}
        assert stored == declared, name


@pytest.mark.integration
def test_cli_codebook_json_and_drivers_for_syria(
    panel_store_path: Path, run_cli: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("GBVS_STORE_PATH", str(panel_store_path))
    out = tmp_path / "codebook.json"
    result = run_cli("codebook", "--format", "json", "--output", str(out))
    assert result.exit_code == 0, result.stderr
    entries = json.loads(out.read_text(encoding="utf-8"))
    brd = next(e for e in entries if e["name"] == "brd_best")
    assert brd["coverage"]["first"] == 1989
    result = run_cli("drivers", "--country", "652", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["country"]["missing"]["brd_best"] == [[1946, 1988]]
    assert run_cli("drivers", "--country", "9999").exit_code == 5
    show = run_cli("panel", "show", "--country", "652", "--since", "2021", "--format", "json")
    assert [row["war"] for row in json.loads(show.stdout)] == [0, 0, 1]
    # issue 12, fix 10: ISO3 as in the web, the country's name and its latest values
    assert (
        run_cli("panel", "show", "--country", "syr", "--since", "2021", "--format", "json").stdout
        == show.stdout
    )
    by_iso3 = json.loads(run_cli("drivers", "--country", "SYR", "--format", "json").stdout)
    assert by_iso3["country"]["missing"] == data["country"]["missing"] and by_iso3["country"]["iso3"] == "SYR"
    assert by_iso3["country"]["latest"]["brd_best"]["year"] >= 2022
    dutch = run_cli("drivers", "--country", "652").stdout
    assert dutch.splitlines()[0].startswith("Syrië (SYR, GW 652): paneljaren 1946-")
    assert "  brd_best " in dutch and "laatste 20" in dutch and "ontbreekt: 1946-1988" in dutch
    english = run_cli("drivers", "--country", "SYR", "--lang", "en").stdout
    assert english.splitlines()[0].startswith("Syria (SYR, GW 652): panel years 1946-")
    by_name = json.loads(run_cli("drivers", "--country", "Syrië", "--format", "json").stdout)
    assert by_name["country"] == by_iso3["country"]  # a name in either language, as in the search box
    assert run_cli("drivers", "--country", "Narnia").exit_code == 4


def _covered_entries() -> list[Any]:
    """The declared entries, ``conflict`` with a coverage and a source version (no store needed)."""
    from dataclasses import replace

    from gbvs.store.coverage import Coverage

    coverage = Coverage("conflict", 1946, 2024, 1945, 0.123)
    provenance = {"title": "UCDP/PRIO ACD", "version": "25.1", "vintage": "2024"}
    return [
        replace(e, coverage=coverage, provenance=provenance) if e.variable.name == "conflict" else e
        for e in build_codebook(None)
    ]


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "nl",
            [
                "# GBVS-codeboek",
                "| Variabele | Betekenis | Eenheid | Bron | Dekking |",
                "Drijver: `conflict_history`, richting +1.",
                "| 0/1 (nee/ja) |",
                "`ucdp_acd` (25.1; gegevens tot en met 2024)",
                "| 1946-2024, 1.945 eenheden, 12,3% ontbreekt |",
                "(gegevensopslag nog niet gebouwd)",
                "## Bronnen",
            ],
        ),
        (
            "en",
            [
                "# GBVS codebook",
                "| Variable | Meaning | Unit | Source | Coverage |",
                "Driver: `conflict_history`, direction +1.",
                "| 0/1 (no/yes) |",
                "`ucdp_acd` (25.1; data to 2024)",
                "| 1946-2024, 1,945 units, 12.3% missing |",
                "(store not built)",
                "## Sources",
            ],
        ),
    ],
)
def test_markdown_words_and_numbers_follow_the_language(lang: str, words: list[str]) -> None:
    from gbvs.cli.texts import translator

    text = render_markdown(_covered_entries(), lang, translator(lang))
    for word in words:
        assert word in text, word
    assert ("missing" in text) == (lang == "en") and ("ontbreekt" in text) == (lang == "nl")


@pytest.mark.parametrize(
    ("lang", "heading", "other"), [("nl", "Variabele", "Variable"), ("en", "Variable", "Variabele")]
)
def test_cli_codebook_markdown_follows_lang_dutch_by_default(
    run_cli: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, lang: str, heading: str, other: str
) -> None:
    monkeypatch.setenv("GBVS_STORE_PATH", str(tmp_path / "none.duckdb"))
    monkeypatch.delenv("GBVS_LANGUAGE", raising=False)
    args = ("codebook",) if lang == "nl" else ("codebook", "--lang", "en")
    result = run_cli(*args)
    assert result.exit_code == 0, result.stderr
    assert f"| {heading} |" in result.stdout and f"| {other} |" not in result.stdout
    written = tmp_path / "codebook.md"
    result = run_cli(*args, "--output", str(written))
    assert result.stdout.strip() == (
        f"codeboek geschreven naar {written}" if lang == "nl" else f"codebook written to {written}"
    )


def _unit_column(markdown: str) -> list[str]:
    """The Unit cells of the codebook's variable rows (the third column; ``\\|`` is a pipe inside a cell)."""
    import re

    return [
        re.split(r"(?<!\\)\|", line)[3].strip() for line in markdown.splitlines() if line.startswith("| `")
    ]


def test_cli_codebook_in_dutch_names_every_unit_in_dutch(
    run_cli: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Every unit of the codebook has a Dutch name in ``gbvs.drivers.units``: no English unit word (one not
    also used by a Dutch name, such as "per" or "Gini") is left in ``gbvs codebook --lang nl``."""
    import re

    from gbvs.drivers.units import UNIT_NAMES

    units = {e.variable.unit for e in build_codebook(None)}
    assert not sorted(units - set(UNIT_NAMES)), "add these units to gbvs/drivers/units.py"

    def words(texts: Any) -> set[str]:
        return {w.lower() for text in texts for w in re.findall(r"[A-Za-z]+", text)}

    english = words(units) | words(UNIT_NAMES.get(u, {"en": u})["en"] for u in units)
    english -= words(n["nl"] for n in UNIT_NAMES.values())
    monkeypatch.setenv("GBVS_STORE_PATH", str(tmp_path / "none.duckdb"))
    result = run_cli("codebook", "--lang", "nl")
    assert result.exit_code == 0, result.stderr
    cells = _unit_column(result.stdout)
    assert len(cells) == len(build_codebook(None))
    assert {cell: words([cell]) & english for cell in cells if words([cell]) & english} == {}


@pytest.mark.parametrize(("lang", "name"), [("nl", "Gleditsch-Ward-code"), ("en", "Gleditsch-Ward code")])
def test_the_code_unit_says_gleditsch_ward_code_as_every_code_column_is_one(
    run_cli: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, lang: str, name: str
) -> None:
    """Unit ``code`` is named for what all its columns hold (a Gleditsch-Ward state number, not an ISO
    country code); a column of another kind of code needs a unit of its own."""
    coded = {e.variable.name for e in build_codebook(None) if e.variable.unit == "code"}
    assert coded == {"gwcode"}, (
        "a column with unit 'code' that is no Gleditsch-Ward code: give it its own unit"
    )
    monkeypatch.setenv("GBVS_STORE_PATH", str(tmp_path / "none.duckdb"))
    result = run_cli("codebook", "--lang", lang)
    assert result.exit_code == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if line.startswith("| `gwcode` |")]
    assert rows and _unit_column("\n".join(rows)) == [name] * len(rows)
