"""Every interface message is in the Dutch catalogue (and the English one), so nothing shows untranslated."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.messages.extract import extract_from_dir

from gbvs.web.i18n import read_catalog

WEB = Path(__file__).resolve().parents[2] / "src" / "gbvs" / "web"
METHODS = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
KEYWORDS = {"_": None, "N_": None, "t": None, "gettext": None, "ngettext": (1, 2)}

Message = str | tuple[str, ...]
"""A message id, or (singular, plural) for one with plural forms (``ngettext``)."""


def _extracted() -> set[Message]:
    found = extract_from_dir(str(WEB), METHODS, keywords=KEYWORDS, options_map={})
    return {
        message
        for _file, _line, message, _comments, _context in found
        if message and (isinstance(message, str) or all(message))
    } | _said()


def _said() -> set[Message]:
    """The words of the errors pages show (``gbvs.errors.said``), and the messages marked ``N_`` (such as
    pydantic's sentences in ``gbvs.fieldreasons``), anywhere in the package."""
    keywords = {"said": None, "N_": None}
    found = extract_from_dir(str(WEB.parent), [("**.py", "python")], keywords=keywords, options_map={})
    return {message for _file, _line, message, _comments, _context in found if isinstance(message, str)}


def test_the_extraction_finds_the_words_of_errors() -> None:
    """An error's words are messages too: the authorization layer's refusal is one of them."""
    assert any(message.startswith("user %(user)s lacks permission") for message in _said())


def _catalogue(lang: str) -> dict[Message, Message]:
    return {m.id: m.string for m in read_catalog(WEB / "locale", lang) if m.id}


def _translated(string: Message | None) -> bool:
    """A translation, every plural form of one too (an English plural entry spells its forms out,
    since an empty form would show as an empty text)."""
    return bool(string) and (isinstance(string, str) or all(string))


def test_every_message_has_a_dutch_translation() -> None:
    dutch = _catalogue("nl")
    missing = sorted((m for m in _extracted() if not _translated(dutch.get(m))), key=str)
    assert not missing, f"add these to a .po file in locale/nl/LC_MESSAGES/: {missing}"


def test_the_english_catalogue_lists_every_message() -> None:
    english = _catalogue("en")
    assert not sorted((m for m in _extracted() if m not in english), key=str)
    plural = [(m, s) for m, s in english.items() if isinstance(m, tuple)]
    assert plural and all(_translated(s) for _m, s in plural)


def test_a_plural_message_takes_the_form_of_its_count(client: Any) -> None:
    """ "1 voorspelling", not "1 voorspellingen" (the country page's past forecasts of the test store)."""
    html = client.get("/landen/SYR").text
    assert "(1 voorspelling)" in html and "(1 voorspellingen)" not in html


def test_placeholders_survive_translation() -> None:
    for source, translated in _catalogue("nl").items():
        source, translated = str(source), str(translated)
        for name in (
            "%(n)s",
            "%(country)s",
            "%(year)s",
            "%(years)s",
            "%(total)s",
            "%(threshold)s",
            "%(jump)s",
            "%(points)s",
        ):
            assert (name in source) == (name in translated), source


def test_a_message_defined_in_two_area_files_is_refused(tmp_path: Path) -> None:
    import pytest

    from gbvs.errors import ConfigError
    from gbvs.web.i18n import load_catalogs

    for lang in ("nl", "en"):
        folder = tmp_path / lang / "LC_MESSAGES"
        folder.mkdir(parents=True)
        (folder / "messages.po").write_text('msgid "Land"\nmsgstr "Land"\n', encoding="utf-8")
        (folder / "signals.po").write_text('msgid "Signaal"\nmsgstr "Signal"\n', encoding="utf-8")
    assert load_catalogs(tmp_path)["en"].gettext("Signaal") == "Signal"
    extra = tmp_path / "en" / "LC_MESSAGES" / "extra.po"
    extra.write_text('msgid "Land"\nmsgstr "Country"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"defined in both messages\.po and extra\.po"):
        load_catalogs(tmp_path)


def test_every_model_card_text_has_a_dutch_translation() -> None:
    """The model card's words live in ``forecasting/modelcard.py`` and ``forecasting/goals.py`` (shared
    with /modelprestaties), outside what the extraction reads."""
    from gbvs.forecasting.goals import (
        BLOCK_EXPLANATION,
        COMPARISON_NOTE,
        DIFFERENCE,
        INTERVAL_EXPLANATIONS,
        LEAVE_OUT_VERDICTS,
        LEFT_OUT_WORDS,
        REST_EXPLANATION,
        SAMPLING_NAMES,
    )
    from gbvs.forecasting.modelcard import (
        COMPARISON_HEADING,
        GOAL_COLUMNS,
        GOALS_HEADING,
        HORIZONS,
        LIMITS,
        MODELS,
        REST_COLUMNS,
    )

    texts = {HORIZONS, *LIMITS, *(p for paragraphs in MODELS.values() for p in paragraphs)}
    texts |= {GOALS_HEADING, *GOAL_COLUMNS, DIFFERENCE, *INTERVAL_EXPLANATIONS.values()}
    texts |= set(SAMPLING_NAMES.values())
    texts |= {
        COMPARISON_HEADING,
        COMPARISON_NOTE,
        BLOCK_EXPLANATION,
        *REST_COLUMNS,
        REST_EXPLANATION,
        *LEAVE_OUT_VERDICTS.values(),
        *LEFT_OUT_WORDS.values(),
    }
    dutch = _catalogue("nl")
    missing = sorted(t[:80] for t in texts if not dutch.get(t))
    assert not missing, f"add these model-card texts to locale/nl/LC_MESSAGES/modelcard.po: {missing}"
    english = _catalogue("en")
    assert not sorted(t[:80] for t in texts if t not in english)


def test_counts_in_captions_take_their_plural_form(client: Any) -> None:
    """No "(s)" left where a count is known: "1 year ahead", "4 countries"."""
    html = client.get("/aandachtslijst?lang=en").text
    assert "1 year ahead" in html and "year(s)" not in html
    assert " countries</caption>" in html or " countries:" in html


def test_onset_has_one_dutch_name() -> None:
    """Onset is 'uitbraak' on every page (the watchlist's view once said 'nieuw conflict')."""
    onset = {m: s for m, s in _catalogue("nl").items() if isinstance(m, str) and "onset" in m.lower()}
    assert onset
    assert not [m for m, s in onset.items() if "uitbraak" not in str(s).lower()], "say 'uitbraak' for onset"


def test_every_reason_of_a_refused_value_has_dutch_and_english_words() -> None:
    """pydantic's reasons (:mod:`gbvs.fieldreasons`, shared by the API and the method-file report) live
    outside the web package the extraction reads."""
    from gbvs.fieldreasons import REASONS

    reasons = [*REASONS.values(), *(reason.otherwise for reason in REASONS.values() if reason.otherwise)]
    texts = {text for reason in reasons for text in (reason.message, reason.one) if text}
    dutch, english = _catalogue("nl"), _catalogue("en")
    assert not sorted(t for t in texts if not dutch.get(t) or dutch.get(t) == t)
    assert not sorted(t for t in texts if t not in english)
