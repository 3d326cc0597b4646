"""Watchlist: countries ranked by risk and by change since the previous forecast, with alert rules.

Rules are configuration (``watchlist.yaml`` shipped with the package, overridable by a file of the
same name in the data folder). Pure functions here; queries.py does the reading.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from gbvs.errors import ConfigError


@dataclass(frozen=True)
class AlertRules:
    """Alert thresholds (probabilities, 0..1)."""

    target: str
    horizon: int
    threshold: float
    jump: float
    watch_from: float


def load_rules(data_dir: Path | None = None) -> AlertRules:
    """Shipped rules, overridden key by key by ``<data_dir>/watchlist.yaml`` when it exists."""
    config: dict[str, Any] = yaml.safe_load(
        resources.files("gbvs.forecasting").joinpath("watchlist.yaml").read_text()
    )
    override = data_dir / "watchlist.yaml" if data_dir else None
    if override and override.is_file():
        extra = yaml.safe_load(override.read_text()) or {}
        config = {**config, **{k: v for k, v in extra.items() if k != "rules"}}
        config["rules"] = {**config["rules"], **(extra.get("rules") or {})}
    try:
        rules = config["rules"]
        return AlertRules(
            target=str(config["target"]),
            horizon=int(config["horizon"]),
            threshold=float(rules["threshold"]),
            jump=float(rules["jump"]),
            watch_from=float(rules["watch_from"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(
            f"watchlist rules are invalid ({exc!r}); fix {override or 'the shipped watchlist.yaml'} "
            "(keys: target, horizon, rules.threshold, rules.jump, rules.watch_from)"
        ) from exc


class AlertKind(StrEnum):
    """What an alert says: the probability crossed the threshold (up or down), or jumped."""

    crossed_up = "crossed_up"
    crossed_down = "crossed_down"
    jump = "jump"


@dataclass(frozen=True)
class Alert:
    """One alert of the watchlist: its kind (crossed_up, crossed_down: the probability crossed the
    threshold; jump: it changed by at least the rule's jump since the previous run) and its value."""

    # worded where it is shown, in the reader's language (gbvs.web.labels.alert_words)

    kind: AlertKind
    threshold: float | None = None
    """crossed_up, crossed_down: the threshold crossed (probability, 0..1)."""
    change: float | None = None
    """jump: the change in probability since the previous run (-1..1)."""

    @property
    def text(self) -> str:
        """The English sentence alerts were kept as before they were structured (``crossed 50% (up)``,
        ``jump of +12 points``): an early-action case keeps it beside the structured alert, and a case
        opened before then keeps only the sentence."""
        if self.kind is AlertKind.jump:
            return f"jump of {jump_points(self.change or 0.0)} points"
        return (
            f"crossed {self.threshold or 0.0:.0%} ({'up' if self.kind is AlertKind.crossed_up else 'down'})"
        )

    @classmethod
    def of(cls, stored: Mapping[str, Any]) -> Alert:
        """The alert as JSON keeps it (``dataclasses.asdict``: kind, threshold, change)."""
        return cls(AlertKind(stored["kind"]), threshold=stored.get("threshold"), change=stored.get("change"))


def jump_points(change: float) -> str:
    """A jump in whole percentage points with its sign (``+12``, ``-3``), as the alerts say it."""
    return f"{100 * change:+.0f}"


def alerts(p: float, previous: float | None, rules: AlertRules) -> list[Alert]:
    """The alerts one country raises."""
    found = []
    if previous is not None and (previous < rules.threshold) != (p < rules.threshold):
        kind = AlertKind.crossed_up if p >= rules.threshold else AlertKind.crossed_down
        found.append(Alert(kind, threshold=rules.threshold))
    if previous is not None and abs(p - previous) >= rules.jump:
        found.append(Alert(AlertKind.jump, change=p - previous))
    return found


def rank(latest: pd.DataFrame, previous: pd.DataFrame | None, rules: AlertRules) -> pd.DataFrame:
    """Watchlist rows: unit_key, p, previous, change, status and alerts, highest risk first."""
    table = latest[["unit_key", "p", "summary"]].copy()
    if previous is not None and not previous.empty:
        table = table.merge(
            previous[["unit_key", "p"]].rename(columns={"p": "previous"}), on="unit_key", how="left"
        )
    else:
        table["previous"] = float("nan")
    table["change"] = table["p"] - table["previous"]
    found = [
        alerts(p, None if pd.isna(prev) else float(prev), rules)
        for p, prev in zip(table["p"], table["previous"], strict=True)
    ]
    table["alerts"] = pd.Series(found, index=table.index, dtype=object)
    table["status"] = [
        "alert" if a else ("watch" if p >= rules.watch_from else "")
        for a, p in zip(table["alerts"], table["p"], strict=True)
    ]
    table = table.sort_values(["p", "unit_key"], ascending=[False, True]).reset_index(drop=True)
    table["rank_risk"] = range(1, len(table) + 1)
    table["rank_change"] = table["change"].abs().rank(ascending=False, method="min")
    return table
