"""The target-group loader: office files read as offices keep them, every fault found with row and column."""

from __future__ import annotations

import csv
import importlib.util
import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from monev import i18n
from monev.group_dataset import (
    DEMO_GROUPS_PATH,
    FRAME_COLUMNS,
    load_group_dataset,
    load_group_demo,
    template_csv,
    template_rows,
    template_xlsx,
)
from monev.target_groups import load_target_groups

# Written out literally, as a person types them: the tests check the documented format, not the code's constants.
HEADERS = ["Periode", "Kode Wilayah", "Kabupaten/Kota", "Kelompok", "Subkelompok", "Terdata", "Terdaftar",
           "Sumber Dana", "Bulan Dibiayai", "Keterangan", "Masalah Data Diketahui"]
COL = {header: index for index, header in enumerate(HEADERS)}


def row(**cells: object) -> list[str]:
    """A valid row (Kaur's vulnerable workers) unless a cell is given otherwise, by header."""
    values = {"Periode": "2024-11", "Kode Wilayah": "17.04", "Kabupaten/Kota": "Kabupaten Kaur",
              "Kelompok": "pekerja_rentan", "Subkelompok": "", "Terdata": "5000", "Terdaftar": "1200",
              "Sumber Dana": "apbd_kabkota", "Bulan Dibiayai": "12", "Keterangan": "", "Masalah Data Diketahui": ""}
    values.update({header: str(value) for header, value in cells.items()})
    return [values[header] for header in HEADERS]


def csv_bytes(rows: list[list[str]], headers: list[str] = HEADERS, above: list[list[str]] = ()) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows([*above, headers, *rows])
    return buffer.getvalue().encode("utf-8")


def load(rows: list[list[str]], **options: object):
    return load_group_dataset("kelompok.csv", csv_bytes(rows), **options)


def only_problem(result, severity: str = "error"):
    found = [p for p in result.problems if p.severity == severity]
    assert len(found) == 1, [(p.code, p.row, p.column) for p in result.problems]
    return found[0]


def test_the_demo_loads_without_a_problem_into_the_canonical_columns():
    data = load_group_demo()
    assert list(data.frame.columns) == FRAME_COLUMNS
    assert data.is_demo and data.warnings == ()
    assert data.periods == ["2024-11"]


def test_an_office_file_with_titles_numbers_totals_and_a_signature_loads():
    headers = ["No", "Kabupaten/Kota", "Kelompok", "Sub Kelompok", "Jumlah Terdata", "Peserta Aktif", "Pendanaan",
               "Jumlah Bulan", "Catatan"]
    rows = [
        ["1", "Kab. Kaur", "Pekerja Rentan", "", "5.000", "1.200", "APBD Kab/Kota", "12", "SK Bupati"],
        ["2", "KABUPATEN LEBONG", "Badan ad hoc pemilu", "PPK", "60", "60", "NPHD", "3", ""],
        ["3", "Lebong", "adhoc_pemilu", "KPPS", "2.100", "0", "", "", ""],
        ["4", "Provinsi Bengkulu", "vulnerable workers", "", "114.883", "39.487", "apbd provinsi", "12", ""],
        ["", "JUMLAH", "", "", "122.043", "40.747", "", "", ""],
        ["", "Bengkulu, 20 November 2024 — Kepala Dinas", "", "", "", "", "", "", ""],
    ]
    above = [["REKAP KELOMPOK SASARAN INPRES 2/2021"], ["Posisi: November 2024"]]
    result = load_group_dataset("rekap.csv", csv_bytes(rows, headers, above))
    assert result.errors == [], [(p.code, p.row) for p in result.errors]
    frame = result.data.frame
    assert list(frame["region_code"]) == ["17.04", "17.07", "17.07", "17"]
    assert list(frame["group_code"]) == ["pekerja_rentan", "adhoc_pemilu", "adhoc_pemilu", "pekerja_rentan"]
    assert list(frame["subgroup_code"]) == ["", "ppk", "kpps", ""]
    assert list(frame["eligible"]) == [5000, 60, 2100, 114883]
    assert list(frame["registered"]) == [1200, 60, 0, 39487]
    assert list(frame["funder"]) == ["apbd_kabkota", "nphd_hibah", "", "apbd_provinsi"]
    assert frame["months_funded"].isna().tolist() == [False, False, True, False]
    assert set(frame["period"]) == {"2024-11"}
    assert [(p.code, p.row) for p in result.problems] == [
        ("period.from_title", None), ("group.total_row", 8), ("row.ignored", 9)]


def test_an_xlsx_workbook_with_numbers_as_numbers_loads():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    sheet.append(["2024-11", 17.02, "Rejang Lebong", "Non-ASN", None, 3400, 2800, "APBD Kabupaten/Kota", 12, None,
                  None])
    sheet.append(["2024-11", 17, "Provinsi Bengkulu", "BUMD", None, 420, 380.0, "Pemberi Kerja", None, None, "tidak"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = load_group_dataset("kelompok.xlsx", buffer.getvalue())
    assert result.errors == []
    assert list(result.data.frame["region_code"]) == ["17.02", "17"]
    assert list(result.data.frame["registered"]) == [2800, 380]


@pytest.mark.parametrize(("cells", "code", "column"), [
    ({"Kode Wilayah": "17.99", "Kabupaten/Kota": ""}, "region.unknown", "Kode Wilayah"),
    ({"Kode Wilayah": "", "Kabupaten/Kota": "Kaurr"}, "region.unknown_suggest", "Kabupaten/Kota"),
    ({"Kabupaten/Kota": "Kabupaten Lebong"}, "group.region_mismatch", "Kabupaten/Kota"),
    ({"Kelompok": "nelayan"}, "group.unknown", "Kelompok"),
    ({"Kelompok": "adhoc_pemilu", "Subkelompok": "PPLN"}, "group.unknown_subgroup", "Subkelompok"),
    ({"Subkelompok": "PPK"}, "group.unknown_subgroup", "Subkelompok"),
    ({"Sumber Dana": "APBN"}, "group.unknown_funder", "Sumber Dana"),
    ({"Terdata": "-5"}, "value.negative", "Terdata"),
    ({"Terdaftar": "12,5"}, "value.not_integer", "Terdaftar"),
    ({"Terdaftar": "banyak"}, "value.not_number", "Terdaftar"),
    ({"Terdata": ""}, "value.missing", "Terdata"),
    ({"Bulan Dibiayai": "13"}, "group.months_out_of_range", "Bulan Dibiayai"),
    ({"Bulan Dibiayai": "-1"}, "value.negative", "Bulan Dibiayai"),
    ({"Terdaftar": "6000"}, "group.registered_exceeds", "Terdaftar"),
    ({"Masalah Data Diketahui": "mungkin"}, "group.flag_invalid", "Masalah Data Diketahui"),
    ({"Periode": "bulan depan"}, "period.invalid", "Periode"),
])
def test_each_fault_is_an_error_at_its_row_and_column_and_nothing_loads(cells, code, column):
    result = load([row(), row(Kelompok="non_asn", **{"Terdaftar": "100"}), row(**({"Kelompok": "jakon"} | cells))])
    problem = only_problem(result)
    assert (problem.code, problem.row, problem.column) == (code, 4, column)
    assert result.data is None
    for lang in i18n.LANGUAGES:
        assert problem.message(lang) and problem.fix(lang)


def test_registered_above_eligible_is_a_warning_when_marked_as_a_known_problem():
    result = load([row(Terdaftar="6000", **{"Masalah Data Diketahui": "Ya"})])
    problem = only_problem(result, "warning")
    assert (problem.code, problem.row, problem.column) == ("group.registered_exceeds_known", 2, "Terdaftar")
    assert result.data is not None
    assert bool(result.data.frame.at[0, "known_problem"]) is True
    assert "6.000" in problem.message("id") and "6,000" in problem.message("en")


def test_the_same_period_region_group_subgroup_and_funder_twice_is_a_duplicate():
    result = load([row(), row(Keterangan="lagi"), row(**{"Sumber Dana": "csr"})])
    problem = only_problem(result)
    assert (problem.code, problem.row, problem.params["first_row"]) == ("group.duplicate", 3, 2)


def test_every_fault_is_reported_at_once():
    result = load([row(Kelompok="nelayan"), row(Terdata="-1"), row(**{"Sumber Dana": "APBN"})])
    assert [(p.code, p.row) for p in result.errors] == [
        ("group.unknown", 2), ("value.negative", 3), ("group.unknown_funder", 4)]


def test_a_missing_required_column_is_named():
    headers = [header for header in HEADERS if header != "Terdaftar"]
    rows = [[cell for index, cell in enumerate(row()) if index != COL["Terdaftar"]]]
    result = load_group_dataset("kelompok.csv", csv_bytes(rows, headers))
    assert [(p.code, p.column) for p in result.errors] == [("column.missing", "Terdaftar")]
    assert result.data is None


def test_a_file_without_a_month_asks_for_one_and_reads_the_given_one():
    headers = HEADERS[1:]
    rows = [row()[1:]]
    asked = load_group_dataset("kelompok.csv", csv_bytes(rows, headers))
    assert [p.code for p in asked.errors] == ["period.needed"]
    given = load_group_dataset("kelompok.csv", csv_bytes(rows, headers), period="2024-11")
    assert given.data is not None and list(given.data.frame["period"]) == ["2024-11"]


@pytest.mark.parametrize(("name", "content", "code"), [
    ("kelompok.csv", b"", "file.empty"),
    ("kelompok.csv", b"%PDF-1.4 not a table", "file.type"),
    ("kelompok.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "file.xls"),
])
def test_a_file_that_is_not_a_table_is_refused(name, content, code):
    result = load_group_dataset(name, content)
    assert [p.code for p in result.problems] == [code] and result.data is None


def test_the_template_has_the_canonical_headers_and_one_example_row_per_group():
    rows = template_rows("2024-11")
    assert list(rows.columns) == HEADERS
    groups = load_target_groups()
    assert [groups.match_group(name) for name in rows["Kelompok"]] == list(groups.codes)


@pytest.mark.parametrize("build", [template_csv, template_xlsx])
def test_the_template_loads_back_as_it_is(build):
    content = build("2024-11")
    name = "templat.csv" if build is template_csv else "templat.xlsx"
    result = load_group_dataset(name, content)
    assert result.problems == () or all(p.severity == "info" for p in result.problems)
    assert len(result.data.frame) == len(load_target_groups().groups)


def _build_script():
    path = Path(__file__).resolve().parents[2] / "scripts" / "build_group_demo_data.py"
    spec = importlib.util.spec_from_file_location("build_group_demo_data_under_test", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_demo_is_byte_for_byte_what_its_build_script_writes():
    assert DEMO_GROUPS_PATH.read_text(encoding="utf-8") == _build_script().render_csv()


def test_every_demo_row_names_its_source_or_says_ilustrasi():
    with DEMO_GROUPS_PATH.open(encoding="utf-8", newline="") as handle:
        notes = [record["Keterangan"] for record in csv.DictReader(handle)]
    assert notes and all("ilustrasi" in note or "dilaporkan" in note for note in notes)
    reported_only = [note for note in notes if "ilustrasi" not in note]
    assert all("(" in note for note in reported_only)  # a reported figure carries its source in brackets
