"""Need-to-know as a pure rule: roles never widen what a user sees."""

from __future__ import annotations

import pytest

from gbvs.signals.access import Audience, Reader, may_read
from gbvs.signals.markings import Distribution, Tlp

BZ = Reader("bz.analyst", "BZ", frozenset({"coordination"}))
POLICE = Reader("police.analyst", "POLITIE")
AIVD = Reader("aivd.analyst", "AIVD", frozenset({"cyber"}))


def _audience(tlp: Tlp, distribution: Distribution, **kwargs: object) -> Audience:
    return Audience("AIVD", "aivd.author", tlp, distribution, **kwargs)  # type: ignore[arg-type]


def test_own_organisation_sees_its_amber_strict_signal_others_do_not() -> None:
    audience = _audience(Tlp.amber_strict, Distribution.organisation)
    assert may_read(AIVD, audience)
    assert not may_read(BZ, audience)
    assert not may_read(POLICE, audience)


def test_sharing_group_members_see_what_is_shared_with_the_group() -> None:
    audience = _audience(Tlp.amber, Distribution.sharing_group, sharing_group="coordination")
    assert may_read(BZ, audience)
    assert not may_read(POLICE, audience)


def test_red_is_for_named_people_only_not_their_organisation() -> None:
    audience = _audience(Tlp.red, Distribution.organisation, red_recipients=frozenset({"bz.analyst"}))
    assert may_read(BZ, audience)
    assert not may_read(AIVD, audience), "TLP:RED does not open to the owner's colleagues"
    assert may_read(Reader("aivd.author", "AIVD"), audience), "the author keeps access"


@pytest.mark.parametrize("distribution", [Distribution.all_organisations, Distribution.public])
def test_wide_distribution_reaches_every_organisation(distribution: Distribution) -> None:
    tlp = Tlp.clear if distribution is Distribution.public else Tlp.green
    audience = _audience(tlp, distribution)
    assert all(may_read(reader, audience) for reader in (BZ, POLICE, AIVD))


def test_a_reader_without_organisation_sees_only_public_signals() -> None:
    outsider = Reader("local", None)
    assert may_read(outsider, _audience(Tlp.clear, Distribution.public))
    assert not may_read(outsider, _audience(Tlp.green, Distribution.all_organisations))


def _decided(reader: Reader, audience: Audience) -> bool:
    """The rule as the decisions it was written as before it became audiences (the reference)."""
    if reader.username == audience.author:
        return True
    if audience.tlp is Tlp.red:
        return reader.username in audience.red_recipients
    if audience.distribution is Distribution.public:
        return True
    if reader.organisation is None:
        return False
    if reader.organisation == audience.owner_organisation:
        return True
    if audience.distribution is Distribution.sharing_group:
        return audience.sharing_group in reader.sharing_groups
    return audience.distribution is Distribution.all_organisations


def test_the_rule_as_audiences_decides_as_the_rule_as_decisions_for_every_combination() -> None:
    """Every reader (own or other organisation, none; in the group or not; author, recipient or not)
    against every marking, distribution, group and recipient list."""
    readers = [
        Reader(name, organisation, groups)
        for name in ("aivd.author", "bz.analyst", "other")
        for organisation in ("AIVD", "BZ", None)
        for groups in (frozenset(), frozenset({"coordination"}))
        if organisation is not None or not groups
    ]
    audiences = [
        Audience("AIVD", author, tlp, distribution, group, recipients)
        for author in ("aivd.author", "")
        for tlp in Tlp
        for distribution in Distribution
        for group in (None, "coordination", "cyber")
        for recipients in (frozenset(), frozenset({"bz.analyst"}))
    ]
    decided = [(reader, audience) for reader in readers for audience in audiences]
    assert all(may_read(r, a) == _decided(r, a) for r, a in decided)
    assert sum(may_read(r, a) for r, a in decided) not in (0, len(decided))
