"""The pydeck Decks of the regions: the choropleth, or circles at the capitals without boundaries; the view that
frames them, the tooltip, and which region a click picked.

Fully offline: ``map_provider=None`` and no ``map_style``, so deck.gl draws only our layers, no basemap tiles.
The tooltip's values stay plain text: Streamlit HTML-escapes each one it puts into the template (see ``_tooltip``).
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Sequence
from typing import Any

import pandas as pd
import pydeck as pdk
import shapely
from pydeck.bindings.json_tools import default_serialize

from monev import fmt, i18n
from monev.geo import Boundaries
from monev.mapping.classes import Classification, value_formatter
from monev.mapping.labels import LABEL_SIZE_PX, WEB_MERCATOR_TILE_PX, LabelAnchor, Outlines, remembered_labels
from monev.regions import Registry

LAYER_ID = "wilayah"
LABEL_LAYER_ID = "label"
OUTLINE_RGB = (255, 255, 255)
SELECTED_OUTLINE_RGB = (20, 33, 61)
MAP_HEIGHT_PX = 560
MAP_WIDTH_PX = 760  # typical width of the map column on a wide screen; the view is framed for it unless told
LEADER_RGBA = (20, 33, 61, 200)
LEADER_WIDTH_PX = 1.5
# deck.gl's id of the GeoJsonLayer sub-layer that draws LineString features (here: only the leader lines).
_GEOJSON_LINES_SUBLAYER = "linestrings"
METRES_PER_DEGREE = 111_320
LABEL_FONT = "'Source Sans Pro', 'Source Sans 3', 'Helvetica Neue', Arial, sans-serif"


def _rgb(hex_color: str, alpha: int = 255) -> list[int]:
    return [int(hex_color[i:i + 2], 16) for i in (1, 3, 5)] + [alpha]


def _mercator_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _padded_spans(bounds: Sequence[float], padding: float) -> tuple[float, float]:
    """The spans of (min_lon, min_lat, max_lon, max_lat) with ``padding`` on each side: degrees of longitude, and
    Web-Mercator y (radians)."""
    min_lon, min_lat, max_lon, max_lat = bounds
    lon_span = max(max_lon - min_lon, 1e-6) * (1 + 2 * padding)
    y_span = max(abs(_mercator_y(max_lat) - _mercator_y(min_lat)), 1e-6) * (1 + 2 * padding)
    return lon_span, y_span


def view_for_bounds(bounds: Sequence[float], width_px: int = MAP_WIDTH_PX,
                    height_px: int = MAP_HEIGHT_PX, padding: float = 0.08) -> pdk.ViewState:
    """A view that frames (min_lon, min_lat, max_lon, max_lat) in a viewport of the given size."""
    min_lon, min_lat, max_lon, max_lat = bounds
    lon_span, y_span = _padded_spans(bounds, padding)
    zoom_lon = math.log2(width_px * 360 / (WEB_MERCATOR_TILE_PX * lon_span))
    zoom_lat = math.log2(height_px * 2 * math.pi / (WEB_MERCATOR_TILE_PX * y_span))
    center_y = (_mercator_y(max_lat) + _mercator_y(min_lat)) / 2
    center_lat = math.degrees(2 * math.atan(math.exp(center_y)) - math.pi / 2)
    zoom = round(min(zoom_lon, zoom_lat), 2)
    # Zooming out a little past the frame is allowed; the limits follow the frame, so a country fits too.
    return pdk.ViewState(longitude=(min_lon + max_lon) / 2, latitude=center_lat, zoom=zoom,
                         min_zoom=max(0.0, zoom - 2), max_zoom=zoom + 6)


def height_to_frame(bounds: Sequence[float], width_px: int, max_height_px: int, padding: float = 0.08) -> int:
    """The height a map ``width_px`` wide needs to frame ``bounds`` as ``view_for_bounds`` does, at most
    ``max_height_px``: a narrow (phone) map of a tall province then has no empty bands above and below it."""
    lon_span, y_span = _padded_spans(bounds, padding)
    return min(max_height_px, math.ceil(width_px * y_span * 360 / (2 * math.pi * lon_span)))


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
                     height_px: int = MAP_HEIGHT_PX, width_px: int = MAP_WIDTH_PX) -> pdk.Deck:
    """The regions filled by class, outlined, labelled with name and value; picking returns the feature.

    The leader lines of moved labels are features of the regions' layer too (after the regions, so a region's
    position in the layer's data stays its position among the regions), drawn but never picked: hovering one
    shows no tooltip (deck.gl would show the template's placeholders) and clicking one picks the region beneath.
    """
    regions = [
        {"type": "Feature", "geometry": geometry, "properties": properties[code]}
        for code, geometry in boundaries.features.items() if code in properties
    ]
    view = view_for_bounds(boundaries.bounds, width_px=width_px, height_px=height_px)
    # Larger regions first: they have room, the small ones then move out of their way.
    codes = sorted((code for code in boundaries.features if code in properties), key=boundaries.area, reverse=True)
    labels = remembered_labels([LabelAnchor(code, *boundaries.label_point(code), str(properties[code]["label"]))
                                for code in codes], view, width_px, height_px,
                               Outlines(("boundaries", boundaries.digest), boundaries.shapes))
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
                       lang: str, *, height_px: int = MAP_HEIGHT_PX, width_px: int = MAP_WIDTH_PX) -> pdk.Deck:
    """Without boundaries: a circle at each capital, its area proportional to potential workers."""
    largest = float(indicators["potential_workers"].max()) or 1.0
    points: list[dict[str, Any]] = []  # a region's properties, with the circle's centre and radius
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
    view = view_for_bounds((min(lons) - 0.3, min(lats) - 0.3, max(lons) + 0.3, max(lats) + 0.3),
                           width_px=width_px, height_px=height_px)
    circle_shapes = {p["kode"]: shapely.Point(p["position"]).buffer(p["radius_m"] / METRES_PER_DEGREE)
                     for p in points}
    # The circles follow from their centres (the anchors) and radii, so the radii complete the cache key.
    outlines = Outlines(("circles", tuple(p["radius_m"] for p in points)), circle_shapes)
    anchors = [LabelAnchor(p["kode"], p["position"][0], p["position"][1], str(p["label"])) for p in points]
    labels = remembered_labels(anchors, view, width_px, height_px, outlines)
    return _CompactDeck(layers=[circles, _leader_layer(labels), _label_layer(labels)], initial_view_state=view,
                        map_provider=None, tooltip=_tooltip(lang), height=height_px)


def picked_region(selection_objects: dict[str, list[dict]] | None) -> str | None:
    """The region code of a clicked object (a GeoJSON feature or a fallback circle); None for anything else."""
    picked = (selection_objects or {}).get(LAYER_ID) or []
    if not picked:
        return None
    first = picked[0]
    return (first.get("properties") or first).get("kode")
