"""Tren (trends): coverage over time, participants by segment, and target against actual, with a region filter."""

import streamlit as st

from components.cache import page_indicators, page_series
from components.page import render_page_header, setup_page
from components.trend_panels import render_region_filter, render_segments, render_target, render_trend

context = setup_page("nav.trends")
render_page_header(context, "trends.title")
indicators = page_indicators(context)
highlight = render_region_filter(context, indicators)
render_trend(context, *page_series(context), highlight)
segments_column, target_column = st.columns(2, gap="large")
with segments_column:
    render_segments(context, indicators, highlight)
with target_column:
    render_target(context, indicators, highlight)
