"""Peta (map): the big choropleth with metric and classification controls and the region detail panel."""

import streamlit as st

from components.cache import page_indicators
from components.map_controls import render_map_controls
from components.map_panel import map_values, render_map
from components.page import render_page_header, setup_page
from components.region_detail import render_region_detail
from components.state import Keys, WidgetKeys
from components.viewport import narrow_content_width
from monev.mapping import MAP_WIDTH_PX

context = setup_page("nav.map")
render_page_header(context, "map.title")
indicators = page_indicators(context)
render_map_controls(context)
metric = st.session_state[Keys.METRIC]
# On a phone the map spans the page's content: framed for that width, it shows the whole province.
map_width = narrow_content_width() or MAP_WIDTH_PX

map_column, detail_column = st.columns([3, 2], gap="large")
with map_column:
    render_map(context, indicators, map_values(context, indicators, metric), metric=metric,
               method=st.session_state[Keys.CLASSIFICATION], widget_key=WidgetKeys.MAP, width_px=map_width)
with detail_column:
    if st.session_state[Keys.REGION]:
        render_region_detail(context, indicators, st.session_state[Keys.REGION])
    else:
        st.info(context.t("map.click_hint"), icon=":material/touch_app:")
