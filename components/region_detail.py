"""The panel of one region, opened by a click on the map or a ?wilayah= link."""

from __future__ import annotations

import math
from typing import NamedTuple

import altair as alt
import pandas as pd
import streamlit as st

from components.cache import ViewKey, page_series, view_key
from components.caching import cached
from components.context import PageContext
from components.downloads import render_chart, render_png_download, render_table_downloads
from components.state import Keys, WidgetKeys
from components.viewport import scroll_into_view_once
from monev import fmt, tables
from monev.charts import build_segment_chart, build_trend_chart
from monev.indicators import split_known


def _close() -> None:
    st.session_state[Keys.REGION] = None
    # The browser keeps the map's own selection, and would take the next click on the same region as
    # "unselect"; a fresh map widget starts with no selection.
    st.session_state[Keys.MAP_GENERATION] += 1


def render_region_detail(context: PageContext, indicators: pd.DataFrame, code: str) -> None:
    """Rank, coverage, gaps to national and target, pace needed, trend and segments of region ``code``."""
    lang, t = context.lang, context.t
    row = indicators.set_index("region_code").loc[code]
    region = context.registry.get(code)
    with st.container(border=True, key="region-detail"):
        title, close = st.columns([3, 1], vertical_alignment="center")
        title.subheader(region.official_name)
        close.button(t("detail.close"), key=WidgetKeys.CLOSE_DETAIL, on_click=_close, icon=":material/close:")
        st.caption(t("detail.caption", code=region.code, capital=region.capital,
                     period=fmt.month(context.period, lang)))
        rate, gap, target = st.columns(3)
        rate.metric(t("table.rate"), fmt.percent(row["rate"], lang),
                    delta=t("kpi.coverage_delta", delta=fmt.points(row["change_prev_month"], lang))
                    if pd.notna(row["change_prev_month"]) else None,
                    delta_description=t("map.rank_of", rank=int(row["rank"]), total=len(indicators)))
        gap.metric(t("table.gap_national"), fmt.points(row["gap_national"], lang),
                   delta_description=t("kpi.national", rate=fmt.percent(context.national_rate, lang)))
        target.metric(t("table.gap_target"), fmt.points(row["gap_target"], lang))
        st.caption(_pace_text(context, row))
        series, province = page_series(context)

        def build_trend() -> alt.LayerChart:
            return build_trend_chart(series[series["period"] <= context.period],
                                     province[province["period"] <= context.period],
                                     highlight=[code], national_rate=context.national_rate, lang=lang)

        def build_segments() -> alt.Chart:
            return build_segment_chart(indicators[indicators["region_code"] == code], lang)

        # The same keys as the trends page's charts of this one region: the specs are shared.
        render_chart(build_trend, chart_key=("trend", *view_key(context), (code,)))
        split = bool(split_known(indicators[indicators["region_code"] == code]).all())
        if split:
            render_chart(build_segments, chart_key=("segments", *view_key(context), (code,)))
        else:
            st.info(t("chart.segments_unavailable"), icon=":material/info:")
        trend_png, segments_png = st.columns(2)
        with trend_png:
            render_png_download(context, build_trend, kind_key="trend", key="download.region_trend_png")
        if split:
            with segments_png:
                render_png_download(context, build_segments, kind_key="segments",
                                    key="download.region_segments_png")
        render_table_downloads(context, _region_table(RegionKey(view_key(context), code), series=series),
                               key="download.region")
    # On a phone the panel opens below the map, out of sight: a new choice brings it into view (a rerun does not).
    scroll_into_view_once(".st-key-region-detail", token=f"{code}.{st.session_state[Keys.MAP_GENERATION]}")


class RegionKey(NamedTuple):
    """One region of the page's view."""

    view: ViewKey
    code: str


@cached(shared=False)
def _region_table(key: RegionKey, *, series: pd.DataFrame) -> tables.ExportTable:
    """The region month by month up to the view's period, from the region series of its data."""
    view = key.view
    return tables.region_detail_table(series[series["period"] <= view.period], key.code,
                                      national_rate=view.national_rate, lang=view.lang)


def _pace_text(context: PageContext, row: pd.Series) -> str:
    lang, t = context.lang, context.t
    if pd.isna(row["target_rate"]):
        return t("detail.no_target")
    if pd.isna(row["required_monthly_participants"]):
        return t("detail.year_over")
    if row["required_monthly_participants"] <= 0:
        return t("detail.target_met", target=fmt.percent(row["target_rate"], lang))
    return fmt.counted("detail.pace_needed", math.ceil(row["required_monthly_participants"]), lang,
             target=fmt.percent(row["target_rate"], lang))
