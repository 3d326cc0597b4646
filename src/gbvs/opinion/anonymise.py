"""Quotes fit to publish: only from respondents who consented, with contact details and names removed."""

from __future__ import annotations

import re
from collections.abc import Iterable

REDACTED = "[…]"
_PATTERNS = (
    re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"),  # e-mail addresses
    re.compile(r"(https?://|www\.)\S+", re.IGNORECASE),  # web addresses
    re.compile(r"(\+|00)?\d[\d\s().-]{7,}\d"),  # telephone numbers
    re.compile(r"\b\d{4}\s?[A-Z]{2}\b"),  # Dutch postcodes
)


def anonymise(text: str, names: Iterable[str] = ()) -> str:
    """``text`` with e-mail and web addresses, phone numbers, postcodes and the given names replaced."""
    for pattern in _PATTERNS:
        text = pattern.sub(REDACTED, text)
    for name in sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True):
        text = re.sub(re.escape(name), REDACTED, text, flags=re.IGNORECASE)
    return text


def quotable(consented: bool, text: str, names: Iterable[str] = ()) -> str | None:
    """The anonymised quote, or None when the respondent did not consent to publication."""
    return anonymise(text, names) if consented else None
