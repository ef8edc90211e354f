"""Invariants of monev.indicators on random valid datasets (hypothesis), and the reported demo figures."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from monev import periods
from monev.dataset import SEGMENTS, CoverageData
from monev.indicators import TARGET_MONTH, province_summary, region_indicators
from monev.regions import load_registry

CODES = load_registry().codes
FIRST_MONTH = periods.month_index("2023-07")  # 18 months from here: the data can cross a year boundary
SETTINGS = settings(max_examples=50, deadline=None, database=None)


# --- random valid data ---------------------------------------------------------------------------------------
# A row is a plain dict; a dataset is a list of rows, at most one per (period, region). Targets are typed
# percentages with one decimal ("39,5"), stored as the loader stores them: (tenths / 10) / 100.


@st.composite
def rows_for(draw, period: str, code: str) -> dict:
    potential = draw(st.integers(1, 200_000))
    participants = draw(st.integers(0, potential))
    cuts = sorted(draw(st.lists(st.integers(0, participants), min_size=3, max_size=3)))
    bounds = [0, *cuts, participants]
    segments = {segment: bounds[i + 1] - bounds[i] for i, segment in enumerate(SEGMENTS)}
    tenths = draw(st.integers(0, 1000))
    return {"period": period, "region_code": code, "potential_workers": potential, **segments,
            "target_tenths": tenths, "note": ""}


@st.composite
def datasets(draw, max_periods: int = 4) -> list[dict]:
    offsets = sorted(draw(st.lists(st.integers(0, 17), min_size=1, max_size=max_periods, unique=True)))
    rows = []
    for offset in offsets:
        period = periods.from_month_index(FIRST_MONTH + offset)
        codes = draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=len(CODES), unique=True))
        rows.extend(draw(rows_for(period, code)) for code in sorted(codes))
    return rows


def target_of(row: dict) -> float:
    return (row["target_tenths"] / 10) / 100


def build(rows: list[dict]) -> CoverageData:
    frame = pd.DataFrame({
        "period": [r["period"] for r in rows],
        "region_code": [r["region_code"] for r in rows],
        "potential_workers": pd.array([r["potential_workers"] for r in rows], dtype="int64"),
        "participants": pd.array([participants_of(r) for r in rows], dtype="int64"),
        **{s: pd.array([r[s] for r in rows], dtype="float64") for s in SEGMENTS},
        "target_rate": pd.array([target_of(r) for r in rows], dtype="float64"),
        "note": [r["note"] for r in rows],
    })
    return CoverageData(frame=frame, source_name="t", checksum="x")


def participants_of(row: dict) -> int:
    return sum(row[s] for s in SEGMENTS)


def rate_of(row: dict) -> float:
    return participants_of(row) / row["potential_workers"]


def rows_at(rows: list[dict], period: str) -> list[dict]:
    return [r for r in rows if r["period"] == period]


def province_rate_of(rows: list[dict]) -> float:
    return sum(participants_of(r) for r in rows) / sum(r["potential_workers"] for r in rows)


def periods_of(rows: list[dict]) -> list[str]:
    return sorted({r["period"] for r in rows})


def by_code(indicators: pd.DataFrame) -> dict[str, pd.Series]:
    return {row["region_code"]: row for _, row in indicators.iterrows()}


# --- invariants ----------------------------------------------------------------------------------------------


@SETTINGS
@given(rows=datasets(), data=st.data())
def test_adding_participants_never_lowers_region_or_province_rate(rows, data):
    index = data.draw(st.integers(0, len(rows) - 1))
    row = rows[index]
    room = row["potential_workers"] - participants_of(row)
    extra = data.draw(st.integers(0, room))
    segment = data.draw(st.sampled_from(SEGMENTS))
    more = [dict(r) for r in rows]
    more[index][segment] += extra
    period, code = row["period"], row["region_code"]

    before, after = build(rows), build(more)
    old_region = by_code(region_indicators(before, period))[code]["rate"]
    new_region = by_code(region_indicators(after, period))[code]["rate"]
    old_province = province_summary(before, period).rate
    new_province = province_summary(after, period).rate
    assert new_region >= old_region
    assert new_province >= old_province
    if extra > 0:
        assert new_region > old_region
        assert new_province > old_province
        assert province_summary(after, period).participants == province_summary(before, period).participants + extra


@SETTINGS
@given(rows=datasets())
def test_province_rate_is_participants_over_potential(rows):
    data = build(rows)
    for period in periods_of(rows):
        current = rows_at(rows, period)
        summary = province_summary(data, period)
        assert summary.participants == sum(participants_of(r) for r in current)
        assert summary.potential_workers == sum(r["potential_workers"] for r in current)
        assert summary.rate == pytest.approx(province_rate_of(current), rel=1e-12)
        assert summary.segments == {s: sum(r[s] for r in current) for s in SEGMENTS}
        assert summary.region_count == len(current)


def test_province_rate_is_weighted_not_mean_of_regional_rates():
    rows = [
        {"period": "2024-10", "region_code": "17.07", "potential_workers": 100, "pu": 90, "bpu": 0, "jakon": 0,
         "pmi": 0, "target_tenths": 390, "note": ""},
        {"period": "2024-10", "region_code": "17.71", "potential_workers": 10_000, "pu": 600, "bpu": 300,
         "jakon": 100, "pmi": 0, "target_tenths": 390, "note": ""},
    ]
    summary = province_summary(build(rows), "2024-10")
    assert summary.rate == pytest.approx(1090 / 10_100)
    mean_of_rates = (0.9 + 0.1) / 2
    assert abs(summary.rate - mean_of_rates) > 0.3


@SETTINGS
@given(rows=datasets())
def test_ranks_follow_descending_rates(rows):
    data = build(rows)
    for period in periods_of(rows):
        indicators = region_indicators(data, period)
        rates = indicators["rate"].tolist()
        ranks = indicators["rank"].tolist()
        n = len(rates)
        assert n == len(rows_at(rows, period))
        assert rates == sorted(rates, reverse=True)
        assert ranks == sorted(ranks)
        assert ranks[0] == 1 and all(1 <= rank <= n for rank in ranks)
        for rate, rank in zip(rates, ranks):
            assert rank == 1 + sum(other > rate for other in rates)
        if len(set(rates)) == n:
            assert ranks == list(range(1, n + 1))
        expected = {r["region_code"]: rate_of(r) for r in rows_at(rows, period)}
        assert dict(zip(indicators["region_code"], indicators["rate"])) == pytest.approx(expected, rel=1e-12)


@SETTINGS
@given(rows=datasets(max_periods=2), data=st.data())
def test_gap_and_regions_at_or_above_national(rows, data):
    period = data.draw(st.sampled_from(periods_of(rows)))
    current = rows_at(rows, period)
    # Sometimes exactly a region's rate, to test the boundary of "at or above".
    national = data.draw(st.one_of(st.floats(0, 1), st.sampled_from([rate_of(r) for r in current])))
    dataset = build(rows)
    indicators = region_indicators(dataset, period, national)
    summary = province_summary(dataset, period, national)
    for row in by_code(indicators).values():
        assert row["gap_national"] == row["rate"] - national
        assert row["at_or_above_national"] == (row["rate"] >= national)
    direct_count = sum(participants_of(r) / r["potential_workers"] >= national for r in current)
    assert summary.regions_at_or_above_national == direct_count
    assert int(indicators["at_or_above_national"].sum()) == direct_count
    assert summary.gap_national == pytest.approx(province_rate_of(current) - national, abs=1e-12)


@SETTINGS
@given(rows=datasets())
def test_change_prev_month_is_difference_with_previous_month(rows):
    data = build(rows)
    available = periods_of(rows)
    for period in available:
        previous = periods.shift(period, -1)
        before = {r["region_code"]: r for r in rows_at(rows, previous)}
        for code, row in by_code(region_indicators(data, period)).items():
            if code in before:
                assert row["change_prev_month"] == pytest.approx(row["rate"] - rate_of(before[code]), abs=1e-12)
            else:
                assert math.isnan(row["change_prev_month"])
        summary = province_summary(data, period)
        if before:
            expected = province_rate_of(rows_at(rows, period)) - province_rate_of(list(before.values()))
            assert summary.change_prev_month == pytest.approx(expected, abs=1e-12)
            assert summary.participants_change_prev_month == (
                sum(participants_of(r) for r in rows_at(rows, period))
                - sum(participants_of(r) for r in before.values()))
        else:
            assert math.isnan(summary.change_prev_month)
    first = available[0]
    assert region_indicators(data, first)["change_prev_month"].isna().all()
    assert math.isnan(province_summary(data, first).change_prev_month)


def _exactly_needed(row: dict) -> int:
    """Participants still needed so that participants ÷ potential ≥ target, in exact integer arithmetic."""
    at_target = -(-row["target_tenths"] * row["potential_workers"] // 1000)  # ceil(target × potential)
    return max(0, at_target - participants_of(row))


# A region exactly at a round target: 7% of 40.000 is 2.800 participants, so nothing more is needed.
_AT_ROUND_TARGET = [{"period": "2024-06", "region_code": "17.07", "potential_workers": 40_000, "pu": 2_800,
                     "bpu": 0, "jakon": 0, "pmi": 0, "target_tenths": 70, "note": ""}]


@SETTINGS
@given(rows=datasets())
@example(rows=_AT_ROUND_TARGET)
def test_required_monthly_participants_cover_exactly_the_gap_to_target(rows):
    data = build(rows)
    for period in periods_of(rows):
        months_left = TARGET_MONTH - periods.month_of(period)
        indicators = by_code(region_indicators(data, period))
        for row in rows_at(rows, period):
            required = indicators[row["region_code"]]["required_monthly_participants"]
            if months_left == 0:
                assert math.isnan(required)
                continue
            needed = _exactly_needed(row)
            assert required * months_left == pytest.approx(needed, abs=1e-6)
            if participants_of(row) * 1000 >= row["target_tenths"] * row["potential_workers"]:  # target met
                assert required == 0


def test_required_monthly_participants_is_zero_for_a_region_exactly_at_a_round_target():
    indicators = region_indicators(build(_AT_ROUND_TARGET), "2024-06")
    assert indicators["rate"].iloc[0] == indicators["target_rate"].iloc[0] == 0.07
    assert indicators["gap_target"].iloc[0] == 0
    assert indicators["required_monthly_participants"].iloc[0] == 0


@SETTINGS
@given(rows=datasets())
def test_province_target_is_potential_weighted_mean_of_regional_targets(rows):
    data = build(rows)
    for period in periods_of(rows):
        current = rows_at(rows, period)
        weighted = (sum(target_of(r) * r["potential_workers"] for r in current)
                    / sum(r["potential_workers"] for r in current))
        assert province_summary(data, period).target_rate == pytest.approx(weighted, rel=1e-9, abs=1e-12)


def test_province_target_weighs_by_potential_workers():
    rows = [
        {"period": "2024-10", "region_code": "17.04", "potential_workers": 1_000, "pu": 0, "bpu": 0, "jakon": 0,
         "pmi": 0, "target_tenths": 800, "note": ""},
        {"period": "2024-10", "region_code": "17.71", "potential_workers": 3_000, "pu": 0, "bpu": 0, "jakon": 0,
         "pmi": 0, "target_tenths": 400, "note": ""},
    ]
    assert province_summary(build(rows), "2024-10").target_rate == pytest.approx(0.5)  # not (0.8 + 0.4) / 2


def test_province_target_is_missing_when_a_region_has_no_target():
    data = build(_AT_ROUND_TARGET + [{**_AT_ROUND_TARGET[0], "region_code": "17.04"}])
    data.frame.loc[1, "target_rate"] = math.nan
    assert math.isnan(province_summary(data, "2024-06").target_rate)


# --- the demo data -------------------------------------------------------------------------------------------


def test_demo_province_rate_is_the_reported_37_percent(demo):
    summary = province_summary(demo, "2024-10")
    assert abs(summary.rate - 0.37) < 0.003
    assert summary.participants == 261_814
    assert summary.region_count == 10


def test_demo_ranking_has_kaur_first_and_lebong_last(demo):
    indicators = region_indicators(demo, "2024-10")
    first, last = indicators.iloc[0], indicators.iloc[-1]
    assert (first["region_name"], first["rank"]) == ("Kaur", 1)
    assert first["rate"] == pytest.approx(0.75, abs=5e-4)
    assert (last["region_name"], last["rank"]) == ("Lebong", 10)
    assert last["rate"] == pytest.approx(0.17, abs=5e-4)
