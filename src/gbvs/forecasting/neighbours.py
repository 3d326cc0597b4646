"""Neighbours: shared land borders between countries (Natural Earth) and adjacent PRIO-GRID cells.

Country borders are computed once from the unsimplified 1:50m Admin-0 polygons with shapely
(``intersects`` after a 0.01 degree buffer, so polygons that meet along a digitised border line
count even where the two outlines do not coincide exactly) and mapped to Gleditsch-Ward codes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import shapely

GRID_COLUMNS = 720
BORDER_TOLERANCE_DEGREES = 0.01


def country_neighbours(
    geometries: Sequence[object], codes: Sequence[int | None]
) -> dict[int, tuple[int, ...]]:
    """gwcode -> gwcodes of countries whose polygons touch (rows with no code are skipped)."""
    keep = [i for i, code in enumerate(codes) if code is not None and geometries[i] is not None]
    shapes = np.array([shapely.buffer(geometries[i], BORDER_TOLERANCE_DEGREES) for i in keep])
    tree = shapely.STRtree(shapes)
    pairs = tree.query(shapes, predicate="intersects")
    found: dict[int, set[int]] = {int(codes[i]): set() for i in keep}  # type: ignore[arg-type]
    for a, b in zip(*pairs, strict=True):
        left, right = int(codes[keep[a]]), int(codes[keep[b]])
        if left != right:
            found[left].add(right)
    return {code: tuple(sorted(nbs)) for code, nbs in found.items()}


def grid_neighbours(cells: Iterable[int]) -> dict[int, tuple[int, ...]]:
    """PRIO-GRID gid -> the (up to 8) adjacent gids that are also in ``cells`` (queen contiguity)."""
    present = {int(c) for c in cells}
    out: dict[int, tuple[int, ...]] = {}
    for gid in present:
        col = (gid - 1) % GRID_COLUMNS
        around = [
            gid + dr * GRID_COLUMNS + dc
            for dr in (-1, 0, 1)
            for dc in (-1, 0, 1)
            if (dr, dc) != (0, 0) and 0 <= col + dc < GRID_COLUMNS
        ]
        out[gid] = tuple(sorted(n for n in around if n in present))
    return out


def parse_geometry(value: object) -> object | None:
    """A shapely geometry from WKT text, WKB bytes or GeoJSON text (None if empty)."""
    if value is None:
        return None
    if isinstance(value, bytes | bytearray | memoryview):
        return shapely.from_wkb(bytes(value))
    text = str(value)
    if text.lstrip().startswith("{"):
        return shapely.from_geojson(text)
    return shapely.from_wkt(text)


def as_mapping(neighbours: Mapping[int, Sequence[int]]) -> dict[int, list[int]]:
    """JSON-friendly copy."""
    return {int(k): [int(x) for x in v] for k, v in neighbours.items()}
