"""Admiralty code and estimative language come from the MISP taxonomies (pytaxonomies)."""

from __future__ import annotations

import pytest

from gbvs.errors import InputError
from gbvs.signals import vocabularies as vocab


def test_admiralty_code_is_a_to_f_and_1_to_6() -> None:
    assert [term.value for term in vocab.reliability_terms()] == list("abcdef")
    assert [term.value for term in vocab.credibility_terms()] == list("123456")
    reliability, credibility = vocab.admiralty_code("B2")
    assert reliability.en == "Usually reliable"
    assert credibility.nl == "Waarschijnlijk juist"


@pytest.mark.parametrize("code", ["G1", "A7", "B", "B22", "", "2B"])
def test_bad_admiralty_codes_are_refused_with_the_expected_form(code: str) -> None:
    with pytest.raises(InputError, match=r"Admiralty code|source reliability|information credibility"):
        vocab.admiralty_code(code)


def test_likelihoods_carry_the_taxonomys_probability_ranges_in_order() -> None:
    terms = vocab.likelihood_terms()
    assert terms[0].value == "almost-no-chance"
    assert [(term.low, term.high) for term in terms] == [
        (1, 5),
        (5, 20),
        (20, 45),
        (45, 55),
        (55, 80),
        (80, 95),
        (95, 99),
    ]


def test_dutch_wording_finds_the_likelihood() -> None:
    term = vocab.likelihood("zeer waarschijnlijk")
    assert (term.value, term.low, term.high) == ("very-likely", 80, 95)
    assert vocab.likelihood("Waarschijnlijk").value == "likely"


def test_unknown_wording_lists_the_choices() -> None:
    with pytest.raises(InputError, match=r"'misschien'.*very-likely \(Zeer waarschijnlijk\)"):
        vocab.likelihood("misschien")


def test_confidence_levels_and_version() -> None:
    assert [term.value for term in vocab.confidence_terms()] == ["low", "moderate", "high"]
    assert vocab.confidence("Hoog").value == "high"
    assert vocab.taxonomies_version().isdigit()


def test_a_tag_is_a_free_word_or_a_machine_tag_of_the_misp_taxonomies() -> None:
    """Tags were never checked: `misp:tool="x"` (no such taxonomy value) was stored, and so was
    `tlp:clear` on a TLP:AMBER signal, which its MISP export then carried beside tlp:amber."""
    from datetime import date

    from gbvs.signals.form import Vocabulary, parse_signal

    assert vocab.checked_tag(" verkiezingen ") == "verkiezingen"
    phishing = 'circl:incident-classification="phishing"'
    assert vocab.checked_tag(phishing) == phishing
    assert vocab.tag_label(phishing) == "Incident Classification: Phishing"
    known = Vocabulary(threats={1}, goals={1}, countries={"NLD"})
    fields = {"title": ["t"], "kind": ["other"], "tlp": ["amber"], "distribution": ["organisation"]}
    for tag, message in (
        ('misp:tool="x"', "is no machine tag of the MISP taxonomies"),
        ("tlp:clear", "the TLP marking is the signal's own field"),
        ('admiralty-scale:source-reliability="a"', "the Admiralty code is the signal's own fields"),
    ):
        parsed = parse_signal(fields | {"tags": [tag]}, owner="BZ", today=date(2024, 1, 1), known=known)
        assert [(e.field, message in e.message) for e in parsed.errors] == [("tags", True)], tag
    good = parse_signal(fields | {"tags": [phishing]}, owner="BZ", today=date(2024, 1, 1), known=known)
    assert good.draft is not None and good.draft.tags == (phishing,)
