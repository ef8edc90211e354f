"""What a map colours: each metric's column, and the span the change metric covers.

Expected values are read from the demo data's own columns and frames, in the indicators' order.
"""

from __future__ import annotations

import math
from typing import NoReturn

import pandas as pd
import pytest

from monev import mapping
from monev.dataset import load_demo
from monev.indicators import rate_change, region_indicators
from monev.regions import load_registry
from monev.simulation import simulate

REGISTRY = load_registry()
LEBONG = REGISTRY.match("Lebong").code
NATIONAL = 0.39
PERIODS = ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06"]


@pytest.fixture(scope="module")
def indicators() -> pd.DataFrame:
    # Shuffled: the values must follow the indicators' order, whatever it is.
    return region_indicators(load_demo(), "2024-10", NATIONAL).sample(frac=1, random_state=7).reset_index(drop=True)


def never_asked() -> NoReturn:
    pytest.fail("a costly input was worked out for a metric that does not need it")


@pytest.mark.parametrize(("metric", "column"), [("coverage", "rate"), ("gap", "gap_national")])
def test_coverage_and_gap_are_columns_of_the_indicators(indicators, metric, column):
    values = mapping.metric_values(metric, indicators, rate_change=never_asked, simulated=never_asked)
    assert values.index.name == "region_code"
    assert list(values.index) == list(indicators["region_code"])
    assert values.tolist() == indicators[column].tolist()


def test_change_is_the_rate_change_in_the_indicators_order_with_missing_regions_empty(indicators):
    change = rate_change(load_demo(), "2024-06", "2024-10").drop(LEBONG)
    values = mapping.metric_values("change", indicators, rate_change=lambda: change, simulated=never_asked)
    assert list(values.index) == list(indicators["region_code"])
    assert math.isnan(values[LEBONG])
    assert values.drop(LEBONG).tolist() == [change[code] for code in indicators["region_code"] if code != LEBONG]


def test_projected_is_the_simulated_rate_after_in_the_indicators_order(indicators):
    result = simulate(indicators.sort_values("region_code"), {LEBONG: 1000}, national_rate=NATIONAL)
    values = mapping.metric_values("projected", indicators, rate_change=never_asked,
                                   simulated=lambda: result.regions)
    after = result.regions.set_index("region_code")["rate_after"]
    assert list(values.index) == list(indicators["region_code"])
    assert values.tolist() == [after[code] for code in indicators["region_code"]]
    assert values[LEBONG] > indicators.set_index("region_code").loc[LEBONG, "rate"]


def test_every_metric_the_map_offers_has_values_and_no_other(indicators):
    for metric in mapping.METRICS:
        values = mapping.metric_values(metric, indicators, rate_change=lambda: pd.Series(dtype=float),
                                       simulated=lambda: indicators.assign(rate_after=indicators["rate"]))
        assert len(values) == len(indicators)
    with pytest.raises(ValueError, match="unemployment"):
        mapping.metric_values("unemployment", indicators, rate_change=never_asked, simulated=never_asked)


@pytest.mark.parametrize(("chosen", "period", "expected"), [
    ("2024-03", "2024-06", "2024-03"),  # chosen, before the period shown
    ("2024-01", "2024-02", "2024-01"),
    ("2024-06", "2024-06", "2024-01"),  # not before the period: the span would be empty
    ("2024-05", "2024-04", "2024-01"),  # after it (the period changed since): never backwards
    ("2023-12", "2024-06", "2024-01"),  # not a month of the data
    (None, "2024-06", "2024-01"),  # nothing chosen yet
])
def test_the_change_span_starts_at_the_month_chosen_while_it_lies_before_the_period(chosen, period, expected):
    assert mapping.change_start(chosen, PERIODS, period) == expected


def test_a_change_span_can_start_at_any_month_before_the_period():
    assert mapping.change_start_options(PERIODS, "2024-04") == ["2024-01", "2024-02", "2024-03"]
    assert mapping.change_start_options(PERIODS, "2024-01") == ["2024-01"]  # the first month: only itself


def test_the_start_chosen_is_always_one_of_the_options():
    for period in PERIODS:
        options = mapping.change_start_options(PERIODS, period)
        for chosen in [None, *PERIODS]:
            assert mapping.change_start(chosen, PERIODS, period) in options
