"""What-if simulation (monev.simulation): hand calculations on the demo, invariants on random data, input checks,
the summary sentence, and the time to reach a target at the current pace.

Expected values are computed here from the demo CSV with integer arithmetic, never by the functions under test.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monev.dataset import SEGMENTS, CoverageData, load_demo
from monev.indicators import region_indicators
from monev.regions import load_registry
from monev.simulation import (
    CostParameters,
    additions_for_targets,
    observed_pace,
    simulate,
    summary_text,
    time_to_target,
    validate_inputs,
)
from tests.unit.demo_numbers import demo_rows

ROOT = Path(__file__).resolve().parents[2]
DEMO_CSV = ROOT / "data" / "demo" / "cakupan_bengkulu_2024.csv"
PERIOD = "2024-10"
CODES = load_registry().codes
NAMES = {region.code: region.display_name for region in load_registry().regions}
COST_YEAR = 16_800 * 12  # JKK Rp10.000 + JKM Rp6.800 a month, 12 months
SETTINGS = settings(max_examples=60, deadline=None, database=None)


# --- the demo, read straight from the CSV -------------------------------------------------------------------




def needed_for_percent(percent: int, potential: int, participants: int) -> int:
    """max(0, ceil(percent/100 · P) − p) in exact integers."""
    return max(0, (percent * potential + 99) // 100 - participants)


def id_number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def id_percent(rate: float) -> str:
    return f"{100 * rate:.1f}".replace(".", ",") + "%"


def en_percent(rate: float) -> str:
    return f"{100 * rate:.1f}%"


def rupiah_miliar(amount: float, lang: str) -> str:
    """Rp8,2 miliar / Rp8.2 billion: billions with one decimal, a trailing ,0 dropped."""
    text = f"{round(amount / 1e9, 1):.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return f"Rp{text.replace('.', ',')} miliar" if lang == "id" else f"Rp{text} billion"


@pytest.fixture(scope="module")
def demo_baseline() -> pd.DataFrame:
    return region_indicators(load_demo(), PERIOD, 0.39)


@pytest.fixture(scope="module")
def all_to_39(demo_baseline):
    additions = additions_for_targets(demo_baseline, {code: 0.39 for code in demo_baseline["region_code"]})
    return additions, simulate(demo_baseline, additions, national_rate=0.39)


# --- hand calculation on the demo ---------------------------------------------------------------------------


def test_all_regions_to_39_percent_on_the_demo_matches_the_hand_calculation(all_to_39):
    rows = demo_rows()
    assert len(rows) == 10
    needed = {code: needed_for_percent(39, potential, participants) for code, (potential, participants) in rows.items()}
    added = sum(needed.values())
    potential_total = sum(potential for potential, _ in rows.values())
    participants_total = sum(participants for _, participants in rows.values())
    before = participants_total / potential_total
    after = (participants_total + added) / potential_total
    cost_year = added * 16_800 * 12

    additions, result = all_to_39
    assert additions == needed
    assert added == 40_801  # the figure the brief quotes, as a check on this test's own arithmetic
    assert result.participants_added == added
    assert result.cost_idr_per_month == added * 16_800
    assert result.cost_idr_per_year == cost_year
    assert result.rate_before == pytest.approx(before, rel=1e-12)
    assert result.rate_after == pytest.approx(after, rel=1e-12)
    assert result.region_count == 10
    assert result.regions_at_national_before == sum(100 * p >= 39 * big_p for big_p, p in rows.values()) == 3
    assert result.regions_at_national_after == 10
    assert result.cost_idr_per_point == pytest.approx(cost_year / ((after - before) * 100), rel=1e-9)
    by_code = result.regions.set_index("region_code")
    for code, (potential, participants) in rows.items():
        assert by_code.at[code, "additional"] == needed[code]
        assert by_code.at[code, "participants_after"] == participants + needed[code]
        assert by_code.at[code, "rate_after"] == pytest.approx((participants + needed[code]) / potential, rel=1e-12)
        assert by_code.at[code, "cost_idr_per_year"] == needed[code] * COST_YEAR
    assert result.segment_additions == {"pu": 0, "bpu": added, "jakon": 0, "pmi": 0}


def test_additions_for_targets_uses_exact_ceiling_not_float_noise():
    # 0.07 × 100 is 7.000000000000001 in floating point: the region needs 7 participants, not 8.
    data = frame_data([("17.01", 100, 0)])
    baseline = region_indicators(data, PERIOD)
    assert additions_for_targets(baseline, {"17.01": 0.07}) == {"17.01": 7}
    assert additions_for_targets(baseline, {"17.01": 0.071}) == {"17.01": 8}
    assert additions_for_targets(baseline, {"17.01": math.nan, "99.99": 0.5}) == {}


# --- random baselines ---------------------------------------------------------------------------------------


def frame_data(regions: list[tuple[str, int, int]], period: str = PERIOD, target: float = 0.39) -> CoverageData:
    """One period; participants all in PU."""
    frame = pd.DataFrame({
        "period": [period] * len(regions),
        "region_code": [code for code, _, _ in regions],
        "potential_workers": pd.array([potential for _, potential, _ in regions], dtype="int64"),
        "participants": pd.array([participants for _, _, participants in regions], dtype="int64"),
        "pu": pd.array([participants for _, _, participants in regions], dtype="float64"),
        **{segment: pd.array([0] * len(regions), dtype="float64") for segment in SEGMENTS[1:]},
        "target_rate": pd.array([target] * len(regions), dtype="float64"),
        "note": [""] * len(regions),
    })
    return CoverageData(frame=frame, source_name="t", checksum="x")


@st.composite
def baselines(draw) -> list[tuple[str, int, int]]:
    codes = sorted(draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=len(CODES), unique=True)))
    regions = []
    for code in codes:
        potential = draw(st.integers(1, 100_000))
        regions.append((code, potential, draw(st.integers(0, potential))))
    return regions


@st.composite
def scenarios(draw):
    """(regions, additions asked, extra on top of them, segment per region)."""
    regions = draw(baselines())
    asked, extra, segments = {}, {}, {}
    for code, potential, participants in regions:
        room = potential - participants
        # Sometimes more than the room, to see the cap at work.
        asked[code] = draw(st.integers(0, room + 50))
        extra[code] = draw(st.integers(0, room + 50))
        segments[code] = draw(st.sampled_from(SEGMENTS))
    return regions, asked, extra, segments


costs = st.builds(
    CostParameters,
    cost_idr_per_month=st.integers(0, 100_000).map(float),
    months_funded=st.integers(1, 24),
    province_share=st.floats(0, 1),
    budget_ceiling_idr=st.one_of(st.none(), st.integers(0, 10**13).map(float)),
)


@SETTINGS
@given(scenario=scenarios(), parameters=costs, national=st.floats(0, 1))
def test_more_additions_never_lower_any_rate(scenario, parameters, national):
    regions, asked, extra, _ = scenario
    baseline = region_indicators(frame_data(regions), PERIOD, national)
    more = {code: asked[code] + extra[code] for code in asked}
    low = simulate(baseline, asked, parameters=parameters, national_rate=national)
    high = simulate(baseline, more, parameters=parameters, national_rate=national)
    low_rates = low.regions.set_index("region_code")["rate_after"]
    high_rates = high.regions.set_index("region_code")["rate_after"]
    for code, _, _ in regions:
        assert high_rates[code] >= low_rates[code]
    assert high.rate_after >= low.rate_after >= low.rate_before
    assert high.regions_at_national_after >= low.regions_at_national_after >= low.regions_at_national_before
    assert high.participants_added >= low.participants_added


@SETTINGS
@given(scenario=scenarios(), parameters=costs, national=st.floats(0, 1))
def test_additions_are_capped_costs_add_up_and_segments_sum(scenario, parameters, national):
    regions, asked, _, segments = scenario
    baseline = region_indicators(frame_data(regions), PERIOD, national)
    result = simulate(baseline, asked, segments=segments, parameters=parameters, national_rate=national)
    rows = result.regions.set_index("region_code")

    capped = {code: min(asked[code], potential - participants) for code, potential, participants in regions}
    added = sum(capped.values())
    per_month = parameters.cost_idr_per_month
    per_year = per_month * parameters.months_funded
    assert result.participants_added == added
    for code, potential, participants in regions:
        assert rows.at[code, "additional"] == capped[code]
        assert rows.at[code, "participants_after"] == participants + capped[code] <= potential
        assert rows.at[code, "rate_after"] <= 1
        assert rows.at[code, "cost_idr_per_year"] == capped[code] * per_year
        share = rows.at[code, "cost_province_idr_per_year"] + rows.at[code, "cost_region_idr_per_year"]
        assert share == pytest.approx(rows.at[code, "cost_idr_per_year"], rel=1e-12, abs=1e-6)
        assert rows.at[code, "cost_province_idr_per_year"] == pytest.approx(
            capped[code] * per_year * parameters.province_share, rel=1e-12, abs=1e-6)
    # Whole Rupiah amounts below 2**53: the sums are exact.
    assert result.cost_idr_per_month == added * per_month == rows["cost_idr_per_month"].sum()
    assert result.cost_idr_per_year == added * per_year == rows["cost_idr_per_year"].sum()
    assert rows["cost_province_idr_per_year"].sum() + rows["cost_region_idr_per_year"].sum() == pytest.approx(
        result.cost_idr_per_year, rel=1e-12, abs=1e-6)

    assert sum(result.segment_additions.values()) == result.participants_added
    for segment in SEGMENTS:
        assert result.segment_additions[segment] == sum(capped[c] for c in capped if segments[c] == segment)

    potential_total = sum(potential for _, potential, _ in regions)
    participants_total = sum(participants for _, _, participants in regions)
    assert result.rate_after == pytest.approx((participants_total + added) / potential_total, rel=1e-12)
    assert result.regions_at_national_after == sum(
        (participants + capped[code]) / potential >= national for code, potential, participants in regions)

    ceiling = parameters.budget_ceiling_idr
    if ceiling is None:
        assert math.isnan(result.budget_left_idr)
    else:
        assert result.budget_left_idr == ceiling - added * per_year


@SETTINGS
@given(regions=baselines(), national=st.floats(0, 1), zero=st.sampled_from([{}, None]))
def test_no_additions_leave_the_baseline_unchanged(regions, national, zero):
    baseline = region_indicators(frame_data(regions), PERIOD, national)
    additions = {} if zero is None else {code: 0 for code, _, _ in regions}
    result = simulate(baseline, additions, national_rate=national)
    rows = result.regions
    assert (rows["additional"] == 0).all()
    assert (rows["rate_after"] == rows["rate"]).all()
    assert (rows["change_points"] == 0).all()
    assert result.participants_added == 0
    assert result.rate_after == result.rate_before
    assert result.regions_at_national_after == result.regions_at_national_before
    assert result.cost_idr_per_year == 0
    assert math.isnan(result.cost_idr_per_point)
    assert result.segment_additions == {segment: 0 for segment in SEGMENTS}


# --- validate_inputs ----------------------------------------------------------------------------------------


def test_target_above_100_percent_is_an_error_with_indonesian_number(demo_baseline):
    problems = validate_inputs(demo_baseline, mode="target", values={"17.07": 1.2}, names=NAMES)
    assert [(p.code, p.severity, p.region_code) for p in problems] == [("target_above_100", "error", "17.07")]
    assert problems[0].message("id") == "Lebong: target 120,0% melebihi 100%. Tulis target antara 0 dan 100."
    assert "120.0%" in problems[0].message("en")
    assert "above 100%" in problems[0].message("en")


@pytest.mark.parametrize("mode", ["target", "add"])
def test_negative_value_is_an_error(demo_baseline, mode):
    problems = validate_inputs(demo_baseline, mode=mode, values={"17.01": -5}, names=NAMES)
    assert [(p.code, p.severity) for p in problems] == [("negative", "error")]
    assert "Bengkulu Selatan" in problems[0].message("id")
    assert "negatif" in problems[0].message("id")


@pytest.mark.parametrize("raw", ["abc", "inf", float("inf"), "12,5x"])
def test_non_number_is_an_error(demo_baseline, raw):
    problems = validate_inputs(demo_baseline, mode="target", values={"17.02": raw}, names=NAMES)
    assert [(p.code, p.severity) for p in problems] == [("not_number", "error")]
    assert f"'{raw}' bukan angka" in problems[0].message("id")
    assert "is not a number" in problems[0].message("en")


def test_empty_cells_and_unknown_regions_are_ignored(demo_baseline):
    values = {"17.01": None, "17.02": math.nan, "99.99": "abc"}
    assert validate_inputs(demo_baseline, mode="target", values=values, names=NAMES) == []
    assert validate_inputs(demo_baseline, mode="add", values=values, names=NAMES) == []


def test_more_than_unenrolled_is_an_error_with_the_room(demo_baseline):
    potential, participants = demo_rows()["17.07"]
    room = potential - participants
    assert validate_inputs(demo_baseline, mode="add", values={"17.07": room}, names=NAMES) == []
    problems = validate_inputs(demo_baseline, mode="add", values={"17.07": room + 1}, names=NAMES)
    assert [(p.code, p.severity) for p in problems] == [("more_than_unenrolled", "error")]
    assert problems[0].params["room"] == room
    message = problems[0].message("id")
    assert id_number(room) in message and id_number(room + 1) in message
    assert "melebihi" in message
    assert f"{room:,}" in problems[0].message("en")


def test_target_below_current_rate_is_only_a_warning(demo_baseline):
    potential, participants = demo_rows()["17.04"]  # Kaur, about 75 %
    problems = validate_inputs(demo_baseline, mode="target", values={"17.04": 0.5, "17.07": 0.5}, names=NAMES)
    assert [(p.code, p.severity, p.region_code) for p in problems] == [("target_below_current", "warning", "17.04")]
    message = problems[0].message("id")
    assert "50,0%" in message and id_percent(participants / potential) in message
    assert en_percent(participants / potential) in problems[0].message("en")
    # Allowed: the region simply gets no one.
    assert additions_for_targets(demo_baseline, {"17.04": 0.5}) == {"17.04": 0}


# --- summary_text -------------------------------------------------------------------------------------------


def demo_totals() -> tuple[int, int, int]:
    rows = demo_rows()
    added = sum(needed_for_percent(39, potential, participants) for potential, participants in rows.values())
    return added, sum(p for _, p in rows.values()), sum(big_p for big_p, _ in rows.values())


def test_summary_in_indonesian_has_the_hand_computed_numbers(all_to_39):
    added, participants, potential = demo_totals()
    text = summary_text(all_to_39[1], "id")
    assert id_number(added) in text
    assert "40.801" in text
    assert rupiah_miliar(added * COST_YEAR, "id") == "Rp8,2 miliar"
    assert "Rp8,2 miliar" in text
    assert id_percent(participants / potential) == "37,0%"
    assert "dari 37,0% menjadi " + id_percent((participants + added) / potential) in text
    assert "10 dari 10 wilayah" in text
    assert "BPU" in text
    assert "(39,0%)" in text
    assert "plafon" not in text.lower()


def test_summary_in_english(all_to_39):
    added, participants, potential = demo_totals()
    text = summary_text(all_to_39[1], "en")
    assert f"{added:,}" in text
    assert rupiah_miliar(added * COST_YEAR, "en") in text
    assert f"from {en_percent(participants / potential)} to {en_percent((participants + added) / potential)}" in text
    assert "10 of 10 regions" in text
    assert "ceiling" not in text


def test_summary_without_additions(demo_baseline):
    _, participants, potential = demo_totals()
    result = simulate(demo_baseline, {}, national_rate=0.39,
                      parameters=CostParameters(budget_ceiling_idr=1e9))
    text = summary_text(result, "id")
    assert text.startswith("Belum ada tambahan peserta")
    assert id_percent(participants / potential) in text
    assert "3 dari 10 wilayah" in text
    assert "Sisa plafon" not in text and "terlampaui" not in text
    assert "No additional participants" in summary_text(result, "en")


def test_summary_budget_sentences_only_with_a_ceiling(demo_baseline, all_to_39):
    additions = all_to_39[0]
    cost = sum(additions.values()) * COST_YEAR
    roomy = simulate(demo_baseline, additions, national_rate=0.39,
                     parameters=CostParameters(budget_ceiling_idr=10e9))
    tight = simulate(demo_baseline, additions, national_rate=0.39,
                     parameters=CostParameters(budget_ceiling_idr=5e9))
    assert roomy.budget_left_idr == 10e9 - cost
    assert tight.budget_left_idr == 5e9 - cost
    left = summary_text(roomy, "id")
    assert left.endswith(f"Sisa plafon anggaran: {rupiah_miliar(10e9 - cost, 'id')}.")
    assert "terlampaui" not in left
    exceeded = summary_text(tight, "id")
    assert exceeded.endswith(f"Plafon anggaran terlampaui {rupiah_miliar(cost - 5e9, 'id')}.")
    assert "Sisa" not in exceeded
    assert summary_text(roomy, "en").endswith(f"Budget ceiling left: {rupiah_miliar(10e9 - cost, 'en')}.")
    assert summary_text(tight, "en").endswith(f"Budget ceiling exceeded by {rupiah_miliar(cost - 5e9, 'en')}.")


# --- observed pace and time to target -----------------------------------------------------------------------

MONTHS = ["2024-06", "2024-07", "2024-08", "2024-09"]


def pace_data() -> CoverageData:
    """17.07 grows by 100 a month to 3 000 of 10 000; 17.01 stays at 2 000; 17.02 stays at 5 000 of 10 000."""
    rows = []
    for index, period in enumerate(MONTHS):
        rows.append((period, "17.07", 10_000, 2_700 + 100 * index))
        rows.append((period, "17.01", 10_000, 2_000))
        rows.append((period, "17.02", 10_000, 5_000))
    frame = pd.DataFrame({
        "period": [r[0] for r in rows],
        "region_code": [r[1] for r in rows],
        "potential_workers": pd.array([r[2] for r in rows], dtype="int64"),
        # Participants split over two segments, so the pace is measured on all segments together.
        "participants": pd.array([r[3] for r in rows], dtype="int64"),
        "pu": pd.array([r[3] - 500 for r in rows], dtype="float64"),
        "bpu": pd.array([500] * len(rows), dtype="float64"),
        "jakon": pd.array([0] * len(rows), dtype="float64"),
        "pmi": pd.array([0] * len(rows), dtype="float64"),
        "target_rate": pd.array([0.35] * len(rows), dtype="float64"),
        "note": [""] * len(rows),
    })
    return CoverageData(frame=frame, source_name="t", checksum="x")


def test_observed_pace_is_growth_per_month_over_the_window():
    data = pace_data()
    pace = observed_pace(data, "2024-09")
    assert pace["17.07"] == 100
    assert pace["17.01"] == 0
    assert observed_pace(data, "2024-07")["17.07"] == 100  # only one earlier month in the data
    assert observed_pace(data, "2024-06").isna().all()  # no earlier month at all


def reach(target_rates: dict[str, float]) -> dict[str, dict]:
    data = pace_data()
    baseline = region_indicators(data, "2024-09")
    table = time_to_target(data, "2024-09", target_rates, baseline)
    return {row["region_code"]: row for row in table.to_dict("records")}


def test_target_reached_after_december_is_at_risk():
    row = reach({"17.07": 0.35})["17.07"]
    assert row["needed"] == 500
    assert row["pace_per_month"] == 100
    assert row["months"] == 5
    assert row["reached_period"] == "2025-02"
    assert not row["on_track"]


@pytest.mark.parametrize(("target", "needed", "months", "period"), [
    (0.305, 50, 1, "2024-10"),   # 3 050 needed: October already has 3 100
    (0.315, 150, 2, "2024-11"),
    (0.32, 200, 2, "2024-11"),
    (0.33, 300, 3, "2024-12"),   # December itself is still on track
])
def test_target_reached_by_december_is_on_track(target, needed, months, period):
    row = reach({"17.07": target})["17.07"]
    assert row["needed"] == needed
    assert row["months"] == months
    assert row["reached_period"] == period
    assert row["on_track"]


def test_no_growth_never_reaches_and_reached_target_is_now():
    rows = reach({"17.01": 0.35, "17.02": 0.4, "17.07": math.nan})
    assert set(rows) == {"17.01", "17.02"}
    stuck = rows["17.01"]
    assert stuck["needed"] == 1_500
    assert pd.isna(stuck["reached_period"])  # missing: never at this pace
    assert stuck["months"] == math.inf
    assert not stuck["on_track"]
    done = rows["17.02"]
    assert done["needed"] == 0
    assert done["months"] == 0
    assert done["reached_period"] == "2024-09"
    assert done["on_track"]
