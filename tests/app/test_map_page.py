"""The map page (pages/peta.py) in a simulated session: choropleth or fallback circles, legend, map clicks, the region
detail, metric and classification controls, and the ?wilayah= link."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from components.state import Keys, WidgetKeys
from monev import geo, mapping
from tests.app.support import (
    MAP_PAGE,
    OVERVIEW_PAGE,
    ROOT,
    browser_tells_content_width,
    click_beside_regions,
    click_region,
    deck_layer,
    deck_spec,
    demo_rates,
    go,
    id_percent,
    id_points,
    legend,
    map_labels,
    new_app,
    new_app_with,
    region_features,
    run,
)

NATIONAL = 0.39
LEBONG, KAUR = "17.07", "17.04"
REGION_CODES = pd.read_csv(ROOT / "data" / "regions.csv", dtype=str).iloc[:, 0].tolist()


@pytest.fixture
def map_page() -> AppTest:
    """A session on the map page (boundaries as the test's environment provides them)."""
    return go(run(new_app()), MAP_PAGE)


def _october() -> pd.Series:
    return demo_rates()["2024-10"]


def _counts(values: pd.Series, breaks: list[float]) -> list[str]:
    """'N wilayah' per class [b(i-1), b(i)), lowest class open below, highest open above."""
    edges = [-np.inf, *breaks, np.inf]
    return [f"{int(((values >= low) & (values < high)).sum())} wilayah" for low, high in pairwise(edges)]


def _features(at) -> dict[str, dict]:
    return {feature["properties"]["kode"]: feature["properties"] for feature in region_features(deck_spec(at))}


def _span_control_shown(at) -> bool:
    return any(box.key == WidgetKeys.CHANGE_FROM for box in at.selectbox)


def _detail_title(at) -> list[str]:
    return [heading.value for heading in at.subheader]


# --- drawing ------------------------------------------------------------------------------------------------------

def test_choropleth_with_shared_boundaries(shared_boundaries, map_page):
    at = map_page
    assert len(at.get("deck_gl_json_chart")) == 1
    spec = deck_spec(at)
    regions = deck_layer(spec, "wilayah")
    assert regions["@@type"] == "GeoJsonLayer"
    features = region_features(spec)
    assert len(features) == 10
    assert sorted(f["properties"]["kode"] for f in features) == sorted(REGION_CODES)
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in features)
    leader_lines = [f for f in regions["data"]["features"] if f not in features]
    assert leader_lines and all(f["geometry"]["type"] == "LineString" for f in leader_lines)
    assert [layer["id"] for layer in spec["layers"]] == ["wilayah", "label"]  # no layer of their own
    assert deck_layer(spec, "label")["@@type"] == "TextLayer"
    assert map_labels(at)["Lebong"] == id_percent(_october()["Kabupaten Lebong"]) == "17,0%"
    assert map_labels(at)["Kaur"] == "75,0%"
    # Offline: no basemap style (pydeck's "unset" sentinel), so the browser fetches no tiles.
    assert spec.get("mapStyle") in (None, "__MAP_STYLE__")
    assert not any("MONEV_BOUNDARIES" in info.value for info in at.info)


def test_a_rerun_sends_the_same_choropleth_without_placing_labels_again(shared_boundaries, map_page, monkeypatch):
    # Placing the labels is the map's costly part: the deck is cached by what it shows, its JSON written once.
    first = map_page.get("deck_gl_json_chart")[0].proto.json
    monkeypatch.setattr("monev.mapping.labels.place_labels", lambda *args, **kwargs: pytest.fail("labels placed again"))
    run(map_page)
    assert map_page.get("deck_gl_json_chart")[0].proto.json == first


def test_legend_lists_five_coverage_classes_with_counts(shared_boundaries, map_page):
    title, entries = legend(map_page)
    assert title == "Cakupan"
    assert [label for label, _ in entries] == ["< 20,0%", "20,0% – 30,0%", "30,0% – 39,0%", "39,0% – 50,0%",
                                               "≥ 50,0%"]
    assert [count for _, count in entries] == _counts(_october(), [0.20, 0.30, NATIONAL, 0.50])


def test_english_legend_says_1_region_and_2_regions(shared_boundaries, map_page):
    map_page.segmented_control(key=WidgetKeys.LANG).set_value("en")
    run(map_page)
    counts = [count for _, count in legend(map_page)[1]]
    assert counts == [_counts(_october(), [0.20, 0.30, NATIONAL, 0.50])[index].replace("wilayah", noun)
                      for index, noun in enumerate(["region", "regions", "regions", "regions", "region"])]
    assert counts[0] == "1 region" and counts[2] == "2 regions"


def test_without_boundaries_circles_and_an_explanation(map_page):
    at = map_page
    assert any("MONEV_BOUNDARIES" in info.value for info in at.info)
    circles = deck_layer(deck_spec(at), "wilayah")
    assert circles["@@type"] == "ScatterplotLayer"
    assert sorted(point["kode"] for point in circles["data"]) == sorted(REGION_CODES)
    assert map_labels(at)["Lebong"] == "17,0%"
    assert len(legend(at)[1]) == 5


# --- clicks and the detail panel ----------------------------------------------------------------------------------

def test_click_on_lebong_opens_its_detail(shared_boundaries, map_page):
    at = click_region(map_page, LEBONG)
    assert at.session_state[Keys.REGION] == LEBONG
    assert "Kabupaten Lebong" in _detail_title(at)
    assert at.metric[0].value == id_percent(_october()["Kabupaten Lebong"]) == "17,0%"
    assert at.query_params["wilayah"] == LEBONG  # AppTest keeps a single value as a str
    features = _features(at)
    assert features[LEBONG]["line_width"] > features[KAUR]["line_width"]  # the selected region is outlined


def test_click_beside_the_regions_clears_the_choice(shared_boundaries, map_page):
    at = click_region(map_page, LEBONG)
    click_beside_regions(at)
    assert at.session_state[Keys.REGION] is None
    assert "Kabupaten Lebong" not in _detail_title(at)
    assert "wilayah" not in at.query_params
    assert any("Klik sebuah wilayah" in info.value for info in at.info)


def test_click_on_another_region_switches_the_detail(shared_boundaries, map_page):
    at = click_region(click_region(map_page, LEBONG), KAUR)
    assert at.session_state[Keys.REGION] == KAUR
    assert "Kabupaten Kaur" in _detail_title(at) and "Kabupaten Lebong" not in _detail_title(at)
    assert at.metric[0].value == id_percent(_october()["Kabupaten Kaur"])
    assert at.query_params["wilayah"] == KAUR


def test_close_button_clears_selection_and_url(shared_boundaries, map_page):
    at = click_region(map_page, LEBONG)
    at.button(key=WidgetKeys.CLOSE_DETAIL).click()
    run(at)
    assert at.session_state[Keys.REGION] is None
    assert "Kabupaten Lebong" not in _detail_title(at)
    assert "wilayah" not in at.query_params
    assert _features(at)[LEBONG]["line_width"] == _features(at)[KAUR]["line_width"]


def test_region_opens_again_after_its_detail_was_closed(shared_boundaries, map_page):
    # Close leaves the map's own selection (kept by the browser) on Lebong: the browser then treats the next click on
    # Lebong as "unselect" and the panel stays closed; Lebong also stays highlighted and the others dimmed.
    at = click_region(map_page, LEBONG)
    at.button(key=WidgetKeys.CLOSE_DETAIL).click()
    run(at)
    click_region(at, LEBONG)
    assert at.session_state[Keys.REGION] == LEBONG
    assert "Kabupaten Lebong" in _detail_title(at)


def test_click_on_a_fallback_circle_selects_the_region(map_page):
    at = click_region(map_page, LEBONG)
    assert deck_layer(deck_spec(at), "wilayah")["@@type"] == "ScatterplotLayer"
    assert at.session_state[Keys.REGION] == LEBONG
    assert "Kabupaten Lebong" in _detail_title(at)


def test_click_on_the_overview_map_selects_the_region(shared_boundaries):
    at = click_region(run(new_app()), LEBONG)
    assert at.session_state[Keys.REGION] == LEBONG
    assert "Kabupaten Lebong" in _detail_title(at)
    go(at, MAP_PAGE)
    assert "Kabupaten Lebong" in _detail_title(at)


# --- metric and classification ------------------------------------------------------------------------------------

def test_gap_metric_recolours_and_relabels(shared_boundaries, map_page):
    at = map_page
    fills_before = {code: props["fill"] for code, props in _features(at).items()}
    at.selectbox(key=WidgetKeys.METRIC).set_value("gap")
    run(at)
    title, entries = legend(at)
    assert title == "Selisih ke rata-rata nasional"
    assert entries and all(label.endswith("pp") for label, _ in entries)
    gaps = _october() - NATIONAL
    assert [count for _, count in entries] == _counts(gaps, [-0.15, -0.05, 0.0, 0.05, 0.15])
    assert map_labels(at)["Lebong"] == id_points(gaps["Kabupaten Lebong"]) == "-22,0 pp"
    assert map_labels(at)["Kaur"] == "+36,0 pp"
    fills_after = {code: props["fill"] for code, props in _features(at).items()}
    assert fills_after != fills_before


def test_change_metric_shows_the_span_and_uses_it(shared_boundaries, map_page):
    at = map_page
    assert not _span_control_shown(at)  # coverage: the span does not apply, so it is not offered at all
    at.selectbox(key=WidgetKeys.METRIC).set_value("change")
    run(at)
    span = at.selectbox(key=WidgetKeys.CHANGE_FROM)
    assert not span.disabled
    assert span.value == "2024-01"
    assert span.options[0] == "Januari 2024" and span.options[-1] == "September 2024"
    rates = demo_rates()
    assert map_labels(at)["Kaur"] == id_points(rates.loc["Kabupaten Kaur", "2024-10"]
                                               - rates.loc["Kabupaten Kaur", "2024-01"])
    span.set_value("2024-06")
    run(at)
    june_change = rates["2024-10"] - rates["2024-06"]
    assert map_labels(at)["Kaur"] == id_points(june_change["Kabupaten Kaur"])
    assert map_labels(at)["Lebong"] == id_points(june_change["Kabupaten Lebong"])
    title, entries = legend(at)
    assert title == "Perubahan cakupan"
    assert sum(int(count.split()[0]) for _, count in entries) == 10
    at.selectbox(key=WidgetKeys.METRIC).set_value("gap")
    run(at)
    assert not _span_control_shown(at)


def test_overview_change_map_uses_a_span_that_ends_at_the_period(shared_boundaries, map_page):
    # The map page resets a span start that is not before the period to the first month; the overview map must not
    # show the change over a span running backwards (here September -> June).
    at = map_page
    at.selectbox(key=WidgetKeys.METRIC).set_value("change")
    run(at)
    at.selectbox(key=WidgetKeys.CHANGE_FROM).set_value("2024-09")
    run(at)
    go(at, OVERVIEW_PAGE)
    at.selectbox(key=WidgetKeys.PERIOD).set_value("2024-06")
    run(at)
    rates = demo_rates()
    from_first = id_points(rates.loc["Kabupaten Lebong", "2024-06"] - rates.loc["Kabupaten Lebong", "2024-01"])
    backwards = id_points(rates.loc["Kabupaten Lebong", "2024-06"] - rates.loc["Kabupaten Lebong", "2024-09"])
    assert from_first != backwards
    overview_label = map_labels(at)["Lebong"]
    go(at, MAP_PAGE)
    assert map_labels(at)["Lebong"] == from_first
    assert overview_label == from_first


def test_quantile_classification_changes_the_legend(shared_boundaries, map_page):
    at = map_page
    fixed_labels = [label for label, _ in legend(at)[1]]
    at.segmented_control(key=WidgetKeys.CLASSIFICATION).set_value("quantile")
    run(at)
    assert at.session_state[Keys.CLASSIFICATION] == "quantile"
    _, entries = legend(at)
    labels = [label for label, _ in entries]
    assert labels != fixed_labels
    q = [id_percent(b) for b in np.quantile(_october().to_numpy(), [0.2, 0.4, 0.6, 0.8])]
    assert labels == [f"< {q[0]}", f"{q[0]} – {q[1]}", f"{q[1]} – {q[2]}", f"{q[2]} – {q[3]}", f"≥ {q[3]}"]
    assert [count for _, count in entries] == ["2 wilayah"] * 5  # ten distinct values, five quantile classes


def test_classification_survives_a_page_switch(shared_boundaries, map_page):
    at = map_page
    at.segmented_control(key=WidgetKeys.CLASSIFICATION).set_value("equal")
    run(at)
    go(at, OVERVIEW_PAGE)
    go(at, MAP_PAGE)
    assert at.segmented_control(key=WidgetKeys.CLASSIFICATION).value == "equal"


# --- ?wilayah= ----------------------------------------------------------------------------------------------------

def test_wilayah_link_selects_the_region_on_first_run(shared_boundaries):
    at = run(new_app_with({"wilayah": LEBONG}, MAP_PAGE))
    assert at.title[0].value == "Peta cakupan per wilayah"
    assert at.session_state[Keys.REGION] == LEBONG
    assert "Kabupaten Lebong" in _detail_title(at)
    assert at.metric[0].value == "17,0%"
    assert _features(at)[LEBONG]["line_width"] > _features(at)[KAUR]["line_width"]
    assert at.query_params["wilayah"] == LEBONG


def test_unknown_wilayah_in_the_link_is_ignored(shared_boundaries):
    at = run(new_app_with({"wilayah": "99.99"}, MAP_PAGE))
    assert at.session_state[Keys.REGION] is None
    assert not any(heading.value.startswith(("Kabupaten", "Kota")) for heading in at.subheader)
    assert any("Klik sebuah wilayah" in info.value for info in at.info)
    assert "wilayah" not in at.query_params


# --- a phone ------------------------------------------------------------------------------------------------------

def test_on_a_phone_the_map_is_framed_for_the_width_the_browser_tells(shared_boundaries, map_page):
    bounds = geo.load_boundaries().boundaries.bounds
    wide = mapping.view_for_bounds(bounds)
    assert deck_spec(map_page)["initialViewState"]["zoom"] == wide.zoom  # nothing told yet: framed for a wide column
    browser_tells_content_width(map_page, 350)
    narrow = mapping.view_for_bounds(bounds, width_px=350,
                                     height_px=mapping.height_to_frame(bounds, 350, mapping.MAP_HEIGHT_PX))
    assert deck_spec(map_page)["initialViewState"]["zoom"] == narrow.zoom < wide.zoom
    assert sorted(_features(map_page)) == sorted(REGION_CODES)
    browser_tells_content_width(map_page, None)  # turned to landscape: a wide screen again
    assert deck_spec(map_page)["initialViewState"]["zoom"] == wide.zoom
