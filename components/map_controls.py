"""Controls of the map page: classification method and, for the change metric, where the span starts."""

from __future__ import annotations

import streamlit as st

from components.context import PageContext
from components.map_panel import chosen_change_start
from components.state import Keys, WidgetKeys, persist, persist_choice
from monev import fmt
from monev.mapping import CLASSIFICATIONS, change_start_options


def render_map_controls(context: PageContext) -> None:
    """Classification method and, only for the change metric, the first period of the span it covers."""
    classification_column, span_column = st.columns(2)
    st.session_state[WidgetKeys.CLASSIFICATION] = st.session_state[Keys.CLASSIFICATION]
    classification_column.segmented_control(
        context.t("map.classification"), options=CLASSIFICATIONS, key=WidgetKeys.CLASSIFICATION,
        format_func=lambda method: context.t(f"map.method.{method}"),
        on_change=persist_choice, args=(WidgetKeys.CLASSIFICATION, Keys.CLASSIFICATION, CLASSIFICATIONS),
    )
    st.session_state[Keys.CHANGE_FROM] = chosen_change_start(context)
    if st.session_state[Keys.METRIC] != "change":
        return  # the span only applies to the change metric; a greyed-out control would only puzzle
    st.session_state[WidgetKeys.CHANGE_FROM] = st.session_state[Keys.CHANGE_FROM]
    span_column.selectbox(
        context.t("map.change_from"), options=change_start_options(context.data.periods, context.period),
        format_func=lambda period: fmt.month(period, context.lang),
        key=WidgetKeys.CHANGE_FROM, on_change=persist, args=(WidgetKeys.CHANGE_FROM, Keys.CHANGE_FROM),
    )
