"""Panels of the overview: headline KPI cards and the regional ranking (chart and table)."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd
import streamlit as st

from components.cache import ViewKey, view_key
from components.caching import cached
from components.context import PageContext
from components.downloads import render_chart, render_png_download, render_table_downloads
from monev import fmt, tables
from monev.charts import build_ranking_chart
from monev.indicators import ProvinceSummary, participants_needed
from monev.tables import ranking_table


def render_kpis(context: PageContext, summary: ProvinceSummary) -> None:
    """Four cards: provincial coverage vs national, participants, regions at/above national, gap to national."""
    lang, t = context.lang, context.t
    has_previous = not math.isnan(summary.change_prev_month)
    coverage, participants, regions, gap = st.columns(4)
    coverage.metric(
        t("kpi.coverage"), fmt.percent(summary.rate, lang),
        delta=t("kpi.coverage_delta", delta=fmt.points(summary.change_prev_month, lang)) if has_previous else None,
        delta_description=t("kpi.national", rate=fmt.percent(summary.national_rate, lang)),
        help=t("kpi.coverage_help"), border=True,
    )
    participants.metric(
        t("kpi.participants"), fmt.number(summary.participants, lang),
        delta=t("kpi.participants_delta", delta=_signed_number(summary.participants_change_prev_month, lang))
        if has_previous else None,
        delta_description=None if has_previous else t("kpi.no_previous"), border=True,
    )
    regions.metric(
        t("kpi.regions_at_national"),
        t("kpi.regions_value", count=summary.regions_at_or_above_national, total=summary.region_count),
        delta_description=t("kpi.national", rate=fmt.percent(summary.national_rate, lang)), border=True,
    )
    needed = participants_needed(summary.national_rate, summary.potential_workers, summary.participants)
    gap.metric(
        t("kpi.gap"), fmt.points(summary.gap_national, lang),
        delta_description=(fmt.counted("kpi.gap_needed", needed, lang,
                             rate=fmt.percent(summary.national_rate, lang))
                           if needed else t("kpi.gap_reached", rate=fmt.percent(summary.national_rate, lang))),
        border=True,
    )


def _signed_number(value: float, lang: str) -> str:
    return ("+" if value >= 0 else "-") + fmt.number(abs(value), lang)


def render_ranking_chart(context: PageContext, indicators: pd.DataFrame, summary: ProvinceSummary, *,
                         downloadable: bool = True) -> None:
    """Coverage per region with the reference lines; ``indicators`` and ``summary`` are those of the page's data,
    period and national average."""
    def build() -> alt.LayerChart:
        return build_ranking_chart(indicators, national_rate=summary.national_rate, province_rate=summary.rate,
                                   target_rate=summary.target_rate, lang=context.lang)

    render_chart(build, chart_key=("ranking", *view_key(context)))
    if downloadable:
        render_png_download(context, build, kind_key="ranking", key="download.ranking_png")


@cached(shared=False)
def _ranking_tables(view: ViewKey, *, indicators: pd.DataFrame) -> tuple[pd.DataFrame, tables.ExportTable]:
    """(the table shown, the table downloaded) of ``indicators``, those of the ``view``: one table, written for the
    screen."""
    table = ranking_table(indicators, lang=view.lang)
    return tables.shown(table, view.lang), table


def render_ranking_table(context: PageContext, indicators: pd.DataFrame) -> None:
    """The ranking table and its downloads; ``indicators`` are those of the page's data, period and national
    average."""
    shown, download = _ranking_tables(view_key(context), indicators=indicators)
    st.dataframe(shown, hide_index=True, width="stretch")
    render_table_downloads(context, download, key="download.ranking")
