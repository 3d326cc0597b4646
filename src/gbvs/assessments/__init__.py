"""Threat assessment in the style of the Dutch National Risk Assessment: the method as data and
the pure scoring maths (medians, weighted sums, ranks, sensitivity, the risk diagram).

Records (scenarios, scoring rounds, scores, dissent) live in :mod:`gbvs.db`, which calls this package.
"""

from __future__ import annotations

from gbvs.assessments.load import DEFAULT_METHOD, available_methods, load_method, load_method_from
from gbvs.assessments.model import (
    LIKELIHOOD,
    Method,
    ScenarioKind,
    Unconfirmed,
    subject_msgid,
    unconfirmed,
)

__all__ = [
    "DEFAULT_METHOD",
    "LIKELIHOOD",
    "Method",
    "ScenarioKind",
    "Unconfirmed",
    "available_methods",
    "load_method",
    "load_method_from",
    "subject_msgid",
    "unconfirmed",
]
