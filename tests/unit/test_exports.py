"""Downloads: the fill-in template and the current data, which must load again as they are."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from monev import exports
from monev.dataset import load_dataset, load_demo
from monev.regions import load_registry
from tests.unit.coverage_files import HEADERS, csv_bytes, month_rows

BOM = b"\xef\xbb\xbf"
# The template and the data download also have the participants total, which the demo's file does not.
FILE_HEADERS = [*HEADERS[:3], "Jumlah Peserta", *HEADERS[3:]]
COUNT_HEADERS = ["Pekerja Potensial", "Jumlah Peserta", "Peserta PU", "Peserta BPU", "Peserta Jakon", "Peserta PMI"]
FILLED = {"Pekerja Potensial": 40000, "Peserta PU": 9000, "Peserta BPU": 4000, "Peserta Jakon": 1500, "Peserta PMI": 0}


def _csv_records(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))


def _sheet_records(content: bytes) -> list[dict[str, object]]:
    workbook = load_workbook(io.BytesIO(content))
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    return [dict(zip(rows[0], values)) for values in rows[1:]]


def _matched_codes(names) -> list[str]:
    registry = load_registry()
    return [registry.match(name).code for name in names]


def test_template_csv_has_one_row_per_region_with_the_period():
    records = _csv_records(exports.template_csv("2024-11"))
    assert list(records[0]) == FILE_HEADERS
    assert len(records) == len(load_registry())
    assert _matched_codes(r["Wilayah"] for r in records) == list(load_registry().codes)
    assert {r["Periode"] for r in records} == {"2024-11"}
    assert all(r[header] == "" for r in records for header in COUNT_HEADERS)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_template_xlsx_has_one_row_per_region_with_the_period(lang):
    records = _sheet_records(exports.template_xlsx("2025-01", lang))
    assert list(records[0]) == FILE_HEADERS
    assert len(records) == len(load_registry())
    assert _matched_codes(r["Wilayah"] for r in records) == list(load_registry().codes)
    assert {r["Periode"] for r in records} == {"2025-01"}


def test_unfilled_template_is_rejected_at_every_row_for_potential_workers_and_participants():
    result = load_dataset("templat.csv", exports.template_csv("2024-11"))
    assert result.data is None
    assert len(result.errors) == len(load_registry()) * 2
    assert {(p.code, p.column) for p in result.errors} == {("value.missing", "Pekerja Potensial"),
                                                          ("value.participants_missing", "Jumlah Peserta")}


def test_template_csv_filled_in_with_numbers_loads():
    frame = pd.read_csv(io.BytesIO(exports.template_csv("2024-11")), sep=";", dtype=str, encoding="utf-8-sig",
                        keep_default_na=False)
    for header, value in FILLED.items():
        frame[header] = value
    filled = frame.to_csv(sep=";", index=False).encode("utf-8-sig")
    result = load_dataset("templat_terisi.csv", filled)
    assert result.ok, [(p.code, p.row, p.column) for p in result.problems]
    assert result.problems == ()
    assert result.data.periods == ["2024-11"]
    assert result.data.frame["potential_workers"].tolist() == [40000] * len(load_registry())
    assert result.data.frame["bpu"].tolist() == [4000] * len(load_registry())


def test_template_xlsx_filled_in_with_openpyxl_loads():
    workbook = load_workbook(io.BytesIO(exports.template_xlsx("2024-11")))
    sheet = workbook.worksheets[0]
    column_of = {cell.value: cell.column for cell in sheet[1]}
    for row_number in range(2, sheet.max_row + 1):
        for header, value in FILLED.items():
            sheet.cell(row=row_number, column=column_of[header], value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = load_dataset("templat_terisi.xlsx", buffer.getvalue())
    assert result.ok, [(p.code, p.row, p.column) for p in result.problems]
    assert result.problems == ()
    assert result.data.frame["pu"].tolist() == [9000] * len(load_registry())


def test_data_csv_is_excel_friendly_utf8_with_bom_and_semicolons():
    content = exports.data_csv(load_demo())
    assert content.startswith(BOM)
    header = content[len(BOM):].split(b"\r\n", 1)[0].decode("utf-8")
    assert header.split(";") == FILE_HEADERS


def test_data_csv_of_the_demo_round_trips_to_an_equal_frame():
    demo = load_demo()
    result = load_dataset("unduhan.csv", exports.data_csv(demo))
    assert result.ok
    assert result.problems == ()
    pd.testing.assert_frame_equal(result.data.frame, demo.frame)


def test_data_xlsx_of_the_demo_round_trips_to_an_equal_frame():
    demo = load_demo()
    result = load_dataset("unduhan.xlsx", exports.data_xlsx(demo))
    assert result.ok
    assert result.problems == ()
    pd.testing.assert_frame_equal(result.data.frame, demo.frame)


@pytest.mark.parametrize("export", [exports.data_csv, exports.data_xlsx], ids=["csv", "xlsx"])
def test_decimal_and_empty_targets_round_trip(export):
    rows = month_rows(target="39,5")
    rows[1][7] = ""  # one region without a target
    uploaded = load_dataset("c.csv", csv_bytes(rows)).data
    again = load_dataset("again", export(uploaded)).data
    pd.testing.assert_frame_equal(again.frame, uploaded.frame)


@pytest.mark.parametrize("text", ["=1+1", "+62 812", "-5", "@SUM(A1)", "\t=1", "\r=1", "=HYPERLINK(\"x\")"])
def test_neutralise_formula_prefixes_formula_starts_with_an_apostrophe(text):
    assert exports.neutralise_formula(text) == "'" + text


@pytest.mark.parametrize("value", ["ilustrasi", "Kota Bengkulu", "2024-10", "", "a=b", 5, -5, 0.39, -0.5, None])
def test_neutralise_formula_leaves_plain_text_and_numbers_alone(value):
    assert exports.neutralise_formula(value) == value


_HYPERLINK = '=HYPERLINK("http://contoh.invalid/x","klik")'


def _uploaded_with_formula_note():
    rows = month_rows()
    rows[0][8] = _HYPERLINK
    result = load_dataset("c.csv", csv_bytes(rows))
    assert result.ok
    return result.data


def test_a_formula_typed_in_a_note_is_neutralised_in_the_csv_download():
    records = _csv_records(exports.data_csv(_uploaded_with_formula_note()))
    notes = [r["Keterangan"] for r in records]
    assert notes[0] == "'" + _HYPERLINK
    assert not any(cell.startswith(("=", "+", "-", "@")) for r in records for cell in r.values())


def test_a_formula_typed_in_a_note_is_text_not_a_formula_in_the_xlsx_download():
    workbook = load_workbook(io.BytesIO(exports.data_xlsx(_uploaded_with_formula_note())))
    sheet = workbook.worksheets[0]
    note_column = [cell.column for cell in sheet[1] if cell.value == "Keterangan"][0]
    cell = sheet.cell(row=2, column=note_column)
    assert cell.data_type == "s"
    assert cell.value == "'" + _HYPERLINK
