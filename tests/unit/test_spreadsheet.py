"""The file reader on its own: bytes in, raw cells (numbered as in the file) or a refusal with a code out."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from monev.spreadsheet import MAX_DATA_ROWS, MAX_FILE_BYTES, Deadline, RawTable, Rejected, read_table


def _no_preference(headers: list[object]) -> int:
    return 0


def _read(content: bytes, name: str = "data.csv", timeout_s: float = 15.0) -> RawTable:
    return read_table(name, content, Deadline(timeout_s), _no_preference)


def _refusal(content: bytes, name: str = "data.csv", timeout_s: float = 15.0) -> Rejected:
    with pytest.raises(Rejected) as caught:
        _read(content, name, timeout_s)
    return caught.value


def test_csv_rows_keep_their_line_numbers_and_blank_lines_are_skipped():
    table = _read(b"\n  \nA;B\n1;2\n\n3;4\n")
    assert table.headers == ["A", "B"]
    assert table.header_row == 3
    assert table.rows == [(4, ["1", "2"]), (6, ["3", "4"])]
    assert table.percent_cells == set()


@pytest.mark.parametrize("delimiter", [";", ",", "\t", "|"])
def test_the_delimiter_is_the_one_the_header_line_uses_most(delimiter):
    table = _read(f"A{delimiter}B{delimiter}C\n1{delimiter}2{delimiter}3\n".encode())
    assert table.headers == ["A", "B", "C"]
    assert table.rows == [(2, ["1", "2", "3"])]


def test_excel_unicode_text_is_read_as_tab_separated_utf16():
    table = _read("Wilayah\tCatatan\nKaur\tcafé\n".encode("utf-16"), name="export.txt")
    assert table.headers == ["Wilayah", "Catatan"]
    assert table.rows == [(2, ["Kaur", "café"])]


def test_text_that_is_not_utf8_is_read_as_windows_1252():
    assert _read("Catatan\ncafé – revisi\n".encode("cp1252")).rows == [(2, ["café – revisi"])]


def _two_sheet_workbook() -> bytes:
    workbook = Workbook()
    notes = workbook.active
    notes.title = "Petunjuk"
    notes.append(["Isi lembar Data"])
    data = workbook.create_sheet("Data")
    data.append(["Wilayah", "Target (%)"])
    data.append(["Kaur", 0.39])
    data["B2"].number_format = "0%"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_of_several_sheets_the_one_whose_header_scores_best_is_read():
    def names_wilayah(headers: list[object]) -> int:
        return headers.count("Wilayah")

    table = read_table("data.xlsx", _two_sheet_workbook(), Deadline(15.0), names_wilayah)
    assert table.headers == ["Wilayah", "Target (%)"]
    assert table.rows == [(2, ["Kaur", 0.39])]
    assert table.percent_cells == {(2, 1)}


def test_the_format_comes_from_the_bytes_not_the_name():
    assert _read(_two_sheet_workbook(), name="data.csv").headers == ["Isi lembar Data"]
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
