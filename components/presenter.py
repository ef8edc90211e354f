"""The projector view: large slides built from the live data, next/previous (also the arrow keys and a clicker's
PageUp/PageDown), auto-advance, and a live indicator that follows changes made in other sessions
(``components.live_updates``).
"""

from __future__ import annotations

import html
import math
import time

import pandas as pd
import streamlit as st

from components.cache import frame_digest, page_indicators, page_series, page_summary, view_key
from components.chosen_scenarios import chosen_scenarios
from components.context import PageContext
from components.downloads import data_origin, render_chart
from components.live_updates import follow_changes
from components.map_panel import render_map
from components.overview import render_kpis, render_ranking_chart
from components.scenario_comparison import scenario_basis, scenario_results
from components.state import Keys, WidgetKeys
from components.text import escape_markdown
from components.url_state import render_url_notice
from monev import fmt
from monev.charts import build_dumbbell_chart, build_trend_chart
from monev.focus import FOCUS_COUNT, focus_rows
from monev.sentences import highest_and_lowest, kpi_line, source_lines
from monev.simulation import CostParameters

SLIDES = ("kpi", "map", "ranking", "trend", "focus", "scenarios", "sources")
AUTOPLAY_CHOICES = (10, 20, 30, 60)
_TIMER_SLACK_S = 0.5  # a timer may fire a little early
SLIDE_MAP_HEIGHT_PX = 420  # with header, title, legend and controls: fits a 1280×720 projector

# Large type and no chrome: the view is read from the back of a meeting room.
_PROJECTOR_CSS = """<style>
[data-testid='stSidebar'], [data-testid='stSidebarCollapsedControl'], [data-testid='stHeader'],
[data-testid='stToolbar'] {display: none !important;}
[data-testid='stMainBlockContainer'] {padding: 1rem 2.5rem 0.5rem 2.5rem; max-width: 100%;}
[data-testid='stMetricValue'] {font-size: 4rem; font-weight: 700;}
[data-testid='stMetricLabel'] p {font-size: 1.5rem;}
[data-testid='stMetricDelta'] p, [data-testid='stMetric'] [data-testid='stCaptionContainer'] {font-size: 1.1rem;}
.st-key-controls {position: fixed; left: 2.5rem; right: 2.5rem; bottom: 0; padding: 0.4rem 0; z-index: 10;
                  background: #ffffff; border-top: 1px solid #d5dbe3;}
.monev-slide-title {font-size: 2.2rem; font-weight: 700; color: #14213d; margin: 0.2rem 0 0.6rem 0;}
.monev-bar {display: flex; justify-content: space-between; align-items: baseline; font-size: 1.15rem;
            color: #14213d; border-bottom: 3px solid #1f4e79; padding-bottom: 0.3rem;}
.monev-big {font-size: 1.45rem; line-height: 1.55;}
</style>"""

def _go(step: int) -> None:
    st.session_state[Keys.SLIDE] = (st.session_state[Keys.SLIDE] - 1 + step) % len(SLIDES) + 1


def render_presenter(context: PageContext) -> None:
    st.html(_PROJECTOR_CSS)
    _render_header(context)
    render_url_notice(context.lang)
    slide = SLIDES[st.session_state[Keys.SLIDE] - 1]
    with st.container(key="slide"):
        st.html(f"<div class='monev-slide-title'>{html.escape(context.t(f'present.title.{slide}'))}</div>")
        SLIDE_RENDERERS[slide](context)
    with st.container(key="controls"):
        _render_controls(context)
    shown = st.session_state[Keys.SLIDE_SINCE]
    if shown is None or shown[0] != st.session_state[Keys.SLIDE]:
        st.session_state[Keys.SLIDE_SINCE] = (st.session_state[Keys.SLIDE], time.monotonic())
    if st.session_state[Keys.AUTOPLAY]:
        _advance_every(st.session_state[Keys.AUTOPLAY_SECONDS])


def _render_header(context: PageContext) -> None:
    version = context.source.version
    data_line = context.t("present.data_line", period=fmt.month(context.period, context.lang),
                          version=version.id if version else "–")
    if context.data.is_demo:
        data_line += " · " + context.t("app.demo_badge")
    st.html(
        f"<div class='monev-bar'><b>{html.escape(context.t('app.province', province=context.registry.province_name))}"
        f" · {html.escape(context.t('app.name'))}</b><span>{html.escape(data_line)}</span>"
        f"<span>{st.session_state[Keys.SLIDE]} / {len(SLIDES)}</span></div>")


def _advance_every(seconds: int) -> None:
    """Auto-advance: a timer fragment moves on once the slide has been shown for ``seconds`` (measured from when
    it appeared, so a rerun for fresh data does not skip a slide)."""
    @st.fragment(run_every=seconds)
    def tick() -> None:
        slide, since = st.session_state[Keys.SLIDE_SINCE]
        if time.monotonic() - since >= seconds - _TIMER_SLACK_S:
            _go(1)
            st.rerun(scope="app")

    tick()


def _render_controls(context: PageContext) -> None:
    t = context.t
    previous, following, autoplay, interval, live, leave = st.columns([1, 1, 1.2, 1.2, 2, 1.2],
                                                                       vertical_alignment="center")
    previous.button(t("present.previous"), key=WidgetKeys.SLIDE_PREVIOUS, on_click=_go, args=(-1,),
                    shortcut="Left", icon=":material/chevron_left:", width="stretch")
    following.button(t("present.next"), key=WidgetKeys.SLIDE_NEXT, on_click=_go, args=(1,), shortcut="Right",
                     icon=":material/chevron_right:", width="stretch")
    st.session_state[WidgetKeys.AUTOPLAY] = st.session_state[Keys.AUTOPLAY]
    autoplay.toggle(t("present.autoplay"), key=WidgetKeys.AUTOPLAY, on_change=_persist_autoplay)
    st.session_state[WidgetKeys.AUTOPLAY_SECONDS] = st.session_state[Keys.AUTOPLAY_SECONDS]
    interval.selectbox(t("present.interval"), options=AUTOPLAY_CHOICES, key=WidgetKeys.AUTOPLAY_SECONDS,
                       format_func=lambda seconds: t("present.seconds", count=seconds),
                       label_visibility="collapsed", on_change=_persist_interval)
    with live:
        follow_changes()
    leave.page_link("app.py", label=t("present.leave"), icon=":material/close_fullscreen:")


def _persist_autoplay() -> None:
    st.session_state[Keys.AUTOPLAY] = bool(st.session_state[WidgetKeys.AUTOPLAY])
    st.session_state[Keys.SLIDE_SINCE] = (st.session_state[Keys.SLIDE], time.monotonic())


def _persist_interval() -> None:
    st.session_state[Keys.AUTOPLAY_SECONDS] = st.session_state[WidgetKeys.AUTOPLAY_SECONDS]


def _indicators(context: PageContext) -> pd.DataFrame:
    return page_indicators(context)


def _slide_kpi(context: PageContext) -> None:
    summary = page_summary(context)
    render_kpis(context, summary)
    line = kpi_line(summary, _indicators(context), context.lang)
    st.html("<div class='monev-big'>" + html.escape(line) + "</div>")


def _slide_map(context: PageContext) -> None:
    indicators = _indicators(context)
    render_map(context, indicators, indicators.set_index("region_code")["rate"], metric="coverage",
               method=st.session_state[Keys.CLASSIFICATION], widget_key="presentasi.map",
               height_px=SLIDE_MAP_HEIGHT_PX, downloadable=False)


def _slide_ranking(context: PageContext) -> None:
    summary = page_summary(context)
    render_ranking_chart(context, _indicators(context), summary, downloadable=False)


def _slide_trend(context: PageContext) -> None:
    series, province = page_series(context)
    indicators = _indicators(context)
    highlight = [region["region_code"] for region in highest_and_lowest(indicators)]
    # The trends page's chart of the same regions: the spec is shared.
    render_chart(lambda: build_trend_chart(series[series["period"] <= context.period],
                                           province[province["period"] <= context.period], highlight=highlight,
                                           national_rate=context.national_rate, lang=context.lang),
                 chart_key=("trend", *view_key(context), tuple(highlight)))


def _slide_focus(context: PageContext) -> None:
    t, lang = context.t, context.lang
    columns = st.columns(FOCUS_COUNT)
    focus = focus_rows(context.data, _indicators(context), context.period, context.national_rate)
    for column, row in zip(columns, focus.itertuples()):
        with column.container(border=True):
            st.metric(row.region_name, fmt.percent(row.rate, lang),
                      delta=t("present.focus_gap", gap=fmt.points(row.gap, lang)))
            months = (t("present.focus_months", count=row.months) if math.isfinite(row.months)
                      else t("present.focus_never"))
            st.html("<div class='monev-big'>" + "<br>".join(html.escape(line) for line in (
                t("present.focus_pace", pace=fmt.number(row.pace, lang) if not math.isnan(row.pace) else "–"),
                t("present.focus_needed", count=fmt.number(row.needed, lang), rate=fmt.percent(
                    context.national_rate, lang)),
                months,
                t("present.focus_cost", cost=fmt.rupiah(row.cost_year, lang)),
            )) + "</div>")
    st.caption(t("present.focus_basis", cost=fmt.rupiah(CostParameters().cost_idr_per_month, lang)))


def _slide_scenarios(context: PageContext) -> None:
    t, lang = context.t, context.lang
    scenarios = chosen_scenarios()
    if not scenarios:
        st.info(t("present.no_scenarios"), icon=":material/bookmark:")
        return
    columns = st.columns(len(scenarios))
    single = len(scenarios) == 1
    for column, scenario in zip(columns, scenarios):
        result = scenario_results(context, scenario)
        with column:
            st.markdown(f"**{escape_markdown(scenario.name)}**")
            st.caption(scenario_basis(context, (scenario.dataset_version_id, scenario.period)))
            # One scenario: its numbers in a row and the before → after chart below; several: one column each.
            places = st.columns(3) if single else [st.container(), st.container(), st.container()]
            places[0].metric(t("sim.kpi_coverage"), fmt.percent(result.rate_after, lang),
                             delta=fmt.points(result.change_points, lang))
            places[1].metric(t("kpi.regions_at_national"),
                             t("kpi.regions_value", count=result.regions_at_national_after, total=result.region_count))
            places[2].metric(t("sim.kpi_cost_year"), fmt.rupiah(result.cost_idr_per_year, lang))
            if single:
                _render_slide_dumbbell(context, result.regions)


def _render_slide_dumbbell(context: PageContext, regions: pd.DataFrame) -> None:
    # The chart's own height: it gives every region a row, so none of the names is dropped on the slide.
    render_chart(lambda: build_dumbbell_chart(regions, national_rate=context.national_rate, lang=context.lang),
                 chart_key=("dumbbell", frame_digest(regions), context.national_rate, context.lang))


def _slide_sources(context: PageContext) -> None:
    lines = source_lines(context.lang, data_origin(context))
    st.html("<div class='monev-big'><ul>" + "".join(f"<li>{html.escape(line)}</li>" for line in lines)
            + "</ul></div>")


SLIDE_RENDERERS = {"kpi": _slide_kpi, "map": _slide_map, "ranking": _slide_ranking, "trend": _slide_trend,
                   "focus": _slide_focus, "scenarios": _slide_scenarios, "sources": _slide_sources}
