"""Every interface message is in the Dutch catalogue (and the English one), so nothing shows untranslated."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

WEB = Path(__file__).resolve().parents[2] / "src" / "gbvs" / "web"
METHODS = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
KEYWORDS = {"_": None, "N_": None, "t": None, "gettext": None}


def _extracted() -> set[str]:
    found = extract_from_dir(str(WEB), METHODS, keywords=KEYWORDS, options_map={})
    return {
        message
        for _file, _line, message, _comments, _context in found
        if isinstance(message, str) and message
    }


def _catalogue(lang: str) -> dict[str, str]:
    with (WEB / "locale" / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return {m.id: m.string for m in read_po(handle) if m.id}


def test_every_message_has_a_dutch_translation() -> None:
    dutch = _catalogue("nl")
    missing = sorted(m for m in _extracted() if not dutch.get(m))
    assert not missing, f"add these to locale/nl/LC_MESSAGES/messages.po: {missing}"


def test_the_english_catalogue_lists_every_message() -> None:
    english = _catalogue("en")
    assert not sorted(m for m in _extracted() if m not in english)


def test_placeholders_survive_translation() -> None:
    for source, translated in _catalogue("nl").items():
        for name in (
            "%(n)s",
            "%(country)s",
            "%(year)s",
            "%(years)s",
            "%(total)s",
            "%(threshold)s",
            "%(jump)s",
        ):
            assert (name in source) == (name in translated), source
