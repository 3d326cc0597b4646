"""YAML as the opinion module's files mean it: only ``true`` and ``false`` are booleans (YAML 1.2).

PyYAML follows YAML 1.1, where ``NO`` (Norway's country code), ``yes``, ``on`` and ``off`` are booleans:
``filters: {country_id: NO}`` became the text ``'False'`` and filtered out every respondent.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

_BOOLEAN_TAG = "tag:yaml.org,2002:bool"
_YAML12_BOOLEAN = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")


class _Yaml12BooleansLoader(yaml.SafeLoader):
    """A safe loader whose implicit booleans are YAML 1.2's (``true``/``false`` only)."""


_Yaml12BooleansLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _BOOLEAN_TAG]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Yaml12BooleansLoader.add_implicit_resolver(_BOOLEAN_TAG, _YAML12_BOOLEAN, list("tTfF"))


def load_yaml(text: str) -> Any:
    """Parse ``text`` safely; ``NO``, ``yes``, ``on`` and ``off`` stay text. Raises ``yaml.YAMLError``,
    also for a value YAML reads but Python cannot hold (``opened_on: 2017-13-45``: no month 13), which
    PyYAML raises as a bare ``ValueError``."""
    try:
        return yaml.load(text, Loader=_Yaml12BooleansLoader)
    except yaml.YAMLError:
        raise
    except ValueError as exc:
        raise yaml.constructor.ConstructorError(
            problem=f"{exc}; write a date as YYYY-MM-DD, or quote the value to keep it as text"
        ) from None
