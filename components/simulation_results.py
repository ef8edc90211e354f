"""What the simulator shows: headline numbers, the summary paragraph, the maps, the dumbbell, the tables."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd
import streamlit as st

from components.cache import ViewKey, frame_digest, view_key
from components.context import PageContext
from components.downloads import render_chart, render_png_download, render_table_downloads
from components.map_panel import render_map
from components.state import Keys, WidgetKeys, persist_choice
from monev import fmt, i18n, tables
from monev.charts import build_dumbbell_chart
from monev.dataset import CoverageData
from monev.simulation import SimulationResult, time_to_target

MAP_VIEWS = ("projected", "today", "both")
SIM_MAP_HEIGHT_PX = 460


def render_headline(context: PageContext, result: SimulationResult) -> None:
    t, lang = context.t, context.lang
    coverage, regions, cost, per_point, budget = st.columns(5)
    coverage.metric(t("sim.kpi_coverage"), fmt.percent(result.rate_after, lang),
                    delta=fmt.points(result.change_points, lang) if result.participants_added else None,
                    delta_description=t("sim.kpi_coverage_from", rate=fmt.percent(result.rate_before, lang)),
                    border=True)
    regions.metric(t("kpi.regions_at_national"),
                   t("kpi.regions_value", count=result.regions_at_national_after, total=result.region_count),
                   delta_description=t("sim.kpi_regions_from", count=result.regions_at_national_before),
                   border=True)
    cost.metric(t("sim.kpi_cost_year"), fmt.rupiah(result.cost_idr_per_year, lang),
                delta_description=t("sim.kpi_cost_month", amount=fmt.rupiah(result.cost_idr_per_month, lang)),
                border=True)
    per_point.metric(t("sim.kpi_cost_point"), fmt.rupiah(result.cost_idr_per_point, lang),
                     delta_description=t("sim.kpi_added", count=fmt.number(result.participants_added, lang)),
                     border=True)
    left = result.budget_left_idr
    if math.isnan(left):
        budget.metric(t("sim.kpi_budget"), fmt.MISSING, delta_description=t("sim.kpi_no_ceiling"), border=True)
    else:
        budget.metric(t("sim.kpi_budget_left") if left >= 0 else t("sim.kpi_budget_over"),
                      fmt.rupiah(abs(left), lang), border=True,
                      delta_description=t("sim.kpi_budget_of", amount=fmt.rupiah(
                          result.parameters.budget_ceiling_idr, lang)))


def render_maps(context: PageContext, indicators: pd.DataFrame, result: SimulationResult) -> None:
    """The map recoloured by projected coverage, today's map, or both side by side."""
    t = context.t
    st.session_state[WidgetKeys.SIM_MAP_VIEW] = st.session_state[Keys.SIM_MAP_VIEW]
    st.segmented_control(t("sim.map_view"), options=MAP_VIEWS, format_func=lambda view: t(f"sim.map_{view}"),
                         key=WidgetKeys.SIM_MAP_VIEW, on_change=persist_choice,
                         args=(WidgetKeys.SIM_MAP_VIEW, Keys.SIM_MAP_VIEW, MAP_VIEWS))
    view = st.session_state[Keys.SIM_MAP_VIEW]
    projected = result.regions.set_index("region_code")["rate_after"]
    today = indicators.set_index("region_code")["rate"]
    method = st.session_state[Keys.CLASSIFICATION]
    if view == "both":
        left, right = st.columns(2)
        with left:
            st.markdown(f"**{t('sim.map_today')}**")
            render_map(context, indicators, today, metric="coverage", method=method,
                       widget_key=WidgetKeys.SIM_MAP_TODAY, height_px=SIM_MAP_HEIGHT_PX)
        with right:
            st.markdown(f"**{t('sim.map_projected')}**")
            render_map(context, indicators, projected, metric="projected", method=method,
                       widget_key=WidgetKeys.SIM_MAP, height_px=SIM_MAP_HEIGHT_PX)
    elif view == "today":
        render_map(context, indicators, today, metric="coverage", method=method,
                   widget_key=WidgetKeys.SIM_MAP_TODAY, height_px=SIM_MAP_HEIGHT_PX)
    else:
        render_map(context, indicators, projected, metric="projected", method=method,
                   widget_key=WidgetKeys.SIM_MAP, height_px=SIM_MAP_HEIGHT_PX)


def render_dumbbell(context: PageContext, result: SimulationResult) -> None:
    def build() -> alt.LayerChart:
        return build_dumbbell_chart(result.regions, national_rate=result.national_rate, lang=context.lang)

    render_chart(build, chart_key=("dumbbell", frame_digest(result.regions), result.national_rate, context.lang))
    render_png_download(context, build, kind_key="dumbbell", key="download.dumbbell_png")


def results_table(regions: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Per region (``SimulationResult.regions``), every number of the simulation in the user's format."""
    def t(key: str) -> str:
        return i18n.t(key, lang)

    regions = regions.sort_values("rate_after", ascending=False)
    return pd.DataFrame({
        t("table.region"): regions["region_name"],
        t("sim.before"): [fmt.percent(v, lang) for v in regions["rate"]],
        t("sim.after"): [fmt.percent(v, lang) for v in regions["rate_after"]],
        t("sim.change"): [fmt.points(v, lang) for v in regions["change_points"]],
        t("sim.col_additional"): [fmt.number(v, lang) for v in regions["additional"]],
        t("sim.col_segment"): [t(f"segment.short.{s}") for s in regions["segment"]],
        t("sim.cost_month_col"): [fmt.rupiah(v, lang) for v in regions["cost_idr_per_month"]],
        t("sim.cost_year_col"): [fmt.rupiah(v, lang) for v in regions["cost_idr_per_year"]],
        t("sim.cost_province_col"): [fmt.rupiah(v, lang) for v in regions["cost_province_idr_per_year"]],
        t("sim.cost_region_col"): [fmt.rupiah(v, lang) for v in regions["cost_region_idr_per_year"]],
        t("sim.national_after"): [t("data.yes") if v else t("data.no") for v in regions["at_national_after"]],
    })


@st.cache_data(show_spinner=False, max_entries=64, ttl="1h")
def _results_tables(regions_digest: str, lang: str,
                    _result: SimulationResult) -> tuple[pd.DataFrame, tables.ExportTable]:
    """(the table shown, the table downloaded) of a simulation; ``regions_digest`` is the ``frame_digest`` of its
    ``regions``, all that both tables show."""
    return results_table(_result.regions, lang), tables.simulation_table(_result, lang=lang)


def render_results_table(context: PageContext, result: SimulationResult) -> None:
    shown, download = _results_tables(frame_digest(result.regions), context.lang, _result=result)
    st.dataframe(shown, hide_index=True, width="stretch")
    render_table_downloads(context, download, key="download.simulation")


@st.cache_data(show_spinner=False, max_entries=64, ttl="1h")
def _time_to_target_table(view: ViewKey, targets: dict[str, float], _data: CoverageData,
                          _baseline: pd.DataFrame) -> pd.DataFrame:
    """The time-to-target table as shown, for the ``view``'s data (``_data``), whose indicators are ``_baseline``
    (``baseline_for``). Empty when no region has a target."""
    lang = view.lang

    def t(key: str) -> str:
        return i18n.t(key, lang)

    table = time_to_target(_data, view.period, targets, _baseline)
    return pd.DataFrame({
        t("table.region"): table["region_name"],
        t("table.target"): [fmt.percent(v, lang) for v in table["target_rate"]],
        t("sim.ttt_needed"): [fmt.number(v, lang) for v in table["needed"]],
        t("sim.ttt_pace"): [fmt.number(v, lang) if not math.isnan(v) else fmt.MISSING
                            for v in table["pace_per_month"]],
        # Never reached is None, which pandas turns into NaN when no region reaches its target.
        t("sim.ttt_reached"): [fmt.month(p, lang) if isinstance(p, str) else t("sim.ttt_never")
                               for p in table["reached_period"]],
        t("sim.ttt_status"): [t("sim.ttt_on_track") if ok else t("sim.ttt_at_risk") for ok in table["on_track"]],
    })


def render_time_to_target(context: PageContext, baseline: pd.DataFrame, targets: dict[str, float]) -> None:
    """When each region reaches its target at its current pace, and whether that is by December."""
    table = _time_to_target_table(view_key(context), targets, _data=context.data, _baseline=baseline)
    if table.empty:
        st.info(context.t("sim.ttt_none"), icon=":material/flag:")
        return
    st.dataframe(table, hide_index=True, width="stretch")
