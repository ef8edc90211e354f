"""The map: colour classes, legend, the offline pydeck Deck, label placement, picking and the framed view.

Expected values are written out (ColorBrewer hex codes, break values) or recomputed here with plain comparisons
and Web-Mercator arithmetic, never taken from the function under test. The boundaries come from ../shared/geo
through the ``shared_boundaries`` fixture, which fails when the file is missing.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections import Counter

import numpy as np
import pandas as pd
import pydeck as pdk
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from monev import geo, mapping
from monev.dataset import load_demo
from monev.indicators import region_indicators
from monev.regions import load_registry

SETTINGS = settings(max_examples=60, deadline=None, database=None)
REGISTRY = load_registry()
LEBONG = REGISTRY.match("Lebong").code
KOTA_BENGKULU = REGISTRY.match("Kota Bengkulu").code
NATIONAL = 0.39
VIEW_W, VIEW_H = 760, 560  # the viewport the map is framed for
TILE_PX = 512  # deck.gl's Web-Mercator world is 512 px wide at zoom 0

# ColorBrewer, copied from colorbrewer2.org (not from monev.mapping).
YLGNBU = {
    3: ["#edf8b1", "#7fcdbb", "#2c7fb8"],
    4: ["#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"],
    5: ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"],
}
RDBU_6 = ["#b2182b", "#ef8a62", "#fddbc7", "#d1e5f0", "#67a9cf", "#2166ac"]


def rgb(hex_color: str) -> tuple[int, int, int]:
    value = hex_color.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def class_by_comparison(value: float, breaks) -> int:
    """Class index as documented: class i is [breaks[i-1], breaks[i]); a value on a break goes up."""
    return sum(1 for b in breaks if value >= b)


def mercator_px(lon: float, lat: float, zoom: float) -> tuple[float, float]:
    scale = TILE_PX * 2 ** zoom
    x = (lon + 180) / 360 * scale
    y = (1 - math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / math.pi) / 2 * scale
    return x, y


def fits(bounds, longitude, latitude, zoom, width=VIEW_W, height=VIEW_H, slack=1e-6) -> bool:
    cx, cy = mercator_px(longitude, latitude, zoom)
    min_lon, min_lat, max_lon, max_lat = bounds
    corners = [mercator_px(lon, lat, zoom) for lon in (min_lon, max_lon) for lat in (min_lat, max_lat)]
    return all(abs(x - cx) <= width / 2 + slack and abs(y - cy) <= height / 2 + slack for x, y in corners)


# --- shared inputs ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_indicators() -> pd.DataFrame:
    return region_indicators(load_demo(), "2024-10", NATIONAL)


@pytest.fixture(scope="module")
def demo_rates(demo_indicators) -> pd.Series:
    return demo_indicators.set_index("region_code")["rate"]


@pytest.fixture
def boundaries(shared_boundaries) -> geo.Boundaries:
    result = geo.load_boundaries()
    assert result.ok, [p.code for p in result.problems]
    return result.boundaries


def coverage_deck(indicators, rates, boundaries, *, selected=None, lang="id"):
    classification = mapping.classify(rates, metric="coverage", method="fixed", national_rate=NATIONAL)
    properties = mapping.region_properties(indicators, rates, classification, metric="coverage", lang=lang,
                                           selected_code=selected)
    deck = mapping.build_choropleth(boundaries, properties, lang)
    return deck, json.loads(deck.to_json()), classification


def layer(spec: dict, layer_id: str) -> dict:
    found = [entry for entry in spec["layers"] if entry["id"] == layer_id]
    assert len(found) == 1, [entry["id"] for entry in spec["layers"]]
    return found[0]


def region_features(spec: dict) -> list[dict]:
    return [f for f in layer(spec, mapping.LAYER_ID)["data"]["features"] if "kode" in f["properties"]]


def leader_features(spec: dict) -> list[dict]:
    return [f for f in layer(spec, mapping.LAYER_ID)["data"]["features"] if "kode" not in f["properties"]]


def tooltip_of(deck) -> dict:
    # Streamlit sends the tooltip beside the spec; it reads it from the Deck the same way.
    widget = getattr(deck, "deck_widget", None)
    tooltip = widget.tooltip if widget is not None and isinstance(widget.tooltip, dict) else deck._tooltip
    assert isinstance(tooltip, dict)
    return tooltip


# --- classify -------------------------------------------------------------------------------------------------


def test_coverage_fixed_breaks_are_20_30_national_and_50_with_ylgnbu_colours(demo_rates):
    classification = mapping.classify(demo_rates, metric="coverage", method="fixed", national_rate=NATIONAL)
    assert classification.breaks == pytest.approx((0.20, 0.30, 0.39, 0.50))
    assert list(classification.colors) == YLGNBU[5]


@pytest.mark.parametrize(("national", "breaks"), [
    (0.30, (0.20, 0.30, 0.50)),  # the national rate equals a fixed break: one break, one class less
    (0.60, (0.20, 0.30, 0.50, 0.60)),  # above 50%: still sorted
    (0.10, (0.10, 0.20, 0.30, 0.50)),
])
def test_coverage_fixed_breaks_are_sorted_and_deduplicated(national, breaks):
    classification = mapping.classify(pd.Series([0.1, 0.4]), metric="coverage", method="fixed", national_rate=national)
    assert classification.breaks == pytest.approx(breaks)
    assert list(classification.colors) == YLGNBU[len(breaks) + 1]


@pytest.mark.parametrize(("value", "expected"), [
    (0.0, 0), (0.1999, 0), (0.20, 1), (0.2999, 1), (0.30, 2), (0.3899, 2), (0.39, 3), (0.4999, 3), (0.50, 4),
    (1.0, 4),
])
def test_a_value_on_a_break_belongs_to_the_upper_class(value, expected):
    classification = mapping.classify(pd.Series([0.3]), metric="coverage", method="fixed", national_rate=NATIONAL)
    assert classification.class_of(value) == expected
    assert classification.color_of(value) == YLGNBU[5][expected]


@pytest.mark.parametrize("missing", [math.nan, float("nan"), np.float64("nan")])
def test_a_missing_value_has_no_class_and_the_grey_no_data_colour(missing):
    classification = mapping.classify(pd.Series([0.3, missing]), metric="coverage", method="fixed",
                                      national_rate=NATIONAL)
    assert classification.class_of(missing) is None
    assert classification.color_of(missing) == mapping.NO_DATA_COLOR
    red, green, blue = rgb(mapping.NO_DATA_COLOR)
    assert red == green == blue  # a neutral grey ...
    assert mapping.NO_DATA_COLOR not in classification.colors  # ... that no class uses


def test_gap_fixed_breaks_are_symmetric_and_coloured_red_below_blue_above():
    values = pd.Series([-0.22, -0.09, -0.01, 0.02, 0.08, 0.36])
    classification = mapping.classify(values, metric="gap", method="fixed", national_rate=NATIONAL)
    breaks = classification.breaks
    assert sorted(-b for b in breaks) == pytest.approx(list(breaks))
    assert 0.0 in breaks
    assert list(classification.colors) == RDBU_6
    half = len(classification.colors) // 2
    for color in classification.colors[:half]:
        red, _, blue = rgb(color)
        assert red > blue, color
    for color in classification.colors[half:]:
        red, _, blue = rgb(color)
        assert blue > red, color
    # Just below the national average is red, at or just above it blue.
    assert rgb(classification.color_of(-0.001))[0] > rgb(classification.color_of(-0.001))[2]
    assert rgb(classification.color_of(0.0))[2] > rgb(classification.color_of(0.0))[0]


@pytest.mark.parametrize("values", [[-0.03, 0.01, 0.07], [0.0, 0.0], [0.002, 0.004], [-0.4, 0.1], [math.nan, 0.05]])
def test_change_fixed_breaks_are_symmetric_around_zero_and_include_it(values):
    classification = mapping.classify(pd.Series(values), metric="change", method="fixed", national_rate=NATIONAL)
    breaks = classification.breaks
    assert list(breaks) == sorted(breaks)
    assert sorted(-b for b in breaks) == pytest.approx(list(breaks))
    assert 0.0 in breaks
    assert len(set(breaks)) == len(breaks)  # a zero-width step would collapse classes
    assert len(classification.colors) == len(breaks) + 1


def test_quantile_puts_two_of_ten_distinct_values_in_each_of_five_classes():
    values = pd.Series([0.12, 0.55, 0.18, 0.31, 0.27, 0.44, 0.39, 0.21, 0.62, 0.35])
    classification = mapping.classify(values, metric="coverage", method="quantile", national_rate=NATIONAL)
    counts = Counter(classification.class_of(v) for v in values)
    assert len(classification.colors) == 5
    assert [counts[i] for i in range(5)] == [2, 2, 2, 2, 2]


def test_equal_interval_breaks_are_evenly_spaced_between_min_and_max():
    values = pd.Series([0.10, 0.13, 0.37, 0.52, 0.60])
    classification = mapping.classify(values, metric="coverage", method="equal", national_rate=NATIONAL)
    step = (0.60 - 0.10) / 5
    assert classification.breaks == pytest.approx([0.10 + step * i for i in range(1, 5)], abs=1e-6)
    assert list(classification.colors) == YLGNBU[5]
    assert classification.class_of(0.10) == 0
    assert classification.class_of(0.60) == 4


@st.composite
def classified_values(draw):
    metric = draw(st.sampled_from(mapping.METRICS))
    low = 0.0 if metric == "coverage" else -1.0
    finite = draw(st.lists(st.floats(low, 1.0, allow_nan=False, allow_infinity=False), min_size=1, max_size=20))
    missing = draw(st.integers(0, 3))
    method = draw(st.sampled_from(mapping.CLASSIFICATIONS))
    national = draw(st.floats(0.0, 1.0, allow_nan=False))
    return metric, method, national, finite, missing


@SETTINGS
@given(classified_values())
def test_classes_grow_with_the_value_and_the_legend_counts_every_value(case):
    metric, method, national, finite, missing = case
    values = pd.Series(finite + [math.nan] * missing)
    classification = mapping.classify(values, metric=metric, method=method, national_rate=national)
    assert list(classification.breaks) == sorted(classification.breaks)
    assert len(classification.colors) == len(classification.breaks) + 1
    classes = [classification.class_of(v) for v in sorted(finite)]
    assert all(0 <= c < len(classification.colors) for c in classes)
    assert classes == sorted(classes)
    legend = mapping.build_legend(classification, values, "id")
    assert len(legend) == len(classification.colors)
    assert sum(entry.count for entry in legend) == len(finite)


# --- legend ---------------------------------------------------------------------------------------------------


def test_legend_labels_are_written_the_indonesian_way(demo_rates):
    classification = mapping.classify(demo_rates, metric="coverage", method="fixed", national_rate=NATIONAL)
    labels = [entry.label for entry in mapping.build_legend(classification, demo_rates, "id")]
    assert labels == ["< 20,0%", "20,0% – 30,0%", "30,0% – 39,0%", "39,0% – 50,0%", "≥ 50,0%"]


def test_legend_labels_in_english_use_a_decimal_point(demo_rates):
    classification = mapping.classify(demo_rates, metric="coverage", method="fixed", national_rate=NATIONAL)
    labels = [entry.label for entry in mapping.build_legend(classification, demo_rates, "en")]
    assert labels == ["< 20.0%", "20.0% – 30.0%", "30.0% – 39.0%", "39.0% – 50.0%", "≥ 50.0%"]


@pytest.mark.parametrize(("lang", "separator"), [("id", ","), ("en", ".")])
def test_gap_legend_labels_are_in_percentage_points(demo_indicators, lang, separator):
    gaps = demo_indicators.set_index("region_code")["gap_national"]
    classification = mapping.classify(gaps, metric="gap", method="fixed", national_rate=NATIONAL)
    labels = [entry.label for entry in mapping.build_legend(classification, gaps, lang)]
    assert labels[0] == f"< -15{separator}0 pp"
    assert labels[-1] == f"≥ +15{separator}0 pp"
    assert all(label.count("pp") == (1 if i in (0, len(labels) - 1) else 2) for i, label in enumerate(labels))
    assert not any("%" in label for label in labels)


def test_legend_counts_match_a_direct_count_of_the_demo_and_every_class_is_used(demo_rates):
    rates = demo_rates.to_numpy()
    expected = [
        int((rates < 0.20).sum()),
        int(((rates >= 0.20) & (rates < 0.30)).sum()),
        int(((rates >= 0.30) & (rates < NATIONAL)).sum()),
        int(((rates >= NATIONAL) & (rates < 0.50)).sum()),
        int((rates >= 0.50).sum()),
    ]
    classification = mapping.classify(demo_rates, metric="coverage", method="fixed", national_rate=NATIONAL)
    legend = mapping.build_legend(classification, demo_rates, "id")
    assert [entry.count for entry in legend] == expected
    assert [entry.color for entry in legend] == YLGNBU[5]
    # The browser test relies on five distinct colours on the demo map.
    assert all(count >= 1 for count in expected)
    assert sum(expected) == len(REGISTRY)


# --- the choropleth -------------------------------------------------------------------------------------------


def test_the_choropleth_has_one_feature_per_region_filled_with_its_class_colour(
        demo_indicators, demo_rates, boundaries):
    _, spec, classification = coverage_deck(demo_indicators, demo_rates, boundaries)
    regions = layer(spec, mapping.LAYER_ID)
    assert regions["@@type"] == "GeoJsonLayer"
    features = region_features(spec)
    assert len(features) == len(REGISTRY)
    assert sorted(f["properties"]["kode"] for f in features) == sorted(REGISTRY.codes)
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in features)
    fills = set()
    for feature in features:
        code = feature["properties"]["kode"]
        expected = classification.colors[class_by_comparison(float(demo_rates[code]), classification.breaks)]
        fill = feature["properties"]["fill"]
        assert tuple(fill[:3]) == rgb(expected), code
        fills.add(tuple(fill[:3]))
    assert len(fills) == 5
    assert regions["getFillColor"] == "@@=properties.fill"


def test_the_selected_region_gets_a_dark_and_wider_outline(demo_indicators, demo_rates, boundaries):
    _, spec, _ = coverage_deck(demo_indicators, demo_rates, boundaries, selected=LEBONG)
    features = {f["properties"]["kode"]: f["properties"] for f in region_features(spec)}
    selected = features.pop(LEBONG)
    assert sum(selected["line"][:3]) < 3 * 100  # dark
    for code, props in features.items():
        assert sum(props["line"][:3]) > sum(selected["line"][:3]) + 300, code
        assert selected["line_width"] > props["line_width"], code
    assert layer(spec, mapping.LAYER_ID)["getLineWidth"] == "@@=properties.line_width"


def test_the_map_is_offline_without_a_basemap_provider_or_style_url(demo_indicators, demo_rates, boundaries):
    deck, spec, _ = coverage_deck(demo_indicators, demo_rates, boundaries)
    assert deck.map_provider is None
    assert spec.get("mapProvider") is None
    text = deck.to_json().lower()
    for word in ("carto", "mapbox", "maptiler", "tiles", "http://", "https://"):
        assert word not in text, word
    style = spec.get("mapStyle")
    assert style is None or not str(style).lower().startswith(("http:", "https:", "mapbox:"))


def test_the_initial_view_frames_the_province_with_enggano_inside(demo_indicators, demo_rates, boundaries):
    _, spec, _ = coverage_deck(demo_indicators, demo_rates, boundaries)
    view = spec["initialViewState"]
    min_lon, min_lat, max_lon, max_lat = boundaries.bounds
    assert min_lat < -5.3  # Enggano is part of the outline
    assert min_lon <= view["longitude"] <= max_lon
    assert min_lat <= view["latitude"] <= max_lat
    assert view["minZoom"] <= view["zoom"] <= view["maxZoom"]  # deck.gl would clamp the zoom otherwise
    _, cy = mercator_px(view["longitude"], view["latitude"], view["zoom"])
    _, enggano_y = mercator_px(view["longitude"], min_lat, view["zoom"])
    assert abs(enggano_y - cy) <= VIEW_H / 2
    assert fits(boundaries.bounds, view["longitude"], view["latitude"], view["zoom"])
    # Framed, not lost in the middle: one zoom level closer, the province would no longer fit.
    assert not fits(boundaries.bounds, view["longitude"], view["latitude"], view["zoom"] + 1)


HOSTILE = "Lebong <script>alert(1)</script> & Co"


@pytest.mark.parametrize("metric", ["coverage", "gap"])
def test_tooltip_values_are_plain_text_and_the_markup_is_only_in_the_template(demo_indicators, boundaries, metric):
    """Streamlit's map component HTML-escapes each value it substitutes into the tooltip template, so the values
    must be the plain text (escaping them too showed "&amp;" and "<b>" as text) and the template holds all markup."""
    indicators = demo_indicators.copy()
    indicators.loc[indicators["region_code"] == LEBONG, "region_name"] = HOSTILE
    column = {"coverage": "rate", "gap": "gap_national"}[metric]
    values = indicators.set_index("region_code")[column]
    classification = mapping.classify(values, metric=metric, method="fixed", national_rate=NATIONAL)
    properties = mapping.region_properties(indicators, values, classification, metric=metric, lang="id",
                                           selected_code=LEBONG)
    deck = mapping.build_choropleth(boundaries, properties, "id")
    spec = json.loads(deck.to_json())

    template = tooltip_of(deck)["html"]
    fields = set(re.findall(r"\{(\w+)\}", template))
    assert {"name", "rate_label", "participants_label", "potential_label", "rank_label", "metric_line"} <= fields
    assert "<script" not in template.lower()
    for feature in region_features(spec):
        props = feature["properties"]
        for field in fields:
            assert "<b>" not in str(props[field]) and "&amp;" not in str(props[field]), (props["kode"], field)
        if props["kode"] == LEBONG:
            assert props["name"] == HOSTILE
            assert props["metric_line"] == ("" if metric == "coverage" else "Selisih ke rata-rata nasional: -22,0 pp")
    labels = [point["label"] for point in layer(spec, mapping.LABEL_LAYER_ID)["data"]]
    assert [label.split("\n")[0] for label in labels if label.startswith("Lebong <")] == [HOSTILE]


def test_literal_string_props_are_not_turned_into_expressions(demo_indicators, demo_rates, boundaries):
    # pydeck reads a bare string as an accessor ("@@=pixels"), which made deck.gl draw nothing.
    _, spec, _ = coverage_deck(demo_indicators, demo_rates, boundaries)
    regions, labels = layer(spec, mapping.LAYER_ID), layer(spec, mapping.LABEL_LAYER_ID)
    assert regions["lineWidthUnits"] == "pixels"
    assert labels["sizeUnits"] == "pixels"
    assert labels["characterSet"] == "auto"
    assert labels["getTextAnchor"] == "middle"
    assert labels["getAlignmentBaseline"] == "center"
    assert not labels["fontFamily"].startswith("@@=")
    # Only the data accessors are expressions.
    assert labels["getText"] == "@@=label"
    assert labels["getPosition"] == "@@=position"


# --- labels ---------------------------------------------------------------------------------------------------
# The box model of monev.mapping.place_labels: half width = longest line × size × 0.28 (+4 px margin), half height =
# lines × 1.2 × size / 2 (+2 px margin); "position" is the centre of the label, "anchor" the point it labels.


def label_box(point: dict, zoom: float) -> tuple[float, float, float, float]:
    lines = str(point["label"]).split("\n")
    half_w = max(len(line) for line in lines) * mapping.LABEL_SIZE_PX * 0.28 + 4
    half_h = len(lines) * mapping.LABEL_SIZE_PX * 1.2 / 2 + 2
    x, y = mercator_px(*point["position"], zoom)
    return x - half_w, y - half_h, x + half_w, y + half_h


def overlap_area(a, b) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def distance_px(a, b, zoom: float) -> float:
    (ax, ay), (bx, by) = mercator_px(*a, zoom), mercator_px(*b, zoom)
    return math.hypot(ax - bx, ay - by)


def test_demo_labels_do_not_overlap_and_stay_in_view_at_the_initial_zoom(demo_indicators, demo_rates, boundaries):
    _, spec, _ = coverage_deck(demo_indicators, demo_rates, boundaries)
    view = spec["initialViewState"]
    zoom = view["zoom"]
    points = layer(spec, mapping.LABEL_LAYER_ID)["data"]
    assert sorted(point["code"] for point in points) == sorted(REGISTRY.codes)
    boxes = [label_box(point, zoom) for point in points]
    overlapping = [(points[i]["label"], points[j]["label"])
                   for i in range(len(boxes)) for j in range(i + 1, len(boxes))
                   if overlap_area(boxes[i], boxes[j]) > 1e-6]
    assert overlapping == []
    cx, cy = mercator_px(view["longitude"], view["latitude"], zoom)
    for point, (left, top, right, bottom) in zip(points, boxes):
        assert cx - VIEW_W / 2 - 1e-6 <= left and right <= cx + VIEW_W / 2 + 1e-6, point["label"]
        assert cy - VIEW_H / 2 - 1e-6 <= top and bottom <= cy + VIEW_H / 2 + 1e-6, point["label"]


def test_a_moved_label_gets_a_leader_line_back_to_its_region(demo_indicators, demo_rates, boundaries):
    _, spec, _ = coverage_deck(demo_indicators, demo_rates, boundaries)
    zoom = spec["initialViewState"]["zoom"]
    points = layer(spec, mapping.LABEL_LAYER_ID)["data"]
    for point in points:
        region = boundaries.shapes[point["code"]]
        assert region.contains(shapely.Point(point["anchor"])), point["code"]  # the anchor lies in its region
        moved = distance_px(point["anchor"], point["position"], zoom)
        assert point["leader"] == (moved >= 18), (point["code"], moved)
    lines = [f["geometry"]["coordinates"] for f in leader_features(spec)]
    assert sorted(lines) == sorted([p["anchor"], p["position"]] for p in points if p["leader"])
    assert any(p["code"] == KOTA_BENGKULU and p["leader"] for p in points)  # too small to carry its label


def test_leader_lines_are_drawn_by_the_regions_layer_unfilled_and_never_picked(
        demo_indicators, demo_rates, boundaries):
    # A layer of their own cost the first draw in a browser another shader compilation.
    deck, spec, _ = coverage_deck(demo_indicators, demo_rates, boundaries)
    assert [entry["id"] for entry in spec["layers"]] == [mapping.LAYER_ID, mapping.LABEL_LAYER_ID]
    features = layer(spec, mapping.LAYER_ID)["data"]["features"]
    leaders = leader_features(spec)
    assert leaders and features[-len(leaders):] == leaders  # after the regions: their positions stay 0 … n-1
    for leader in leaders:
        assert leader["geometry"]["type"] == "LineString"  # a line has no area: the layer fills polygons only
        assert leader["properties"] == {"line": [20, 33, 61, 200], "line_width": 1.5}
    # The line sub-layer draws only the leader lines (the outlines are the polygons' own sub-layer); not pickable,
    # a leader line gets no tooltip (deck.gl would show the template's "{name}") and a click goes to what is beneath.
    assert layer(spec, mapping.LAYER_ID)["_subLayerProps"] == {"linestrings": {"pickable": False}}
    assert mapping.picked_region({mapping.LAYER_ID: [leaders[0]]}) is None
    assert layer(spec, mapping.LAYER_ID)["lineWidthUnits"] == "pixels"  # 1.5 px wide, as before
    assert len(deck.to_json().encode("utf-8")) <= 30_000  # the payload target of the Bengkulu deck


def test_another_map_with_the_same_labels_reuses_their_layout_and_leader_lines(
        demo_indicators, demo_rates, boundaries, monkeypatch):
    _, first, _ = coverage_deck(demo_indicators, demo_rates, boundaries)
    monkeypatch.setattr(mapping.labels, "place_labels", lambda *args, **kwargs: pytest.fail("labels placed again"))
    _, selected, _ = coverage_deck(demo_indicators, demo_rates, boundaries, selected=LEBONG)
    assert layer(selected, mapping.LABEL_LAYER_ID)["data"] == layer(first, mapping.LABEL_LAYER_ID)["data"]
    assert leader_features(selected) == leader_features(first)


def test_the_fallback_maps_leader_lines_look_like_the_choropleths(demo_indicators, demo_rates):
    classification = mapping.classify(demo_rates, metric="coverage", method="fixed", national_rate=NATIONAL)
    properties = mapping.region_properties(demo_indicators, demo_rates, classification, metric="coverage",
                                           lang="id", selected_code=None)
    spec = json.loads(mapping.build_fallback_map(REGISTRY, demo_indicators, properties, "id").to_json())
    leaders = layer(spec, "leader")
    assert leaders["@@type"] == "LineLayer"
    assert (leaders["getColor"], leaders["getWidth"], leaders["widthUnits"]) == ([20, 33, 61, 200], 1.5, "pixels")
    assert leaders["pickable"] is False


def anchor(code: str, lon: float, lat: float, text: str) -> mapping.LabelAnchor:
    return mapping.LabelAnchor(code, lon, lat, text)


def test_a_label_with_no_neighbour_stays_on_its_anchor():
    view = pdk.ViewState(longitude=102.3, latitude=-3.8, zoom=7)
    alone = mapping.place_labels([anchor("17.71", 102.3, -3.8, "Kota Bengkulu\n45,4%")], view, VIEW_W, VIEW_H)
    assert alone[0]["position"] == pytest.approx([102.3, -3.8], abs=1e-9)
    assert alone[0]["leader"] is False
    far_apart = mapping.place_labels([anchor("17.06", 101.7, -2.9, "Mukomuko\n38,7%"),
                                      anchor("17.04", 103.0, -4.6, "Kaur\n75,0%")], view, VIEW_W, VIEW_H)
    assert [p["position"] for p in far_apart] == [pytest.approx([101.7, -2.9], abs=1e-9),
                                                 pytest.approx([103.0, -4.6], abs=1e-9)]
    assert [p["leader"] for p in far_apart] == [False, False]


def test_two_labels_on_the_same_spot_are_pulled_apart():
    view = pdk.ViewState(longitude=102.3, latitude=-3.8, zoom=7)
    placed = mapping.place_labels([anchor("17.09", 102.3, -3.8, "Bengkulu Tengah\n26,1%"),
                                   anchor("17.71", 102.3, -3.8, "Kota Bengkulu\n45,4%")], view, VIEW_W, VIEW_H)
    assert placed[0]["position"] == pytest.approx([102.3, -3.8], abs=1e-9)
    assert placed[1]["position"] != pytest.approx([102.3, -3.8], abs=1e-6)
    assert overlap_area(label_box(placed[0], 7), label_box(placed[1], 7)) == 0
    assert placed[1]["leader"] is True
    assert placed[1]["anchor"] == [102.3, -3.8]


# --- fallback circles -----------------------------------------------------------------------------------------


def test_the_fallback_map_puts_a_circle_at_each_capital_sized_by_potential_workers(demo_indicators, demo_rates):
    classification = mapping.classify(demo_rates, metric="coverage", method="fixed", national_rate=NATIONAL)
    properties = mapping.region_properties(demo_indicators, demo_rates, classification, metric="coverage",
                                           lang="id", selected_code=None)
    deck = mapping.build_fallback_map(REGISTRY, demo_indicators, properties, "id")
    spec = json.loads(deck.to_json())
    assert deck.map_provider is None
    circles = layer(spec, mapping.LAYER_ID)
    assert circles["@@type"] == "ScatterplotLayer"
    points = {point["kode"]: point for point in circles["data"]}
    assert sorted(points) == sorted(REGISTRY.codes)
    potential = demo_indicators.set_index("region_code")["potential_workers"]
    for code, point in points.items():
        region = REGISTRY.get(code)
        assert point["position"] == pytest.approx([region.lon, region.lat])
        expected = classification.colors[class_by_comparison(float(demo_rates[code]), classification.breaks)]
        assert tuple(point["fill"][:3]) == rgb(expected)
    by_size = sorted(points, key=lambda code: potential[code])
    radii = [points[code]["radius_m"] for code in by_size]
    for smaller, larger in itertools.pairwise(by_size):
        if potential[larger] > potential[smaller]:
            assert points[larger]["radius_m"] > points[smaller]["radius_m"], (smaller, larger)
    assert radii == sorted(radii)
    view = spec["initialViewState"]
    lons = [REGISTRY.get(c).lon for c in points]
    lats = [REGISTRY.get(c).lat for c in points]
    assert fits((min(lons), min(lats), max(lons), max(lats)), view["longitude"], view["latitude"], view["zoom"])


# --- the whole map in one call ----------------------------------------------------------------------------------


def test_build_map_draws_the_choropleth_with_its_classes_and_legend(demo_indicators, demo_rates, boundaries):
    built = mapping.build_map(demo_rates, demo_indicators, boundaries, REGISTRY, metric="coverage", method="fixed",
                              national_rate=NATIONAL, selected_code=LEBONG, lang="id", height_px=460)
    breaks = (0.20, 0.30, NATIONAL, 0.50)
    assert built.classification.breaks == pytest.approx(breaks)
    assert list(built.classification.colors) == YLGNBU[5]
    assert [entry.label for entry in built.legend] == ["< 20,0%", "20,0% – 30,0%", "30,0% – 39,0%", "39,0% – 50,0%",
                                                       "≥ 50,0%"]
    counts = Counter(class_by_comparison(rate, breaks) for rate in demo_rates)
    assert [entry.count for entry in built.legend] == [counts[i] for i in range(5)]
    spec = json.loads(built.deck.to_json())
    assert layer(spec, mapping.LAYER_ID)["@@type"] == "GeoJsonLayer"
    view = spec["initialViewState"]
    assert fits(boundaries.bounds, view["longitude"], view["latitude"], view["zoom"], height=460)
    for feature in region_features(spec):
        code = feature["properties"]["kode"]
        assert tuple(feature["properties"]["fill"][:3]) == rgb(YLGNBU[5][class_by_comparison(demo_rates[code], breaks)])
        assert feature["properties"]["line_width"] == (3 if code == LEBONG else 1)


def test_build_map_without_boundaries_draws_circles_at_the_capitals(demo_indicators):
    gaps = demo_indicators.set_index("region_code")["gap_national"]
    built = mapping.build_map(gaps, demo_indicators, None, REGISTRY, metric="gap", method="fixed",
                              national_rate=NATIONAL, selected_code=None, lang="en")
    assert list(built.classification.colors) == RDBU_6
    assert all(entry.label.endswith("pp") for entry in built.legend)
    assert sum(entry.count for entry in built.legend) == len(REGISTRY)
    circles = layer(json.loads(built.deck.to_json()), mapping.LAYER_ID)
    assert circles["@@type"] == "ScatterplotLayer"
    assert [point["position"] for point in circles["data"]] == [
        [REGISTRY.get(code).lon, REGISTRY.get(code).lat] for code in demo_indicators["region_code"]]


def test_a_built_map_cannot_be_changed(demo_indicators, demo_rates):
    built = mapping.build_map(demo_rates, demo_indicators, None, REGISTRY, metric="coverage", method="quantile",
                              national_rate=NATIONAL, selected_code=None, lang="id")
    assert isinstance(built.legend, tuple)  # shared by every session that draws it from the cache
    with pytest.raises(AttributeError):
        built.legend = ()  # type: ignore[misc]


# --- picking --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("selection", "expected"), [
    ({"wilayah": [{"properties": {"kode": "17.07", "name": "Lebong"}}]}, "17.07"),
    ({"wilayah": [{"kode": "17.07", "position": [102.2, -3.1]}]}, "17.07"),
    ({"wilayah": []}, None),
    ({}, None),
    (None, None),
    ({"label": [{"kode": "17.07"}]}, None),
    ({"wilayah": [{"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[102.3, -3.8], [102.1, -4.0]]},
                   "properties": {"line": [20, 33, 61, 200], "line_width": 1.5}}]}, None),  # a leader line
])
def test_picked_region(selection, expected):
    assert mapping.picked_region(selection) == expected


# --- framing --------------------------------------------------------------------------------------------------


@st.composite
def boxes(draw, max_lon_span: float = 46.0, max_lat_span: float = 17.0):
    """(min_lon, min_lat, max_lon, max_lat) inside Indonesia's range, lon 95–141, lat -11–6."""
    min_lon = draw(st.floats(95.0, 141.0))
    min_lat = draw(st.floats(-11.0, 6.0))
    max_lon = draw(st.floats(min_lon, min(141.0, min_lon + max_lon_span)))
    max_lat = draw(st.floats(min_lat, min(6.0, min_lat + max_lat_span)))
    return min_lon, min_lat, max_lon, max_lat


@SETTINGS
@given(boxes(), st.integers(320, 1600), st.integers(300, 1000))
def test_the_view_centres_on_the_box_and_the_whole_box_fits(box, width, height):
    view = mapping.view_for_bounds(box, width_px=width, height_px=height)
    min_lon, min_lat, max_lon, max_lat = box
    assert min_lon - 1e-9 <= view.longitude <= max_lon + 1e-9
    assert min_lat - 1e-9 <= view.latitude <= max_lat + 1e-9
    assert fits(box, view.longitude, view.latitude, view.zoom, width, height)


@SETTINGS
@given(boxes(max_lon_span=10.0, max_lat_span=8.0))
def test_a_province_sized_box_still_fits_after_deck_gl_clamps_the_zoom(box):
    view = mapping.view_for_bounds(box)
    effective = min(max(view.zoom, view.min_zoom), view.max_zoom)
    assert fits(box, view.longitude, view.latitude, effective)


@SETTINGS
@given(boxes(), st.integers(300, 1600), st.integers(300, 1000))
def test_the_height_to_frame_a_box_never_exceeds_the_given_one_and_the_box_fits_in_it(box, width, max_height):
    height = mapping.height_to_frame(box, width, max_height)
    assert height <= max_height
    view = mapping.view_for_bounds(box, width_px=width, height_px=height)
    assert fits(box, view.longitude, view.latitude, view.zoom, width, height)


PHONE_MAP_W = 350  # the map page's content on a 390-px phone, rounded down to the 10 px the browser tells


def test_a_phone_wide_map_frames_the_whole_province_shorter_with_every_label_in_view(
        demo_indicators, demo_rates, boundaries):
    assert mapping.height_to_frame(boundaries.bounds, VIEW_W, VIEW_H) == VIEW_H  # the wide map keeps its height
    height = mapping.height_to_frame(boundaries.bounds, PHONE_MAP_W, VIEW_H)
    assert height < VIEW_H  # a portrait province in a narrow map: no empty bands above and below
    classification = mapping.classify(demo_rates, metric="coverage", method="fixed", national_rate=NATIONAL)
    properties = mapping.region_properties(demo_indicators, demo_rates, classification, metric="coverage", lang="id",
                                           selected_code=None)
    spec = json.loads(mapping.build_choropleth(boundaries, properties, "id", width_px=PHONE_MAP_W,
                                               height_px=height).to_json())
    view = spec["initialViewState"]
    assert fits(boundaries.bounds, view["longitude"], view["latitude"], view["zoom"], PHONE_MAP_W, height)
    assert not fits(boundaries.bounds, view["longitude"], view["latitude"], view["zoom"] + 1, PHONE_MAP_W, height)
    cx, _ = mercator_px(view["longitude"], view["latitude"], view["zoom"])
    points = layer(spec, mapping.LABEL_LAYER_ID)["data"]
    assert sorted(point["code"] for point in points) == sorted(REGISTRY.codes)
    for point in points:
        left, _, right, _ = label_box(point, view["zoom"])
        assert cx - PHONE_MAP_W / 2 - 1e-6 <= left and right <= cx + PHONE_MAP_W / 2 + 1e-6, point["label"]
