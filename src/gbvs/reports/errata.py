"""Known faults in frozen snapshots: figures a later GBVS computes otherwise, said beside the report.

A frozen snapshot is never changed (its content hash covers its inputs and outputs) and carries no
version of the code that froze it, so a fault is recognised from what the snapshot itself recorded.
The pages say so; the snapshot, its hash and its exported files stay as they were published.

- ``poll-n-was-count``: before commit 21b4199 ("n is the base everywhere") the trust-in-parliament
  rows recorded as ``n`` the respondents who trust parliament (2005: 515), not the wave's base
  (2005: 1,001); those rows have no ``count``, which every later version records beside ``n``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

TRUST_INDICATOR = "goal8_trust_parliament"


@dataclass(frozen=True)
class Erratum:
    """A known fault of the version that froze a snapshot, the indicator it touches, and the words."""

    key: str
    indicator: str
    nl: str
    en: str

    def text(self, language: str) -> str:
        """The note in ``language``."""
        return self.en if language == "en" else self.nl


POLL_N_WAS_COUNT = Erratum(
    "poll-n-was-count",
    TRUST_INDICATOR,
    "Deze momentopname is bevroren voordat GBVS de n van peilingen corrigeerde: bij het vertrouwen in het "
    "nationale parlement staat als n het aantal respondenten dat het parlement vertrouwt, niet de basis "
    "van de meting (2005: 515 in plaats van 1.001). De percentages zijn juist. De bevroren cijfers blijven "
    "zoals ze zijn gepubliceerd (ze zijn gehasht); een nieuwe momentopname geeft de basis als n.",
    "This snapshot was frozen before GBVS corrected the n of polls: for trust in the national parliament, "
    "n is the number of respondents who trust parliament, not the wave's base (2005: 515 instead of "
    "1,001). The percentages are right. The frozen figures stay as published (they are hashed); a new "
    "snapshot gives the base as n.",
)


def errata(inputs: Mapping[str, Any]) -> list[Erratum]:
    """The known faults of a frozen snapshot, recognised from its recorded ``inputs``."""
    rows = (inputs.get("rows") or {}).get(TRUST_INDICATOR) or []
    if any("count" not in row for row in rows):
        return [POLL_N_WAS_COUNT]
    return []
