"""The simulator's input table (monev.simulator_inputs): its shape, changes, bulk fills and pace targets."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from monev import simulator_inputs as inputs
from monev.simulation import DEFAULT_SEGMENT, CostParameters

CODES = ["17.01", "17.02", "17.07"]


def test_an_empty_table_has_every_column_a_row_per_region_and_nothing_typed():
    table = inputs.empty_inputs(CODES)
    assert tuple(table.columns) == inputs.INPUT_COLUMNS
    assert table["region_code"].tolist() == CODES
    assert table[["target_pct", "additional", "cap"]].isna().all().all()
    assert (table["segment"] == DEFAULT_SEGMENT).all()


def test_rows_round_trip_through_records():
    table = inputs.with_column(inputs.empty_inputs(CODES), "target_pct", {"17.07": 30.0})
    again = inputs.inputs_from_rows(inputs.input_rows(table))
    pd.testing.assert_frame_equal(again, table)
    assert inputs.input_rows(None) == ()


def test_aligning_keeps_what_was_typed_for_regions_still_there_and_adds_the_new_ones_empty():
    typed = inputs.with_column(inputs.empty_inputs(["17.01", "17.07"]), "target_pct", {"17.07": 30.0})
    aligned = inputs.aligned_inputs(typed, CODES)
    assert aligned["region_code"].tolist() == CODES
    assert aligned.set_index("region_code")["target_pct"].to_dict() == pytest.approx(
        {"17.01": math.nan, "17.02": math.nan, "17.07": 30.0}, nan_ok=True)
    same = inputs.aligned_inputs(aligned, CODES)
    assert same is aligned  # nothing to do: the very table, so its digest need not be computed again
    assert inputs.aligned_inputs(None, CODES)["target_pct"].isna().all()


def test_edits_change_only_input_columns_and_never_the_table_given():
    table = inputs.empty_inputs(CODES)
    edited, refused = inputs.with_edits(table, {"2": {"target_pct": 30, "region": "ignored"}, 0: {"cap": 100}}, "id")
    assert edited.at[2, "target_pct"] == 30 and edited.at[0, "cap"] == 100 and refused == ()
    assert "region" not in edited.columns
    assert table["target_pct"].isna().all()  # a new table; the old one is unchanged
    emptied, _ = inputs.with_edits(edited, {2: {"target_pct": None}}, "id")
    assert math.isnan(emptied.at[2, "target_pct"])


def test_typed_texts_are_read_in_the_language_and_a_wrong_one_keeps_the_cell():
    table = inputs.with_column(inputs.empty_inputs(CODES), "target_pct", {"17.07": 30.0})
    edited, refused = inputs.with_edits(
        table, {0: {"target_pct": "39,5", "cap": "1.500"}, 1: {"additional": "2 ribu"}, 2: {"target_pct": "39.5.1"}},
        "id")
    assert (edited.at[0, "target_pct"], edited.at[0, "cap"], edited.at[1, "additional"]) == (39.5, 1500, 2000)
    assert edited.at[2, "target_pct"] == 30.0  # refused: what it had is kept
    assert [(edit.region_code, edit.column) for edit in refused] == [("17.07", "target_pct")]
    assert refused[0].refusal.message("id") == "«39.5.1» bukan angka; tulis misalnya 39,5."
    english, refused = inputs.with_edits(table, {0: {"target_pct": "39.5"}, 2: {"target_pct": " "}}, "en")
    assert english.at[0, "target_pct"] == 39.5 and math.isnan(english.at[2, "target_pct"]) and refused == ()


def test_a_link_gives_a_table_and_the_mode_of_what_it_carries():
    table, mode = inputs.inputs_from_link(CODES, {"17.07": 30.0}, {})
    assert mode == "target" and table.set_index("region_code").at["17.07", "target_pct"] == 30.0
    table, mode = inputs.inputs_from_link(CODES, {}, {"17.01": 500})
    assert mode == "add" and table.set_index("region_code").at["17.01", "additional"] == 500.0


def test_typed_values_are_fractions_in_target_mode_and_counts_in_add_mode():
    table = inputs.with_column(inputs.empty_inputs(CODES), "target_pct", {"17.07": 30.0})
    assert inputs.typed_values("target", table) == {"17.01": None, "17.02": None, "17.07": pytest.approx(0.30)}
    table = inputs.with_column(table, "additional", {"17.01": 12.0})
    assert inputs.typed_values("add", table) == {"17.01": 12.0, "17.02": None, "17.07": None}
    assert inputs.typed_column("target") == "target_pct" and inputs.typed_column("add") == "additional"


def test_caps_are_whole_numbers_or_none():
    table = inputs.with_column(inputs.empty_inputs(CODES), "cap", {"17.02": 250.0})
    assert inputs.caps(table) == {"17.01": None, "17.02": 250, "17.07": None}


def test_a_column_written_for_some_regions_keeps_what_the_others_had():
    typed = inputs.with_column(inputs.empty_inputs(CODES), "target_pct", {"17.01": 50.0, "17.07": 30.0})
    written = inputs.with_column(typed, "target_pct", {"17.07": 39.0})
    assert written.set_index("region_code")["target_pct"].to_dict() == pytest.approx(
        {"17.01": 50.0, "17.02": math.nan, "17.07": 39.0}, nan_ok=True)
    assert typed.set_index("region_code").at["17.07", "target_pct"] == 30.0  # a new table; the old one is unchanged


def test_all_to_a_level_targets_only_the_regions_below_it_and_says_which_it_left_out():
    rates = {"17.01": 0.20, "17.02": 0.39, "17.07": 0.75}
    fill = inputs.fill_all_targets(rates, 39.0)
    assert (fill.column, fill.mode) == ("target_pct", "target")
    assert fill.values == {"17.01": 39.0}
    assert fill.left_out == inputs.LeftOut(("17.02", "17.07"), 39.0)  # exactly at the level counts as there
    assert inputs.fill_all_targets(rates, 80.0).left_out is None
    assert inputs.fill_all_targets(rates, 80.0).values == dict.fromkeys(rates, 80.0)
    nothing = inputs.fill_all_targets(rates, 10.0)
    assert nothing.values == {} and nothing.left_out == inputs.LeftOut(tuple(rates), 10.0)


def test_bulk_fills(indicators):
    rates = dict(zip(indicators["region_code"], indicators["rate"]))
    below = inputs.regions_below(indicators, 0.39)
    assert below == [code for code, rate in rates.items() if rate < 0.39]
    assert "17.07" in below  # Lebong, the lowest
    fill = inputs.fill_all_targets(rates, 39.0)
    assert list(fill.values) == below and fill.left_out is not None
    assert set(fill.left_out.codes) == set(rates) - set(below)

    fill = inputs.fill_below_national(rates, 0.39)
    assert (fill.column, fill.mode) == ("target_pct", "target")
    assert fill.values == {code: pytest.approx(39.0) for code in below}
    assert fill.left_out is not None and set(fill.left_out.codes) == set(rates) - set(below)

    room = inputs.unenrolled_by_code(indicators)
    lebong = indicators.set_index("region_code").loc["17.07"]
    assert room["17.07"] == lebong["potential_workers"] - lebong["participants"]
    fill = inputs.fill_share_of_unenrolled(room, 10.0)
    assert (fill.column, fill.mode) == ("additional", "add") and fill.values["17.07"] == math.floor(room["17.07"] * 0.1)
    assert set(fill.values) == set(room) and fill.left_out is None


def test_pace_targets_are_the_typed_ones_in_target_mode_else_the_datas(indicators):
    codes = indicators["region_code"].tolist()
    typed = inputs.with_column(inputs.empty_inputs(codes), "target_pct", {"17.07": 30.0})
    assert inputs.pace_targets("target", typed, indicators) == {"17.07": pytest.approx(0.30)}
    from_data = {code: rate for code, rate in zip(indicators["region_code"], indicators["target_rate"])
                 if pd.notna(rate)}
    assert inputs.pace_targets("add", typed, indicators) == from_data
    assert inputs.pace_targets("target", inputs.empty_inputs(codes), indicators) == from_data


def test_simulating_a_table_leaves_out_regions_whose_input_is_an_error(indicators):
    codes = indicators["region_code"].tolist()
    table = inputs.with_column(inputs.empty_inputs(codes), "target_pct", {"17.07": 30.0, "17.01": 250.0})
    result, problems = inputs.simulate_inputs(indicators, mode="target", inputs=table,
                                              parameters=CostParameters(), national_rate=0.39)
    assert [(p.code, p.region_code) for p in problems] == [("target_above_100", "17.01")]
    added = result.regions.set_index("region_code")["additional"]
    assert added["17.07"] > 0 and added["17.01"] == 0


def test_a_stored_segment_that_is_not_one_falls_back_to_the_default():
    assert inputs.known_segment("pu") == "pu"
    assert inputs.known_segment("nonsense") == DEFAULT_SEGMENT
    assert inputs.known_segment(None) == DEFAULT_SEGMENT
