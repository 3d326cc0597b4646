"""Watchlist: countries ranked by risk and by change since the previous forecast, with alert rules.

Rules are configuration (``watchlist.yaml`` shipped with the package, overridable by a file of the
same name in the data folder). Pure functions here; queries.py does the reading.
"""

from __future__ import annotations

from dataclasses import dataclass
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


def alerts(p: float, previous: float | None, rules: AlertRules) -> list[str]:
    """The alerts one country raises."""
    found = []
    if previous is not None and (previous < rules.threshold) != (p < rules.threshold):
        found.append(f"crossed {rules.threshold:.0%} ({'up' if p >= rules.threshold else 'down'})")
    if previous is not None and abs(p - previous) >= rules.jump:
        found.append(f"jump of {100 * (p - previous):+.0f} points")
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
    table["alerts"] = [
        alerts(p, None if pd.isna(prev) else float(prev), rules)
        for p, prev in zip(table["p"], table["previous"], strict=True)
    ]
    table["status"] = [
        "alert" if a else ("watch" if p >= rules.watch_from else "")
        for a, p in zip(table["alerts"], table["p"], strict=True)
    ]
    table = table.sort_values(["p", "unit_key"], ascending=[False, True]).reset_index(drop=True)
    table["rank_risk"] = range(1, len(table) + 1)
    table["rank_change"] = table["change"].abs().rank(ascending=False, method="min")
    return table
