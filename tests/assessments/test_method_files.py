"""The method files load and validate; a broken file is refused naming file, entry, value and fix."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from gbvs.assessments import available_methods, load_method, load_method_from, unconfirmed
from gbvs.assessments.load import METHODS_ROOT
from gbvs.errors import MethodError

NRB_FILE = METHODS_ROOT / "nrb-2009" / "method.yaml"


def test_the_nrb_method_encodes_the_confirmed_structure() -> None:
    method = load_method("nrb_2009")
    assert method.criterion_ids() == ("1.1", "1.2", "2.1", "2.2", "2.3", "3.1", "4.1", "5.1", "5.2", "5.3")
    assert [interest.id for interest in method.interests] == [
        "territorial_security",
        "physical_security",
        "economic_security",
        "ecological_security",
        "social_political_stability",
    ]
    assert method.impact_scale.codes() == ("X", "A", "B", "C", "D", "E")
    assert method.likelihood_scale("hazard").id != method.likelihood_scale("threat").id
    assert method.aggregation.method == "weighted_sum"


def test_every_unconfirmed_value_is_marked_with_where_to_check_it() -> None:
    marked = {item.entry: item.check_against for item in unconfirmed(load_method("nrb_2009"))}
    assert "method.impact_scale" in marked  # class boundaries and values [U]
    assert "method.weight_sets[equal_criteria]" in marked  # weight sets [U]
    assert "method.likelihood_scales[nrb_likelihood_threat]" in marked
    assert "method.criteria[2.1]" not in marked  # 'Doden' is confirmed [C]
    assert all(source.strip() for source in marked.values())


def test_a_plain_5x5_matrix_loads_through_the_same_model() -> None:
    assert set(available_methods()) == {"nrb_2009", "uk_nrr_5x5"}
    method = load_method("uk_nrr_5x5")
    assert method.criterion_ids() == ("impact",)
    assert method.likelihood_scale("hazard") is method.likelihood_scale("threat")
    assert method.impact_scale.values() == (1, 2, 3, 4, 5)


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    copy = tmp_path / "nrb" / "method.yaml"
    copy.parent.mkdir()
    shutil.copy(NRB_FILE, copy)
    return copy


def _refusal(path: Path, old: str, new: str) -> str:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(MethodError) as caught:
        load_method_from(path)
    message = str(caught.value)
    assert str(path) in message
    return message


def test_a_criterion_under_an_unknown_interest_is_refused(broken: Path) -> None:
    message = _refusal(
        broken,
        "interest: territorial_security\n      name: {nl: Aantasting van de integriteit van het grondgebied",
        "interest: territory\n      name: {nl: Aantasting van de integriteit van het grondgebied",
    )
    assert "entry criteria[1.1].interest: value 'territory': no interest with this id" in message
    assert "fix: use one of" in message and "'physical_security'" in message


def test_needs_review_without_a_source_to_check_is_refused(broken: Path) -> None:
    message = _refusal(
        broken, "      check_against: \"W-formats, section 'Impactcriterium 5.1' (the Dutch wording)\"\n", ""
    )
    assert "entry method.criteria[7]" in message
    assert "check_against is empty" in message
    assert "fix: add check_against" in message


def test_a_weight_set_missing_a_criterion_is_refused(broken: Path) -> None:
    message = _refusal(broken, '{"1.1": 1, "1.2": 1,', '{"1.1": 1,')
    assert "entry weight_sets[equal_criteria].weights" in message
    assert "'missing': ['1.2']" in message
    assert "fix: add the missing criteria" in message


def test_a_yaml_syntax_error_names_the_line(broken: Path) -> None:
    message = _refusal(broken, "  aggregation:\n", "  aggregation: [\n")
    assert "YAML syntax error" in message and "entry line " in message


def test_a_misspelt_field_is_refused(broken: Path) -> None:
    message = _refusal(
        broken, "  aggregation:\n    method: weighted_sum", "  aggregation:\n    metod: weighted_sum"
    )
    assert "entry method.aggregation.metod" in message
    assert "fix: remove 'metod' or correct its spelling" in message


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(MethodError, match=r"does not exist; give a file named method\.yaml"):
        load_method_from(tmp_path / "method.yaml")


def test_an_impossible_date_names_the_fix_not_utf_8(tmp_path: Path) -> None:
    """PyYAML's bare ValueError for ``2017-13-45`` was told to "save it as UTF-8"."""
    (tmp_path / "method.yaml").write_text("method:\n  adopted_on: 2017-13-45\n", encoding="utf-8")
    with pytest.raises(
        MethodError, match=r"month must be in 1\.\.12\); write a date as YYYY-MM-DD"
    ) as raised:
        load_method_from(tmp_path / "method.yaml")
    assert "UTF-8" not in str(raised.value)


def test_the_readme_lists_every_unconfirmed_record() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for method_id in available_methods():
        for item in unconfirmed(load_method(method_id)):
            record = re.sub(r"\.classes\[[^\]]+\]$", "", item.entry.removeprefix("method."))
            assert f"`{record}`" in readme, (
                f"README.md: list {item.entry} of {method_id} under 'Unconfirmed values'"
            )


def test_the_report_of_a_broken_method_file_reads_in_dutch_on_the_command_line(broken: Path) -> None:
    from gbvs.cli.main import failure

    _refusal(broken, '{"1.1": 1, "1.2": 1,', '{"1.1": 1,')
    with pytest.raises(MethodError) as caught:
        load_method_from(broken)
    lines = failure(caught.value, "nl").splitlines()
    assert lines[0] == f"fout: het methodebestand {broken} is ongeldig (1 probleem/problemen):"
    assert lines[1].startswith(
        "  - method.yaml: onderdeel weight_sets[equal_criteria].weights: waarde {'missing'"
    )
    assert lines[1].endswith(
        ": een gewichtenset moet elk criterium een gewicht geven, en niets anders; oplossing: voeg de "
        "ontbrekende criteria toe en verwijder de onbekende"
    )
    assert failure(caught.value, "en").splitlines()[0] == (
        f"error: the method file {broken} is invalid (1 problem(s)):"
    )


def test_a_field_error_of_a_method_file_gives_its_fix_in_dutch(broken: Path) -> None:
    from gbvs.cli.main import failure

    _refusal(broken, "  aggregation:\n    method: weighted_sum", "  aggregation:\n    metod: weighted_sum")
    with pytest.raises(MethodError) as caught:
        load_method_from(broken)
    assert "oplossing: verwijder 'metod' of verbeter de spelling" in failure(caught.value, "nl")


def test_the_field_reasons_of_a_broken_method_file_read_in_dutch(broken: Path) -> None:
    """pydantic's reasons (a pattern, a validator's own refusal) were English inside the Dutch report; they
    come from the API's table of reasons (gbvs.fieldreasons) and the validator's words."""
    from gbvs.cli.main import failure

    _refusal(
        broken, "      check_against: \"W-formats, section 'Impactcriterium 5.1' (the Dutch wording)\"\n", ""
    )
    text = broken.read_text(encoding="utf-8").replace("  id: nrb_2009", "  id: NRB-2009", 1)
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(MethodError) as caught:
        load_method_from(broken)
    dutch = failure(caught.value, "nl")
    assert "waarde 'NRB-2009': verwacht een tekst volgens het patroon '^[a-z][a-z0-9_]*$'" in dutch
    assert "needs_review staat aan maar check_against is leeg; noem de bron" in dutch
    assert "String should match" not in dutch and "check_against is empty" not in dutch
    english = str(caught.value)
    assert "value 'NRB-2009': String should match pattern '^[a-z][a-z0-9_]*$'" in english


@pytest.mark.parametrize(
    ("lang", "reason"),
    [
        ("nl", "verwacht een reeks van minstens 1 element, niet 0"),
        ("en", "Tuple should have at least 1 item after validation, not 0"),
    ],
)
def test_a_tuple_too_short_reads_in_the_readers_language(broken: Path, lang: str, reason: str) -> None:
    """pydantic's "Tuple should have ..." (a list of sources is a tuple in the model) stayed English in the
    Dutch report: the table of reasons had words for lists only."""
    from gbvs.cli.main import failure

    _refusal(broken, "sources: [SNV2007, L2008]", "sources: []")
    with pytest.raises(MethodError) as caught:
        load_method_from(broken)
    said = failure(caught.value, lang)
    assert reason in said
    assert ("Tuple should" in said) is (lang == "en")
