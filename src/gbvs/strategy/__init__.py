"""The strategy as data: GBVS goals, pillars, threats, drivers, instruments and regions.

Use :func:`load_strategy` (default: the current strategy) and the queries on
:class:`Strategy` (``goal(8)``, ``goals_for_driver("climate_change")``, ...).
"""

from __future__ import annotations

from gbvs.strategy.load import available_strategies, current_strategy_id, load_strategy, load_strategy_from
from gbvs.strategy.model import Goal, Region, Strategy, Text, Threat

__all__ = [
    "Goal",
    "Region",
    "Strategy",
    "Text",
    "Threat",
    "available_strategies",
    "current_strategy_id",
    "load_strategy",
    "load_strategy_from",
]
