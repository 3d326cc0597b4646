"""From a snapshot's recorded inputs to the report's content (pure; the same inputs give the same output).

``inputs`` is plain JSON (see :func:`gbvs.reports.build.gather`): the period and its window, the
goals and pillars, the indicator and action versions, the public reported values, the rows each
computed definition extracted, the sources with their versions and vintages, the backtest run, the
public signals. :func:`compute` returns the content the templates render.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import asdict
from typing import Any

from gbvs.reports.core import builtin, context
from gbvs.reports.core import displacement_indicators as displacement
from gbvs.reports.core.indicators import REGISTRY, Context, Note, Point, words
from gbvs.reports.core.reported import period_problem, value_problem
from gbvs.reports.core.trend import assess, value_at

SOURCE_NEEDS = (builtin.PANEL, displacement.DISPLACEMENT_PANEL)
"""Inputs read from store tables: their footnotes name the tables' source, version and vintage."""
NEUTRAL = "neutral"
NOT_DELIVERED = "not_delivered"
SOURCE_MISSING = "source_missing"


def context_of(inputs: dict[str, Any]) -> Context:
    """The computation context recorded in ``inputs``."""
    window = inputs["window"]
    gwcodes = {name: tuple(codes) for name, codes in inputs["gwcodes"].items()}
    read_on = inputs["period"].get("read_on")
    return Context(window["first_year"], window["last_year"], gwcodes, read_on)


def period_years(inputs: dict[str, Any]) -> tuple[str, ...]:
    """The years of the reporting period as strings (``("2018", "2019")``)."""
    period = inputs["period"]
    return tuple(str(y) for y in range(int(period["start"][:4]), int(period["end"][:4]) + 1))


def footnotes(
    needs: tuple[str, ...], inputs: dict[str, Any], cites: tuple[str, ...] = ()
) -> list[dict[str, Any]]:
    """Source, version and vintage (and model version and training cutoff for forecasts) of ``needs``."""
    notes: list[dict[str, Any]] = []
    if any(need in needs for need in SOURCE_NEEDS):
        notes += [
            {"source": s["title"], "table": s["table"], "version": s["version"], "vintage": s["vintage"]}
            for s in inputs["sources"]
            if not cites or s["table"] in cites
        ]
    run = inputs.get("backtest_run")
    if builtin.BACKTEST in needs and run:
        notes.append(backtest_footnote(run))
    if builtin.JOINT in needs:
        notes.append(signals_footnote("assessment", inputs["period"]))
    return notes


def backtest_footnote(run: dict[str, Any]) -> dict[str, Any]:
    """The footnote of a stored backtest run: its id, data vintage, model version and training cutoff."""
    return {
        "source": words("source_backtest"),
        "table": "backtest_reports",
        "version": run.get("run_id"),
        "vintage": run.get("data_vintage"),
        "model_version": run.get("model_version"),
        "training_cutoff": run.get("training_cutoff"),
    }


def signals_footnote(table: str, period: dict[str, Any]) -> dict[str, Any]:
    """The footnote of what the signals register's ``table`` held at the period's end, or on the day it
    was read when that came first (a report of an open period gives no vintage in the future)."""
    vintage = min(str(period["end"]), str(period.get("read_on") or period["end"]))
    return {"source": words("source_signals"), "table": table, "version": "–", "vintage": vintage}


def _computed(record: dict[str, Any], inputs: dict[str, Any], ctx: Context) -> dict[str, Any]:
    spec = REGISTRY.get(record.get("definition") or "")
    if spec is None:
        return {"status": SOURCE_MISSING, "points": [], "footnotes": [], "definition": {}}
    rows = inputs["rows"].get(spec.id)
    if rows is None:
        return {"status": SOURCE_MISSING, "points": [], "footnotes": [], "definition": dict(spec.definition)}
    points = spec.compute(rows, ctx)
    own = spec.provenance(rows) if spec.provenance else []
    body = {
        "status": "computed",
        "points": points,
        "footnotes": footnotes(spec.needs, inputs, spec.cites) + own,
        "definition": dict(spec.definition),
        "frequency": spec.frequency,
    }
    caveats = spec.caveats(rows, ctx) if spec.caveats else []
    if caveats:  # only then: a snapshot whose rows record no caveat rebuilds to the outputs it froze
        body["caveats"] = caveats
    return body


def _reported(record: dict[str, Any], inputs: dict[str, Any]) -> dict[str, Any]:
    """The values a ministry reported: per year the latest one (a later value corrects an earlier one,
    and its note says so); a stored value that breaks :mod:`.reported`'s rules (stored by an older
    version: ``inf``, a negative count, a period that is no year) is left out with a footnote."""
    this_year = int(str(inputs["period"].get("read_on") or inputs["period"]["end"])[:4])
    usable: dict[str, list[dict[str, Any]]] = {}
    skipped: list[dict[str, Any]] = []
    for v in sorted(
        (v for v in inputs["reported_values"] if v["indicator_key"] == record["key"]), key=lambda v: v["id"]
    ):
        problem = period_problem(v["period"], this_year) or value_problem(v["value"], record["unit"])
        if problem:
            skipped.append(_skipped_note(v))
        else:
            usable.setdefault(v["period"], []).append(v)
    used = {period: values[-1] for period, values in usable.items()}
    points = [
        Point(period, float(v["value"]), _reported_note(v, usable[period][:-1]))
        for period, v in sorted(used.items())
    ]
    notes = [
        {
            "source": words("source_reported", organisation=v["organisation"]),
            "table": "reported_value",
            "version": str(v["id"]),
            "vintage": v["measured_on"],
            "evidence": v["evidence"],
        }
        for v in sorted(used.values(), key=lambda v: v["id"])
    ]
    in_period = [p for p in points if p.period[:4] in period_years(inputs)]
    return {
        "status": "reported" if in_period else NOT_DELIVERED,
        "points": points,
        "footnotes": notes + skipped,
        "definition": {},
        "frequency": "year",
    }


def _reported_note(value: dict[str, Any], earlier: list[dict[str, Any]]) -> Note:
    """The evidence of a reported value; for a correction also the value it replaced and why."""
    if not earlier:
        return str(value["evidence"])
    before = earlier[-1]
    reason = (value.get("correction") or {}).get("reason") or words("note_no_reason")
    return [
        words("note_evidence", evidence=str(value["evidence"])),
        words("note_corrected", value=before["value"], id=str(before["id"]), reason=reason),
    ]


def _skipped_note(value: dict[str, Any]) -> dict[str, Any]:
    """The footnote of a stored value left out of the report (a correction of the year replaces it)."""
    raw = value["value"]
    shown = raw if isinstance(raw, int | float) and math.isfinite(raw) else words("note_no_number")
    return {
        "source": words(
            "source_reported_skipped", id=str(value["id"]), value=shown, period=str(value["period"])
        ),
        "table": "reported_value",
        "version": str(value["id"]),
        "vintage": value.get("measured_on"),
    }


def indicator_output(record: dict[str, Any], inputs: dict[str, Any], ctx: Context) -> dict[str, Any]:
    """One indicator: its points, the period's value against baseline and target, and footnotes."""
    body = _computed(record, inputs, ctx) if record["method"] == "computed" else _reported(record, inputs)
    points: list[Point] = body["points"]
    baseline = record.get("baseline_value")
    if baseline is None and record.get("baseline_year") is not None:
        baseline = value_at(points, str(record["baseline_year"]))
    run = body.get("frequency") == "run"
    periods = period_years(inputs) if not run else tuple(p.period for p in points)
    verdict = assess(
        points,
        periods=periods,
        baseline=baseline,
        target=record.get("target_value"),
        direction=record["direction"],
    )
    assessment = asdict(verdict)
    spec = REGISTRY.get(record.get("definition") or "")
    if record["method"] == "computed" and spec is not None and spec.neutral:
        assessment["verdict"] = NEUTRAL  # a context figure: its change is never called better or worse
    return {
        "record": without_accounts(record),
        **body,
        "previous": since_previous(record["key"], verdict.value, inputs.get("previous")),
        "points": [asdict(p) for p in points],
        "assessment": assessment,
    }


ACCOUNT_FIELDS = ("author", "entered_by", "created_by")
"""Fields naming a user account: kept in the recorded inputs (who did what), never in the public report,
which names the ministry or organisation only."""


def without_accounts(item: dict[str, Any]) -> dict[str, Any]:
    """``item`` without the user accounts it names (:data:`ACCOUNT_FIELDS`)."""
    return {key: value for key, value in item.items() if key not in ACCOUNT_FIELDS}


def since_previous(key: str, value: float | None, previous: dict[str, Any] | None) -> dict[str, Any] | None:
    """The indicator's value in the previous frozen report and the change since (None without one)."""
    if previous is None or key not in previous["values"]:
        return None
    before = previous["values"][key]
    change = None if value is None or before["value"] is None else value - before["value"]
    return {
        "label": previous["label"],
        "value": before["value"],
        "period": before["period"],
        "change": change,
    }


def signal_statistics(signals: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts of the public signals by kind and by quarter."""
    kinds = Counter(s["kind"] for s in signals)
    quarters = Counter(f"{s['day'][:4]}-Q{(int(s['day'][5:7]) - 1) // 3 + 1}" for s in signals)
    return {
        "by_kind": dict(sorted(kinds.items())),
        "by_quarter": dict(sorted(quarters.items())),
        "total": len(signals),
    }


def context_parts(inputs: dict[str, Any]) -> dict[str, Any]:
    """The driver monitor, the watchlist at the period's end and the risk diagram.

    Each only when the snapshot recorded its inputs: a snapshot frozen before these parts existed
    rebuilds to the content (and hash) it had."""
    parts: dict[str, Any] = {}
    if "driver_monitor" in inputs:
        parts["drivers"] = context.driver_monitor(inputs["driver_monitor"])
    if "watchlist" in inputs:
        parts["watchlist"] = context.watchlist(inputs["watchlist"])
    if "risk_diagram" in inputs:
        parts["risk"] = context.risk_diagram(inputs["risk_diagram"])
    return parts


def compute(inputs: dict[str, Any]) -> dict[str, Any]:
    """The report's content from the recorded inputs."""
    ctx = context_of(inputs)
    indicators = [indicator_output(r, inputs, ctx) for r in inputs["indicators"]]
    goals = []
    for goal in inputs["goals"]:
        number = goal["number"]
        goals.append(
            {
                **goal,
                "indicators": [i for i in indicators if i["record"]["goal"] == number],
                "actions": [without_accounts(a) for a in inputs["actions"] if a["goal"] == number],
                "contributions": [
                    without_accounts(c) for c in inputs.get("contributions", []) if c["goal"] == number
                ],
            }
        )
    return {
        **({"freeze": inputs["freeze"]} if "freeze" in inputs else {}),  # a correction, or frozen early
        "period": inputs["period"],
        "pillars": inputs["pillars"],
        "goals": goals,
        "context": {
            "signals": signal_statistics(inputs["signals"]),
            "public_signals": inputs["signals"],
            "backtest_run": inputs.get("backtest_run"),
            "backtest_goals": inputs.get("backtest_goals", []),
            "sources": inputs["sources"],
            **context_parts(inputs),
        },
        "counts": {
            "indicators": len(indicators),
            "not_delivered": sum(1 for i in indicators if i["status"] == NOT_DELIVERED),
            "computed": sum(1 for i in indicators if i["status"] == "computed"),
        },
    }
