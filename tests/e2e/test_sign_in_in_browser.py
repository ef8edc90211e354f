"""A password sign-in in a real browser outlives a reload (a signed session cookie), ends with sign-out, and a
tampered cookie leaves a viewer."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import StreamlitServer, sign_in, wait_for_app

pytestmark = pytest.mark.e2e
SIGNED_IN = "Masuk sebagai Penguji (editor)."
VIEWER_OFFER = "Masuk sebagai editor"


def _signed_in(page: Page) -> None:
    expect(page.get_by_test_id("stSidebar").get_by_text(SIGNED_IN)).to_be_visible(timeout=15_000)


def _a_viewer(page: Page) -> None:
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text(VIEWER_OFFER, exact=True)).to_be_visible(timeout=15_000)
    expect(sidebar.get_by_text(SIGNED_IN)).to_have_count(0)


def _sign_in_cookie(page: Page) -> dict:
    (cookie,) = [cookie for cookie in page.context.cookies() if cookie["name"] == "monev_editor"]
    return dict(cookie)


def _signed_in_on_the_data_page(page: Page, server: StreamlitServer) -> dict:
    """Sign in on the Data page as a person does; the sign-in cookie the page then writes."""
    page.goto(server.url + "/data")
    wait_for_app(page)
    sign_in(page)
    page.wait_for_function("document.cookie.includes('monev_editor=')", timeout=15_000)
    return _sign_in_cookie(page)


def test_a_sign_in_outlives_a_reload_until_sign_out(page: Page, server: StreamlitServer) -> None:
    cookie = _signed_in_on_the_data_page(page, server)
    assert cookie["sameSite"] == "Strict" and cookie["path"] == "/"
    assert cookie["expires"] == -1  # a session cookie: closing the browser ends it

    page.reload()
    wait_for_app(page)
    _signed_in(page)
    expect(page.get_by_test_id("stFileUploader").first).to_be_visible()  # the editor's upload, without a new sign-in

    page.get_by_test_id("stSidebar").get_by_role("button", name="Keluar").click()
    _a_viewer(page)
    page.wait_for_function("!document.cookie.includes('monev_editor=')", timeout=15_000)
    page.reload()
    wait_for_app(page)
    _a_viewer(page)


def test_a_tampered_sign_in_cookie_leaves_a_viewer(page: Page, server: StreamlitServer) -> None:
    cookie = _signed_in_on_the_data_page(page, server)
    payload, signature = cookie["value"].split(".")
    page.context.add_cookies([{**cookie, "value": f"{payload}.{signature[::-1]}"}])

    page.reload()
    wait_for_app(page)
    _a_viewer(page)
    page.wait_for_function("!document.cookie.includes('monev_editor=')", timeout=15_000)  # cleared, not kept
