"""Kelompok sasaran (target groups of Inpres 2/2021): the region × group matrix, the province's totals with what
protecting the rest costs, and a region's groups."""

import streamlit as st

from components.group_panels import (
    group_period,
    render_group_matrix,
    render_group_needs,
    render_region_choice,
    render_region_groups,
)
from components.group_source import active_group_data
from components.page import render_page_header, setup_page
from monev.group_indicators import group_matrix
from monev.target_groups import load_target_groups

context = setup_page("nav.groups")
render_page_header(context, "groups.page_title")
data = active_group_data()
if data is None:
    st.info(context.t("groups.no_data"), icon=":material/groups:")
    st.stop()
if data.is_demo:
    st.caption(context.t("groups.demo"))
groups = load_target_groups()
matrix = group_matrix(data, group_period(context, data), context.registry, groups)
render_group_matrix(context, matrix, groups)
region = render_region_choice(context, matrix)
if region:
    render_region_groups(context, data, matrix, groups, region)
render_group_needs(context, data, matrix, groups)
