"""Where the map's labels go: no two overlap and the neighbours' colours stay visible; layouts are remembered.

Positions are worked out in deck.gl's Web-Mercator pixels at the map's initial view, so a label drawn there sits
where it was placed (the static image uses the same projection, see ``monev.static_map``).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Hashable
from dataclasses import dataclass

import numpy as np
import pydeck as pdk
import shapely
from shapely.geometry.base import BaseGeometry

WEB_MERCATOR_TILE_PX = 512  # deck.gl's world is this many pixels wide at zoom 0
LABEL_SIZE_PX = 13

# Costs of a label spot, in units of "40 px away from the anchor": covering a neighbour hides its colour.
_COVER_COST = 12.0
_DISTANCE_UNIT_PX = 40.0
# A region at least this many label boxes large can carry its own label without losing its colour.
_ROOMY_REGION_BOXES = 4.0
_LEADER_MIN_PX = 18.0
# Label layouts remembered: a few maps (overview, map page, simulator's two) × metrics × languages.
_LABEL_LAYOUTS_KEPT = 64
# Sample points in a label box, as fractions of its half width/height from the centre.
_SAMPLE_GRID = np.array([(sx, sy) for sx in (-0.75, -0.25, 0.25, 0.75) for sy in (-0.67, 0.0, 0.67)])


def _pixel_xy(lon: float, lat: float, zoom: float) -> tuple[float, float]:
    scale = WEB_MERCATOR_TILE_PX * 2 ** zoom / (2 * math.pi)
    return scale * math.radians(lon), -scale * math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _lon_lat(x: np.ndarray, y: np.ndarray, zoom: float) -> tuple[np.ndarray, np.ndarray]:
    """Inverse of ``_pixel_xy`` (vectorised)."""
    scale = WEB_MERCATOR_TILE_PX * 2 ** zoom / (2 * math.pi)
    return np.degrees(x / scale), np.degrees(2 * np.arctan(np.exp(-y / scale)) - math.pi / 2)


@dataclass(frozen=True)
class LabelAnchor:
    code: str
    lon: float
    lat: float
    text: str


def place_labels(anchors: list[LabelAnchor], view: pdk.ViewState, width_px: int, height_px: int,
                 shapes: dict[str, BaseGeometry] | None = None) -> list[dict[str, object]]:
    """Label positions (lon/lat) at the initial view: no two labels overlap, neighbours' colours stay visible.

    Greedy in the given order (put large regions first). Each label takes the cheapest free spot on a grid around
    its anchor; covering another region (or its own region when it is small) costs, distance costs a little.
    A label that ends up away from its region gets a leader line back to it. A label with no free spot in view
    is left out (its region's tooltip still names it): on a map of hundreds of regions, labels piled on each
    other would hide one another and the colours beneath.
    """
    zoom = view.zoom
    line_px = LABEL_SIZE_PX * 1.2
    offsets = np.array([(dx, dy * line_px / 2) for dx in range(-260, 261, 20) for dy in range(-10, 11)], dtype=float)
    distance_cost = np.hypot(offsets[:, 0], offsets[:, 1]) / _DISTANCE_UNIT_PX
    centre_x, centre_y = _pixel_xy(view.longitude, view.latitude, zoom)
    scale_px_per_deg = WEB_MERCATOR_TILE_PX * 2 ** zoom / 360
    codes = list(shapes or {})
    outlines = [shapes[code] for code in codes] if shapes else []
    for outline in outlines:
        shapely.prepare(outline)  # many point-in-polygon tests follow
    # Only outlines near a label's candidate spots are tested: with hundreds of regions, testing every outline for
    # every label costs minutes, and an outline away from every sample point adds nothing to any cost.
    tree = shapely.STRtree(outlines) if outlines else None
    outline_bounds = shapely.bounds(outlines)
    placed = np.empty((0, 4))  # left, top, right, bottom of every label placed so far
    result = []
    for anchor in anchors:
        lines = anchor.text.split("\n")
        half_w = max(len(line) for line in lines) * LABEL_SIZE_PX * 0.28 + 4
        half_h = len(lines) * line_px / 2 + 2
        x0, y0 = _pixel_xy(anchor.lon, anchor.lat, zoom)
        xs, ys = x0 + offsets[:, 0], y0 + offsets[:, 1]
        inside_view = ((np.abs(xs - centre_x) + half_w <= width_px / 2)
                       & (np.abs(ys - centre_y) + half_h <= height_px / 2))
        left, top, right, bottom = placed.T
        clash = ((xs[:, None] - half_w < right) & (left < xs[:, None] + half_w)
                 & (ys[:, None] - half_h < bottom) & (top < ys[:, None] + half_h)).any(axis=1)
        free = np.flatnonzero(inside_view & ~clash)
        if len(free) == 0:
            continue
        cost = distance_cost[free]
        if tree is not None:
            # How much of a spot covers a region, estimated from a grid of sample points in the label box:
            # exact polygon intersections would cost ten times more and choose the same spots.
            sample_x = (xs[free, None] + half_w * _SAMPLE_GRID[None, :, 0]).ravel()
            sample_y = (ys[free, None] + half_h * _SAMPLE_GRID[None, :, 1]).ravel()
            sample_lon, sample_lat = _lon_lat(sample_x, sample_y, zoom)
            box_deg2 = (2 * half_w / scale_px_per_deg) * (2 * half_h / scale_px_per_deg)
            nearby = shapely.box(sample_lon.min(), sample_lat.min(), sample_lon.max(), sample_lat.max())
            for index in sorted(tree.query(nearby)):  # in region order: the same sums whatever order the tree gives
                if codes[index] == anchor.code and outlines[index].area >= _ROOMY_REGION_BOXES * box_deg2:
                    continue
                # Only the samples in the outline's bounding box are tested: with hundreds of small regions,
                # most samples lie far from each outline, and testing those dominated the cost.
                min_lon, min_lat, max_lon, max_lat = outline_bounds[index]
                candidates = np.flatnonzero((sample_lon >= min_lon) & (sample_lon <= max_lon)
                                            & (sample_lat >= min_lat) & (sample_lat <= max_lat))
                inside = candidates[shapely.contains_xy(outlines[index], sample_lon[candidates],
                                                        sample_lat[candidates])]
                samples_inside = np.bincount(inside // len(_SAMPLE_GRID), minlength=len(free))
                cost = cost + _COVER_COST * (samples_inside / len(_SAMPLE_GRID))
        best = int(free[np.argmin(cost)])
        x, y = float(xs[best]), float(ys[best])
        placed = np.vstack([placed, (x - half_w, y - half_h, x + half_w, y + half_h)])
        lon, lat = _lon_lat(np.array([x]), np.array([y]), zoom)
        result.append({
            "code": anchor.code, "label": anchor.text, "position": [float(lon[0]), float(lat[0])],
            "anchor": [anchor.lon, anchor.lat], "leader": math.hypot(x - x0, y - y0) >= _LEADER_MIN_PX,
        })
    return result


class Outlines:
    """Region outlines as a cache key: equal when they are the same outlines (``key``), whatever object holds them."""

    def __init__(self, key: Hashable, shapes: dict[str, BaseGeometry]) -> None:
        self.key = key
        self.shapes = shapes

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Outlines) and other.key == self.key

    def __hash__(self) -> int:
        return hash(self.key)


@functools.lru_cache(maxsize=_LABEL_LAYOUTS_KEPT)
def _memoised_labels(anchors: tuple[LabelAnchor, ...], view: tuple[float, float, float], width_px: int,
                     height_px: int, outlines: Outlines) -> tuple[dict[str, object], ...]:
    longitude, latitude, zoom = view
    return tuple(place_labels(list(anchors), pdk.ViewState(longitude=longitude, latitude=latitude, zoom=zoom),
                              width_px, height_px, outlines.shapes))


def remembered_labels(anchors: list[LabelAnchor], view: pdk.ViewState, width_px: int, height_px: int,
                      outlines: Outlines) -> list[dict[str, object]]:
    """``place_labels``, remembered: every page run that draws a map asks again for the same layout."""
    placed = _memoised_labels(tuple(anchors), (view.longitude, view.latitude, view.zoom), width_px, height_px,
                              outlines)
    return [dict(label) for label in placed]  # copies: the cached layout must not change through a caller
