"""Comparing what a user typed with stored text: case and accents ignored ("syrie" finds "Syrië")."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """``text`` for comparing: case and accents ignored, outer spaces removed."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def contains(query: str, *texts: str | None) -> bool:
    """Whether any of ``texts`` contains ``query`` (folded); an empty query matches everything."""
    wanted = fold(query)
    return not wanted or any(wanted in fold(text) for text in texts if text)
