"""Pages in a real browser: deep links on a fresh server, Indonesian numbers on screen, nothing fetched outside."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from components.page import PAGES
from tests.e2e.conftest import StreamlitServer, wait_for_app

pytestmark = pytest.mark.e2e
SCREENSHOT_DIR = Path(os.environ.get("MONEV_SCREENSHOTS") or tempfile.mkdtemp(prefix="monev-screens-"))


def test_overview_shows_province_against_national_with_kaur_first(page: Page, server: StreamlitServer) -> None:
    page.goto(server.url)
    wait_for_app(page)
    main = page.get_by_test_id("stMainBlockContainer")
    expect(main.get_by_role("heading", name="Ringkasan cakupan Jamsostek")).to_be_visible()
    expect(main.get_by_test_id("stMetricValue").first).to_have_text("37,0%")
    expect(main.get_by_text("nasional 39,0%").first).to_be_visible()
    expect(main.get_by_text("Data contoh (ilustrasi)").first).to_be_visible()
    page.wait_for_selector('[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg')
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOT_DIR / "overview_1920x1080.png", full_page=True)
    assert page.outside_requests == []


@pytest.mark.parametrize(
    ("path", "heading"),
    [("/data", "Data cakupan"), ("/peta", "Peta cakupan per wilayah"), ("/tren", "Tren, segmen dan target"),
     ("/", "Ringkasan cakupan Jamsostek")],
)
def test_deep_link_on_fresh_server_runs_our_page_with_our_navigation(
    page: Page, fresh_server: StreamlitServer, path: str, heading: str
) -> None:
    page.goto(fresh_server.url + path)
    wait_for_app(page)
    expect(page.get_by_test_id("stMainBlockContainer").get_by_role("heading", name=heading)).to_be_visible()
    sidebar = page.get_by_test_id("stSidebar")
    # Our translated navigation, not Streamlit's automatic pages/ list (which would name the page "data").
    expect(sidebar.get_by_test_id("stPageLink")).to_have_count(len(PAGES))
    expect(sidebar.get_by_text("Ringkasan")).to_be_visible()
    expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)
    assert page.outside_requests == []


def test_language_switch_follows_into_navigation_and_numbers(page: Page, server: StreamlitServer) -> None:
    page.goto(server.url)
    wait_for_app(page)
    page.get_by_test_id("stSidebar").get_by_role("radio", name="English").click()
    main = page.get_by_test_id("stMainBlockContainer")
    expect(main.get_by_role("heading", name="Jamsostek coverage overview")).to_be_visible()
    expect(main.get_by_test_id("stMetricValue").first).to_have_text("37.0%")
    page.get_by_test_id("stSidebar").get_by_role("link", name="Data").click()
    expect(page.get_by_test_id("stMainBlockContainer").get_by_role("heading", name="Coverage data")).to_be_visible()
