"""A saved scenario (monev.scenario): its body from the simulator, its settings, its simulation on a dataset."""

from __future__ import annotations

import datetime as dt

import pytest

from monev import simulator_inputs
from monev.allocation import default_allocation_settings
from monev.dataset import load_demo
from monev.indicators import region_indicators
from monev.scenario import Scenario, ScenarioBody, simulate_scenario
from monev.simulation import CostParameters

LEBONG, KAUR = "17.07", "17.04"
NATIONAL = 0.39


def _scenario(body: ScenarioBody, period: str) -> Scenario:
    now = dt.datetime(2024, 11, 20, tzinfo=dt.UTC)
    return Scenario(id="0123456789ab", name="Uji", note="", author="ani", created_at=now, updated_at=now,
                    updated_by="ani", dataset_version_id=1, period=period, body=body, version=1)


def _body(targets: dict[str, float]) -> ScenarioBody:
    codes = [LEBONG, KAUR, "99.99"]
    table = simulator_inputs.with_column(simulator_inputs.empty_inputs(codes), "target_pct", targets)
    return ScenarioBody.of_simulator(mode="target", table=table, parameters=CostParameters(),
                                     allocation=default_allocation_settings())


def test_a_body_of_the_simulator_holds_its_rows_and_round_trips_through_json():
    body = _body({LEBONG: 30.0})
    assert [row["region_code"] for row in body.inputs] == [LEBONG, KAUR, "99.99"]
    again = ScenarioBody.from_json(body.to_json())
    assert again.input_frame().equals(body.input_frame())
    assert again.allocation == default_allocation_settings()
    assert ScenarioBody.of_simulator(mode="add", table=None, parameters=CostParameters(), allocation={}).inputs == ()


def test_saved_allocation_settings_go_over_the_remembered_ones():
    body = ScenarioBody(mode="target", inputs=(), parameters=CostParameters(),
                        allocation={"target_pct": 40.0, "other": 1})
    merged = body.allocation_settings({"strategy": "target", "target_pct": None})
    assert merged == {"strategy": "target", "target_pct": 40.0}


def test_a_scenario_is_simulated_on_its_period_and_regions_the_data_lacks_are_left_out():
    data = load_demo()
    scenario = _scenario(_body({LEBONG: 30.0, "99.99": 50.0}), "2024-06")
    result = simulate_scenario(scenario, data, NATIONAL)
    june = region_indicators(data, "2024-06", NATIONAL).set_index("region_code")
    regions = result.regions.set_index("region_code")
    assert "99.99" not in regions.index
    assert regions.at[LEBONG, "rate"] == pytest.approx(june.at[LEBONG, "rate"])
    assert regions.at[LEBONG, "rate_after"] == pytest.approx(0.30, abs=1e-4)


def test_a_period_the_data_lacks_falls_back_to_its_latest_month():
    data = load_demo()
    result = simulate_scenario(_scenario(_body({KAUR: 80.0}), "2019-01"), data, NATIONAL)
    latest = region_indicators(data, data.latest_period, NATIONAL).set_index("region_code")
    assert result.regions.set_index("region_code").at[KAUR, "rate"] == pytest.approx(latest.at[KAUR, "rate"])


def test_a_scenario_is_simulated_on_the_data_and_period_a_view_shows_not_its_own():
    """A scenario is its inputs: the view's period (and data) give the baseline, its own period does not."""
    data = load_demo()
    scenario = _scenario(_body({KAUR: 80.0}), "2024-06")
    result = simulate_scenario(scenario, data, NATIONAL, "2024-10")
    october = region_indicators(data, "2024-10", NATIONAL).set_index("region_code")
    regions = result.regions.set_index("region_code")
    assert regions.at[KAUR, "rate"] == pytest.approx(october.at[KAUR, "rate"])
    assert regions.at[KAUR, "rate_after"] == pytest.approx(0.80, abs=1e-4)
    assert result.rate_after != simulate_scenario(scenario, data, NATIONAL).rate_after
