"""Simulasi: what-if enrolment targets per region, their cost to the regional budget, and budget allocation."""

import streamlit as st

from components.page import render_page_header, setup_page
from components.scenario_bar import render_scenario_bar
from components.simulation_results import (
    render_dumbbell,
    render_headline,
    render_maps,
    render_results_table,
    render_time_to_target,
)
from components.simulator_budget import render_allocation, render_cost_parameters
from components.simulator_state import baseline_for, current_simulation, targets_for_pace
from components.simulator_table import render_input_problems, render_input_table, render_mode_and_bulk
from monev.simulation import summary_text

context = setup_page("nav.simulation")
render_page_header(context, "sim.title")
baseline = baseline_for(context)
with st.container(border=True):
    render_scenario_bar(context)
with st.expander(context.t("sim.cost_title"), icon=":material/payments:"):
    render_cost_parameters(context)
result = current_simulation(context, baseline)

render_headline(context, result)
st.success(summary_text(result, context.lang), icon=":material/summarize:")
inputs_column, results_column = st.columns([1.15, 1], gap="large")
# The results column is filled first: the browser gets the repainted map before the inputs it already shows.
with results_column:
    st.subheader(context.t("sim.map_title"))
    render_maps(context, baseline, result)
    st.subheader(context.t("sim.dumbbell_title"))
    render_dumbbell(context, result)
with inputs_column:
    st.subheader(context.t("sim.inputs_title"))
    render_mode_and_bulk(context, baseline)
    with st.expander(context.t("alloc.title"), icon=":material/account_balance:"):
        render_allocation(context, baseline)
    render_input_table(context, baseline, result)
    render_input_problems(context, baseline)
table_tab, pace_tab = st.tabs([context.t("sim.results_tab"), context.t("sim.ttt_tab")])
with table_tab:
    render_results_table(context, result)
with pace_tab:
    render_time_to_target(context, baseline, targets_for_pace(baseline))
