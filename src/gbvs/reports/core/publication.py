"""Which items a public report may contain: TLP:CLEAR, or explicitly released by their owner.

A letter to parliament is public. Every item the report would show (a signal, a case, a reported
value, a contribution) passes :func:`decide`; what is left out goes to the *openbaarheidstoets*,
the list the coordinator sees and the report never contains.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

PUBLIC_TLP = "clear"


@dataclass(frozen=True)
class Item:
    """Something the report could show: its kind, id, title (for the coordinator) and marking."""

    kind: str
    id: str
    title: str
    tlp: str
    owner: str
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def ref(self) -> tuple[str, str]:
        """``(kind, id)``: how a release names the item."""
        return (self.kind, self.id)


@dataclass(frozen=True)
class LeftOut:
    """An item the report left out, and why (one row of the openbaarheidstoets): its marking and no
    release, or (``corrected_by``) a correction of it that is left out itself."""

    item: Item
    corrected_by: str | None = None
    """The id of the value that corrects this reported value and is not released (None: the item's own
    marking keeps it out)."""

    @property
    def reason(self) -> str:
        """Why it was left out, in English (the command line's openbaarheidstoets)."""
        if self.corrected_by is not None:
            return f"corrected by value {self.corrected_by}, which is not released"
        return f"TLP:{self.item.tlp.upper()}, not released by {self.item.owner} for publication"


def decide(item: Item, released: frozenset[tuple[str, str]]) -> bool:
    """Whether ``item`` may be published: TLP:CLEAR, or released by its owner."""
    return item.tlp == PUBLIC_TLP or item.ref in released


def split(items: Iterable[Item], released: frozenset[tuple[str, str]]) -> tuple[list[Item], list[LeftOut]]:
    """The items that may be published and the ones left out (with the reason)."""
    public: list[Item] = []
    left_out: list[LeftOut] = []
    for item in items:
        if decide(item, released):
            public.append(item)
        else:
            left_out.append(LeftOut(item))
    return public, left_out
