"""The sentences several views share (monev.sentences), in both languages, from hand-made inputs."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import pytest

from monev import fmt, i18n
from monev.dataset import load_demo
from monev.indicators import ProvinceSummary
from monev.sentences import (
    DataOrigin,
    basis_line,
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
DEMO = load_demo()


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


def _sources(lang: str, *numbers: int) -> list[str]:
    return [i18n.t(f"present.source_{number}", lang) for number in numbers]


def test_the_demo_lists_the_five_sources_then_its_version_then_the_demo_warning():
    demo = DataOrigin("cakupan_bengkulu_2024.csv", is_demo=True)
    assert source_lines("id", demo) == [*_sources("id", 1, 2, 3, 4, 5), i18n.t("present.source_demo", "id")]
    seeded = DataOrigin.of(DEMO, dataclasses.replace(VERSION, id=1, file_name="cakupan_bengkulu_2024.csv",
                                                     created_by="sistem", is_demo=True))
    assert source_lines("en", seeded) == [
        *_sources("en", 1, 2, 3, 4, 5),
        "Data: version 1 (cakupan_bengkulu_2024.csv), uploaded by sistem on 2 November 2024.",
        i18n.t("present.source_demo", "en")]


@pytest.mark.parametrize(("lang", "origin_line", "note_line"), [
    ("id", "Data: versi 4 (okt.csv), diunggah oleh Admin pada 2 November 2024.",
     "Sumber angka (catatan versi data): Rekap BPJS Ketenagakerjaan Cabang Bengkulu, 31-10-2024"),
    ("en", "Data: version 4 (okt.csv), uploaded by Admin on 2 November 2024.",
     "Source of the figures (the data version's note): Rekap BPJS Ketenagakerjaan Cabang Bengkulu, 31-10-2024"),
])
def test_an_upload_lists_the_definitions_then_its_file_uploader_day_version_and_note(lang, origin_line, note_line):
    version = dataclasses.replace(VERSION, note="  Rekap BPJS Ketenagakerjaan Cabang Bengkulu, 31-10-2024 ")
    assert source_lines(lang, DataOrigin.of(DEMO, version)) == [*_sources(lang, 1, 4, 5), origin_line, note_line]


@pytest.mark.parametrize(("lang", "missing"), [
    ("id", "Sumber angka: tidak dicatat saat data diunggah."),
    ("en", "Source of the figures: not noted when the data was uploaded."),
])
def test_an_upload_without_a_note_says_its_source_was_not_noted_and_names_no_press_source(lang, missing):
    lines = source_lines(lang, DataOrigin.of(DEMO, VERSION))
    assert lines[-1] == missing
    assert not set(_sources(lang, 2, 3)) & set(lines) and i18n.t("present.source_demo", lang) not in lines


def test_a_file_outside_the_store_is_named_with_its_version_and_no_uploader():
    origin = DataOrigin("okt.csv", is_demo=False, version_id="3fa9c2b1")
    assert source_lines("id", origin)[3:] == ["Data: berkas okt.csv, versi 3fa9c2b1.",
                                              "Sumber angka: tidak dicatat saat data diunggah."]


def test_without_a_stored_version_the_origin_is_the_datas_own_file():
    assert DataOrigin.of(DEMO, None) == DataOrigin(DEMO.source_name, is_demo=True)


def test_a_scenarios_basis_is_one_version_and_month_when_shown_on_the_data_it_was_built_on():
    assert basis_line((3, "2024-11"), (3, "2024-11"), "id") == "versi 3, November 2024"
    assert basis_line((3, "2024-11"), (3, "2024-11"), "en") == "version 3, November 2024"


def test_a_scenarios_basis_says_where_it_was_built_and_where_it_is_recalculated():
    assert basis_line((2, "2024-10"), (3, "2024-11"), "id") == (
        "dibuat pada versi 2 (Oktober 2024), dihitung ulang pada versi 3 (November 2024)")
    assert basis_line((2, "2024-10"), (3, "2024-11"), "en") == (
        "built on version 2 (October 2024), recalculated on version 3 (November 2024)")
    # Same version, another month: still recalculated (the baseline changed).
    assert basis_line((3, "2024-10"), (3, "2024-11"), "id").startswith("dibuat pada versi 3 (Oktober 2024)")
    assert basis_line((2, "2024-10"), (None, "2024-10"), "id").endswith(f"dihitung ulang pada versi {fmt.MISSING} "
                                                                          "(Oktober 2024)")
