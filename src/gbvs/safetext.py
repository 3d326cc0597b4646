"""Make untrusted text safe to print or log: control characters become visible escapes.

A username typed into the login form, a token sent by a stranger or a path in a request can carry
a newline, an ANSI escape sequence or a bidi override; printed as they are, they forge lines in a
table or hide text in a terminal (log injection). :func:`escape_controls` turns every such
character into a ``\\n`` / ``\\uXXXX`` escape, so what is printed is what was stored, one line per row.

Escaped: C0 controls (U+0000-U+001F) and DEL, C1 controls (U+0080-U+009F), the line and paragraph
separators U+2028/U+2029 and the bidirectional formatting characters (U+061C, U+200E/F,
U+202A-U+202E, U+2066-U+2069).

:func:`defuse_formula` does the same for spreadsheets: a CSV cell that begins with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return is run as a formula when Excel or LibreOffice opens the file
(CSV injection: an imported disinformation title ``=HYPERLINK(...)`` becomes a link in an analyst's
sheet). Such text gets a leading apostrophe, which spreadsheets show as text; numbers, and text that
reads as a number (``-3.5``), stay as they are.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f\u2028\u2029{_BIDI}]")


def escape_controls(text: str, keep: str = "") -> str:
    """``text`` with every control, separator and bidi character escaped, except those in ``keep``.

    >>> escape_controls("bob\\n2026-01-01 admin\\x1b[2K")
    'bob\\\\n2026-01-01 admin\\\\u001b[2K'
    >>> escape_controls("line one\\nline two", keep="\\n")
    'line one\\nline two'
    """
    return _UNSAFE.sub(lambda match: _escape(match.group(), keep), text)


def _escape(char: str, keep: str) -> str:
    if char in keep:
        return char
    return _SHORT.get(char) or f"\\u{ord(char):04x}"


def truncate(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, marked with an ellipsis when cut."""
    return text if len(text) <= limit else text[: max(0, limit - 1)] + "…"


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP's CSV injection list)."""

_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def defuse_formula(value: Any) -> Any:
    """``value`` for a spreadsheet cell: text a spreadsheet would run as a formula gets a leading ``'``.

    >>> defuse_formula("=1+1")
    "'=1+1"
    >>> defuse_formula("-3.5"), defuse_formula(-3.5), defuse_formula("Mali")
    ('-3.5', -3.5, 'Mali')
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def defused_row(row: Mapping[str, Any] | Sequence[Any]) -> Any:
    """A CSV row (a mapping or a sequence of cells) with :func:`defuse_formula` applied to each cell."""
    if isinstance(row, Mapping):
        return {key: defuse_formula(value) for key, value in row.items()}
    return [defuse_formula(value) for value in row]
