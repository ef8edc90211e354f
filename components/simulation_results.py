"""What the simulator shows: headline numbers, the summary paragraph, the maps, the dumbbell, the tables."""

from __future__ import annotations

import math
from typing import NamedTuple

import altair as alt
import pandas as pd
import streamlit as st

from components.cache import ViewKey, frame_digest, view_key
from components.caching import cached
from components.context import PageContext
from components.downloads import render_chart, render_png_download, render_table_downloads
from components.map_panel import render_map
from components.state import Keys, WidgetKeys, persist_choice
from components.viewport import narrow_content_width
from monev import fmt, i18n, mapping, tables
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
                     delta_description=fmt.counted("sim.kpi_added", result.participants_added, lang),
                     border=True)
    left = result.budget_left_idr
    if math.isnan(left):
        budget.metric(t("sim.kpi_budget"), fmt.MISSING, delta_description=t("sim.kpi_no_ceiling"), border=True)
    else:
        budget.metric(t("sim.kpi_budget_left") if left >= 0 else t("sim.kpi_budget_over"),
                      fmt.rupiah(abs(left), lang), border=True,
                      delta_description=t("sim.kpi_budget_used", used=fmt.rupiah(result.cost_idr_per_year, lang),
                                          amount=fmt.rupiah(result.parameters.budget_ceiling_idr, lang)))


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
    # On a phone the two maps stack and each spans the content: framed for its width, each shows the whole province.
    width = narrow_content_width() or mapping.MAP_WIDTH_PX
    if view == "both":
        left, right = st.columns(2)
        with left:
            st.markdown(f"**{t('sim.map_today')}**")
            render_map(context, indicators, today, metric="coverage", method=method,
                       widget_key=WidgetKeys.SIM_MAP_TODAY, height_px=SIM_MAP_HEIGHT_PX, width_px=width)
        with right:
            st.markdown(f"**{t('sim.map_projected')}**")
            render_map(context, indicators, projected, metric="projected", method=method,
                       widget_key=WidgetKeys.SIM_MAP, height_px=SIM_MAP_HEIGHT_PX, width_px=width)
    elif view == "today":
        render_map(context, indicators, today, metric="coverage", method=method,
                   widget_key=WidgetKeys.SIM_MAP_TODAY, height_px=SIM_MAP_HEIGHT_PX, width_px=width)
    else:
        render_map(context, indicators, projected, metric="projected", method=method,
                   widget_key=WidgetKeys.SIM_MAP, height_px=SIM_MAP_HEIGHT_PX, width_px=width)


def render_dumbbell(context: PageContext, result: SimulationResult) -> None:
    def build() -> alt.LayerChart:
        return build_dumbbell_chart(result.regions, national_rate=result.national_rate, lang=context.lang)

    render_chart(build, chart_key=("dumbbell", frame_digest(result.regions), result.national_rate, context.lang))
    render_png_download(context, build, kind_key="dumbbell", key="download.dumbbell_png")


class ResultsKey(NamedTuple):
    """What the results table shows: the ``frame_digest`` of a simulation's regions, and the language."""

    regions_digest: str
    lang: str


@cached(shared=False)
def _results_tables(key: ResultsKey, *, result: SimulationResult) -> tuple[pd.DataFrame, tables.ExportTable]:
    """(the table shown, the table downloaded) of a simulation: one table, written for the screen."""
    table = tables.simulation_table(result, lang=key.lang)
    return tables.shown(table, key.lang), table


def render_results_table(context: PageContext, result: SimulationResult) -> None:
    """The simulation per region, and its downloads."""
    shown, download = _results_tables(ResultsKey(frame_digest(result.regions), context.lang), result=result)
    st.dataframe(shown, hide_index=True, width="stretch")
    render_table_downloads(context, download, key="download.simulation")


class PaceKey(NamedTuple):
    """What the time-to-target table shows: the page's view and the targets measured against, by region code."""

    view: ViewKey
    targets: tuple[tuple[str, float], ...]


@cached(shared=False)
def _time_to_target_table(key: PaceKey, *, data: CoverageData, baseline: pd.DataFrame) -> pd.DataFrame:
    """The time-to-target table as shown, for the view's data, whose indicators are ``baseline``. Empty when no
    region has a target."""
    lang = key.view.lang

    def t(text_key: str) -> str:
        return i18n.t(text_key, lang)

    table = time_to_target(data, key.view.period, dict(key.targets), baseline)
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
    table = _time_to_target_table(PaceKey(view_key(context), tuple(targets.items())), data=context.data,
                                  baseline=baseline)
    if table.empty:
        st.info(context.t("sim.ttt_none"), icon=":material/flag:")
        return
    st.dataframe(table, hide_index=True, width="stretch")
