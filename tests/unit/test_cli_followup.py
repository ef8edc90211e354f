"""`python -m monev followup`, run as users run it (a subprocess, real files)."""

from __future__ import annotations

import json

from monev import followup as fu
from tests.unit.cli_runner import run_cli


def test_the_demo_lists_overdue_first_then_open_then_done_since_the_meeting():
    done = run_cli("followup", "--demo", "--at", "2025-03-15", "--lang", "en")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Demo data (ilustrasi")
    assert lines[1:3] == ["Monev follow-up as of Mar 15, 2025",
                          "Previous meeting: Nov 20, 2024, Hotel Mercure Bengkulu"]
    marks = [line.split("]")[0] + "]" for line in lines if line.startswith("[")]
    assert marks == ["[OVERDUE]", "[OVERDUE]", "[open]", "[open]", "[done since the previous meeting]",
                     "[done since the previous meeting]", "[closed]"]
    assert "[OVERDUE] R2 · Lebong · Dinas Tenaga Kerja Kabupaten Lebong · due Feb 28, 2025 · in progress" in lines
    assert lines[-1] == "4 open (2 of them overdue), 2 done since the previous meeting, 7 recommendations in all."


def test_open_shows_only_the_open_ones_in_indonesian_by_default():
    done = run_cli("followup", "--demo", "--at", "2025-03-15", "--open")
    assert done.returncode == 0, done.stderr
    marks = {line.split("]")[0] + "]" for line in done.stdout.splitlines() if line.startswith("[")}
    assert marks == {"[TERLAMBAT]", "[terbuka]"}


def test_json_gives_each_recommendation_with_its_status_on_the_date(tmp_path):
    path = tmp_path / "tindak_lanjut.xlsx"
    path.write_bytes(fu.followup_xlsx(fu.load_demo_followup()))
    done = run_cli("followup", path, "--at", "2025-01-01", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["previous_meeting"]["date"] == "2024-11-20"
    by_id = {item["id"]: item for item in report["recommendations"]}
    assert (by_id["R1"]["status_at"], by_id["R1"]["done_since_previous"]) == ("selesai", True)
    assert (by_id["R2"]["status_at"], by_id["R2"]["overdue"]) == ("belum", False)
    assert by_id["R3"]["regions"] == ["17.05", "17.09"]
    assert (report["open"], report["overdue"], report["done_since_previous"]) == (4, 0, 2)


def test_a_bad_file_lists_its_problems_and_exits_with_1(tmp_path):
    path = tmp_path / "tl.csv"
    header = ",".join(header for _, header in fu.COLUMNS)
    path.write_text(f"{header}\nM1,2024-11-20,,,A,PKS,Atlantis,,2025-01-31,belum,,,,,,\n", encoding="utf-8")
    done = run_cli("followup", path, "--lang", "en")
    assert done.returncode == 1
    assert "[Error] Row 2, column 'Wilayah': Region 'Atlantis' is unknown. (unknown_region)" in done.stderr
    assert done.stderr.splitlines()[-1] == "The follow-up file tl.csv cannot be loaded."


def test_a_date_that_is_not_a_date_is_said_so():
    done = run_cli("followup", "--demo", "--at", "15/03/2025", "--lang", "en")
    assert done.returncode == 1
    assert done.stderr.strip() == "'15/03/2025' is not a date: write it as YYYY-MM-DD, e.g. 2025-03-15."
