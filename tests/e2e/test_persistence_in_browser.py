"""Persistence in real browsers: a saved scenario's link reopens it elsewhere, two app servers share one
PostgreSQL, and a stopped database gives a read-only banner from which the app recovers by itself."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import SHARED_BOUNDARIES
from tests.e2e.conftest import StreamlitServer, editors_env, sign_in, wait_for_app
from tests.postgres import PostgresServer

pytestmark = pytest.mark.e2e
DEMO_CSV = "data/demo/cakupan_bengkulu_2024.csv"


def _server_on(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> StreamlitServer:
    return StreamlitServer({"MONEV_DATABASE_URL": database_url, "MONEV_BOUNDARIES": str(SHARED_BOUNDARIES),
                            "MONEV_CACHE_DIR": str(tmp_path_factory.mktemp("cache")), **editors_env(tmp_path_factory)})


def _new_page(browser: Browser) -> Page:
    return browser.new_context(viewport={"width": 1920, "height": 1080}, locale="id-ID").new_page()


def _kpi(page: Page, label: str):
    return page.get_by_test_id("stMetric").filter(has_text=label).get_by_test_id("stMetricValue")


def _save_scenario_with_lebong_target(page: Page, server: StreamlitServer, name: str) -> None:
    """On ``server``'s simulator, signed in as an editor: raise every region below the national average to it, then
    save as a scenario."""
    page.goto(server.url + "/simulasi")
    wait_for_app(page)
    sign_in(page)
    page.get_by_role("button", name="Naikkan ke nasional 39,0%").click()
    expect(_kpi(page, "Biaya per tahun")).to_have_text("Rp8,2 miliar", timeout=15_000)
    page.get_by_label("Nama skenario").fill(name)
    page.get_by_role("button", name="Simpan sebagai skenario baru").click()
    expect(page.get_by_text(f"Skenario '{name}' tersimpan.")).to_be_visible(timeout=15_000)


def test_a_saved_scenario_link_reopens_it_in_a_fresh_browser(browser: Browser, postgres_server: PostgresServer,
                                                             tmp_path_factory: pytest.TempPathFactory) -> None:
    server = _server_on(postgres_server.create_database(), tmp_path_factory)
    try:
        page = _new_page(browser)
        _save_scenario_with_lebong_target(page, server, "Semua ke nasional")
        page.wait_for_function("() => location.search.includes('skenario=')", timeout=10_000)
        page.get_by_role("button", name="Salin tautan tampilan ini").click()
        link = page.get_by_test_id("stCode").last.inner_text().strip()
        assert "skenario=" in link and link.startswith("http://127.0.0.1")
        coverage = _kpi(page, "Cakupan provinsi (proyeksi)").inner_text()

        elsewhere = _new_page(browser)  # a new context: no cookies, no session state
        elsewhere.goto(link)
        wait_for_app(elsewhere)
        expect(elsewhere.get_by_text("Semua ke nasional", exact=False).first).to_be_visible()
        expect(_kpi(elsewhere, "Cakupan provinsi (proyeksi)")).to_have_text(coverage)
        expect(_kpi(elsewhere, "Biaya per tahun")).to_have_text("Rp8,2 miliar")
    finally:
        server.stop()


def test_two_app_servers_share_scenarios_and_uploads(browser: Browser, postgres_server: PostgresServer,
                                                     tmp_path_factory: pytest.TempPathFactory) -> None:
    database = postgres_server.create_database()
    first, second = _server_on(database, tmp_path_factory), _server_on(database, tmp_path_factory)
    try:
        on_first = _new_page(browser)
        _save_scenario_with_lebong_target(on_first, first, "Dari server pertama")

        on_second = _new_page(browser)
        on_second.goto(second.url + "/skenario")
        wait_for_app(on_second)
        expect(on_second.get_by_role("combobox", name="Pilih skenario")).to_have_value(
            re.compile("Dari server pertama"))

        # An upload on the second server becomes the active version that the first one shows.
        on_second.goto(second.url + "/data")
        wait_for_app(on_second)
        sign_in(on_second, "Budi")
        on_second.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(
            {"name": "revisi.csv", "mimeType": "text/csv",
             "buffer": _demo_with_more_lebong_participants()})
        on_second.get_by_role("button", name="Simpan sebagai versi baru").click()
        expect(on_second.get_by_text("Versi 2 (revisi.csv) tersimpan")).to_be_visible(timeout=15_000)
        on_first.goto(first.url)
        wait_for_app(on_first)
        expect(on_first.get_by_text("revisi.csv · versi 2").first).to_be_visible()
    finally:
        first.stop()
        second.stop()


def _demo_with_more_lebong_participants() -> bytes:
    """The demo file with 1 000 more BPU participants for Lebong in October 2024."""
    lines = open(DEMO_CSV, encoding="utf-8").read().splitlines()
    header = lines[0].split(",")
    bpu = header.index("Peserta BPU")
    for index, line in enumerate(lines):
        cells = line.split(",")
        if cells[0] == "2024-10" and cells[1] == "Kabupaten Lebong":
            cells[bpu] = str(int(cells[bpu]) + 1000)
            lines[index] = ",".join(cells)
    return ("\n".join(lines) + "\n").encode()


def test_a_stopped_database_gives_a_read_only_banner_and_the_app_recovers(
        browser: Browser, postgres_server: PostgresServer, tmp_path_factory: pytest.TempPathFactory) -> None:
    server = _server_on(postgres_server.create_database(), tmp_path_factory)
    page = _new_page(browser)
    try:
        page.goto(server.url)
        wait_for_app(page)
        expect(_kpi(page, "Cakupan provinsi")).to_have_text("37,0%")
        postgres_server.stop()
        try:
            page.get_by_test_id("stSidebar").get_by_role("link", name="Peta").click()
            expect(page.get_by_text("Database tidak dapat dihubungi").first).to_be_visible(timeout=20_000)
            page.get_by_test_id("stSidebar").get_by_role("link", name="Ringkasan").click()
            expect(_kpi(page, "Cakupan provinsi")).to_have_text("37,0%")  # the last data stays on screen
        finally:
            postgres_server.start()
        # No restart of the app server: after the retry pause the next page run reaches the database again.
        page.wait_for_timeout(6_000)
        page.get_by_test_id("stSidebar").get_by_role("link", name="Peta").click()
        wait_for_app(page)
        expect(page.get_by_text("Database tidak dapat dihubungi")).to_have_count(0, timeout=20_000)
    finally:
        server.stop()
