"""The simulator in a real browser: typing a target into the grid repaints the projected map and the cost."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

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


# The grid draws on a canvas; it mirrors the selected cell in a hidden accessibility table (`glide-cell-<col>-<row>`).
_SELECTED_CELL = """() => {
    const cell = document.querySelector('[data-testid=data-grid-canvas] td[aria-selected=true]');
    return cell ? cell.id : null;
}"""


def _selected_cell(page: Page) -> tuple[int, int] | None:
    cell_id = page.evaluate(_SELECTED_CELL)
    if cell_id is None:
        return None
    column, row = cell_id.removeprefix("glide-cell-").split("-")
    return int(column), int(row)


def _select_cell(page: Page, *, column: int, row: int) -> None:
    """Moves the grid's cursor to a cell with the arrow keys, checking where it is after every key press.

    A key pressed while the grid is still taking focus can be lost, so the cursor is steered by where it really is
    rather than by counting presses.
    """
    grid = page.get_by_test_id("stDataFrame").first
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 40, box["y"] + 35 + 17)  # first data row, first column
    for _ in range(4 * (column + row + 2)):  # bounded: every step normally moves one cell
        where = _selected_cell(page)
        if where == (column, row):
            return
        current_column, current_row = where if where is not None else (0, 0)
        if current_column != column:
            page.keyboard.press("ArrowRight" if current_column < column else "ArrowLeft")
        else:
            page.keyboard.press("ArrowDown" if current_row < row else "ArrowUp")
        try:
            page.wait_for_function(f"(before) => ({_SELECTED_CELL})() !== before",
                                   arg=None if where is None else f"glide-cell-{current_column}-{current_row}",
                                   timeout=2_000)
        except PlaywrightTimeoutError:
            continue  # the key was lost; look again where the cursor is
    raise AssertionError(f"the grid's cursor did not reach column {column}, row {row}; it is at {_selected_cell(page)}")


def test_typing_a_target_repaints_the_map_and_the_cost(page: Page, server: StreamlitServer) -> None:
    page.goto(server.url + "/simulasi")
    wait_for_app(page)
    _wait_for_map(page)
    assert _cost_kpi(page) == "Rp0"
    lightest = _drawn_colour(_coverage_classes().colors[0])  # only Lebong (17 %) is below 20 % today
    before, _ = _map_image(page)
    assert len(_pixels_of(before, lightest)) >= MIN_PIXELS_PER_CLASS

    _select_cell(page, column=TARGET_COLUMN, row=LEBONG_ROW)
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



def _type_budget(page: Page, text: str) -> None:
    """Types ``text`` into the cost parameters' yearly budget and commits it as a person does (Enter)."""
    field = page.get_by_label("Anggaran per tahun (Rp)", exact=True).first  # the allocation panel has the same one
    field.fill(text)
    field.press("Enter")


def test_indonesian_numbers_typed_into_the_grid_and_the_budget(page: Page, server: StreamlitServer) -> None:
    page.goto(server.url + "/simulasi")
    wait_for_app(page)
    expect(page.get_by_label("Rata-rata nasional (%)", exact=True)).to_have_value("39")
    _select_cell(page, column=TARGET_COLUMN, row=LEBONG_ROW)
    page.keyboard.press("Enter")
    page.wait_for_selector(".gdg-input", timeout=10_000)
    page.locator(".gdg-input").fill("39,5")
    page.keyboard.press("Enter")
    # Lebong to 39,5 %: ceil(0.395 × 38 435) − 6 534 = 8 648 new participants × Rp16.800 × 12 = Rp1 743 436 800.
    expect(page.get_by_test_id("stAlert").filter(has_text="8.648 peserta BPU")).to_be_visible(timeout=15_000)
    expect(page.get_by_test_id("stMetric").filter(has_text="Biaya per tahun").get_by_test_id("stMetricValue")
           ).to_have_text("Rp1,7 miliar")

    page.get_by_test_id("stExpander").filter(has_text="Parameter biaya").locator("summary").click()
    _type_budget(page, "1 miliar")  # away from the default first, so the budget typed next is seen to take effect
    expect(page.get_by_test_id("stMetric").filter(has_text="Anggaran terlampaui")).to_be_visible(timeout=15_000)
    _type_budget(page, "5.000.000.000")
    budget_left = page.get_by_test_id("stMetric").filter(has_text="Sisa anggaran")
    expect(budget_left.get_by_test_id("stMetricValue")).to_have_text("Rp3,3 miliar", timeout=15_000)
    expect(budget_left).to_contain_text("dari Rp5 miliar")
    expect(page.get_by_label("Anggaran per tahun (Rp)", exact=True).first).to_have_value("Rp5.000.000.000")
    assert page.outside_requests == []
