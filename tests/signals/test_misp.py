"""The MISP export of signals: every distribution exports (a sharing group never widens)."""

from __future__ import annotations

import json
from datetime import date

from pymisp import MISPEvent

from gbvs.signals.markings import Distribution, Tlp
from gbvs.signals.misp import misp_event
from gbvs.signals.model import SignalDraft, SignalKind


def _draft(distribution: Distribution, tlp: Tlp, group: str | None = None) -> SignalDraft:
    return SignalDraft(
        title=f"{distribution.value} signal",
        kind=SignalKind.disinformation,
        observed_on=None,
        reported_on=date(2024, 5, 1),
        owner_organisation="BZ",
        tlp=tlp,
        distribution=distribution,
        sharing_group=group,
        target_countries=("NLD",),
    )


def test_a_sharing_group_signal_exports_as_own_organisation_with_the_group_named() -> None:
    drafts = [
        _draft(Distribution.sharing_group, Tlp.green, "coordinatie"),
        _draft(Distribution.all_organisations, Tlp.green),
    ]
    text = misp_event("case", drafts, on=date(2024, 5, 2))  # raised NewAttributeError before
    event = MISPEvent()
    event.load(json.loads(text))
    grouped = next(a for a in event.attributes if a.value.startswith("sharing_group"))
    assert grouped.distribution == 0
    assert 'gbvs:sharing-group="coordinatie"' in {tag.name for tag in grouped.tags}
    assert event.distribution == 0
