"""An office's monthly Excel file in a real browser: the preview shows how it was read, a column no word names is
mapped in the page, and the month saved on top of the data in use keeps every earlier month."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.app.support import OFFICE_TITLES, demo_frame, office_xlsx
from tests.e2e.conftest import sign_in, wait_for_app
from tests.streamlit_server import StreamlitServer

pytestmark = pytest.mark.e2e
UNKNOWN_TOTAL = "Jml Kepesertaan Aktif"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _october_office_file() -> bytes:
    demo = demo_frame()
    october = demo[demo["Periode"] == "2024-10"].reset_index(drop=True)
    return office_xlsx(october, ["No", "Kabupaten/Kota", "Potensi TK", UNKNOWN_TOTAL],
                       titles=(*OFFICE_TITLES, "Posisi: Oktober 2024"))


def test_an_office_file_is_previewed_mapped_and_added_to_the_data_in_use(page: Page,
                                                                        fresh_server: StreamlitServer) -> None:
    page.goto(fresh_server.url + "/data")
    wait_for_app(page)
    sign_in(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(
        {"name": "rekap_okt.xlsx", "mimeType": XLSX_MIME, "buffer": _october_office_file()})
    preview = page.get_by_test_id("stExpander").filter(has_text="Bagaimana berkas dibaca")
    expect(preview.get_by_text("Judul kolom di baris 5.")).to_be_visible(timeout=15_000)
    expect(preview.get_by_text(f"Kolom belum dikenali: '{UNKNOWN_TOTAL}'.")).to_be_visible()

    combobox = page.get_by_role("combobox", name=f"Kolom '{UNKNOWN_TOTAL}'")
    # Streamlit's select box opens its list on typing, as a person searches it; a click alone leaves it closed here.
    combobox.click()
    combobox.press_sequentially("Jumlah peserta")
    page.get_by_role("option", name="Jumlah peserta aktif", exact=True).click()
    preview.get_by_role("button", name="Terapkan pemetaan").click()
    expect(page.get_by_text("lolos pemeriksaan: 10 baris, 1 periode")).to_be_visible(timeout=15_000)
    expect(page.get_by_text(f"'{UNKNOWN_TOTAL}' → Jumlah peserta aktif")).to_be_attached()
    expect(page.get_by_text("Tambahkan bulan ke data aktif")).to_be_visible()

    page.get_by_role("button", name="Simpan sebagai versi baru").click()
    expect(page.get_by_text("Versi 2 (rekap_okt.xlsx) tersimpan")).to_be_visible(timeout=15_000)
    expect(page.get_by_text("100 baris · 10 wilayah · 10 periode (Januari 2024 – Oktober 2024)")).to_be_visible()
