"""Office files as regional offices keep them: title rows, a "No" column, total rows, signatures, day-first dates,
Excel date cells, month sheets. Each is built here with openpyxl or csv, the way Excel and LibreOffice save them,
and must load with the right months and the same figures as the template file of the demo's October rows."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable

import pandas as pd
import pytest
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from monev.dataset import DEMO_PATH, SEGMENTS, LoadResult, load_dataset, load_demo, to_file_rows
from monev.problem_report import group_problems
from monev.sheet_layout import ColumnUse, SkippedSheet, is_total_label
from tests.unit.cli_runner import run_cli

OCTOBER = "2024-10"
FIGURES = ["period", "region_code", "potential_workers", *SEGMENTS]
OFFICE_HEADER = ["No", "Kabupaten/Kota", "Potensi TK", "PU", "BPU", "Jakon", "PMI", "Capaian (%)"]


@pytest.fixture(scope="module")
def demo_rows() -> pd.DataFrame:
    """The demo's rows in the file format (Indonesian headers), every month, with the segment split only (as these
    office sheets keep it: no total column)."""
    return to_file_rows(load_demo()).drop(columns=["Jumlah Peserta"])


def _month(rows: pd.DataFrame, period: str) -> pd.DataFrame:
    return rows[rows["Periode"] == period].reset_index(drop=True)


@pytest.fixture(scope="module")
def template_october(demo_rows) -> pd.DataFrame:
    """What the template file of the demo's October rows loads as."""
    buffer = io.StringIO()
    _month(demo_rows, OCTOBER).to_csv(buffer, sep=";", index=False)
    result = load_dataset("template_okt.csv", buffer.getvalue().encode("utf-8"))
    assert result.ok, [p.code for p in result.errors]
    return result.data.frame[FIGURES]


def _figures(result: LoadResult, period: str = OCTOBER) -> pd.DataFrame:
    assert result.ok, [(p.code, p.row, p.column, p.value) for p in result.errors]
    frame = result.data.frame
    return frame[frame["period"] == period].reset_index(drop=True)[FIGURES]


def _office_rows(month: pd.DataFrame) -> list[list[object]]:
    """No, region name as offices write it, potential workers, the four segments and the rate in percent."""
    rows = []
    for number, record in enumerate(month.itertuples(index=False), start=1):
        potential, segments = record[2], list(record[3:7])
        rows.append([number, record[1], potential, *segments, round(100 * sum(segments) / potential, 2)])
    return rows


def _totals(month: pd.DataFrame) -> list[object]:
    return [int(month[column].sum()) for column in ("Pekerja Potensial", "Peserta PU", "Peserta BPU",
                                                    "Peserta Jakon", "Peserta PMI")]


def _titled_sheet(sheet: Worksheet, month: pd.DataFrame, titles: list[str], *, total_label: str = "JUMLAH",
                  total_change: Callable[[list[object]], list[object]] = lambda totals: totals) -> None:
    """Merged title rows, a blank row, the header, the regions, a total row merged over No and region, a blank
    row, then a source line and a signature block."""
    width = len(OFFICE_HEADER)
    for title in titles:
        sheet.append([title])
        sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=width)
    sheet.append([])
    sheet.append(OFFICE_HEADER)
    for office_row in _office_rows(month):
        sheet.append(office_row)
        sheet.cell(row=sheet.max_row, column=3).number_format = "#,##0"
    sheet.append([total_label, None, *total_change(_totals(month))])
    sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=2)
    sheet.append([])
    sheet.append(["Sumber: BPJS Ketenagakerjaan Cabang Bengkulu"])
    sheet.append([None, None, None, None, None, "Bengkulu, 5 November 2024"])
    sheet.append([None, None, None, None, None, "Mengetahui,"])
    sheet.append([None, None, None, None, None, "Kepala Kantor Cabang"])
    sheet.append([None, None, None, None, None, "NIP. 19700101 199003 1 005"])


def _xlsx(workbook: Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _titled_workbook(demo_rows: pd.DataFrame, **options) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Sheet1"
    _titled_sheet(sheet, _month(demo_rows, OCTOBER),
                  ["REKAPITULASI CAKUPAN KEPESERTAAN BPJS KETENAGAKERJAAN", "PROVINSI BENGKULU",
                   "Posisi: Oktober 2024"], **options)
    return _xlsx(workbook)


# (a) title rows with merged cells, a "No" column, a total row and a signature block


def test_title_rows_no_column_total_row_and_signature_block(demo_rows, template_october):
    result = load_dataset("rekap.xlsx", _titled_workbook(demo_rows))
    pd.testing.assert_frame_equal(_figures(result), template_october)
    assert result.warnings == []
    (layout,) = result.layout.sheets
    assert (layout.sheet, layout.header_row) == ("Sheet1", 5)
    assert layout.title_rows == ("REKAPITULASI CAKUPAN KEPESERTAAN BPJS KETENAGAKERJAAN", "PROVINSI BENGKULU",
                                 "Posisi: Oktober 2024")
    assert layout.columns[:3] == (ColumnUse("No", "row_number"), ColumnUse("Kabupaten/Kota", "region"),
                                  ColumnUse("Potensi TK", "potential_workers"))
    assert layout.columns[-1] == ColumnUse("Capaian (%)", "rate")
    assert layout.ignored_columns == ()
    assert layout.total_rows == (16,)
    assert layout.ignored_rows == (18, 19, 20, 21, 22)
    assert (layout.period_source, layout.periods) == ("title", (OCTOBER,))
    infos = {p.code: p for p in result.infos}
    assert infos["period.from_title"].row == 3
    assert infos["period.from_title"].value == "Posisi: Oktober 2024"
    ignored = [p for p in result.infos if p.code == "row.ignored"]
    assert [p.row for p in ignored] == [18, 19, 20, 21, 22]
    (line,) = [line for line in group_problems(result.problems, "id") if line.code == "row.ignored"]
    assert line.text("id").startswith("Baris 18–22: Setelah data")
    assert "'Sumber: BPJS Ketenagakerjaan Cabang Bengkulu'" in line.text("id")


@pytest.mark.parametrize("label", ["Jumlah", "Total", "Provinsi Bengkulu", "JUMLAH SE-PROVINSI", "Jumlah Total",
                                   "TOTAL PROVINSI"])
def test_every_spelling_of_the_total_row_is_a_total_not_a_region(demo_rows, template_october, label):
    result = load_dataset("rekap.xlsx", _titled_workbook(demo_rows, total_label=label))
    pd.testing.assert_frame_equal(_figures(result), template_october)
    assert result.layout.sheets[0].total_rows == (16,)
    assert result.warnings == []


# (g) a total row that disagrees


def test_a_total_row_that_disagrees_gives_a_warning_naming_the_column(demo_rows, template_october):
    def pu_off_by_one_thousand(totals: list[object]) -> list[object]:
        return [totals[0], int(totals[1]) + 1000, *totals[2:]]

    result = load_dataset("rekap.xlsx", _titled_workbook(demo_rows, total_change=pu_off_by_one_thousand))
    pd.testing.assert_frame_equal(_figures(result), template_october)  # a warning never blocks
    (warning,) = result.warnings
    assert (warning.code, warning.row, warning.column) == ("total.mismatch", 16, "PU")
    true_sum = int(_month(demo_rows, OCTOBER)["Peserta PU"].sum())
    assert warning.params == {"total": true_sum + 1000, "sum": true_sum, "period": OCTOBER}
    (line,) = group_problems(result.warnings, "en")
    assert line.text("en").startswith(f"Row 16, column 'PU': The total {true_sum + 1000:,} differs")


def test_a_rate_that_disagrees_with_its_row_gives_a_warning_and_rounding_does_not(demo_rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Periode", *OFFICE_HEADER[1:]])
    for office_row in _office_rows(_month(demo_rows, OCTOBER)):
        sheet.append([OCTOBER, *office_row[1:-1], round(office_row[-1])])  # 37 for 36.98: rounding only
    sheet.cell(row=2, column=8).value = 90  # Bengkulu Selatan is far below 90 %
    result = load_dataset("capaian.xlsx", _xlsx(workbook))
    (warning,) = result.warnings
    assert (warning.code, warning.row, warning.column, warning.value) == ("rate.mismatch", 2, "Capaian (%)", "90")


# (b) a long table ending in a "Jumlah" row


def test_a_long_table_of_every_month_ending_in_a_jumlah_row(demo_rows, template_october):
    workbook = Workbook()
    sheet = workbook.active
    header = ["Bulan", "Kab./Kota", "Tenaga Kerja Potensial", "Penerima Upah", "Bukan Penerima Upah",
              "Jasa Konstruksi", "Pekerja Migran"]
    sheet.append(header)
    for record in demo_rows.itertuples(index=False):
        sheet.append(list(record[:7]))
    sheet.append(["Jumlah", None, *_totals(demo_rows)])
    result = load_dataset("data_2024.xlsx", _xlsx(workbook))
    pd.testing.assert_frame_equal(_figures(result), template_october)
    assert result.data.periods == sorted(demo_rows["Periode"].unique())
    assert result.warnings == []
    layout = result.layout.sheets[0]
    assert layout.total_rows == (len(demo_rows) + 2,)
    assert layout.period_source == "column"
    assert [use.field for use in layout.columns] == ["period", "region", "potential_workers", *SEGMENTS]


# (c) ';' CSV in cp1252 and UTF-8, saved the Indonesian Excel way, with day-first dates


def _indonesian_excel_csv(month: pd.DataFrame, encoding: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(["REKAP CAKUPAN KEPESERTAAN – KANTOR WILAYAH", "", "", "", "", "", "", ""])
    writer.writerow([""] * 8)
    writer.writerow(["No", "Tanggal", "Kab/Kota", "Pekerja Potensial", "Peserta PU", "Peserta BPU",
                     "Peserta Jakon", "Peserta PMI"])
    for number, record in enumerate(month.itertuples(index=False), start=1):
        counts = [f"{int(value):,}".replace(",", ".") for value in record[2:7]]  # 58.936: Indonesian thousands
        writer.writerow([number, "01/10/2024", record[1], *counts])
    writer.writerow(["", "", "Jumlah", *(f"{value:,}".replace(",", ".") for value in _totals(month))])
    writer.writerow(["Catatan: angka sementara (café)", "", "", "", "", "", "", ""])
    content = buffer.getvalue()
    # Excel's "CSV UTF-8" writes a byte-order mark; plain "CSV" writes the Windows code page.
    return ("\ufeff" + content).encode("utf-8") if encoding == "utf-8" else content.encode("cp1252")


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_semicolon_csv_with_day_first_dates(demo_rows, template_october, encoding):
    result = load_dataset("rekap.csv", _indonesian_excel_csv(_month(demo_rows, OCTOBER), encoding))
    pd.testing.assert_frame_equal(_figures(result), template_october)
    assert result.warnings == []
    layout = result.layout.sheets[0]
    assert (layout.sheet, layout.header_row, layout.period_source) == (None, 3, "column")
    assert layout.ignored_rows == (15,)
    # 01/10/2024 alone could be January; with nothing to say otherwise the Indonesian day-first order is used.
    assert {p.code for p in result.infos} == {"period.read_day_first", "row.ignored"}


# (d) Excel date cells, whatever their number format


def test_excel_date_cells_in_the_period_column(demo_rows, template_october):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Per tanggal", "Daerah", "Pekerja Potensial", "PU", "BPU", "Jakon", "PMI"])
    formats = ["dd/mm/yyyy", "d-mmm-yy", "mmmm yyyy", "yyyy-mm-dd", "d mmmm yyyy"]
    for index, record in enumerate(_month(demo_rows, OCTOBER).itertuples(index=False)):
        sheet.append([dt.datetime(2024, 10, 31 if index % 2 else 1), *record[1:7]])
        sheet.cell(row=sheet.max_row, column=1).number_format = formats[index % len(formats)]
    result = load_dataset("tanggal.xlsx", _xlsx(workbook))
    pd.testing.assert_frame_equal(_figures(result), template_october)
    assert result.problems == ()


# (e) one sheet per month, plus a notes sheet and an empty sheet


def test_a_workbook_with_one_sheet_per_month(demo_rows, template_october):
    workbook = Workbook()
    notes = workbook.active
    notes.title = "Catatan"
    notes.append(["Data dari kantor cabang; angka Oktober sementara."])
    for sheet_name, period in (("Agustus", "2024-08"), ("September", "2024-09"), ("Rekap Okt 2024", OCTOBER)):
        _titled_sheet(workbook.create_sheet(sheet_name), _month(demo_rows, period),
                      ["REKAPITULASI CAKUPAN KEPESERTAAN", "TAHUN 2024"])
    workbook.create_sheet("Grafik")
    result = load_dataset("rekap_2024.xlsx", _xlsx(workbook))
    pd.testing.assert_frame_equal(_figures(result), template_october)
    assert result.data.periods == ["2024-08", "2024-09", OCTOBER]
    for period in ("2024-08", "2024-09"):
        expected = load_dataset("t.csv", _month(demo_rows, period).to_csv(sep=";", index=False).encode()).data
        pd.testing.assert_frame_equal(_figures(result, period), _figures(LoadResult((), expected), period))
    assert [(sheet.sheet, sheet.period_source, sheet.periods) for sheet in result.layout.sheets] == [
        ("Agustus", "sheet", ("2024-08",)), ("September", "sheet", ("2024-09",)),
        ("Rekap Okt 2024", "sheet", (OCTOBER,))]
    assert result.layout.skipped_sheets == (SkippedSheet("Catatan", "no_table"), SkippedSheet("Grafik", "empty"))
    # Rows of different sheets share row numbers: each problem, and each line of the report, names its sheet.
    assert {p.sheet for p in result.infos} == {"Agustus", "September", "Rekap Okt 2024"}
    lines = [line.text("en") for line in group_problems(result.problems, "en") if line.code == "row.ignored"]
    assert [line.split(":")[0] for line in lines] == [
        "Sheet 'Agustus', rows 17–21", "Sheet 'September', rows 17–21", "Sheet 'Rekap Okt 2024', rows 17–21"]


def test_the_same_month_in_two_sheets_is_a_duplicate_naming_both(demo_rows):
    workbook = Workbook()
    workbook.active.title = "Oktober"
    _titled_sheet(workbook.active, _month(demo_rows, OCTOBER), ["TAHUN 2024"])
    _titled_sheet(workbook.create_sheet("Okt (revisi)"), _month(demo_rows, OCTOBER), ["Posisi Oktober 2024"])
    result = load_dataset("rekap.xlsx", _xlsx(workbook))
    assert not result.ok
    duplicates = [p for p in result.errors if p.code == "row.duplicate"]
    assert len(duplicates) == 10
    assert {(p.sheet, p.params["first_sheet"]) for p in duplicates} == {("Okt (revisi)", "Oktober")}


# (f) no period column: the month from the title, the sheet name, the file name or the caller


def _plain_sheet(demo_rows: pd.DataFrame, sheet_name: str, titles: list[str] = ()) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_name
    for title in titles:
        sheet.append([title])
    sheet.append(OFFICE_HEADER[:-1])
    for office_row in _office_rows(_month(demo_rows, OCTOBER)):
        sheet.append(office_row[:-1])
    return _xlsx(workbook)


@pytest.mark.parametrize(("file_name", "sheet_name", "titles", "source"), [
    ("rekap.xlsx", "Sheet1", ["Keadaan s.d. 31 Oktober 2024"], "title"),
    ("rekap.xlsx", "Okt 2024", [], "sheet"),
    ("rekap_2024.xlsx", "Oktober", [], "sheet"),  # the year from the file name
    ("rekap.xlsx", "Oktober", ["CAKUPAN KEPESERTAAN TAHUN 2024"], "sheet"),  # the year from the title
    ("rekap_okt2024.xlsx", "Sheet1", [], "file"),
])
def test_the_month_of_a_sheet_without_a_period_column(demo_rows, template_october, file_name, sheet_name, titles,
                                                      source):
    result = load_dataset(file_name, _plain_sheet(demo_rows, sheet_name, titles))
    pd.testing.assert_frame_equal(_figures(result), template_october)
    assert (result.layout.sheets[0].period_source, result.layout.sheets[0].periods) == (source, (OCTOBER,))
    assert [p.code for p in result.infos] == [f"period.from_{source}"]


def test_the_title_comes_before_the_sheet_name_and_the_sheet_name_before_the_file_name(demo_rows):
    content = _plain_sheet(demo_rows, "September 2024", ["Posisi: Agustus 2024"])
    assert load_dataset("rekap_okt2024.xlsx", content).data.periods == ["2024-08"]
    content = _plain_sheet(demo_rows, "September 2024")
    assert load_dataset("rekap_okt2024.xlsx", content).data.periods == ["2024-09"]


def test_a_file_that_names_no_month_asks_for_one_and_loads_with_the_given_month(demo_rows, template_october):
    content = _plain_sheet(demo_rows, "Sheet1", ["REKAPITULASI CAKUPAN KEPESERTAAN"])
    asked = load_dataset("rekap.xlsx", content)
    assert asked.period_needed and not asked.ok
    assert [p.code for p in asked.errors] == ["period.needed"]
    assert asked.layout.sheets[0].period_source is None
    given = load_dataset("rekap.xlsx", content, period=OCTOBER)
    pd.testing.assert_frame_equal(_figures(given), template_october)
    assert given.layout.sheets[0].period_source == "given"
    assert [p.code for p in given.infos] == ["period.from_given"]
    # The same bytes with another month are other data.
    assert load_dataset("rekap.xlsx", content, period="2024-09").data.checksum != given.data.checksum


def test_a_given_month_does_not_override_the_file_s_own(demo_rows):
    content = _plain_sheet(demo_rows, "Okt 2024")
    assert load_dataset("rekap.xlsx", content, period="2024-01").data.periods == [OCTOBER]


def test_a_given_month_must_be_written_yyyy_mm(demo_rows):
    with pytest.raises(ValueError):
        load_dataset("rekap.xlsx", _plain_sheet(demo_rows, "Sheet1"), period="Okt 2024")


# (h) ambiguous dates resolved by the file's own majority


def _dated_csv(demo_rows: pd.DataFrame, dates: list[str]) -> bytes:
    month = _month(demo_rows, OCTOBER)
    lines = ["Periode;Wilayah;Pekerja Potensial;Peserta PU;Peserta BPU;Peserta Jakon;Peserta PMI"]
    lines += [";".join([date, *(str(value) for value in record[1:7])])
              for date, record in zip(dates, month.itertuples(index=False), strict=True)]
    return "\r\n".join(lines).encode()


@pytest.mark.parametrize(("dates", "code"), [
    (["31/10/2024"] * 3 + ["01/10/2024"] * 7, "period.read_day_first"),
    (["10/31/2024"] * 3 + ["10/01/2024"] * 7, "period.read_month_first"),
])
def test_ambiguous_dates_are_read_like_the_file_s_other_dates_and_said_so(demo_rows, template_october, dates,
                                                                          code):
    result = load_dataset("tanggal.csv", _dated_csv(demo_rows, dates))
    pd.testing.assert_frame_equal(_figures(result), template_october)
    (info,) = result.infos
    assert (info.code, info.params, info.column) == (code, {"count": 7}, "Periode")
    assert "7" in info.message("en")


# the command line


def test_cli_validate_says_a_month_is_needed_and_loads_with_period(tmp_path, demo_rows):
    path = tmp_path / "rekap.xlsx"
    path.write_bytes(_plain_sheet(demo_rows, "Sheet1"))
    asked = run_cli("validate", path, "--lang", "en")
    assert asked.returncode == 1
    assert "period.needed" in asked.stdout and "--period" in asked.stdout
    loaded = run_cli("validate", path, "--period", OCTOBER, "--json")
    assert loaded.returncode == 0, loaded.stdout
    report = json.loads(loaded.stdout)
    assert report["loadable"] and report["layout"]["sheets"][0]["period_source"] == "given"


def test_cli_summary_of_an_office_workbook_and_a_bad_period(tmp_path, demo_rows):
    path = tmp_path / "rekap.xlsx"
    path.write_bytes(_titled_workbook(demo_rows))
    summary = run_cli("summary", path, "--json")
    assert summary.returncode == 0, summary.stderr
    assert json.loads(summary.stdout)["province"]["participants"] == 261814  # the demo's October, as reported
    assert json.loads(summary.stdout)["period"] == OCTOBER
    bad = run_cli("summary", path, "--period", "bulan depan", "--lang", "en")
    assert bad.returncode == 1
    assert "'bulan depan' is not a month" in bad.stderr


def test_cli_merge_takes_the_month_of_a_new_file_that_names_none(tmp_path, demo_rows):
    new = tmp_path / "rekap.xlsx"
    new.write_bytes(_plain_sheet(demo_rows, "Sheet1"))
    out = tmp_path / "gabungan.csv"
    merged = run_cli("merge", DEMO_PATH, new, "--out", out, "--period", "2024-11")
    assert merged.returncode == 0, merged.stdout + merged.stderr
    result = load_dataset(out.name, out.read_bytes())
    assert result.data.periods[-2:] == [OCTOBER, "2024-11"]
    pd.testing.assert_frame_equal(_figures(result, "2024-11").drop(columns="period"),
                                  _figures(result, OCTOBER).drop(columns="period"))


def test_a_jumlah_row_after_each_month_totals_that_month(demo_rows):
    lines = ["Periode;Wilayah;Pekerja Potensial;Peserta PU;Peserta BPU;Peserta Jakon;Peserta PMI"]
    for period in ("2024-09", OCTOBER):
        month = _month(demo_rows, period)
        lines += [";".join(str(value) for value in record[:7]) for record in month.itertuples(index=False)]
        lines.append(";".join(["", "Jumlah", *map(str, _totals(month))]))
    result = load_dataset("rekap.csv", "\n".join(lines).encode())
    assert result.data.periods == ["2024-09", OCTOBER]
    assert result.warnings == []
    assert result.layout.sheets[0].total_rows == (12, 23)


def test_the_template_workbook_reads_its_data_sheet_and_lists_the_others(demo_rows):
    from monev.exports import data_xlsx

    result = load_dataset("data.xlsx", data_xlsx(load_demo(), "id"))
    assert result.ok and result.infos == []
    assert [sheet.period_source for sheet in result.layout.sheets] == ["column"]
    assert [skipped.reason for skipped in result.layout.skipped_sheets] == ["no_table", "no_table"]


@pytest.mark.parametrize(("label", "total"), [
    ("Jumlah", True), ("JUMLAH SE-PROVINSI", True), ("Total Provinsi", True), ("Provinsi Bengkulu", True),
    ("Prov. Bengkulu", True), ("Bengkulu", False), ("Kota Bengkulu", False), ("Provinsi Lampung", False), ("", False),
])
def test_total_labels(label, total):
    assert is_total_label(label, "Bengkulu") is total


def test_a_header_row_lower_than_the_search_window_is_not_looked_for():
    lines = ["catatan"] * 40 + ["Periode;Wilayah;Pekerja Potensial;Peserta PU;Peserta BPU;Peserta Jakon;Peserta PMI"]
    result = load_dataset("x.csv", "\n".join(lines).encode())
    assert {p.code for p in result.errors} == {"column.missing"}
    # No table found: the row within the window naming most of our columns is laid out for the mapping step.
    (candidate,) = result.layout.sheets
    assert candidate.header_row <= 30 and candidate.periods == ()


def test_a_header_over_two_rows_with_merged_group_cells(demo_rows, template_october):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Okt 2024"
    sheet.append(["No", "Kabupaten/Kota", "Potensi Tenaga Kerja", "Peserta Aktif", None, None, None])
    sheet.append([None, None, None, "PU", "BPU", "Jakon", "PMI"])
    for column in ("A", "B", "C"):
        sheet.merge_cells(f"{column}1:{column}2")
    sheet.merge_cells("D1:G1")
    for office_row in _office_rows(_month(demo_rows, OCTOBER)):
        sheet.append(office_row[:-1])
    result = load_dataset("rekap.xlsx", _xlsx(workbook))
    pd.testing.assert_frame_equal(_figures(result), template_october)
    assert [use.field for use in result.layout.sheets[0].columns] == [
        "row_number", "region", "potential_workers", *SEGMENTS]


def test_a_row_of_headers_below_the_header_that_would_overwrite_it_is_not_a_sub_header():
    # Found by the fuzz test: a line break inside the header line put the segment headers on a row of their own,
    # and joining them over the header lost its region column.
    content = DEMO_PATH.read_bytes().replace(b"Pekerja Potensial,", b"Pekerja Potensial\r", 1)
    result = load_dataset("cakupan.csv", content)
    assert result.data is None
    assert {p.code for p in result.errors} == {"row.too_many_cells"}
