"""The projector view in real browsers: it fits 1920×1080 and 1280×720 without scrolling, the arrow keys move
between slides, and an upload in another browser reaches the projected numbers within 10 seconds."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import SHARED_BOUNDARIES
from tests.e2e.conftest import StreamlitServer, editors_env, sign_in, wait_for_app
from tests.e2e.test_pages_in_browser import SCREENSHOT_DIR
from tests.e2e.test_persistence_in_browser import _demo_with_more_lebong_participants

pytestmark = pytest.mark.e2e
SLIDE_READY = ".monev-slide-title"
SIZES = [(1920, 1080), (1280, 720)]
SLIDE_COUNT = 7
LIVE_DEADLINE_MS = 10_000


def _scrolls(page: Page) -> bool:
    """Whether anything on the page needs scrolling (the window or Streamlit's main scroll area)."""
    return page.evaluate(
        """() => [document.scrollingElement, document.querySelector('[data-testid="stMain"]'),
                  document.querySelector('[data-testid="stAppViewContainer"]')]
             .filter(Boolean).some(e => e.scrollHeight > e.clientHeight + 1)""")


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_every_slide_fits_the_screen_without_scrolling(browser: Browser, server: StreamlitServer,
                                                       width: int, height: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID")
    page = context.new_page()
    try:
        page.goto(server.url + "/presentasi")
        wait_for_app(page, SLIDE_READY)
        for slide in range(1, SLIDE_COUNT + 1):
            expect(page.get_by_text(f"{slide} / {SLIDE_COUNT}")).to_be_visible()
            page.wait_for_timeout(1200)  # charts and the map draw after the script run
            SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=SCREENSHOT_DIR / f"presenter_{width}x{height}_slide{slide}.png")
            assert not _scrolls(page), f"slide {slide} scrolls at {width}×{height}"
            page.keyboard.press("ArrowRight")
            wait_for_app(page, SLIDE_READY)
        expect(page.get_by_text(f"1 / {SLIDE_COUNT}")).to_be_visible()  # wrapped around by the arrow key
        page.keyboard.press("ArrowLeft")
        expect(page.get_by_text(f"{SLIDE_COUNT} / {SLIDE_COUNT}")).to_be_visible()
        assert page.url.endswith(f"slide={SLIDE_COUNT}") or f"slide={SLIDE_COUNT}&" in page.url
    finally:
        context.close()


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
