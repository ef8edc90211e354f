"""Table downloads: CSV that Excel opens (BOM, ';', decimal comma), formatted XLSX with a notes sheet, formula
injection neutralised in both, and file names that carry the data version and period.

Files are read back the way a user's tools read them: the csv module and openpyxl. Expected numbers come from the
demo CSV itself, not from the code under test.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from monev import i18n, tables
from monev.dataset import DEMO_PATH, load_dataset, load_demo
from monev.indicators import region_series
from monev.sentences import DataOrigin
from monev.simulation import CostParameters
from monev.simulator_inputs import simulate_inputs

BOM = b"\xef\xbb\xbf"
PERIOD = "2024-10"
NATIONAL = 0.39
SEGMENT_HEADERS = ("Peserta PU", "Peserta BPU", "Peserta Jakon", "Peserta PMI")
INJECTIONS = ["=1+1", "+1", "-1 text", "@SUM(A1:A9)", "\tX", "\rY"]


def _demo_rows(period: str = PERIOD) -> dict[str, dict[str, int]]:
    """Participants and potential workers per region name (without 'Kabupaten'), read from the demo file."""
    with DEMO_PATH.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["Periode"] == period]
    return {row["Wilayah"].removeprefix("Kabupaten "): {
        "participants": sum(int(row[header]) for header in SEGMENT_HEADERS),
        "potential": int(row["Pekerja Potensial"])} for row in rows}


def _csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))


def _csv_number(text: str) -> float:
    return float(text.replace(",", "."))


@pytest.fixture(scope="module")
def ranking(indicators) -> tables.ExportTable:
    return tables.ranking_table(indicators, lang="id")


def _notes(lang: str = "id") -> list[str]:
    return tables.export_notes(lang=lang, origin=DataOrigin("cakupan.csv", is_demo=True, version_id=3), period=PERIOD,
                               national_rate=NATIONAL)


def _workbook(table: tables.ExportTable, lang: str = "id"):
    content = tables.table_xlsx(table.frame, title=table.title, notes=_notes(lang),
                                number_formats=table.number_formats, lang=lang)
    return load_workbook(io.BytesIO(content))


# --- CSV ---------------------------------------------------------------------------------------------------------


def test_csv_starts_with_the_bom_and_separates_cells_with_semicolons(ranking):
    content = tables.table_csv(ranking.frame)
    assert content.startswith(BOM)
    header = content[len(BOM):].decode("utf-8").splitlines()[0]
    assert header.split(";") == list(ranking.frame.columns)
    assert "Peringkat;Wilayah;Cakupan;Peserta aktif;Pekerja potensial" in header


def test_csv_numbers_survive_as_numbers(ranking):
    rows = _csv_rows(tables.table_csv(ranking.frame))
    header, records = rows[0], [dict(zip(rows[0], row)) for row in rows[1:]]
    assert len(records) == 10 and len(header) == len(ranking.frame.columns)
    expected = _demo_rows()
    for record in records:
        source = expected[record["Wilayah"]]
        assert int(record["Peserta aktif"]) == source["participants"]
        assert int(record["Pekerja potensial"]) == source["potential"]
        assert _csv_number(record["Cakupan"]) == pytest.approx(source["participants"] / source["potential"],
                                                               abs=1e-6)
        # differences of rates are written in percentage points, as the screen shows them
        assert _csv_number(record["Selisih ke nasional"]) == pytest.approx(
            100 * (source["participants"] / source["potential"] - NATIONAL), abs=1e-4)
    assert [int(r["Peringkat"]) for r in records] == list(range(1, 11))


def test_csv_writes_large_amounts_without_an_exponent():
    content = tables.table_csv(pd.DataFrame({"Biaya": [1_704_729_600.0, 0.5, -1e-9], "Nama": ["a", None, "b"]}))
    rows = _csv_rows(content)
    assert rows[1] == ["1704729600", "a"]
    assert rows[2] == ["0,5", ""]
    assert rows[3] == ["0", "b"]  # no "-0"


def _injection_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "Nama": [*INJECTIONS, "biasa", "-5"],
        "Jumlah": [-5, 3, -7, 0, 12, 1, 2, -1],
        "Cakupan": [-0.05, 0.37, 0.5, 0.1, 0.2, 0.3, 0.4, 0.6],
    })


def test_csv_neutralises_every_formula_start_in_text_but_leaves_numbers_alone():
    rows = _csv_rows(tables.table_csv(_injection_frame()))
    names = [row[0] for row in rows[1:]]
    assert names[:len(INJECTIONS)] == ["'" + text for text in INJECTIONS]
    assert names[-2:] == ["biasa", "'-5"]  # "-5" typed as text is text; a spreadsheet would compute it
    assert [row[1] for row in rows[1:]] == ["-5", "3", "-7", "0", "12", "1", "2", "-1"]
    assert rows[1][2] == "-0,05"


def test_csv_neutralises_a_formula_in_a_header():
    rows = _csv_rows(tables.table_csv(pd.DataFrame({"=HYPERLINK(\"x\")": ["a"]})))
    assert rows[0] == ["'=HYPERLINK(\"x\")"]


# --- XLSX --------------------------------------------------------------------------------------------------------


def test_xlsx_neutralises_formulas_and_keeps_numbers_numeric():
    sheet = _workbook(tables.ExportTable("test", "Uji", _injection_frame(), {"Jumlah": tables.FORMAT_COUNT})).active
    values = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in values][:len(INJECTIONS)] == ["'" + text for text in INJECTIONS]
    assert values[-1][0] == "'-5"
    assert [row[1] for row in values] == [-5, 3, -7, 0, 12, 1, 2, -1]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]  # not a single formula
    assert {sheet.cell(row=r, column=2).data_type for r in range(2, sheet.max_row + 1)} == {"n"}


def test_xlsx_has_a_styled_frozen_header_and_number_formats(ranking, indicators):
    sheet = _workbook(ranking).worksheets[0]
    assert sheet.title == "Peringkat wilayah"
    assert [cell.value for cell in sheet[1]] == list(ranking.frame.columns)
    for cell in sheet[1]:
        assert cell.font.bold
        assert cell.fill.fgColor.rgb.endswith(tables.HEADER_FILL)
    assert sheet.freeze_panes == "A2"
    columns = {cell.value: cell.column_letter for cell in sheet[1]}
    kaur = sheet["A2"].row  # rank 1
    assert sheet[f"{columns['Wilayah']}{kaur}"].value == "Kaur"
    rate = sheet[f"{columns['Cakupan']}{kaur}"]
    source = _demo_rows()["Kaur"]
    assert rate.value == pytest.approx(source["participants"] / source["potential"])
    assert rate.number_format == "0.0%"
    participants = sheet[f"{columns['Peserta aktif']}{kaur}"]
    assert participants.value == source["participants"] and participants.number_format == "#,##0"
    assert sheet[f"{columns['Selisih ke nasional']}{kaur}"].number_format == tables.FORMAT_POINTS
    # widths follow the content: the long header gets a wide column, the rank a narrow one
    assert sheet.column_dimensions[columns["Wilayah"]].width > sheet.column_dimensions[columns["Peringkat"]].width
    assert sheet.column_dimensions[columns["Peserta aktif"]].width >= len("Peserta aktif")


@pytest.mark.parametrize(("lang", "sheet_name", "version", "period", "national"), [
    ("id", "Sumber dan catatan", "versi 3", "Oktober 2024", "39,0%"),
    ("en", "Sources and notes", "version 3", "October 2024", "39.0%"),
])
def test_xlsx_notes_sheet_names_the_version_period_and_sources(ranking, lang, sheet_name, version, period,
                                                               national):
    workbook = _workbook(ranking, lang)
    assert workbook.sheetnames[1] == sheet_name
    lines = [row[0] for row in workbook[sheet_name].iter_rows(values_only=True)]
    assert lines[0] == ranking.title
    text = "\n".join(lines)
    assert version in text and period in text and national in text and "cakupan.csv" in text
    assert i18n.t("present.source_demo", lang) in lines


def test_notes_of_an_upload_name_its_file_uploader_and_note_and_not_the_demos_press_sources():
    origin = DataOrigin("okt.csv", is_demo=False, version_id=5, uploaded_by="Rina", uploaded_on=dt.date(2024, 11, 2),
                        note="Rekap kantor cabang")
    lines = tables.export_notes(lang="en", origin=origin, period=PERIOD, national_rate=NATIONAL)
    assert lines[0] == "Data: okt.csv, version 5, period October 2024."
    assert "Data: version 5 (okt.csv), uploaded by Rina on 2 November 2024." in lines
    assert "Source of the figures (the data version's note): Rekap kantor cabang" in lines
    assert not {i18n.t(f"present.source_{number}", "en") for number in (2, 3)} & set(lines)
    assert i18n.t("present.source_demo", "en") not in lines


def test_xlsx_drops_control_characters_that_the_file_format_forbids():
    frame = pd.DataFrame({"Nama": ["Skenario\x07 A"]})
    sheet = _workbook(tables.ExportTable("x", "Uji", frame)).active
    assert sheet["A2"].value == "Skenario A"


# --- the views as tables -----------------------------------------------------------------------------------------


def test_region_detail_lists_the_region_month_by_month():
    data = load_demo()
    table = tables.region_detail_table(region_series(data), "17.07", national_rate=NATIONAL, lang="id")
    assert table.kind == "wilayah-lebong"
    assert list(table.frame["Periode"]) == data.periods
    october = table.frame[table.frame["Periode"] == PERIOD].iloc[0]
    source = _demo_rows()["Lebong"]
    assert october["Peserta aktif"] == source["participants"]
    assert october["Cakupan"] == pytest.approx(source["participants"] / source["potential"])
    assert table.number_formats["BPU"] == tables.FORMAT_COUNT


def test_simulation_and_comparison_tables_carry_costs_as_rupiah_numbers(indicators):
    inputs = pd.DataFrame({"region_code": ["17.07"], "target_pct": [30.0], "additional": [None], "segment": ["bpu"]})
    result, _ = simulate_inputs(indicators, mode="target", inputs=inputs, parameters=CostParameters(),
                                national_rate=NATIONAL)
    source = _demo_rows()["Lebong"]
    added = -(-3 * source["potential"] // 10) - source["participants"]  # ceil(30% of potential) - participants
    simulation = tables.simulation_table(result, lang="id")
    lebong = simulation.frame[simulation.frame["Wilayah"] == "Lebong"].iloc[0]
    assert lebong["Tambahan peserta"] == added
    assert lebong["Biaya/tahun"] == added * 16_800 * 12
    assert simulation.number_formats["Biaya/tahun"] == tables.FORMAT_RUPIAH
    comparison = tables.comparison_table([("Lebong 30%", result)], lang="en")
    row = comparison.frame.iloc[0]
    assert row["Scenario name"] == "Lebong 30%"
    assert row["Cost per year"] == added * 16_800 * 12
    assert comparison.number_formats["Provincial coverage"] == tables.FORMAT_RATE
    sheet = _workbook(comparison, "en").active
    assert sheet["G2"].value == added * 16_800 * 12 and sheet["G2"].number_format == tables.FORMAT_RUPIAH


def test_validation_report_exports_with_headers_in_the_language_and_row_numbers_as_text():
    content = b"Periode;Wilayah;Pekerja Potensial;Peserta PU;Peserta BPU;Peserta Jakon;Peserta PMI\n" \
              b"2024-10;=HYPERLINK(\"http://x\");100;1;1;1;0\n"
    problems = load_dataset("rusak.csv", content).problems
    table = tables.validation_table(problems, lang="id")
    assert list(table.frame.columns) == ["Jenis", "Baris", "Kolom", "Nilai", "Masalah", "Cara memperbaiki", "Kode"]
    rows = _csv_rows(tables.table_csv(table.frame))
    unknown = next(row for row in rows[1:] if row[6].startswith("region.unknown"))
    assert unknown[1] == "2"
    assert unknown[3].startswith("'=HYPERLINK")  # the offending value is quoted back, harmless
    sheet = _workbook(table).active
    assert sheet["B2"].value == "2" and sheet["D2"].value.startswith("'=")  # rows are text: "2–11" for a group


def test_file_names_carry_kind_version_and_period_in_ascii():
    assert tables.export_file_name("peringkat", version_id=3, period="2024-10", ext="csv") == \
        "monev_peringkat_v3_2024-10.csv"
    assert tables.export_file_name("Wilayah Bengkulu Tengah", version_id="ab12cd34", period="2024-10",
                                   ext=".XLSX") == "monev_wilayah-bengkulu-tengah_vab12cd34_2024-10.xlsx"
    assert tables.export_file_name("peta", version_id=None, period="2024-10", ext="png") == "monev_peta_2024-10.png"
    name = tables.export_file_name("perbandingan ≥ nasional ä", version_id=12, period="2025-01", ext="xlsx")
    assert name.isascii() and "_v12_" in name and name.endswith("_2025-01.xlsx")
