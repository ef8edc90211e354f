"""The upload's preview on the data page: how an office file was read, the month asked for when nothing in the file
names one, and the column mapping step, remembered per header shape so that next month's file loads in one click."""

from __future__ import annotations

import pandas as pd
import pytest

from components.state import Keys, WidgetKeys
from monev.access import SYSTEM
from monev.column_mapping import header_key, header_shape
from tests.app import support

PREVIEW = "Bagaimana berkas dibaca"
OFFICE_HEADERS = ["No", "Kabupaten/Kota", "Potensi TK", "PU", "BPU", "Jakon", "PMI"]
UNKNOWN_TOTAL = "Jml Kepesertaan Aktif"  # no built-in spelling of the participants total
TOTAL_ONLY_HEADERS = ["No", "Kabupaten/Kota", "Potensi TK", UNKNOWN_TOTAL]


def _month(period: str) -> pd.DataFrame:
    demo = support.demo_frame()
    return demo[demo["Periode"] == period].reset_index(drop=True)


@pytest.fixture
def data_page():
    return support.go(support.run(support.new_app()), support.DATA_PAGE)


def _preview_text(at) -> str:
    return "\n".join(support.unescape(block.value) for block in support.expander(at, PREVIEW).markdown)


def _expanded(at) -> bool:
    return support.expander(at, PREVIEW).proto.expanded


def _mapping_boxes(at) -> list:
    return [box for box in at.selectbox if str(box.key).startswith(WidgetKeys.UPLOAD_MAP_PREFIX)]


def _checked(at) -> bool:
    return any("lolos pemeriksaan" in success.value for success in at.success)


def test_an_office_file_shows_how_it_was_read(data_page):
    content = support.office_xlsx(_month("2024-10"), OFFICE_HEADERS,
                                  titles=(*support.OFFICE_TITLES, "Posisi: Oktober 2024"))
    at = support.upload(data_page, "rekap.xlsx", content, support.XLSX_MIME)
    assert _checked(at)
    text = _preview_text(at)
    assert "Sheet 'Rekap'" in text
    assert "Judul kolom di baris 5." in text
    for line in ("'No' → nomor urut", "'Kabupaten/Kota' → Wilayah", "'Potensi TK' → Pekerja potensial",
                 "'PU' → Peserta PU (Penerima Upah)", "'PMI' → Peserta PMI (Pekerja Migran Indonesia)"):
        assert line in text
    assert "tidak dihitung sebagai wilayah): baris 16." in text
    assert "Baris setelah data yang diabaikan (catatan, tanda tangan): baris 18–20." in text
    assert "Bulan (judul): Oktober 2024." in text
    assert not _expanded(at)  # nothing to decide
    assert not _mapping_boxes(at)
    assert not [box for box in at.selectbox if box.key == WidgetKeys.UPLOAD_PERIOD]


def test_a_file_naming_no_month_asks_for_it_and_loads_after_choosing(data_page):
    at = support.upload(data_page, "rekap.xlsx", support.office_xlsx(_month("2024-10"), OFFICE_HEADERS),
                        support.XLSX_MIME)
    assert not _checked(at)
    assert _expanded(at)
    assert "Bulan: tidak disebut di berkas." in _preview_text(at)
    picker = at.selectbox(key=WidgetKeys.UPLOAD_PERIOD)
    assert picker.options[0] == "November 2024"  # the month after the data in use's latest comes first
    picker.set_value("2024-10")
    at = support.click(at, WidgetKeys.UPLOAD_PERIOD_APPLY)
    assert _checked(at)
    assert "Bulan (dipilih): Oktober 2024." in _preview_text(at)
    assert at.selectbox(key=WidgetKeys.UPLOAD_PERIOD).value == "2024-10"  # the choice outlives reruns
    support.run(at)
    assert _checked(at)


def test_an_unknown_column_is_mapped_saved_and_next_months_file_loads_at_once(data_page):
    titles = (*support.OFFICE_TITLES, "Posisi: Oktober 2024")
    at = support.upload(data_page, "rekap_okt.xlsx", support.office_xlsx(_month("2024-10"), TOTAL_ONLY_HEADERS,
                                                                          titles=titles), support.XLSX_MIME)
    assert not _checked(at)
    assert _expanded(at)
    assert f"Kolom belum dikenali: '{UNKNOWN_TOTAL}'." in _preview_text(at)
    assert "Kolom diabaikan" not in _preview_text(at)
    [box] = _mapping_boxes(at)
    assert box.label == f"Kolom '{UNKNOWN_TOTAL}'"
    assert box.options[0] == "Abaikan kolom ini" and "Jumlah peserta aktif" in box.options
    box.set_value("participants")
    at = support.click(at, WidgetKeys.UPLOAD_MAP_APPLY)
    assert _checked(at)
    assert f"'{UNKNOWN_TOTAL}' → Jumlah peserta aktif" in _preview_text(at)
    assert "Pemetaan kolom yang Anda pilih dipakai" in _preview_text(at)
    at = support.click(at, WidgetKeys.UPLOAD_SAVE)
    assert any("tersimpan dan sekarang aktif" in success.value for success in at.success)
    assert support.store().column_mapping(header_shape(TOTAL_ONLY_HEADERS)) == {
        header_key(UNKNOWN_TOTAL): "participants"}

    september_titles = (*support.OFFICE_TITLES, "Posisi: September 2024")
    at = support.upload(at, "rekap_sep.xlsx", support.office_xlsx(_month("2024-09"), TOTAL_ONLY_HEADERS,
                                                                   titles=september_titles), support.XLSX_MIME)
    assert _checked(at)
    assert not _mapping_boxes(at)
    assert not _expanded(at)
    assert "Pemetaan kolom tersimpan dipakai." in _preview_text(at)
    at = support.click(at, WidgetKeys.UPLOAD_SAVE)
    assert any("10 periode (Januari 2024 – Oktober 2024)" in block.value for block in at.markdown)


def test_the_preview_speaks_english(data_page):
    data_page.session_state[Keys.LANG] = "en"
    content = support.office_xlsx(_month("2024-10"), OFFICE_HEADERS,
                                  titles=(*support.OFFICE_TITLES, "Posisi: Oktober 2024"))
    at = support.upload(support.run(data_page), "rekap.xlsx", content, support.XLSX_MIME)
    text = "\n".join(support.unescape(block.value) for block in support.expander(at, "How the file was read").markdown)
    assert "'No' → row number" in text
    assert "Month (title): October 2024." in text


def test_a_region_column_no_word_names_is_mapped_and_the_table_is_then_found(data_page):
    headers = ["No", "Kab. Tk II", "Potensi TK", "PU", "BPU", "Jakon", "PMI"]
    titles = (*support.OFFICE_TITLES, "Posisi: Oktober 2024")
    at = support.upload(data_page, "rekap.xlsx", support.office_xlsx(_month("2024-10"), headers, titles=titles),
                        support.XLSX_MIME)
    assert not _checked(at)
    assert _expanded(at)
    [box] = _mapping_boxes(at)
    assert box.label == "Kolom 'Kab. Tk II'"
    box.set_value("region")
    at = support.click(at, WidgetKeys.UPLOAD_MAP_APPLY)
    assert _checked(at)
    text = _preview_text(at)
    assert "'Kab. Tk II' → Wilayah" in text
    assert "Judul kolom di baris 5." in text
    assert "Bulan (judul): Oktober 2024." in text


def test_a_column_mapped_on_top_of_a_remembered_mapping_keeps_what_was_remembered(data_page):
    headers = ["No", "Kab. Tk II", "Potensi TK", UNKNOWN_TOTAL]
    shape = header_shape(headers)
    remembered = {header_key("Kab. Tk II"): "region"}
    support.store().save_column_mapping(shape, headers, remembered, actor=SYSTEM)
    titles = (*support.OFFICE_TITLES, "Posisi: Oktober 2024")
    at = support.upload(data_page, "rekap.xlsx", support.office_xlsx(_month("2024-10"), headers, titles=titles),
                        support.XLSX_MIME)
    assert "'Kab. Tk II' → Wilayah" in _preview_text(at)
    [box] = _mapping_boxes(at)
    assert "Wilayah" not in box.options  # already present: only the fields the sheet lacks are offered
    box.set_value("participants")
    at = support.click(at, WidgetKeys.UPLOAD_MAP_APPLY)
    assert _checked(at)
    support.click(at, WidgetKeys.UPLOAD_SAVE)
    assert support.store().column_mapping(shape) == {**remembered, header_key(UNKNOWN_TOTAL): "participants"}
