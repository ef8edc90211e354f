"""The sentences several views share (monev.sentences), in both languages, from hand-made inputs."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from monev import i18n
from monev.indicators import ProvinceSummary
from monev.sentences import (
    data_line,
    extremes,
    highest_and_lowest,
    kpi_line,
    regions_below_national,
    source_lines,
)
from monev.store import DatasetVersion

# Three regions as region_indicators gives them: best coverage first.
INDICATORS = pd.DataFrame({"region_code": ["17.04", "17.01", "17.07"], "region_name": ["Kaur", "Mukomuko", "Lebong"],
                           "rate": [0.75, 0.4, 0.17]})
SUMMARY = ProvinceSummary(period="2024-10", participants=261_814, potential_workers=708_000, rate=0.37,
                          national_rate=0.39, segments={}, region_count=3, regions_at_or_above_national=2,
                          change_prev_month=0.0, participants_change_prev_month=0.0, change_since_year_start=0.0,
                          target_rate=0.39)
VERSION = DatasetVersion(id=4, created_at=dt.datetime(2024, 11, 2, 9, 5), created_by="Admin", file_name="okt.csv",
                         checksum="x", row_count=3, period_first="2024-10", period_last="2024-10", period_count=1,
                         is_demo=False, note="")


def test_highest_and_lowest_are_the_first_and_last_of_the_ranking():
    highest, lowest = highest_and_lowest(INDICATORS)
    assert (highest["region_code"], lowest["region_code"]) == ("17.04", "17.07")
    assert extremes(INDICATORS, "id") == {"highest": "Kaur", "highest_rate": "75,0%", "lowest": "Lebong",
                                          "lowest_rate": "17,0%"}
    assert regions_below_national(SUMMARY) == 1


@pytest.mark.parametrize(("lang", "expected"), [
    ("id", "Tertinggi: Kaur 75,0% · terendah: Lebong 17,0% · 1 dari 3 wilayah di bawah rata-rata nasional."),
    ("en", "Highest: Kaur 75.0% · lowest: Lebong 17.0% · 1 of 3 regions below the national average."),
])
def test_kpi_line_names_the_extremes_and_counts_the_regions_below_national(lang, expected):
    assert kpi_line(SUMMARY, INDICATORS, lang) == expected


def test_data_line_names_source_version_and_month_and_a_dash_without_a_version():
    assert data_line("id", source_name="okt.csv", version_id=4, period="2024-10") == \
        "Data: okt.csv, versi 4, periode Oktober 2024."
    assert data_line("en", source_name="okt.csv", version_id=None, period="2024-10") == \
        "Data: okt.csv, version –, period October 2024."


def test_source_lines_are_the_five_sources_then_the_version_then_the_demo_warning():
    sources = [i18n.t(f"present.source_{index}", "id") for index in range(1, 6)]
    assert source_lines("id", is_demo=False) == sources
    assert source_lines("id", is_demo=True) == [*sources, i18n.t("present.source_demo", "id")]
    assert source_lines("id", is_demo=True, version=VERSION) == [
        *sources, "Data: versi 4 (okt.csv), diunggah oleh Admin pada 02-11-2024 09:05 UTC.",
        i18n.t("present.source_demo", "id")]
    assert source_lines("en", is_demo=False, version=VERSION)[-1] == \
        "Data: version 4 (okt.csv), uploaded by Admin on 02-11-2024 09:05 UTC."
