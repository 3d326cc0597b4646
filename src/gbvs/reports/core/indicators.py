"""Computed indicators as a registry of named, reviewable definitions (pure: frames in, points out).

A :class:`Definition` says in words what it counts (``definition``, nl and en), which named inputs it
needs (``needs``: keys of the frames the report service loads, e.g. ``"panel_country_year"``) and
two pure functions:

- ``extract(frames, context)``: the JSON rows it reads (kept in the snapshot as its recorded input);
- ``compute(rows, context)``: the :class:`Point` values from those rows.

So a frozen snapshot can be recomputed from its recorded rows alone. Other areas add their own
definitions with :func:`register` (threat assessments: "scenarios assessed"; early action: "alerts
acted upon within N weeks") once their records are on main; :data:`REGISTRY` is the one list.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from gbvs.languages import Lang

Rows = list[dict[str, Any]]


Words = dict[str, Any]
"""A text the renderer writes in the report's language (see :func:`words`)."""
Note = str | list[Words]
"""A point's note: a text as entered (a ministry's evidence), or words joined with ``; ``."""


def words(label: str, **values: Any) -> Words:
    """The entry ``label`` of the report's ``labels.yaml`` with ``values`` filled in when rendered, in the
    report's language: numbers in its notation (see :func:`fixed`), ``{"nl": .., "en": ..}`` in its
    language, other words in turn; strings as they are (years, model versions, run ids)."""
    return {"label": label, "values": values}


def counted(label: str, count: int, **values: Any) -> Words:
    """Like :func:`words`, in the plural form of ``count`` (``{count}`` in the text): the entries
    ``<label>_one`` and ``<label>_other`` of ``labels.yaml`` ("van 1 waarschuwing", "van 2
    waarschuwingen")."""
    return {"label": label, "count": count, "values": {"count": count, **values}}


def fixed(value: float, decimals: int) -> dict[str, Any]:
    """A number to be written with exactly ``decimals`` decimals (an interval: ``51,3``)."""
    return {"number": value, "decimals": decimals}


def model_run(model_version: Any, training_cutoff: Any) -> Words:
    """The words "model <version>, training cutoff <year>" (none: a rolling backtest, per forecast year)."""
    cutoff = words("rolling_origin") if training_cutoff is None else str(training_cutoff)
    return words("note_model_run", model=str(model_version), cutoff=cutoff)


@dataclass(frozen=True)
class Point:
    """One value of an indicator: the period it is for (``"2019"``, ``"2019-Q2"``) and the value."""

    period: str
    value: float | None
    note: Note = ""


@dataclass(frozen=True)
class Context:
    """What a definition may know besides its rows: the strategy's places and the years wanted."""

    first_year: int
    last_year: int
    gwcodes: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    """Named country sets (``"goal1_focus"``, ``"ring_around_europe"``) as Gleditsch-Ward codes."""
    read_on: str | None = None
    """The day the registers were read (ISO; an open period's build), None when not recorded."""

    def years(self) -> range:
        """The years of the window."""
        return range(self.first_year, self.last_year + 1)

    def not_begun(self, year: int, quarter: int | None = None) -> Words | None:
        """The note of a year (or one of its quarters) that had not begun when the registers were read:
        an open period's future has no data yet, which is not a count of zero. None when it had begun,
        or when the day of reading is not recorded (a snapshot frozen before it was)."""
        first = date(year, 3 * (quarter or 1) - 2, 1)
        if self.read_on is None or first <= date.fromisoformat(self.read_on[:10]):
            return None
        label = "note_year_not_begun" if quarter is None else "note_quarter_not_begun"
        return words(label, read_on=self.read_on[:10])


@dataclass(frozen=True)
class Definition:
    """A computed indicator: what it measures, from which inputs, and how."""

    id: str
    goal: int
    level: Literal["output", "outcome"]
    name: Mapping[str, str]
    unit: Mapping[str, str]
    direction: Literal["up", "down"]
    definition: Mapping[str, str]
    needs: tuple[str, ...]
    frequency: Literal["year", "quarter", "run"]
    extract: Callable[[Mapping[str, Any], Context], Rows]
    compute: Callable[[Rows, Context], list[Point]]
    cites: tuple[str, ...] = ()
    """The store tables its footnotes name (empty: every table the inputs recorded)."""
    provenance: Callable[[Rows], list[dict[str, Any]]] | None = None
    """Footnotes read from its own rows (a forecast run's model version and training cutoff)."""
    neutral: bool = False
    """A context figure: its change is shown but never called better or worse."""
    caveats: Callable[[Rows, Context], list[Words]] | None = None
    """What the indicator's row must say about its rows in the window (a poll wave that is not
    comparable with the others); nothing when it returns no words."""

    def text(self, field_name: str, lang: Lang) -> str:
        """``name``, ``unit`` or ``definition`` in ``lang``."""
        value: Mapping[str, str] = getattr(self, field_name)
        return value[lang]


def bilingual(nl: str, en: str) -> dict[str, str]:
    """A text in Dutch and English."""
    return {"nl": nl, "en": en}


REGISTRY: dict[str, Definition] = {}
"""Every computed indicator, by id (filled by :func:`register`)."""


def register(definition: Definition) -> Definition:
    """Add ``definition`` to :data:`REGISTRY`; a second definition with the same id is refused."""
    if definition.id in REGISTRY:
        raise ValueError(f"computed indicator {definition.id!r} is defined twice; give it another id")
    REGISTRY[definition.id] = definition
    return definition


def definition(indicator_id: str) -> Definition:
    """The definition ``indicator_id``; KeyError naming the known ids."""
    if indicator_id not in REGISTRY:
        raise KeyError(f"no computed indicator {indicator_id!r}; known: {', '.join(sorted(REGISTRY))}")
    return REGISTRY[indicator_id]
