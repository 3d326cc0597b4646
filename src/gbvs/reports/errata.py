"""What is said beside a frozen report, never written into it: known faults of the version that froze
it (figures a later GBVS computes otherwise) and values corrected after it was published.

A frozen snapshot is never changed (its content hash covers its inputs and outputs) and carries no
version of the code that froze it, so a fault is recognised from what the snapshot itself recorded.
The pages, the API and the files written from the report say so in a part of their own; the snapshot
and its hash stay as they were published.

- ``poll-n-was-count``: before commit 21b4199 ("n is the base everywhere") the trust-in-parliament
  rows recorded as ``n`` the respondents who trust parliament (2005: 515), not the wave's base
  (2005: 1,001); those rows have no ``count``, which every later version records beside ``n``.
- ``accounts-in-report``: before commit c48ff8b ("no user account names in the public report") the
  outputs kept the accounts that entered or edited an item (``author``, ``entered_by``, ``created_by``
  on indicators, actions and contributions) and the footnote of a reported value named its account
  ("aangeleverd door BZ (mina)"); later outputs hold none of these (:data:`ACCOUNT_FIELDS`).
- ``alerts-no-data-before-run``: before commit 13a1b72 the alerts indicator recorded its alerts only,
  without the forecast runs (rows without ``kind``), and said "geen waarschuwingen" for every year
  without an alert, also for years before the first forecast run, which have no data. Later snapshots
  record the runs (rows with ``kind``) and say "geen gegevens" for those years; one without any run
  says "geen gegevens" too, so "geen waarschuwingen" beside rows without ``kind`` is the old version's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from gbvs.reports.core.builtin import ALERTS_ACTED_ON
from gbvs.reports.core.outputs import ACCOUNT_FIELDS

TRUST_INDICATOR = "goal8_trust_parliament"
ALERTS_INDICATOR = ALERTS_ACTED_ON.id
NO_ALERTS = "note_no_alerts"
"""The words (labels.yaml) the alerts indicator writes for a year without alerts."""


@dataclass(frozen=True)
class Erratum:
    """A known fault of the version that froze a snapshot, the indicator it touches, and the words."""

    key: str
    indicator: str | None
    """The indicator it touches (None: the report as a whole)."""
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


ACCOUNTS_IN_REPORT = Erratum(
    "accounts-in-report",
    None,
    "Deze momentopname is bevroren voordat GBVS gebruikersaccounts uit het openbare rapport weerde: bij de "
    "indicatoren, acties en bijdragen, en in de voetnoten bij aangeleverde waarden ('aangeleverd door BZ "
    "(naam)'), staat ook het account dat ze invoerde of wijzigde. Een nieuwe momentopname noemt alleen het "
    "ministerie of de organisatie. De bevroren inhoud blijft zoals die is gepubliceerd (die is gehasht); "
    "verspreid het rapport niet opnieuw zonder het eerst te vervangen.",
    "This snapshot was frozen before GBVS kept user accounts out of the public report: the indicators, "
    "actions and contributions, and the footnotes of reported values ('reported by BZ (name)'), also name "
    "the account that entered or edited them. A new snapshot names only the ministry or organisation. The "
    "frozen content stays as published (it is hashed); do not distribute the report again without "
    "replacing it first.",
)
ALERTS_NO_DATA_BEFORE_RUN = Erratum(
    "alerts-no-data-before-run",
    ALERTS_INDICATOR,
    "Deze momentopname is bevroren voordat GBVS bij deze indicator de voorspellingsruns vastlegde: een jaar "
    "met 'geen waarschuwingen' kan een jaar zijn vóór de eerste voorspellingsrun van de aandachtslijst. "
    "Over zo'n jaar zijn geen gegevens; dat is iets anders dan nul waarschuwingen. Een nieuwe momentopname "
    "zegt dan 'geen gegevens' en noemt de runs in de voetnoten. De bevroren cijfers blijven zoals ze zijn "
    "gepubliceerd (ze zijn gehasht).",
    "This snapshot was frozen before GBVS recorded the forecast runs for this indicator: a year with 'no "
    "alerts' may be a year before the watchlist's first forecast run. Such a year has no data, which is "
    "not the same as zero alerts. A new snapshot says 'no data' there and names the runs in the "
    "footnotes. The frozen figures stay as published (they are hashed).",
)


def errata(snapshot: Mapping[str, Any]) -> list[Erratum]:
    """The known faults of a frozen snapshot (its ``inputs`` and ``outputs``), recognised from what it
    recorded."""
    inputs, outputs = snapshot.get("inputs") or {}, snapshot.get("outputs") or {}
    found = []
    rows = (inputs.get("rows") or {}).get(TRUST_INDICATOR) or []
    if any("count" not in row for row in rows):
        found.append(POLL_N_WAS_COUNT)
    if _names_accounts(outputs):
        found.append(ACCOUNTS_IN_REPORT)
    if _no_alerts_before_runs(inputs, outputs):
        found.append(ALERTS_NO_DATA_BEFORE_RUN)
    return found


def _indicators(outputs: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [ind for goal in outputs.get("goals") or [] for ind in goal.get("indicators") or []]


def _names_accounts(outputs: Mapping[str, Any]) -> bool:
    """Whether the public outputs name a user account: a field of :data:`ACCOUNT_FIELDS` on an
    indicator, action or contribution, or the account of a reported value's footnote."""
    items = [ind.get("record") or {} for ind in _indicators(outputs)]
    for goal in outputs.get("goals") or []:
        items += [*(goal.get("actions") or []), *(goal.get("contributions") or [])]
    if any(field in item for item in items for field in ACCOUNT_FIELDS):
        return True
    sources = [note.get("source") for ind in _indicators(outputs) for note in ind.get("footnotes") or []]
    return any(isinstance(words, Mapping) and "user" in (words.get("values") or {}) for words in sources)


def _no_alerts_before_runs(inputs: Mapping[str, Any], outputs: Mapping[str, Any]) -> bool:
    """Whether the alerts indicator says "geen waarschuwingen" for a year while its rows record no
    forecast run (rows of the version before the runs were recorded: none has a ``kind``)."""
    rows = (inputs.get("rows") or {}).get(ALERTS_INDICATOR)
    if rows is None or any("kind" in row for row in rows):
        return False
    points = [
        point
        for ind in _indicators(outputs)
        if (ind.get("record") or {}).get("key") == ALERTS_INDICATOR
        for point in ind.get("points") or []
    ]
    return any(_says(point.get("note"), NO_ALERTS) for point in points)


def _says(note: Any, label: str) -> bool:
    """Whether a point's note (words, or a list of them) holds the words ``label``."""
    notes = note if isinstance(note, list) else [note]
    return any(isinstance(words, Mapping) and words.get("label") == label for words in notes)


@dataclass(frozen=True)
class Correction:
    """A reported value the frozen report shows that was corrected after it was frozen: the figure as
    published and the value in force now (None while that value is not public: not TLP:CLEAR and not
    released), the day the value in force was recorded, its ministry and the reason it gave."""

    indicator: str
    name: Mapping[str, str]
    """The indicator's name as the report gives it, per language (``nl``, ``en``)."""
    period: str
    value_id: int
    """The id of the value the report shows."""
    published: float
    value: float | None
    corrected_on: str
    organisation: str
    reason: str | None

    def name_in(self, language: str) -> str:
        """The indicator's name in ``language`` (its Dutch name when it has no English one)."""
        return self.name.get(language) or self.name["nl"]


@dataclass(frozen=True)
class Postscript:
    """Everything said beside a frozen report (empty for an open one, which is built anew)."""

    corrections: list[Correction] = field(default_factory=list)
    faults: list[Erratum] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.corrections or self.faults)
