"""One yearly budget: the cost parameters' ceiling is the allocation's budget, in the session's defaults and in a
saved scenario, including older scenarios that stored the two apart."""

from __future__ import annotations

import pytest

from monev.allocation import (
    ALLOCATION_SETTINGS,
    DEFAULT_BUDGET_IDR_PER_YEAR,
    default_allocation_settings,
    default_cost_parameters,
)
from monev.scenario import ScenarioBody
from monev.simulation import CostParameters


def _stored(ceiling: object, allocation: object) -> dict[str, object]:
    return {"mode": "add", "inputs": [], "parameters": {"budget_ceiling_idr": ceiling}, "allocation": allocation}


def test_the_default_budget_is_the_default_ceiling_and_not_an_allocation_setting():
    assert default_cost_parameters() == CostParameters(budget_ceiling_idr=DEFAULT_BUDGET_IDR_PER_YEAR)
    assert "budget" not in ALLOCATION_SETTINGS
    assert "budget" not in default_allocation_settings()


@pytest.mark.parametrize(("ceiling", "budget"), [(1e9, 1e9), (None, 0)])
def test_a_body_stores_its_ceiling_as_the_allocation_budget_too_and_round_trips(ceiling, budget):
    body = ScenarioBody(mode="add", inputs=(), parameters=CostParameters(budget_ceiling_idr=ceiling),
                        allocation=default_allocation_settings())
    stored = body.to_json()
    assert stored["parameters"]["budget_ceiling_idr"] == ceiling  # type: ignore[index]
    assert stored["allocation"] == {**default_allocation_settings(), "budget": budget}
    assert ScenarioBody.from_json(stored) == body


@pytest.mark.parametrize(("ceiling", "allocation", "expected"), [
    (1e9, {"budget": 2e9}, 1e9),  # both set and different: the ceiling wins
    (None, {"budget": 2e9}, 2e9),  # no ceiling: the allocation's budget is the budget
    ("tanpa batas", {"budget": "2000000000"}, 2e9),
    (None, {"budget": 0}, None),
    (None, {"budget": "banyak"}, None),
    (None, None, None),
    (3e9, {}, 3e9),
], ids=["ceiling-wins", "allocation-budget", "damaged-ceiling", "zero-budget", "damaged-budget", "neither",
        "ceiling-only"])
def test_an_older_body_has_one_budget(ceiling, allocation, expected):
    body = ScenarioBody.from_json(_stored(ceiling, allocation))
    assert body.parameters.budget_ceiling_idr == expected
    assert "budget" not in body.allocation


def test_a_scenario_no_longer_puts_a_budget_over_the_remembered_allocation_settings():
    body = ScenarioBody.from_json(_stored(1e9, {"budget": 2e9, "strategy": "target", "target_pct": 45.0}))
    assert body.allocation_settings(default_allocation_settings()) == {"strategy": "target", "target_pct": 45.0}
