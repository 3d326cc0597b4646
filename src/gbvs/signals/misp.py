"""A MISP event for a signal or a case, built with ``pymisp`` (pure: returns the event's JSON).

Mapping: the event's ``info`` is the title; tags carry TLP, the Admiralty code and the estimative
language as MISP machine tags (the same taxonomies the register uses), each technique as its MISP
galaxy tag (``gbvs:technique="T0817"`` for an id only the mirror knows) and the signal's own tags
(a ``tlp:`` or ``admiralty-scale:`` tag stored before the form refused them is left out: the
marking's own tags say it); each signal becomes a
set of attributes: a ``text`` attribute with its title and description, ``link``
attributes for its references and ``comment`` attributes naming its owner organisation and source and
the actor and target countries; the export's own provenance (who exported it when, from which register
and version, under whose need-to-know) is one more ``comment`` of the event.
MISP distribution: own organisation 0, all organisations 2 (connected communities), public 3.
A GBVS sharing group has no id in the receiving MISP (whose distribution 4 needs one), so such a
signal goes out as "your organisation only" (0, never wider than GBVS shared it) with a
``gbvs:sharing-group="<name>"`` tag naming the group.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from pymisp import MISPEvent

from gbvs.signals.markings import Distribution, Tlp
from gbvs.signals.model import SignalDraft
from gbvs.signals.techniques import galaxy_tags
from gbvs.signals.vocabularies import MARKING_TAXONOMIES

MISP_DISTRIBUTION = {
    Distribution.organisation: 0,
    Distribution.all_organisations: 2,
    Distribution.public: 3,
    Distribution.sharing_group: 0,  # see the module docstring: no MISP sharing-group id to give
}


def _tags(draft: SignalDraft) -> list[str]:
    tags = [
        f"tlp:{draft.tlp.value}",
        f'admiralty-scale:source-reliability="{draft.reliability}"',
        f'admiralty-scale:information-credibility="{draft.credibility}"',
    ]
    if draft.sharing_group:
        tags.append(f'gbvs:sharing-group="{draft.sharing_group}"')
    galaxy = galaxy_tags()
    tags += [galaxy.get(technique, f'gbvs:technique="{technique}"') for technique in draft.techniques]
    tags += [tag for tag in draft.tags if tag.split(":", 1)[0] not in MARKING_TAXONOMIES]
    return tags


def misp_event(
    title: str, drafts: Sequence[SignalDraft], *, on: date, about: Sequence[tuple[str, object]] = ()
) -> str:
    """The MISP event JSON for ``drafts`` under ``title`` (a case, or one signal); ``about``, the
    export's provenance lines (name, value), as one ``comment`` attribute of the event."""
    event = MISPEvent()
    event.info = title
    event.date = on
    level = max((draft.tlp for draft in drafts), key=lambda tlp: tlp.rank, default=Tlp.clear)
    widest = min(
        (MISP_DISTRIBUTION[draft.distribution] for draft in drafts),
        default=MISP_DISTRIBUTION[Distribution.organisation],
    )
    event.distribution = widest
    event.analysis = 1
    event.threat_level_id = 4
    event.add_tag(f"tlp:{level.value}")
    if about:
        lines = "\n".join(f"{name}: {value}" for name, value in about)
        event.add_attribute("comment", lines, category="Other", distribution=widest)
    for draft in drafts:
        _add_signal(event, draft)
    json_text: str = event.to_json()
    return json_text


def _add_signal(event: MISPEvent, draft: SignalDraft) -> None:
    distribution = MISP_DISTRIBUTION[draft.distribution]
    text = draft.title + (f"\n\n{draft.description}" if draft.description else "")
    added = event.add_attribute("text", text, category="Other", distribution=distribution)
    for attribute in added if isinstance(added, list) else [added]:
        for tag in _tags(draft):
            attribute.add_tag(tag)
    origin = [f"owner organisation: {draft.owner_organisation}"]
    origin += [f"source: {draft.source}"] if draft.source else []
    event.add_attribute("comment", "; ".join(origin), category="Other", distribution=distribution)
    for reference in draft.references:
        event.add_attribute("link", reference.url, category="External analysis", distribution=distribution)
    for role, codes in (("actor", draft.actor_countries), ("target", draft.target_countries)):
        if codes:
            event.add_attribute(
                "comment",
                f"{role} countries: {', '.join(codes)}",
                category="Other",
                distribution=distribution,
            )
