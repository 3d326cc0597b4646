"""The message catalogues of every interface (web pages, CLI, report), read from gettext ``.po`` files.

The ``.po`` catalogues under ``web/locale/<lang>/LC_MESSAGES/`` are compiled in memory with Babel when
they are loaded, so no binary ``.mo`` file has to be kept in step by hand. Each area of the interface may
keep its own file there (``messages.po`` for the common pages, ``signals.po`` for the signals register,
...); they are merged into one catalogue per language, and a message defined in two files is refused.
Here, below every layer, so the progress report can word a page's sentence without importing the web app.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Mapping
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from gbvs.errors import ConfigError
from gbvs.languages import LANGUAGES

LOCALE_DIR = Path(__file__).parent / "web" / "locale"
Catalogs = Mapping[str, gettext.GNUTranslations]


def load_catalogs(locale_dir: Path = LOCALE_DIR) -> dict[str, gettext.GNUTranslations]:
    """Compile every language's ``.po`` files into one translations object per language."""
    return {language: _compile(read_catalog(locale_dir, language)) for language in LANGUAGES}


def catalog_files(locale_dir: Path, language: str) -> list[Path]:
    """The ``.po`` files of one language: ``messages.po`` first, then the areas' files by name."""
    folder = locale_dir / language / "LC_MESSAGES"
    main = folder / "messages.po"
    if not main.is_file():
        raise ConfigError(f"message catalogue {str(main)!r} is missing; reinstall GBVS (pip install -e .)")
    return [main, *sorted(path for path in folder.glob("*.po") if path.name != "messages.po")]


def read_catalog(locale_dir: Path, language: str) -> Catalog:
    """One language's messages from all its ``.po`` files; a message defined twice is a ConfigError."""
    merged = Catalog(locale=language)
    defined_in: dict[str, str] = {}
    for path in catalog_files(locale_dir, language):
        with path.open("rb") as handle:
            part = read_po(handle)
        for message in part:
            if not message.id:
                continue
            key = message.id if isinstance(message.id, str) else message.id[0]
            if key in defined_in:
                raise ConfigError(
                    f"message {key!r} is defined in both {defined_in[key]} and {path.name} "
                    f"({language}); keep it in one file"
                )
            defined_in[key] = path.name
            merged[message.id] = message
    return merged


def _compile(catalog: Catalog) -> gettext.GNUTranslations:
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)
