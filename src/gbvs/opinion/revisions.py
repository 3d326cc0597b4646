"""Which of a coder's judgements still count after the codebook was revised (pure; see docs/opinion.md).

A coding is made under one codebook version and judges every theme in use then: applied (1) or not
(0). Each theme is its own 0/1 variable (alpha is computed per theme), so a revision touches only the
judgements it changes the meaning of:

- *add* or *reword* a theme: the theme's definition holds from the new version on (``defined_in``);
  a coding made under an earlier version was not a judgement against it and does not count for it;
- *merge* A into B: B now means "A or B", so an earlier coding's A counts as B (nothing to re-code); B's
  definition holds from the later of the two themes' ``defined_in``;
- *retire* R: a coding that applied R must be re-coded (with R gone its coder might have chosen other
  themes), and counts for no theme until then; a coding that did not apply R keeps counting.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class ThemeState:
    """A theme's place in the codebook's history."""

    code: str
    parent: str | None
    defined_in: int = 1
    retired_in: int | None = None
    merged_into: str | None = None

    @property
    def in_use(self) -> bool:
        """Whether coders may apply the theme now."""
        return self.retired_in is None


@dataclass(frozen=True)
class Judgement:
    """What a coding says under the codebook in force: the themes it judges and those it applies."""

    judged: frozenset[str]
    applied: frozenset[str]
    stale: bool
    """True when the coding applied a theme retired since and must be re-coded."""


def resolved(code: str, themes: Mapping[str, ThemeState]) -> str | None:
    """The theme in use that ``code`` now counts as (following merges), or None when it was retired."""
    seen: set[str] = set()
    while (state := themes[code]).merged_into is not None and code not in seen:
        seen.add(code)
        code = state.merged_into
    return code if themes[code].in_use else None


def ancestors(code: str, themes: Mapping[str, ThemeState]) -> tuple[str, ...]:
    """``code`` and its parents up to the top theme."""
    found: list[str] = []
    current: str | None = code
    while current is not None and current not in found:
        found.append(current)
        current = themes[current].parent
    return tuple(found)


def judgement(version: int, codes: Iterable[str], themes: Mapping[str, ThemeState]) -> Judgement:
    """What a coding made under ``version`` that applied ``codes`` says about the themes in use now.

    A parent theme applies when one of its children does."""
    targets = [resolved(code, themes) for code in codes]
    if any(target is None for target in targets):
        return Judgement(frozenset(), frozenset(), stale=True)
    judged = frozenset(s.code for s in themes.values() if s.in_use and s.defined_in <= version)
    applied = {parent for target in targets if target for parent in ancestors(target, themes)}
    return Judgement(judged, frozenset(applied & judged), stale=False)


def needs_recoding(version: int, codes: Iterable[str], themes: Mapping[str, ThemeState]) -> bool:
    """Whether a coding misses a judgement the current codebook asks: a theme it applied was retired,
    or a theme in use was added or reworded after it was made."""
    found = judgement(version, codes, themes)
    return found.stale or any(s.in_use and s.defined_in > version for s in themes.values())


LINK_KINDS = ("trends", "threats", "goals")
"""What a theme links to in the strategy (trend ids, threat and goal numbers; they live in gbvs.strategy)."""


def merged_links(
    target: str,
    target_links: Mapping[str, Iterable[object]],
    merged: str,
    links: Mapping[str, Iterable[object]],
) -> tuple[dict[str, list[object]], list[dict[str, object]]]:
    """The links of ``target`` once ``merged`` (with ``links``) is merged into it, and where each came from.

    ``target`` now means "``target`` or ``merged``", so it links to everything either linked to: per kind
    the union (``target``'s own first, in their order). The second value lists every link with the
    themes it came from (``{"kind": "goals", "link": 6, "from": ["Q1.2", "Q1.9"]}``) for the history."""
    union: dict[str, list[object]] = {}
    sources: list[dict[str, object]] = []
    for kind in LINK_KINDS:
        own, other = list(target_links.get(kind, ())), list(links.get(kind, ()))
        union[kind] = own + [link for link in other if link not in own]
        for link in union[kind]:
            came_from = [code for code, found in ((target, own), (merged, other)) if link in found]
            sources.append({"kind": kind, "link": link, "from": came_from})
    return union, sources
