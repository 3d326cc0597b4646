"""Evidence for a goal: the latest value of each driver indicator for the goal's focus countries."""

from __future__ import annotations

from gbvs.store import reads_panel
from gbvs.web.store import StoreGateway


def latest_values(
    store: StoreGateway, gwcodes: tuple[int, ...], columns: tuple[str, ...]
) -> dict[int, dict[str, tuple[int, float]]]:
    """gwcode -> column -> (year, value) of the most recent non-missing value."""
    if not gwcodes or not columns:
        return {}
    return store.cached(
        ("latest", gwcodes, columns),
        lambda con: reads_panel.latest_values(con, gwcodes=gwcodes, columns=columns),
    )
