"""One yearly budget on the simulator: the cost parameters' budget (the ceiling) and the allocation panel's budget
are the same value, the headline measures the cost against it, and older scenarios that kept the two apart open with
the ceiling winning (see ``monev.scenario``)."""

from __future__ import annotations

import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from components.state import Keys, WidgetKeys
from tests.app.support import (
    SIM_PAGE,
    click,
    go,
    id_rupiah,
    new_app,
    new_app_with,
    run,
    scenario_body,
    store,
)
from tests.users import editor

COST_PER_YEAR = 16_800 * 12  # JKK + JKM per worker, a year
DEFAULT_BUDGET = 5_000_000_000


def _budget_metric(at: AppTest) -> tuple[str, str, str]:
    """(label, value, description) of the headline's budget metric, the last of the five."""
    metric = at.metric[4]
    return metric.label, metric.value, metric.proto.delta_description


def _budget_inputs(at: AppTest) -> tuple[str, str]:
    """What the cost parameters' budget and the allocation panel's budget show."""
    return at.text_input(key=WidgetKeys.SIM_CEILING).value, at.text_input(key=WidgetKeys.ALLOC_BUDGET).value


def _set_budget(at: AppTest, key: str, typed: str) -> AppTest:
    at.text_input(key=key).set_value(typed)
    return run(at)


def test_loading_an_allocation_of_rp5_miliar_shows_what_it_uses_of_that_budget():
    at = go(run(new_app()), SIM_PAGE)
    assert _budget_inputs(at) == ("Rp5.000.000.000", "Rp5.000.000.000")
    assert _budget_metric(at) == ("Sisa anggaran", "Rp5 miliar", "terpakai Rp0 dari Rp5 miliar")
    click(at, WidgetKeys.ALLOC_LOAD)
    used = DEFAULT_BUDGET // COST_PER_YEAR * COST_PER_YEAR
    assert int(at.session_state[Keys.SIM_TABLE]["additional"].sum()) == DEFAULT_BUDGET // COST_PER_YEAR
    assert _budget_metric(at) == ("Sisa anggaran", id_rupiah(DEFAULT_BUDGET - used),
                                  f"terpakai {id_rupiah(used)} dari Rp5 miliar")


def test_the_budget_typed_in_either_place_is_the_other_and_the_headline_follows():
    at = go(run(new_app()), SIM_PAGE)
    _set_budget(at, WidgetKeys.ALLOC_BUDGET, "2 miliar")
    assert _budget_inputs(at) == ("Rp2.000.000.000", "Rp2.000.000.000")
    assert at.session_state[Keys.SIM_PARAMETERS].budget_ceiling_idr == 2_000_000_000
    assert _budget_metric(at)[2] == "terpakai Rp0 dari Rp2 miliar"
    assert any("dari anggaran Rp2 miliar" in info.value for info in at.info)  # the proposal spends that budget

    _set_budget(at, WidgetKeys.SIM_CEILING, "1.000.000.000")
    assert _budget_inputs(at) == ("Rp1.000.000.000", "Rp1.000.000.000")
    assert any("dari anggaran Rp1 miliar" in info.value for info in at.info)
    click(at, WidgetKeys.ALLOC_LOAD)
    used = 1_000_000_000 // COST_PER_YEAR * COST_PER_YEAR
    assert _budget_metric(at) == ("Sisa anggaran", id_rupiah(1_000_000_000 - used),
                                  f"terpakai {id_rupiah(used)} dari Rp1 miliar")

    _set_budget(at, WidgetKeys.ALLOC_BUDGET, "Rp500 juta")  # less than the loaded proposal costs
    assert _budget_inputs(at) == ("Rp500.000.000", "Rp500.000.000")
    assert _budget_metric(at) == ("Anggaran terlampaui", id_rupiah(used - 500_000_000),
                                  f"terpakai {id_rupiah(used)} dari Rp500 juta")

    _set_budget(at, WidgetKeys.SIM_CEILING, "")  # no budget at all: nothing to measure, nothing to allocate
    assert _budget_inputs(at) == ("", "")
    assert _budget_metric(at) == ("Anggaran", "–", "tanpa plafon: isi anggaran per tahun")


def _stored_with_old_budgets(parameters_ceiling: float | None, allocation_budget: float) -> str:
    """A scenario as older versions stored it: a ceiling and an allocation budget of their own; its id."""
    saved = store().save_scenario(name="Lama", body=scenario_body("add", {}), dataset_version_id=1,
                                  period="2024-10", author=editor("Ani"))
    body = saved.body.to_json()
    body["parameters"]["budget_ceiling_idr"] = parameters_ceiling  # type: ignore[index]
    body["allocation"] = {"budget": allocation_budget, "strategy": "proporsional", "target_pct": None}
    scenarios = sa.table("scenarios", sa.column("id"), sa.column("body", sa.JSON))
    with store().engine.begin() as connection:
        connection.execute(scenarios.update().where(scenarios.c.id == saved.id).values(body=body))
    return saved.id


def test_an_old_scenario_with_a_ceiling_and_another_allocation_budget_opens_with_the_ceiling():
    scenario_id = _stored_with_old_budgets(1_000_000_000, 2_000_000_000)
    at = run(new_app_with({"skenario": scenario_id}, SIM_PAGE))
    assert _budget_inputs(at) == ("Rp1.000.000.000", "Rp1.000.000.000")
    assert at.selectbox(key=WidgetKeys.ALLOC_STRATEGY).value == "proporsional"
    assert _budget_metric(at) == ("Sisa anggaran", "Rp1 miliar", "terpakai Rp0 dari Rp1 miliar")


def test_an_old_scenario_without_a_ceiling_takes_its_allocation_budget():
    scenario_id = _stored_with_old_budgets(None, 2_000_000_000)
    at = run(new_app_with({"skenario": scenario_id}, SIM_PAGE))
    assert _budget_inputs(at) == ("Rp2.000.000.000", "Rp2.000.000.000")
    assert _budget_metric(at) == ("Sisa anggaran", "Rp2 miliar", "terpakai Rp0 dari Rp2 miliar")
