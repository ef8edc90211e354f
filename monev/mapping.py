"""Choropleth classes, colours, legend and the pydeck Deck of the regions (pure; rendered by components.map).

Fully offline: ``map_provider=None`` and no ``map_style``, so deck.gl draws only our layers, no basemap tiles.
Every text that reaches the tooltip is HTML-escaped here, because deck.gl inserts the tooltip as HTML.
"""

from __future__ import annotations

import bisect
import functools
import html
import json
import math
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pydeck as pdk
import shapely
from pydeck.bindings.json_tools import default_serialize
from shapely.geometry.base import BaseGeometry

from monev import fmt, i18n
from monev.geo import Boundaries
from monev.regions import Registry

METRICS = ("coverage", "gap", "change", "projected")
RATE_METRICS = ("coverage", "projected")  # shown as percentages and classed like coverage
CLASSIFICATIONS = ("fixed", "quantile", "equal")
LAYER_ID = "wilayah"
LABEL_LAYER_ID = "label"
CLASS_COUNT = 5

# Fixed coverage breaks around the national average, so a region's colour says on which side of it it is.
COVERAGE_FIXED_BREAKS = (0.20, 0.30, 0.50)
GAP_FIXED_BREAKS = (-0.15, -0.05, 0.0, 0.05, 0.15)

# ColorBrewer schemes (colour-blind safe): sequential YlGnBu, diverging RdBu (red = below, blue = above).
_YLGNBU = {
    3: ("#edf8b1", "#7fcdbb", "#2c7fb8"),
    4: ("#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"),
    5: ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"),
    6: ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"),
}
_RDBU = {
    2: ("#ef8a62", "#67a9cf"),
    4: ("#ca0020", "#f4a582", "#92c5de", "#0571b0"),
    6: ("#b2182b", "#ef8a62", "#fddbc7", "#d1e5f0", "#67a9cf", "#2166ac"),
}
NO_DATA_COLOR = "#bdbdbd"
OUTLINE_RGB = (255, 255, 255)
SELECTED_OUTLINE_RGB = (20, 33, 61)
MAP_HEIGHT_PX = 560
_MAP_WIDTH_PX = 760  # typical width of the map column; the view is framed for it
_WEB_MERCATOR_TILE_PX = 512
LABEL_SIZE_PX = 13
LEADER_RGBA = (20, 33, 61, 200)
LEADER_WIDTH_PX = 1.5
# deck.gl's id of the GeoJsonLayer sub-layer that draws LineString features (here: only the leader lines).
_GEOJSON_LINES_SUBLAYER = "linestrings"
_METRES_PER_DEGREE = 111_320
LABEL_FONT = "'Source Sans Pro', 'Source Sans 3', 'Helvetica Neue', Arial, sans-serif"


@dataclass(frozen=True)
class Classification:
    """Breaks between classes (ascending) and one colour per class; class i is [breaks[i-1], breaks[i])."""

    metric: str
    method: str
    breaks: tuple[float, ...]
    colors: tuple[str, ...]

    def class_of(self, value: float) -> int | None:
        if value is None or math.isnan(value):
            return None
        return bisect.bisect_right(self.breaks, value)

    def color_of(self, value: float) -> str:
        index = self.class_of(value)
        return NO_DATA_COLOR if index is None else self.colors[index]


@dataclass(frozen=True)
class LegendEntry:
    label: str
    color: str
    count: int


def _sequential(count: int) -> tuple[str, ...]:
    """``count`` sequential colours; with fewer than three classes, the darker end of the three-class scheme."""
    return _YLGNBU[count] if count in _YLGNBU else _YLGNBU[3][-count:]


def _nice_step(span: float) -> float:
    """A round step (1, 2 or 5 × 10^k) close to ``span``."""
    if span <= 0 or math.isnan(span):
        return 0.01
    magnitude = 10 ** math.floor(math.log10(span))
    return next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= span)


def _data_breaks(values: np.ndarray, method: str) -> tuple[float, ...]:
    if len(values) == 0:
        return ()
    if method == "quantile":
        inner = np.quantile(values, [i / CLASS_COUNT for i in range(1, CLASS_COUNT)])
    else:
        inner = np.linspace(values.min(), values.max(), CLASS_COUNT + 1)[1:-1]
    return tuple(sorted({round(float(b), 6) for b in inner}))


def classify(values: pd.Series, *, metric: str, method: str, national_rate: float) -> Classification:
    """Colour classes for ``metric`` values: fixed breaks by default, quantiles or equal intervals on request."""
    clean = values.dropna().to_numpy(dtype=float)
    if method == "fixed" and metric in RATE_METRICS:
        breaks = tuple(sorted({*COVERAGE_FIXED_BREAKS, round(national_rate, 6)}))
        return Classification(metric, method, breaks, _sequential(len(breaks) + 1))
    if method == "fixed":
        if metric == "gap":
            breaks = GAP_FIXED_BREAKS
        else:  # change: symmetric round steps around zero, sized to the largest change seen
            step = _nice_step(float(np.abs(clean).max()) / 2 if len(clean) else 0.01)
            breaks = (-2 * step, -step, 0.0, step, 2 * step)
        return Classification(metric, method, breaks, _RDBU[len(breaks) + 1])
    breaks = _data_breaks(clean, method)
    return Classification(metric, method, breaks, _sequential(len(breaks) + 1))


def value_formatter(metric: str, lang: str) -> Callable[[float], str]:
    """How a value of ``metric`` is written: a percentage for coverage, percentage points for differences."""
    if metric in RATE_METRICS:
        return lambda value: fmt.percent(value, lang)
    return lambda value: fmt.points(value, lang)


def build_legend(classification: Classification, values: pd.Series, lang: str) -> list[LegendEntry]:
    """One entry per class: its range in the user's formatting and how many regions fall in it."""
    write = value_formatter(classification.metric, lang)
    counts = [0] * len(classification.colors)
    for value in values.dropna():
        counts[classification.class_of(float(value))] += 1
    breaks = classification.breaks
    entries = []
    for index, color in enumerate(classification.colors):
        if index == 0:
            label = f"< {write(breaks[0])}" if breaks else i18n.t("map.all_values", lang)
        elif index == len(breaks):
            label = f"≥ {write(breaks[-1])}"
        else:
            label = f"{write(breaks[index - 1])} – {write(breaks[index])}"
        entries.append(LegendEntry(label, color, counts[index]))
    return entries


def _rgb(hex_color: str, alpha: int = 255) -> list[int]:
    return [int(hex_color[i:i + 2], 16) for i in (1, 3, 5)] + [alpha]


def view_for_bounds(bounds: Sequence[float], width_px: int = _MAP_WIDTH_PX,
                    height_px: int = MAP_HEIGHT_PX, padding: float = 0.08) -> pdk.ViewState:
    """A view that frames (min_lon, min_lat, max_lon, max_lat) in a viewport of the given size."""
    min_lon, min_lat, max_lon, max_lat = bounds

    def mercator_y(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    lon_span = max(max_lon - min_lon, 1e-6) * (1 + 2 * padding)
    y_span = max(abs(mercator_y(max_lat) - mercator_y(min_lat)), 1e-6) * (1 + 2 * padding)
    zoom_lon = math.log2(width_px * 360 / (_WEB_MERCATOR_TILE_PX * lon_span))
    zoom_lat = math.log2(height_px * 2 * math.pi / (_WEB_MERCATOR_TILE_PX * y_span))
    center_y = (mercator_y(max_lat) + mercator_y(min_lat)) / 2
    center_lat = math.degrees(2 * math.atan(math.exp(center_y)) - math.pi / 2)
    zoom = round(min(zoom_lon, zoom_lat), 2)
    # Zooming out a little past the frame is allowed; the limits follow the frame, so a country fits too.
    return pdk.ViewState(longitude=(min_lon + max_lon) / 2, latitude=center_lat, zoom=zoom,
                         min_zoom=max(0.0, zoom - 2), max_zoom=zoom + 6)


def _tooltip(lang: str) -> dict[str, object]:
    """The tooltip's HTML template. Streamlit's map component HTML-escapes every value it puts into a ``{field}``
    (checked in its 1.67 frontend), so the markup lives here and the values stay plain text: escaping them again
    would show "&amp;" and tags as text."""
    def row(key: str, field: str) -> str:
        return f"{html.escape(i18n.t(key, lang))}: <b>{{{field}}}</b>"

    return {
        "html": "<b style='font-size:15px'>{name}</b><br/>" + "<br/>".join([
            row("table.rate", "rate_label"), row("table.participants", "participants_label"),
            row("table.potential_workers", "potential_label"), row("table.rank", "rank_label"),
            "{metric_line}",
        ]),
        "style": {"backgroundColor": "#14213d", "color": "white", "fontSize": "13px"},
    }


def region_properties(indicators: pd.DataFrame, values: pd.Series, classification: Classification, *,
                      metric: str, lang: str, selected_code: str | None) -> dict[str, dict[str, object]]:
    """Per region code: colours and the plain texts the tooltip (escaped by Streamlit, see ``_tooltip``) and the
    labels show."""
    write = value_formatter(metric, lang)
    total = len(indicators)
    properties = {}
    for row in indicators.itertuples():
        value = float(values.get(row.region_code, math.nan))
        selected = row.region_code == selected_code
        properties[row.region_code] = {
            "kode": row.region_code,
            "name": row.region_name,
            "label": f"{row.region_name}\n{write(value)}",
            "rate_label": fmt.percent(row.rate, lang),
            "participants_label": fmt.number(row.participants, lang),
            "potential_label": fmt.number(row.potential_workers, lang),
            "rank_label": i18n.t("map.rank_of", lang, rank=int(row.rank), total=total),
            "metric_line": "" if metric == "coverage" else f"{i18n.t(f'map.metric.{metric}', lang)}: {write(value)}",
            "fill": _rgb(classification.color_of(value), 235),
            "line": list(SELECTED_OUTLINE_RGB if selected else OUTLINE_RGB),
            "line_width": 3 if selected else 1,
        }
    return properties


def _pixel_xy(lon: float, lat: float, zoom: float) -> tuple[float, float]:
    scale = _WEB_MERCATOR_TILE_PX * 2 ** zoom / (2 * math.pi)
    return scale * math.radians(lon), -scale * math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _lon_lat(x: np.ndarray, y: np.ndarray, zoom: float) -> tuple[np.ndarray, np.ndarray]:
    """Inverse of ``_pixel_xy`` (vectorised)."""
    scale = _WEB_MERCATOR_TILE_PX * 2 ** zoom / (2 * math.pi)
    return np.degrees(x / scale), np.degrees(2 * np.arctan(np.exp(-y / scale)) - math.pi / 2)


@dataclass(frozen=True)
class LabelAnchor:
    code: str
    lon: float
    lat: float
    text: str


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
    scale_px_per_deg = _WEB_MERCATOR_TILE_PX * 2 ** zoom / 360
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


class _Outlines:
    """Region outlines as a cache key: equal when they are the same outlines (``key``), whatever object holds them."""

    def __init__(self, key: Hashable, shapes: dict[str, BaseGeometry], owner: object = None) -> None:
        self.key = key
        self.shapes = shapes
        self._owner = owner  # kept alive while cached, so that an identity in ``key`` is never reused meanwhile

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Outlines) and other.key == self.key

    def __hash__(self) -> int:
        return hash(self.key)


@functools.lru_cache(maxsize=_LABEL_LAYOUTS_KEPT)
def _memoised_labels(anchors: tuple[LabelAnchor, ...], view: tuple[float, float, float], width_px: int,
                     height_px: int, outlines: _Outlines) -> tuple[dict[str, object], ...]:
    longitude, latitude, zoom = view
    return tuple(place_labels(list(anchors), pdk.ViewState(longitude=longitude, latitude=latitude, zoom=zoom),
                              width_px, height_px, outlines.shapes))


def _labels(anchors: list[LabelAnchor], view: pdk.ViewState, width_px: int, height_px: int,
            outlines: _Outlines) -> list[dict[str, object]]:
    """``place_labels``, remembered: every page run that draws a map asks again for the same layout."""
    placed = _memoised_labels(tuple(anchors), (view.longitude, view.latitude, view.zoom), width_px, height_px,
                              outlines)
    return [dict(label) for label in placed]  # copies: the cached layout must not change through a caller


def _leader_features(labels: list[dict[str, object]]) -> list[dict[str, object]]:
    """A line from each moved label back to its region, as GeoJSON features for the regions' own layer: its outline
    sub-layer already draws lines, whereas a layer of their own cost the first draw another shader compilation.
    No region code ("kode"): a leader line is not a region."""
    return [
        {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [label["anchor"], label["position"]]},
         "properties": {"line": list(LEADER_RGBA), "line_width": LEADER_WIDTH_PX}}
        for label in labels if label["leader"]
    ]


def _leader_layer(labels: list[dict[str, object]]) -> pdk.Layer:
    """The leader lines of the fallback map: its circles' layer cannot draw lines."""
    return pdk.Layer(
        "LineLayer", id="leader", data=[label for label in labels if label["leader"]],
        get_source_position="anchor", get_target_position="position", get_color=list(LEADER_RGBA),
        get_width=LEADER_WIDTH_PX, width_units=pdk.types.String("pixels"), pickable=False,
    )


def _label_layer(points: list[dict[str, object]]) -> pdk.Layer:
    # A light box behind each label keeps it readable on every fill colour, also on a projector.
    return pdk.Layer(
        "TextLayer", id=LABEL_LAYER_ID, data=points, get_position="position", get_text="label",
        font_family=pdk.types.String(LABEL_FONT), font_weight=700,
        get_size=LABEL_SIZE_PX, size_units=pdk.types.String("pixels"), get_color=[20, 33, 61],
        character_set=pdk.types.String("auto"), background=True, get_background_color=[255, 255, 255, 225],
        background_padding=[3, 1, 3, 1], get_text_anchor=pdk.types.String("middle"),
        get_alignment_baseline=pdk.types.String("center"), pickable=False,
    )


class _CompactDeck(pdk.Deck):
    """A Deck whose JSON has no indentation: Streamlit sends ``to_json()`` as it is, and pydeck's two-space indent
    made up two thirds of every map sent (and forces Python's slow pure-Python JSON encoder)."""

    def to_json(self) -> str:
        return json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"))


def build_choropleth(boundaries: Boundaries, properties: dict[str, dict[str, object]], lang: str, *,
                     height_px: int = MAP_HEIGHT_PX) -> pdk.Deck:
    """The regions filled by class, outlined, labelled with name and value; picking returns the feature.

    The leader lines of moved labels are features of the regions' layer too (after the regions, so a region's
    position in the layer's data stays its position among the regions), drawn but never picked: hovering one
    shows no tooltip (deck.gl would show the template's placeholders) and clicking one picks the region beneath.
    """
    regions = [
        {"type": "Feature", "geometry": geometry, "properties": properties[code]}
        for code, geometry in boundaries.features.items() if code in properties
    ]
    view = view_for_bounds(boundaries.bounds, height_px=height_px)
    # Larger regions first: they have room, the small ones then move out of their way.
    codes = sorted((code for code in boundaries.features if code in properties), key=boundaries.area, reverse=True)
    labels = _labels([LabelAnchor(code, *boundaries.label_point(code), str(properties[code]["label"]))
                      for code in codes], view, _MAP_WIDTH_PX, height_px,
                     _Outlines(("boundaries", id(boundaries)), boundaries.shapes, owner=boundaries))
    features = regions + _leader_features(labels)
    regions_and_leaders = pdk.Layer(
        "GeoJsonLayer", id=LAYER_ID, data={"type": "FeatureCollection", "features": features},
        get_fill_color="properties.fill", get_line_color="properties.line",
        get_line_width="properties.line_width", line_width_units=pdk.types.String("pixels"), line_width_min_pixels=1,
        stroked=True, filled=True, pickable=True, auto_highlight=True, highlight_color=[255, 255, 255, 70],
        _sub_layer_props={_GEOJSON_LINES_SUBLAYER: {"pickable": False}},
    )
    return _CompactDeck(layers=[regions_and_leaders, _label_layer(labels)], initial_view_state=view,
                        map_provider=None, tooltip=_tooltip(lang), height=height_px)


def build_fallback_map(registry: Registry, indicators: pd.DataFrame, properties: dict[str, dict[str, object]],
                       lang: str, *, height_px: int = MAP_HEIGHT_PX) -> pdk.Deck:
    """Without boundaries: a circle at each capital, its area proportional to potential workers."""
    largest = float(indicators["potential_workers"].max()) or 1.0
    points = []
    for row in indicators.itertuples():
        region = registry.get(row.region_code)
        points.append({
            **properties[row.region_code],
            "position": [region.lon, region.lat],
            "radius_m": 25_000 * math.sqrt(row.potential_workers / largest),
        })
    circles = pdk.Layer(
        "ScatterplotLayer", id=LAYER_ID, data=points, get_position="position", get_radius="radius_m",
        get_fill_color="fill", get_line_color=[90, 90, 90], line_width_min_pixels=1, stroked=True,
        pickable=True, auto_highlight=True,
    )
    lons = [p["position"][0] for p in points]
    lats = [p["position"][1] for p in points]
    view = view_for_bounds((min(lons) - 0.3, min(lats) - 0.3, max(lons) + 0.3, max(lats) + 0.3), height_px=height_px)
    circle_shapes = {p["kode"]: shapely.Point(p["position"]).buffer(p["radius_m"] / _METRES_PER_DEGREE)
                     for p in points}
    # The circles follow from their centres (the anchors) and radii, so the radii complete the cache key.
    outlines = _Outlines(("circles", tuple(p["radius_m"] for p in points)), circle_shapes)
    labels = _labels([LabelAnchor(p["kode"], *p["position"], str(p["label"])) for p in points],
                     view, _MAP_WIDTH_PX, height_px, outlines)
    return _CompactDeck(layers=[circles, _leader_layer(labels), _label_layer(labels)], initial_view_state=view,
                        map_provider=None, tooltip=_tooltip(lang), height=height_px)


def picked_region(selection_objects: dict[str, list[dict]] | None) -> str | None:
    """The region code of a clicked object (a GeoJSON feature or a fallback circle); None for anything else."""
    picked = (selection_objects or {}).get(LAYER_ID) or []
    if not picked:
        return None
    first = picked[0]
    return (first.get("properties") or first).get("kode")
