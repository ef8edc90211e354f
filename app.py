"""Overview (Ringkasan): provincial KPIs against the national average and the regional ranking."""

import streamlit as st

from components.cache import cached_province_summary, cached_region_indicators
from components.overview import render_kpis, render_ranking_chart, render_ranking_table
from components.page import render_page_header, setup_page

context = setup_page("nav.overview")
render_page_header(context, "overview.title")
if context.data.is_demo:
    st.info(context.t("app.demo_notice"), icon=":material/info:")

data, period, national_rate = context.data, context.period, context.national_rate
summary = cached_province_summary(data.checksum, period, national_rate, _data=data)
indicators = cached_region_indicators(data.checksum, period, national_rate, _data=data)

render_kpis(context, summary)
chart_column, table_column = st.columns([3, 2], gap="large")
with chart_column:
    st.subheader(context.t("overview.ranking_title"))
    st.caption(context.t("overview.ranking_caption"))
    render_ranking_chart(context, indicators, summary)
with table_column:
    st.subheader(context.t("overview.table_title"))
    render_ranking_table(context, indicators)
