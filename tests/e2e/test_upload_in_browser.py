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


# A "5.000" turned negative, text in a number column, more participants than potential workers, an unknown region.
_TYPED_FAULTS = "\n".join([
    "Periode,Wilayah,Pekerja Potensial,Peserta PU,Peserta BPU,Peserta Jakon,Peserta PMI,Target (%),Keterangan",
    '2024-10,Kaur,45426,"-5.000",15518,4417,0,39,',
    "2024-10,Seluma,lima ribu,900,200,0,0,39,",
    '2024-10,Lebong,"1.000","5.000",0,0,0,39,',
    "2024-10,Atlantis,38435,3036,2395,1103,0,39,",
]).encode()
# Text in the report wider than its box: scrolled or cut, not read.
_CUT_TEXT = """report => [...report.querySelectorAll('[data-testid="stMarkdownContainer"], '
                                     + '[data-testid="stMarkdownContainer"] *')]
    .filter(element => element.clientWidth > 0 && element.scrollWidth > element.clientWidth)
    .map(element => element.textContent)"""


@pytest.mark.parametrize("width", [1280, 390])
def test_the_validation_report_shows_each_fix_whole_and_the_cells_as_typed(page: Page, server: StreamlitServer,
                                                                           width: int) -> None:
    page.goto(server.url + "/data")
    wait_for_app(page)
    sign_in(page)  # in the sidebar, which a phone's width folds away
    page.set_viewport_size({"width": width, "height": 900})
    page.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(
        {"name": "salah.csv", "mimeType": "text/csv", "buffer": _TYPED_FAULTS})
    report = page.locator(".st-key-upload_report")
    expect(report.get_by_text("Bernilai negatif: '-5.000'.")).to_be_visible(timeout=15_000)
    expect(report.get_by_text("Nilai di file: '5.000 + 0 + 0 + 0'")).to_be_visible()
    fix = report.get_by_text("Gunakan kode Kemendagri (mis. 17.07) atau nama wilayah dari daftar wilayah yang "
                             "dikenali.")
    expect(fix).to_be_visible()
    assert report.evaluate(_CUT_TEXT) == []
    fix_box, report_box = fix.bounding_box(), report.bounding_box()
    assert fix_box is not None and report_box is not None
    assert fix_box["x"] + fix_box["width"] <= report_box["x"] + report_box["width"] + 1  # within the report's box
    assert "value.negative" not in report.inner_text()  # codes are in the download only
