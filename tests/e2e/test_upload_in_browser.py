"""An office's monthly file in a real browser: one month uploaded on top of the data in use, previewed, saved, and
every earlier month still there."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import sign_in, wait_for_app
from tests.streamlit_server import StreamlitServer

pytestmark = pytest.mark.e2e
DEMO_CSV = "data/demo/cakupan_bengkulu_2024.csv"


def _october_with_more_lebong_participants() -> bytes:
    with open(DEMO_CSV, encoding="utf-8", newline="") as demo:
        rows = list(csv.reader(demo))
    header, october = rows[0], [row for row in rows[1:] if row[0] == "2024-10"]
    for row in october:
        if row[1] == "Kabupaten Lebong":
            row[4] = str(int(row[4]) + 10_000)  # Peserta BPU
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *october])
    return out.getvalue().encode()


def test_one_month_is_previewed_then_added_to_the_data_in_use(page: Page, fresh_server: StreamlitServer) -> None:
    page.goto(fresh_server.url + "/data")
    wait_for_app(page)
    sign_in(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(
        {"name": "oktober.csv", "mimeType": "text/csv", "buffer": _october_with_more_lebong_participants()})
    expect(page.get_by_text("lolos pemeriksaan: 10 baris, 1 periode")).to_be_visible(timeout=15_000)
    expect(page.get_by_text("Tambahkan bulan ke data aktif")).to_be_visible()
    expect(page.get_by_text("Bila disimpan: Oktober 2024 diganti, tidak ada bulan ditambahkan, 9 bulan "
                            "(Januari 2024 – September 2024) tetap; 1 nilai berubah.")).to_be_visible()

    page.get_by_role("button", name="Simpan sebagai versi baru").click()
    expect(page.get_by_text("Versi 2 (oktober.csv) tersimpan")).to_be_visible(timeout=15_000)
    expect(page.get_by_text("100 baris · 10 wilayah · 10 periode (Januari 2024 – Oktober 2024)")).to_be_visible()
