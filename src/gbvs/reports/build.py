"""Building a period's report: gather the recorded inputs, compute the content, hash, freeze, rebuild.

:func:`gather` reads the records, the store, the forecasts file and the signals register and applies
the publication rule (what is left out goes to the openbaarheidstoets, never into the inputs). The
content is :func:`gbvs.reports.core.outputs.compute` of those inputs, so a frozen snapshot is rebuilt
from its recorded inputs alone (:func:`rebuild`) and must give the same content hash.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from gbvs.config import Settings
from gbvs.reports import records, workflow
from gbvs.reports.context_reads import (
    consultation_theme_rows,
    driver_monitor_inputs,
    risk_inputs,
    watchlist_inputs,
)
from gbvs.reports.core import builtin
from gbvs.reports.core import opinion_indicators as opinion
from gbvs.reports.core.hashing import canonical_json, content_hash
from gbvs.reports.core.indicators import REGISTRY
from gbvs.reports.core.outputs import compute, context_of
from gbvs.reports.core.publication import Item, LeftOut, split
from gbvs.reports.process_reads import alert_responses, assessed_scenarios
from gbvs.reports.signal_reads import joint_rows, signal_items
from gbvs.reports.sources import LoadedData, load_data
from gbvs.security.principal import Principal
from gbvs.strategy import Strategy, load_strategy

TREND_YEARS_BEFORE = 4
"""The charts start this many years before the period (2018-2019: from 2014), to show the trend."""


def first_year(period_start: int, indicators: list[dict[str, Any]]) -> int:
    """The first year the indicators' series are read from: the trend's start, or the earliest baseline
    year when that lies before it (a later period's baseline of 2017 is computed, not shown as missing)."""
    baselines = [int(i["baseline_year"]) for i in indicators if i.get("baseline_year") is not None]
    return min([period_start - TREND_YEARS_BEFORE, *baselines])


@dataclass
class Built:
    """A built report: the snapshot (inputs and outputs), its hash and the openbaarheidstoets."""

    period: str
    snapshot: dict[str, Any]
    content_hash: str
    left_out: list[LeftOut] = field(default_factory=list)

    @property
    def outputs(self) -> dict[str, Any]:
        """The report's content."""
        return self.snapshot["outputs"]


def _goal_sets(strategy: Strategy) -> dict[str, list[int]]:
    def gw(iso3s: frozenset[str]) -> list[int]:
        return sorted(c.gwcode for c in strategy.countries if c.iso3 in iso3s)

    ring = frozenset(c.iso3 for c in strategy.countries_in_region("ring_around_europe"))
    return {builtin.GOAL1_FOCUS: gw(strategy.goal_iso3(strategy.goal(1))), builtin.RING: gw(ring)}


def _goals(strategy: Strategy) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    goals = [
        {
            "number": g.number,
            "pillar": g.pillar,
            "title": {"nl": g.title.nl, "en": g.title.en},
            "ref": g.ref.label(),
            "frameworks": [
                {"id": f, "nl": strategy.framework(f).name.nl, "en": strategy.framework(f).name.en}
                for f in g.frameworks
            ],
        }
        for g in strategy.goals
    ]
    pillars = [
        {"id": p.id, "number": p.number, "title": {"nl": p.title.nl, "en": p.title.en}}
        for p in strategy.pillars
    ]
    return goals, pillars


def _reported_items(values: list[Any], corrections: dict[int, dict[str, Any]]) -> list[Item]:
    return [
        Item(
            "reported_value",
            str(v.id),
            f"{v.indicator_key} {v.period}",
            v.tlp,
            v.organisation,
            extra={
                "id": v.id,
                "indicator_key": v.indicator_key,
                "period": v.period,
                "value": v.value,
                "measured_on": v.measured_on.isoformat(),
                "evidence": v.evidence,
                "organisation": v.organisation,
                "entered_by": v.entered_by,
                **({"correction": corrections[v.id]} if v.id in corrections else {}),
            },
        )
        for v in values
    ]


def _without_withheld_corrections(
    public: list[Item], left: list[LeftOut]
) -> tuple[list[Item], list[LeftOut]]:
    """A public value whose correction is left out (not released) is left out too: the report would
    otherwise show, as the year's value, the figure known to be wrong. The year then has no value,
    and the openbaarheidstoets says why."""
    withheld = {
        int(item.item.extra["correction"]["corrects"]): item.item.id
        for item in left
        if item.item.kind == "reported_value" and "correction" in item.item.extra
    }
    kept = [item for item in public if item.extra.get("id") not in withheld]
    dropped = [
        LeftOut(item, corrected_by=withheld[item.extra["id"]])
        for item in public
        if item.extra.get("id") in withheld
    ]
    return kept, left + dropped


def _previous(found: tuple[str, Any] | None) -> dict[str, Any] | None:
    """The figures of the previous frozen report: its period, hash and each indicator's period value."""
    if found is None:
        return None
    label, snapshot = found
    values = {
        ind["record"]["key"]: {
            "value": ind["assessment"]["value"],
            "period": ind["assessment"]["value_period"],
        }
        for goal in snapshot.outputs["goals"]
        for ind in goal["indicators"]
    }
    return {"label": label, "content_hash": snapshot.content_hash, "values": values}


def _contribution_items(rows: list[Any]) -> list[Item]:
    return [
        Item(
            "contribution",
            str(c.id),
            f"goal {c.goal}, {c.organisation} v{c.version}",
            c.tlp,
            c.organisation,
            extra={
                "goal": c.goal,
                "organisation": c.organisation,
                "version": c.version,
                "text": c.text,
                "author": c.author,
            },
        )
        for c in rows
    ]


def _joint_items(rows: list[dict[str, Any]]) -> list[Item]:
    return [
        Item("signal", str(r["signal_id"]), r["title"], r["tlp"], r["owner"], extra={"quarter": r["quarter"]})
        for r in rows
    ]


def gather(
    settings: Settings, session: Session, principal: Principal, label: str, *, data: LoadedData | None = None
) -> tuple[dict[str, Any], list[LeftOut]]:
    """The recorded inputs of period ``label`` (publishable items only) and the items left out."""
    start, end = records.parse_period(label)
    strategy = load_strategy()
    data = data if data is not None else load_data(settings)
    released = records.released(session, principal)
    corrections = records.value_corrections(session, principal)
    values = _reported_items(records.reported_values(session, principal), corrections)
    public_values, left_values = _without_withheld_corrections(*split(values, released))
    public_signals, left_signals = split(signal_items(session, principal, start, end), released)
    period_row = records.period(session, principal, label, create=True)
    previous = records.previous_snapshot(session, principal, period_row)
    texts = _contribution_items(workflow.current_contributions(session, principal, period_row.id))
    public_texts, left_texts = split(texts, released)
    joint = joint_rows(session, principal, start, end)
    public_joint, left_joint = split(_joint_items(joint), released)
    data.frames[builtin.JOINT] = [
        {"signal_id": int(i.id), "quarter": i.extra["quarter"]} for i in public_joint
    ]
    data.frames[builtin.RESPONSES] = alert_responses(settings, session, principal)  # counts only
    data.frames[builtin.SCENARIOS] = assessed_scenarios(session, principal)  # counts only
    data.frames[opinion.CONSULTATION_THEMES] = consultation_theme_rows(session, principal)  # counts only
    risk, left_scenarios = risk_inputs(session, principal, end, released)
    goals, pillars = _goals(strategy)
    indicators = [records.indicator_dict(r) for r in records.current_indicators(session, principal)]
    window = {"first_year": first_year(start.year, indicators), "last_year": end.year}
    base: dict[str, Any] = {
        "period": {
            "label": label,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "read_on": date.today().isoformat(),  # the registers were read then (an open period)
        },
        "window": window,
        "strategy": {"id": strategy.id},
        "gwcodes": _goal_sets(strategy),
        "goals": goals,
        "pillars": pillars,
    }
    ctx = context_of(base)
    inputs = {
        **base,
        "indicators": indicators,
        "actions": [records.action_dict(r) for r in records.current_actions(session, principal)],
        "reported_values": [i.extra for i in public_values],
        "rows": {
            d.id: d.extract(data.frames, ctx)
            for d in REGISTRY.values()
            if all(n in data.frames for n in d.needs)
        },
        "sources": data.sources,
        "backtest_run": data.backtest_run,
        "backtest_goals": data.backtest_goals,
        "contributions": [i.extra for i in public_texts],
        "previous": _previous(previous),
        "signals": [
            {"id": i.id, "title": i.title, "kind": i.extra["kind"], "day": i.extra["day"], "owner": i.owner}
            for i in public_signals
        ],
        "driver_monitor": driver_monitor_inputs(
            strategy, data.frames.get(builtin.PANEL), data.sources, start, end
        ),
        "watchlist": watchlist_inputs(settings, end, data.frames.get(builtin.PANEL)),
        "risk_diagram": risk,
    }
    recorded: dict[str, Any] = json.loads(canonical_json(inputs))
    left = [*left_values, *left_texts, *left_signals, *_unique(left_joint, left_signals), *left_scenarios]
    return recorded, left


def _unique(items: list[LeftOut], already: list[LeftOut]) -> list[LeftOut]:
    """``items`` without those in ``already`` and without repeats (a signal may be joint in two quarters)."""
    seen = {left.item.ref for left in already}
    kept = []
    for left in items:
        if left.item.ref not in seen:
            seen.add(left.item.ref)
            kept.append(left)
    return kept


def from_inputs(label: str, inputs: dict[str, Any], left_out: list[LeftOut] | None = None) -> Built:
    """The snapshot of ``inputs``: content computed from them and the hash of both."""
    outputs = json.loads(canonical_json(compute(inputs)))
    snapshot = {"inputs": inputs, "outputs": outputs}
    return Built(label, snapshot, content_hash(snapshot), left_out or [])


def build(settings: Settings, session: Session, principal: Principal, label: str, **kw: Any) -> Built:
    """Build period ``label`` from the current records and data (the period is created when new)."""
    records.period(session, principal, label, create=True)
    inputs, left_out = gather(settings, session, principal, label, **kw)
    return from_inputs(label, inputs, left_out)


def rebuild(snapshot_inputs: dict[str, Any], label: str) -> Built:
    """Recompute a frozen snapshot from its recorded inputs alone (with this version's code)."""
    return from_inputs(label, snapshot_inputs)


def as_frozen(label: str, inputs: dict[str, Any], outputs: dict[str, Any], stored_hash: str) -> Built:
    """A frozen snapshot as it was stored: its outputs as computed when it was frozen, and its hash.

    A published report keeps its figures, words and hash after GBVS is updated, even where a later
    version would compute the same inputs differently (:func:`rebuild` shows that)."""
    return Built(label, {"inputs": inputs, "outputs": outputs}, stored_hash)


def is_intact(inputs: dict[str, Any], outputs: dict[str, Any], stored_hash: str) -> bool:
    """Whether a stored snapshot still hashes to the hash stored with it (nothing altered since)."""
    return content_hash({"inputs": inputs, "outputs": outputs}) == stored_hash


def openbaarheidstoets(left_out: list[LeftOut]) -> list[dict[str, Any]]:
    """The items left out of the public report and why (for the coordinator only)."""
    return [
        {
            **{k: v for k, v in asdict(left.item).items() if k != "extra"},
            "reason": left.reason,
            "corrected_by": left.corrected_by,
            "indicator_key": left.item.extra.get("indicator_key"),
            "value_period": left.item.extra.get("period"),
        }
        for left in left_out
    ]
