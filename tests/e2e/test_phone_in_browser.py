"""The map page on a phone (390×844, touch): a swipe over the map scrolls the page, the whole province is drawn
within the screen's width, and a tapped region's panel comes into view."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from PIL import Image
from playwright.sync_api import Browser, CDPSession, Page, expect

from monev import mapping
from tests.e2e.conftest import StreamlitServer, wait_for_app
from tests.e2e.test_map_in_browser import DECK, MIN_PIXELS_PER_CLASS, _coverage_classes, _drawn_colour, _pixels_of

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}
SWIPE_PX = 300
WHITE_MIN = 245  # a channel at least this light: the page's white, nothing drawn
EDGE_PX = 3  # the columns at the map's left and right edges that must stay empty: nothing cut off there
# Streamlit scrolls its main area, not the window: the page's scroll offset is both added up.
SCROLLED = ("() => window.scrollY + (document.querySelector('[data-testid=\"stMain\"]')?.scrollTop ?? 0)")


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """A phone: a narrow portrait screen, touch, a mobile viewport and a dense display."""
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True, device_scale_factor=3,
                                  locale="id-ID")
    yield context.new_page()
    context.close()


def _open_map_page(phone: Page, server: StreamlitServer) -> None:
    phone.goto(server.url + "/peta")
    wait_for_app(phone)
    phone.wait_for_selector(f"{DECK} canvas", timeout=30_000)
    # The page tells the server its width, and the map is drawn again framed for it: shorter than on a wide screen,
    # as a portrait province in a narrow map needs no empty bands above and below it.
    phone.wait_for_function(f"() => document.querySelector('{DECK}').getBoundingClientRect().height"
                            f" < {mapping.MAP_HEIGHT_PX}", timeout=30_000)
    wait_for_app(phone)
    phone.wait_for_timeout(2000)  # deck.gl draws on the next animation frames


def _touch(cdp: CDPSession, kind: str, x: float, y: float) -> None:
    points = [] if kind == "touchEnd" else [{"x": x, "y": y}]
    cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})


def _swipe_up(phone: Page, x: float, y: float) -> None:
    """One finger put down at (x, y) and moved up by ``SWIPE_PX`` in small steps, as a thumb scrolls."""
    cdp = phone.context.new_cdp_session(phone)
    _touch(cdp, "touchStart", x, y)
    steps = 10
    for step in range(1, steps + 1):
        _touch(cdp, "touchMove", x, y - SWIPE_PX * step / steps)
        phone.wait_for_timeout(16)
    _touch(cdp, "touchEnd", x, y - SWIPE_PX)


def _tap(phone: Page, x: float, y: float) -> None:
    cdp = phone.context.new_cdp_session(phone)
    _touch(cdp, "touchStart", x, y)
    _touch(cdp, "touchEnd", x, y)


def test_a_swipe_over_the_map_scrolls_the_page(phone: Page, server: StreamlitServer) -> None:
    _open_map_page(phone, server)
    box = phone.locator(DECK).bounding_box()
    assert box is not None
    start_y = min(box["y"] + box["height"] / 2, PHONE["height"] - 40)
    assert start_y > box["y"] + 20, "the swipe does not start on the map"
    before = phone.evaluate(SCROLLED)
    _swipe_up(phone, box["x"] + box["width"] / 2, start_y)
    phone.wait_for_function(f"before => ({SCROLLED[6:]}) > before + {SWIPE_PX // 2}", arg=before, timeout=5_000)


def test_the_whole_province_is_drawn_within_the_screen(phone: Page, server: StreamlitServer) -> None:
    _open_map_page(phone, server)
    deck = phone.locator(DECK)
    image = Image.open(io.BytesIO(deck.screenshot(scale="css"))).convert("RGB")
    box = deck.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    width, height = image.size
    pixels = image.load()
    cut = [(x, y) for x in [*range(EDGE_PX), *range(width - EDGE_PX, width)] for y in range(height)
           if min(pixels[x, y]) < WHITE_MIN]
    assert not cut, f"something is drawn at the map's left or right edge (cut off there): {cut[:5]}"
    classes = _coverage_classes()
    drawn = [color for color in classes.colors if len(_pixels_of(image, _drawn_colour(color))) >= MIN_PIXELS_PER_CLASS]
    assert drawn == list(classes.colors), f"only {drawn} of {classes.colors} drawn"  # Kaur is the darkest


def test_a_tapped_region_brings_its_panel_into_view(phone: Page, server: StreamlitServer) -> None:
    _open_map_page(phone, server)
    deck = phone.locator(DECK)
    image = Image.open(io.BytesIO(deck.screenshot(scale="css"))).convert("RGB")
    box = deck.bounding_box()  # after the screenshot, which scrolls the map into view
    assert box is not None
    # Lebong is the only region below 20 %: the lightest class colour marks where it is drawn.
    lebong = _pixels_of(image, _drawn_colour(_coverage_classes().colors[0]))
    assert len(lebong) >= MIN_PIXELS_PER_CLASS
    x, y = lebong[len(lebong) // 2]
    _tap(phone, box["x"] + x, box["y"] + y)
    detail = phone.locator(".st-key-region-detail")
    expect(detail.get_by_role("heading", name="Kabupaten Lebong")).to_be_visible(timeout=15_000)
    phone.wait_for_function(
        "() => { const top = document.querySelector('.st-key-region-detail').getBoundingClientRect().top;"
        f" return top >= 0 && top < {PHONE['height'] // 2}; }}", timeout=10_000)
