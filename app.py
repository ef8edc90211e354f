"""Overview (Ringkasan): provincial KPIs against the national average, the map and the regional ranking."""

import streamlit as st

from components.cache import page_indicators, page_summary
from components.chosen_scenarios import chosen_scenarios
from components.downloads import render_meeting_pack
from components.live_updates import follow_changes
from components.map_panel import map_values, render_map
from components.overview import render_kpis, render_ranking_chart, render_ranking_table
from components.page import render_page_header, setup_page
from components.region_detail import render_region_detail
from components.scenario_comparison import shown_scenarios
from components.state import Keys, WidgetKeys
from components.viewport import narrow_content_width
from monev.mapping import MAP_WIDTH_PX

OVERVIEW_MAP_HEIGHT_PX = 470  # KPIs, map, legend and ranking fit one 1920×1080 projector screen

context = setup_page("nav.overview")
render_page_header(context, "overview.title")

summary = page_summary(context)
indicators = page_indicators(context)
metric = st.session_state[Keys.METRIC]

follow_changes()  # the overview, like the projector, follows uploads and activations made elsewhere
render_kpis(context, summary)
map_width = narrow_content_width() or MAP_WIDTH_PX  # on a phone the columns stack: framed for the content's width
map_column, ranking_column = st.columns([1, 1], gap="large")
with map_column:
    st.subheader(context.t("overview.map_title"))
    render_map(context, indicators, map_values(context, indicators, metric), metric=metric,
               method=st.session_state[Keys.CLASSIFICATION], widget_key=WidgetKeys.OVERVIEW_MAP,
               height_px=OVERVIEW_MAP_HEIGHT_PX, width_px=map_width)
with ranking_column:
    st.subheader(context.t("overview.ranking_title"))
    st.caption(context.t("overview.ranking_caption"))
    render_ranking_chart(context, indicators, summary)
if st.session_state[Keys.REGION]:
    render_region_detail(context, indicators, st.session_state[Keys.REGION])
with st.expander(context.t("overview.table_title")):
    render_ranking_table(context, indicators)
with st.expander(context.t("pack.expander"), icon=":material/slideshow:"):
    st.caption(context.t("pack.explain"))
    render_meeting_pack(context, lambda: shown_scenarios(context, chosen_scenarios()))
