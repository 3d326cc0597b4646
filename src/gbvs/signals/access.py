"""Need-to-know: who may read a signal, as a pure rule.

The database layer writes this same rule as a SQL filter (so lists, counts and exports never
fetch what the reader may not see); its tests compare that filter with :func:`may_read` over
every combination. Roles play no part here: a role says what a user may *do*, never what they
may *see* (separation of duties: the admin reads no more signals than their organisation may).
"""

from __future__ import annotations

from dataclasses import dataclass

from gbvs.signals.markings import Distribution, Tlp


@dataclass(frozen=True)
class Reader:
    """Who is reading: their account, organisation and the sharing groups that organisation is in.

    ``organisation`` is None for a user outside any organisation (and for the local single user):
    they see only public signals and what is addressed to them by name.
    """

    username: str
    organisation: str | None
    sharing_groups: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Audience:
    """What a signal's markings say about who may read it."""

    owner_organisation: str
    author: str
    tlp: Tlp
    distribution: Distribution
    sharing_group: str | None = None
    red_recipients: frozenset[str] = frozenset()


AudienceKey = tuple[str, str]
"""One audience a signal is shared with: ``(kind, who)``, kind one of :data:`AUDIENCE_KINDS`."""

AUDIENCE_KINDS = ("public", "all_organisations", "organisation", "sharing_group", "user")
PUBLIC: AudienceKey = ("public", "")
ALL_ORGANISATIONS: AudienceKey = ("all_organisations", "")


def audience_keys(audience: Audience) -> frozenset[AudienceKey]:
    """The audiences a signal is shared with: its author and, on TLP:RED, only the named recipients;
    else its owner organisation and what the distribution adds (everyone, every organisation, a group)."""
    if audience.tlp is Tlp.red:
        return frozenset(("user", name) for name in (audience.author, *audience.red_recipients) if name)
    keys: set[AudienceKey] = {("user", audience.author)} if audience.author else set()
    keys.add(("organisation", audience.owner_organisation))
    if audience.distribution is Distribution.public:
        keys.add(PUBLIC)
    elif audience.distribution is Distribution.all_organisations:
        keys.add(ALL_ORGANISATIONS)
    elif audience.distribution is Distribution.sharing_group and audience.sharing_group is not None:
        keys.add(("sharing_group", audience.sharing_group))
    return frozenset(keys)


def reader_keys(reader: Reader) -> frozenset[AudienceKey]:
    """The audiences ``reader`` belongs to: everyone, themselves by name and, in an organisation, every
    organisation, their own and its sharing groups."""
    keys = {PUBLIC}
    if reader.username:
        keys.add(("user", reader.username))
    if reader.organisation is not None:
        keys |= {ALL_ORGANISATIONS, ("organisation", reader.organisation)}
        keys |= {("sharing_group", group) for group in reader.sharing_groups}
    return frozenset(keys)


def may_read(reader: Reader, audience: Audience) -> bool:
    """Whether ``reader`` may see a signal with ``audience``: they share an audience with it.

    Written as audiences so the search index can hold each signal under its audiences and a search
    read only the reader's (:mod:`gbvs.db.signal_search`); the SQL filter agrees (its tests)."""
    return not reader_keys(reader).isdisjoint(audience_keys(audience))
