"""The projector view: large slides built from the live data, next/previous (also the arrow keys and a clicker's
PageUp/PageDown), auto-advance, and a live indicator that follows changes made in other sessions
(``components.live_updates``).
"""

from __future__ import annotations

import html
import math
import time
from collections.abc import Callable

import pandas as pd
import streamlit as st

from components.cache import (
    AltairChart,
    ChartKey,
    cached_chart_spec,
    frame_digest,
    page_indicators,
    page_series,
    page_summary,
    view_key,
)
from components.chosen_scenarios import chosen_scenarios
from components.context import PageContext
from components.data_source import run_on_store
from components.downloads import data_origin
from components.live_updates import follow_changes
from components.map_panel import render_map
from components.overview import render_kpis
from components.scenario_comparison import MAX_COMPARED, scenario_basis, scenario_results
from components.scenario_list import scenario_labels
from components.state import Keys, WidgetKeys, persist
from components.text import escape_markdown
from components.url_state import render_url_notice
from monev import fmt
from monev.charts import build_dumbbell_chart, build_ranking_chart, build_trend_chart
from monev.focus import FOCUS_COUNT, focus_rows
from monev.sentences import highest_and_lowest, kpi_line, source_lines
from monev.simulation import CostParameters
from monev.store import StoreUnavailable

SLIDES = ("kpi", "map", "ranking", "trend", "focus", "scenarios", "sources")
AUTOPLAY_CHOICES = (10, 20, 30, 60)
_TIMER_SLACK_S = 0.5  # a timer may fire a little early
# The map is drawn for a 1080-pixel-high screen; smaller screens shrink it (the --monev-map-scale steps below), so
# the whole province stays in view at any projector height.
SLIDE_MAP_HEIGHT_PX = 720

# Large type and no chrome: the view is read from the back of a meeting room. Sizes follow the viewport (vh,
# clamp()), so a slide fills a 1920×1080 projector and still fits 1280×720; nothing is cut with an ellipsis.
_PROJECTOR_CSS = """<style>
[data-testid='stSidebar'], [data-testid='stSidebarCollapsedControl'], [data-testid='stHeader'],
[data-testid='stToolbar'] {display: none !important;}
[data-testid='stMainBlockContainer'] {padding: 1rem 2.5rem 4.5rem 2.5rem; max-width: 100%;}
.st-key-slide [data-testid='stMetricValue'] {font-size: clamp(2.2rem, 8vh, 7rem); font-weight: 700;}
.st-key-slide [data-testid='stMetricLabel'] p {font-size: clamp(1.1rem, 3vh, 2.3rem); line-height: 1.2;}
.st-key-slide [data-testid='stMetricDelta'] p, .st-key-slide [data-testid='stMetric'] [data-testid='stCaptionContainer']
  {font-size: clamp(0.95rem, 2.2vh, 1.7rem);}
.st-key-slide [data-testid='stMetric'] * {white-space: normal !important; overflow: visible !important;
                                          text-overflow: clip !important; max-width: 100%;}
.st-key-slide [data-testid='stMetric'] {display: flex; flex-direction: column; justify-content: center;}
.st-key-slide_kpi [data-testid='stMetric'] {min-height: 60vh;}
.st-key-slide_focus [data-testid='stColumn'] [data-testid='stVerticalBlock'] {min-height: 62vh;}
/* Streamlit sizes a chart's box to its content: the slide gives it the height left, and the chart fills it. */
.st-key-slide [data-testid='stVegaLiteChart'] {height: calc(100vh - 13rem - 6vh) !important;}
.st-key-slide_scenarios [data-testid='stVegaLiteChart'] {height: calc(72vh - 20.5rem) !important;}
.st-key-slide_scenarios [data-testid='stMetricValue'] {font-size: clamp(1.8rem, 6.5vh, 6rem);}
.st-key-slide_scenarios [data-testid='stMetricLabel'] p {font-size: clamp(1rem, 2.6vh, 2rem);}
/* The map is drawn at SLIDE_MAP_HEIGHT_PX and shrunk on lower screens; its box shrinks with it. */
.st-key-slide_map {--monev-map-scale: 1; --monev-map-height: SLIDE_MAP_HEIGHT;}
@media (max-height: 1040px) {.st-key-slide_map {--monev-map-scale: 0.8;}}
@media (max-height: 880px) {.st-key-slide_map {--monev-map-scale: 0.65;}}
@media (max-height: 760px) {.st-key-slide_map {--monev-map-scale: 0.56;}}
@media (max-height: 640px) {.st-key-slide_map {--monev-map-scale: 0.45;}}
.st-key-slide_map [data-testid='stElementContainer']:has([data-testid='stDeckGlJsonChart'])
  {transform: scale(var(--monev-map-scale)); transform-origin: top center;
   margin-bottom: calc(var(--monev-map-height) * (var(--monev-map-scale) - 1));}
.st-key-controls {position: fixed; left: 2.5rem; right: 2.5rem; bottom: 0; padding: 0.4rem 0; z-index: 10;
                  background: #ffffff; border-top: 1px solid #d5dbe3;}
.monev-slide-title {font-size: clamp(1.6rem, 4.2vh, 3.4rem); font-weight: 700; color: #14213d;
                    margin: 0.2rem 0 0.6rem 0; line-height: 1.15;}
.monev-bar {display: flex; justify-content: space-between; align-items: baseline; gap: 1rem;
            font-size: clamp(1rem, 2vh, 1.6rem); color: #14213d; border-bottom: 3px solid #1f4e79;
            padding-bottom: 0.3rem;}
.monev-big {font-size: clamp(1.1rem, 3vh, 2.4rem); line-height: 1.5;}
.monev-sources {min-height: 62vh;}
.monev-sources .monev-big {font-size: clamp(1.05rem, 3vh, 2.3rem); line-height: 1.45;}
.monev-sources ul, .monev-sources li {font-size: inherit !important;}
.monev-sources li {margin-bottom: 0.6em;}
</style>""".replace("SLIDE_MAP_HEIGHT", f"{SLIDE_MAP_HEIGHT_PX}px")

def _go(step: int) -> None:
    st.session_state[Keys.SLIDE] = (st.session_state[Keys.SLIDE] - 1 + step) % len(SLIDES) + 1


def render_presenter(context: PageContext) -> None:
    st.html(_PROJECTOR_CSS)
    _render_header(context)
    render_url_notice(context.lang)
    slide = SLIDES[st.session_state[Keys.SLIDE] - 1]
    with st.container(key="slide"):
        st.html(f"<div class='monev-slide-title'>{html.escape(context.t(f'present.title.{slide}'))}</div>")
        with st.container(key=f"slide_{slide}"):
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


def _render_slide_chart(build: Callable[[], AltairChart], *, chart_key: tuple) -> None:
    """The chart ``build`` makes, as tall as the slide's CSS makes its box (Vega-Lite's "container" height)."""
    name, *shows = chart_key
    spec = cached_chart_spec(ChartKey(f"slide.{name}", tuple(shows)),
                             build=lambda: build().properties(height="container"))
    st.vega_lite_chart(spec, width="stretch")


def _slide_ranking(context: PageContext) -> None:
    summary, indicators = page_summary(context), _indicators(context)
    _render_slide_chart(lambda: build_ranking_chart(indicators, national_rate=summary.national_rate,
                                                    province_rate=summary.rate, target_rate=summary.target_rate,
                                                    lang=context.lang),
                        chart_key=("ranking", *view_key(context)))


def _slide_trend(context: PageContext) -> None:
    series, province = page_series(context)
    indicators = _indicators(context)
    highlight = [region["region_code"] for region in highest_and_lowest(indicators)]
    # The trends page's chart of the same regions: the spec is shared.
    _render_slide_chart(lambda: build_trend_chart(series[series["period"] <= context.period],
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
            months = (fmt.counted("present.focus_months", round(row.months), lang) if math.isfinite(row.months)
                      else t("present.focus_never"))
            st.html("<div class='monev-big'>" + "<br>".join(html.escape(line) for line in (
                t("present.focus_pace", pace=fmt.number(row.pace, lang) if not math.isnan(row.pace) else "–"),
                fmt.counted("present.focus_needed", row.needed, lang, rate=fmt.percent(
                    context.national_rate, lang)),
                months,
                t("present.focus_cost", cost=fmt.rupiah(row.cost_year, lang)),
            )) + "</div>")
    st.caption(t("present.focus_basis", cost=fmt.rupiah(CostParameters().cost_idr_per_month, lang)))


def _render_scenario_picker(context: PageContext) -> bool:
    """Up to four saved scenarios chosen on the slide: the same choice as the scenarios page's comparison (one
    session key). Whether there is any saved scenario to show; when there is none, how to make one."""
    t = context.t
    try:
        saved = run_on_store(lambda store: store.scenarios())
    except StoreUnavailable:
        st.error(t("store.unavailable_list"), icon=":material/cloud_off:")
        return True  # the scenarios chosen before may still be shown
    if not saved:
        st.info(t("present.no_saved_scenarios"), icon=":material/bookmark:")
        return False
    ids = [scenario.id for scenario in saved]
    labels = scenario_labels(saved)
    st.session_state[WidgetKeys.SLIDE_SCENARIOS] = [sid for sid in st.session_state[Keys.COMPARED] if sid in ids]
    st.multiselect(t("present.choose_scenarios", most=MAX_COMPARED), options=ids, max_selections=MAX_COMPARED,
                   format_func=lambda sid: labels[sid], key=WidgetKeys.SLIDE_SCENARIOS,
                   placeholder=t("present.choose_placeholder"),
                   on_change=persist, args=(WidgetKeys.SLIDE_SCENARIOS, Keys.COMPARED))
    return True


def _slide_scenarios(context: PageContext) -> None:
    t, lang = context.t, context.lang
    if not _render_scenario_picker(context):
        return
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
    # As tall as the slide allows: at ten regions every one keeps its row and its name.
    _render_slide_chart(lambda: build_dumbbell_chart(regions, national_rate=context.national_rate, lang=context.lang),
                        chart_key=("dumbbell", frame_digest(regions), context.national_rate, context.lang))


def _slide_sources(context: PageContext) -> None:
    lines = source_lines(context.lang, data_origin(context))
    st.html("<div class='monev-sources'><div class='monev-big'><ul>"
            + "".join(f"<li>{html.escape(line)}</li>" for line in lines) + "</ul></div></div>")


SLIDE_RENDERERS = {"kpi": _slide_kpi, "map": _slide_map, "ranking": _slide_ranking, "trend": _slide_trend,
                   "focus": _slide_focus, "scenarios": _slide_scenarios, "sources": _slide_sources}
