"""Month-by-month updates (monev.month_update): an upload's months laid over the data in use."""

from __future__ import annotations

import pandas as pd
import pytest

from monev.dataset import CoverageData, load_dataset, load_demo
from monev.exports import data_csv
from monev.month_update import compare, describe_months, merge_months
from tests.unit.cli_runner import run_cli

LEBONG = "17.07"


def _months(data: CoverageData, periods: list[str], **extra_bpu: int) -> CoverageData:
    """Some months of ``data`` as an uploaded file, with BPU participants added per region code."""
    frame = data.frame[data.frame["period"].isin(periods)].copy()
    for code, added in extra_bpu.items():
        frame.loc[frame["region_code"] == code, ["bpu", "participants"]] += added  # the total follows its segments
    result = load_dataset("oktober.csv", data_csv(CoverageData(frame.reset_index(drop=True), "oktober.csv", "")))
    assert result.data is not None, result.problems
    return result.data


def test_one_month_replaces_the_same_month_and_every_other_month_stays():
    demo = load_demo()
    october = _months(demo, ["2024-10"], **{LEBONG: 1_000})  # the office's revised October figure for Lebong
    update = merge_months(demo, october)
    merged = update.result.data
    assert merged is not None
    assert merged.periods == demo.periods
    assert (update.replaced, update.added) == (("2024-10",), ())
    assert update.kept == tuple(p for p in demo.periods if p != "2024-10")
    pd.testing.assert_frame_equal(merged.frame[merged.frame["period"] != "2024-10"].reset_index(drop=True),
                                  demo.frame[demo.frame["period"] != "2024-10"].reset_index(drop=True))
    new_lebong = merged.frame[(merged.frame["period"] == "2024-10") & (merged.frame["region_code"] == LEBONG)]
    old_lebong = demo.frame[(demo.frame["period"] == "2024-10") & (demo.frame["region_code"] == LEBONG)]
    assert int(new_lebong["bpu"].iloc[0]) == int(old_lebong["bpu"].iloc[0]) + 1_000
    assert update.diff is not None and update.diff.changed_values == 1
    assert update.diff.periods_removed == () and update.diff.periods_added == ()
    assert update.file_name == "oktober.csv"
    assert load_dataset(update.file_name, update.content).data.checksum == merged.checksum  # what the store re-reads


def test_a_new_month_is_added_after_the_others():
    demo = load_demo()
    november = demo.frame[demo.frame["period"] == "2024-10"].assign(period="2024-11")
    incoming = load_dataset("nov.csv", data_csv(CoverageData(november.reset_index(drop=True), "nov.csv", ""))).data
    update = merge_months(demo, incoming)
    assert update.added == ("2024-11",) and update.replaced == ()
    assert update.result.data.latest_period == "2024-11"
    assert update.diff.periods_added == ("2024-11",)
    assert len(update.result.data.frame) == len(demo.frame) + len(november)


def test_compare_counts_changed_values_and_months_gone():
    demo = load_demo()
    october = _months(demo, ["2024-10"])
    diff = compare(demo, october)
    assert diff.changed_values == 0
    assert diff.periods_removed == tuple(p for p in demo.periods if p != "2024-10")


@pytest.mark.parametrize(("periods", "lang", "text"), [
    ((), "id", "tidak ada bulan"),
    (("2024-10",), "id", "Oktober 2024"),
    (("2024-08", "2024-09", "2024-10"), "id", "3 bulan (Agustus 2024 – Oktober 2024)"),
    (("2024-08", "2024-10"), "en", "2 months (August 2024 – October 2024)"),
])
def test_months_are_described_as_a_meeting_says_them(periods, lang, text):
    assert describe_months(periods, lang) == text


def test_the_command_line_merges_a_month_into_a_file(tmp_path):
    demo = load_demo()
    october = _months(demo, ["2024-10"], **{LEBONG: 500})
    (tmp_path / "oktober.csv").write_bytes(data_csv(october))
    out = tmp_path / "gabungan.xlsx"
    completed = run_cli("merge", "data/demo/cakupan_bengkulu_2024.csv", tmp_path / "oktober.csv", "--out", out)
    assert completed.returncode == 0, completed.stderr
    assert "Oktober 2024 diganti" in completed.stdout and "9 bulan (Januari 2024 – September 2024) tetap" in \
        completed.stdout
    merged = load_dataset(out.name, out.read_bytes()).data
    assert merged is not None and merged.periods == demo.periods
    refused = run_cli("merge", "data/demo/cakupan_bengkulu_2024.csv", tmp_path / "oktober.csv", "--out",
                      tmp_path / "x.txt")
    assert refused.returncode == 1 and ".csv atau .xlsx" in refused.stderr
