"""The projector view in real browsers: every slide's main content fills a 1920×1080 screen, nothing is cut or
scrolls at 1280×720, the arrow keys move between slides, the scenarios slide chooses saved scenarios itself, and an
upload in another browser reaches the projected numbers within 10 seconds."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from monev.dataset import load_demo
from monev.store import Store
from tests.app.support import scenario_body
from tests.conftest import SHARED_BOUNDARIES
from tests.e2e.conftest import StreamlitServer, editors_env, sign_in, wait_for_app
from tests.e2e.test_pages_in_browser import SCREENSHOT_DIR
from tests.e2e.test_persistence_in_browser import _demo_with_more_lebong_participants
from tests.users import editor

pytestmark = pytest.mark.e2e
SLIDE_READY = ".monev-slide-title"
SIZES = [(1920, 1080), (1280, 720)]
SLIDE_COUNT = 7
SCENARIOS_SLIDE = 6
LIVE_DEADLINE_MS = 10_000
SCENARIO_NAME = "Lebong ke 30 persen"
LEBONG = "17.07"
FILLED_SHARE = 0.6  # of the viewport's height, for each slide's main content at 1920×1080
MIN_MAP_WIDTH_PX = 1000
# Each slide's main content: what has to fill the screen.
MAIN_CONTENT = {
    1: ".st-key-slide_kpi [data-testid='stHorizontalBlock']",
    2: ".st-key-slide_map [data-testid='stDeckGlJsonChart']",
    3: ".st-key-slide_ranking [data-testid='stVegaLiteChart']",
    4: ".st-key-slide_trend [data-testid='stVegaLiteChart']",
    5: ".st-key-slide_focus [data-testid='stHorizontalBlock']",
    6: ".st-key-slide_scenarios",
    7: ".monev-sources",
}
# Every element on the slide that holds text of its own, and whether it is cut: wider than its box, or clipped with
# an ellipsis.
_CUT_TEXTS = """() => [...document.querySelectorAll('.st-key-slide *')]
    .filter(e => [...e.childNodes].some(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim()))
    .filter(e => { const style = getComputedStyle(e);
                   const clipped = style.overflow !== 'visible' || style.overflowX !== 'visible';
                   return e.scrollWidth > e.clientWidth + 1 && (clipped || style.textOverflow === 'ellipsis')
                          || style.textOverflow === 'ellipsis' && e.scrollWidth > e.clientWidth; })
    .map(e => e.textContent.trim())"""


@pytest.fixture(scope="module")
def projector_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    """The app with one saved scenario, which no session has chosen yet."""
    database = f"sqlite:///{tmp_path_factory.mktemp('projector') / 'monev.sqlite3'}"
    store = Store(database)
    store.ensure_ready(load_demo())
    store.save_scenario(name=SCENARIO_NAME, body=scenario_body("target", {LEBONG: 30}), dataset_version_id=1,
                        period="2024-10", author=editor("Penguji"))
    started = StreamlitServer({"MONEV_DATABASE_URL": database, "MONEV_BOUNDARIES": str(SHARED_BOUNDARIES),
                               "MONEV_CACHE_DIR": str(tmp_path_factory.mktemp("cache"))})
    yield started
    started.stop()


def _scrolls(page: Page) -> bool:
    """Whether anything on the page needs scrolling (the window or Streamlit's main scroll area)."""
    return page.evaluate(
        """() => [document.scrollingElement, document.querySelector('[data-testid="stMain"]'),
                  document.querySelector('[data-testid="stAppViewContainer"]')]
             .filter(Boolean).some(e => e.scrollHeight > e.clientHeight + 1)""")


def _choose_the_saved_scenario(page: Page) -> None:
    """Pick the saved scenario in the scenarios slide's own picker, as a presenter does."""
    page.get_by_test_id("stMultiSelect").click()
    page.get_by_role("option", name=SCENARIO_NAME).click()
    page.keyboard.press("Escape")
    expect(page.get_by_text(SCENARIO_NAME, exact=True).last).to_be_visible()
    expect(page.get_by_test_id("stMetric").filter(has_text="Cakupan provinsi (proyeksi)")).to_be_visible()
    wait_for_app(page, SLIDE_READY)


def _walk_the_slides(browser: Browser, server: StreamlitServer, width: int, height: int, check) -> None:
    """Every slide in turn with the arrow key (the saved scenario chosen on its slide), ``check(page, slide)`` on
    each, and no scrolling anywhere."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID")
    page = context.new_page()
    try:
        page.goto(server.url + "/presentasi")
        wait_for_app(page, SLIDE_READY)
        for slide in range(1, SLIDE_COUNT + 1):
            expect(page.get_by_text(f"{slide} / {SLIDE_COUNT}")).to_be_visible()
            if slide == SCENARIOS_SLIDE:
                _choose_the_saved_scenario(page)
            page.wait_for_timeout(1200)  # charts and the map draw after the script run
            SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=SCREENSHOT_DIR / f"presenter_{width}x{height}_slide{slide}.png")
            assert not _scrolls(page), f"slide {slide} scrolls at {width}×{height}"
            check(page, slide)
            page.evaluate("document.activeElement.blur()")  # the arrow keys go to the slides, not to the picker
            page.keyboard.press("ArrowRight")
            wait_for_app(page, SLIDE_READY)
        expect(page.get_by_text(f"1 / {SLIDE_COUNT}")).to_be_visible()  # wrapped around by the arrow key
        page.keyboard.press("ArrowLeft")
        expect(page.get_by_text(f"{SLIDE_COUNT} / {SLIDE_COUNT}")).to_be_visible()
        assert page.url.endswith(f"slide={SLIDE_COUNT}") or f"slide={SLIDE_COUNT}&" in page.url
    finally:
        context.close()


def test_every_slide_s_main_content_fills_a_full_hd_projector(browser: Browser,
                                                              projector_server: StreamlitServer) -> None:
    def fills(page: Page, slide: int) -> None:
        box = page.locator(MAIN_CONTENT[slide]).first.bounding_box()
        assert box is not None, f"slide {slide} has no main content"
        assert box["height"] >= FILLED_SHARE * 1080, f"slide {slide}: {box['height']:.0f} px high"
        if slide == 2:
            assert box["width"] > MIN_MAP_WIDTH_PX, f"the map is {box['width']:.0f} px wide"

    _walk_the_slides(browser, projector_server, 1920, 1080, fills)


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_no_text_on_any_slide_is_cut(browser: Browser, projector_server: StreamlitServer, width: int,
                                     height: int) -> None:
    def nothing_cut(page: Page, slide: int) -> None:
        assert page.evaluate(_CUT_TEXTS) == [], f"slide {slide} at {width}×{height}"

    _walk_the_slides(browser, projector_server, width, height, nothing_cut)


def test_an_upload_elsewhere_reaches_the_projector_within_ten_seconds(
        browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> None:
    database = tmp_path_factory.mktemp("live") / "monev.sqlite3"
    server = StreamlitServer({"MONEV_DATABASE_URL": f"sqlite:///{database}",
                              "MONEV_BOUNDARIES": str(SHARED_BOUNDARIES),
                              "MONEV_CACHE_DIR": str(tmp_path_factory.mktemp("cache")),
                              **editors_env(tmp_path_factory)})
    projector = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="id-ID").new_page()
    laptop = browser.new_context(viewport={"width": 1440, "height": 900}, locale="id-ID").new_page()
    try:
        projector.goto(server.url + "/presentasi?slide=1")
        wait_for_app(projector, SLIDE_READY)
        coverage = projector.get_by_test_id("stMetric").filter(has_text="Cakupan provinsi").get_by_test_id(
            "stMetricValue")
        expect(coverage).to_have_text("37,0%")
        expect(projector.get_by_test_id("monev-live")).to_contain_text("Langsung")
        navigations = []
        projector.on("framenavigated", lambda frame: navigations.append(frame.url))

        laptop.goto(server.url + "/data")
        wait_for_app(laptop)
        sign_in(laptop)
        laptop.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(
            {"name": "revisi.csv", "mimeType": "text/csv", "buffer": _demo_with_more_lebong_participants()})
        laptop.get_by_role("button", name="Simpan sebagai versi baru").click()
        expect(laptop.get_by_text("Versi 2 (revisi.csv) tersimpan")).to_be_visible(timeout=15_000)

        # 262 814 ÷ 708 000 = 37,12 %: the projector must show it without anyone touching it.
        expect(coverage).to_have_text("37,1%", timeout=LIVE_DEADLINE_MS)
        expect(projector.get_by_text("data versi 2").first).to_be_visible()
        assert navigations == [], "the projector reloaded the page instead of updating in place"
    finally:
        server.stop()
