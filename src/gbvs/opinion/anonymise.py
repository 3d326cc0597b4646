"""Quotes fit to publish: only from respondents who consented, with contact details and names removed.

Removed: e-mail and web addresses, IBANs, telephone numbers (Dutch and international), Dutch postcodes
(upper or lower case), social-media handles (``@name``), street names with a house number, and the
respondent's name: in full, the surname (with or without initials, ``J. de Vries``), its last part
and the given name, each only as a whole word (``Jan`` never touches ``januari`` or ``Janssen``).
Plain numbers and years (``1.234.567``, ``2017-2019``) stay.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

REDACTED = "[…]"
_STREET_SUFFIXES = (
    "straat|laan|weg|plein|gracht|kade|singel|dijk|pad|hof|steeg|dreef|park|markt|boulevard|plantsoen|"
    "burgwal|haven|wal|kanaal|baan|dam|veld|erf|hage|hout|voorhout"
)
_STREET_PREFIXES = (
    "Van|De|Den|Der|Het|van|de|den|der|het|ter|ten|Lange|Korte|Oude|Nieuwe|Hoge|Lage|Grote|Kleine|"
    "Sint|Prins|Prinses|Koning|Koningin|Burgemeester|Graaf|Jan|Willem"
)
"""Words that open a street name before its last word (Lange Voorhout, Van Goghstraat)."""
_STREET_FIRST = "Laan|Plein|Kade|Singel|Gracht|Weg|Dreef|Hof|Burgwal|Straat|Dijk|Markt"
_HOUSE_NUMBER = r"\d{1,5}(?:\s?[a-zA-Z]\b|-\d+)?"
_PATTERNS = (
    re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"),  # e-mail addresses (before handles)
    re.compile(r"(https?://|www\.)\S+", re.IGNORECASE),  # web addresses
    re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,3})?\b", re.IGNORECASE),  # IBANs
    re.compile(r"(?<![\w+])(?:\+|00)\d{1,3}[\s.-]?(?:\(0\)[\s.-]?)?\d(?:[\s.-]?\d){6,11}(?!\w)"),  # +31 6 ...
    re.compile(r"(?<![\w.,])0\d(?:[\s.-]?\d){7,8}(?![\w])"),  # Dutch numbers: 06-12345678, 070 123 4567
    re.compile(r"(?<![\w@])@\w{2,}"),  # handles: @janvdv
    re.compile(  # a street with its house number: Lange Voorhout 9, Van Goghstraat 12a
        rf"\b(?:(?:{_STREET_PREFIXES})\s+){{0,3}}[A-Z][\w'-]*(?:{_STREET_SUFFIXES})\s+{_HOUSE_NUMBER}"
    ),
    re.compile(  # a street named after its kind: Laan van Meerdervoort 12, Plein 1813 3
        rf"\b(?:{_STREET_FIRST})\s+(?:[a-z']+\s+){{0,3}}[A-Z\d][\w'-]*\s+{_HOUSE_NUMBER}"
    ),
)
_POSTCODE = re.compile(r"\b[1-9]\d{3}\s?([A-Za-z]{2})\b")
_COMMON_TWO_LETTER_WORDS = (
    "de en in op is na om te of al nu nr ik zo ca km kg cm mm ha jr ml mg vs pp "
    "at an as be by he it me my no on or so to up us we"
)
_NOT_POSTCODE_LETTERS = frozenset(_COMMON_TWO_LETTER_WORDS.split())
"""Two-letter words after a number in ordinary text (``in 2019 en ...``): not a postcode in lower case."""


def _postcode(match: re.Match[str]) -> str:
    letters = match.group(1)
    return match.group(0) if letters.islower() and letters in _NOT_POSTCODE_LETTERS else REDACTED


def _whole_word(text: str) -> str:
    """``text`` as a regular expression matching it only as whole words (any spacing between them)."""
    return r"(?<!\w)" + r"\s+".join(re.escape(part) for part in text.split()) + r"(?!\w)"


def name_patterns(name: str) -> list[str]:
    """The ways a name is written: in full, the surname with optional initials (``J. de Vries``), the
    surname's last part (``Vries``) and the given name (``Jan``); longest first."""
    parts = name.split()
    if not parts:
        return []
    initials = r"(?:(?<!\w)[A-Z]\.?\s*)*"
    patterns = [_whole_word(name)]
    if len(parts) > 1:
        surname = " ".join(parts[1:])
        patterns.append(initials + _whole_word(surname))
        if len(parts) > 2 and len(parts[-1]) > 1:
            patterns.append(initials + _whole_word(parts[-1]))
    if len(parts[0]) > 1:
        patterns.append(_whole_word(parts[0]))
    return patterns


def anonymise(text: str, names: Iterable[str] = ()) -> str:
    """``text`` with contact details, postcodes, handles, addresses and the given names removed."""
    for pattern in _PATTERNS:
        text = pattern.sub(REDACTED, text)
    text = _POSTCODE.sub(_postcode, text)
    for name in sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True):
        for written in name_patterns(name):
            text = re.sub(written, REDACTED, text, flags=re.IGNORECASE)
    return text


def quotable(consented: bool, text: str, names: Iterable[str] = ()) -> str | None:
    """The anonymised quote, or None when the respondent did not consent to publication."""
    return anonymise(text, names) if consented else None
