"""A world map drawn as SVG from the Natural Earth boundaries in the store (no tiles, no script).

Geometries are simplified once per store version and projected with the Equal Earth projection
(Šavrič, Patterson & Jenny 2018); each request only adds the fill class and the title text.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html import escape
from typing import Any

import shapely
from markupsafe import Markup
from shapely.geometry import MultiPolygon, Polygon, shape

A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2
SCALE = 180.0  # SVG units per projected unit
X_EXTENT, Y_EXTENT = 2.7066 * SCALE, 1.3173 * SCALE
SIMPLIFY_DEGREES = 0.15
MIN_AREA_DEGREES = 0.05


@dataclass(frozen=True)
class Shade:
    """How one country is drawn: a CSS class for its fill and the text that names its value."""

    css_class: str
    label: str


def project(lon: float, lat: float) -> tuple[float, float]:
    """Equal Earth projection of a point in degrees, in SVG units (y grows downwards)."""
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = 2 * math.sqrt(3) * lam * math.cos(theta) / (3 * (9 * A4 * t6 * t2 + 7 * A3 * t6 + 3 * A2 * t2 + A1))
    y = A4 * t6 * t2 * theta + A3 * t6 * theta + A2 * t2 * theta + A1 * theta
    return x * SCALE, -y * SCALE


def read_geometry(value: Any) -> Any:
    """A shapely geometry from GeoJSON text or dict, WKT text or WKB bytes."""
    if isinstance(value, bytes | bytearray | memoryview):
        return shapely.from_wkb(bytes(value))
    if isinstance(value, dict):
        return shape(value)
    text = str(value).strip()
    return shape(json.loads(text)) if text.startswith("{") else shapely.from_wkt(text)


def country_path(geometry: Any) -> str:
    """The SVG path data of a (multi)polygon after simplification; tiny islands are dropped."""
    simple = geometry.simplify(SIMPLIFY_DEGREES, preserve_topology=True)
    polygons = list(simple.geoms) if isinstance(simple, MultiPolygon) else [simple]
    parts = [
        _ring_path(p.exterior.coords)
        for p in polygons
        if isinstance(p, Polygon) and p.area >= MIN_AREA_DEGREES
    ]
    return " ".join(parts)


def _ring_path(coords: Iterable[tuple[float, ...]]) -> str:
    points = [(round(x), round(y)) for x, y in (project(c[0], c[1]) for c in coords)]
    unique = [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]]
    return "M" + "L".join(f"{x},{y}" for x, y in unique) + "Z"


def region_view(
    paths: Mapping[str, tuple[str, str]], members: Iterable[str], pad: float = 0.08
) -> str | None:
    """The SVG viewBox around ``members``' outlines (with a margin), or None when none is drawn."""
    xs: list[float] = []
    ys: list[float] = []
    for iso3 in members:
        if iso3 in paths:
            numbers = [float(n) for n in _NUMBER.findall(paths[iso3][1])]
            xs.extend(numbers[0::2])
            ys.extend(numbers[1::2])
    if not xs:
        return None
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    margin = max(width, height, 20.0) * pad
    return f"{min(xs) - margin:.0f} {min(ys) - margin:.0f} {width + 2 * margin:.0f} {height + 2 * margin:.0f}"


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
NO_DATA_PATTERN = (
    '<defs><pattern id="no-data-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><rect width="6" height="6" fill="#d9d9d9"/>'
    '<line x1="0" y1="0" x2="0" y2="6" stroke="#767676" stroke-width="2"/></pattern></defs>'
)


def render_map(
    paths: Mapping[str, tuple[str, str]],
    shades: Mapping[str, Shade],
    title: str,
    description: str,
    no_data: str,
    focus: frozenset[str] | None = None,
    outside: str = "",
) -> Markup:
    """The map: ``paths`` maps ISO3 to (name, path data); ``shades`` colours the countries it names.

    With ``focus`` (a focus region's members) the map zooms to them and greys out the rest.
    """
    body = []
    for iso3, (name, data) in paths.items():
        shade = shades.get(iso3)
        if focus is not None and iso3 not in focus:
            css, text = "outside", outside
        else:
            css, text = (shade.css_class, shade.label) if shade else ("no-data", no_data)
        body.append(f'<path class="{css}" d="{data}"><title>{escape(f"{name}: {text}")}</title></path>')
    world = f"{-X_EXTENT:.0f} {-Y_EXTENT:.0f} {2 * X_EXTENT:.0f} {2 * Y_EXTENT:.0f}"
    view = (region_view(paths, focus) if focus else None) or world
    return Markup(
        f'<svg class="map" viewBox="{view}" role="img" aria-labelledby="map-title map-desc" '
        f'xmlns="http://www.w3.org/2000/svg"><title id="map-title">{escape(title)}</title>'
        f'<desc id="map-desc">{escape(description)}</desc>{NO_DATA_PATTERN}{"".join(body)}</svg>'
    )
