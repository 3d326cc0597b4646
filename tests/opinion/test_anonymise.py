"""Quotes lose names, contact details, postcodes, IBANs, handles and addresses; ordinary words and
numbers stay."""

from __future__ import annotations

import pytest

from gbvs.opinion.anonymise import REDACTED, anonymise


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("J. de Vries schreef dit", "J. de Vries"),
        ("Volgens De Vries klopt het", "De Vries"),
        ("Vries zei het al", "Vries"),
        ("Jan vindt het goed", "Jan"),
        ("JAN DE VRIES was er", "JAN DE VRIES"),
    ],
)
def test_each_part_of_the_name_is_removed(text: str, secret: str) -> None:
    cleaned = anonymise(text, ["Jan de Vries"])
    assert secret not in cleaned and REDACTED in cleaned


def test_a_name_is_removed_only_as_whole_words() -> None:
    text = "In januari zei Janssen uit Jansdorp dat de Vriesland-boot vertrok"
    assert anonymise(text, ["Jan de Vries"]) == text


@pytest.mark.parametrize(
    "secret",
    [
        "2511 cv",
        "2514AB",
        "NL91 ABNA 0417 1643 00",
        "NL91ABNA0417164300",
        "+31 6 12345678",
        "070 123 4567",
        "06-12345678",
        "@janvdv",
        "Laan van Meerdervoort 12",
        "Van Goghstraat 12a",
        "Lange Voorhout 9",
    ],
)
def test_contact_details_and_addresses_are_removed_whole(secret: str) -> None:
    cleaned = anonymise(f"Zie {secret} voor meer.")
    assert cleaned == f"Zie {REDACTED} voor meer."


def test_plain_numbers_years_and_ordinary_words_stay() -> None:
    text = "Het budget is 1.234.567 euro in 2017-2019; in 2019 en 2020 ging 12,5% naar de markt 3 keer."
    assert anonymise(text) == text
