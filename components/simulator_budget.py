"""The simulator's money: cost parameters (cost per worker, months funded, province share, yearly budget) and the
budget allocation panel that proposes enrolments for that same yearly budget and loads them into the input table.

The yearly budget is one value, the cost parameters' ``budget_ceiling_idr``: both panels show it in an input of their
own, and typing in either puts it in the other."""

from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple

import pandas as pd
import streamlit as st

from components.caching import cached
from components.context import PageContext
from components.simulator_state import SimulationKey, apply_fill, cost_parameters, input_table, simulation_key
from components.state import Keys, WidgetKeys, seed
from monev import fmt, simulator_inputs
from monev.allocation import STRATEGIES, Allocation, allocate
from monev.simulation import CostParameters


def render_cost_parameters(context: PageContext) -> None:
    """Cost per worker, months funded, province share and the yearly budget, with the basis of the default."""
    t = context.t
    current = cost_parameters()
    seed(WidgetKeys.SIM_COST, int(current.cost_idr_per_month))
    seed(WidgetKeys.SIM_MONTHS, current.months_funded)
    seed(WidgetKeys.SIM_SHARE, round(current.province_share * 100))
    seed(WidgetKeys.SIM_CEILING, _budget_shown(current))
    cost_column, months_column, share_column, ceiling_column = st.columns(4)
    cost = cost_column.number_input(t("sim.cost_per_month"), min_value=0, step=100, key=WidgetKeys.SIM_COST,
                                    help=t("sim.cost_basis"))
    months = months_column.number_input(t("sim.months"), min_value=1, max_value=12, step=1,
                                        key=WidgetKeys.SIM_MONTHS)
    share = share_column.slider(t("sim.province_share"), min_value=0, max_value=100, step=5, format="%d%%",
                                key=WidgetKeys.SIM_SHARE, help=t("sim.province_share_help"))
    ceiling = ceiling_column.number_input(t("sim.ceiling"), min_value=0, step=100_000_000, key=WidgetKeys.SIM_CEILING,
                                          help=t("sim.ceiling_help"), on_change=_share_budget,
                                          args=(WidgetKeys.SIM_CEILING, WidgetKeys.ALLOC_BUDGET))
    st.caption(t("sim.cost_basis_line", cost=fmt.rupiah(cost, context.lang),
                 year=fmt.rupiah(cost * months, context.lang), months=months))
    st.session_state[Keys.SIM_PARAMETERS] = CostParameters(
        cost_idr_per_month=float(cost), months_funded=int(months), province_share=share / 100,
        budget_ceiling_idr=float(ceiling) if ceiling else None)


def render_allocation(context: PageContext, baseline: pd.DataFrame) -> None:
    """Propose enrolments for the yearly budget by one of the strategies, and load them into the table."""
    t = context.t
    budget_column, strategy_column, target_column = st.columns([2, 3, 1.5])
    remembered = st.session_state[Keys.SIM_ALLOCATION]
    seed(WidgetKeys.ALLOC_BUDGET, _budget_shown(cost_parameters()))
    seed(WidgetKeys.ALLOC_STRATEGY, remembered["strategy"])
    seed(WidgetKeys.ALLOC_TARGET, remembered["target_pct"] or round(context.national_rate * 100, 1))
    budget_column.number_input(t("alloc.budget"), min_value=0, step=100_000_000,
                               key=WidgetKeys.ALLOC_BUDGET, help=t("alloc.budget_help"),
                               on_change=_share_budget, args=(WidgetKeys.ALLOC_BUDGET, WidgetKeys.SIM_CEILING))
    strategy = strategy_column.selectbox(t("alloc.strategy"), options=STRATEGIES, key=WidgetKeys.ALLOC_STRATEGY,
                                         format_func=lambda name: t(f"alloc.strategy_{name}"))
    target_column.number_input(t("alloc.target"), min_value=0.0, max_value=100.0, step=0.5,
                               format="%.1f", key=WidgetKeys.ALLOC_TARGET, disabled=strategy != "target")
    st.session_state[Keys.SIM_ALLOCATION] = {"strategy": strategy,
                                             "target_pct": st.session_state[WidgetKeys.ALLOC_TARGET]}
    st.info(_proposal(context, baseline).explanation(context.lang), icon=":material/lightbulb:")
    st.button(t("alloc.load"), key=WidgetKeys.ALLOC_LOAD, type="primary", icon=":material/input:",
              on_click=_load_proposal, args=(context, baseline))


class AllocationKey(NamedTuple):
    """What a budget allocation depends on: the inputs (their caps) and cost parameters, as in ``SimulationKey``,
    and the budget, strategy and target typed in the allocation panel."""

    inputs: SimulationKey
    budget_idr_per_year: float
    strategy: str
    target_pct: float


def _proposal(context: PageContext, baseline: pd.DataFrame) -> Allocation:
    """The allocation for the yearly budget and the strategy and target in the widgets (read at call time), within
    caps."""
    table = input_table(baseline)
    key = AllocationKey(simulation_key(context, table), float(cost_parameters().budget_ceiling_idr or 0),
                        st.session_state[WidgetKeys.ALLOC_STRATEGY], st.session_state[WidgetKeys.ALLOC_TARGET])
    return _allocation(key, baseline=baseline, table=table)


@cached(shared=True)
def _allocation(key: AllocationKey, *, baseline: pd.DataFrame, table: pd.DataFrame) -> Allocation:
    return allocate(baseline, budget_idr_per_year=key.budget_idr_per_year, strategy=key.strategy,
                    parameters=key.inputs.parameters, target_rate=key.target_pct / 100,
                    caps=simulator_inputs.caps(table))


def _budget_shown(parameters: CostParameters) -> int:
    """The yearly budget as its inputs show it: 0 for none."""
    return int(parameters.budget_ceiling_idr or 0)


def _share_budget(typed_in: str, shown_in: str) -> None:
    """on_change of either budget input: the typed budget becomes the session's one budget and the other input's."""
    budget = st.session_state[typed_in]
    st.session_state[shown_in] = budget
    st.session_state[Keys.SIM_PARAMETERS] = replace(cost_parameters(),
                                                    budget_ceiling_idr=float(budget) if budget else None)


def _load_proposal(context: PageContext, baseline: pd.DataFrame) -> None:
    additions = {code: float(added) for code, added in _proposal(context, baseline).additions.items()}
    apply_fill(("additional", additions, "add"))
