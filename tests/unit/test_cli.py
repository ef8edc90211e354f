"""The command line, run as users run it: ``python -m monev ...`` in a subprocess."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from monev import exports, periods
from monev.regions import load_registry
from tests.unit.cli_runner import run_cli
from tests.unit.coverage_files import COL, csv_bytes, month_rows, row

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo_summary() -> dict:
    completed = run_cli("summary", "--demo", "--json")
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def test_summary_of_the_demo_gives_the_reported_province_rate(demo_summary):
    province = demo_summary["province"]
    assert demo_summary["period"] == "2024-10"
    assert province["rate"] == pytest.approx(0.37, abs=0.003)
    assert province["participants"] == 261814
    assert province["potential_workers"] == 708000
    assert province["region_count"] == len(load_registry())


def test_summary_of_the_demo_ranks_kaur_first_and_lebong_last(demo_summary):
    regions = {region["code"]: region for region in demo_summary["regions"]}
    assert regions["17.04"]["rate"] == pytest.approx(0.75, abs=0.005)
    assert regions["17.04"]["rank"] == 1
    assert regions["17.07"]["rate"] == pytest.approx(0.17, abs=0.005)
    assert regions["17.07"]["rank"] == len(regions) == max(r["rank"] for r in regions.values())


FAULTS = [
    # (row in the file, code, column as written)
    (3, "value.not_number", "Peserta PU"),
    (4, "region.unknown_suggest", "Wilayah"),
    (5, "period.invalid", "Periode"),
    (6, "target.out_of_range", "Target (%)"),
]


@pytest.fixture
def faulty_file(tmp_path) -> Path:
    path = tmp_path / "cakupan_salah.csv"
    path.write_bytes(csv_bytes([
        row(region="Kaur"),
        row(region="Lebong", pu="seribu"),
        row(region="Selumaa"),
        row(region="Kepahiang", period="Bulan 13"),
        row(region="Mukomuko", target="140"),
    ]))
    return path


def test_validate_lists_every_fault_with_row_and_column(faulty_file):
    completed = run_cli("validate", faulty_file)
    assert completed.returncode == 1
    lines = completed.stdout.splitlines()
    for row_number, code, column in FAULTS:
        matching = [line for line in lines if code in line]
        assert len(matching) == 1, (code, completed.stdout)
        assert f"Baris {row_number}, kolom '{column}': " in matching[0]
        assert matching[0].count("Baris") == 1 and matching[0].count(f"'{column}'") == 1  # said once, not again
    assert lines[0] == "Berkas tidak dapat dimuat: 4 kesalahan (4 baris)."  # the report starts with its verdict


def test_validate_json_lists_every_fault_with_row_and_column(faulty_file):
    completed = run_cli("validate", faulty_file, "--json")
    assert completed.returncode == 1
    report = json.loads(completed.stdout)
    assert report["loadable"] is False
    assert report["errors"] == len(FAULTS)
    assert [(p["row"], p["code"], p["column"]) for p in report["problems"]] == FAULTS
    assert all(p["severity"] == "error" and p["message"] and p["fix"] for p in report["problems"])


@pytest.fixture
def month_wrong_on_every_row(tmp_path) -> Path:
    """October with a month no one can read on every row, and empty PMI cells on rows 2–5, 8 and 10–11."""
    rows = month_rows("Okt-2024x")
    for index in (0, 1, 2, 3, 6, 8, 9):
        rows[index][COL["Peserta PMI"]] = ""
    path = tmp_path / "oktober.csv"
    path.write_bytes(csv_bytes(rows))
    return path


@pytest.mark.parametrize(("lang", "expected"), [
    ("id", ["Berkas tidak dapat dimuat: 2 kesalahan (10 baris).",
            "[Kesalahan] Baris 2–11, kolom 'Periode': Bukan bulan yang dikenali: 'Okt-2024x'. (period.invalid)",
            "    → Tulis bulan seperti 2024-10, 10/2024 atau Okt 2024.",
            "[Kesalahan] Baris 2–5, 8, 10–11, kolom 'Peserta PMI': Sel kosong. (value.missing)"]),
    ("en", ["The file cannot be loaded: 2 errors (10 rows).",
            "[Error] Rows 2–11, column 'Periode': Not a recognised month: 'Okt-2024x'. (period.invalid)",
            "    → Write the month like 2024-10, 10/2024 or Okt 2024.",
            "[Error] Rows 2–5, 8, 10–11, column 'Peserta PMI': Empty cell. (value.missing)"]),
])
def test_validate_says_the_same_fault_on_many_rows_in_one_line(month_wrong_on_every_row, lang, expected):
    completed = run_cli("validate", month_wrong_on_every_row, "--lang", lang)
    assert completed.returncode == 1
    assert completed.stdout.splitlines()[:4] == expected
    assert len(completed.stdout.splitlines()) == 5  # verdict, then two lines of problem and fix


def test_validate_json_gives_the_verdict_the_grouped_lines_and_every_problem(month_wrong_on_every_row):
    report = json.loads(run_cli("validate", month_wrong_on_every_row, "--json", "--lang", "en").stdout)
    assert report["verdict"] == "The file cannot be loaded: 2 errors (10 rows)."
    assert [(line["code"], line["rows"], line["rows_text"]) for line in report["lines"]] == [
        ("period.invalid", list(range(2, 12)), "2–11"), ("value.missing", [2, 3, 4, 5, 8, 10, 11], "2–5, 8, 10–11")]
    assert report["errors"] == len(report["problems"]) == 17  # one problem per cell, for machines


def test_validate_piped_into_a_reader_that_stops_ends_quietly(tmp_path):
    # Many different faults, so that the report is larger than the pipe's buffer and the writer meets the closed end.
    rows = [row(period=periods.shift("2000-01", index), potential=1000 + index, pu=2000 + index)
            for index in range(2000)]
    path = tmp_path / "besar.csv"
    path.write_bytes(csv_bytes(rows))
    process = subprocess.Popen([sys.executable, "-m", "monev", "validate", str(path)], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    first_line = process.stdout.readline()  # `| head -1`: one line read, then the reader is gone
    process.stdout.close()
    stderr = process.stderr.read()
    assert process.wait(timeout=60) == 141  # as a shell reports a command ended by SIGPIPE (128 + 13)
    assert first_line.decode("utf-8") == "Berkas tidak dapat dimuat: 2.000 kesalahan (2.000 baris).\n"
    assert stderr == b""


def test_validate_the_filled_in_template_exits_0(tmp_path):
    frame = pd.read_csv(io.BytesIO(exports.template_csv("2024-11")), sep=";", dtype=str, encoding="utf-8-sig",
                        keep_default_na=False)
    for header, value in {"Pekerja Potensial": 30000, "Peserta PU": 6000, "Peserta BPU": 3000,
                          "Peserta Jakon": 1000, "Peserta PMI": 0}.items():
        frame[header] = value
    path = tmp_path / "templat_terisi.csv"
    path.write_bytes(frame.to_csv(sep=";", index=False).encode("utf-8-sig"))
    completed = run_cli("validate", path)
    assert completed.returncode == 0, completed.stdout
    assert completed.stdout == f"Berkas bersih: {len(load_registry())} wilayah × 1 bulan (November 2024).\n"


@pytest.mark.parametrize("command", [["validate"], ["summary"]])
def test_missing_file_exits_1_with_a_sentence(tmp_path, command):
    missing = tmp_path / "tidak_ada.csv"
    completed = run_cli(*command, missing)
    assert completed.returncode == 1
    assert "tidak ditemukan" in completed.stderr
    assert str(missing) in completed.stderr


def test_lang_en_prints_english(faulty_file):
    completed = run_cli("validate", faulty_file, "--lang", "en")
    assert completed.returncode == 1
    assert "Row 3, column 'Peserta PU': Not a number: 'seribu'." in completed.stdout
    assert "[Error]" in completed.stdout
    assert completed.stdout.splitlines()[0] == "The file cannot be loaded: 4 errors (4 rows)."
    assert "Baris" not in completed.stdout and "Kesalahan" not in completed.stdout


def test_summary_text_in_english():
    completed = run_cli("summary", "--demo", "--lang", "en")
    assert completed.returncode == 0
    assert "October 2024" in completed.stdout
    assert "261,814" in completed.stdout
    assert "Bengkulu Province" in completed.stdout


def test_summary_text_in_indonesian_by_default():
    completed = run_cli("summary", "--demo")
    assert completed.returncode == 0
    assert "Oktober 2024" in completed.stdout
    assert "261.814" in completed.stdout
    assert "37,0%" in completed.stdout


def test_summary_of_a_period_not_in_the_data_lists_the_available_periods():
    completed = run_cli("summary", "--demo", "--period", "2023-01")
    assert completed.returncode == 1
    assert "2023-01" in completed.stderr
    for month in range(1, 11):
        assert f"2024-{month:02d}" in completed.stderr


def test_summary_of_an_invalid_file_exits_1_with_its_problems(faulty_file):
    completed = run_cli("summary", faulty_file)
    assert completed.returncode == 1
    assert all(code in completed.stdout for _, code, _ in FAULTS)
    assert completed.stderr.strip() == "Berkas tidak dapat dimuat: 4 kesalahan (4 baris)."


@pytest.mark.parametrize("args", [["summary"], ["summary", "--demo", "--lang", "fr"]])
def test_wrong_usage_exits_2_without_a_traceback(args):
    completed = run_cli(*args)
    assert completed.returncode == 2
    assert "usage" in completed.stderr
