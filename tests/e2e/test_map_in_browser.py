"""The map in a real browser: polygons really drawn in their class colours, a click opens the region, a leader line
shows no tooltip, a deep link selects it on a fresh server, Indonesian numbers reach the screen, the overview fits a
projector."""

from __future__ import annotations

import io
import json
import math

import pytest
import shapely
from PIL import Image
from playwright.sync_api import Page, expect

from monev import geo, mapping
from monev.dataset import load_demo
from monev.indicators import NATIONAL_RATE_DEFAULT, region_indicators
from monev.regions import load_registry
from tests.conftest import SHARED_BOUNDARIES
from tests.e2e.conftest import StreamlitServer, wait_for_app
from tests.e2e.test_pages_in_browser import SCREENSHOT_DIR

pytestmark = pytest.mark.e2e
DECK = '[data-testid="stDeckGlJsonChart"]'
COLOUR_TOLERANCE = 10
FILL_ALPHA = 235
MIN_PIXELS_PER_CLASS = 10  # sampled every 2 px: 10 samples are about 40 drawn pixels
TILE_PX = 512  # deck.gl's Web-Mercator world is 512 px wide at zoom 0
KOTA_BENGKULU = load_registry().match("Kota Bengkulu").code
MIN_PX_FROM_REGIONS = 4  # a hover this far from every region can only hit the leader line


def _drawn_colour(hex_color: str) -> tuple[int, int, int]:
    """What a fill of ``hex_color`` at the map's alpha looks like over the white page."""
    rgb = [int(hex_color[i:i + 2], 16) for i in (1, 3, 5)]
    return tuple(round((c * FILL_ALPHA + 255 * (255 - FILL_ALPHA)) / 255) for c in rgb)


def _coverage_classes() -> mapping.Classification:
    indicators = region_indicators(load_demo(), "2024-10")
    return mapping.classify(indicators.set_index("region_code")["rate"], metric="coverage", method="fixed",
                            national_rate=NATIONAL_RATE_DEFAULT)


def _wait_for_map(page: Page) -> None:
    page.wait_for_selector(f"{DECK} canvas", timeout=30_000)
    page.wait_for_timeout(2000)  # deck.gl draws on the next animation frames


def _pixels_of(image: Image.Image, colour: tuple[int, int, int]) -> list[tuple[int, int]]:
    width, height = image.size
    data = image.load()
    return [(x, y) for y in range(0, height, 2) for x in range(0, width, 2)
            if all(abs(a - b) <= COLOUR_TOLERANCE for a, b in zip(data[x, y], colour))]


def _screen_px(lon: float, lat: float, view: dict, box: dict[str, float]) -> tuple[float, float]:
    """Where deck.gl draws (lon, lat) in a map of ``box``'s size centred on ``view`` (Web Mercator, y down)."""
    def world(lon: float, lat: float) -> tuple[float, float]:
        scale = TILE_PX * 2 ** view["zoom"] / (2 * math.pi)
        return scale * math.radians(lon), -scale * math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    (x, y), (cx, cy) = world(lon, lat), world(view["longitude"], view["latitude"])
    return box["width"] / 2 + x - cx, box["height"] / 2 + y - cy


def _point_on_leader_beside_regions(code: str, box: dict[str, float]) -> tuple[float, float]:
    """A point (in the map's pixels) on the leader line to ``code``'s label that lies away from every region, on
    the coverage map as the map page builds it."""
    boundaries = geo.load_boundaries(env={geo.BOUNDARIES_ENV: str(SHARED_BOUNDARIES)}).boundaries
    indicators = region_indicators(load_demo(), "2024-10")
    rates = indicators.set_index("region_code")["rate"]
    properties = mapping.region_properties(indicators, rates, _coverage_classes(), metric="coverage", lang="id",
                                           selected_code=None)
    deck = json.loads(mapping.build_choropleth(boundaries, properties, "id").to_json())
    labels = next(layer for layer in deck["layers"] if layer["id"] == mapping.LABEL_LAYER_ID)["data"]
    label = next(point for point in labels if point["code"] == code)
    assert label["leader"], f"the label of {code} has no leader line"
    regions = shapely.union_all(list(boundaries.shapes.values()))
    view = deck["initialViewState"]
    # In Web Mercator a degree of latitude spans at least as many pixels as one of longitude: a lower bound.
    px_per_degree = TILE_PX * 2 ** view["zoom"] / 360
    for step in range(1, 20):
        lon, lat = (a + (p - a) * step / 20 for a, p in zip(label["anchor"], label["position"]))
        if regions.distance(shapely.Point(lon, lat)) * px_per_degree >= MIN_PX_FROM_REGIONS:
            return _screen_px(lon, lat, view, box)
    raise AssertionError(f"the leader line to {code}'s label runs over regions only")


def _map_image(page: Page) -> tuple[Image.Image, dict[str, float]]:
    deck = page.locator(DECK).first
    return Image.open(io.BytesIO(deck.screenshot())).convert("RGB"), deck.bounding_box()


def test_overview_map_draws_every_coverage_class_in_its_colour(page: Page, server: StreamlitServer) -> None:
    page.goto(server.url)
    wait_for_app(page)
    _wait_for_map(page)
    image, _ = _map_image(page)
    classes = _coverage_classes()
    found = {color for color in classes.colors if len(_pixels_of(image, _drawn_colour(color))) >= MIN_PIXELS_PER_CLASS}
    assert len(found) >= 5, f"only {sorted(found)} of {classes.colors} drawn"
    assert page.outside_requests == []


def _lebong_on_the_map_page(page: Page, server: StreamlitServer) -> tuple[float, float, dict]:
    """Open the map page and find Lebong: the only region below 20 %, so the lightest class colour marks where it is
    drawn. Its centre (x, y) in the map's pixels, and the map's box on the page."""
    page.goto(server.url + "/peta")
    wait_for_app(page)
    _wait_for_map(page)
    image, box = _map_image(page)
    lebong = _pixels_of(image, _drawn_colour(_coverage_classes().colors[0]))
    assert len(lebong) >= MIN_PIXELS_PER_CLASS
    return sum(p[0] for p in lebong) / len(lebong), sum(p[1] for p in lebong) / len(lebong), box


def test_clicking_lebong_opens_its_detail_and_puts_it_in_the_url(page: Page, server: StreamlitServer) -> None:
    x, y, box = _lebong_on_the_map_page(page, server)
    page.mouse.move(box["x"] + x, box["y"] + y)
    tooltip = page.locator(".deck-tooltip")
    expect(tooltip).to_contain_text("Lebong")
    expect(tooltip).to_contain_text("17,0%")  # Indonesian decimal comma on screen
    expect(tooltip).to_contain_text("38.435")  # and thousands separators
    page.mouse.click(box["x"] + x, box["y"] + y)
    detail = page.locator(".st-key-region-detail")
    expect(detail.get_by_role("heading", name="Kabupaten Lebong")).to_be_visible(timeout=15_000)
    expect(detail.get_by_test_id("stMetricValue").first).to_have_text("17,0%")
    page.wait_for_function("() => location.search.includes('wilayah=17.07')", timeout=10_000)
    assert page.outside_requests == []


def test_the_tooltip_shows_its_values_as_text_not_as_markup(page: Page, server: StreamlitServer) -> None:
    """Streamlit escapes the values it puts into the tooltip; values escaped by us too showed "<b>" as text."""
    x, y, _ = _lebong_on_the_map_page(page, server)
    page.goto(server.url + "/peta?metrik=selisih")  # same layout: Lebong is drawn at the same place
    wait_for_app(page)
    _wait_for_map(page)
    _, box = _map_image(page)
    page.mouse.move(box["x"] + x, box["y"] + y)
    tooltip = page.locator(".deck-tooltip")
    expect(tooltip).to_contain_text("Selisih ke rata-rata nasional: -22,0 pp")
    assert "<b>" not in tooltip.inner_text() and "&amp;" not in tooltip.inner_text()


def test_a_leader_line_shows_no_tooltip(page: Page, server: StreamlitServer) -> None:
    # The leader lines are drawn by the regions' layer but carry no region: a tooltip there would show the
    # template's placeholders ("{name}").
    page.goto(server.url + "/peta")
    wait_for_app(page)
    _wait_for_map(page)
    image, box = _map_image(page)
    assert round(box["height"]) == mapping.MAP_HEIGHT_PX, "the map page's map is not framed as built here"
    lebong = _pixels_of(image, _drawn_colour(_coverage_classes().colors[0]))
    tooltip = page.locator(".deck-tooltip")
    page.mouse.move(box["x"] + lebong[len(lebong) // 2][0], box["y"] + lebong[len(lebong) // 2][1])
    expect(tooltip).to_contain_text("Lebong")  # hovering works here ...
    x, y = _point_on_leader_beside_regions(KOTA_BENGKULU, box)
    page.mouse.move(box["x"] + x, box["y"] + y)
    expect(tooltip).to_be_hidden()  # ... and the leader line is not picked
    assert page.outside_requests == []


def test_deep_link_to_a_region_on_a_fresh_server_shows_it(page: Page, fresh_server: StreamlitServer) -> None:
    page.goto(fresh_server.url + "/peta?wilayah=17.07")
    wait_for_app(page)
    detail = page.locator(".st-key-region-detail")
    expect(detail.get_by_role("heading", name="Kabupaten Lebong")).to_be_visible()
    expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)
    assert "wilayah=17.07" in page.url
    assert page.outside_requests == []


def test_without_boundaries_the_fallback_map_explains_itself(page: Page,
                                                            server_without_boundaries: StreamlitServer) -> None:
    page.goto(server_without_boundaries.url)
    wait_for_app(page)
    expect(page.get_by_test_id("stAlert").filter(has_text="MONEV_BOUNDARIES")).to_be_visible()
    _wait_for_map(page)
    image, _ = _map_image(page)
    drawn = [c for c in _coverage_classes().colors if _pixels_of(image, _drawn_colour(c))]
    assert len(drawn) >= 3, "the fallback circles are not drawn in their class colours"
    assert page.outside_requests == []


def test_overview_fits_a_1920x1080_projector_without_overlap(page: Page, server: StreamlitServer) -> None:
    page.goto(server.url)
    wait_for_app(page)
    _wait_for_map(page)
    page.wait_for_selector('[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg')
    parts = {
        "kpis": page.get_by_test_id("stMetric").first,
        "last_kpi": page.get_by_test_id("stMetric").nth(3),
        "map": page.locator(DECK).first,
        "legend": page.locator("[data-testid='monev-legend']").first,
        "ranking": page.get_by_test_id("stVegaLiteChart").first,
    }
    boxes = {name: locator.bounding_box() for name, locator in parts.items()}
    for name, box in boxes.items():
        assert box is not None and box["width"] > 0, f"{name} is not shown"
        assert box["y"] >= 0 and box["y"] + box["height"] <= 1080, f"{name} is outside the 1080-px screen: {box}"
    names = list(boxes)
    for i, first in enumerate(names):
        for second in names[i + 1:]:
            a, b = boxes[first], boxes[second]
            overlap = (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
                       and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])
            assert not overlap, f"{first} overlaps {second}"
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOT_DIR / "overview_map_1920x1080.png")
