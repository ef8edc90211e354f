"""Loading and validating coverage files: every fault found, each at the row and column the user sees."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import Workbook

from monev import fmt, periods
from monev.dataset import load_dataset, load_demo
from monev.problem_report import group_problems
from monev.regions import load_registry
from tests.unit.coverage_files import COL, HEADERS, csv_bytes, month_rows, row

SEGMENT_HEADERS = ["Peserta PU", "Peserta BPU", "Peserta Jakon", "Peserta PMI"]


def _only_error(result):
    assert result.data is None
    assert not result.ok
    assert len(result.errors) == 1, [(p.code, p.row, p.column) for p in result.errors]
    return result.errors[0]


def _codes(result) -> list[str]:
    return [p.code for p in result.problems]


# --- one fault in one data row ---------------------------------------------------------------------------------

_VALID_BEFORE = [row(region="Bengkulu Selatan"), row(region="Rejang Lebong")]  # file rows 2 and 3
_FAULTY_ROW = 4  # the faulty row follows the header and the two valid rows

ROW_CASES = [
    # (id, faulty row, code, column as written, value as written)
    ("not_number", row(pu="banyak"), "value.not_number", "Peserta PU", "banyak"),
    ("negative", row(bpu="-5"), "value.negative", "Peserta BPU", "-5"),
    ("not_integer", row(jakon="12,5"), "value.not_integer", "Peserta Jakon", "12,5"),
    ("too_large", row(potential="2000000000"), "value.too_large", "Pekerja Potensial", "2000000000"),
    ("zero_potential", row(potential=0, pu=0, bpu=0, jakon=0), "value.zero_potential", "Pekerja Potensial", "0"),
    ("empty_cell", row(pmi=""), "value.missing", "Peserta PMI", ""),
    ("region_suggest", row(region="Lebongg"), "region.unknown_suggest", "Wilayah", "Lebongg"),
    ("region_unknown", row(region="Jakarta"), "region.unknown", "Wilayah", "Jakarta"),
    ("period_invalid", row(period="Oktobre 2024"), "period.invalid", "Periode", "Oktobre 2024"),
    ("target_above_100", row(target="150"), "target.out_of_range", "Target (%)", "150"),
    ("target_negative", row(target="-1"), "target.out_of_range", "Target (%)", "-1"),
]


@pytest.mark.parametrize("blank_lines", [0, 1], ids=["no_blank", "leading_blank_line"])
@pytest.mark.parametrize(("faulty", "code", "column", "value"), [case[1:] for case in ROW_CASES],
                         ids=[case[0] for case in ROW_CASES])
def test_a_faulty_cell_is_reported_at_its_row_and_column(faulty, code, column, value, blank_lines):
    content = csv_bytes([*_VALID_BEFORE, faulty], leading="\r\n" * blank_lines)
    problem = _only_error(load_dataset("cakupan.csv", content))
    assert problem.code == code
    assert problem.severity == "error"
    assert problem.row == _FAULTY_ROW + blank_lines
    assert problem.column == column
    assert problem.value == value
    # The report line says the row and the column once; the message says only what is wrong.
    assert "Baris" not in problem.message("id") and "Row" not in problem.message("en")
    assert f"'{column}'" not in problem.message("id") + problem.message("en")


def test_unknown_region_with_suggestion_names_the_suggested_region():
    problem = _only_error(load_dataset("c.csv", csv_bytes([row(region="Lebongg")])))
    assert problem.params["suggestion"] == "Lebong"
    assert "Lebong?" in problem.message("id")
    assert "'Lebong'" in problem.fix("en")


def test_unknown_region_without_suggestion_has_none():
    problem = _only_error(load_dataset("c.csv", csv_bytes([row(region="Jakarta")])))
    assert problem.code == "region.unknown"
    assert "suggestion" not in problem.params


def test_too_large_count_states_the_limit():
    problem = _only_error(load_dataset("c.csv", csv_bytes([row(potential="2000000000")])))
    assert problem.params["limit"] == 1_000_000_000
    assert "1.000.000.000" in problem.message("id")


def test_participants_above_potential_workers_name_all_participant_columns():
    content = csv_bytes([*_VALID_BEFORE, row(potential=100, pu=60, bpu=50, jakon=0, pmi=0)])
    problem = _only_error(load_dataset("c.csv", content))
    assert problem.code == "value.participants_exceed"
    assert problem.severity == "error"
    assert problem.row == _FAULTY_ROW
    assert all(header in problem.column for header in SEGMENT_HEADERS)
    assert problem.params["participants"] == 110
    assert problem.params["potential"] == 100
    assert "(110)" in problem.message("en") and "(100)" in problem.message("en")


@pytest.mark.parametrize("second_spelling", ["Kaur", "Kabupaten Kaur", "17.04", "KAUR"])
def test_same_region_and_period_twice_points_to_the_first_row(second_spelling):
    content = csv_bytes([row(region="Kaur"), row(region="Lebong"), row(region=second_spelling)])
    problem = _only_error(load_dataset("c.csv", content))
    assert problem.code == "row.duplicate"
    assert problem.row == 4
    assert problem.column == "Wilayah"
    assert problem.value == second_spelling
    assert problem.params["first_row"] == 2
    assert problem.params["period"] == "2024-10"


def test_the_same_region_in_two_periods_is_no_duplicate():
    result = load_dataset("c.csv", csv_bytes([*month_rows("2024-09"), *month_rows("2024-10")]))
    assert result.ok
    assert result.problems == ()


def test_duplicate_row_message_writes_both_row_numbers_alike_in_a_long_file():
    # A multi-year file easily passes row 1000. Row numbers are positions (as in Excel's row header),
    # so the first row must be written like the row itself, without a thousands separator.
    months = [periods.shift("2016-01", i) for i in range(100)]
    rows = [r for month in months for r in month_rows(month)]  # file rows 2..1001
    rows.append(rows[-1])  # file row 1002 repeats row 1001
    problem = _only_error(load_dataset("c.csv", csv_bytes(rows)))
    assert problem.code == "row.duplicate"
    assert (problem.row, problem.params["first_row"]) == (1002, 1001)
    assert "di baris 1001." in problem.message("id")
    (line,) = group_problems([problem], "id")
    assert line.text("id").startswith("Baris 1002, ")  # the report line carries the row itself


def test_a_row_with_more_cells_than_headers_is_reported_without_a_column():
    content = csv_bytes([*_VALID_BEFORE, [*row(), "sisa"]])
    problem = _only_error(load_dataset("c.csv", content))
    assert problem.code == "row.too_many_cells"
    assert problem.severity == "error"
    assert problem.row == _FAULTY_ROW
    assert problem.column is None
    assert problem.params == {"found": len(HEADERS) + 1, "expected": len(HEADERS)}


@pytest.mark.parametrize("note", ["catatan", ""], ids=["note_filled", "note_empty"])
def test_unquoted_thousands_comma_in_a_comma_file_is_too_many_cells_not_a_shifted_row(note):
    # "12,000" written without quotes splits into two cells and shifts every later cell one column right.
    # When the last column (Keterangan, optional) is empty, the shift must still be caught: otherwise the row
    # loads silently with Peserta PU 12, Peserta BPU 0, Target 0% and the target in the note.
    lines = [",".join(HEADERS), ",".join(row(region="Lebong")),
             f"2024-10,Kabupaten Kaur,45426,12,000,5000,2000,0,39,{note}"]
    problem = _only_error(load_dataset("c.csv", "\r\n".join(lines).encode()))
    assert problem.code == "row.too_many_cells"
    assert problem.row == 3
    assert problem.params == {"found": len(HEADERS) + 1, "expected": len(HEADERS)}


# --- faults in the header --------------------------------------------------------------------------------------


def _without(headers_or_row: list[str], header: str) -> list[str]:
    return [cell for index, cell in enumerate(headers_or_row) if index != COL[header]]


@pytest.mark.parametrize("blank_lines", [0, 1])
def test_missing_required_column(blank_lines):
    content = csv_bytes([_without(row(), "Wilayah")], headers=_without(HEADERS, "Wilayah"),
                        leading="\n" * blank_lines)
    problem = _only_error(load_dataset("c.csv", content))
    assert problem.code == "column.missing"
    assert problem.severity == "error"
    assert problem.row == 1 + blank_lines
    assert problem.column == "Wilayah"
    assert problem.params["expected"] == "Wilayah"


@pytest.mark.parametrize("blank_lines", [0, 1])
def test_misspelt_column_is_reported_as_renamed_with_the_expected_header(blank_lines):
    headers = [h if h != "Pekerja Potensial" else "Pekerja potensil" for h in HEADERS]
    problem = _only_error(load_dataset("c.csv", csv_bytes([row()], headers=headers, leading="\n" * blank_lines)))
    assert problem.code == "column.renamed"
    assert problem.severity == "error"
    assert problem.row == 1 + blank_lines
    assert problem.column == "Pekerja potensil"
    assert problem.params["expected"] == "Pekerja Potensial"


def test_duplicate_column_names_both_spellings():
    headers = [*HEADERS, "PU"]  # "PU" is another spelling of "Peserta PU"
    problem = _only_error(load_dataset("c.csv", csv_bytes([[*row(), "1"]], headers=headers)))
    assert problem.code == "column.duplicate"
    assert problem.severity == "error"
    assert problem.row == 1
    assert problem.column == "PU"
    assert problem.params["first"] == "Peserta PU"


def test_errors_name_the_columns_as_written_in_the_file():
    headers = ["bulan", "Kabupaten/Kota", "POTENSI PEKERJA", "PU", "BPU", "Jakon", "PMI", "Target", "Catatan"]
    content = csv_bytes([row(region="Kaur"), row(region="Lebong", bpu="x"), row(region="Nowhere")], headers=headers)
    result = load_dataset("c.csv", content)
    assert result.data is None
    assert [(p.code, p.row, p.column) for p in result.errors] == [
        ("value.not_number", 3, "BPU"),
        ("region.unknown", 4, "Kabupaten/Kota"),
    ]


# --- files that are no table -----------------------------------------------------------------------------------

FILE_CASES = [
    ("empty", "cakupan.csv", b"", "file.empty"),
    ("blank_lines_only", "cakupan.csv", b"\r\n \r\n", "file.empty"),
    ("header_only", "cakupan.csv", csv_bytes([]), "file.no_rows"),
    ("pdf", "laporan.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "file.type"),
    ("pdf_named_csv", "cakupan.csv", b"%PDF-1.4\n1 0 obj\n", "file.type"),
    ("png", "grafik.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01", "file.type"),
    ("legacy_xls", "cakupan.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "file.xls"),
    ("corrupt_xlsx", "cakupan.xlsx", b"PK\x03\x04garbage", "file.unreadable"),
]


@pytest.mark.parametrize(("name", "content", "code"), [case[1:] for case in FILE_CASES],
                         ids=[case[0] for case in FILE_CASES])
def test_files_that_are_no_coverage_table_are_rejected_with_one_file_level_error(name, content, code):
    problem = _only_error(load_dataset(name, content))
    assert problem.code == code
    assert problem.severity == "error"
    assert problem.row is None
    assert problem.column is None
    assert problem.message("id") and problem.fix("en")


def test_wrong_file_type_names_the_file():
    problem = _only_error(load_dataset("laporan.pdf", b"%PDF-1.4\n"))
    assert "laporan.pdf" in problem.message("id")


# --- warnings do not block -------------------------------------------------------------------------------------


def test_region_missing_from_a_period_is_a_warning_and_the_file_loads():
    result = load_dataset("c.csv", csv_bytes(month_rows("2024-10", skip=("17.07",))))
    assert result.ok
    assert result.errors == []
    assert _codes(result) == ["coverage.region_missing"]
    warning = result.warnings[0]
    assert warning.severity == "warning"
    assert warning.params["period"] == "2024-10"
    assert warning.params["count"] == 1
    assert warning.params["regions"] == "Lebong"
    assert len(result.data.frame) == len(load_registry()) - 1
    assert result.data.warnings == (warning,)


def _jump_file() -> bytes:
    september = month_rows("2024-09")  # every region: 10000 + 5000 + 2000 = 17000 participants
    october = month_rows("2024-10")
    october[3] = row("2024-10", "Kabupaten Kaur", pu=20000)  # Kaur (4th region): 27000 participants
    return csv_bytes([*september, *october])


def test_month_to_month_jump_is_a_warning_at_the_later_row_and_the_file_loads():
    result = load_dataset("c.csv", _jump_file())
    assert result.ok
    assert _codes(result) == ["coverage.jump"]
    warning = result.warnings[0]
    assert warning.severity == "warning"
    assert warning.row == 2 + len(load_registry()) + 3  # header, September's rows, then Kaur is 4th in October
    assert "Peserta PU" in warning.column
    assert warning.params["region"] == "Kaur"
    assert warning.params["previous"] == 17000
    assert warning.value == "20000 + 5000 + 2000 + 0"  # the four segment cells, as the file wrote them


def test_small_changes_raise_no_jump_warning():
    october = month_rows("2024-10")
    october[3] = row("2024-10", "Kabupaten Kaur", pu=10400)  # +400 people: noise
    assert load_dataset("c.csv", csv_bytes([*month_rows("2024-09"), *october])).problems == ()


def test_jump_message_writes_the_old_and_new_numbers_alike():
    warning = load_dataset("c.csv", _jump_file()).warnings[0]
    assert "17.000" in warning.message("id")
    assert "27.000" in warning.message("id")  # the new value, formatted like the previous one
    assert "27,000" in warning.message("en")


def test_unknown_extra_column_is_a_warning_at_the_header_and_the_file_loads():
    content = csv_bytes([[*r, "x"] for r in month_rows()], headers=[*HEADERS, "Catatan Tambahan Dinas"])
    result = load_dataset("c.csv", content)
    assert result.ok
    assert _codes(result) == ["column.unknown"]
    warning = result.warnings[0]
    assert warning.severity == "warning"
    assert warning.row == 1
    assert warning.column == "Catatan Tambahan Dinas"


# --- all problems at once --------------------------------------------------------------------------------------


def test_five_faults_in_five_rows_are_all_reported_in_row_order():
    rows = [
        row(region="Bengkulu Selatan"),                    # 2: fine
        row(region="Rejang Lebong", pu="abc"),             # 3: not a number
        row(region="Bengkulu Utara"),                      # 4: fine
        row(region="Jakarta"),                             # 5: unknown region
        row(region="Seluma", period="Oktobre 2024"),       # 6: bad period
        row(region="Mukomuko"),                            # 7: fine
        row(region="Lebong", target="250"),                # 8: target out of range
        row(region="Kepahiang", jakon="-3"),               # 9: negative
    ]
    result = load_dataset("c.csv", csv_bytes(rows))
    assert result.data is None
    assert [(p.code, p.row, p.column) for p in result.problems] == [
        ("value.not_number", 3, "Peserta PU"),
        ("region.unknown", 5, "Wilayah"),
        ("period.invalid", 6, "Periode"),
        ("target.out_of_range", 8, "Target (%)"),
        ("value.negative", 9, "Peserta Jakon"),
    ]
    assert all(p.severity == "error" for p in result.problems)


def test_two_faults_in_one_row_are_both_reported():
    result = load_dataset("c.csv", csv_bytes([row(pu="abc", bpu="-1")]))
    assert [(p.code, p.row, p.column) for p in result.errors] == [
        ("value.not_number", 2, "Peserta PU"),
        ("value.negative", 2, "Peserta BPU"),
    ]


# --- real-world shapes that load -------------------------------------------------------------------------------


def _assert_loads_a_full_month(result) -> None:
    assert result.ok, [(p.code, p.row, p.column, p.value) for p in result.problems]
    assert result.problems == ()
    frame = result.data.frame
    assert list(frame["region_code"]) == list(load_registry().codes)
    assert set(frame["period"]) == {"2024-10"}
    assert list(frame["potential_workers"]) == [50000] * len(load_registry())


@pytest.mark.parametrize("delimiter", [";", ",", "\t"], ids=["semicolon", "comma", "tab"])
def test_delimiters(delimiter):
    _assert_loads_a_full_month(load_dataset("c.csv", csv_bytes(month_rows(), delimiter=delimiter)))


@pytest.mark.parametrize("delimiter", [";", ","])
def test_utf8_with_bom(delimiter):
    content = csv_bytes(month_rows(), delimiter=delimiter, encoding="utf-8-sig")
    assert content.startswith(b"\xef\xbb\xbf")
    _assert_loads_a_full_month(load_dataset("c.csv", content))


def test_windows_cp1252_bytes_are_decoded():
    rows = month_rows(note="Sumber: Disnaker – data revisi, café")
    content = csv_bytes(rows, encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    result = load_dataset("c.csv", content)
    _assert_loads_a_full_month(result)
    assert set(result.data.frame["note"]) == {"Sumber: Disnaker – data revisi, café"}


@pytest.mark.parametrize(
    ("typed", "count"),
    [("51234", 51234), ("51.234", 51234), ("51,234", 51234), ("51 234", 51234), ("51\u00a0234", 51234),
     ("1.051.234", 1051234), ("1,051,234", 1051234), ("51234,0", 51234), ("51234.00", 51234)],
)
def test_thousands_separators_in_counts(typed, count):
    result = load_dataset("c.csv", csv_bytes([row(potential=typed)]))
    assert result.ok, [(p.code, p.value) for p in result.problems]
    assert result.data.frame["potential_workers"].tolist() == [count]


@pytest.mark.parametrize(("typed", "rate"), [("39", 0.39), ("39,5", 0.395), ("39.5", 0.395), ("39%", 0.39),
                                             ("0", 0.0), ("100", 1.0)])
def test_targets_in_percent(typed, rate):
    result = load_dataset("c.csv", csv_bytes([row(target=typed)]))
    assert result.ok
    assert result.data.frame["target_rate"].tolist() == [pytest.approx(rate)]


def test_empty_target_and_note_are_allowed():
    result = load_dataset("c.csv", csv_bytes([row(target="", note="")]))
    assert result.ok
    assert result.data.frame["target_rate"].isna().all()


REGION_SPELLINGS = {
    "17.01": "BS", "17.02": "rejang lebong", "17.03": "17.03", "17.04": "KABUPATEN KAUR", "17.05": "Kab. Seluma",
    "17.06": "Muko Muko", "17.07": "1707", "17.08": " Kepahiang ", "17.09": "Benteng", "17.71": "Kota Bengkulu",
}


def test_region_names_in_every_spelling():
    rows = [row(region=spelling) for spelling in REGION_SPELLINGS.values()]
    result = load_dataset("c.csv", csv_bytes(rows))
    assert result.ok
    assert result.problems == ()
    assert result.data.frame["region_code"].tolist() == list(REGION_SPELLINGS)


def _workbook(data_rows: list[list[object]], percent_target: bool = True) -> bytes:
    workbook = Workbook()
    help_sheet = workbook.active
    help_sheet.title = "Petunjuk"  # first in order: the loader must pick the data sheet by its header
    help_sheet.append(["Cara mengisi templat"])
    help_sheet.append(["Periode", "isi bulan data"])
    sheet = workbook.create_sheet("Data")
    sheet.append(HEADERS)
    for values in data_rows:
        sheet.append(values)
    if percent_target:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=COL["Target (%)"] + 1, max_col=COL["Target (%)"] + 1):
            cell.number_format = "0%"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_row(region: object, **changes: object) -> list[object]:
    values = {"Periode": dt.datetime(2024, 10, 1), "Wilayah": region, "Pekerja Potensial": 50000,
              "Peserta PU": 10000, "Peserta BPU": 5000, "Peserta Jakon": 2000, "Peserta PMI": 0,
              "Target (%)": 0.39, "Keterangan": "dari Excel"}
    values.update(changes)
    return [values[header] for header in HEADERS]


def test_excel_workbook_with_date_cells_int_counts_and_percent_formatted_target():
    regions = load_registry().regions
    content = _workbook([_xlsx_row(region.official_name) for region in regions])
    result = load_dataset("cakupan.xlsx", content)
    _assert_loads_a_full_month(result)
    frame = result.data.frame
    assert frame["target_rate"].tolist() == [pytest.approx(0.39, abs=1e-12)] * len(regions)
    assert str(frame["participants"].dtype) == "int64"
    assert frame["pu"].tolist() == [10000] * len(regions)
    assert set(frame["note"]) == {"dari Excel"}


def test_excel_codes_typed_as_numbers_are_regions():
    content = _workbook([_xlsx_row(17.07), _xlsx_row(1704), _xlsx_row(17.71)])
    result = load_dataset("cakupan.xlsx", content)
    assert result.ok
    assert result.data.frame["region_code"].tolist() == ["17.04", "17.07", "17.71"]


def test_excel_target_without_percent_format_is_read_as_percent_number():
    result = load_dataset("cakupan.xlsx", _workbook([_xlsx_row("Kaur", **{"Target (%)": 39})], percent_target=False))
    assert result.ok
    assert result.data.frame["target_rate"].tolist() == [pytest.approx(0.39)]


def test_excel_faults_are_reported_at_the_sheet_row_and_header():
    content = _workbook([_xlsx_row("Kaur"), _xlsx_row("Lebong"), _xlsx_row("Seluma", **{"Peserta BPU": "banyak"})])
    problem = _only_error(load_dataset("cakupan.xlsx", content))
    found = (problem.code, problem.row, problem.column, problem.value)
    assert found == ("value.not_number", 4, "Peserta BPU", "banyak")


def test_excel_fractional_count_is_not_an_integer():
    content = _workbook([_xlsx_row("Kaur", **{"Peserta PU": 10000.5})])
    problem = _only_error(load_dataset("cakupan.xlsx", content))
    assert (problem.code, problem.row, problem.column) == ("value.not_integer", 2, "Peserta PU")


# --- the demo and the report table -----------------------------------------------------------------------------


def test_demo_loads_without_warnings_and_ends_in_october_2024():
    data = load_demo()
    assert data.is_demo
    assert data.warnings == ()
    assert data.latest_period == "2024-10"
    assert data.periods[0] == "2024-01"
    assert sorted(data.region_codes) == sorted(load_registry().codes)


def test_counts_are_formatted_for_people_in_messages():
    problem = _only_error(load_dataset("c.csv", csv_bytes([row(potential=1000, pu=1200, bpu=0, jakon=0)])))
    assert fmt.number(1200, "id") in problem.message("id")
    assert fmt.number(1200, "en") in problem.message("en")


# --- values quoted as the file wrote them --------------------------------------------------------------------------


def test_problems_quote_the_cells_as_the_file_wrote_them():
    rows = [row(region="Kaur", pu="-5.000"), row(region="Seluma", potential="lima ribu"),
            row(region="Lebong", potential="1.000", pu="5.000", bpu="0", jakon="0", pmi="0"),
            row(region="Atlantis")]
    result = load_dataset("c.csv", csv_bytes(rows))
    assert [(p.code, p.row, p.value) for p in result.errors] == [
        ("value.negative", 2, "-5.000"), ("value.not_number", 3, "lima ribu"),
        ("value.participants_exceed", 4, "5.000 + 0 + 0 + 0"),  # the four segment cells it adds up
        ("region.unknown", 5, "Atlantis")]


def _stored_as(content: bytes, number: str, stored: str) -> bytes:
    """The workbook with a number stored as another program may write it (5000 as '5000.0')."""
    source, target = io.BytesIO(content), io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename.startswith("xl/worksheets/"):
                data = data.replace(f"<v>{number}</v>".encode(), f"<v>{stored}</v>".encode())
            new.writestr(item, data)
    return target.getvalue()


def test_a_workbook_number_stored_with_a_decimal_point_is_quoted_as_a_whole_number():
    content = _stored_as(_workbook([_xlsx_row("Kaur", **{"Peserta BPU": -5000})]), "-5000", "-5000.0")
    problem = _only_error(load_dataset("cakupan.xlsx", content))
    assert (problem.code, problem.column, problem.value) == ("value.negative", "Peserta BPU", "-5000")
    assert problem.message("id") == "Bernilai negatif: '-5000'."


@pytest.mark.parametrize(("lang", "one", "two"), [
    ("en", "Period 2024-10: no data for 1 region (Lebong).", "Period 2024-10: no data for 2 regions (Kaur, Lebong)."),
    ("id", "Periode 2024-10: tidak ada data untuk 1 wilayah (Lebong).",
     "Periode 2024-10: tidak ada data untuk 2 wilayah (Kaur, Lebong)."),
])
def test_missing_regions_are_counted_with_their_noun(lang, one, two):
    without_lebong = load_dataset("c.csv", csv_bytes(month_rows(skip=("17.07",))))
    without_two = load_dataset("c.csv", csv_bytes(month_rows(skip=("17.04", "17.07"))))
    assert [p.message(lang) for p in without_lebong.warnings] == [one]
    assert [p.message(lang) for p in without_two.warnings] == [two]
