"""One table per view (monev.tables): what the app shows is the downloaded table, written for the screen."""

from __future__ import annotations

import math

import pandas as pd

from monev import fmt, tables
from monev.sentences import basis_line, data_basis
from monev.simulation import CostParameters
from monev.simulator_inputs import empty_inputs, simulate_inputs, with_column

NATIONAL = 0.39


def test_numbers_are_written_as_their_excel_format_shows_them_and_whole_numbers_stay_numbers():
    table = tables.ExportTable("x", "Uji", pd.DataFrame({
        "Rank": [1, 2], "Rate": [0.3698, math.nan], "Count": [1101234, 5], "Gap": [-2.0, 0.0],
        "Cost": [1_200_000_000, 16_800], "Name": ["Kaur", None]}),
        {"Rank": tables.FORMAT_INTEGER, "Rate": tables.FORMAT_RATE, "Count": tables.FORMAT_COUNT,
         "Gap": tables.FORMAT_POINTS, "Cost": tables.FORMAT_RUPIAH})
    shown = tables.shown(table, "id")
    assert shown["Rank"].tolist() == [1, 2]
    assert shown["Rate"].tolist() == ["37,0%", fmt.MISSING]
    assert shown["Count"].tolist() == ["1.101.234", "5"]
    assert shown["Gap"].tolist() == ["-2,0 pp", "0,0 pp"]
    assert shown["Cost"].tolist() == [fmt.rupiah(1_200_000_000, "id"), "Rp16.800"]
    assert shown["Name"].tolist() == ["Kaur", fmt.MISSING]
    assert table.frame["Rate"].isna().iloc[1]  # the downloaded table is untouched


def test_the_ranking_shown_is_the_ranking_downloaded(indicators):
    table = tables.ranking_table(indicators, lang="en")
    shown = tables.shown(table, "en")
    assert list(shown.columns) == list(table.frame.columns)
    assert shown["Coverage"].tolist() == [fmt.percent(rate, "en") for rate in indicators["rate"]]


def test_simulation_results_are_ordered_by_projected_coverage_in_both_forms(indicators):
    inputs = with_column(empty_inputs(indicators["region_code"].tolist()), "target_pct", {"17.07": 80.0})
    result, _ = simulate_inputs(indicators, mode="target", inputs=inputs, parameters=CostParameters(),
                                national_rate=NATIONAL)
    table = tables.simulation_table(result, lang="id")
    after = table.frame["Sesudah"].tolist()
    assert after == sorted(after, reverse=True) and table.frame["Wilayah"].iloc[0] == "Lebong"
    assert tables.shown(table, "id")["Wilayah"].tolist() == table.frame["Wilayah"].tolist()


def test_a_comparison_names_the_data_each_scenarios_figures_are_computed_on_and_its_region_count(indicators):
    inputs = with_column(empty_inputs(indicators["region_code"].tolist()), "target_pct", {"17.07": 30.0})
    result, _ = simulate_inputs(indicators, mode="target", inputs=inputs, parameters=CostParameters(),
                                national_rate=NATIONAL)
    bases = [basis_line((1, "2024-10"), (3, "2024-10"), "id"), basis_line((3, "2024-10"), (3, "2024-10"), "id")]
    table = tables.comparison_table([("A", result), ("B", result)], bases=bases, lang="id")
    assert table.frame["Dasar data"].tolist() == [
        "dibuat pada versi 1 (Oktober 2024), dihitung ulang pada versi 3 (Oktober 2024)", "versi 3, Oktober 2024"]
    assert table.frame["Jumlah wilayah dalam data"].tolist() == [10, 10]
    unknown = tables.comparison_table([("A", result)], lang="id")
    assert tables.shown(unknown, "id")["Dasar data"].tolist() == [fmt.MISSING]
    assert data_basis(2, "2024-01", "en") == "version 2, January 2024"
