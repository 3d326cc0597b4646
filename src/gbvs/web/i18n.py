"""Interface languages: Dutch by default, English on request, messages from gettext catalogues.

The ``.po`` catalogues under ``locale/`` are compiled in memory with Babel when the app starts, so
no binary ``.mo`` file has to be kept in step by hand.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Mapping
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from gbvs.errors import ConfigError

LANGUAGES: tuple[str, ...] = ("nl", "en")
DEFAULT_LANGUAGE = "nl"
LOCALE_DIR = Path(__file__).parent / "locale"
COOKIE_NAME = "gbvs_lang"

Catalogs = Mapping[str, gettext.GNUTranslations]


def load_catalogs(locale_dir: Path = LOCALE_DIR) -> dict[str, gettext.GNUTranslations]:
    """Compile every language's ``messages.po`` into a translations object."""
    return {
        language: _compile(locale_dir / language / "LC_MESSAGES" / "messages.po") for language in LANGUAGES
    }


def _compile(po_path: Path) -> gettext.GNUTranslations:
    if not po_path.is_file():
        raise ConfigError(f"message catalogue {str(po_path)!r} is missing; reinstall GBVS (pip install -e .)")
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def pick_language(query_value: str | None, cookie_value: str | None, default: str) -> str:
    """The language of a request: ``?lang=`` wins over the cookie, which wins over the setting."""
    for candidate in (query_value, cookie_value, default):
        if candidate in LANGUAGES:
            return candidate
    return DEFAULT_LANGUAGE
