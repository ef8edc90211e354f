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


class WidgetKeys:
    LANG = "sidebar.lang"
    PERIOD = "sidebar.period"
    NATIONAL_PCT = "sidebar.national_pct"
    UPLOAD = "data.upload"
    BACK_TO_DEMO = "data.back_to_demo"


def init_state() -> None:
    """Set this session's defaults once; later runs keep what the user chose."""
    defaults = {
        Keys.LANG: i18n.DEFAULT_LANGUAGE,
        Keys.DATASET: None,
        Keys.PERIOD: None,
        Keys.NATIONAL_RATE: NATIONAL_RATE_DEFAULT,
        Keys.LAST_UPLOAD: None,
    }
    for key, value in defaults.items():
        st.session_state.setdefault(key, value)


def persist(widget_key: str, state_key: str, convert=lambda value: value) -> None:
    """on_change callback: copy a widget's value into the key that outlives the page."""
    st.session_state[state_key] = convert(st.session_state[widget_key])
