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


def may_read(reader: Reader, audience: Audience) -> bool:
    """Whether ``reader`` may see a signal with ``audience``: TLP:RED only names, else distribution."""
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
