"""The choropleth as a static Altair chart (geoshape), for images and the meeting pack; pure, no Streamlit.

It shows what the interactive map shows: the same classes and colours (``monev.mapping.classify``), the same legend
ranges and counts (``build_legend``) and the same label placement (``place_labels``). The projection is the Web
Mercator view that ``view_for_bounds`` frames, so the places ``place_labels`` computes are where labels are drawn.
Export it with ``chart_png(chart, width_px=STATIC_MAP_WIDTH_PX * scale, scale=scale)``: the view is framed for
its own width.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt
import pandas as pd
import pydeck as pdk
import shapely

from monev import fmt, i18n
from monev.geo import Boundaries
from monev.mapping.classes import NO_DATA_COLOR, Classification, build_legend, value_formatter
from monev.mapping.decks import METRES_PER_DEGREE, view_for_bounds
from monev.mapping.labels import LABEL_SIZE_PX, WEB_MERCATOR_TILE_PX, LabelAnchor, place_labels
from monev.regions import Registry, load_registry

# Small enough that the 13 px labels stay about 12 pt when the image fills a slide's height.
STATIC_MAP_WIDTH_PX = 660
STATIC_MAP_HEIGHT_PX = 440
LABEL_COLOR = "#14213d"
OUTLINE_COLOR = "#ffffff"
# Circles of the map without boundaries: 25 km radius for the region with the most potential workers, as on screen.
_LARGEST_CIRCLE_M = 25_000
_FALLBACK_MARGIN_DEG = 0.3


def _projection(view: pdk.ViewState) -> alt.Projection:
    """The Mercator projection that shows exactly ``view``, centred in the plot as Vega-Lite does by default."""
    # d3's scale is pixels per radian; Web Mercator at zoom z has 512·2^z pixels per 2π radians.
    return alt.Projection(type="mercator", scale=WEB_MERCATOR_TILE_PX * 2 ** view.zoom / (2 * math.pi),
                          center=[view.longitude, view.latitude])


def _legend_scale(classification: Classification, values: pd.Series, lang: str) -> tuple[list[str], list[str]]:
    """Legend labels (range and region count, as on screen) and colours per class, plus 'no data' if needed."""
    entries = build_legend(classification, values, lang)
    labels = [f"{entry.label} ({fmt.counted('map.region_count', entry.count, lang)})" for entry in entries]
    colors = [entry.color for entry in entries]
    missing = int(values.isna().sum())
    if missing:
        labels.append(f"{i18n.t('export.no_data', lang)} ({fmt.counted('map.region_count', missing, lang)})")
        colors.append(NO_DATA_COLOR)
    return labels, colors


def _class_label(value: float, classification: Classification, labels: list[str]) -> str:
    index = classification.class_of(value)
    return labels[-1] if index is None else labels[index]


_LINE_HEIGHT_PX = LABEL_SIZE_PX * 1.2


def _label_box(text: str) -> tuple[float, float]:
    """Half width and half height in pixels of a label's box, as ``place_labels`` reckons them."""
    lines = text.split("\n")
    return max(len(line) for line in lines) * LABEL_SIZE_PX * 0.28 + 4, len(lines) * _LINE_HEIGHT_PX / 2 + 2


# ``placed`` holds place_labels' rows; monev.mapping types their values as object, so they are read as Any here.
def _label_layers(placed: Sequence[Mapping[str, Any]]) -> list[alt.Chart]:
    """Leader lines, light boxes and the labels: the same boxed labels as the interactive map."""
    rows = []
    for p in placed:
        half_w, half_h = _label_box(str(p["label"]))
        ratio = half_h / half_w
        rows.append({"label": p["label"], "lon": p["position"][0], "lat": p["position"][1],
                     "anchor_lon": p["anchor"][0], "anchor_lat": p["anchor"][1], "leader": p["leader"],
                     # A custom symbol path spans -1..1 and is scaled to sqrt(size) pixels: a box of the label's size.
                     "box": f"M-1,{-ratio:.4f}L1,{-ratio:.4f}L1,{ratio:.4f}L-1,{ratio:.4f}Z",
                     "box_size": (2 * half_w) ** 2})
    base = alt.Chart(pd.DataFrame(rows))
    leaders = base.transform_filter(alt.datum.leader).mark_rule(color=LABEL_COLOR, strokeWidth=1.2).encode(
        longitude="anchor_lon:Q", latitude="anchor_lat:Q", longitude2="lon:Q", latitude2="lat:Q")
    boxes = base.mark_point(filled=True, fill="#ffffff", fillOpacity=0.88, stroke="#9aa3b5",
                           strokeWidth=0.8).encode(
        longitude="lon:Q", latitude="lat:Q", shape=alt.Shape("box:N", scale=None),
        size=alt.Size("box_size:Q", scale=None))
    # Vega centres the first line of a multi-line text on its position; every label has two lines (name, value),
    # so half a line up centres the pair in its box.
    labels = base.mark_text(fontSize=LABEL_SIZE_PX, fontWeight="bold", lineBreak="\n", lineHeight=_LINE_HEIGHT_PX,
                            dy=-_LINE_HEIGHT_PX / 2, align="center", baseline="middle", color=LABEL_COLOR).encode(
        longitude="lon:Q", latitude="lat:Q", text="label:N")
    return [leaders, boxes, labels]


def build_static_map(boundaries: Boundaries | None, values: pd.Series, classification: Classification, *,
                     lang: str = i18n.DEFAULT_LANGUAGE, title: str | None = None,
                     potential_workers: pd.Series | None = None, registry: Registry | None = None,
                     width_px: int = STATIC_MAP_WIDTH_PX, height_px: int = STATIC_MAP_HEIGHT_PX) -> alt.LayerChart:
    """Regions filled by class, labelled, with the class legend; circles at the capitals without boundaries."""
    # values are indexed by region code; a circle's area is proportional to the region's potential workers.
    registry = registry or load_registry()
    write = value_formatter(classification.metric, lang)
    labels, colors = _legend_scale(classification, values, lang)
    legend = alt.Legend(title=i18n.t(f"map.metric.{classification.metric}", lang), orient="top-right",
                        fillColor="#ffffff", padding=8, labelFontSize=14, titleFontSize=15, symbolSize=260,
                        symbolType="square", labelLimit=0)

    def color(field: str) -> alt.Color:
        return alt.Color(f"{field}:N", scale=alt.Scale(domain=labels, range=colors), legend=legend)

    def describe(code: str) -> dict[str, object]:
        value = float(values.get(code, math.nan))
        return {"kode": code, "name": registry.display_name(code), "value_label": write(value),
                "class_label": _class_label(value, classification, labels)}

    if boundaries is not None:
        view = view_for_bounds(boundaries.bounds, width_px, height_px)
        features = [
            # d3 takes a counter-clockwise outer ring (GeoJSON's convention) as "everything but the region":
            # rewound clockwise, each region fills itself instead of the whole map.
            {"type": "Feature", "properties": describe(code),
             "geometry": shapely.geometry.mapping(shapely.orient_polygons(shape, exterior_cw=True))}
            for code, shape in boundaries.shapes.items()
        ]
        regions = alt.Chart(alt.InlineData(values={"type": "FeatureCollection", "features": features},
                                           format=alt.DataFormat(type="json", property="features")))
        shapes_layer = regions.mark_geoshape(stroke=OUTLINE_COLOR, strokeWidth=1.5).encode(
            color=color("properties.class_label"))
        codes = sorted(boundaries.features, key=boundaries.area, reverse=True)  # large regions choose first
        anchors = [LabelAnchor(code, *boundaries.label_point(code), _label_text(describe(code))) for code in codes]
        placed = place_labels(anchors, view, width_px, height_px, boundaries.shapes)
    else:
        sizes = potential_workers if potential_workers is not None else pd.Series(1.0, index=values.index)
        largest = float(sizes.max()) or 1.0
        points = [(code, registry.get(code), _LARGEST_CIRCLE_M * math.sqrt(float(sizes.get(code, 0)) / largest))
                  for code in values.index]
        lons, lats = [region.lon for _, region, _ in points], [region.lat for _, region, _ in points]
        view = view_for_bounds((min(lons) - _FALLBACK_MARGIN_DEG, min(lats) - _FALLBACK_MARGIN_DEG,
                                max(lons) + _FALLBACK_MARGIN_DEG, max(lats) + _FALLBACK_MARGIN_DEG),
                               width_px, height_px)
        px_per_metre = WEB_MERCATOR_TILE_PX * 2 ** view.zoom / 360 / METRES_PER_DEGREE
        rows = [{**describe(code), "lon": region.lon, "lat": region.lat, "radius_m": radius_m,
                 "area_px": math.pi * (radius_m * px_per_metre) ** 2} for code, region, radius_m in points]
        shapes_layer = alt.Chart(pd.DataFrame(rows)).mark_circle(opacity=1, stroke="#5a5a5a", strokeWidth=1).encode(
            longitude="lon:Q", latitude="lat:Q", color=color("class_label"), size=alt.Size("area_px:Q", scale=None))
        circles = {code: shapely.Point(region.lon, region.lat).buffer(radius_m / METRES_PER_DEGREE)
                   for code, region, radius_m in points}
        anchors = [LabelAnchor(code, region.lon, region.lat, _label_text(row))
                   for (code, region, _), row in zip(points, rows)]
        placed = place_labels(anchors, view, width_px, height_px, circles)
    chart = alt.LayerChart(layer=[shapes_layer, *_label_layers(placed)]).properties(
        projection=_projection(view), width=width_px, height=height_px)
    if title:
        chart = chart.properties(title=alt.TitleParams(title, fontSize=18, anchor="start"))
    # No padding and the legend inside the plot: the image is exactly width_px wide, as the view was framed.
    return chart.properties(padding=0).configure_view(stroke=None)


def _label_text(region: dict[str, object]) -> str:
    return f"{region['name']}\n{region['value_label']}"
