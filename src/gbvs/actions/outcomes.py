"""How a warning turned out: the observed value of the watchlist's target, once it is in the store.

The country-year panel holds each binary conflict target's event column (``conflict`` for incidence,
``war`` for war). A year that is not in the panel yet has no outcome, so the gap figures show it as
unknown instead of "no conflict".
"""

from __future__ import annotations

from pathlib import Path

from gbvs.errors import StoreError
from gbvs.forecasting.domain import TARGETS, TargetKind
from gbvs.store import Store, TableName, open_store
from gbvs.store.reads import panel_frame

Outcomes = dict[tuple[int, int], bool]


def observed(store: Store, target: str) -> Outcomes:
    """(gwcode, year) → whether ``target`` occurred (empty for a non-binary target or without a panel)."""
    spec = TARGETS.get(target)
    if spec is None or spec.kind is not TargetKind.binary:
        return {}
    try:
        panel = panel_frame(store, TableName.panel_country_year)
    except StoreError:
        return {}
    if spec.event not in panel.columns:
        return {}
    known = panel[["gwcode", "year", spec.event]].dropna()
    return {(int(g), int(y)): bool(v) for g, y, v in known.itertuples(index=False)}


def observed_at(store_path: Path, target: str) -> Outcomes:
    """:func:`observed` on the store file at ``store_path`` (empty when there is no store yet)."""
    try:
        with open_store(store_path) as store:
            return observed(store, target)
    except StoreError:
        return {}
