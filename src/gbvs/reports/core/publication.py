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
    """An item the report left out, and why (one row of the openbaarheidstoets)."""

    item: Item
    reason: str


def decide(item: Item, released: frozenset[tuple[str, str]]) -> str | None:
    """None when ``item`` may be published, else the reason it may not."""
    if item.tlp == PUBLIC_TLP:
        return None
    if item.ref in released:
        return None
    return f"TLP:{item.tlp.upper()}, not released by {item.owner} for publication"


def split(items: Iterable[Item], released: frozenset[tuple[str, str]]) -> tuple[list[Item], list[LeftOut]]:
    """The items that may be published and the ones left out (with the reason)."""
    public: list[Item] = []
    left_out: list[LeftOut] = []
    for item in items:
        reason = decide(item, released)
        if reason is None:
            public.append(item)
        else:
            left_out.append(LeftOut(item, reason))
    return public, left_out
