"""The simulator in a real browser: typing a target into the grid repaints the projected map and the cost."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import StreamlitServer, wait_for_app
from tests.e2e.test_map_in_browser import (
    MIN_PIXELS_PER_CLASS,
    _coverage_classes,
    _drawn_colour,
    _map_image,
    _pixels_of,
    _wait_for_map,
)

pytestmark = pytest.mark.e2e
LEBONG_ROW = 6  # registry order: 17.01 … 17.07
TARGET_COLUMN = 3  # Wilayah, Cakupan kini, Belum terdaftar, Target (%)


def _cost_kpi(page: Page) -> str:
    metric = page.get_by_test_id("stMetric").filter(has_text="Biaya per tahun")
    return metric.get_by_test_id("stMetricValue").inner_text()


def test_typing_a_target_repaints_the_map_and_the_cost(page: Page, server: StreamlitServer) -> None:
    page.goto(server.url + "/simulasi")
    wait_for_app(page)
    _wait_for_map(page)
    assert _cost_kpi(page) == "Rp0"
    lightest = _drawn_colour(_coverage_classes().colors[0])  # only Lebong (17 %) is below 20 % today
    before, _ = _map_image(page)
    assert len(_pixels_of(before, lightest)) >= MIN_PIXELS_PER_CLASS

    grid = page.get_by_test_id("stDataFrame").first
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 40, box["y"] + 35 + 17)  # first data row, first column
    for _ in range(TARGET_COLUMN):
        page.keyboard.press("ArrowRight")
    for _ in range(LEBONG_ROW):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_selector(".gdg-input", timeout=10_000)
    page.locator(".gdg-input").fill("30")
    page.keyboard.press("Enter")

    # Lebong to 30 %: ceil(0.30 × 38 435) − 6 534 = 4 997 new participants × Rp16.800 × 12 = Rp1 007 395 200.
    expect(page.get_by_test_id("stMetric").filter(has_text="Biaya per tahun").get_by_test_id("stMetricValue")
           ).to_have_text("Rp1 miliar", timeout=15_000)
    expect(page.get_by_test_id("stAlert").filter(has_text="4.997 peserta BPU")).to_be_visible()
    wait_for_app(page)
    _wait_for_map(page)
    after, _ = _map_image(page)
    assert len(_pixels_of(after, lightest)) < MIN_PIXELS_PER_CLASS, "the projected map still shows Lebong below 20 %"
    assert page.outside_requests == []
