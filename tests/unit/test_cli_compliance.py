"""The ``compliance`` and ``score`` commands, run as users run them: ``python -m monev ...`` in a subprocess.

The scoring case is the one of test_scorecard.py, written as a checklist file; with a yardstick of 1 % every region
of the demo coverage scores 100 on coverage, so the totals are: 17.01 (100+100+25+0+0) / 5 = 45,
17.02 (35+100+50+100+100) / 5 = 77, the other eight 100 / 5 = 20.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.unit.cli_runner import run_cli

HEADER = "Kode wilayah;Kode butir;Status;Jenis regulasi;Pagu (Rp);Realisasi (Rp)"
CASE_ROWS = ("17.01;regulasi;ada;Perda;;", "17.01;rkpd;belum;;;", "17.01;apbd;ada;;200000000;100000000",
             "17.02;regulasi;sebagian;Perkada;;", "17.02;rkpd;ada;;;", "17.02;inovasi;ada;;;", "17.02;sanksi;ada;;;")


@pytest.fixture
def case_file(tmp_path: Path) -> Path:
    path = tmp_path / "kepatuhan.csv"
    path.write_text("\n".join((HEADER, *CASE_ROWS)), encoding="utf-8")
    return path


def run_json(*args: object) -> dict:
    completed = run_cli(*args, "--json")
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


# --- compliance ---------------------------------------------------------------------------------------------------


def test_compliance_demo_json_has_the_matrix_items_and_entries_with_sources():
    output = run_json("compliance", "--demo", "--on", "2026-01-01")
    assert list(output["matrix"]) == ["17.01", "17.02", "17.03", "17.04", "17.05", "17.06", "17.07", "17.08", "17.09",
                                      "17.71", "17"]
    assert [item["code"] for item in output["items"]] == ["regulasi", "rkpd", "apbd", "mou_pks", "nphd_adhoc",
                                                          "sanksi", "inovasi"]
    assert output["matrix"]["17"]["regulasi"] == "ada"
    assert output["matrix"]["17.01"]["nphd_adhoc"] == "sebagian"
    circular = next(e for e in output["entries"] if (e["region_code"], e["item_code"]) == ("17", "regulasi"))
    assert circular["regulation_kind"] == "surat_edaran" and not circular["illustrative"]
    assert "bengkulunews.co.id" in circular["source"]
    expired = [(e["region_code"], e["item_code"]) for e in output["entries"] if e["expired"]]
    assert expired == [("17.09", "mou_pks")]
    assert output["problems"] == []


def test_compliance_text_shows_the_matrix_legend_and_illustrative_count_in_the_language():
    completed = run_cli("compliance", "--demo", "--lang", "en", "--on", "2026-01-01")
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    assert lines[0].split() == ["Region", "regulasi", "rkpd", "apbd", "mou_pks", "nphd_adhoc", "sanksi", "inovasi"]
    assert lines[11].startswith("Bengkulu Province")
    assert "✓ In place · ½ Partly · ✗ Not yet · ? Unknown" in lines
    assert any("of them illustrative" in line for line in lines)
    assert "  Bengkulu Tengah: mou_pks PKS/17.09/2023, valid until 2025-02-28." in lines


def test_compliance_of_a_faulty_file_lists_each_problem_and_exits_1(tmp_path: Path):
    path = tmp_path / "salah.csv"
    path.write_text(f"{HEADER}\n17.01;mou_pks;sebagian;;;\nBengkulu Barat;rkpd;ada;;;\n", encoding="utf-8")
    completed = run_cli("compliance", path, "--lang", "en")
    assert completed.returncode == 1
    assert completed.stdout == ""
    assert "Row 2, column 'Status': Item 'mou_pks' cannot be 'sebagian' (partly)." in completed.stderr
    assert "Row 3, column 'Kode wilayah'" in completed.stderr
    assert "salah.csv cannot be loaded as a compliance checklist." in completed.stderr


def test_compliance_refuses_a_date_it_cannot_read():
    completed = run_cli("compliance", "--demo", "--on", "kemarin", "--lang", "en")
    assert completed.returncode == 1
    assert "'kemarin' is not a date" in completed.stderr


# --- score --------------------------------------------------------------------------------------------------------


def ranking(output: dict) -> list[tuple[str, int]]:
    return [(region["code"], region["rank"]) for region in output["regions"]]


def test_score_of_a_file_matches_the_hand_calculation(case_file: Path):
    output = run_json("score", case_file, "--coverage", "data/demo/cakupan_bengkulu_2024.csv", "--yardstick", "0.01")
    totals = {region["code"]: region["total"] for region in output["regions"]}
    assert totals["17.01"] == pytest.approx(45)
    assert totals["17.02"] == pytest.approx(77)
    assert all(totals[code] == pytest.approx(20) for code in totals if code not in ("17.01", "17.02"))
    assert ranking(output)[:2] == [("17.02", 1), ("17.01", 2)]
    assert {rank for _, rank in ranking(output)[2:]} == {3}
    first = output["regions"][0]
    assert first["best_step"]["code"] == "perda"
    assert first["best_step"]["gain"] == pytest.approx(13)
    assert output["weights"] == dict.fromkeys(("regulation", "coverage", "budget", "innovation",
                                               "employer_compliance"), 1.0)


def test_score_weights_re_rank_the_regions(case_file: Path):
    # Regulation 10: 17.01 = (1000+100+25)/14 = 80.36 first, 17.02 = (350+100+50+100+100)/14 = 50.
    output = run_json("score", case_file, "--coverage", "data/demo/cakupan_bengkulu_2024.csv", "--yardstick", "0.01",
                      "--weights", "regulation=10")
    assert ranking(output)[:2] == [("17.01", 1), ("17.02", 2)]
    assert output["regions"][0]["total"] == pytest.approx(1125 / 14)


def test_score_demo_text_says_self_assessment_and_gives_each_regions_next_step():
    completed = run_cli("score", "--demo", "--lang", "en")
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    assert lines[0] == "A self-assessment in the spirit of the Paritrana Award, not the award's result."
    assert "does not publish its weights" in lines[1]
    assert lines[2] == "Weights: Regulation 1.0, Coverage 1.0, Budget 1.0, Innovation 1.0, Employer compliance 1.0."
    assert lines[3] == "Coverage (cakupan_bengkulu_2024.csv, October 2024) is scored against a yardstick of 39.0%."
    assert sum(line.startswith("    The step that raises the score most: ") for line in lines) == 10


def test_score_in_indonesian_uses_decimal_commas():
    completed = run_cli("score", "--demo", "--weights", "regulation=2")
    assert completed.returncode == 0, completed.stderr
    assert "Bobot: Regulasi 2,0, Cakupan 1,0," in completed.stdout
    assert "Penilaian mandiri" in completed.stdout


@pytest.mark.parametrize(("args", "message"), [
    (("--weights", "regulasi=2"), "Unknown dimension: regulasi."),
    (("--weights", "regulation=-1"), "A weight cannot be negative."),
    (("--innovation", "17.01=150"), "An innovation score must be between 0 and 100."),
    (("--period", "2030-01"), "2030-01"),
])
def test_score_refuses_bad_input_with_a_sentence(args, message):
    completed = run_cli("score", "--demo", "--lang", "en", *args)
    assert completed.returncode == 1
    assert message in completed.stderr


def test_score_of_a_file_needs_its_coverage_data(case_file: Path):
    completed = run_cli("score", case_file, "--lang", "en")
    assert completed.returncode == 1
    assert "--coverage FILE" in completed.stderr
    missing = run_cli("score", case_file, "--coverage", "nowhere.csv", "--lang", "en")
    assert missing.returncode == 1
    assert "nowhere.csv" in missing.stderr
