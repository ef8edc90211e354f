"""The focus regions (monev.focus): the three lowest, lowest first, with what it takes to reach national.

The data is a small file typed here, so that every expected number can be worked out by hand.
"""

from __future__ import annotations

import math

import pytest

from monev.dataset import CoverageData, load_dataset
from monev.focus import FOCUS_COUNT, focus_rows
from monev.indicators import region_indicators
from monev.simulation import CostParameters
from tests.unit.coverage_files import csv_bytes, row

NATIONAL = 0.39
COST_PER_WORKER_YEAR = 16_800 * 12
# Region -> participants (all in PU) in September and October 2024, each of 10,000 potential workers.
PARTICIPANTS = {
    "Lebong": (1_000, 1_600),  # lowest, 600 more a month
    "Kaur": (2_000, 2_000),  # no growth
    "Seluma": (2_500, 2_400),  # shrinking
    "Kepahiang": (3_000, 3_000),  # fourth lowest: not a focus region
    "Mukomuko": (5_000, 5_000),
}


def _load(periods: tuple[int, ...] = (0, 1)) -> CoverageData:
    rows = [row(f"2024-{9 + index:02d}", region, 10_000, counts[index], 0, 0, 0)
            for index in periods for region, counts in PARTICIPANTS.items()]
    result = load_dataset("focus.csv", csv_bytes(rows))
    assert result.data is not None, result.problems
    return result.data


@pytest.fixture(scope="module")
def data() -> CoverageData:
    return _load()


def _focus(data: CoverageData, period: str = "2024-10", national_rate: float = NATIONAL,
           parameters: CostParameters | None = None):
    return focus_rows(data, region_indicators(data, period, national_rate), period, national_rate, parameters)


def test_the_three_lowest_regions_come_lowest_first_with_their_gap(data):
    focus = _focus(data)
    assert FOCUS_COUNT == 3
    assert list(focus["region_name"]) == ["Lebong", "Kaur", "Seluma"]
    assert focus["rate"].tolist() == pytest.approx([0.16, 0.20, 0.24])
    assert focus["gap"].tolist() == pytest.approx([0.16 - NATIONAL, 0.20 - NATIONAL, 0.24 - NATIONAL])


def test_participants_needed_and_their_yearly_cost_bring_each_region_to_national(data):
    focus = _focus(data)
    assert focus["needed"].tolist() == [3_900 - 1_600, 3_900 - 2_000, 3_900 - 2_400]
    assert focus["cost_year"].tolist() == [n * COST_PER_WORKER_YEAR for n in (2_300, 1_900, 1_500)]
    cheaper = _focus(data, parameters=CostParameters(cost_idr_per_month=10_000, months_funded=6))
    assert cheaper["cost_year"].tolist() == [n * 60_000 for n in (2_300, 1_900, 1_500)]


def test_months_to_national_at_the_observed_pace_and_never_without_growth(data):
    focus = _focus(data)
    assert focus["pace"].tolist() == [600, 0, -100]
    assert focus["months"].tolist() == [math.ceil(2_300 / 600), math.inf, math.inf]


def test_a_region_already_at_national_needs_nobody_and_no_months(data):
    focus = _focus(data, national_rate=0.10)
    assert focus["needed"].tolist() == [0, 0, 0]
    assert focus["months"].tolist() == [0, 0, 0]
    assert focus["cost_year"].tolist() == [0, 0, 0]


def test_without_an_earlier_month_the_pace_is_unknown_and_national_never_reached():
    focus = _focus(_load(periods=(0,)), period="2024-09")
    assert focus["pace"].isna().all()
    assert focus["months"].tolist() == [math.inf] * 3
    assert list(focus["region_name"]) == ["Lebong", "Kaur", "Seluma"]
