"""The map: boundaries (or the fallback circles), the legend, and a click that selects a region."""

from __future__ import annotations

import html
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from components.cache import MapKey, SpanKey, cached_map, cached_rate_change, frame_digest, view_key
from components.context import PageContext
from components.data_source import active_boundaries
from components.downloads import render_map_download
from components.simulator_state import baseline_for, current_simulation
from components.state import Keys
from monev import fmt, mapping

# deck.gl sets `touch-action: none` on the map so that every finger moves the map: on a phone, where the map fills
# the screen, the page could then not be scrolled past it. On a narrow or touch screen a vertical swipe scrolls the
# page; a sideways swipe still pans the map, two fingers zoom it, a tap picks a region. A mouse drags as before.
_SCROLLABLE_MAP_CSS = """<style>@media (max-width: 640px), (pointer: coarse) {
[data-testid='stDeckGlJsonChart'] div { touch-action: pan-y !important; } }</style>"""


def _select_from_map(widget_key: str) -> None:
    """on_select callback: a click picks a region, a click beside the regions clears the choice."""
    selection = st.session_state[widget_key].selection
    st.session_state[Keys.REGION] = mapping.picked_region(selection.get("objects"))


def render_legend(context: PageContext, entries: Sequence[mapping.LegendEntry], metric: str) -> None:
    """Class ranges with their colour and how many regions fall in each, in one wrapping row (text escaped)."""
    items = "".join(
        f"<span style='display:inline-flex;align-items:center;gap:.35rem;margin-right:1rem;white-space:nowrap'>"
        f"<span style='width:1.4rem;height:1rem;background:{entry.color};border:1px solid #8a94a6'></span>"
        f"<span>{html.escape(entry.label)}</span>"
        f"<span style='color:#5a6478'>"
        f"({html.escape(fmt.counted('map.region_count', entry.count, context.lang))})</span></span>"
        for entry in entries
    )
    title = html.escape(context.t(f"map.metric.{metric}"))
    st.html(f"<div data-testid='monev-legend' style='font-size:.95rem;line-height:1.9'>"
            f"<b style='margin-right:.75rem'>{title}</b>{items}</div>")


def map_values(context: PageContext, indicators: pd.DataFrame, metric: str) -> pd.Series:
    """The value each region is coloured by, indexed by region code (``monev.mapping.metric_values``)."""
    data = context.data
    return mapping.metric_values(
        metric, indicators,
        rate_change=lambda: cached_rate_change(SpanKey(data.checksum, chosen_change_start(context), context.period),
                                               data=data),
        simulated=lambda: current_simulation(context, baseline_for(context)).regions,
    )


def chosen_change_start(context: PageContext) -> str:
    """First month of the span the change metric covers, from the month remembered (``monev.mapping.change_start``)."""
    return mapping.change_start(st.session_state[Keys.CHANGE_FROM], context.data.periods, context.period)


def render_map(context: PageContext, indicators: pd.DataFrame, values: pd.Series, *, metric: str,
               method: str, widget_key: str, height_px: int = mapping.MAP_HEIGHT_PX,
               width_px: int = mapping.MAP_WIDTH_PX, downloadable: bool = True) -> None:
    """The choropleth (or the fallback circles with an explanation), with its legend beside or below it, framed to
    show every region in ``width_px`` × ``height_px``. ``indicators`` are those of the page's data, period and
    national average (in any row order); ``values`` the metric's value per region code."""
    boundaries = active_boundaries()
    if boundaries is None:
        st.info(context.t("map.no_boundaries"), icon=":material/map:")
    else:
        height_px = mapping.height_to_frame(boundaries.bounds, width_px, height_px)
    key = MapKey(view_key(context), tuple(indicators["region_code"]), frame_digest(values), metric, method,
                 st.session_state[Keys.REGION], height_px,
                 boundaries.digest if boundaries is not None else None, width_px)
    map_view = cached_map(key, values=values, indicators=indicators, boundaries=boundaries,
                          registry=context.registry)
    widget = f"{widget_key}.{st.session_state[Keys.MAP_GENERATION]}"
    st.html(_SCROLLABLE_MAP_CSS)
    st.pydeck_chart(map_view.deck, on_select=lambda: _select_from_map(widget), selection_mode="single-object",
                    key=widget, height=height_px)
    render_legend(context, map_view.legend, metric)
    if downloadable:
        # The boundaries are handed over: the download runs on another thread, without session state.
        render_map_download(context, indicators, values, map_view.classification, boundaries=boundaries, metric=metric,
                            key=f"{widget_key}.png")
