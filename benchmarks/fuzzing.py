"""What the fuzzers share: the bad values every input gets, and the test site's builders.

``fuzz_cli.py``, ``fuzz_pages.py`` (and ``fuzz_api.py`` for the builders) add what is particular to
their edge: a path that climbs out of the working folder, a parameter that looks like an option, markup.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

TESTS_WEB = Path(__file__).resolve().parents[1] / "tests" / "web"

BAD_VALUES: tuple[str, ...] = (
    "",
    " ",
    "0",
    "-1",
    "99999999999999999999",
    "-99999999999999999999",
    "1e309",
    "NaN",
    "ünïcødé ✓ 日本",
    "\x1b[31mred\x1b[0m\nforged line\r",
    "\t\x07\x08",
    "x" * 10_000,
    "' OR 1=1 --",
)
"""Empty, huge and impossible numbers, unicode, control characters, a long string, SQL."""


def test_site_helper(name: str) -> ModuleType:
    """A helper module of ``tests/web`` (``storebuilder``, ``forecastbuilder``): the small test site."""
    spec = importlib.util.spec_from_file_location(f"gbvs_fuzz_{name}", TESTS_WEB / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
