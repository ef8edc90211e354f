"""The file reader on its own: bytes in, raw cells (numbered as in the file) or a refusal with a code out."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from monev.spreadsheet import MAX_DATA_ROWS, MAX_FILE_BYTES, Deadline, RawSheet, Rejected, read_sheets


def _read_all(content: bytes, name: str = "data.csv", timeout_s: float = 15.0) -> list[RawSheet]:
    return read_sheets(name, content, Deadline(timeout_s))


def _read(content: bytes, name: str = "data.csv", timeout_s: float = 15.0) -> RawSheet:
    (sheet,) = _read_all(content, name, timeout_s)
    return sheet


def _refusal(content: bytes, name: str = "data.csv", timeout_s: float = 15.0) -> Rejected:
    with pytest.raises(Rejected) as caught:
        _read(content, name, timeout_s)
    return caught.value


def test_csv_rows_keep_their_line_numbers_and_blank_lines_are_skipped():
    sheet = _read(b"\n  \nA;B\n1;2\n\n3;4\n")
    assert sheet.name is None
    assert sheet.rows == [(3, ["A", "B"]), (4, ["1", "2"]), (6, ["3", "4"])]
    assert sheet.percent_cells == sheet.date_cells == set()


@pytest.mark.parametrize("delimiter", [";", ",", "\t", "|"])
def test_the_delimiter_is_the_one_the_header_line_uses_most(delimiter):
    sheet = _read(f"A{delimiter}B{delimiter}C\n1{delimiter}2{delimiter}3\n".encode())
    assert sheet.rows == [(1, ["A", "B", "C"]), (2, ["1", "2", "3"])]


def test_excel_unicode_text_is_read_as_tab_separated_utf16():
    sheet = _read("Wilayah\tCatatan\nKaur\tcafé\n".encode("utf-16"), name="export.txt")
    assert sheet.rows == [(1, ["Wilayah", "Catatan"]), (2, ["Kaur", "café"])]


def test_text_that_is_not_utf8_is_read_as_windows_1252():
    assert _read("Catatan\ncafé – revisi\n".encode("cp1252")).rows[1] == (2, ["café – revisi"])


def _two_sheet_workbook() -> bytes:
    workbook = Workbook()
    notes = workbook.active
    notes.title = "Petunjuk"
    notes.append(["Isi lembar Data"])
    data = workbook.create_sheet("Data")
    data.append(["Wilayah", "Target (%)"])
    data.append(["Kaur", 0.39, dt.datetime(2024, 10, 31)])
    data["B2"].number_format = "0%"
    data["C2"].number_format = "dd/mm/yyyy"
    workbook.create_sheet("Kosong")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_every_sheet_is_read_with_its_name_percent_cells_and_date_cells():
    notes, data, empty = _read_all(_two_sheet_workbook(), name="data.xlsx")
    assert (notes.name, notes.rows) == ("Petunjuk", [(1, ["Isi lembar Data"])])
    assert data.name == "Data"
    assert data.rows == [(1, ["Wilayah", "Target (%)"]), (2, ["Kaur", 0.39, dt.datetime(2024, 10, 31)])]
    assert data.percent_cells == {(2, 1)}
    assert data.date_cells == {(2, 2)}
    assert (empty.name, empty.rows) == ("Kosong", [])


def test_a_merged_title_cell_gives_its_text_in_its_first_cell():
    workbook = Workbook()
    sheet = workbook.active
    sheet["A1"] = "REKAPITULASI CAKUPAN KEPESERTAAN"
    sheet.merge_cells("A1:D1")
    sheet.append(["No", "Wilayah", "Pekerja Potensial", "Peserta PU"])
    out = io.BytesIO()
    workbook.save(out)
    (read,) = _read_all(out.getvalue(), name="rekap.xlsx")
    assert read.rows[0] == (1, ["REKAPITULASI CAKUPAN KEPESERTAAN"])


def test_the_format_comes_from_the_bytes_not_the_name():
    assert _read_all(_two_sheet_workbook(), name="data.csv")[0].rows == [(1, ["Isi lembar Data"])]
    assert _refusal(b"%PDF-1.7\n", name="data.xlsx").code == "file.type"


def test_a_legacy_xls_is_refused_by_its_name_too():
    refusal = _refusal(b"A;B\n1;2\n", name="lama.XLS")
    assert (refusal.code, refusal.value) == ("file.xls", "lama.XLS")


def test_a_file_over_the_size_limit_is_refused_with_its_size_and_the_limit():
    refusal = _refusal(b"a" * (MAX_FILE_BYTES + 1), name="besar.csv")
    assert refusal.code == "file.too_large"
    assert refusal.value == "besar.csv"
    assert refusal.params == {"size_mb": 11, "limit_mb": 10}


def test_more_data_rows_than_the_limit_are_refused():
    assert len(_read(b"A\n" + b"1\n" * MAX_DATA_ROWS).rows) == MAX_DATA_ROWS + 1
    refusal = _refusal(b"A\n" + b"1\n" * (MAX_DATA_ROWS + 1))
    assert (refusal.code, refusal.params) == ("file.too_many_rows", {"limit": MAX_DATA_ROWS})


def test_a_csv_parser_error_names_the_line():
    refusal = _refusal(b"A\n" + b"x" * 200_000 + b"\n")
    assert (refusal.code, refusal.row) == ("file.unreadable", 2)


def test_a_reading_past_its_deadline_is_refused_with_the_seconds_allowed():
    refusal = _refusal(b"A\n" + b"1\n" * 2000, timeout_s=0.0)
    assert (refusal.code, refusal.params) == ("file.timeout", {"seconds": 0})


def test_the_deadline_looks_at_the_clock_only_every_few_hundred_rows():
    deadline = Deadline(0.0)
    for _ in range(511):
        deadline.tick()  # time is up, but the clock has not been read yet
    with pytest.raises(Rejected):
        deadline.tick()
