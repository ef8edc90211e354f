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
from components.number_text_input import render_number_text
from components.simulator_state import SimulationKey, apply_fill, cost_parameters, input_table, simulation_key
from components.state import Keys, WidgetKeys, seed
from monev import fmt, simulator_inputs
from monev.allocation import STRATEGIES, Allocation, allocate


def render_cost_parameters(context: PageContext) -> None:
    """Cost per worker, months funded, province share and the yearly budget, with the basis of the default."""
    t = context.t
    current = cost_parameters()
    cost_column, months_column, share_column, ceiling_column = st.columns(4)
    with cost_column:
        render_number_text(t("sim.cost_per_month"), key=WidgetKeys.SIM_COST, value=current.cost_idr_per_month,
                           kind="rupiah", lang=context.lang, help=t("sim.cost_basis"), on_value=_put_cost)
    with months_column:
        render_number_text(t("sim.months"), key=WidgetKeys.SIM_MONTHS, value=current.months_funded, kind="months",
                           lang=context.lang, on_value=_put_months)
    seed(WidgetKeys.SIM_SHARE, round(current.province_share * 100))
    share_column.slider(t("sim.province_share"), min_value=0, max_value=100, step=5, format="%d%%",
                        key=WidgetKeys.SIM_SHARE, help=t("sim.province_share_help"), on_change=_put_share)
    with ceiling_column:
        _render_budget(context, WidgetKeys.SIM_CEILING, t("sim.ceiling"), t("sim.ceiling_help"))
    st.caption(t("sim.cost_basis_line", cost=fmt.rupiah(current.cost_idr_per_month, context.lang),
                 year=fmt.rupiah(current.cost_idr_per_month * current.months_funded, context.lang),
                 months=current.months_funded))


def _render_budget(context: PageContext, key: str, label: str, help_text: str) -> None:
    """One of the two inputs of the session's one yearly budget (empty: none)."""
    render_number_text(label, key=key, value=cost_parameters().budget_ceiling_idr, kind="rupiah", lang=context.lang,
                       help=help_text, blank_allowed=True, on_value=_put_budget)


def _put_cost(cost: float | None) -> None:
    st.session_state[Keys.SIM_PARAMETERS] = replace(cost_parameters(), cost_idr_per_month=float(cost or 0))


def _put_months(months: float | None) -> None:
    st.session_state[Keys.SIM_PARAMETERS] = replace(cost_parameters(), months_funded=int(months or 1))


def _put_share() -> None:
    st.session_state[Keys.SIM_PARAMETERS] = replace(cost_parameters(),
                                                    province_share=st.session_state[WidgetKeys.SIM_SHARE] / 100)


def _put_budget(budget: float | None) -> None:
    """on_value of either budget input: the typed budget becomes the session's one budget (0 or empty: none); the
    other input shows it on the next run."""
    st.session_state[Keys.SIM_PARAMETERS] = replace(cost_parameters(), budget_ceiling_idr=budget or None)


def render_allocation(context: PageContext, baseline: pd.DataFrame) -> None:
    """Propose enrolments for the yearly budget by one of the strategies, and load them into the table."""
    t = context.t
    budget_column, strategy_column, target_column = st.columns([2, 3, 1.5])
    seed(WidgetKeys.ALLOC_STRATEGY, st.session_state[Keys.SIM_ALLOCATION]["strategy"])
    with budget_column:
        _render_budget(context, WidgetKeys.ALLOC_BUDGET, t("alloc.budget"), t("alloc.budget_help"))
    strategy = strategy_column.selectbox(t("alloc.strategy"), options=STRATEGIES, key=WidgetKeys.ALLOC_STRATEGY,
                                         format_func=lambda name: t(f"alloc.strategy_{name}"))
    target_pct = _allocation_target_pct(context)
    st.session_state[Keys.SIM_ALLOCATION] = {"strategy": strategy, "target_pct": target_pct}
    with target_column:
        render_number_text(t("alloc.target"), key=WidgetKeys.ALLOC_TARGET, value=target_pct, kind="percent",
                           lang=context.lang, disabled=strategy != "target", on_value=_put_allocation_target)
    st.info(_proposal(context, baseline).explanation(context.lang), icon=":material/lightbulb:")
    st.button(t("alloc.load"), key=WidgetKeys.ALLOC_LOAD, type="primary", icon=":material/input:",
              on_click=_load_proposal, args=(context, baseline))


def _allocation_target_pct(context: PageContext) -> float:
    """The allocation's target in percent: the one typed, else the national average."""
    return st.session_state[Keys.SIM_ALLOCATION]["target_pct"] or round(context.national_rate * 100, 1)


def _put_allocation_target(target_pct: float | None) -> None:
    st.session_state[Keys.SIM_ALLOCATION] = {**st.session_state[Keys.SIM_ALLOCATION], "target_pct": target_pct}


class AllocationKey(NamedTuple):
    """What a budget allocation depends on: the inputs (their caps) and cost parameters, as in ``SimulationKey``,
    and the budget, strategy and target typed in the allocation panel."""

    inputs: SimulationKey
    budget_idr_per_year: float
    strategy: str
    target_pct: float


def _proposal(context: PageContext, baseline: pd.DataFrame) -> Allocation:
    """The allocation for the yearly budget, the strategy in its widget and the target (read at call time), within
    caps."""
    table = input_table(baseline)
    key = AllocationKey(simulation_key(context, table), float(cost_parameters().budget_ceiling_idr or 0),
                        st.session_state[WidgetKeys.ALLOC_STRATEGY], _allocation_target_pct(context))
    return _allocation(key, baseline=baseline, table=table)


@cached(shared=True)
def _allocation(key: AllocationKey, *, baseline: pd.DataFrame, table: pd.DataFrame) -> Allocation:
    return allocate(baseline, budget_idr_per_year=key.budget_idr_per_year, strategy=key.strategy,
                    parameters=key.inputs.parameters, target_rate=key.target_pct / 100,
                    caps=simulator_inputs.caps(table))


def _load_proposal(context: PageContext, baseline: pd.DataFrame) -> None:
    additions = {code: float(added) for code, added in _proposal(context, baseline).additions.items()}
    apply_fill(("additional", additions, "add"))
