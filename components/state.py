"""Every session-state key of the app, in one place, and the per-session defaults.

Values that must survive a page switch live in these non-widget keys; widgets get their own keys
("<page>.<field>") and are re-seeded from these on every run, because Streamlit drops a widget's value
when the page that drew it is left.
"""

from __future__ import annotations

import streamlit as st

from monev import i18n
from monev.indicators import NATIONAL_RATE_DEFAULT


class Keys:
    LANG = "monev.lang"
    DATASET = "monev.dataset"  # CoverageData uploaded in this session; absent or None means the demo dataset
    PERIOD = "monev.period"
    NATIONAL_RATE = "monev.national_rate"
    LAST_UPLOAD = "monev.last_upload"  # (file id, LoadResult) of the last file checked on the data page
    METRIC = "monev.metric"  # what the map colours: one of monev.mapping.METRICS
    CLASSIFICATION = "monev.classification"  # how values become colour classes: monev.mapping.CLASSIFICATIONS
    CHANGE_FROM = "monev.change_from"  # first period of the span the "change" metric covers; None = data's first
    REGION = "monev.region"  # selected region code (map click, ?wilayah=), or None
    MAP_GENERATION = "monev.map_generation"  # bumped to give the maps fresh widgets, forgetting their selection
    TREND_REGIONS = "monev.trend_regions"  # regions highlighted on the trends page
    BOUNDARY_UPLOAD = "monev.boundary_upload"  # Boundaries parsed from a GeoJSON uploaded in this session
    BOUNDARY_FILE_ID = "monev.boundary_file_id"  # uploader file id of the boundaries taken into this session
    BOUNDARY_REPORT = "monev.boundary_report"  # problems of the last boundary download (() = it succeeded)
    URL_APPLIED = "monev.url_applied"  # the opening URL's parameters have been read into this session


class WidgetKeys:
    LANG = "sidebar.lang"
    PERIOD = "sidebar.period"
    METRIC = "sidebar.metric"
    NATIONAL_PCT = "sidebar.national_pct"
    UPLOAD = "data.upload"
    BACK_TO_DEMO = "data.back_to_demo"
    BOUNDARY_UPLOAD = "data.boundary_upload"
    BOUNDARY_DOWNLOAD = "data.boundary_download"
    BOUNDARY_FORGET = "data.boundary_forget"
    OVERVIEW_MAP = "overview.map"
    MAP = "peta.map"
    CLASSIFICATION = "peta.classification"
    CHANGE_FROM = "peta.change_from"
    CLOSE_DETAIL = "detail.close"
    TREND_REGIONS = "tren.regions"


def init_state() -> None:
    """Set this session's defaults once; later runs keep what the user chose."""
    defaults = {
        Keys.LANG: i18n.DEFAULT_LANGUAGE,
        Keys.DATASET: None,
        Keys.PERIOD: None,
        Keys.NATIONAL_RATE: NATIONAL_RATE_DEFAULT,
        Keys.LAST_UPLOAD: None,
        Keys.METRIC: "coverage",
        Keys.CLASSIFICATION: "fixed",
        Keys.CHANGE_FROM: None,
        Keys.REGION: None,
        Keys.MAP_GENERATION: 0,
        Keys.TREND_REGIONS: None,
        Keys.BOUNDARY_UPLOAD: None,
        Keys.BOUNDARY_FILE_ID: None,
        Keys.BOUNDARY_REPORT: None,
        Keys.URL_APPLIED: False,
    }
    for key, value in defaults.items():
        st.session_state.setdefault(key, value)


def persist(widget_key: str, state_key: str, convert=lambda value: value) -> None:
    """on_change callback: copy a widget's value into the key that outlives the page."""
    st.session_state[state_key] = convert(st.session_state[widget_key])
