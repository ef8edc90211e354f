"""The office sheet the README shows as an example loads as the README says: month from the title, the total row
checked, the source row ignored, and the same figures as the demo's October."""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import Workbook

from monev.dataset import load_dataset, load_demo, to_file_rows


def _readme_sheet() -> bytes:
    rows = to_file_rows(load_demo())
    october = rows[rows["Periode"] == "2024-10"]
    workbook = Workbook()
    sheet = workbook.active
    sheet["A1"] = "REKAPITULASI CAKUPAN KEPESERTAAN BPJS KETENAGAKERJAAN"
    sheet.merge_cells("A1:G1")
    sheet["A2"] = "Posisi: Oktober 2024"
    sheet.append([])
    sheet.append(["No", "Kab/Kota", "Potensi TK", "PU", "BPU", "Jakon", "PMI"])
    counts = ["Pekerja Potensial", "Peserta PU", "Peserta BPU", "Peserta Jakon", "Peserta PMI"]
    for number, (_, record) in enumerate(october.iterrows(), start=1):
        sheet.append([number, record["Wilayah"].replace("Kabupaten ", ""), *(int(record[c]) for c in counts)])
    sheet.append([None, "JUMLAH", *(int(october[c].sum()) for c in counts)])
    sheet.append([])
    sheet.append(["Sumber: BPJS Ketenagakerjaan Cabang Bengkulu"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_the_readme_office_sheet_loads_with_its_month_total_and_note_understood():
    result = load_dataset("rekap.xlsx", _readme_sheet())
    assert result.ok, [(p.code, p.row, p.column) for p in result.errors]
    (sheet,) = result.layout.sheets
    assert (sheet.header_row, sheet.period_source, sheet.periods) == (4, "title", ("2024-10",))
    assert sheet.total_rows == (15,) and sheet.ignored_rows == (17,)
    assert not [p for p in result.warnings if p.code.startswith("total")]
    demo = load_demo().frame
    october = demo[demo["period"] == "2024-10"].reset_index(drop=True)
    columns = ["region_code", "potential_workers", "participants"]
    pd.testing.assert_frame_equal(result.data.frame[columns], october[columns])
