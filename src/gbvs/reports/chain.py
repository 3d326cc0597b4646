"""The results chain GBVS ships (``data/results_chain.yaml``) and the words of its indicators.

An indicator row keeps its Dutch unit (the report's first language); the English one is read here
from the shipped definition, so the English report does not fall back to Dutch.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from typing import Any

import yaml

from gbvs.reports.core.indicators import REGISTRY


@cache
def shipped_entries() -> tuple[dict[str, Any], ...]:
    """The indicators of ``data/results_chain.yaml``, as written there."""
    text = files("gbvs.reports").joinpath("data/results_chain.yaml").read_text(encoding="utf-8")
    return tuple(yaml.safe_load(text)["indicators"])


@cache
def shipped_units() -> dict[str, Mapping[str, str]]:
    """Indicator key -> its unit in Dutch and English (computed: the definition's; reported: the file's)."""
    return {
        entry["key"]: REGISTRY[entry["definition"]].unit if entry["method"] == "computed" else entry["unit"]
        for entry in shipped_entries()
    }


def unit_in(indicator: Mapping[str, Any], lang: str) -> str:
    """The unit of a stored indicator in ``lang``: the shipped translation of its Dutch unit, else stored."""
    stored = str(indicator.get("unit") or "")
    shipped = shipped_units().get(str(indicator.get("key")))
    if lang == "nl" or shipped is None or shipped.get("nl") != stored:
        return stored
    return shipped.get(lang, stored)
