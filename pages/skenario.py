"""Skenario: saved scenarios — open, duplicate, rename, delete — and 2–4 of them compared side by side."""

import streamlit as st

from components.data_source import run_on_store
from components.page import render_page_header, setup_page
from components.scenario_comparison import render_comparison, render_scenario_figures
from components.scenario_list import render_scenario_actions, scenario_table
from components.scenario_session import render_notice
from monev.store import StoreUnavailable

context = setup_page("nav.scenarios")
render_page_header(context, "scenario.title")
render_notice()
try:
    scenarios = run_on_store(lambda store: store.scenarios())
except StoreUnavailable:
    scenarios = None
    st.error(context.t("store.unavailable_list"), icon=":material/cloud_off:")
if scenarios == []:
    st.info(context.t("scenario.none_yet"), icon=":material/bookmark:")
elif scenarios:
    st.dataframe(scenario_table(context, scenarios), hide_index=True, width="stretch")
    render_scenario_actions(context, scenarios, render_scenario_figures)
    st.subheader(context.t("scenario.compare_title"))
    render_comparison(context, scenarios)
