"""The MISP export of signals: every distribution exports (a sharing group never widens)."""

from __future__ import annotations

import json
from dataclasses import replace
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


def test_a_signal_exports_its_techniques_as_galaxy_tags_and_its_own_tags() -> None:
    """The MISP export carried only the marking's tags: a signal's techniques and the MISP taxonomy
    tags the analyst gave it were lost on the way to a partner's MISP."""
    draft = replace(
        _draft(Distribution.all_organisations, Tlp.green),
        techniques=("T1566.001", "T0817"),
        tags=('circl:incident-classification="phishing"', "verkiezingen", "tlp:clear"),
    )
    event = MISPEvent()
    event.load(json.loads(misp_event("signal", [draft], on=date(2024, 5, 2))))
    tags = {tag.name for tag in next(a for a in event.attributes if a.type == "text").tags}
    assert 'misp-galaxy:mitre-attack-pattern="Spearphishing Attachment - T1566.001"' in tags
    assert 'gbvs:technique="T0817"' in tags  # ATT&CK for ICS: only the mirror knows it, no galaxy tag
    assert {'circl:incident-classification="phishing"', "verkiezingen"} <= tags
    assert "tlp:clear" not in tags and "tlp:green" in tags  # the marking's, never a contradicting tag
