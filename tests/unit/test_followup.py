"""Monev follow-up: status at a date, open / overdue / done since the previous meeting, and the file round trip."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import pytest

from monev import followup as fu
from monev.followup import FollowUp, Meeting, Recommendation, StatusChange
from monev.problem_report import group_problems

ROOT = Path(__file__).resolve().parents[2]
BUILD_SCRIPT = ROOT / "scripts" / "build_followup_demo.py"
HEADER = ",".join(header for _, header in fu.COLUMNS)

FIRST = Meeting("M1", dt.date(2024, 11, 20), "Hotel Mercure Bengkulu", "BPJSTK, Pemprov")
SECOND = Meeting("M2", dt.date(2025, 3, 1), "Kantor Gubernur", "")
DONE_EARLY = Recommendation("A", "M1", "PKS", ("17.07",), "Disnaker Lebong", dt.date(2024, 12, 31), "selesai", "",
                            "", (StatusChange("proses", dt.date(2024, 11, 25), "sekretariat"),
                                 StatusChange("selesai", dt.date(2024, 12, 20), "sekretariat", "ditandatangani")))
LATE = Recommendation("B", "M1", "Perbup", ("17.05", "17.09"), "Bagian Hukum", dt.date(2025, 1, 31), "proses",
                      history=(StatusChange("proses", dt.date(2025, 1, 10)),))
DONE_AFTER_SECOND = Recommendation("C", "M1", "Daftarkan KPPS", ("17.01",), "KPU", dt.date(2025, 4, 30), "selesai",
                                   history=(StatusChange("selesai", dt.date(2025, 3, 10)),))
CANCELLED = Recommendation("D", "M1", "Bawaslu", ("17",), "Bawaslu", dt.date(2024, 12, 15), "batal",
                           history=(StatusChange("batal", dt.date(2024, 12, 10)),))
NEW = Recommendation("E", "M2", "Berbagi biaya", ("17",), "Disnakertrans", dt.date(2025, 6, 30))
EXAMPLE = FollowUp((FIRST, SECOND), (DONE_EARLY, LATE, DONE_AFTER_SECOND, CANCELLED, NEW))


def _load(text: str) -> fu.FollowupLoad:
    return fu.load_followup("tl.csv", text.encode())


def test_status_at_a_date_follows_the_history():
    assert DONE_EARLY.status_at(dt.date(2024, 11, 24)) == "belum"
    assert DONE_EARLY.status_at(dt.date(2024, 11, 25)) == "proses"
    assert DONE_EARLY.status_at(dt.date(2025, 1, 1)) == "selesai"
    assert NEW.status_at(dt.date(2025, 3, 1)) == "belum"  # no history: its recorded status


def test_overdue_means_open_with_the_due_date_passed():
    on = dt.date(2025, 2, 1)
    assert fu.overdue_at(EXAMPLE.recommendations, on) == (LATE,)
    assert fu.overdue_at(EXAMPLE.recommendations, dt.date(2025, 1, 31)) == ()  # due today is not late yet
    assert fu.open_at(EXAMPLE.recommendations, on) == (LATE, DONE_AFTER_SECOND, NEW)


def test_done_since_counts_only_what_became_done_after_the_meeting():
    assert fu.done_since(EXAMPLE.recommendations, FIRST.date, dt.date(2025, 3, 15)) == (DONE_EARLY,
                                                                                        DONE_AFTER_SECOND)
    assert fu.done_since(EXAMPLE.recommendations, SECOND.date, dt.date(2025, 3, 15)) == (DONE_AFTER_SECOND,)
    assert fu.done_since(EXAMPLE.recommendations, SECOND.date, dt.date(2025, 3, 5)) == ()


def test_the_next_meeting_starts_from_overdue_then_open_then_done_since_the_previous_meeting():
    start = fu.meeting_start(EXAMPLE, dt.date(2025, 3, 15))
    assert start.previous == SECOND
    assert [(item.recommendation.id, item.status, item.overdue, item.done_since_previous)
            for item in start.items] == [("B", "proses", True, False), ("E", "belum", False, False),
                                         ("C", "selesai", False, True), ("D", "batal", False, False),
                                         ("A", "selesai", False, False)]  # within a group: earliest due first
    assert [item.recommendation.id for item in start.open_items] == ["B", "E"]


def test_a_meeting_sees_only_recommendations_agreed_by_its_date():
    start = fu.meeting_start(EXAMPLE, dt.date(2025, 2, 1))
    assert start.previous == FIRST
    assert "E" not in {item.recommendation.id for item in start.items}


@pytest.mark.parametrize("export", [fu.followup_csv, fu.followup_xlsx])
def test_import_of_an_export_gives_back_the_same_follow_up(export):
    name = "tl.csv" if export is fu.followup_csv else "tl.xlsx"
    loaded = fu.load_followup(name, export(EXAMPLE))
    assert loaded.problems == ()
    assert loaded.followup == EXAMPLE


def test_a_meeting_without_recommendations_survives_the_round_trip():
    lonely = FollowUp((FIRST,))
    assert fu.load_followup("tl.csv", fu.followup_csv(lonely)).followup == lonely


def test_regions_are_read_by_code_or_name_and_the_province_by_17():
    loaded = _load(f"{HEADER}\nM1,20/11/2024,,,A,PKS,\"Muko Muko; BS, 17\",,2025-01-31,BELUM,,,,,,\n")
    assert loaded.problems == ()
    (recommendation,) = loaded.followup.recommendations
    assert recommendation.regions == ("17.06", "17.01", "17")
    assert recommendation.status == "belum"
    assert loaded.followup.meetings[0].date == dt.date(2024, 11, 20)


def test_each_bad_cell_is_named_by_row_and_column_in_both_languages():
    loaded = _load(f"{HEADER}\n"
                   "M1,2024-11-20,,,A,PKS,Atlantis,,2025-01-31,belum,,,,,,\n"
                   "M1,2024-11-20,,,B,Perbup,17.05,,31-02-2025,selesai,,,,,,\n"
                   "M1,2024-11-20,,,C,KPPS,17.01,,2025-01-31,siap,,,,,,\n")
    assert loaded.followup is None
    assert [(p.code, p.row, p.column) for p in loaded.errors] == [
        ("unknown_region", 2, "Wilayah"), ("bad_date", 3, "Tenggat"), ("unknown_status", 4, "Status")]
    assert group_problems(loaded.errors, "id")[0].text("id") == ("Baris 2, kolom 'Wilayah': Wilayah 'Atlantis' "
                                                                 "tidak dikenal.")
    assert group_problems(loaded.errors, "en")[2].text("en") == ("Row 4, column 'Status': Status 'siap' is "
                                                                 "unknown; known: belum / proses / selesai / batal.")


def test_a_due_date_before_the_meeting_is_a_warning_only():
    loaded = _load(f"{HEADER}\nM1,2024-11-20,,,A,PKS,17.07,,2024-11-01,belum,,,,,,\n")
    assert [(p.code, p.severity) for p in loaded.problems] == [("due_before_meeting", "warning")]
    assert loaded.followup is not None
    assert loaded.warnings[0].message("en") == "Due date 2024-11-01 is before the meeting date 2024-11-20."


def test_rows_of_one_recommendation_must_agree_and_its_status_must_match_the_last_change():
    loaded = _load(f"{HEADER}\n"
                   "M1,2024-11-20,,,A,PKS,17.07,,2025-01-31,proses,,,proses,2024-12-01,,\n"
                   "M1,2024-11-20,,,A,PKS lain,17.07,,2025-01-31,proses,,,selesai,2024-12-05,,\n")
    assert [(p.code, p.row) for p in loaded.errors] == [("conflict", 3), ("status_mismatch", 2)]


def test_a_file_without_the_required_columns_says_which():
    loaded = _load("ID rapat,Tanggal rapat\nM1,2024-11-20\n")
    assert loaded.errors[0].message("en") == ("Required columns are missing: ID rekomendasi, Rekomendasi, Wilayah, "
                                              "Status.")


def test_an_empty_file_is_refused_with_the_readers_own_message():
    loaded = fu.load_followup("tl.csv", b"")
    assert loaded.followup is None
    assert loaded.errors[0].code == "file.empty"
    assert loaded.errors[0].message("id")


def _build_script():
    spec = importlib.util.spec_from_file_location("build_followup_demo_under_test", BUILD_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_demo_is_what_the_script_writes_and_loads_back():
    script = _build_script()
    assert fu.DEMO_FOLLOWUP_PATH.read_bytes() == fu.followup_csv(script.demo_followup())
    assert fu.load_demo_followup() == script.demo_followup()


def test_the_demo_shows_open_overdue_done_and_says_it_is_illustrative():
    script = _build_script()
    demo = fu.load_demo_followup()
    (meeting,) = demo.meetings
    assert (meeting.date, meeting.place) == (dt.date(2024, 11, 20), "Hotel Mercure Bengkulu")
    start = fu.meeting_start(demo, script.DEMO_AT)
    assert start.overdue_items and start.done_items and len(start.open_items) > len(start.overdue_items)
    assert all("ilustrasi" in recommendation.notes for recommendation in demo.recommendations)
