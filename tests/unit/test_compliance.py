"""The compliance checklist: items as data, reading a CSV/XLSX with row-precise problems, export and re-import."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from monev import i18n
from monev.compliance import (
    COLUMNS,
    DEMO_FILE,
    PROBLEM_CODES,
    STATUSES,
    Checklist,
    ComplianceEntry,
    checklist_csv,
    checklist_xlsx,
    load_items,
    read_checklist,
    status_matrix,
)
from monev.problem_report import group_problems

ROOT = Path(__file__).resolve().parents[2]
BUILD_SCRIPT = ROOT / "scripts" / "build_compliance_demo.py"
HEADER = "Kode wilayah;Kode butir;Status;Jenis regulasi;Nomor dokumen;Tanggal dokumen;Pagu (Rp);Realisasi (Rp);" \
         "Berlaku sampai;Sumber;Dicatat pada"


def read_csv_text(*rows: str):
    return read_checklist("kepatuhan.csv", "\n".join((HEADER, *rows)).encode())


def problems_of(result) -> list[tuple[str, str, int | None, str | None]]:
    return [(p.code, p.severity, p.row, p.column) for p in result.problems]


def build_script():
    spec = importlib.util.spec_from_file_location("build_compliance_demo_under_test", BUILD_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- the items ----------------------------------------------------------------------------------------------------


def test_the_items_name_their_rule_and_whether_they_can_be_partial():
    items = {item.code: item for item in load_items()}
    assert list(items) == ["regulasi", "rkpd", "apbd", "mou_pks", "nphd_adhoc", "sanksi", "inovasi"]
    assert "842.2/5193/SJ" in items["regulasi"].rule
    assert "400.5.7/4295/SJ" in items["nphd_adhoc"].rule
    assert items["sanksi"].rule == "PP 86/2013"
    assert "Permendagri 27/2021" in items["apbd"].rule
    assert not items["mou_pks"].partial and items["regulasi"].partial
    assert items["apbd"].evidence == ("pagu_idr", "realisation_idr")
    assert items["mou_pks"].evidence == ("expiry_date",)
    assert items["apbd"].name("en") == "Budget line in the APBD and its realisation"
    assert items["apbd"].name("id").startswith("Mata anggaran")


# --- an entry -----------------------------------------------------------------------------------------------------


def test_realisation_percent_and_expiry_are_worked_out():
    entry = ComplianceEntry("17.01", "apbd", "ada", pagu_idr=400_000_000, realisation_idr=300_000_000)
    assert entry.realisation_rate == 0.75
    assert ComplianceEntry("17.01", "apbd", "ada", pagu_idr=0, realisation_idr=5).realisation_rate is None
    agreement = ComplianceEntry("17.01", "mou_pks", "ada", expiry_date=dt.date(2025, 2, 28))
    assert agreement.expired(dt.date(2025, 3, 1)) is True
    assert agreement.expired(dt.date(2025, 2, 28)) is False
    assert ComplianceEntry("17.01", "mou_pks", "ada").expired(dt.date(2025, 3, 1)) is None


def test_the_matrix_has_every_region_and_the_province_and_unknown_where_nothing_was_recorded():
    checklist = Checklist((ComplianceEntry("17.07", "sanksi", "belum"), ComplianceEntry("17", "rkpd", "ada")))
    matrix = status_matrix(checklist)
    assert list(matrix) == ["17.01", "17.02", "17.03", "17.04", "17.05", "17.06", "17.07", "17.08", "17.09",
                            "17.71", "17"]
    assert matrix["17.07"]["sanksi"] == "belum"
    assert matrix["17"]["rkpd"] == "ada"
    assert matrix["17.01"]["regulasi"] == "tidak_diketahui"
    assert set(matrix["17.01"]) == {item.code for item in load_items()}


def test_with_entry_replaces_the_regions_entry_for_that_item():
    checklist = Checklist((ComplianceEntry("17.07", "sanksi", "belum"),))
    changed = checklist.with_entry(ComplianceEntry("17.07", "sanksi", "ada"))
    assert changed.status("17.07", "sanksi") == "ada"
    assert len(changed.entries) == 1
    assert checklist.status("17.07", "sanksi") == "belum"  # the original is unchanged


# --- reading a file -----------------------------------------------------------------------------------------------


def test_a_clean_file_reads_names_codes_dates_and_rupiah():
    result = read_csv_text(
        "Kab. Mukomuko;regulasi;ada;Perbup;12/2023;20/11/2023;;;;Perbup Mukomuko;2024-11-20",
        "17;apbd;sebagian;;;;Rp5.000.000.000;2.500.000.000;;laporan;2024-11-20",
        "Benteng;mou_pks;ada;;PKS-1;2023-03-01;;;2026-02-28;;",
        "KABUPATEN KAUR;sanksi;tidak diketahui;;;;;;;;",
    )
    assert result.problems == ()
    assert result.checklist is not None
    regulation = result.checklist.entry("17.06", "regulasi")
    assert regulation is not None
    assert regulation.regulation_kind == "perkada"
    assert regulation.document_date == dt.date(2023, 11, 20)
    assert regulation.recorded_at == dt.date(2024, 11, 20)
    budget = result.checklist.entry("17", "apbd")
    assert budget is not None and budget.pagu_idr == 5e9 and budget.realisation_rate == 0.5
    agreement = result.checklist.entry("17.09", "mou_pks")
    assert agreement is not None and agreement.expiry_date == dt.date(2026, 2, 28)
    assert result.checklist.status("17.04", "sanksi") == "tidak_diketahui"


@pytest.mark.parametrize(("row", "expected"), [
    ("17.01;pelatihan;ada;;;;;;;;", ("compliance.unknown_item", "error", 2, "Kode butir")),
    ("Bengkulu Barat;rkpd;ada;;;;;;;;", ("region.unknown", "error", 2, "Kode wilayah")),
    ("17.01;rkpd;selesai;;;;;;;;", ("compliance.unknown_status", "error", 2, "Status")),
    ("17.01;mou_pks;sebagian;;;;;;;;", ("compliance.partial_not_allowed", "error", 2, "Status")),
    ("17.01;regulasi;ada;Instruksi;;;;;;;", ("compliance.unknown_kind", "error", 2, "Jenis regulasi")),
    ("17.01;rkpd;ada;;;31/02/2024;;;;;", ("compliance.bad_date", "error", 2, "Tanggal dokumen")),
    ("17.01;rkpd;ada;;;;100;;;;", ("compliance.field_not_used", "error", 2, "Pagu (Rp)")),
    ("17.01;apbd;ada;;;;lima juta;;;;", ("value.not_number", "error", 2, "Pagu (Rp)")),
    ("17.01;mou_pks;ada;;;2024-01-01;;;2023-01-01;;", ("compliance.expiry_before_date", "error", 2,
                                                        "Berlaku sampai")),
    (";rkpd;ada;;;;;;;;", ("value.missing", "error", 2, "Kode wilayah")),
])
def test_each_fault_is_an_error_on_its_row_and_column_and_nothing_loads(row, expected):
    result = read_csv_text(row)
    assert problems_of(result) == [expected]
    assert result.checklist is None


def test_realisation_above_the_budget_and_a_regulation_without_kind_are_warnings_and_the_file_loads():
    result = read_csv_text("17.01;apbd;ada;;;;100000000;120000000;;;",
                           "17.02;regulasi;ada;;;;;;;;",
                           "17.03;rkpd;ada;;;2024-12-01;;;;;2024-11-20")
    assert problems_of(result) == [("compliance.realisation_exceeds", "warning", 2, "Realisasi (Rp)"),
                                   ("compliance.kind_missing", "warning", 3, "Jenis regulasi"),
                                   ("compliance.date_after_recorded", "warning", 4, "Tanggal dokumen")]
    assert result.checklist is not None and len(result.checklist.entries) == 3


def test_a_region_and_item_twice_names_the_first_row():
    result = read_csv_text("17.01;rkpd;ada;;;;;;;;", "17.01;rkpd;belum;;;;;;;;")
    (problem,) = result.problems
    assert (problem.code, problem.row, problem.params["first_row"]) == ("compliance.duplicate", 3, 2)
    assert problem.message("id") == "Butir 'rkpd' untuk Bengkulu Selatan sudah ada di baris 2."
    assert problem.message("en") == "Item 'rkpd' for Bengkulu Selatan is already on row 2."


def test_missing_required_columns_and_an_empty_file_are_refused():
    result = read_checklist("x.csv", b"Kode wilayah;Catatan\n17.01;x\n")
    assert [(p.code, p.column) for p in result.problems] == [("column.missing", "Kode butir"),
                                                             ("column.missing", "Status")]
    assert [p.code for p in read_checklist("x.csv", b"").problems] == ["file.empty"]
    assert [p.code for p in read_checklist("x.csv", HEADER.encode()).problems] == ["file.no_rows"]


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_problem_code_has_a_message_and_a_fix(lang):
    texts = i18n.catalog(lang)
    assert [code for code in PROBLEM_CODES
            if f"problem.{code}" not in texts or f"fix.{code}" not in texts] == []


def test_problems_group_into_report_lines_in_both_languages():
    result = read_csv_text("17.01;rkpd;selesai;;;;;;;;", "17.02;rkpd;selesai;;;;;;;;")
    (line,) = group_problems(result.problems, "en")
    assert line.text("en") == "Rows 2–3, column 'Status': Unknown status: 'selesai'."
    assert line.fix == "Write one of: " + ", ".join(STATUSES) + "."


# --- export and re-import -----------------------------------------------------------------------------------------


def awkward_checklist() -> Checklist:
    return Checklist((
        ComplianceEntry("17.01", "regulasi", "ada", regulation_kind="perda", document_number="=4/2023",
                        document_date=dt.date(2023, 5, 2), link="https://jdih.example/perda-4-2023",
                        note="-disahkan; \"tanda kutip\"; titik;koma", source="ilustrasi", recorded_by="Ani",
                        recorded_at=dt.date(2024, 11, 20)),
        ComplianceEntry("17", "apbd", "sebagian", pagu_idr=5_000_000_000, realisation_idr=1_234_567_890),
        ComplianceEntry("17.09", "mou_pks", "ada", document_date=dt.date(2023, 3, 1),
                        expiry_date=dt.date(2025, 2, 28)),
        ComplianceEntry("17.07", "sanksi", "tidak_diketahui"),
    ))


@pytest.mark.parametrize("export", [checklist_csv, checklist_xlsx])
def test_reading_an_export_gives_the_same_checklist(export):
    checklist = awkward_checklist()
    result = read_checklist("kepatuhan" + (".csv" if export is checklist_csv else ".xlsx"), export(checklist))
    assert result.problems == ()
    assert result.checklist is not None
    assert set(result.checklist.entries) == set(checklist.entries)


def test_the_demo_checklist_survives_an_xlsx_round_trip():
    demo = read_checklist(DEMO_FILE.name, DEMO_FILE.read_bytes()).checklist
    assert demo is not None
    again = read_checklist("demo.xlsx", checklist_xlsx(demo)).checklist
    assert again is not None and set(again.entries) == set(demo.entries)


def test_the_export_has_indonesian_headers_the_worked_out_percent_and_no_runnable_formula():
    workbook = load_workbook(io.BytesIO(checklist_xlsx(awkward_checklist())))
    sheet = workbook.active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [column.header for column in COLUMNS]
    headers = list(rows[0])
    first = dict(zip(headers, rows[1], strict=True))
    assert first["Wilayah"] == "Bengkulu Selatan"
    assert first["Jenis regulasi"] == "Perda"
    assert first["Nomor dokumen"] == "'=4/2023"
    province = next(dict(zip(headers, row, strict=True)) for row in rows[1:] if row[0] == "17")
    assert province["Wilayah"] == "Provinsi Bengkulu"
    assert province["Realisasi (%)"] == 24.69
    assert checklist_csv(awkward_checklist()).startswith("\ufeffKode wilayah;Wilayah;".encode())


# --- the demo -----------------------------------------------------------------------------------------------------


def test_the_demo_file_is_what_the_build_script_writes():
    script = build_script()
    assert DEMO_FILE.read_bytes() == checklist_csv(script.demo_checklist())


def test_the_demo_keeps_every_reported_entry_with_its_source_and_marks_the_rest_illustrative():
    script = build_script()
    demo = read_checklist(DEMO_FILE.name, DEMO_FILE.read_bytes())
    assert demo.problems == ()
    assert demo.checklist is not None
    reported = [entry for entry in demo.checklist.entries if not entry.is_illustrative]
    assert {(e.region_code, e.item_code) for e in reported} == {(e.region_code, e.item_code)
                                                                 for e in script.REPORTED}
    assert all(entry.source and entry.note for entry in reported)
    circular = demo.checklist.entry("17", "regulasi")
    assert circular is not None
    assert (circular.regulation_kind, circular.document_number) == ("surat_edaran", "500.15.14.2/3/DKTTRANS/08/2025")
    assert demo.checklist.entry("17", "apbd").pagu_idr == 5_000_000_000  # type: ignore[union-attr]
    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    for entry in reported:
        assert entry.source.split(", ")[0].split(" (")[0] in readme
