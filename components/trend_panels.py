"""Panels of the trends page: the region filter, coverage over time, segments, target against actual."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from components.cache import view_key
from components.context import PageContext
from components.downloads import render_chart, render_png_download
from components.state import Keys, WidgetKeys, persist
from monev.charts import build_segment_chart, build_target_chart, build_trend_chart
from monev.indicators import split_known


def render_region_filter(context: PageContext, indicators: pd.DataFrame) -> list[str]:
    """Regions to focus on (none = all); opens with the region selected on the map, if any."""
    if st.session_state[Keys.TREND_REGIONS] is None:
        selected = st.session_state[Keys.REGION]
        st.session_state[Keys.TREND_REGIONS] = [selected] if selected else []
    names = dict(zip(indicators["region_code"], indicators["region_name"]))
    st.session_state[WidgetKeys.TREND_REGIONS] = [c for c in st.session_state[Keys.TREND_REGIONS] if c in names]
    st.multiselect(
        context.t("trends.filter"), options=list(context.registry.codes), key=WidgetKeys.TREND_REGIONS,
        format_func=lambda code: names.get(code, code), placeholder=context.t("trends.filter_placeholder"),
        on_change=persist, args=(WidgetKeys.TREND_REGIONS, Keys.TREND_REGIONS),
    )
    return list(st.session_state[Keys.TREND_REGIONS])


def _focus(indicators: pd.DataFrame, highlight: list[str]) -> pd.DataFrame:
    return indicators[indicators["region_code"].isin(highlight)] if highlight else indicators


def render_trend(context: PageContext, series: pd.DataFrame, province: pd.DataFrame, highlight: list[str]) -> None:
    """Coverage over time up to the page's period; ``series`` and ``province`` are those of the page's data."""
    st.subheader(context.t("trends.trend_title"))
    st.caption(context.t("trends.trend_caption"))

    def build() -> alt.LayerChart:
        return build_trend_chart(series[series["period"] <= context.period],
                                 province[province["period"] <= context.period],
                                 highlight=highlight, national_rate=context.national_rate, lang=context.lang)

    render_chart(build, chart_key=("trend", *view_key(context), tuple(highlight)))
    render_png_download(context, build, kind_key="trend", key="download.trend_png")


def render_segments(context: PageContext, indicators: pd.DataFrame, highlight: list[str]) -> None:
    """Participants by segment; ``indicators`` are those of the page's data, period and national average."""
    st.subheader(context.t("trends.segments_title"))
    focus = _focus(indicators, highlight)
    if not split_known(focus).any():
        # A file with only the total of participants: no zeros that would pass for a split.
        st.info(context.t("chart.segments_unavailable"), icon=":material/info:")
        return

    def build() -> alt.Chart:
        return build_segment_chart(focus, context.lang)

    render_chart(build, chart_key=("segments", *view_key(context), tuple(highlight)))
    render_png_download(context, build, kind_key="segments", key="download.segments_png")


def render_target(context: PageContext, indicators: pd.DataFrame, highlight: list[str]) -> None:
    """Coverage against target; ``indicators`` are those of the page's data, period and national average."""
    st.subheader(context.t("trends.target_title"))
    focus = _focus(indicators, highlight)
    if focus["target_rate"].isna().all():
        st.info(context.t("trends.no_target"), icon=":material/flag:")
        return
    st.caption(context.t("trends.target_caption"))

    def build() -> alt.LayerChart:
        return build_target_chart(focus.dropna(subset=["target_rate"]), national_rate=context.national_rate,
                                  lang=context.lang)

    render_chart(build, chart_key=("target", *view_key(context), tuple(highlight)))
    render_png_download(context, build, kind_key="target", key="download.target_png")

